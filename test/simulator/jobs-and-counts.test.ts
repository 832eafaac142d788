import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { validateQuery } from '../support/openapi';
import { clock, get, getOk, query, scenario, UUID } from './fixture';

interface JobDto {
  id: string;
  jobDefinitionId: string;
  dueDate: string | null;
  processInstanceId: string;
  processDefinitionKey: string;
  retries: number;
  failedActivityId: string | null;
  [field: string]: unknown;
}

interface JobDefinitionDto {
  id: string;
  activityId: string;
  processDefinitionId: string;
  [field: string]: unknown;
}

/*
 * Jobs of the fixture (now = 2024-03-01T12:00Z):
 *   T1 timer   Timer_Remind         inv2a  due 14:00, created 09:00
 *   T2 timer   Timer_Remind         inv1   due 11:50 (overdue), created 2024-02-28T12:00
 *   M  message ServiceTask_Mail     ord2   due 12:01, retries 2, 'smtp down', priority 5, created 11:10
 *   F0 message ServiceTask_Archive  inv1   failed (retries 0) for incident I0
 *   F1 message ServiceTask_Post     inv2a  failed for I1
 */
let sim: RunningSimulator;
let jobs: JobDto[];
let instanceOf: Record<string, string>;
const NAMES: Record<string, string> = {};

function name(job: JobDto): string {
  return NAMES[job.id]!;
}

async function jobNames(params: Record<string, string>): Promise<string[]> {
  const list = await getOk<JobDto[]>(sim, `/job${query(params)}`);
  const count = await getOk<{ count: number }>(sim, `/job/count${query(params)}`);
  expect(count.count, 'count agrees with the list').toBe(list.length);
  return list.map(name).sort();
}

beforeAll(async () => {
  sim = await startSimulator({ scenario, now: clock });
  jobs = await getOk<JobDto[]>(sim, '/job');
  const incidents = await getOk<{ id: string; configuration: string; activityId: string; processInstanceId: string }[]>(sim, '/incident?incidentType=failedJob');
  const instances = await getOk<{ processInstanceId: string; activityId: string }[]>(sim, '/incident');
  instanceOf = {};
  for (const i of instances) instanceOf[i.activityId] = i.processInstanceId;
  for (const i of incidents) {
    NAMES[i.configuration] = { ServiceTask_Archive: 'F0', ServiceTask_Post: 'F1' }[i.activityId]!;
  }
  for (const job of jobs) {
    if (NAMES[job.id]) continue;
    if (job.processDefinitionKey === 'order') NAMES[job.id] = 'M';
    else NAMES[job.id] = job.dueDate === '2024-03-01T14:00:00.000+0000' ? 'T1' : 'T2';
  }
});
afterAll(() => sim.close());

