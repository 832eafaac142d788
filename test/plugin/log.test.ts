import { describe, expect, it } from 'vitest';
import { createLogger, createRedactor } from '../../src/plugin/log';

describe('createRedactor', () => {
  it('replaces every occurrence of every secret', () => {
    const redact = createRedactor(['s3cret', 'tok-123456']);
    expect(redact('a s3cret b s3cret c tok-123456 s3crets3cret')).toBe('a **** b **** c **** ********');
  });

  it('redacts secrets of 4 characters or more, but not shorter ones or undefined', () => {
    const redact = createRedactor(['abcd', 'xyz', undefined, '']);
    expect(redact('abcd xyz abc')).toBe('**** xyz abc');
  });

  it('is the identity without secrets', () => {
    const redact = createRedactor([]);
    expect(redact('nothing to hide | \n')).toBe('nothing to hide | \n');
    expect(createRedactor([undefined, 'ab'])('ab')).toBe('ab');
  });

  it('treats secrets literally, not as patterns', () => {
    const redact = createRedactor(['a.b*c+$1', '(?:x)']);
    expect(redact('a.b*c+$1 aXbbc (?:x) x')).toBe('**** aXbbc **** x');
  });

  it('hides all of a secret that contains another secret', () => {
    // A password that is part of a longer token must not leave the rest of the token visible.
    const redact = createRedactor(['pass', 'password-token']);
    expect(redact('token=password-token pw=pass')).toBe('token=**** pw=****');
    const reversed = createRedactor(['password-token', 'pass']);
    expect(reversed('token=password-token pw=pass')).toBe('token=**** pw=****');
  });

  it('hides a Basic header and its base64 value in any order', () => {
    const base64 = Buffer.from('monitor:hunter22').toString('base64');
    const redact = createRedactor([base64, `Basic ${base64}`, 'hunter22']);
    const text = redact(`authorization: Basic ${base64}; value ${base64}; password hunter22`);
    expect(text).not.toContain(base64);
    expect(text).not.toContain('hunter22');
    expect(text).toBe('authorization: ****; value ****; password ****');
  });
});

describe('createLogger', () => {
  const capture = (level: number, secrets: string[] = []) => {
    const lines: string[] = [];
    const logger = createLogger(level, createRedactor(secrets), (line) => lines.push(line));
    return { logger, lines };
  };

  it('writes messages up to its level, each as one line', () => {
    const { logger, lines } = capture(2);
    logger.log(1, 'one');
    logger.log(2, 'two');
    logger.log(3, 'three');
    expect(lines).toEqual(['one\n', 'two\n']);
    expect(logger.level).toBe(2);
  });

  it('writes nothing at level 0', () => {
    const { logger, lines } = capture(0);
    logger.log(1, 'one');
    logger.log(3, 'three');
    expect(lines).toEqual([]);
  });

  it('writes everything at level 3', () => {
    const { logger, lines } = capture(3);
    for (const level of [1, 2, 3]) logger.log(level, `level ${level}`);
    expect(lines).toEqual(['level 1\n', 'level 2\n', 'level 3\n']);
  });

  it('redacts every line', () => {
    const { logger, lines } = capture(3, ['hunter22']);
    logger.log(1, 'password=hunter22 again hunter22');
    expect(lines).toEqual(['password=**** again ****\n']);
  });
});
