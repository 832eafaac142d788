import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkScenario, formatCamundaDate, loadScenario, parseCamundaDate } from '../../src/simulator';
import { parseDuration } from '../../src/simulator/dates';
import { likeToRegExp, splitList } from '../../src/simulator/query';

describe('Camunda dates', () => {
  const instant = new Date('2024-03-01T23:30:05.007Z');

  it('formats with milliseconds and an offset without colon', () => {
    expect(formatCamundaDate(instant)).toBe('2024-03-01T23:30:05.007+0000');
    expect(formatCamundaDate(instant, '+0100')).toBe('2024-03-02T00:30:05.007+0100');
    expect(formatCamundaDate(instant, '-0530')).toBe('2024-03-01T18:00:05.007-0530');
  });

  it('parses its own format in any offset', () => {
    expect(parseCamundaDate('2024-03-02T00:30:05.007+0100')?.toISOString()).toBe(instant.toISOString());
    expect(parseCamundaDate('2024-03-01T18:00:05.007-0530')?.toISOString()).toBe(instant.toISOString());
  });

  it.each(['2024-03-01T23:30:05Z', '2024-03-01T23:30:05.007Z', '2024-03-01T23:30:05.007+01:00', '2024-03-01T23:30:05+0100', '2024-02-30T00:00:00.000+0000', '2024-13-01T00:00:00.000+0000', '2024-03-01T23:30:05.007+2500', ''])(
    'rejects %s',
    (value) => {
      expect(parseCamundaDate(value)).toBeUndefined();
    },
  );

  it('reads scenario durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1d6h')).toBe(30 * 3_600_000);
    expect(parseDuration('-5m')).toBe(-300_000);
    expect(parseDuration('0')).toBe(0);
    expect(() => parseDuration('5 minutes')).toThrow(/invalid duration '5 minutes'/);
    expect(() => parseDuration('')).toThrow(/invalid duration/);
  });
});

describe('query value helpers', () => {
  it('splits lists like Java String.split', () => {
    expect(splitList('a,b')).toEqual(['a', 'b']);
    expect(splitList('a,,b,')).toEqual(['a', '', 'b']);
    expect(splitList('')).toEqual(['']);
  });

  it('translates SQL LIKE', () => {
    expect(likeToRegExp('SAP%').test('SAP down')).toBe(true);
    expect(likeToRegExp('SAP%').test('The SAP')).toBe(false);
    expect(likeToRegExp('a_c').test('abc')).toBe(true);
    expect(likeToRegExp('a_c').test('abbc')).toBe(false);
    expect(likeToRegExp('100\\%').test('100%')).toBe(true);
    expect(likeToRegExp('100\\%').test('1000')).toBe(false);
    expect(likeToRegExp('%(x)%').test('a (x) b')).toBe(true);
    expect(likeToRegExp('%line%').test('first\nline two')).toBe(true);
  });
});

describe('scenario files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulator-scenario-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('loads a valid file', () => {
    const file = write('ok.json', JSON.stringify({ engines: [{ name: 'default', processDefinitions: [{ key: 'a', versions: [{ version: 1 }] }] }] }));
    expect(loadScenario(file).engines[0]!.name).toBe('default');
  });

  it('names the file and the entry when something is wrong', () => {
    expect(() => loadScenario(write('bad.json', '{ "engines": ['))).toThrow(/^cannot read scenario .*bad\.json: /);
    expect(() => checkScenario({ engines: [] }, 'x.json')).toThrow('x.json: (root): expected an object with a non-empty "engines" array');
    expect(() => checkScenario({ engines: [{ name: 'default', instances: [{ definition: 'a', started: '3 hours' }] }] })).toThrow(
      "scenario: engines[0].instances[0].started: invalid duration '3 hours'",
    );
    expect(() => checkScenario({ engines: [{ name: 'default', incidents: [{ instance: 'x', type: 'failedJob', activityId: 'A', message: 'm' }] }] })).toThrow(
      'engines[0].incidents[0].ago: required',
    );
    expect(() => checkScenario({ engines: [{ name: 'a' }, { name: 'a' }] })).toThrow("engines[1].name: duplicate engine name 'a'");
    expect(() => checkScenario({ engines: [{ name: 'default', instances: [{ definition: 'a', ref: 'r', count: 2 }] }] })).toThrow('"ref" and "id" need count 1');
  });
});
