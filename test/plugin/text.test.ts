import { describe, expect, it } from 'vitest';
import { cleanText, DEFAULT_TEXT_LIMIT, hideCredentials, shorten } from '../../src/plugin/text';

describe('cleanText', () => {
  it.each([
    ['line one\nline two', 'line one line two'],
    ['a\r\nb', 'a b'],
    ['a\rb', 'a b'],
    ['a\tb', 'a b'],
    ['a\u0000b\u0007c\u001bd', 'a b c d'],
    ['a\u007fb\u0085c\u009fd', 'a b c d'],
    ['a\u2028b\u2029c', 'a b c'],
    ['a\u000bb\u000cc', 'a b c'],
    ['  spaced \t\n  out  ', 'spaced out'],
    ['a    b', 'a b'],
    ['a\u00a0\u00a0b', 'a b'],
    ['x | y', 'x ¦ y'],
    ['||', '¦¦'],
    ['<b>bold</b>', '‹b›bold‹/b›'],
    ['Größe 事件 🔥', 'Größe 事件 🔥'],
  ])('%j → %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('neutralises a script tag', () => {
    const cleaned = cleanText('<script>alert("x")</script>');
    expect(cleaned).not.toMatch(/[<>]/);
    expect(cleaned).toBe('‹script›alert("x")‹/script›');
  });

  it('leaves no character that breaks the line protocol', () => {
    const cleaned = cleanText('java.lang.RuntimeException: boom\n\tat a.b(C.java:1)\r\n|perf=1\u2028<img src=x onerror=y>');
    expect(cleaned).not.toMatch(/[\n\r\t|<>\u2028]/);
    expect(cleaned).toBe('java.lang.RuntimeException: boom at a.b(C.java:1) ¦perf=1 ‹img src=x onerror=y›');
  });

  it('turns null and undefined into an empty string and other values into text', () => {
    expect(cleanText(null)).toBe('');
    expect(cleanText(undefined)).toBe('');
    expect(cleanText(42)).toBe('42');
    expect(cleanText(false)).toBe('false');
    expect(cleanText('')).toBe('');
  });

  it('keeps text up to the limit unchanged', () => {
    const text = 'x'.repeat(DEFAULT_TEXT_LIMIT);
    expect(cleanText(text)).toBe(text);
    expect(cleanText('abcde', 5)).toBe('abcde');
  });

  it('shortens longer text to the limit, ending with …', () => {
    expect(DEFAULT_TEXT_LIMIT).toBe(200);
    const cleaned = cleanText('y'.repeat(500));
    expect(cleaned).toBe('y'.repeat(199) + '…');
    expect(Array.from(cleaned)).toHaveLength(200);
    expect(cleanText('abcdef', 5)).toBe('abcd…');
  });

  it('counts the limit after cleaning, so collapsed whitespace does not count', () => {
    expect(cleanText('a' + ' \n '.repeat(100) + 'b', 3)).toBe('a b');
  });

  it('never splits a surrogate pair at the boundary', () => {
    // 4 characters, then emoji (2 UTF-16 units each): the cut falls inside the second one in UTF-16 terms.
    const cleaned = cleanText('abcd🔥🔥🔥🔥', 6);
    expect(cleaned).toBe('abcd🔥…');
    expect(cleaned).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(cleanText('🔥'.repeat(300))).toBe('🔥'.repeat(199) + '…');
    expect(Buffer.from(cleanText('🔥'.repeat(300)), 'utf8').toString('utf8')).not.toContain('\ufffd');
  });

  it('does not leave a space before the ellipsis', () => {
    expect(cleanText('abc def', 5)).toBe('abc…');
  });
});

describe('shorten', () => {
  it('keeps short text and cuts long text to exactly maxLength characters', () => {
    expect(shorten('hello', 10)).toBe('hello');
    expect(shorten('hello world', 6)).toBe('hello…');
    expect(shorten('hello', 1)).toBe('…');
  });
});

describe('cleanText and format characters', () => {
  it('removes bidirectional overrides and zero-width characters that would make text display other than it reads', () => {
    expect(cleanText('invoice\u202Efdp.exe\u202C ok')).toBe('invoice fdp.exe ok');
    expect(cleanText('a\u200Bb\uFEFFc')).toBe('a b c');
  });
});

describe('hideCredentials', () => {
  it.each([
    ['http://monitor:pw@camunda:8080/engine-rest', 'http://****@camunda:8080/engine-rest'],
    ['monitor:pw@camunda:8080/engine-rest', '****@camunda:8080/engine-rest'],
    ['http://camunda:8080/engine-rest', 'http://camunda:8080/engine-rest'],
    ['http://camunda/a@b', 'http://camunda/a@b'],
  ])('%s → %s', (url, shown) => {
    expect(hideCredentials(url)).toBe(shown);
  });
});
