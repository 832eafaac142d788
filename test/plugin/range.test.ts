import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/plugin/errors';
import { alerts, evaluate, optionalRange, parseRange } from '../../src/plugin/range';
import { State } from '../../src/plugin/state';

/** [value, alerts?] pairs: values just inside and just outside every bound of the range. */
type Case = readonly [spec: string, start: number, end: number, inside: boolean, values: readonly (readonly [number, boolean])[]];

// The table of the Monitoring Plugins Development Guidelines, "Threshold and ranges".
const GUIDELINES: readonly Case[] = [
  ['10', 0, 10, false, [[-0.001, true], [-1, true], [0, false], [5, false], [10, false], [10.001, true], [11, true]]],
  ['10:', 10, Infinity, false, [[9.999, true], [9, true], [-5, true], [10, false], [10.001, false], [1e9, false]]],
  ['~:10', -Infinity, 10, false, [[-1e9, false], [-1, false], [0, false], [10, false], [10.001, true], [11, true]]],
  ['10:20', 10, 20, false, [[9.999, true], [10, false], [15, false], [20, false], [20.001, true], [0, true], [-15, true]]],
  ['@10:20', 10, 20, true, [[9.999, false], [10, true], [15, true], [20, true], [20.001, false], [0, false], [21, false]]],
];

const MORE: readonly Case[] = [
  ['0.5:1.5', 0.5, 1.5, false, [[0.49, true], [0.5, false], [1, false], [1.5, false], [1.51, true]]],
  ['-10:-5', -10, -5, false, [[-10.01, true], [-10, false], [-7, false], [-5, false], [-4.99, true], [0, true]]],
  ['~:-1', -Infinity, -1, false, [[-1000, false], [-1, false], [-0.99, true], [0, true]]],
  ['+5', 0, 5, false, [[-0.01, true], [0, false], [5, false], [5.01, true]]],
  [':10', 0, 10, false, [[-0.01, true], [0, false], [10, false], [10.01, true]]],
  ['@0', 0, 0, true, [[0, true], [0.01, false], [-0.01, false]]],
  ['@~:0', -Infinity, 0, true, [[-5, true], [0, true], [0.01, false]]],
  ['.5', 0, 0.5, false, [[0.5, false], [0.51, true]]],
  ['0', 0, 0, false, [[0, false], [1, true], [-1, true]]],
];

describe('parseRange', () => {
  describe.each([...GUIDELINES, ...MORE])('%s', (spec, start, end, inside, values) => {
    const range = parseRange(spec);

    it(`reads start ${start}, end ${end}, inside ${inside}`, () => {
      expect(range).toEqual({ start, end, inside, text: spec });
    });

    it.each(values)('value %d alerts: %s', (value, alert) => {
      expect(alerts(range, value)).toBe(alert);
      expect(evaluate(value, { warning: range })).toBe(alert ? State.WARNING : State.OK);
      expect(evaluate(value, { critical: range })).toBe(alert ? State.CRITICAL : State.OK);
    });
  });

  it('trims surrounding whitespace and keeps the trimmed text for perfdata', () => {
    expect(parseRange('  10:20 \t')).toEqual({ start: 10, end: 20, inside: false, text: '10:20' });
    expect(parseRange(' @5 ')).toEqual({ start: 0, end: 5, inside: true, text: '@5' });
  });

  it('reads a lone start with a colon as "start to infinity" and a bare colon as 0..infinity', () => {
    expect(parseRange('~:')).toMatchObject({ start: -Infinity, end: Infinity });
    expect(parseRange('-3:')).toMatchObject({ start: -3, end: Infinity });
  });

  it.each([
    ['10:5', /'10:5'.*start 10 is greater than end 5/],
    ['abc', /'abc'.*'abc' is not a number/],
    ['1:2:3', /'1:2:3'.*more than one ':'/],
    ['@', /'@'.*empty/],
    ['', /''.*empty/],
    ['   ', /''.*empty/],
    ['1e3', /'1e3'.*not a number/],
    ['10:x', /'10:x'.*end 'x' is not a number/],
    ['x:10', /'x:10'.*start 'x' is not a number/],
    ['~', /'~'.*not a number/],
    ['10:~', /'10:~'.*not a number/],
    ['@@1', /'@@1'.*not a number/],
    ['0x10', /not a number/],
    ['1,5', /not a number/],
    ['Infinity', /not a number/],
    ['NaN', /not a number/],
    ['-', /not a number/],
    ['1 : 2', /not a number/],
  ])('rejects %j with a UsageError naming it', (spec, message) => {
    const attempt = () => parseRange(spec);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });

  it('starts the message with the option name when one is given', () => {
    expect(() => parseRange('10:5', 'critical')).toThrow(/^--critical: invalid threshold range '10:5': start 10 is greater than end 5$/);
    expect(() => parseRange('abc', 'warning')).toThrow(/^--warning: invalid threshold range 'abc'/);
    expect(() => parseRange('abc')).toThrow(/^invalid threshold range 'abc'/);
  });

  it('gives a UsageError, whose state is UNKNOWN', () => {
    try {
      parseRange('nope', 'critical');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).state).toBe(State.UNKNOWN);
    }
  });
});

describe('evaluate', () => {
  const warning = parseRange('5');
  const critical = parseRange('10');

  it.each([
    [0, State.OK],
    [5, State.OK],
    [6, State.WARNING],
    [10, State.WARNING],
    [11, State.CRITICAL],
    [-1, State.CRITICAL],
  ])('value %d with -w 5 -c 10 is %s', (value, state) => {
    expect(evaluate(value, { warning, critical })).toBe(state);
  });

  it('lets CRITICAL win when both ranges alert', () => {
    expect(evaluate(100, { warning: parseRange('1'), critical: parseRange('2') })).toBe(State.CRITICAL);
    // Even a critical range narrower than the warning range wins.
    expect(evaluate(3, { warning: parseRange('@0:10'), critical: parseRange('@3:3') })).toBe(State.CRITICAL);
  });

  it('is OK without thresholds, whatever the value', () => {
    for (const value of [-1e9, -1, 0, 1, 1e9]) {
      expect(evaluate(value, {})).toBe(State.OK);
      expect(evaluate(value, { warning: undefined, critical: undefined })).toBe(State.OK);
    }
  });

  it('uses only the range that is given', () => {
    expect(evaluate(11, { critical: parseRange('10') })).toBe(State.CRITICAL);
    expect(evaluate(11, { warning: parseRange('10') })).toBe(State.WARNING);
  });
});

describe('optionalRange', () => {
  it('is undefined for an empty, blank or missing value', () => {
    expect(optionalRange('', 'warning')).toBeUndefined();
    expect(optionalRange('  ', 'warning')).toBeUndefined();
    expect(optionalRange(undefined, 'warning')).toBeUndefined();
  });

  it('parses a given value and names the option when it is wrong', () => {
    expect(optionalRange('@1:2', 'warning')).toEqual({ start: 1, end: 2, inside: true, text: '@1:2' });
    expect(() => optionalRange('2:1', 'new-critical')).toThrow(/^--new-critical: invalid threshold range '2:1'/);
  });
});
