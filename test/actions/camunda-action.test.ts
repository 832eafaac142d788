import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionPlugin } from '../../src/actions/camunda-action';
import { likePattern } from '../../src/actions/job-definitions';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { expectUsageError, runInProcess, fullStatus } from '../support/run-plugin';

/*
 * camunda_action against the simulator, whose write endpoints follow the engine's semantics
 * (test/simulator/writes.test.ts): what a dry run shows and leaves alone, what --apply changes
 * and reports, idempotency, the bounds, failures part way and the event handler's decisions.
 */

const SAP = loadScenario('src/simulator/scenarios/sap-outage.json');
const PREFIX = 'CAMUNDA ACTION';
const cacheDir = privateCacheDir('action-cache-');

let sim: RunningSimulator;
afterEach(() => sim?.close());

const action = (...args: string[]) => {
  const [subcommand = '', ...rest] = args;
  // stop and start read no models.
  const cache = subcommand === 'stop' || subcommand === 'start' ? [] : ['--cache-dir', cacheDir()];
  return runInProcess(actionPlugin, [subcommand, '--url', sim.url, ...cache, ...rest]);
};
const writes = () => sim.requests.filter((r) => r.method !== 'GET');
const count = async (path: string) => ((await (await fetch(`${sim.url}${path}`)).json()) as { count: number }).count;

