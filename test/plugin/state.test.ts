import { describe, expect, it } from 'vitest';
import { State, stateName, worst } from '../../src/plugin/state';

const { OK, WARNING, CRITICAL, UNKNOWN } = State;

describe('State', () => {
  it('has the exit codes of the guidelines', () => {
    expect([OK, WARNING, CRITICAL, UNKNOWN]).toEqual([0, 1, 2, 3]);
  });

  it('names each state in upper case', () => {
    expect([OK, WARNING, CRITICAL, UNKNOWN].map(stateName)).toEqual(['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']);
  });
});

describe('worst', () => {
  it('is OK for no states', () => {
    expect(worst([])).toBe(OK);
  });

  // Every ordered pair; the expected winner follows max_state(): CRITICAL > WARNING > UNKNOWN > OK.
  it.each([
    [OK, OK, OK],
    [OK, UNKNOWN, UNKNOWN],
    [OK, WARNING, WARNING],
    [OK, CRITICAL, CRITICAL],
    [UNKNOWN, OK, UNKNOWN],
    [UNKNOWN, UNKNOWN, UNKNOWN],
    [UNKNOWN, WARNING, WARNING],
    [UNKNOWN, CRITICAL, CRITICAL],
    [WARNING, OK, WARNING],
    [WARNING, UNKNOWN, WARNING],
    [WARNING, WARNING, WARNING],
    [WARNING, CRITICAL, CRITICAL],
    [CRITICAL, OK, CRITICAL],
    [CRITICAL, UNKNOWN, CRITICAL],
    [CRITICAL, WARNING, CRITICAL],
    [CRITICAL, CRITICAL, CRITICAL],
  ])('worst(%s, %s) is %s', (a, b, expected) => {
    expect(worst([a, b])).toBe(expected);
  });

  it('takes any iterable and a single state', () => {
    expect(worst(new Set([OK, UNKNOWN, OK]))).toBe(UNKNOWN);
    expect(worst([WARNING])).toBe(WARNING);
    function* states() {
      yield OK;
      yield CRITICAL;
      yield UNKNOWN;
    }
    expect(worst(states())).toBe(CRITICAL);
  });

  it('does not rank by exit code: UNKNOWN (3) loses to WARNING (1) and CRITICAL (2)', () => {
    expect(worst([UNKNOWN, WARNING, OK])).toBe(WARNING);
    expect(worst([OK, OK, UNKNOWN, OK])).toBe(UNKNOWN);
    expect(worst([UNKNOWN, UNKNOWN, CRITICAL, WARNING])).toBe(CRITICAL);
  });
});
