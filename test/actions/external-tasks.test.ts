import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionPlugin } from '../../src/actions/camunda-action';
import { externalTasksCheck } from '../../src/checks/external-tasks';
import { incidentsCheck } from '../../src/checks/incidents';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { expectUsageError, fullStatus, runInProcess } from '../support/run-plugin';

/*
 * camunda_action and failed external tasks, against the simulator's external task model
 * (src/simulator/external-tasks.ts; PUT /external-task/{id}/retries resolves the failedExternalTask
 * incident as ExternalTaskEntity#setRetriesAndManageIncidents does). Scenario
 * src/simulator/scenarios/sap-workers.json: process `shipping` (v1, v2) with the external tasks
 * `ServiceTask_BookDelivery` (system SAP, topic sap-delivery) and `ServiceTask_CheckCustomer` (CRM)
 * and the async service task `ServiceTask_PostInvoice` (SAP); failed: three SAP external tasks (one
 * in v1, two with JCO errors, one timeout), one CRM external task, one SAP job.
 */

const WORKERS = loadScenario('src/simulator/scenarios/sap-workers.json');
const PREFIX = 'CAMUNDA ACTION';
const cacheDir = privateCacheDir('action-external-');

let sim: RunningSimulator;
afterEach(() => sim?.close());

const action = (...args: string[]) => {
  const [subcommand = '', ...rest] = args;
  return runInProcess(actionPlugin, [subcommand, '--url', sim.url, '--cache-dir', cacheDir(), ...rest]);
};
const writes = () => sim.requests.filter((r) => r.method !== 'GET');
const count = async (path: string) => ((await (await fetch(`${sim.url}${path}`)).json()) as { count: number }).count;

describe('retry: failed external tasks of the selection', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario: WORKERS });
  });

  it('dry run: lists the failed jobs and external tasks of system SAP in every version, changes nothing', async () => {
    const run = await action('retry', '--system', 'SAP');
    expect(run.code).toBe(0);
    expect(run.status).toBe(`${PREFIX} OK - dry run, nothing changed: would retry 1 failed job, retry 3 failed external tasks of system SAP (add --apply to change)`);
    const tasks = run.details.filter((line) => line.startsWith('would retry: external task '));
    expect(tasks.map((line) => line.split(' ')[4])).toEqual(['ext-sap-1', 'ext-sap-2', 'ext-sap-v1']);
    expect(tasks[2]).toBe("would retry: external task ext-sap-v1 of ServiceTask_BookDelivery (topic sap-delivery) in shipping (v1): JCO_ERROR_COMMUNICATION: Connection refused by partner 'sapgw00'");
    expect(run.details.some((line) => line.includes('CheckCustomer'))).toBe(false);
    expect(writes()).toEqual([]);
    expect(await count('/incident/count')).toBe(5);
  });

  it('--apply gives them new retries, which resolves their incidents; the checks see it; a second run changes nothing', async () => {
    const incidentsBefore = await runInProcess(incidentsCheck, ['--url', sim.url]);
    expect(incidentsBefore.status).toMatch(/^CAMUNDA INCIDENTS WARNING - 5 open incidents/);
    const workersBefore = await runInProcess(externalTasksCheck, ['--url', sim.url, '--topic', 'sap-delivery']);
    expect(workersBefore.details.find((line) => line.startsWith("'sap-delivery'"))).toMatch(/^'sap-delivery': 1 waiting, 0 locked, 0 expired locks, 3 failed \(warning\), 0 retrying/);

    const run = await action('retry', '--system', 'SAP', '--retries', '2', '--apply');
    expect(run.code).toBe(0);
    expect(run.status).toBe(`${PREFIX} OK - retried 1 failed job, retried 3 failed external tasks of system SAP`);
    expect(run.details.filter((line) => line.startsWith('retried: external task '))).toHaveLength(3);
    expect(writes().filter((r) => r.path.startsWith('/external-task/')).map((r) => [r.path, r.body])).toEqual(
      ['ext-sap-1', 'ext-sap-2', 'ext-sap-v1'].map((id) => [`/external-task/${id}/retries`, { retries: 2 }]),
    );
    expect(await count('/external-task/count?noRetriesLeft=true')).toBe(1);
    expect(await count('/external-task/count?topicName=sap-delivery&withRetriesLeft=true&notLocked=true&active=true')).toBe(4);

    const incidents = await runInProcess(incidentsCheck, ['--url', sim.url]);
    expect(incidents.status).toMatch(/^CAMUNDA INCIDENTS WARNING - 1 open incident \(warning\)/);
    expect(incidents.details.filter((line) => line.startsWith('1 × failed'))).toEqual(['1 × failedExternalTask in shipping (v2) at ServiceTask_CheckCustomer 5m ago (new): CRM answered 500']);
    const workers = await runInProcess(externalTasksCheck, ['--url', sim.url, '--topic', 'sap-delivery']);
    // Failed no more: fetchable again, their locks ran out, retrying with the error message kept.
    expect(workers.details.find((line) => line.startsWith("'sap-delivery'"))).toMatch(/^'sap-delivery': 4 waiting, 0 locked, 3 expired locks, 0 failed, 3 retrying/);

    const again = await action('retry', '--system', 'SAP', '--apply');
    expect(again.code).toBe(0);
    expect(again.status).toBe(`${PREFIX} OK - nothing to change of system SAP`);
    expect(writes()).toHaveLength(4);
  });

  it('--only external-tasks and --message-like narrow to the JCO failures', async () => {
    const run = await action('retry', '--system', 'SAP', '--only', 'external-tasks', '--message-like', '%JCO_ERROR%', '--apply');
    expect(run.status).toBe(`${PREFIX} OK - retried 2 failed external tasks of system SAP`);
    expect(await count('/incident/count')).toBe(3);
    expect(writes().every((r) => r.path.startsWith('/external-task/'))).toBe(true);
  });

  it('-k and --activity-id select external tasks without models; a selection without failures is nothing to change', async () => {
    const byKey = await action('retry', '-k', 'shipping', '--only', 'external-tasks');
    expect(byKey.status).toBe(`${PREFIX} OK - dry run, nothing changed: would retry 4 failed external tasks in process definition shipping (add --apply to change)`);
    const crm = await action('retry', '--activity-id', 'ServiceTask_CheckCustomer', '--apply');
    expect(crm.status).toBe(`${PREFIX} OK - retried 1 failed external task of activity ServiceTask_CheckCustomer`);
    expectUsageError(await action('retry', '-k', 'orderToCash', '--only', 'external-tasks'), PREFIX, 'no job definition or failed external task in process definition orderToCash');
    expect(sim.requests.some((r) => r.path.endsWith('/xml'))).toBe(false);
  });

  it('--max-jobs counts failed jobs and external tasks together, before anything changes', async () => {
    const run = await action('retry', '--system', 'SAP', '--max-jobs', '3', '--apply');
    expectUsageError(run, PREFIX, '4 failed jobs and external tasks selected, more than --max-jobs 3: nothing changed');
    expect(writes()).toEqual([]);
  });
});

