import { describe, expect, it } from 'vitest';
import { formatCamundaDate } from '../../src/camunda/dates';
import {
  countOverdueJobs,
  jobDefinitionQueries,
  jobQueries,
  listOverdueJobs,
  listSuspendedJobDefinitions,
  WITHOUT_DUE_DATE_SAMPLE,
  type JobFilter,
} from '../../src/camunda/jobs';
import { jobDefinitionDto, jobDto } from '../support/fixtures';
import { useStrictNock, mockedEngineClient, mockGet } from '../support/nock';

const NONE: JobFilter = { processDefinitionKeys: [], tenantIds: [], activityIds: [], jobDefinitionIds: [] };
const NOW = new Date('2026-11-24T12:00:00.000Z');
const SINCE = new Date(NOW.getTime() - 300_000);
const BEFORE = `lt_${formatCamundaDate(SINCE)}`;

useStrictNock();

describe('job queries', () => {
  it('send tenants as a list and keys, activities and job definitions one per query', () => {
    expect(jobQueries({ ...NONE, processDefinitionKeys: ['a', 'b'], tenantIds: ['t1', 't2'], activityIds: ['x', 'y'] })).toEqual([
      { tenantIdIn: ['t1', 't2'], processDefinitionKey: 'a', activityId: 'x' },
      { tenantIdIn: ['t1', 't2'], processDefinitionKey: 'a', activityId: 'y' },
      { tenantIdIn: ['t1', 't2'], processDefinitionKey: 'b', activityId: 'x' },
      { tenantIdIn: ['t1', 't2'], processDefinitionKey: 'b', activityId: 'y' },
    ]);
    expect(jobQueries(NONE)).toEqual([{ tenantIdIn: [] }]);
  });

  it('give job definitions the activities as activityIdIn', () => {
    expect(jobDefinitionQueries({ ...NONE, processDefinitionKeys: ['a', 'b'], activityIds: ['x', 'y'], jobDefinitionIds: [] })).toEqual([
      { activityIdIn: ['x', 'y'], tenantIdIn: [], processDefinitionKey: 'a' },
      { activityIdIn: ['x', 'y'], tenantIdIn: [], processDefinitionKey: 'b' },
    ]);
    expect(jobDefinitionQueries({ ...NONE, jobDefinitionIds: ['d1'] })).toEqual([{ activityIdIn: [], tenantIdIn: [], jobDefinitionId: 'd1' }]);
  });

  it('refuse more combinations than the bound', () => {
    expect(() => jobQueries({ ...NONE, processDefinitionKeys: ['a', 'b', 'c'], activityIds: ['x', 'y', 'z'] })).toThrow(RangeError);
  });
});

describe('countOverdueJobs', () => {
  it('adds jobs due before the bound and jobs without due date created before it', async () => {
    const seen = mockGet(
      '/job/count',
      (q) => ({ count: q.dueDates === BEFORE ? 2 : q.createTimes === BEFORE && q.dueDates === 'gt_1970-01-01T00:00:00.000+0000' ? 4 : q.createTimes === BEFORE ? 7 : -1 }),
      3,
    );
    const counts = await countOverdueJobs(mockedEngineClient(), NONE, SINCE);
    expect(counts).toEqual([{ query: { tenantIdIn: [], executable: true, active: true }, withDueDate: 2, withoutDueDate: 3 }]);
    expect(seen.every((q) => q.executable === 'true' && q.active === 'true')).toBe(true);
  });

  it('never reports a negative count when jobs change between the counts', async () => {
    mockGet('/job/count', (q) => ({ count: q.dueDates?.startsWith('gt_') ? 5 : 4 }), 3);
    const [count] = await countOverdueJobs(mockedEngineClient(), NONE, SINCE);
    expect(count!.withoutDueDate).toBe(0);
  });

  it('counts each filter combination', async () => {
    const seen = mockGet('/job/count', (q) => ({ count: q.processDefinitionKey === 'a' ? 1 : 0 }), 6);
    const counts = await countOverdueJobs(mockedEngineClient(), { ...NONE, processDefinitionKeys: ['a', 'b'] }, SINCE);
    expect(counts.map((c) => [c.query.processDefinitionKey, c.withDueDate])).toEqual([['a', 1], ['b', 0]]);
    expect(seen.map((q) => q.processDefinitionKey).sort()).toEqual(['a', 'a', 'a', 'b', 'b', 'b']);
  });
});

