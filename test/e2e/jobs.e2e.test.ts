import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { runBuilt } from '../support/executables';
import { validateQuery } from '../support/openapi';
import { perfValue } from '../support/run-plugin';

/*
 * The built check_camunda_jobs executable, run as a process against the embedded simulator:
 * exit codes, status lines, perfdata and long output as Icinga would see them.
 *
 * Jobs of the scenario:
 *   dunning    billing v1  timer due 2h ago                       executable, overdue 2h
 *   archive    billing v2  async, no due date, created 40m ago    executable, overdue 40m
 *   label      shipping    async, no due date, created 1m ago     executable
 *   parked     billing v2  at the suspended job definition         suspended, not counted
 *   frozen     billing v2  instance suspended                      not executable
 *   retry      shipping    failed once, 2 retries, next try in 10m retrying
 *   later      billing v1  timer due in 1d                         not due
 *   + the failed job behind the failedJob incident on shipping     failed
 */
const CHECK = 'check_camunda_jobs';
const HOSTILE_ACTIVITY = 'ServiceTask_Post|SAP\nnow <b>';
/** A bare generated id, as the engine gives a definition whose `<key>:<version>:<id>` would exceed 64 characters. */
const BILLING_V1_ID = '0b7c6a4e-2046-11e7-8f94-34f39ab71d4e';

const scenario: Scenario = {
  engines: [
    {
      name: 'default',
      processDefinitions: [
        { key: 'billing', name: 'Billing', versions: [{ version: 1, id: BILLING_V1_ID }, { version: 2 }] },
        { key: 'shipping', name: 'Shipping', versions: [{ version: 1 }] },
        { key: 'quiet', versions: [{ version: 1 }] },
      ],
      instances: [
        { ref: 'bill-1', definition: 'billing', version: 1, started: '1d' },
        { ref: 'bill-2', definition: 'billing', version: 2, started: '1h' },
        { ref: 'bill-frozen', definition: 'billing', version: 2, started: '3h', suspended: true },
        { ref: 'ship-1', definition: 'shipping', started: '2h' },
        { definition: 'quiet' },
      ],
      jobDefinitions: [
        { definition: 'billing', version: 2, activityId: HOSTILE_ACTIVITY, jobType: 'async-continuation', jobConfiguration: 'async-before', suspended: true },
        { definition: 'billing', activityId: 'Timer_Dunning', jobType: 'timer-intermediate-transition', jobConfiguration: 'DURATION: PT22H' },
      ],
      jobs: [
        { id: 'dunning', instance: 'bill-1', activityId: 'Timer_Dunning', created: '1d', due: '-2h' },
        { id: 'archive', instance: 'bill-2', activityId: 'ServiceTask_Archive', created: '40m' },
        { id: 'label', instance: 'ship-1', activityId: 'ServiceTask_Label', created: '1m' },
        { id: 'parked', instance: 'bill-2', activityId: HOSTILE_ACTIVITY, created: '30m' },
        { id: 'frozen', instance: 'bill-frozen', activityId: 'ServiceTask_Archive', created: '2h' },
        { id: 'retry', instance: 'ship-1', activityId: 'ServiceTask_Label', created: '20m', due: '10m', retries: 2, exceptionMessage: 'Label printer | offline\n<b>now</b>' },
        { id: 'later', instance: 'bill-1', activityId: 'Timer_Dunning', created: '2h', due: '1d' },
      ],
      incidents: [{ instance: 'ship-1', type: 'failedJob', activityId: 'ServiceTask_Customs', message: 'Customs API 500', ago: '15m' }],
    },
  ],
};

let engine: RunningSimulator;

const modelCache = privateCacheDir('jobs-models-');

beforeAll(async () => {
  engine = await startSimulator({ scenario });
});
afterAll(async () => {
  await engine?.close();
});

