import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobsCheck } from '../../src/checks/jobs';
import { parseCamundaDate } from '../../src/camunda/dates';
import type { JobDefinitionDto, JobDto } from '../../src/camunda/types';
import { jobDefinitionDto, jobDto, processDefinitionDto } from '../support/fixtures';
import { perfValue, runInProcess, fullStatus } from '../support/run-plugin';

const ENGINE = 'http://camunda.test:8080';
const REST_URL = `${ENGINE}/engine-rest`;
const EPOCH = 'gt_1970-01-01T00:00:00.000+0000';
type Query = Record<string, string>;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const run = (...args: string[]) => runInProcess(jobsCheck, ['--url', REST_URL, ...args]);

interface EngineState {
  readonly executable?: number;
  readonly overdueWithDueDate?: number;
  readonly overdueWithoutDueDate?: number;
  /** Executable jobs created before the bound that have a due date. */
  readonly createdBeforeWithDueDate?: number;
  readonly failed?: number;
  readonly retrying?: number;
  readonly suspendedJobDefinitions?: number;
  /** Answer of every `GET /job` list request. */
  readonly jobs?: (query: Query) => JobDto[];
  readonly jobDefinitions?: JobDefinitionDto[];
  readonly undeployedKeys?: readonly string[];
  /** Deployed process definitions, for `GET /process-definition?processDefinitionIdIn=`. */
  readonly definitions?: readonly { id: string; key: string; version: number }[];
  /** Ids of the suspended process definitions, for `GET /process-definition?suspended=true`. */
  readonly suspendedDefinitions?: readonly string[];
  /** What `GET /version` answers. Default 7.24.0 (with the `acquired` filter). */
  readonly version?: string;
  /** Answer of `GET /job?acquired=true`. */
  readonly acquired?: JobDto[];
  /** Overdue counts within `processInstanceIds` (the instances executing a job). */
  readonly inExecutingInstances?: { withDueDate: number; withoutDueDate: number };
}

interface Seen {
  readonly path: string;
  readonly query: Query;
}

/** A fake engine answering every endpoint the check uses from `state`; returns the requests it saw. */
function engine(state: EngineState): Seen[] {
  const seen: Seen[] = [];
  const jobCount = (q: Query): number => {
    if (q.processInstanceIds) {
      const inside = state.inExecutingInstances ?? { withDueDate: 0, withoutDueDate: 0 };
      if (q.createTimes && q.dueDates === EPOCH) return 0;
      return q.createTimes ? inside.withoutDueDate : inside.withDueDate;
    }
    if (q.noRetriesLeft) return state.failed ?? 0;
    if (q.withException) return state.retrying ?? 0;
    const withDue = state.createdBeforeWithDueDate ?? 0;
    if (q.createTimes && q.dueDates === EPOCH) return withDue;
    if (q.createTimes) return withDue + (state.overdueWithoutDueDate ?? 0);
    if (q.dueDates) return state.overdueWithDueDate ?? 0;
    return state.executable ?? 0;
  };
  nock(ENGINE)
    .persist()
    .get(/.*/)
    .query(true)
    .reply(function (uri) {
      const url = new URL(uri, ENGINE);
      const path = url.pathname.replace('/engine-rest', '');
      const query = Object.fromEntries(url.searchParams);
      seen.push({ path, query });
      switch (path) {
        case '/job/count':
          return [200, { count: jobCount(query) }];
        case '/job':
          return [200, query.acquired ? (state.acquired ?? []) : (state.jobs?.(query) ?? [])];
        case '/version':
          return [200, { version: state.version ?? '7.24.0' }];
        case '/job-definition/count':
          return [200, { count: state.suspendedJobDefinitions ?? 0 }];
        case '/job-definition':
          return [200, state.jobDefinitions ?? []];
        case '/process-definition/count':
          return [200, { count: state.undeployedKeys?.includes(query.key ?? '') ? 0 : 1 }];
        case '/process-definition':
          if (query.suspended) return [200, (state.suspendedDefinitions ?? []).map((id) => processDefinitionDto({ id, key: id.split(':')[0]!, version: 1 }))];
          return [200, (state.definitions ?? []).filter((d) => (query.processDefinitionIdIn ?? '').split(',').includes(d.id)).map((d) => processDefinitionDto(d))];
        default:
          return [404, ''];
      }
    });
  return seen;
}

