import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { runBuilt } from '../support/executables';
import { validateQuery } from '../support/openapi';
import { expectUsageError, perfValue, expectCutStatus } from '../support/run-plugin';

/*
 * The built check_camunda_external_tasks and check_camunda_jobs --throughput, run as processes
 * against the simulator with src/simulator/scenarios/external-tasks.json (its README table):
 *   send-mail    12 waiting, the oldest created 25m ago, none locked: the worker is gone
 *   archive      3 waiting (up to 2m), 2 locked: healthy
 *   sap-booking  1 waiting (40s), 1 expired lock (ran out 3m ago, created 12m ago), 2 locked,
 *                1 backing off after a failure (locked, retries 2), 1 failed (retries 0)
 * Metrics: engine default stalled (two nodes, nothing executed in the last two reports; a timer
 * due 2h ago and an async job created 50m ago wait); engine busy
 * (executions reported 29m ago, none in the latest report); nometrics.
 */
const CHECK = 'check_camunda_external_tasks';

let engine: RunningSimulator;
let before721: RunningSimulator;
beforeAll(async () => {
  const scenario = loadScenario('src/simulator/scenarios/external-tasks.json');
  engine = await startSimulator({ scenario });
  before721 = await startSimulator({ scenario: { ...scenario, camundaVersion: '7.20.0' } });
});
afterAll(async () => {
  await engine?.close();
  await before721?.close();
});

describe('check_camunda_external_tasks', () => {
  it('finds the topic without worker, the failed task, and the healthy topic', async () => {
    const result = await runBuilt(CHECK, ['--url', engine.url]);
    expect(result.code).toBe(2);
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS CRITICAL - no worker fetches topic 'send-mail' (12 waiting, oldest 25m) (critical) / 'sap-booking': 1 failed (warning) / 'archive' 3 waiting, 2 locked");
    expect(perfValue(result, 'send-mail_waiting')).toBe(12);
    expect(perfValue(result, 'sap-booking_locked')).toBe(3);
    expect(perfValue(result, 'sap-booking_expired_locks')).toBe(1);
    expect(perfValue(result, 'sap-booking_retrying')).toBe(1);
    expect(perfValue(result, 'sap-booking_failed')).toBe(1);
    // The lapsed task waits since its lock ran out (3m), not since its creation (12m).
    expect(perfValue(result, 'sap-booking_oldest_waiting_age')).toBeGreaterThanOrEqual(180);
    expect(perfValue(result, 'sap-booking_oldest_waiting_age')).toBeLessThan(200);
    expect(result.details.slice(0, 3).map((line) => line.split(':')[0])).toEqual(["'send-mail'", "'sap-booking'", "'archive'"]);
    expect(result.stderr).toBe('');
  });

  it('sends only parameters the simulator applies and the API defines', async () => {
    const from = engine.requests.length;
    await runBuilt(CHECK, ['--url', engine.url, '-k', 'order', '--tenant-id', 'acme']);
    const requests = engine.requests.slice(from);
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) {
      expect(r.ignored, `${r.path} ${JSON.stringify(r.query)}`).toEqual([]);
      expect(r.status).toBe(200);
      expect(validateQuery('GET', r.path, r.query)).toEqual([]);
    }
  });

  it('narrows to the tasks of a process definition and tenant', async () => {
    const result = await runBuilt(CHECK, ['--url', engine.url, '-k', 'order', '--tenant-id', 'acme']);
    expect(result.code).toBe(0);
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS OK - 'archive' 3 waiting, 2 locked");
  });

  it('asks a named engine for its tasks and its version (below /engine/{name}, as the authentication filter needs it)', async () => {
    const from = engine.requests.length;
    const result = await runBuilt(CHECK, ['--url', engine.url, '--engine', 'busy']);
    expect(result.status).toBe('CAMUNDA EXTERNAL TASKS OK - no external tasks');
    const asked = engine.requests.slice(from).map((r) => `${r.engine ?? '(root)'} ${r.path} ${r.status}`);
    expect(asked.sort()).toEqual(['busy /external-task/topic-names 200', 'busy /version 200']);
  });

  it('refuses wrong command lines with one UNKNOWN line', async () => {
    for (const [args, message] of [
      [['-w', '10:5'], '--warning'],
      [['--stale', '0'], '--stale: must be at least 1 second'],
      [['--max-topics', '0'], "--max-topics: '0' is not a whole number from 1 to 200"],
      [['--missing-state', 'bogus'], "--missing-state: 'bogus' is not one of ok, warning, critical, unknown"],
      [['--topic', ''], '--topic: empty value'],
      [['--overdue-after', '5m'], 'overdue-after'],
    ] as const) {
      const result = await runBuilt(CHECK, ['--url', engine.url, ...args]);
      expect(result.code, args.join(' ')).toBe(3);
      // One status line; a wrong option adds the short usage as long output (test/support/run-plugin.ts).
      expectUsageError(result, 'CAMUNDA EXTERNAL TASKS', message);
      expect(result.stdout).toContain(message);
      expect(result.stderr).toBe('');
    }
  });

  it('reports a mistyped --topic', async () => {
    const result = await runBuilt(CHECK, ['--url', engine.url, '--topic', 'send-mial']);
    expect(result.code).toBe(3);
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS UNKNOWN - topic 'send-mial' has no external tasks (a typo, or no work now, see --missing-state) (unknown)");
  });

  it('says on an engine before 7.21 that the age of waiting tasks is unknown', async () => {
    const result = await runBuilt(CHECK, ['--url', before721.url, '--topic', 'send-mail']);
    expect(result.code).toBe(0);
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS OK - 'send-mail' 12 waiting, 0 locked");
    expect(result.details.at(-1)).toMatch(/^Camunda 7\.20\.0 records no creation time of external tasks/);
    expect(before721.requests.every((r) => r.status === 200)).toBe(true);
  });
});

describe('check_camunda_jobs --throughput', () => {
  it('calls a job executor stalled that executed nothing while a job waited through the window', async () => {
    const result = await runBuilt('check_camunda_jobs', ['--url', engine.url, '--throughput']);
    expect(result.code).toBe(2);
    expect(result.status).toMatch(/^CAMUNDA JOBS CRITICAL - job executor stalled: 2 jobs executable for more than 30m, none executed \(critical\), 2 executable, 2 overdue \(warning\)/);
    expect(perfValue(result, 'jobs_successful')).toBe(0);
  });

  it('does not when the executions are reported (the latest report empty is the reporting delay, not a stall)', async () => {
    const result = await runBuilt('check_camunda_jobs', ['--url', engine.url, '--engine', 'busy', '--throughput', '--jobs-rejected-warning', '10']);
    expectCutStatus(result, 
      'CAMUNDA JOBS WARNING - 2 executable, 1 overdue (warning), oldest waiting 2h, 0 failed, 0 retrying, 0 suspended job definitions, in 30m: 120 succeeded, 3 failed, 12 rejected (warning), 4 acquisition failures',
    );
  });

  it('says when the engine writes no metrics', async () => {
    const result = await runBuilt('check_camunda_jobs', ['--url', engine.url, '--engine', 'nometrics', '--throughput', '--overdue-warning', '']);
    expect(result.code).toBe(3);
    expect(result.status).toBe('CAMUNDA JOBS UNKNOWN - 1 executable, 1 overdue, oldest waiting 2h, 0 failed, 0 retrying, 0 suspended job definitions, no job metrics reported in the last 30m (unknown)');
  });
});