describe('resume --retry and the event handler retry the failed external tasks of the system too', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario: WORKERS });
  });

  it('HARD DOWN suspends the SAP job definitions (external tasks have none); HARD UP resumes and retries jobs and external tasks', async () => {
    const down = await action('event', '--system', 'SAP', '--state', 'DOWN', '--state-type', 'HARD', '--apply');
    expect(down.status).toBe(`${PREFIX} OK - suspended 2 job definitions of system SAP (HARD DOWN)`);
    const up = await action('event', '--system', 'SAP', '--state', 'UP', '--state-type', 'HARD', '--last-state', 'DOWN', '--last-state-type', 'HARD', '--apply');
    expect(up.status).toBe(`${PREFIX} OK - activated 2 job definitions, retried 1 failed job, retried 3 failed external tasks of system SAP (HARD UP)`);
    expect(await count('/incident/count')).toBe(1);
  });

  it('resume --retry, dry run and --max-jobs', async () => {
    const dry = await action('resume', '--system', 'SAP', '--retry');
    expect(dry.status).toBe(`${PREFIX} OK - dry run, nothing changed: would retry 1 failed job, retry 3 failed external tasks of system SAP, 2 job definitions already active (add --apply to change)`);
    expectUsageError(await action('resume', '--system', 'SAP', '--retry', '--max-jobs', '2', '--apply'), PREFIX, '4 failed jobs and external tasks selected, more than --max-jobs 2: nothing changed');
    // Without --retry no external task is read.
    await action('resume', '--system', 'SAP');
    expect(writes()).toEqual([]);
  });
});

describe('permissions', () => {
  it('a user without write permission: CRITICAL, the engine\'s reason, nothing changed', async () => {
    sim = await startSimulator({ scenario: WORKERS, auth: { username: 'monitoring', password: 'pw' }, denyWrites: true });
    const run = await action('retry', '--username', 'monitoring', '--password', 'pw', '--system', 'SAP', '--only', 'external-tasks', '--apply');
    expect(run.code).toBe(2);
    // The status line is cut at 200 characters; the engine's reason is in its whole text.
    const status = fullStatus(run);
    expect(status).toMatch(/^CAMUNDA ACTION CRITICAL - retry failed part way of system SAP: retried 0 of 3 failed external tasks \(1 failed, 2 not attempted\), not authorized \(HTTP 403\)/);
    expect(status).toContain("'UPDATE' permission on resource");
    const auth = { Authorization: `Basic ${Buffer.from('monitoring:pw').toString('base64')}` };
    expect(await (await fetch(`${sim.url}/incident/count`, { headers: auth })).json()).toEqual({ count: 5 });
  });
});
