import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { runBuilt } from '../support/executables';
import { fullStatus } from '../support/run-plugin';

/*
 * dist/camunda_action as a process, as an operator or an event handler runs it: the password from
 * the environment or a file and never in the output, the exit codes, and check_camunda_jobs naming
 * the system of each job definition the action suspended.
 */

const SAP = loadScenario('src/simulator/scenarios/sap-outage.json');
const PASSWORD = 'action-Secret-99';
const home = privateCacheDir('action-e2e-');

let sim: RunningSimulator;
beforeEach(async () => {
  sim = await startSimulator({ scenario: SAP, auth: { username: 'camunda-action', password: PASSWORD } });
});
afterEach(() => sim.close());

describe('camunda_action as a process', () => {
  it('suspends with the password from the environment; check_camunda_jobs then names the system of each suspended job definition', async () => {
    // HOME: the model cache of both commands lives below it (~/.cache/camunda-monitoring-plugins).
    const env = { CAMUNDA_PASSWORD: PASSWORD, HOME: home() };
    const run = await runBuilt('camunda_action', ['suspend', '--url', sim.url, '--username', 'camunda-action', '--system', 'SAP', '--apply'], env);
    expect(run.code).toBe(0);
    expect(run.status).toBe('CAMUNDA ACTION OK - suspended 4 job definitions of system SAP');
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);

    const models = sim.requests.filter((r) => r.path.endsWith('/xml')).length;
    const jobs = await runBuilt('check_camunda_jobs', ['--url', sim.url, '--username', 'camunda-action'], env);
    expect(jobs.status).toMatch(/4 suspended job definitions \(warning\)$/);
    const listed = jobs.details.filter((line) => / \(job definition /.test(line));
    expect(listed).toHaveLength(4);
    for (const line of listed) expect(line).toMatch(/\(job definition [0-9a-f-]+\), calls system SAP$/);
    // The models were cached by the action: the check read none again.
    expect(sim.requests.filter((r) => r.path.endsWith('/xml')).length).toBe(models);
  });

  it('exit 2 when a write fails, 3 for a selection error; the password file is never echoed', async () => {
    const passwordFile = join(home(), 'wrong-password');
    writeFileSync(passwordFile, 'not-the-password\n', { mode: 0o600 });
    const denied = await runBuilt('camunda_action', ['resume', '--url', sim.url, '--username', 'camunda-action', '--password-file', passwordFile, '--system', 'SAP'], { HOME: home() });
    expect(denied.code).toBe(3);
    expect(denied.status).toMatch(/^CAMUNDA ACTION UNKNOWN - authentication failed \(HTTP 401\)/);
    expect(denied.stdout).not.toContain('not-the-password');

    const none = await runBuilt('camunda_action', ['suspend', '--url', sim.url, '--username', 'camunda-action', '--activity-id', 'NoSuchTask', '--apply'], { CAMUNDA_PASSWORD: PASSWORD, HOME: home() });
    expect(none.code).toBe(3);
    expect(none.status).toBe('CAMUNDA ACTION UNKNOWN - no job definition of activity NoSuchTask: check the selection, nothing changed');

    await sim.close();
    sim = await startSimulator({ scenario: SAP, auth: { username: 'camunda-action', password: PASSWORD }, denyWrites: true });
    const forbidden = await runBuilt('camunda_action', ['stop', '--url', sim.url, '--username', 'camunda-action', '-k', 'orderToCash', '--apply'], { CAMUNDA_PASSWORD: PASSWORD });
    expect(forbidden.code).toBe(2);
    expect(fullStatus(forbidden)).toMatch(/^CAMUNDA ACTION CRITICAL - stop failed part way of process definition orderToCash: stopped 0 of 2 process definition versions \(1 failed, 1 not attempted\), not authorized \(HTTP 403\)/);
  });
});