const expectUnknown = (result: { code: number; stdout: string }, text: RegExp) => {
  expect(result.code).toBe(3);
  // One status line; a wrong option adds only the short usage.
    expect(result.stdout.trimEnd().split('\n').filter((line) => !/^(Usage: |\s+\[|\S+ --help lists every option\.$)/.test(line))).toHaveLength(1);
  expect(result.stdout).toMatch(/^CAMUNDA JOBS UNKNOWN - /);
  expect(result.stdout).toMatch(text);
  expect(result.stdout).not.toMatch(/\n\s+at /);
};

describe('check_camunda_jobs as a process', () => {
  it('warns on overdue and failed jobs and the suspended job definition, and lists them', async () => {
    const before = engine.requests.length;
    // A model cache of this file's own: the shared default one may hold this port's models from an earlier run.
    const result = await runBuilt(CHECK, ['--url', engine.url, '--cockpit-url', 'https://camunda.test/camunda/app/cockpit/default'], { XDG_CACHE_HOME: modelCache() });
    expect(result.code).toBe(1);
    expect(result.status).toBe(
      'CAMUNDA JOBS WARNING - 3 executable, 2 overdue (warning), oldest waiting 2h, 1 failed (warning), 1 retrying, 1 suspended job definition (warning)',
    );
    expect(result.perfdata).toEqual({ executable: '3;;;0', overdue: '2;0;;0', failed: '1;0;;0', retrying: '1;;;0', suspended_job_definitions: '1;0;;0', suspended_with_definition: '0;;;0' });
    expect(result.details).toEqual([
      'Overdue jobs (executable, waiting more than 5m), oldest first:',
      expect.stringMatching(/^billing \(v1\): job dunning due 2h ago, 3 retries left https:\/\/camunda\.test\/camunda\/app\/cockpit\/default\/#\/process-instance\/[0-9a-f-]+\/runtime$/),
      expect.stringMatching(/^billing \(v2\): job archive created \(no due date\) 40m ago, 3 retries left https:/),
      'Overdue may include jobs being executed: engine 7.15.0 has no job lock filter (Camunda 7.24+ has).',
      'Suspended job definitions (their jobs do not run until activated again):',
      expect.stringMatching(/^ServiceTask_Post¦SAP now ‹b› in billing \(v2\): async-continuation async-before \(job definition [0-9a-f-]+\) https:\/\/camunda\.test\/.*\/#\/process-definition\/billing%3A2%3A[0-9a-f-]+\/runtime\?tab=job-definitions-tab$/),
      '1 failed job without retries left: each is an incident (check_camunda_incidents lists them).',
    ]);
    expect(result.stdout.split('|')).toHaveLength(2);
    // Seven counts (no -k: no deployment check), /version (jobs are overdue: can the engine tell
    // which are being executed?), three job lists, the suspended job definitions and process
    // definitions, one definition lookup: for billing v1's bare id only, billing v2's id names key
    // and version itself; the model of the suspended job definition's version, for the system its
    // activity calls (not in the cache: new port).
    expect(engine.requests.length - before).toBe(7 + 1 + 3 + 2 + 1 + 1);
    const lookups = engine.requests.slice(before).filter((r) => r.path === '/process-definition' && !r.query.suspended);
    expect(lookups.map((r) => r.query.processDefinitionIdIn)).toEqual([BILLING_V1_ID]);
  });

  it('filters by process definition key, all versions', async () => {
    const shipping = await runBuilt(CHECK, ['--url', engine.url, '-k', 'shipping', '--failed-warning', '']);
    expect(shipping.code).toBe(0);
    expect(shipping.status).toBe('CAMUNDA JOBS OK - 1 executable, 0 overdue, 1 failed, 1 retrying, 0 suspended job definitions');
    const billing = await runBuilt(CHECK, ['--url', engine.url, '-k', 'billing', '--list', '0']);
    expect([perfValue(billing, 'executable'), perfValue(billing, 'overdue'), perfValue(billing, 'suspended_job_definitions')]).toEqual([2, 2, 1]);
    expect(billing.details).toEqual(['Filter: process definition billing', 'Overdue may include jobs being executed: engine 7.15.0 has no job lock filter (Camunda 7.24+ has).']);
    const quiet = await runBuilt(CHECK, ['--url', engine.url, '-k', 'quiet']);
    expect(quiet.stdout).toBe(
      'CAMUNDA JOBS OK - 0 executable, 0 overdue, 0 failed, 0 retrying, 0 suspended job definitions | executable=0;;;0 overdue=0;0;;0 failed=0;0;;0 retrying=0;;;0 suspended_job_definitions=0;0;;0 suspended_with_definition=0;;;0\nFilter: process definition quiet\n',
    );
  });

  it('moves the overdue bound with --overdue-after and goes critical with --overdue-critical', async () => {
    const result = await runBuilt(CHECK, ['--url', engine.url, '--overdue-after', '1h', '--overdue-critical', '0', '--list', '1']);
    expect(result.code).toBe(2);
    expect(result.status).toContain('1 overdue (critical), oldest waiting 2h');
    expect(result.details[0]).toBe('Overdue jobs (executable, waiting more than 1h), oldest first:');
  });

  it('filters by activity and by job definition', async () => {
    const archive = await runBuilt(CHECK, ['--url', engine.url, '--activity-id', 'ServiceTask_Archive']);
    expect([perfValue(archive, 'executable'), perfValue(archive, 'overdue'), perfValue(archive, 'suspended_job_definitions')]).toEqual([1, 1, 0]);
    const [suspended] = (await (await fetch(`${engine.url}/job-definition?suspended=true`)).json()) as { id: string }[];
    const parked = await runBuilt(CHECK, ['--url', engine.url, '--job-definition-id', suspended!.id]);
    expect([perfValue(parked, 'executable'), perfValue(parked, 'overdue'), perfValue(parked, 'suspended_job_definitions')]).toEqual([0, 0, 1]);
  });

  it('sends only requests Camunda defines, and none the simulator has to ignore', () => {
    const jobRequests = engine.requests.filter((r) => r.path.startsWith('/job'));
    expect(jobRequests.length).toBeGreaterThan(20);
    expect(engine.requests.flatMap((r) => validateQuery(r.method, r.path, r.query).map((e) => `${r.path}: ${e}`))).toEqual([]);
    expect(engine.requests.flatMap((r) => r.ignored)).toEqual([]);
    expect(engine.requests.every((r) => r.status === 200)).toBe(true);
  });
});

describe('check_camunda_jobs when things go wrong', () => {
  it('names a key that is not deployed', async () => {
    expectUnknown(await runBuilt(CHECK, ['--url', engine.url, '-k', 'biling']), /no process definition is deployed with the key 'biling'/);
  });

  it('ends a hanging engine at -t 2 with UNKNOWN', async () => {
    const hanging = await startSimulator({ scenario, fault: 'hang' });
    try {
      expectUnknown(await runBuilt(CHECK, ['--url', hanging.url, '-t', '2']), /timeout of 2s/);
    } finally {
      await hanging.close();
    }
  });

  it('rejects bad options before contacting the engine', async () => {
    const before = engine.requests.length;
    expectUnknown(await runBuilt(CHECK, ['--url', engine.url, '--overdue-warning', '10:5']), /--overdue-warning: invalid threshold range '10:5'/);
    expectUnknown(await runBuilt(CHECK, ['--url', engine.url, '--activity-id', 'a', '--job-definition-id', 'b']), /cannot be combined/);
    expectUnknown(await runBuilt(CHECK, ['--url', engine.url, '--tenant-id', '']), /--tenant-id: empty value/);
    expectUnknown(await runBuilt(CHECK, ['--url', engine.url, '--bogus']), /unknown option --bogus/);
    expect(engine.requests.length).toBe(before);
  });
});
