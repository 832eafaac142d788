import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCamundaDate } from '../../src/camunda/dates';
import { checkScenario, startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { clock, get, getOk, NOW, query } from './fixture';

/*
 * External tasks as ExternalTask.xml selects them, and metrics as DbMetricsReporter writes them
 * (src/simulator/external-tasks.ts cites the lines). At the fixed clock (12:00):
 *   NEW      send-mail, never locked, created 11:30
 *   HELD     send-mail, locked by worker-1 until 12:05
 *   LAPSED   send-mail, lock ran out 11:55 (worker died), created 11:00
 *   BACKOFF  sap, failed (retries 2), locked for the retry timeout until 12:01
 *   DEAD     sap, failed for good (retries 0), lock ran out 11:40
 *   PAUSED   sap, suspended, never locked
 * Metrics: two reporters, every 15 minutes, the latest report at 11:55; job-successful per report,
 * newest first, 0, 10, 20 (then 20 for every older one).
 */
const at = (minutes: number) => formatCamundaDate(new Date(NOW.getTime() + minutes * 60_000));

const scenario: Scenario = {
  camundaVersion: '7.21.0',
  engines: [
    {
      name: 'default',
      processDefinitions: [{ key: 'invoice', versions: [{ version: 1 }] }, { key: 'order', tenantId: 'acme', versions: [{ version: 1 }] }],
      instances: [
        { ref: 'inv', definition: 'invoice', started: '2h' },
        { ref: 'ord', definition: 'order', started: '2h' },
      ],
      externalTasks: [
        { id: 'NEW', instance: 'inv', topic: 'send-mail', created: '30m' },
        { id: 'HELD', instance: 'inv', topic: 'send-mail', created: '20m', workerId: 'worker-1', lockExpires: '5m' },
        { id: 'LAPSED', instance: 'ord', topic: 'send-mail', created: '1h', lockExpires: '-5m' },
        { id: 'BACKOFF', instance: 'inv', topic: 'sap', created: '50m', lockExpires: '1m', retries: 2, errorMessage: 'gateway down' },
        { id: 'DEAD', instance: 'inv', topic: 'sap', created: '90m', lockExpires: '-20m', retries: 0, errorMessage: 'logon failed' },
        { id: 'PAUSED', instance: 'inv', topic: 'sap', created: '10m', suspended: true },
      ],
      metrics: { reporters: ['node-a', 'node-b'], interval: '15m', lastReport: '5m', reports: 8, values: { 'job-successful': [0, 10, 20] } },
    },
    { name: 'quiet', metrics: { enabled: false } },
  ],
};

let sim: RunningSimulator;
let old: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario, now: clock });
  old = await startSimulator({ scenario: { ...scenario, camundaVersion: '7.20.0' }, now: clock });
});
afterAll(async () => {
  await sim.close();
  await old.close();
});

const ids = async (params: Record<string, string>, on = sim) => (await getOk<{ id: string }[]>(on, `/external-task${query(params)}`)).map((t) => t.id).sort();
const count = async (params: Record<string, string>) => (await getOk<{ count: number }>(sim, `/external-task/count${query(params)}`)).count;