describe('suspend and resume the calls to a target system', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario: SAP });
  });

  it('dry run: lists the job definitions of system SAP in every version, changes nothing', async () => {
    const run = await action('suspend', '--system', 'SAP');
    expect(run.code).toBe(0);
    expect(run.status).toBe(`${PREFIX} OK - dry run, nothing changed: would suspend 4 job definitions of system SAP (add --apply to change)`);
    const listed = run.details.filter((line) => line.startsWith('would suspend: '));
    expect(listed).toHaveLength(4);
    expect(listed.filter((line) => line.includes('ServiceTask_PostOrder "Post order to SAP"'))).toHaveLength(2);
    expect(listed.filter((line) => line.includes('ServiceTask_ReserveStock'))).toHaveLength(2);
    expect(run.details.some((line) => line.includes('CheckCredit'))).toBe(false);
    expect(listed.find((line) => line.startsWith('would suspend: orderToCash (v2): ServiceTask_PostOrder'))).toMatch(/: 3 active jobs, 2 failed jobs$/);
    expect(writes()).toEqual([]);
    expect(await count('/job-definition/count?suspended=true')).toBe(0);
  });

  it('--apply suspends them with their jobs, reports each, and a second run finds them already suspended', async () => {
    const run = await action('suspend', '--system', 'sap', '--apply');
    expect(run.code).toBe(0);
    expect(run.status).toBe(`${PREFIX} OK - suspended 4 job definitions of system sap`);
    expect(run.details.filter((line) => line.startsWith('suspended: '))).toHaveLength(4);
    expect(writes().map((r) => [r.method, r.path.replace(/[^/]+\/suspended$/, '{id}/suspended'), r.body])).toEqual(
      Array(4).fill(['PUT', '/job-definition/{id}/suspended', { suspended: true, includeJobs: true, executionDate: null }]),
    );
    expect(await count('/job-definition/count?suspended=true')).toBe(4);
    expect(await count('/job/count?suspended=true')).toBe(5);
    // The CRM calls go on.
    expect(await count('/job/count?activityId=ServiceTask_CheckCredit&active=true')).toBe(1);

    const again = await action('suspend', '--system', 'SAP', '--apply');
    expect(again.code).toBe(0);
    expect(again.status).toBe(`${PREFIX} OK - nothing to change of system SAP: 4 job definitions already suspended`);
    expect(writes()).toHaveLength(4);
  });

  it('resume --retry activates them and retries their failed jobs one by one, which resolves the incidents', async () => {
    await action('suspend', '--system', 'SAP', '--apply');
    expect(await count('/incident/count')).toBe(3);
    const dry = await action('resume', '--system', 'SAP', '--retry');
    expect(dry.status).toBe(`${PREFIX} OK - dry run, nothing changed: would activate 4 job definitions, retry 3 failed jobs of system SAP (add --apply to change)`);
    const run = await action('resume', '--system', 'SAP', '--retry', '--retries', '2', '--apply');
    expect(run.code).toBe(0);
    expect(run.status).toBe(`${PREFIX} OK - activated 4 job definitions, retried 3 failed jobs of system SAP`);
    expect(run.details.filter((line) => line.startsWith('retried: job '))).toHaveLength(3);
    expect(writes().filter((r) => r.path.endsWith('/retries')).map((r) => r.body)).toEqual([{ retries: 2 }, { retries: 2 }, { retries: 2 }]);
    expect(await count('/incident/count')).toBe(0);
    expect(await count('/job-definition/count?suspended=true')).toBe(0);
    expect(await count('/job/count?suspended=true')).toBe(0);

    const again = await action('resume', '--system', 'SAP', '--retry', '--apply');
    expect(again.status).toBe(`${PREFIX} OK - nothing to change of system SAP: 4 job definitions already active`);
  });

  it('selects by naming convention on activity id and name, narrowed by key', async () => {
    const run = await action('suspend', '--activity-match', 'credit', '-k', 'orderToCash');
    expect(run.status).toBe(`${PREFIX} OK - dry run, nothing changed: would suspend 2 job definitions of activities matching /credit/ in process definition orderToCash (add --apply to change)`);
    const byName = await action('suspend', '--activity-match', '^Reserve stock$');
    expect(byName.details.filter((line) => line.startsWith('would suspend: '))).toHaveLength(2);
  });

  it('--max-affected: more matches end UNKNOWN and change nothing', async () => {
    const run = await action('suspend', '--system', 'SAP', '--max-affected', '3', '--apply');
    expectUsageError(run, PREFIX, '4 job definitions selected, more than --max-affected 3: nothing changed');
    expect(writes()).toEqual([]);
  });

  it('--max-jobs bounds the retries before anything changes', async () => {
    const run = await action('resume', '--system', 'SAP', '--retry', '--max-jobs', '2', '--apply');
    expectUsageError(run, PREFIX, '3 failed jobs selected, more than --max-jobs 2: nothing changed');
    expect(writes()).toEqual([]);
  });

  it('a selection that matches nothing is an error, not "all well"', async () => {
    const run = await action('suspend', '--system', 'MAINFRAME', '--apply');
    expectUsageError(run, PREFIX, "no job definition of system MAINFRAME (BPMN property 'system' on the calling element): check the selection, nothing changed");
  });
});

describe('retry', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario: SAP });
  });

  it('retries the failed jobs of an activity whose message is LIKE the pattern, nothing else', async () => {
    const run = await action('retry', '--activity-id', 'ServiceTask_PostOrder', '--message-like', '%JCO_ERROR_COMMUNICATION%', '--only', 'jobs', '--apply');
    expect(run.code).toBe(0);
    expect(run.status).toBe(`${PREFIX} OK - retried 2 failed jobs of activity ServiceTask_PostOrder`);
    expect(await count('/incident/count')).toBe(1);
    const timeouts = await action('retry', '--system', 'SAP', '--message-like', 'java.net.Socket%', '--only', 'jobs');
    expect(timeouts.status).toContain('would retry 1 failed job of system SAP');
  });

  it('LIKE patterns: % any text, _ one character, everything else literal', () => {
    expect(likePattern('%timed out').test('java.net.SocketTimeoutException: Read timed out')).toBe(true);
    expect(likePattern('a_c').test('abc')).toBe(true);
    expect(likePattern('a_c').test('abbc')).toBe(false);
    expect(likePattern('(.*)').test('x')).toBe(false);
    expect(likePattern('%\nline%').test('first\nline two')).toBe(true);
  });
});

