import { describe, expect, it } from 'vitest';
import { compareVersions, matchesPattern, minorsBehind, parseVersion, parseVersionPattern, type Version } from '../../src/camunda/version';

const v = (text: string): Version => {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`${text} does not parse`);
  return parsed;
};

describe('parseVersion', () => {
  it.each([
    ['7.9.0', 7, 9, 0, ''],
    ['7.10.0', 7, 10, 0, ''],
    ['7.21.0-ee', 7, 21, 0, 'ee'],
    ['7.24.0-SNAPSHOT', 7, 24, 0, 'SNAPSHOT'],
    ['7.22.0-alpha1', 7, 22, 0, 'alpha1'],
    ['1.0.0-beta-4', 1, 0, 0, 'beta-4'],
    ['1.1.0', 1, 1, 0, ''],
    [' 7.15.0\n', 7, 15, 0, ''],
    ['7.22', 7, 22, 0, ''],
  ])('reads %j', (text, major, minor, patch, qualifier) => {
    expect(parseVersion(text)).toEqual({ text: text.trim(), major, minor, patch, qualifier });
  });

  it.each(['', 'latest', '7', '7.x.0', '7.22.0.1', 'v7.22.0', '7.22.0-', '7.22.0 ee', '7.22.0-<b>', null, undefined])('refuses %j', (text) => {
    expect(parseVersion(text)).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it('orders numerically, not lexically, and pre-releases before their release', () => {
    const ordered = ['1.0.0-beta-4', '1.0.0', '1.1.0', '7.9.0', '7.10.0', '7.21.0', '7.22.0-alpha1', '7.22.0-alpha2', '7.22.0-beta-1', '7.22.0-rc1', '7.22.0-SNAPSHOT', '7.22.0', '7.22.1', '7.24.0'];
    const shuffled = [...ordered].reverse();
    expect(shuffled.map(v).sort(compareVersions).map((x) => x.text)).toEqual(ordered);
  });

  it('counts an edition as its release', () => {
    expect(compareVersions(v('7.21.0-ee'), v('7.21.0'))).toBe(0);
    expect(compareVersions(v('7.21.0-ee'), v('7.21.1'))).toBeLessThan(0);
    expect(compareVersions(v('7.24.0-SNAPSHOT'), v('7.23.0-ee'))).toBeGreaterThan(0);
  });
});

describe('version patterns', () => {
  it.each([
    ['7.22', '7.22.3', true],
    ['7.22', '7.22.0-ee', true],
    ['7.22', '7.220.0', false],
    ['7.2', '7.22.0', false],
    ['7.22', '7.21.9', false],
    ['7', '7.24.0', true],
    ['7.22.3', '7.22.3-ee', true],
    ['7.22.3', '7.22.30', false],
    ['7.22.3-ee', '7.22.3', false],
    ['7.22.3-ee', '7.22.3-EE', true],
    ['1.0', '1.0.0-beta-4', true],
  ])('%s matches %s: %s', (pattern, version, matches) => {
    expect(matchesPattern(v(version), parseVersionPattern(pattern)!)).toBe(matches);
  });

  it.each(['', 'seven', '7.22.x', '7.22-ee', '7.22.3.1', '>=7.22'])('refuses the pattern %j', (text) => {
    expect(parseVersionPattern(text)).toBeUndefined();
  });
});

describe('minorsBehind', () => {
  it('counts minor versions within one major version only', () => {
    expect(minorsBehind(v('7.21.0'), v('7.22.3'))).toBe(1);
    expect(minorsBehind(v('7.9.0'), v('7.10.0'))).toBe(1);
    expect(minorsBehind(v('7.20.0'), v('7.22.0'))).toBe(2);
    expect(minorsBehind(v('7.23.0'), v('7.22.0'))).toBe(-1);
    expect(minorsBehind(v('7.22.1'), v('7.22.0-ee'))).toBe(0);
    // Operaton 1.x and CIB seven 1.x number their minors apart from Camunda 7.x.
    expect(minorsBehind(v('7.23.0'), v('1.0.0'))).toBeUndefined();
  });
});
