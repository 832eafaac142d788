import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { icingaInstalled, icingaValue, startIcinga, type RunningIcinga } from '../support/icinga';

/*
 * The loop closed with a real Icinga 2: the host sap-prod (the SAP system the processes call) gets
 * its states through Icinga's API (process-check-result, as a passive check), and Icinga runs the
 * EventCommand camunda-action-host of icinga-templates/camunda-action.conf, i.e. dist/camunda_action
 * against the simulator. A SOFT DOWN changes nothing; the HARD DOWN suspends the job definitions of
 * the SAP calls; the HARD UP activates them and retries the failed jobs, so that
 * check_camunda_incidents and check_camunda_jobs, run by the same Icinga, are OK again.
 */

const installed = icingaInstalled();
const SAP = loadScenario('src/simulator/scenarios/sap-outage.json');
/** The action user's password: it must reach camunda_action through the environment only. */
const ACTION_PASSWORD = 'action-Secret-42';

let engine: RunningSimulator;
let icinga: RunningIcinga;
let cacheDir: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = async (path: string) => ((await (await fetch(`${engine.url}${path}`, { headers: { Authorization: `Basic ${Buffer.from(`camunda-action:${ACTION_PASSWORD}`).toString('base64')}` } })).json()) as { count: number }).count;

