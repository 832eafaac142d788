import { describe, expect, it } from 'vitest';
import { boundedLabelPart, formatLabel, formatNumber, formatPerfdata, formatPerfdataList, UNITS, type Unit } from '../../src/plugin/perfdata';
import { parseRange } from '../../src/plugin/range';

describe('formatPerfdata', () => {
  it('writes label=value;warn;crit;min', () => {
    expect(formatPerfdata({ label: 'incidents', value: 5, warning: parseRange('0'), critical: parseRange('10'), min: 0 })).toBe(
      'incidents=5;0;10;0',
    );
  });

  it('writes all five fields when all are given', () => {
    expect(
      formatPerfdata({ label: 'load', value: 50, unit: '%', warning: parseRange('80'), critical: parseRange('90'), min: 0, max: 100 }),
    ).toBe('load=50%;80;90;0;100');
  });

  it('trims empty fields at the end but keeps empty inner ones', () => {
    expect(formatPerfdata({ label: 'new_incidents', value: 3, min: 0 })).toBe('new_incidents=3;;;0');
    expect(formatPerfdata({ label: 'x', value: 1 })).toBe('x=1');
    expect(formatPerfdata({ label: 'x', value: 1, warning: parseRange('5') })).toBe('x=1;5');
    expect(formatPerfdata({ label: 'x', value: 1, critical: parseRange('5') })).toBe('x=1;;5');
    expect(formatPerfdata({ label: 'x', value: 1, max: 9 })).toBe('x=1;;;;9');
    expect(formatPerfdata({ label: 'x', value: 0, warning: undefined, critical: undefined, min: 0, max: 0 })).toBe('x=0;;;0;0');
  });

  it('writes ranges in the canonical form of the guidelines', () => {
    expect(formatPerfdata({ label: 'a', value: 15, warning: parseRange('@10:20'), critical: parseRange('~:5') })).toBe('a=15;@10:20;~:5');
    expect(formatPerfdata({ label: 'a', value: 1, warning: parseRange('10:'), critical: parseRange(' -1.5:+2 ') })).toBe('a=1;10:;-1.5:2');
    expect(formatPerfdata({ label: 'a', value: 1, warning: parseRange(':5'), critical: parseRange('+5') })).toBe('a=1;5;5');
    expect(formatPerfdata({ label: 'a', value: 1, warning: parseRange('5.'), critical: parseRange('.5:') })).toBe('a=1;5;0.5:');
    expect(formatPerfdata({ label: 'a', value: 1, warning: parseRange('@0:3'), critical: parseRange('0:') })).toBe('a=1;@3;0:');
    expect(formatPerfdata({ label: 'a', value: 1, warning: parseRange('@~:-2') })).toBe('a=1;@~:-2');
  });

  it.each([
    ['s', 'age=12s;;;0'],
    ['ms', 'age=12ms;;;0'],
    ['us', 'age=12us;;;0'],
    ['%', 'age=12%;;;0'],
    ['B', 'age=12B;;;0'],
    ['KB', 'age=12KB;;;0'],
    ['MB', 'age=12MB;;;0'],
    ['GB', 'age=12GB;;;0'],
    ['TB', 'age=12TB;;;0'],
    ['c', 'age=12c;;;0'],
    ['', 'age=12;;;0'],
  ] as const)('puts unit %j after the value only', (unit, expected) => {
    expect(formatPerfdata({ label: 'age', value: 12, unit, min: 0 })).toBe(expected);
  });

  it('knows exactly the units of the guidelines', () => {
    expect([...UNITS].sort()).toEqual(['', '%', 'B', 'GB', 'KB', 'MB', 'TB', 'c', 'ms', 's', 'us'].sort());
  });

  it.each(['kg', 'S', 'sec', 'min', 'kb', ' s'])('rejects unknown unit %j', (unit) => {
    expect(() => formatPerfdata({ label: 'x', value: 1, unit: unit as Unit })).toThrow(`unit '${unit}' is not allowed in perfdata`);
  });

  it.each([NaN, Infinity, -Infinity])('rejects the non-finite value %d', (value) => {
    expect(() => formatPerfdata({ label: 'x', value })).toThrow(/not a finite number/);
    expect(() => formatPerfdata({ label: 'x', value: 1, min: value })).toThrow(/not a finite number/);
    expect(() => formatPerfdata({ label: 'x', value: 1, max: value })).toThrow(/not a finite number/);
  });
});