describe('simulated external tasks', () => {
  it('lists the topics of all tasks, or of the locked, unlocked, with retries left', async () => {
    expect(await getOk(sim, '/external-task/topic-names')).toEqual(['sap', 'send-mail']);
    expect(await getOk(sim, `/external-task/topic-names${query({ withLockedTasks: 'true' })}`)).toEqual(['sap', 'send-mail']);
    expect(await getOk(sim, `/external-task/topic-names${query({ withUnlockedTasks: 'true', withRetriesLeft: 'true' })}`)).toEqual(['sap', 'send-mail']);
  });

  it('selects locked (lock in the future) and notLocked (no lock, or run out) tasks as ExternalTask.xml does', async () => {
    expect(await ids({ locked: 'true' })).toEqual(['BACKOFF', 'HELD']);
    expect(await ids({ notLocked: 'true' })).toEqual(['DEAD', 'LAPSED', 'NEW', 'PAUSED']);
  });

  it('selects what a fetch-and-lock would take: not locked, active, retries left (null or > 0)', async () => {
    expect(await ids({ notLocked: 'true', active: 'true', withRetriesLeft: 'true' })).toEqual(['LAPSED', 'NEW']);
    expect(await ids({ noRetriesLeft: 'true' })).toEqual(['DEAD']);
    expect(await ids({ withRetriesLeft: 'true', topicName: 'sap' })).toEqual(['BACKOFF', 'PAUSED']);
  });

  it('compares lock expirations strictly, and never matches a task without lock', async () => {
    expect(await ids({ lockExpirationBefore: at(0) })).toEqual(['DEAD', 'LAPSED']);
    expect(await ids({ lockExpirationBefore: at(-5) })).toEqual(['DEAD']);
    expect(await ids({ lockExpirationAfter: at(-60) })).toEqual(['BACKOFF', 'DEAD', 'HELD', 'LAPSED']);
    expect(await count({ lockExpirationBefore: at(0), active: 'true', withRetriesLeft: 'true', topicName: 'send-mail' })).toBe(1);
  });

  it('filters by key and tenant', async () => {
    expect(await ids({ processDefinitionKey: 'order' })).toEqual(['LAPSED']);
    expect(await ids({ tenantIdIn: 'acme' })).toEqual(['LAPSED']);
  });

  it('has createTime and sorts by it from 7.21 on; before, neither (400 for the sort)', async () => {
    const sorted = await getOk<{ id: string; createTime: string }[]>(sim, `/external-task${query({ topicName: 'send-mail', sortBy: 'createTime', sortOrder: 'asc' })}`);
    expect(sorted.map((t) => t.id)).toEqual(['LAPSED', 'NEW', 'HELD']);
    expect(sorted[0]!.createTime).toBe(at(-60));
    const before = await getOk<Record<string, unknown>[]>(old, `/external-task${query({ topicName: 'send-mail' })}`);
    expect(before[0]).not.toHaveProperty('createTime');
    const refused = await get(old, `/external-task${query({ sortBy: 'createTime', sortOrder: 'asc' })}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ type: 'InvalidRequestException', message: "Cannot set query parameter 'sortBy' to value 'createTime'" });
  });

  it('checks the scenario entries', () => {
    const bad = (task: Record<string, unknown>) => () => checkScenario({ engines: [{ name: 'x', externalTasks: [task] }] });
    expect(bad({ instance: 'a' })).toThrow(/externalTasks\[0\]\.topic: expected a non-empty string/);
    expect(bad({ instance: 'a', topic: 't', lockExpires: 'soon' })).toThrow(/lockExpires: invalid duration/);
    expect(bad({ instance: 'a', topic: 't', retries: -1 })).toThrow(/retries: expected an integer >= 0 or null/);
  });
});

describe('simulated metrics', () => {
  const sum = async (name: string, params: Record<string, string>) => (await getOk<{ result: number }>(sim, `/metrics/${name}/sum${query(params)}`)).result;

  it('sums what all reporters wrote from startDate (inclusive) to endDate (exclusive)', async () => {
    // Reports at 11:55 (0 each), 11:40 (10 each), 11:25 (20 each), 11:10 ...
    expect(await sum('job-successful', { startDate: at(-30) })).toBe(20);
    expect(await sum('job-successful', { startDate: at(-20) })).toBe(20);
    expect(await sum('job-successful', { startDate: at(-35) })).toBe(60);
    expect(await sum('job-successful', { startDate: at(-35), endDate: at(-20) })).toBe(40);
    expect(await sum('job-successful', { startDate: at(-10) })).toBe(0);
    expect(await sum('job-successful', { startDate: at(-30), reporter: 'node-a' })).toBe(10);
    expect(await sum('job-failed', { startDate: at(-120) })).toBe(0);
  });

  it('lists the rows by interval, newest first, and nothing when metrics are off', async () => {
    const rows = await getOk<{ timestamp: string; reporter: string; value: number }[]>(sim, `/metrics${query({ name: 'job-successful', startDate: at(-20), interval: '900' })}`);
    expect(rows.map((r) => [r.reporter, r.value])).toEqual([
      ['node-a', 0],
      ['node-b', 0],
      ['node-a', 10],
      ['node-b', 10],
    ]);
    expect(await getOk(sim, `/engine/quiet/metrics${query({ name: 'job-successful', startDate: at(-60) })}`)).toEqual([]);
    expect(await getOk(sim, `/engine/quiet/metrics/job-successful/sum${query({ startDate: at(-60) })}`)).toEqual({ result: 0 });
  });
});