describe('listOverdueJobs', () => {
  const query = { executable: true, active: true } as const;

  it('sorts due-dated jobs by the engine and finds jobs without due date in both null orders', async () => {
    const dated = mockGet('/job', (q) => (q.dueDates ? [jobDto({ id: 'due-1h', now: NOW, dueSecondsAgo: 3600 })] : undefined), 1);
    // This database sorts null due dates last ascending (PostgreSQL): desc brings them first.
    const undated = mockGet(
      '/job',
      (q) =>
        q.sortOrder === 'desc'
          ? [jobDto({ id: 'created-2h', now: NOW, createdSecondsAgo: 7200 }), jobDto({ id: 'created-10m', now: NOW, createdSecondsAgo: 600 })]
          : [jobDto({ id: 'due-1h', now: NOW, dueSecondsAgo: 3600 }), jobDto({ id: 'due-30m', now: NOW, dueSecondsAgo: 1800 })],
      2,
    );
    const overdue = await listOverdueJobs(mockedEngineClient(), [{ query, withDueDate: 1, withoutDueDate: 2 }], SINCE, 10);
    expect(overdue.jobs.map((j) => j.id)).toEqual(['created-2h', 'due-1h', 'created-10m']);
    expect(overdue.complete).toBe(true);
    expect(dated).toEqual([{ executable: 'true', active: 'true', dueDates: BEFORE, sortBy: 'jobDueDate', sortOrder: 'asc', firstResult: '0', maxResults: '10' }]);
    expect(undated.map((q) => [q.createTimes, q.sortOrder, q.maxResults]).sort()).toEqual([[BEFORE, 'asc', '2'], [BEFORE, 'desc', '2']]);
  });

  it('asks for at least the oldest job with --list 0, and for at most the sample of jobs without due date', async () => {
    const seen = mockGet('/job', () => [jobDto({ now: NOW, createdSecondsAgo: 900 })], 3);
    const overdue = await listOverdueJobs(mockedEngineClient(), [{ query, withDueDate: 4, withoutDueDate: 500 }], SINCE, 0);
    expect(seen.map((q) => q.maxResults).sort()).toEqual(['1', String(WITHOUT_DUE_DATE_SAMPLE), String(WITHOUT_DUE_DATE_SAMPLE)]);
    expect(overdue.jobs).toHaveLength(1);
    expect(overdue.complete).toBe(false);
  });

  it('puts a job whose time cannot be read first, so the check reports it', async () => {
    mockGet('/job', () => [jobDto({ id: 'ok', now: NOW, dueSecondsAgo: 3600 }), jobDto({ id: 'bad', dueDate: '24.11.2026' })], 1);
    const overdue = await listOverdueJobs(mockedEngineClient(), [{ query, withDueDate: 2, withoutDueDate: 0 }], SINCE, 5);
    expect(overdue.jobs.map((j) => [j.id, j.waitingSince === undefined])).toEqual([['bad', true], ['ok', false]]);
  });
});

describe('listSuspendedJobDefinitions', () => {
  it('asks for at most `limit` per query, sorted by key, and merges the queries', async () => {
    const seen = mockGet(
      '/job-definition',
      (q) => [jobDefinitionDto({ processDefinitionKey: q.processDefinitionKey!, id: `jd-${q.processDefinitionKey}` })],
      2,
    );
    const definitions = await listSuspendedJobDefinitions(mockedEngineClient(), { ...NONE, processDefinitionKeys: ['order', 'invoice'] }, 1);
    expect(definitions.map((d) => d.id)).toEqual(['jd-invoice']);
    expect(seen.every((q) => q.suspended === 'true' && q.sortBy === 'processDefinitionKey' && q.sortOrder === 'asc' && q.maxResults === '1')).toBe(true);
  });

  it('sends nothing with a limit of 0', async () => {
    expect(await listSuspendedJobDefinitions(mockedEngineClient(), NONE, 0)).toEqual([]);
  });
});