describe('formatLabel', () => {
  it.each([
    ['incidents', 'incidents'],
    ['oldest_incident_age', 'oldest_incident_age'],
    ['a.b-c/d:e', 'a.b-c/d:e'],
    ['open incidents', "'open incidents'"],
    ["it's", "'it''s'"],
    ["''", "''''''"],
    ['Größe', "'Größe'"],
    ['事件', "'事件'"],
    ['🔥', "'🔥'"],
    ['a=b', 'a_b'],
    ['a|b', 'a_b'],
    ['a\nb', 'a_b'],
    ['a\r\nb', 'a__b'],
    ['tab\there', 'tab_here'],
    ['x=1 | y', "'x_1 _ y'"],
    ['=', '_'],
    // Invisible or reordering characters would make a graph's label read other than it is.
    ['rtl\u202Eevil', 'rtl_evil'],
    ['zero\u200Bwidth', 'zero_width'],
    ['line\u2028sep', 'line_sep'],
    ['c1\u0085next', 'c1_next'],
    ['bom\uFEFF', 'bom_'],
  ])('%j → %s', (label, expected) => {
    expect(formatLabel(label)).toBe(expected);
  });

  it('rejects an empty label', () => {
    expect(() => formatLabel('')).toThrow('a perfdata label must not be empty');
    expect(() => formatPerfdata({ label: '', value: 1 })).toThrow(/empty/);
  });

  it('quotes the label inside a whole item', () => {
    expect(formatPerfdata({ label: "Bob's queue", value: 2, unit: 'c' })).toBe("'Bob''s queue'=2c");
  });
});

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [5, '5'],
    [-5, '-5'],
    [1.5, '1.5'],
    [-2.25, '-2.25'],
    [0.1 + 0.2, '0.3'],
    [1 / 3, '0.333333'],
    [2 / 3, '0.666667'],
    [0.000001, '0.000001'],
    [123456789.123456789, '123456789.123457'],
    [1e20, '100000000000000000000'],
    [1e21, '1000000000000000000000'],
    [-1e21, '-1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [2 ** 53, '9007199254740992'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    // Six decimals are kept: anything smaller rounds to zero, written without a sign.
    [1e-7, '0'],
    [-1e-7, '0'],
    [4e-7, '0'],
    [6e-7, '0.000001'],
    [1.5e-5, '0.000015'],
  ])('%d → %s', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it('never writes an exponent', () => {
    for (const value of [1e-7, 1e-300, 5e-324, 1e21, 1e100, -1e300, Number.MAX_VALUE, 1.7976931348623157e308, 123e25]) {
      const text = formatNumber(value);
      expect(text, String(value)).toMatch(/^-?\d+(\.\d+)?$/);
    }
    expect(formatNumber(Number.MAX_VALUE)).toBe('17976931348623157' + '0'.repeat(292));
    expect(formatNumber(Number.MAX_VALUE)).toHaveLength(309);
  });

  it('rejects non-finite values', () => {
    expect(() => formatNumber(NaN)).toThrow('perfdata value NaN is not a finite number');
    expect(() => formatNumber(Infinity)).toThrow('perfdata value Infinity is not a finite number');
  });

  it('writes exponent values in full inside perfdata', () => {
    expect(formatPerfdata({ label: 'bytes', value: 2e21, unit: 'B', min: 0, max: 1e22 })).toBe(
      'bytes=2000000000000000000000B;;;0;10000000000000000000000',
    );
  });
});

describe('formatPerfdataList', () => {
  it('joins items with one space', () => {
    expect(
      formatPerfdataList([
        { label: 'incidents', value: 5, warning: parseRange('0'), min: 0 },
        { label: 'new_incidents', value: 3, min: 0 },
        { label: 'oldest incident age', value: 3600, unit: 's', min: 0 },
      ]),
    ).toBe("incidents=5;0;;0 new_incidents=3;;;0 'oldest incident age'=3600s;;;0");
  });

  it('is empty for no items', () => {
    expect(formatPerfdataList([])).toBe('');
  });

  it('rejects a label used twice', () => {
    expect(() => formatPerfdataList([{ label: 'a', value: 1 }, { label: 'b', value: 2 }, { label: 'a', value: 3 }])).toThrow(
      'duplicate perfdata label a',
    );
  });

  it('rejects labels that become the same once written', () => {
    expect(() => formatPerfdataList([{ label: 'a=b', value: 1 }, { label: 'a|b', value: 2 }])).toThrow('duplicate perfdata label a_b');
  });

  it('accepts labels that differ only in case', () => {
    expect(formatPerfdataList([{ label: 'a', value: 1 }, { label: 'A', value: 2 }])).toBe('a=1 A=2');
  });
});

describe('boundedLabelPart', () => {
  it('keeps a short part as it is', () => {
    expect(boundedLabelPart('invoice@acme', 100)).toBe('invoice@acme');
    expect(boundedLabelPart('x'.repeat(100), 100)).toBe('x'.repeat(100));
  });

  it('keeps the beginning of a long part plus a hash of the whole: same input, same label; other input, other label', () => {
    const a = boundedLabelPart('x'.repeat(300), 100);
    expect(a).toMatch(/^x{91}~[0-9a-f]{8}$/);
    expect(Array.from(a)).toHaveLength(100);
    expect(boundedLabelPart('x'.repeat(300), 100)).toBe(a);
    expect(boundedLabelPart(`${'x'.repeat(299)}y`, 100)).not.toBe(a);
  });

  it('counts characters, never splitting a surrogate pair', () => {
    const part = boundedLabelPart('😀'.repeat(200), 20);
    expect(part.startsWith('😀'.repeat(11) + '~')).toBe(true);
  });
});