describe('GET /job', () => {
  it('lists timers, messages and the failed jobs behind failedJob incidents (not behind their calling levels\' copies)', () => {
    expect(jobs.map(name).sort()).toEqual(['F0', 'F1', 'M', 'T1', 'T2']);
  });

  it('answers with JobDto', () => {
    const m = jobs.find((j) => name(j) === 'M')!;
    expect(m).toEqual({
      id: expect.stringMatching(UUID),
      jobDefinitionId: expect.stringMatching(UUID),
      dueDate: '2024-03-01T12:01:00.000+0000',
      processInstanceId: instanceOf.Task_Ship,
      executionId: instanceOf.Task_Ship,
      processDefinitionId: expect.stringMatching(/^order:2:/),
      processDefinitionKey: 'order',
      retries: 2,
      exceptionMessage: 'smtp down',
      failedActivityId: 'ServiceTask_Mail',
      suspended: false,
      priority: 5,
      tenantId: null,
      createTime: '2024-03-01T11:10:00.000+0000',
    });
    const f1 = jobs.find((j) => name(j) === 'F1')!;
    expect(f1).toMatchObject({ retries: 0, dueDate: null, exceptionMessage: 'SAP posting failed | period closed', failedActivityId: 'ServiceTask_Post', suspended: false });
    expect(jobs.find((j) => name(j) === 'T2')).toMatchObject({ createTime: '2024-02-28T12:00:00.000+0000', exceptionMessage: null, failedActivityId: null, retries: 3 });
  });

  const cases: [string, Record<string, string>, string[]][] = [
    ['timers', { timers: 'true' }, ['T1', 'T2']],
    ['messages', { messages: 'true' }, ['F0', 'F1', 'M']],
    ['noRetriesLeft', { noRetriesLeft: 'true' }, ['F0', 'F1']],
    ['withRetriesLeft', { withRetriesLeft: 'true' }, ['M', 'T1', 'T2']],
    ['withException', { withException: 'true' }, ['F0', 'F1', 'M']],
    ['exceptionMessage', { exceptionMessage: 'smtp down' }, ['M']],
    ['executable: retries left and due', { executable: 'true' }, ['T2']],
    ['dueDates lower than', { dueDates: 'lt_2024-03-01T12:00:00.000+0000' }, ['T2']],
    ['dueDates window', { dueDates: 'gt_2024-03-01T12:00:00.000+0000,lt_2024-03-01T13:00:00.000+0000' }, ['M']],
    ['createTimes', { createTimes: 'gt_2024-03-01T09:00:00.000+0000' }, ['F1', 'M']],
    ['processDefinitionKey', { processDefinitionKey: 'order' }, ['M']],
    ['activityId', { activityId: 'ServiceTask_Post' }, ['F1']],
    ['failedActivityId', { failedActivityId: 'ServiceTask_Archive' }, ['F0']],
    ['suspended', { suspended: 'true' }, []],
    ['active', { active: 'true' }, ['F0', 'F1', 'M', 'T1', 'T2']],
    ['priorityHigherThanOrEquals', { priorityHigherThanOrEquals: '5' }, ['M']],
    ['priorityLowerThanOrEquals', { priorityLowerThanOrEquals: '0', timers: 'true' }, ['T1', 'T2']],
    ['tenantIdIn', { tenantIdIn: 'acme' }, []],
    ['withoutTenantId', { withoutTenantId: 'true', timers: 'true' }, ['T1', 'T2']],
  ];
  it.each(cases)('filters by %s', async (_name, params, expected) => {
    expect(validateQuery('get', '/job', params)).toEqual([]);
    expect(await jobNames(params)).toEqual(expected);
  });

  it('filters by instance, definition and job definition ids', async () => {
    const f1 = jobs.find((j) => name(j) === 'F1')!;
    expect(await jobNames({ processInstanceId: f1.processInstanceId })).toEqual(['F1', 'T1']);
    expect(await jobNames({ jobDefinitionId: f1.jobDefinitionId })).toEqual(['F1']);
    expect(await jobNames({ processDefinitionId: f1.processDefinitionId as string })).toEqual(['F1', 'T1']);
    expect(await jobNames({ jobIds: `${f1.id},nope` })).toEqual(['F1']);
  });

  it('sorts by due date with nulls first, and pages', async () => {
    const sorted = (await getOk<JobDto[]>(sim, '/job?sortBy=jobDueDate&sortOrder=asc')).map(name);
    expect(sorted.slice(0, 2).sort()).toEqual(['F0', 'F1']);
    expect(sorted.slice(2)).toEqual(['T2', 'M', 'T1']);
    expect((await getOk<JobDto[]>(sim, '/job?sortBy=jobDueDate&sortOrder=desc&maxResults=2')).map(name)).toEqual(['T1', 'M']);
    expect((await getOk<JobDto[]>(sim, '/job?sortBy=jobRetries&sortOrder=desc&firstResult=2&maxResults=1')).map(name)).toEqual(['M']);
  });

  it.each([
    [{ dueDates: 'lt_2024-03-01' }, 400, 'Invalid due date format: Cannot convert value "2024-03-01" to java type java.util.Date'],
    [{ dueDates: 'eq_2024-03-01T12:00:00.000+0000' }, 400, 'Invalid due date comparator specified: eq'],
    [{ createTimes: 'before_2024-03-01T12:00:00.000+0000' }, 400, 'Invalid create time comparator specified: before'],
    [{ dueDates: 'soon' }, 400, "Cannot set query parameter 'dueDates' to value 'soon': condition query parameter has to have format OPERATOR_VALUE."],
    [{ priorityHigherThanOrEquals: 'high' }, 400, "Cannot set query parameter 'priorityHigherThanOrEquals' to value 'high': Cannot convert value high to java type java.lang.Long"],
    [{ sortBy: 'dueDate', sortOrder: 'asc' }, 400, "Cannot set query parameter 'sortBy' to value 'dueDate'"],
    [{ timers: 'true', messages: 'true' }, 500, 'Cannot combine onlyMessages() with onlyTimers() in the same query'],
  ])('rejects %o', async (params, status, message) => {
    const answer = await get(sim, `/job${query(params)}`);
    expect(answer.status).toBe(status);
    expect((answer.body as { message: string }).message).toBe(message);
  });
});

