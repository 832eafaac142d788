import { describe, expect, it } from 'vitest';
import { formatDuration, formatExactDuration, parseDuration } from '../../src/plugin/duration';
import { UsageError } from '../../src/plugin/errors';

describe('parseDuration', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['0', 0],
    ['15m', 900],
    ['2h', 7200],
    ['1d', 86400],
    ['1.5h', 5400],
    ['0.5m', 30],
    ['2.5', 2.5],
    ['15M', 900],
    ['2H', 7200],
    ['1D', 86400],
    ['90S', 90],
    [' 15m ', 900],
    ['15 m', 900],
  ])('%j is %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['15x', '-5m', '', '   ', 'm', '1.m', '.5m', '1e3', '15mm', '1h30m', 'abc', '+5m'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
    expect(() => parseDuration(text)).toThrow(`invalid duration '${text}'`);
  });

  it('names the option in the message', () => {
    expect(() => parseDuration('15x', 'new-window')).toThrow(
      "--new-window: invalid duration '15x': use seconds or a number with s, m, h or d (e.g. 90, 15m, 2h, 1d)",
    );
    expect(() => parseDuration('-5m', 'timeout')).toThrow(/^--timeout: invalid duration '-5m'/);
    expect(() => parseDuration('m')).toThrow(/^invalid duration 'm'/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [59, '59s'],
    [59.4, '59s'],
    [59.6, '1m'],
    [60, '1m'],
    [119, '1m'],
    [900, '15m'],
    [3599, '59m'],
    [3600, '1h'],
    [36000, '10h'],
    [7500, '2h 5m'],
    [7200 + 59, '2h'],
    [86399, '23h 59m'],
    [86400, '1d'],
    [3 * 86400 + 4 * 3600, '3d 4h'],
    [3 * 86400 + 4 * 3600 + 59 * 60, '3d 4h'],
    [400 * 86400, '400d'],
    [-5, '0s'],
    [-100000, '0s'],
  ])('%d seconds → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatExactDuration', () => {
  it.each([
    [90, '90s'],
    [60, '1m'],
    [900, '15m'],
    [5400, '90m'],
    [7200, '2h'],
    [86400, '1d'],
    [90000, '25h'],
    [1, '1s'],
  ])('writes %i seconds as %s, never rounded', (seconds, text) => {
    expect(formatExactDuration(seconds)).toBe(text);
  });
});
