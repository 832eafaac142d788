import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { runBuilt } from '../support/executables';

/*
 * dist/camunda_action retrying failed external tasks of the simulator's external task model
 * (src/simulator/scenarios/sap-workers.json), and the built checks seeing the result.
 */

const WORKERS = loadScenario('src/simulator/scenarios/sap-workers.json');
const home = privateCacheDir('action-external-e2e-');

let sim: RunningSimulator;
beforeEach(async () => {
  sim = await startSimulator({ scenario: WORKERS });
});
afterEach(() => sim.close());

describe('camunda_action retry of external tasks as a process', () => {
  it('dry run changes nothing; --apply retries the failed SAP external tasks, check_camunda_incidents and check_camunda_external_tasks see them resolved', async () => {
    const env = { HOME: home() };
    const dry = await runBuilt('camunda_action', ['retry', '--url', sim.url, '--system', 'SAP', '--only', 'external-tasks'], env);
    expect(dry.code).toBe(0);
    expect(dry.status).toBe('CAMUNDA ACTION OK - dry run, nothing changed: would retry 3 failed external tasks of system SAP (add --apply to change)');
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    const before = await runBuilt('check_camunda_external_tasks', ['--url', sim.url, '--topic', 'sap-delivery'], env);
    expect(before.stdout).toMatch(/ sap-delivery_failed=3;0;;0 /);

    const run = await runBuilt('camunda_action', ['retry', '--url', sim.url, '--system', 'SAP', '--only', 'external-tasks', '--apply'], env);
    expect(run.code).toBe(0);
    expect(run.status).toBe('CAMUNDA ACTION OK - retried 3 failed external tasks of system SAP');

    const incidents = await runBuilt('check_camunda_incidents', ['--url', sim.url, '--incident-type', 'failedExternalTask'], env);
    expect(incidents.status).toMatch(/^CAMUNDA INCIDENTS WARNING - 1 open incident /);
    const after = await runBuilt('check_camunda_external_tasks', ['--url', sim.url, '--topic', 'sap-delivery'], env);
    expect(after.stdout).toMatch(/ sap-delivery_failed=0;0;;0 sap-delivery_retrying=3;/);
    expect(after.status).not.toMatch(/failed/);

    const again = await runBuilt('camunda_action', ['retry', '--url', sim.url, '--system', 'SAP', '--only', 'external-tasks', '--apply'], env);
    expect(again.code).toBe(0);
    expect(again.status).toBe('CAMUNDA ACTION OK - nothing to change of system SAP');

    const bounded = await runBuilt('camunda_action', ['retry', '--url', sim.url, '-k', 'shipping', '--max-jobs', '1', '--apply'], env);
    expect(bounded.code).toBe(3);
    expect(bounded.status).toMatch(/^CAMUNDA ACTION UNKNOWN - 2 failed jobs and external tasks selected, more than --max-jobs 1: nothing changed/);
  });
});