describe('GET /job-definition', () => {
  let definitions: JobDefinitionDto[];
  const activities = async (params: Record<string, string>) => {
    const list = await getOk<JobDefinitionDto[]>(sim, `/job-definition${query(params)}`);
    const count = await getOk<{ count: number }>(sim, `/job-definition/count${query(params)}`);
    expect(count.count).toBe(list.length);
    return list.map((d) => d.activityId).sort();
  };

  beforeAll(async () => {
    definitions = await getOk<JobDefinitionDto[]>(sim, '/job-definition');
  });

  it('lists declared job definitions per version, and implied ones for undeclared async activities', () => {
    expect(definitions.map((d) => d.activityId).sort()).toEqual(['ServiceTask_Archive', 'ServiceTask_Mail', 'ServiceTask_Post', 'Timer_Remind', 'Timer_Remind']);
  });

  it('answers with JobDefinitionDto (shape of the 7.24 document)', async () => {
    const invoice2 = (await getOk<{ id: string; deploymentId: string }[]>(sim, '/process-definition?key=invoice&version=2'))[0]!;
    expect(await getOk(sim, '/job-definition?suspended=true')).toEqual([
      {
        id: expect.stringMatching(UUID),
        processDefinitionId: invoice2.id,
        processDefinitionKey: 'invoice',
        activityId: 'ServiceTask_Post',
        jobType: 'async-continuation',
        jobConfiguration: 'async-before',
        overridingJobPriority: 10,
        suspended: true,
        tenantId: null,
        deploymentId: invoice2.deploymentId,
      },
    ]);
    expect(definitions.find((d) => d.activityId === 'ServiceTask_Mail')).toMatchObject({ jobType: 'async-continuation', jobConfiguration: 'async-before', suspended: false, overridingJobPriority: null });
  });

  const cases: [string, Record<string, string>, string[]][] = [
    ['activityIdIn', { activityIdIn: 'Timer_Remind,ServiceTask_Mail' }, ['ServiceTask_Mail', 'Timer_Remind', 'Timer_Remind']],
    ['jobType', { jobType: 'timer-intermediate-transition' }, ['Timer_Remind', 'Timer_Remind']],
    ['jobConfiguration', { jobConfiguration: 'DURATION: PT5H' }, ['Timer_Remind', 'Timer_Remind']],
    ['processDefinitionKey', { processDefinitionKey: 'order' }, ['ServiceTask_Mail']],
    ['active', { active: 'true' }, ['ServiceTask_Archive', 'ServiceTask_Mail', 'Timer_Remind', 'Timer_Remind']],
    ['withOverridingJobPriority', { withOverridingJobPriority: 'true' }, ['ServiceTask_Post']],
    ['tenantIdIn', { tenantIdIn: 'acme' }, []],
  ];
  it.each(cases)('filters by %s', async (_name, params, expected) => {
    expect(validateQuery('get', '/job-definition', params)).toEqual([]);
    expect(await activities(params)).toEqual(expected);
  });

  it('filters by process definition id and job definition id', async () => {
    const post = definitions.find((d) => d.activityId === 'ServiceTask_Post')!;
    expect(await activities({ processDefinitionId: post.processDefinitionId })).toEqual(['ServiceTask_Post', 'Timer_Remind']);
    expect(await activities({ jobDefinitionId: post.id })).toEqual(['ServiceTask_Post']);
  });

  it('sorts and pages', async () => {
    const sorted = (await getOk<JobDefinitionDto[]>(sim, '/job-definition?sortBy=activityId&sortOrder=desc&firstResult=1&maxResults=2')).map((d) => d.activityId);
    expect(sorted).toEqual(['Timer_Remind', 'ServiceTask_Post']);
  });
});

