import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { runBuilt, type ProcessRun } from '../support/executables';
import { declaredCauses, declaredFor, loadCauseScenario, requestsOf, type DeclaredCause } from '../support/incident-causes';

/*
 * check_camunda_definition, built, as a process against the cause scenarios of issue 15: the causes
 * of each definition's open incidents in its long output, a few requests at most, every count exact
 * against the scenario files (test/support/incident-causes.ts).
 */

const CHECK = 'check_camunda_definition';

interface DefinitionCause {
  readonly key: string;
  readonly count: number;
  readonly type: string;
  readonly activity: string;
  readonly versions: string;
  readonly message: string;
}

/** `  2400 × failedJob at ServiceTask_PostToSAP (v2, v3): Posting …` under `invoice (Invoice Receipt): …`. */
function causeLines(run: ProcessRun): DefinitionCause[] {
  const lines: DefinitionCause[] = [];
  let key = '';
  for (const line of run.details) {
    const definition = /^(\S+) \(.*\): \d+ instances/.exec(line);
    if (definition) key = definition[1]!;
    const cause = /^ {2}(\d+) × (\S+) at (\S+) \(([^)]*)\)(?: \(all tenants\))?: (.*)$/.exec(line);
    if (cause) lines.push({ key, count: Number(cause[1]), type: cause[2]!, activity: cause[3]!, versions: cause[4]!, message: cause[5]! });
  }
  return lines;
}

function expectExact(lines: readonly DefinitionCause[], declared: readonly DeclaredCause[]): DeclaredCause[] {
  return lines.map((line) => {
    const cause = declaredFor(line, declared);
    expect(cause, `a declared cause for ${line.key}: ${line.count} × ${line.type} at ${line.activity}: ${line.message}`).toBeDefined();
    expect(line.count, `${line.key} ${line.activity}`).toBe(cause!.count);
    return cause!;
  });
}

const outage = loadCauseScenario('outage');
const mixedDay = loadCauseScenario('mixedDay');
let outageSim: RunningSimulator;
let mixedDaySim: RunningSimulator;
beforeAll(async () => {
  outageSim = await startSimulator({ scenario: outage });
  mixedDaySim = await startSimulator({ scenario: mixedDay });
});
afterAll(() => Promise.all([outageSim?.close(), mixedDaySim?.close()]));

/** The long output's note on incidents with a message in causes not listed, as [unlisted, with a message]. */
function note(run: ProcessRun): [number, number] | undefined {
  const line = run.details.find((l) => l.startsWith('Causes: '));
  const match = line && /^Causes: (\d+) of the (\d+) open incidents with a message are in causes not listed/.exec(line);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

describe('check_camunda_definition with incident causes', () => {
  it('shows the outage under its definition, counted exactly, in both modes, with one list and two counts more', async () => {
    const declared = declaredCauses(outage);
    const expected = {
      counts: { '/process-definition': 1, '/process-instance/count': 1, '/incident/count': 3, '/job/count': 1, '/incident': 1 },
      statistics: { '/process-definition/statistics': 1, '/incident/count': 2, '/incident': 1 },
    };
    for (const mode of ['counts', 'statistics'] as const) {
      const { result, byPath } = await requestsOf(outageSim, () => runBuilt(CHECK, ['--url', outageSim.url, '--mode', mode, '-k', 'invoice']));
      expect(result.code, mode).toBe(0);
      const lines = causeLines(result);
      expect(lines.map((l) => [l.key, l.count, l.activity, l.versions]), mode).toEqual([['invoice', 2400, 'ServiceTask_PostToSAP', 'v2, v3']]);
      expectExact(lines, declared);
      // invoice v1's expression error, the one incident of invoice with a message not among the newest.
      expect(note(result), mode).toEqual([1, 2401]);
      // The newest page and the counts with a message and of the one cause found.
      expect(byPath, mode).toEqual(expected[mode]);
    }
  });

  it('shows the largest causes of the mixed day under their definitions, each counted exactly, in 6 requests', async () => {
    const { result, byPath } = await requestsOf(mixedDaySim, () => runBuilt(CHECK, ['--url', mixedDaySim.url]));
    const lines = causeLines(result);
    expect(lines.length).toBeGreaterThan(0);
    const shown = expectExact(lines, declaredCauses(mixedDay));
    expect(lines.map((l) => `${l.count} ${l.key}`)).toContain('230 shipping');
    const listed = shown.filter((c) => c.pattern !== undefined).reduce((n, c) => n + c.count, 0);
    expect(note(result)).toEqual([806 - listed, 806]);
    expect(byPath).toEqual({ '/process-definition/statistics': 1, '/incident': 1, '/incident/count': 1 + lines.length });
    expect(byPath['/incident/count']).toBeLessThanOrEqual(4);
  });
});