describe('stop and start process definitions', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario: SAP });
  });

  it('stop suspends every version with its instances; start activates them and says it activates the job definitions too', async () => {
    const stop = await action('stop', '-k', 'orderToCash', '--apply');
    expect(stop.status).toBe(`${PREFIX} OK - stopped 2 process definition versions of process definition orderToCash`);
    expect(writes().map((r) => r.body)).toEqual(Array(2).fill({ suspended: true, includeProcessInstances: true, executionDate: null }));
    expect(await count('/process-instance/count?active=true')).toBe(0);
    expect((await action('stop', '-k', 'orderToCash', '--apply')).status).toBe(`${PREFIX} OK - nothing to change of process definition orderToCash: 2 process definition versions already stopped`);
    const start = await action('start', '-k', 'orderToCash', '--apply');
    expect(start.status).toBe(`${PREFIX} OK - started 2 process definition versions of process definition orderToCash`);
    expect(start.details.at(-1)).toMatch(/^Starting also activates 6 suspended job definitions/);
    expect(await count('/process-instance/count?suspended=true')).toBe(0);
  });

  it('a key that is not deployed changes nothing', async () => {
    expectUsageError(await action('stop', '-k', 'orderToCash', '-k', 'nope', '--apply'), PREFIX, "no process definition is deployed with the key 'nope'");
    expect(writes()).toEqual([]);
  });
});

describe('failures', () => {
  it('a user without write permission: CRITICAL (exit 2), saying what was applied (nothing) and the engine\'s reason', async () => {
    sim = await startSimulator({ scenario: SAP, auth: { username: 'monitoring', password: 'not-the-action-user' }, denyWrites: true });
    const run = await runInProcess(actionPlugin, ['suspend', '--url', sim.url, '--cache-dir', cacheDir(), '--username', 'monitoring', '--password', 'not-the-action-user', '--system', 'SAP', '--apply']);
    expect(run.code).toBe(2);
    expect(run.status).toMatch(/^CAMUNDA ACTION CRITICAL - suspend failed part way of system SAP: suspended 0 of 4 job definitions \(1 failed, 3 not attempted\), not authorized \(HTTP 403\)/);
    expect(fullStatus(run)).toContain("'UPDATE' permission on resource 'orderToCash'");
    expect(fullStatus(run)).toContain('grant the action user');
    expect(run.stdout).not.toContain('not-the-action-user');
    expect(run.details.filter((line) => line.startsWith('FAILED: '))).toHaveLength(1);
    expect(run.details.filter((line) => line.startsWith('not attempted: '))).toHaveLength(3);
  });
});

