import { describe, expect, it } from 'vitest';
import { formatDuration, formatDurationInFull, formatExactDuration, parseDuration, parseIsoDuration } from '../../src/plugin/duration';
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

describe('parseIsoDuration', () => {
  it.each([
    ['PT4H', 4 * 3600],
    ['P2D', 2 * 86400],
    ['P1DT12H', 36 * 3600],
    ['PT90M', 5400],
    ['PT30S', 30],
    ['PT0.5S', 0.5],
    ['PT1,5S', 1.5],
    ['P1W', 604800],
    ['pt4h', 4 * 3600],
    [' PT15M ', 900],
    ['P0D', 0],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseIsoDuration(text)).toBe(seconds);
  });

  it.each(['4h', 'PT', 'P', 'P1DT', 'PT4', '4 hours', 'PT-4H', 'P1.5D', 'PT4H30', 'P1W2D', ''])('refuses %j', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(/is not an ISO-8601 duration such as PT4H/);
  });

  it.each(['P1Y', 'P1M', 'P1Y2M', 'P1M2D'])('refuses calendar units in %s and says why', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(/years and months have no fixed length, use days/);
  });
});

describe('formatDurationInFull', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [450, '7m 30s'],
    [23040, '6h 24m'],
    [138240, '1d 14h 24m'],
    [86401, '1d 1s'],
    [3600, '1h'],
  ])('%d seconds are %s', (seconds, text) => {
    expect(formatDurationInFull(seconds)).toBe(text);
  });
});
