import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { likeMatches, likeToRegExp } from '../../src/camunda/like';
import { MAX_PATTERN_LENGTH, maskMessage } from '../../src/camunda/message-mask';

/*
 * The invariants every cause relies on, whatever the message: the pattern counts the message it
 * came from, equal texts give equal patterns, the escapes are those every database accepts, the
 * pattern stays short and the text carries nothing that could break the output.
 */

/** Pieces of real messages, so that random messages hit the rule's every branch. */
const PIECES = [
  'java.net.ConnectException', 'Exception', ': ', ' ', '4711', '-', '.', ':', '/', ',', "'", '"', 'x', 'ORA-00060', 'ENGINE-03005',
  'HTTP 503', '500 Internal', 'SQLState: 40001', 'https://h.example.com:8443/a/1?q=2#f', 'user@mail.example.com', 'Obj@1a2b',
  '3c4f5e6a-1b2c-11ef-9d8e-0242ac120002', 'Thu May  2 10:15:30 2024', '%', '_', '\\', '[', ']', '…', '\n', '\r', '\t', '\u0000',
  '\u202e', '\ud800', '😀', 'Müller', 'a_b', '${x.y}',
];
const realistic = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((parts) => parts.join(''));
const anyText = fc.string({ unit: 'binary', maxLength: 300 });
const messages = fc.oneof(realistic, anyText, fc.string({ unit: 'grapheme-composite', maxLength: 300 }));

/** Characters a database LIKE pattern may carry after a backslash (Oracle ORA-01424, H2). */
function escapesValid(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '\\') continue;
    if (!['%', '_', '\\'].includes(pattern[i + 1] ?? '')) return false;
    i++;
  }
  return true;
}

/** Unescaped `%` next to each other (one would do). */
const doubleWildcard = (pattern: string) => /(^|[^\\])(\\\\)*%%/.test(pattern);

describe('maskMessage properties', () => {
  it('the pattern matches the message, is bounded and escapes only % _ \\', () => {
    fc.assert(
      fc.property(messages, (message) => {
        const { text, pattern } = maskMessage(message);
        if (message === '') return pattern === undefined && text === '(no message)';
        expect(pattern).toBeDefined();
        expect(likeMatches(pattern!, message)).toBe(true);
        expect(pattern!.length).toBeLessThanOrEqual(MAX_PATTERN_LENGTH);
        expect(escapesValid(pattern!)).toBe(true);
        expect(doubleWildcard(pattern!)).toBe(false);
        expect(pattern).not.toContain('[');
        return true;
      }),
      { numRuns: 3000 },
    );
  });

  it('the text is safe to show: no control or format characters, no lone surrogates, bounded', () => {
    fc.assert(
      fc.property(messages, (message) => {
        const { text } = maskMessage(message);
        expect(text).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]|\p{Cs}/u);
        expect(text).not.toMatch(/……/);
        expect(text.length).toBeLessThanOrEqual(MAX_PATTERN_LENGTH);
      }),
      { numRuns: 2000 },
    );
  });

  it('equal texts give equal patterns (a cause has one pattern)', () => {
    // A small alphabet makes equal texts of different messages frequent.
    const small = fc.array(fc.constantFrom('a', '1', '2', ' ', "'", '"', '%', '_', '\\', '[', '…', '\n', '\t', 'b'), { maxLength: 12 }).map((p) => p.join(''));
    let equalTexts = 0;
    fc.assert(
      fc.property(small, small, (m1, m2) => {
        const a = maskMessage(m1);
        const b = maskMessage(m2);
        if (a.text === b.text) {
          equalTexts++;
          expect(a.pattern).toBe(b.pattern);
          if (a.pattern !== undefined) expect(likeMatches(a.pattern, m2)).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
    expect(equalTexts).toBeGreaterThan(50);
  });

  it('is a function of the message (no state left in the scanner between calls)', () => {
    fc.assert(
      fc.property(messages, messages, (m1, m2) => {
        const first = maskMessage(m1);
        maskMessage(m2);
        expect(maskMessage(m1)).toEqual(first);
      }),
    );
  });
});

/** LIKE read the plain way (`%` as `[\s\S]*`): right, but exponential on long values that do not match; an oracle for small ones. */
function plainLikeRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const literal = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (c === '\\' && i + 1 < pattern.length) source += literal(pattern[++i]!);
    else source += c === '%' ? '[\\s\\S]*' : c === '_' ? '[\\s\\S]' : literal(c);
  }
  return new RegExp(`^${source}$`);
}

describe('likeMatches and likeToRegExp', () => {
  const likeAlphabet = fc.array(fc.constantFrom('a', 'b', '%', '%', '_', '\\', '\n', '.', '('), { maxLength: 12 }).map((p) => p.join(''));
  const values = fc.array(fc.constantFrom('a', 'b', '%', '_', '\\', '\n', '.', '('), { maxLength: 14 }).map((p) => p.join(''));

  it('agree with the plain reading of LIKE', () => {
    fc.assert(
      fc.property(likeAlphabet, values, (pattern, value) => {
        const expected = plainLikeRegExp(pattern).test(value);
        expect(likeMatches(pattern, value)).toBe(expected);
        expect(likeToRegExp(pattern).test(value)).toBe(expected);
      }),
      { numRuns: 10000 },
    );
  });

  // Backtracking through twenty % over 4000 characters would take longer than the test timeout.
  it('take polynomial time on a long value that does not match', () => {
    const pattern = `${'a%'.repeat(20)}b`;
    const value = 'a'.repeat(4000);
    expect(likeMatches(pattern, value)).toBe(false);
    expect(likeToRegExp(pattern).test(value)).toBe(false);
    expect(likeToRegExp(pattern).test(`${value}b`)).toBe(true);
    const masked = maskMessage('a 1 b 2 c 3 d 4 e 5 f 6 g 7 h 8 i 9 j 10 k 11 l 12 x').pattern!;
    const similar = `${'a 1 b 2 c 3 d 4 e 5 f 6 g 7 h 8 i 9 j 10 k 11 l 12 '.repeat(60)}y`;
    expect(likeToRegExp(masked).test(similar)).toBe(false);
    expect(likeMatches(masked, similar)).toBe(false);
  });
});
