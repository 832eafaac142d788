import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCamundaDate } from '../../src/camunda/dates';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { validateQuery } from '../support/openapi';
import { clock, get, getOk, NOW, query } from './fixture';

/*
 * Camunda's job semantics the jobs check relies on (Job.xml, selectJobByQueryCriteriaSql):
 * `executable` = retries left, no due date or due, process instance not suspended, whatever
 * the job's own suspension; `createTimes=lt_` is <=, `dueDates=lt_` is <.
 * Jobs at the fixed clock (12:00):
 *   PARKED   async, no due date, created 11:00, its job definition suspended (instance active)
 *   FROZEN   async, no due date, created 11:00, instance suspended
 *   WAITING  async, no due date, created 11:50
 *   DUE      timer, due 11:50 exactly, created 11:00
 */
const at = (minutesAgo: number) => formatCamundaDate(new Date(NOW.getTime() - minutesAgo * 60_000));

const scenario: Scenario = {
  engines: [
    {
      name: 'default',
      processDefinitions: [{ key: 'billing', versions: [{ version: 1 }] }],
      instances: [
        { ref: 'active-1', definition: 'billing', started: '2h' },
        { ref: 'active-2', definition: 'billing', started: '2h' },
        { ref: 'frozen', definition: 'billing', started: '2h', suspended: true },
      ],
      jobDefinitions: [
        { definition: 'billing', activityId: 'ServiceTask_Parked', jobType: 'async-continuation', jobConfiguration: 'async-before', suspended: true },
        { definition: 'billing', activityId: 'Timer_Due', jobType: 'timer-intermediate-transition', jobConfiguration: 'DURATION: PT50M' },
      ],
      jobs: [
        { id: 'PARKED', instance: 'active-1', activityId: 'ServiceTask_Parked', created: '1h' },
        { id: 'FROZEN', instance: 'frozen', activityId: 'ServiceTask_Frozen', created: '1h' },
        { id: 'WAITING', instance: 'active-2', activityId: 'ServiceTask_Waiting', created: '10m' },
        { id: 'DUE', instance: 'active-2', activityId: 'Timer_Due', created: '1h', due: '-10m' },
      ],
    },
  ],
};

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario, now: clock });
});
afterAll(() => sim.close());

async function jobIds(params: Record<string, string>): Promise<string[]> {
  expect(validateQuery('get', '/job', params)).toEqual([]);
  const list = await getOk<{ id: string }[]>(sim, `/job${query(params)}`);
  expect(await getOk(sim, `/job/count${query(params)}`)).toEqual({ count: list.length });
  return list.map((job) => job.id).sort();
}

describe('executable jobs as Camunda selects them', () => {
  it('include jobs suspended by their job definition, but not those of suspended instances', async () => {
    expect(await jobIds({ executable: 'true' })).toEqual(['DUE', 'PARKED', 'WAITING']);
  });

  it('without the suspended ones with active=true', async () => {
    expect(await jobIds({ executable: 'true', active: 'true' })).toEqual(['DUE', 'WAITING']);
    expect(await jobIds({ suspended: 'true' })).toEqual(['FROZEN', 'PARKED']);
  });

  it('compare creation times with <= and due dates with <', async () => {
    expect(await jobIds({ createTimes: `lt_${at(10)}` })).toEqual(['DUE', 'FROZEN', 'PARKED', 'WAITING']);
    expect(await jobIds({ createTimes: `gt_${at(10)}` })).toEqual([]);
    expect(await jobIds({ dueDates: `lt_${at(10)}` })).toEqual([]);
    expect(await jobIds({ dueDates: `lt_${at(9)}` })).toEqual(['DUE']);
  });

  it('never match a missing due date with dueDates, so gt_ 1970 selects the jobs that have one', async () => {
    expect(await jobIds({ dueDates: 'gt_1970-01-01T00:00:00.000+0000' })).toEqual(['DUE']);
  });

  it('fail like the engine when job definition and activity are both given (Job.xml lacks an "and")', async () => {
    const jobs = await getOk<{ id: string; jobDefinitionId: string }[]>(sim, '/job');
    const due = jobs.find((job) => job.id === 'DUE')!;
    expect(await jobIds({ jobDefinitionId: due.jobDefinitionId })).toEqual(['DUE']);
    const answer = await get(sim, `/job/count${query({ jobDefinitionId: due.jobDefinitionId, activityId: 'Timer_Due' })}`);
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ type: 'ProcessEngineException' });
    expect((await get(sim, `/job/count${query({ jobId: 'DUE', activityId: 'Timer_Due' })}`)).status).toBe(500);
    expect(await jobIds({ jobId: 'DUE', processDefinitionKey: 'billing' })).toEqual(['DUE']);
  });
});