describe('GET /process-instance/count', () => {
  const cases: [string, Record<string, string>, number][] = [
    ['nothing', {}, 9],
    ['processDefinitionKey', { processDefinitionKey: 'invoice' }, 6],
    ['processDefinitionKeyIn', { processDefinitionKeyIn: 'order,onboarding' }, 3],
    ['processDefinitionKeyNotIn', { processDefinitionKeyNotIn: 'invoice' }, 3],
    ['suspended', { suspended: 'true' }, 1],
    ['active', { active: 'true' }, 8],
    ['withIncident', { withIncident: 'true' }, 5],
    ['incidentType', { incidentType: 'failedJob' }, 3],
    ['tenantIdIn', { tenantIdIn: 'acme,globex' }, 2],
    ['withoutTenantId', { withoutTenantId: 'true' }, 7],
    ['businessKey', { businessKey: 'INV-2' }, 1],
    ['businessKeyLike', { businessKeyLike: 'INV-BULK-%' }, 3],
  ];
  it.each(cases)('counts by %s', async (_name, params, expected) => {
    expect(validateQuery('get', '/process-instance/count', params)).toEqual([]);
    expect(await getOk(sim, `/process-instance/count${query(params)}`)).toEqual({ count: expected });
  });

  it('counts by process definition id', async () => {
    const [invoice2] = await getOk<{ id: string }[]>(sim, '/process-definition?key=invoice&latestVersion=true');
    expect(await getOk(sim, `/process-instance/count?processDefinitionId=${invoice2!.id}`)).toEqual({ count: 5 });
  });
});

describe('GET /task/count', () => {
  const cases: [string, Record<string, string>, number][] = [
    ['nothing', {}, 3],
    ['processDefinitionKey', { processDefinitionKey: 'invoice' }, 2],
    ['processDefinitionKeyIn', { processDefinitionKeyIn: 'invoice,onboarding' }, 3],
    ['tenantIdIn', { tenantIdIn: 'acme' }, 1],
    ['suspended (with its instance)', { suspended: 'true' }, 1],
    ['active', { active: 'true' }, 2],
    ['assigned', { assigned: 'true' }, 1],
    ['unassigned', { unassigned: 'true' }, 2],
    ['dueBefore', { dueBefore: '2024-03-01T12:00:00.000+0000' }, 1],
    ['withoutDueDate', { withoutDueDate: 'true' }, 1],
    ['taskDefinitionKey', { taskDefinitionKey: 'UserTask_Approve' }, 2],
  ];
  it.each(cases)('counts by %s', async (_name, params, expected) => {
    expect(validateQuery('get', '/task/count', params)).toEqual([]);
    expect(await getOk(sim, `/task/count${query(params)}`)).toEqual({ count: expected });
  });

  it('lists what it counts: /task agrees with /task/count', async () => {
    const params = { processDefinitionKey: 'invoice' };
    const list = await getOk<{ taskDefinitionKey: string }[]>(sim, `/task${query(params)}`);
    expect(list.map((t) => t.taskDefinitionKey)).toEqual(['UserTask_Approve', 'UserTask_Approve']);
  });
});
