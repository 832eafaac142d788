import { describe, expect, it } from 'vitest';
import { likeMatches, likeToRegExp } from '../../src/camunda/like';

describe('SQL LIKE with backslash escapes', () => {
  it('reads % as any run, _ as one character and \\ as an escape', () => {
    expect(likeMatches('SAP%', 'SAP down')).toBe(true);
    expect(likeMatches('SAP%', 'The SAP')).toBe(false);
    expect(likeMatches('a_c', 'abc')).toBe(true);
    expect(likeMatches('a_c', 'abbc')).toBe(false);
    expect(likeMatches('100\\%', '100%')).toBe(true);
    expect(likeMatches('100\\%', '1000')).toBe(false);
    expect(likeMatches('a\\_b', 'a_b')).toBe(true);
    expect(likeMatches('a\\_b', 'axb')).toBe(false);
    expect(likeMatches('C:\\\\temp%', 'C:\\temp\\x')).toBe(true);
  });

  it('lets % run across lines, as the databases do', () => {
    expect(likeMatches('first%two', 'first\nline two')).toBe(true);
  });

  it('never matches a missing value (null LIKE x is not true)', () => {
    expect(likeMatches('%', null)).toBe(false);
    expect(likeMatches('%', undefined)).toBe(false);
    expect(likeMatches('%', '')).toBe(true);
  });

  it('takes regular-expression characters literally', () => {
    expect(likeToRegExp('%(x)%').test('a (x) b')).toBe(true);
    expect(likeMatches('a.c', 'abc')).toBe(false);
    expect(likeMatches('[ab]', 'a')).toBe(false);
  });
});