async function until(what: string, test: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}\n${icinga.log()}`);
    await sleep(200);
  }
}

interface HostState {
  state: number;
  state_type: number;
  check_attempt: number;
}

async function hostState(): Promise<HostState> {
  const answer = await icinga.api<{ results: { attrs: HostState }[] }>('GET', '/v1/objects/hosts/sap-prod?attrs=state&attrs=state_type&attrs=check_attempt');
  return answer.body.results[0]!.attrs;
}

/** A passive check result for sap-prod: 0 UP, 1 DOWN. */
async function report(exitStatus: 0 | 1, output: string): Promise<void> {
  const answer = await icinga.api('POST', '/v1/actions/process-check-result', {
    type: 'Host',
    filter: 'host.name == "sap-prod"',
    exit_status: exitStatus,
    plugin_output: output,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

function configuration(): string {
  return [
    'object Host "sap-prod" {',
    '  check_command = "dummy"',
    '  enable_active_checks = false',
    '  max_check_attempts = 2',
    '  event_command = "camunda-action-host"',
    `  vars.camunda_action_url = ${icingaValue(engine.url)}`,
    '  vars.camunda_action_username = "camunda-action"',
    `  vars.camunda_action_password = ${icingaValue(ACTION_PASSWORD)}`,
    '  vars.camunda_action_system = "SAP"',
    `  vars.camunda_action_cache_dir = ${icingaValue(cacheDir)}`,
    '  vars.camunda_action_timeout = 20',
    '  vars.camunda_action_apply = true',
    '}',
    'object Host "camunda" {',
    '  check_command = "dummy"',
    '  enable_active_checks = false',
    `  vars.camunda_url = ${icingaValue(engine.url)}`,
    '  vars.camunda_username = "camunda-action"',
    `  vars.camunda_password = ${icingaValue(ACTION_PASSWORD)}`,
    '}',
    'object Service "incidents" {\n  host_name = "camunda"\n  check_command = "camunda-incidents"\n  check_interval = 1h\n}',
    'object Service "jobs" {\n  host_name = "camunda"\n  check_command = "camunda-jobs"\n  check_interval = 1h\n}',
  ].join('\n');
}

if (!installed) console.warn('icinga2 is not installed (apt-get install icinga2): the event handler end-to-end test is skipped here; CI installs it');

describe.skipIf(!installed)('a real Icinga 2 runs camunda_action as the event handler of the SAP host', () => {
  beforeAll(async () => {
    engine = await startSimulator({ scenario: SAP, auth: { username: 'camunda-action', password: ACTION_PASSWORD } });
    cacheDir = mkdtempSync(join(tmpdir(), 'icinga-action-cache-'));
    icinga = await startIcinga({
      templates: ['camunda-connection.conf', 'camunda-incidents.conf', 'camunda-jobs.conf', 'camunda-action.conf'],
      objects: configuration(),
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([icinga?.stop(), engine?.close()]);
    if (cacheDir !== undefined) rmSync(cacheDir, { recursive: true, force: true });
  }, 30_000);

  it('before the outage: incidents of the failed SAP calls, no suspended job definition', async () => {
    // A first result for sap-prod: from no result at all, Icinga would take a DOWN as HARD at once.
    await report(0, 'OK - sapgw00 answers');
    await until('sap-prod has its first result, UP', async () => (await hostState()).check_attempt === 1 && (await hostState()).state === 0);
    const results = await icinga.checkNow([{ host: 'camunda', service: 'incidents' }, { host: 'camunda', service: 'jobs' }]);
    expect(results.get('camunda!incidents')!.output).toMatch(/^CAMUNDA INCIDENTS WARNING - 3 open incidents/);
    expect(results.get('camunda!jobs')!.output).toMatch(/0 suspended job definitions/);
  }, 40_000);

  it('a SOFT DOWN changes nothing', async () => {
    await report(1, 'CRITICAL - sapgw00 refuses connections');
    await until('sap-prod is SOFT DOWN', async () => {
      const state = await hostState();
      return state.state === 1 && state.state_type === 0;
    });
    // Icinga runs the handler at once on the state change; give it time to act, were it to.
    await sleep(3_000);
    expect(engine.requests.filter((r) => r.method === 'PUT')).toEqual([]);
    expect(await count('/job-definition/count?suspended=true')).toBe(0);
  }, 30_000);

  it('the HARD DOWN suspends the job definitions of the SAP calls, with their jobs', async () => {
    await report(1, 'CRITICAL - sapgw00 refuses connections');
    await until('sap-prod is HARD DOWN', async () => (await hostState()).state_type === 1);
    await until('the SAP job definitions are suspended', async () => (await count('/job-definition/count?suspended=true')) === 4);
    expect(await count('/job-definition/count?suspended=true&activityIdIn=ServiceTask_CheckCredit')).toBe(0);
    expect(await count('/job/count?suspended=true')).toBe(5);
    const writes = engine.requests.filter((r) => r.method === 'PUT');
    expect(writes.map((r) => r.body)).toEqual(Array(4).fill({ suspended: true, includeJobs: true, executionDate: null }));
    // The password went through the environment: the request carried it, no command line did.
    expect(icinga.log()).not.toContain(ACTION_PASSWORD);
  }, 40_000);

  it('the HARD UP activates them and retries the failed jobs: incidents and jobs checks are OK again', async () => {
    await report(0, 'OK - sapgw00 answers');
    await until('sap-prod is UP', async () => (await hostState()).state === 0);
    await until('the SAP job definitions are active and the failed jobs retried', async () => (await count('/job-definition/count?suspended=true')) === 0 && (await count('/incident/count')) === 0);
    expect(await count('/job/count?noRetriesLeft=true')).toBe(0);
    expect(await count('/job/count?suspended=true')).toBe(0);
    const results = await icinga.checkNow([{ host: 'camunda', service: 'incidents' }, { host: 'camunda', service: 'jobs' }]);
    expect(results.get('camunda!incidents')!.output).toMatch(/^CAMUNDA INCIDENTS OK - no open incidents/);
    expect(results.get('camunda!jobs')!.output).toMatch(/^CAMUNDA JOBS OK - .*0 failed, 3 retrying, 0 suspended job definitions/);
  }, 40_000);

  it('Icinga logged no warning or error about the configuration or the event handler', () => {
    expect(icinga.log().split('\n').filter((line) => /^\[[^\]]+\] (warning|critical)\//.test(line))).toEqual([]);
  });
});