describe('event: the event handler', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario: SAP });
  });

  it('does nothing on a SOFT state, not even a request', async () => {
    const run = await action('event', '--system', 'SAP', '--state', 'DOWN', '--state-type', 'SOFT', '--attempt', '2', '--apply');
    expect(run.code).toBe(0);
    expect(run.status).toBe(`${PREFIX} OK - SOFT DOWN (attempt 2): nothing done, a SOFT state may pass (the action waits for a HARD state)`);
    expect(sim.requests).toEqual([]);
  });

  it('suspends on HARD DOWN, resumes and retries on HARD UP', async () => {
    const down = await action('event', '--system', 'SAP', '--state', 'down', '--state-type', 'hard', '--apply');
    expect(down.status).toBe(`${PREFIX} OK - suspended 4 job definitions of system SAP (HARD DOWN)`);
    expect(await count('/job-definition/count?suspended=true')).toBe(4);
    const up = await action('event', '--system', 'SAP', '--state', 'UP', '--state-type', 'HARD', '--apply');
    expect(up.status).toBe(`${PREFIX} OK - activated 4 job definitions, retried 3 failed jobs of system SAP (HARD UP)`);
    expect(await count('/incident/count')).toBe(0);
  });

  it('resumes only on the recovery from a HARD problem (--last-state, --last-state-type)', async () => {
    // Icinga 2 runs the handler on the first result of a new host: UP after its initial SOFT DOWN.
    const first = await action('event', '--system', 'SAP', '--state', 'UP', '--state-type', 'HARD', '--last-state', 'DOWN', '--last-state-type', 'SOFT', '--apply');
    expect(first.status).toBe(`${PREFIX} OK - HARD UP after SOFT DOWN: nothing done, nothing was suspended for a SOFT state`);
    const steady = await action('event', '--system', 'SAP', '--state', 'OK', '--state-type', 'HARD', '--last-state', 'OK', '--apply');
    expect(steady.status).toBe(`${PREFIX} OK - HARD OK after OK: nothing done, no recovery`);
    expect(sim.requests).toEqual([]);
    const recovery = await action('event', '--system', 'SAP', '--state', 'UP', '--state-type', 'HARD', '--last-state', 'DOWN', '--last-state-type', 'HARD');
    expect(recovery.status).toBe(`${PREFIX} OK - dry run, nothing changed: would retry 3 failed jobs of system SAP (HARD UP), 4 job definitions already active (add --apply to change)`);
  });

  it('service states: HARD CRITICAL suspends, HARD WARNING does nothing', async () => {
    expect((await action('event', '--system', 'SAP', '--state', 'CRITICAL', '--state-type', 'HARD')).status).toContain('would suspend 4 job definitions');
    expect((await action('event', '--system', 'SAP', '--state', 'WARNING', '--state-type', 'HARD', '--apply')).status).toBe(
      `${PREFIX} OK - HARD WARNING: nothing done (HARD CRITICAL, DOWN or UNREACHABLE suspend, HARD OK or UP resume)`,
    );
    expect(writes()).toEqual([]);
  });

  it('refuses states it does not know', async () => {
    expectUsageError(await action('event', '--system', 'SAP', '--state', '$host.state$', '--state-type', 'HARD'), PREFIX, 'is not a host or service state');
    expectUsageError(await action('event', '--system', 'SAP', '--state', 'DOWN', '--state-type', 'MAYBE'), PREFIX, 'is neither SOFT nor HARD');
  });
});

describe('command line', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario: SAP });
  });

  it('needs a subcommand and a selection', async () => {
    expectUsageError(await runInProcess(actionPlugin, ['--system', 'SAP']), PREFIX, 'the first argument must be a subcommand: suspend, resume, retry, stop, start, event');
    expectUsageError(await action('suspend'), PREFIX, 'select what to act on: --system, --activity-match, --activity-id or -k/--process-definition-key');
    expectUsageError(await action('stop'), PREFIX, 'stop needs -k/--process-definition-key');
    expectUsageError(await action('suspend', '--activity-match', '('), PREFIX, "--activity-match: '(' is not a regular expression");
    expectUsageError(await action('retry', '--system', 'SAP', '--only', 'everything'), PREFIX, "--only: 'everything' is not one of jobs, external-tasks, both");
    expectUsageError(await action('suspend', '--system', 'SAP', '--retry'), PREFIX, 'unknown option --retry');
    expect(sim.requests).toEqual([]);
  });

  it('has help per subcommand and in general, and a version', async () => {
    const general = await runInProcess(actionPlugin, ['--help']);
    expect(general.stdout).toContain('Usage: camunda_action SUBCOMMAND [options]');
    const help = await runInProcess(actionPlugin, ['resume', '--help']);
    expect(help.stdout).toContain('Usage: camunda_action resume [--url URL]');
    expect(help.stdout).toContain('--retry');
    expect((await runInProcess(actionPlugin, ['-V'])).stdout).toMatch(/^camunda_action \S+ \(camunda-monitoring-plugins\)\n$/);
  });
});