/** The requests to `path`; for `/job`, the lists of overdue jobs (not those of the jobs being executed). */
const requestsTo = (seen: readonly Seen[], path: string) => seen.filter((s) => s.path === path && !s.query.acquired).map((s) => s.query);

describe('check_camunda_jobs', () => {
  it('is OK when nothing is wrong, with seven counts and nothing else', async () => {
    const seen = engine({ executable: 12 });
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA JOBS OK - 12 executable, 0 overdue, 0 failed, 0 retrying, 0 suspended job definitions');
    expect(result.perfdata).toEqual({
      executable: '12;;;0',
      overdue: '0;0;;0',
      failed: '0;0;;0',
      retrying: '0;;;0',
      suspended_job_definitions: '0;0;;0', suspended_with_definition: '0;;;0',
    });
    expect(result.details).toEqual([]);
    expect(seen.map((s) => s.path).sort()).toEqual(['/job-definition/count', ...Array<string>(6).fill('/job/count')]);
  });

  it('counts executable jobs that are not suspended, failed and retrying jobs, and suspended job definitions', async () => {
    const seen = engine({ executable: 3, failed: 2, retrying: 1, suspendedJobDefinitions: 0 });
    await run();
    const counts = requestsTo(seen, '/job/count');
    expect(counts).toContainEqual({ executable: 'true', active: 'true' });
    expect(counts).toContainEqual({ noRetriesLeft: 'true' });
    expect(counts).toContainEqual({ withException: 'true', withRetriesLeft: 'true' });
    expect(requestsTo(seen, '/job-definition/count')).toEqual([{ suspended: 'true' }]);
  });

  it('counts overdue jobs with a due date and, by creation time, those without', async () => {
    const now = new Date();
    const reminder = { processDefinitionId: 'reminder:1:x', processDefinitionKey: 'reminder' };
    const seen = engine({
      executable: 9,
      overdueWithDueDate: 2,
      overdueWithoutDueDate: 3,
      createdBeforeWithDueDate: 4,
      jobs: (q) =>
        q.dueDates
          ? [jobDto({ id: 'timer-30m', now, dueSecondsAgo: 1800, ...reminder }), jobDto({ id: 'timer-10m', now, dueSecondsAgo: 600, ...reminder })]
          : q.sortOrder === 'asc'
            ? [0, 1, 2].map((i) => jobDto({ id: `async-${i}`, now, createdSecondsAgo: [7200, 900, 400][i]!, processDefinitionId: 'order:3:y', processDefinitionKey: 'order' }))
            : [jobDto({ id: 'timer-30m', now, dueSecondsAgo: 1800 })],
    });
    const result = await run('--cockpit-url', 'https://camunda.test/camunda/app/cockpit/default/');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA JOBS WARNING - 9 executable, 5 overdue (warning), oldest waiting 2h, 0 failed, 0 retrying, 0 suspended job definitions');
    expect(result.perfdata.overdue).toBe('5;0;;0');
    expect(result.details).toEqual([
      'Overdue jobs (executable, waiting more than 5m), oldest first:',
      'order (v3): job async-0 created (no due date) 2h ago, 3 retries left https://camunda.test/camunda/app/cockpit/default/#/process-instance/aa00bb11-0000-11ee-8000-000000000001/runtime',
      expect.stringMatching(/^reminder \(v1\): job timer-30m due 30m ago, 3 retries left https:/),
      expect.stringMatching(/^order \(v3\): job async-1 created \(no due date\) 15m ago/),
      expect.stringMatching(/^reminder \(v1\): job timer-10m due 10m ago/),
      expect.stringMatching(/^order \(v3\): job async-2 created \(no due date\) 6m ago/),
    ]);

    const counts = requestsTo(seen, '/job/count').filter((q) => q.dueDates || q.createTimes);
    expect(counts).toHaveLength(3);
    const bound = parseCamundaDate((counts[0]!.dueDates ?? counts[0]!.createTimes)!.slice(3))!;
    expect(Math.abs(now.getTime() - 300_000 - bound.getTime())).toBeLessThan(5000);
    expect(counts.every((q) => q.executable === 'true' && q.active === 'true')).toBe(true);
    expect(counts.map((q) => [q.dueDates?.slice(0, 3), q.createTimes?.slice(0, 3)])).toEqual(
      expect.arrayContaining([['lt_', undefined], [undefined, 'lt_'], [EPOCH.slice(0, 3), 'lt_']]),
    );
    const lists = requestsTo(seen, '/job');
    expect(lists).toHaveLength(3);
    expect(lists.every((q) => q.sortBy === 'jobDueDate' && q.firstResult === '0')).toBe(true);
    expect(lists.filter((q) => q.createTimes).map((q) => [q.sortOrder, q.maxResults]).sort()).toEqual([['asc', '3'], ['desc', '3']]);
    expect(lists.find((q) => q.dueDates)).toMatchObject({ sortOrder: 'asc', maxResults: '10' });
    // Every id has the engine's <key>:<version>:<generated id> form: the names need no request.
    expect(requestsTo(seen, '/process-definition')).toEqual([]);
  });

  it('measures overdue from --overdue-after and judges it with --overdue-warning/--overdue-critical', async () => {
    const now = new Date();
    const seen = engine({ overdueWithDueDate: 4, jobs: () => [jobDto({ now, dueSecondsAgo: 5400 })] });
    const result = await run('--overdue-after', '1h', '--overdue-warning', '2', '--overdue-critical', '3', '--list', '1');
    expect(result.code).toBe(2);
    expect(result.status).toContain('4 overdue (critical), oldest waiting 1h 30m');
    expect(result.perfdata.overdue).toBe('4;2;3;0');
    expect(result.details[0]).toBe('Oldest 1 of 4 overdue jobs (executable, waiting more than 1h):');
    const bound = parseCamundaDate(requestsTo(seen, '/job')[0]!.dueDates!.slice(3))!;
    expect(Math.abs(now.getTime() - 3_600_000 - bound.getTime())).toBeLessThan(5000);
  });

  it('says "at least" when there are more overdue jobs without due date than it examines', async () => {
    const now = new Date();
    const seen = engine({ overdueWithoutDueDate: 250, jobs: () => [jobDto({ now, createdSecondsAgo: 4000 })] });
    const result = await run('--list', '0');
    expect(result.status).toContain('250 overdue (warning), oldest waiting at least 1h 6m');
    expect(result.details).toEqual(['Too many overdue jobs without due date to examine them all: the oldest may have waited longer than shown.']);
    expect(requestsTo(seen, '/job').map((q) => q.maxResults)).toEqual(['100', '100']);
    expect(requestsTo(seen, '/process-definition')).toEqual([]);
  });

  it('warns on any failed job by default, goes critical beyond --failed-critical, and points to the incidents', async () => {
    engine({ failed: 4 });
    const warning = await run();
    expect(warning.code).toBe(1);
    expect(warning.status).toContain('4 failed (warning)');
    expect(warning.details).toEqual(['4 failed jobs without retries left: each is an incident (check_camunda_incidents lists them).']);
    const critical = await run('--failed-critical', '3');
    expect(critical.code).toBe(2);
    expect(critical.perfdata.failed).toBe('4;0;3;0');
    const off = await run('--failed-warning', '');
    expect(off.code).toBe(0);
  });

  it('judges retrying jobs only when asked', async () => {
    engine({ retrying: 7 });
    expect((await run()).code).toBe(0);
    const result = await run('--retrying-warning', '5', '--retrying-critical', '10');
    expect(result.code).toBe(1);
    expect(result.status).toContain('7 retrying (warning)');
    expect(result.perfdata.retrying).toBe('7;5;10;0');
  });

  it('judges the backlog of executable jobs with -w/-c', async () => {
    engine({ executable: 1200 });
    const result = await run('-w', '1000', '-c', '5000');
    expect(result.code).toBe(1);
    expect(result.status).toContain('1200 executable (warning)');
    expect(result.perfdata.executable).toBe('1200;1000;5000;0');
    expect((await run('-w', '1000', '-c', '1100')).code).toBe(2);
  });

  it('lists suspended job definitions with activity, definition version, job type and a Cockpit link', async () => {
    const seen = engine({
      suspendedJobDefinitions: 3,
      // The engine gives a definition a bare generated id when `<key>:<version>:` would make it too long.
      definitions: [{ id: 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e', key: 'invoice', version: 2 }],
      jobDefinitions: [
        jobDefinitionDto({ id: 'jd-sap', processDefinitionId: 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e' }),
        jobDefinitionDto({ id: 'jd-mail', processDefinitionId: 'order:1:def', processDefinitionKey: 'order', activityId: 'ServiceTask_Mail', tenantId: 'acme' }),
        jobDefinitionDto({ id: 'jd-ship', processDefinitionId: 'shipping:1:def', processDefinitionKey: 'shipping', activityId: 'ServiceTask_Ship' }),
      ],
    });
    const result = await run('--list', '2', '--cockpit-url', 'https://camunda.test/cockpit');
    expect(result.code).toBe(1);
    expect(result.status).toContain('3 suspended job definitions (warning)');
    expect(result.details).toEqual([
      'First 2 of 3 suspended job definitions (their jobs do not run until activated again):',
      'ServiceTask_PostToSAP in invoice (v2): async-continuation async-before (job definition jd-sap) https://camunda.test/cockpit/#/process-definition/c3a63aaa-2046-11e7-8f94-34f39ab71d4e/runtime?tab=job-definitions-tab',
      'ServiceTask_Mail in order (v1) [tenant acme]: async-continuation async-before (job definition jd-mail) https://camunda.test/cockpit/#/process-definition/order%3A1%3Adef/runtime?tab=job-definitions-tab',
    ]);
    expect(requestsTo(seen, '/job-definition')).toEqual([
      { suspended: 'true', sortBy: 'processDefinitionKey', sortOrder: 'asc', firstResult: '0', maxResults: '500' },
    ]);
    expect(requestsTo(seen, '/process-definition')).toEqual([
      { suspended: 'true', sortBy: 'id', sortOrder: 'asc', firstResult: '0', maxResults: '500' },
      { processDefinitionIdIn: 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e', firstResult: '0', maxResults: '1' },
    ]);
  });

  it('asks the engine for a definition whose id names another key than the job carries, and for the unparseable ones, in one request', async () => {
    const now = new Date();
    const seen = engine({
      overdueWithDueDate: 3,
      jobs: () => [
        jobDto({ id: 'j1', now, dueSecondsAgo: 3000, processDefinitionId: 'order:1:x', processDefinitionKey: 'shipping' }),
        jobDto({ id: 'j2', now, dueSecondsAgo: 2000, processDefinitionId: 'a:b:c', processDefinitionKey: 'billing' }),
        jobDto({ id: 'j3', now, dueSecondsAgo: 1000, processDefinitionId: 'invoice:7:y', processDefinitionKey: 'invoice' }),
      ],
      definitions: [
        { id: 'order:1:x', key: 'shipping', version: 4 },
        { id: 'a:b:c', key: 'billing', version: 2 },
      ],
    });
    const result = await run();
    expect(result.details.slice(1).map((line) => line.split(':')[0])).toEqual(['shipping (v4)', 'billing (v2)', 'invoice (v7)']);
    expect(requestsTo(seen, '/process-definition')).toEqual([{ processDefinitionIdIn: 'order:1:x,a:b:c', firstResult: '0', maxResults: '2' }]);
  });

  it('applies key, tenant and activity filters to every metric, one job query per key and activity', async () => {
    const seen = engine({});
    const result = await run('-k', 'invoice', '-k', 'order', '--tenant-id', 'acme', '--tenant-id', 'globex', '--activity-id', 'ServiceTask_PostToSAP');
    expect(result.code).toBe(0);
    expect(result.details).toEqual(['Filter: process definition invoice, order; tenant acme, globex; activity ServiceTask_PostToSAP']);
    const counts = requestsTo(seen, '/job/count');
    expect(counts).toHaveLength(12);
    expect(counts.every((q) => q.tenantIdIn === 'acme,globex' && q.activityId === 'ServiceTask_PostToSAP')).toBe(true);
    expect(counts.filter((q) => q.processDefinitionKey === 'invoice')).toHaveLength(6);
    expect(requestsTo(seen, '/job-definition/count').map((q) => [q.processDefinitionKey, q.activityIdIn, q.tenantIdIn])).toEqual([
      ['invoice', 'ServiceTask_PostToSAP', 'acme,globex'],
      ['order', 'ServiceTask_PostToSAP', 'acme,globex'],
    ]);
    expect(requestsTo(seen, '/process-definition/count').map((q) => q.key).sort()).toEqual(['invoice', 'order']);
  });

  it('applies --job-definition-id to jobs and job definitions', async () => {
    const seen = engine({});
    await run('--job-definition-id', 'jd-1', '--job-definition-id', 'jd-2');
    expect(requestsTo(seen, '/job/count').filter((q) => q.jobDefinitionId === 'jd-2')).toHaveLength(6);
    expect(requestsTo(seen, '/job-definition/count').map((q) => q.jobDefinitionId)).toEqual(['jd-1', 'jd-2']);
    expect(requestsTo(seen, '/job/count').every((q) => q.activityId === undefined)).toBe(true);
  });

  it('ends UNKNOWN naming a --process-definition-key that is not deployed', async () => {
    engine({ undeployedKeys: ['invoce'] });
    const result = await run('-k', 'invoce', '-k', 'order');
    expect(result.code).toBe(3);
    expect(result.status).toBe("CAMUNDA JOBS UNKNOWN - no process definition is deployed with the key 'invoce': check --process-definition-key");
  });

  it('keeps untrusted text from breaking the output', async () => {
    const now = new Date();
    engine({
      overdueWithDueDate: 1,
      suspendedJobDefinitions: 1,
      jobs: () => [jobDto({ now, dueSecondsAgo: 900, exceptionMessage: 'boom | x=1\nsecond <script>', processDefinitionId: null, processDefinitionKey: 'in|voice\n' })],
      jobDefinitions: [jobDefinitionDto({ activityId: 'Task|A\nB <b>', jobType: 'x|y', processDefinitionId: null, processDefinitionKey: 'k\n|' })],
    });
    const result = await run();
    expect(result.stdout.split('|')).toHaveLength(2);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(5);
    expect(result.stdout).not.toMatch(/[<>]/);
    expect(result.details[1]).toContain('in¦voice: job');
    expect(result.details[1]).toContain('last failure: boom ¦ x=1 second ‹script›');
    expect(result.details[3]).toMatch(/^Task¦A B ‹b› in k ¦: x¦y async-before/);
  });

  it("names the engine's own jobs, which belong to no process", async () => {
    engine({ overdueWithDueDate: 1, jobs: () => [jobDto({ id: 'cleanup', dueSecondsAgo: 7200, processDefinitionId: null, processDefinitionKey: null, processInstanceId: null })] });
    const result = await run('--cockpit-url', 'https://camunda.test/cockpit');
    expect(result.details[1]).toBe('no process (history cleanup or batch): job cleanup due 2h ago, 3 retries left');
  });

  it('ends UNKNOWN when the due date of the oldest overdue job cannot be read', async () => {
    engine({ overdueWithDueDate: 1, jobs: () => [jobDto({ dueDate: '24.11.2026 10:00' })] });
    const result = await run();
    expect(result.code).toBe(3);
    expect(result.status).toBe(
      "CAMUNDA JOBS UNKNOWN - the oldest overdue job's due date '24.11.2026 10:00' is not in Camunda's date format (yyyy-MM-dd'T'HH:mm:ss.SSSZ): check the engine's date format configuration",
    );
  });

  describe('jobs being executed (Job.xml selectNextJobsToExecute skips locked jobs and exclusive jobs behind them)', () => {
    const now = new Date();
    const overdueJobs = () => [jobDto({ id: 'waiting', now, dueSecondsAgo: 900, processInstanceId: 'pi-idle' })];
    const executingJobs = [
      jobDto({ id: 'running', processInstanceId: 'pi-busy' }),
      jobDto({ id: 'running-too', processInstanceId: 'pi-busy' }),
      jobDto({ id: 'other', processInstanceId: 'pi-other' }),
    ];

    it('leaves out the overdue jobs of process instances executing a job on 7.24+ (acquired: Job.xml:423-428)', async () => {
      const seen = engine({ version: '7.24.0', overdueWithDueDate: 5, acquired: executingJobs, inExecutingInstances: { withDueDate: 4, withoutDueDate: 0 }, jobs: overdueJobs });
      const result = await run('--overdue-warning', '0');
      expect(result.status).toContain('1 overdue (warning)');
      expect(result.perfdata.overdue).toBe('1;0;;0');
      expect(result.details).toContain(
        'Not counted as overdue: 4 jobs of process instances executing a job right now (being executed, or exclusive and queued behind it).',
      );
      // The lock may be on another activity of the instance: the locked jobs are asked without activity filter.
      const acquired = seen.filter((s) => s.path === '/job' && s.query.acquired).map((s) => s.query);
      expect(acquired).toEqual([{ acquired: 'true', sortBy: 'processInstanceId', sortOrder: 'asc', firstResult: '0', maxResults: '100' }]);
      const within = requestsTo(seen, '/job/count').filter((q) => q.processInstanceIds);
      expect(within).toHaveLength(3);
      expect(within.every((q) => q.processInstanceIds === 'pi-busy,pi-other' && q.executable === 'true' && q.active === 'true')).toBe(true);
      expect(seen.filter((s) => s.path === '/version')).toHaveLength(1);
    });

    it('keeps the activity filter for the overdue counts but not for the locked jobs', async () => {
      const seen = engine({ version: '7.24.0', overdueWithDueDate: 2, acquired: executingJobs, inExecutingInstances: { withDueDate: 2, withoutDueDate: 0 } });
      const result = await run('--activity-id', 'ServiceTask_Mail', '-k', 'order');
      expect(result.code).toBe(0);
      expect(result.perfdata.overdue).toBe('0;0;;0');
      expect(seen.filter((s) => s.path === '/job' && s.query.acquired).map((s) => s.query.activityId ?? s.query.processDefinitionKey)).toEqual(['order']);
      expect(requestsTo(seen, '/job/count').filter((q) => q.processInstanceIds).every((q) => q.activityId === 'ServiceTask_Mail')).toBe(true);
    });

    it('does not send acquired before 7.24 (older engines ignore it) and says overdue may include jobs being executed', async () => {
      for (const version of ['7.23.0', '7.24.0-alpha1', '1.0.0']) {
        const seen = engine({ version, overdueWithDueDate: 5, acquired: executingJobs, jobs: overdueJobs });
        const result = await run();
        expect(result.perfdata.overdue).toBe('5;0;;0');
        expect(result.details).toContain(
          `Overdue may include jobs being executed: engine ${version} has no job lock filter (Camunda 7.24+ has).`,
        );
        expect(seen.some((s) => s.query.acquired || s.query.processInstanceIds)).toBe(false);
        nock.cleanAll();
      }
    });

    it('counts without lock filter when /version answers with an HTTP error, and says the version is unknown', async () => {
      // Registered first, so it answers /version before the fake engine does.
      nock(ENGINE).get('/engine-rest/version').reply(404, 'not published');
      const seen = engine({ overdueWithDueDate: 2, acquired: executingJobs, jobs: overdueJobs });
      const result = await run();
      expect(result.code).toBe(1);
      expect(result.perfdata.overdue).toBe('2;0;;0');
      expect(result.details).toContain('Overdue may include jobs being executed: the engine (version unknown) has no job lock filter (Camunda 7.24+ has).');
      expect(seen.some((s) => s.path === '/version' || s.query.acquired)).toBe(false);
    });

    it('uses acquired from 7.24.0-alpha2 on, where it was added (commit 8e9a68a346), enterprise editions included', async () => {
      for (const version of ['7.24.0-alpha2', '7.24.0-ee', '7.25.0']) {
        const seen = engine({ version, overdueWithDueDate: 1, jobs: overdueJobs });
        await run();
        expect(seen.filter((s) => s.query.acquired)).toHaveLength(1);
        nock.cleanAll();
      }
    });

    it('asks neither /version nor locks when nothing is overdue', async () => {
      const seen = engine({ version: '7.24.0', executable: 3 });
      await run();
      expect(seen.some((s) => s.path === '/version' || s.query.acquired)).toBe(false);
    });
  });

  describe('job definitions suspended with their process definition (AbstractSetProcessDefinitionStateCmd.java:106-113)', () => {
    const jobDefinitions = [
      jobDefinitionDto({ id: 'jd-old', processDefinitionId: 'order:1:old', processDefinitionKey: 'order', activityId: 'ServiceTask_Mail' }),
      jobDefinitionDto({ id: 'jd-sap', processDefinitionId: 'invoice:2:new', activityId: 'ServiceTask_PostToSAP' }),
    ];

    it('counts and lists only those suspended by themselves as suspended_job_definitions, the others apart', async () => {
      engine({ suspendedJobDefinitions: 2, jobDefinitions, suspendedDefinitions: ['order:1:old'] });
      const result = await run();
      expect(result.code).toBe(1);
      expect(result.status).toBe('CAMUNDA JOBS WARNING - 0 executable, 0 overdue, 0 failed, 0 retrying, 1 suspended job definition (warning), 1 more with its process definition');
      expect(result.perfdata.suspended_job_definitions).toBe('1;0;;0');
      expect(result.perfdata.suspended_with_definition).toBe('1;;;0');
      expect(result.details).toEqual([
        'Suspended job definitions (their jobs do not run until activated again):',
        'ServiceTask_PostToSAP in invoice (v2): async-continuation async-before (job definition jd-sap)',
        '1 job definition suspended with its process definition: suspending a process definition suspends its job definitions, activating it activates them (check_camunda_engine reports suspended definitions).',
      ]);
    });

    it('is OK when every suspended job definition belongs to a suspended process definition', async () => {
      const seen = engine({ suspendedJobDefinitions: 1, jobDefinitions: [jobDefinitions[0]!], suspendedDefinitions: ['order:1:old'] });
      const result = await run('-k', 'order', '--tenant-id', 'acme');
      expect(result.code).toBe(0);
      expect(result.status).toBe('CAMUNDA JOBS OK - 0 executable, 0 overdue, 0 failed, 0 retrying, 0 suspended job definitions, 1 more with its process definition');
      expect(requestsTo(seen, '/process-definition').filter((q) => q.suspended)).toEqual([
        { suspended: 'true', keysIn: 'order', tenantIdIn: 'acme', sortBy: 'id', sortOrder: 'asc', firstResult: '0', maxResults: '500' },
      ]);
    });

    it('says when there were more suspensions than it examined, counting the rest as suspended by themselves', async () => {
      engine({ suspendedJobDefinitions: 600, jobDefinitions, suspendedDefinitions: ['order:1:old'] });
      const result = await run('--list', '0');
      expect(result.perfdata.suspended_job_definitions).toBe('599;0;;0');
      expect(result.details).toContain(
        'More suspended job definitions or process definitions than examined: some counted as suspended by themselves may be suspended with their process definition.',
      );
    });
  });

  it('lets an empty threshold switch a default off and the last value win', async () => {
    engine({ overdueWithDueDate: 1, suspendedJobDefinitions: 2, jobs: () => [jobDto({ dueSecondsAgo: 600 })] });
    const result = await run('--overdue-warning', '', '--suspended-job-definitions-warning', '5', '--suspended-job-definitions-warning', '', '--list', '0');
    expect(result.code).toBe(0);
    expect(result.perfdata.overdue).toBe('1;;;0');
    expect(result.perfdata.suspended_job_definitions).toBe('2;;;0');
    expect(perfValue(result, 'suspended_job_definitions')).toBe(2);
  });

  it.each([
    [['--activity-id', 'a', '--job-definition-id', 'b'], '--activity-id and --job-definition-id cannot be combined'],
    [[...['a', 'b', 'c'].flatMap((k) => ['-k', k]), ...['x', 'y', 'z'].flatMap((a) => ['--activity-id', a])], '3 --process-definition-key × 3 --activity-id/--job-definition-id values need 9 sets of job queries'],
    [['-w', 'abc'], "--warning: invalid threshold range 'abc'"],
    [['--overdue-critical', '10:5'], "--overdue-critical: invalid threshold range '10:5'"],
    [['--failed-warning', '1:2:3'], "--failed-warning: invalid threshold range '1:2:3'"],
    [['--retrying-critical', 'x'], "--retrying-critical: invalid threshold range 'x'"],
    [['--suspended-job-definitions-warning', '~'], "--suspended-job-definitions-warning: invalid threshold range '~'"],
    [['--overdue-after', '5x'], "--overdue-after: invalid duration '5x'"],
    [['--overdue-after', '0'], '--overdue-after: must be at least 1 second'],
    [['-k', ''], '--process-definition-key: empty value, leave the option out to not filter'],
    [['--tenant-id', ' '], '--tenant-id: empty value'],
    [['--activity-id', ''], '--activity-id: empty value'],
    [['--job-definition-id', ''], '--job-definition-id: empty value'],
    [['--list', '101'], "--list: '101' is not a whole number from 0 to 100"],
    [['--cockpit-url', 'ftp://x'], "--cockpit-url: 'ftp://x' is not an http(s) URL"],
    [['--nonsense'], 'invalid command line: unknown option --nonsense'],
    [['--overdue-after'], 'invalid command line: --overdue-after needs a value'],
  ])('rejects %j with one UNKNOWN line and no request', async (args, message) => {
    const seen = engine({});
    const result = await run(...args);
    expect(result.code).toBe(3);
    // One status line (and, when it had to be cut, its whole text); a wrong option adds only the short usage.
    const lines = result.stdout.split('\n').filter((line) => line && !/^(Usage: |\s+\[|\S+ --help lists every option\.$)/.test(line));
    expect(lines).toHaveLength(result.status.endsWith('…') ? 2 : 1);
    expect(result.status).toContain('CAMUNDA JOBS UNKNOWN - ');
    expect(fullStatus(result)).toContain(message);
    expect(seen).toEqual([]);
  });
});
