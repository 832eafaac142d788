import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { validateResponse } from '../support/openapi';
import { clock, get, getOk, scenario } from './fixture';

/*
 * The write endpoints of the simulator against the engine's semantics (src/simulator/writes.ts
 * cites the engine source for each): what changes, what does not, and what the engine answers.
 */

const SAP = loadScenario('src/simulator/scenarios/sap-outage.json');

interface JobDefinition {
  id: string;
  activityId: string;
  processDefinitionId: string;
  suspended: boolean;
}
interface Job {
  id: string;
  jobDefinitionId: string;
  retries: number;
  suspended: boolean;
  processInstanceId: string;
  exceptionMessage: string | null;
}

const put = (sim: RunningSimulator, path: string, body: unknown, headers: Record<string, string> = {}) =>
  get(sim, path, { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });

let sim: RunningSimulator;
afterEach(() => sim.close());

describe('job definitions: suspension with and without jobs, retries', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario: SAP });
  });
  const jobDefinitions = () => getOk<JobDefinition[]>(sim, '/job-definition?activityIdIn=ServiceTask_PostOrder&sortBy=processDefinitionId&sortOrder=asc');
  const jobsOf = (jd: JobDefinition) => getOk<Job[]>(sim, `/job?jobDefinitionId=${jd.id}`);

  it('suspends the job definition and, with includeJobs, every job of it; answers 204 without body', async () => {
    const [v1, v2] = await jobDefinitions();
    const answer = await put(sim, `/job-definition/${v2!.id}/suspended`, { suspended: true, includeJobs: true, executionDate: null });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    const after = await jobDefinitions();
    expect(after.map((jd) => jd.suspended)).toEqual([false, true]);
    expect((await jobsOf(v2!)).map((j) => j.suspended)).toEqual([true, true, true]);
    // The other version's job definition and jobs are untouched.
    expect((await jobsOf(v1!)).every((j) => !j.suspended)).toBe(true);
    expect(await getOk(sim, `/job/count?jobDefinitionId=${v2!.id}&active=true`)).toEqual({ count: 0 });
  });

  it('without includeJobs leaves the jobs as they are', async () => {
    const [, v2] = await jobDefinitions();
    expect((await put(sim, `/job-definition/${v2!.id}/suspended`, { suspended: true })).status).toBe(204);
    expect((await jobDefinitions())[1]!.suspended).toBe(true);
    expect((await jobsOf(v2!)).every((j) => !j.suspended)).toBe(true);
  });

  it('activates job definition and jobs again; an unknown id changes nothing and is no error', async () => {
    const [, v2] = await jobDefinitions();
    await put(sim, `/job-definition/${v2!.id}/suspended`, { suspended: true, includeJobs: true });
    expect((await put(sim, `/job-definition/${v2!.id}/suspended`, { suspended: false, includeJobs: true })).status).toBe(204);
    expect((await jobsOf(v2!)).every((j) => !j.suspended)).toBe(true);
    expect((await put(sim, '/job-definition/no-such-id/suspended', { suspended: true, includeJobs: true })).status).toBe(204);
  });

  it('refuses a delayed suspension, which it does not simulate', async () => {
    const [, v2] = await jobDefinitions();
    const answer = await put(sim, `/job-definition/${v2!.id}/suspended`, { suspended: true, executionDate: '2030-01-01T00:00:00.000+0000' });
    expect(answer.status).toBe(400);
    expect((await jobDefinitions())[1]!.suspended).toBe(false);
  });

  it('retries by job definition as a bulk update: failed jobs get retries, their incidents stay open', async () => {
    const [, v2] = await jobDefinitions();
    const before = await getOk<{ count: number }>(sim, '/incident/count');
    expect((await put(sim, `/job-definition/${v2!.id}/retries`, { retries: 2 })).status).toBe(204);
    const jobs = await jobsOf(v2!);
    expect(jobs.filter((j) => j.exceptionMessage !== null).map((j) => j.retries)).toEqual([2, 2]);
    expect(jobs.filter((j) => j.exceptionMessage === null).map((j) => j.retries)).toEqual([3]);
    expect(await getOk(sim, '/incident/count')).toEqual(before);
  });
});

describe('jobs and external tasks: retries resolve incidents', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario, now: clock });
  });

  it('gives one failed job retries and resolves its incident (JobEntity#setRetries)', async () => {
    const [failed] = await getOk<Job[]>(sim, '/job?noRetriesLeft=true&sortBy=jobId&sortOrder=asc');
    const incidents = await getOk<{ count: number }>(sim, '/incident/count');
    expect(await getOk(sim, `/incident/count?incidentType=failedJob&configuration=${failed!.id}`)).toEqual({ count: 1 });
    expect((await put(sim, `/job/${failed!.id}/retries`, { retries: 3 })).status).toBe(204);
    expect(await getOk(sim, `/job?jobId=${failed!.id}`)).toMatchObject([{ retries: 3 }]);
    expect(await getOk(sim, '/incident/count')).toEqual({ count: incidents.count - 1 });
    // Again: the job has retries, nothing left to resolve.
    expect((await put(sim, `/job/${failed!.id}/retries`, { retries: 3 })).status).toBe(204);
    expect(await getOk(sim, '/incident/count')).toEqual({ count: incidents.count - 1 });
  });

  it('answers an unknown job as JobResourceImpl does: 500 "No job found"', async () => {
    const answer = await put(sim, '/job/no-such-job/retries', { retries: 1 });
    expect(answer).toMatchObject({ status: 500, body: { type: 'InvalidRequestException', message: expect.stringContaining("No job found with id 'no-such-job'") } });
    expect(validateResponse('put', '/job/no-such-job/retries', 500, answer.body)).toEqual([]);
  });

  it('refuses retries missing or below 1 (0 would create incidents, not simulated)', async () => {
    const [failed] = await getOk<Job[]>(sim, '/job?noRetriesLeft=true');
    expect((await put(sim, `/job/${failed!.id}/retries`, {})).status).toBe(400);
    expect((await put(sim, `/job/${failed!.id}/retries`, { retries: -1 })).status).toBe(400);
    expect((await put(sim, `/job/${failed!.id}/retries`, 'not json')).status).toBe(400);
  });

  it('resolving a called instance\'s incident resolves the incident it caused one calling level up (IncidentEntity#remove)', async () => {
    const [job] = await getOk<Job[]>(sim, '/job?noRetriesLeft=true&activityId=ServiceTask_Post');
    expect(await getOk(sim, '/incident/count?incidentType=failedJob&activityId=CallActivity_Sub')).toEqual({ count: 1 });
    expect((await put(sim, `/job/${job!.id}/retries`, { retries: 1 })).status).toBe(204);
    expect(await getOk(sim, '/incident/count?incidentType=failedJob&activityId=CallActivity_Sub')).toEqual({ count: 0 });
    expect(await getOk(sim, `/history/process-instance?withIncidents=true&processInstanceId=${job!.processInstanceId}`)).toEqual([]);
  });
});

interface ExternalTask {
  id: string;
  activityId: string;
  topicName: string;
  retries: number | null;
  errorMessage: string | null;
  suspended: boolean;
  processInstanceId: string;
}
const EXTERNAL = loadScenario('src/simulator/scenarios/external-tasks.json');

describe('external tasks: one model for the task and its failedExternalTask incident', () => {
  it('a declared failedExternalTask incident is the incident of a failed external task (retries 0, its message)', async () => {
    sim = await startSimulator({ scenario, now: clock });
    const [incident] = await getOk<{ configuration: string; processInstanceId: string; activityId: string }[]>(sim, '/incident?incidentType=failedExternalTask');
    const tasks = await getOk<ExternalTask[]>(sim, `/external-task?externalTaskId=${incident!.configuration}`);
    expect(tasks).toMatchObject([{ retries: 0, errorMessage: 'Warehouse API 503', activityId: 'Task_Ship', processInstanceId: incident!.processInstanceId }]);
    expect(await getOk(sim, '/external-task/count?noRetriesLeft=true')).toEqual({ count: 1 });
  });

  it('a declared task with retries 0 has its incident, as ExternalTaskEntity#setRetriesAndManageIncidents creates it', async () => {
    sim = await startSimulator({ scenario: EXTERNAL });
    const [failed] = await getOk<ExternalTask[]>(sim, '/external-task?noRetriesLeft=true');
    expect(failed).toMatchObject({ topicName: 'sap-booking', errorMessage: 'JCO_ERROR_LOGON_FAILURE: Name or password is incorrect' });
    expect(await getOk(sim, '/incident?incidentType=failedExternalTask')).toMatchObject([
      { configuration: failed!.id, activityId: 'sap-booking', processInstanceId: failed!.processInstanceId, incidentMessage: failed!.errorMessage },
    ]);
    // The task backing off (retries 2) has none.
    expect(await getOk(sim, '/incident/count')).toEqual({ count: 1 });
  });

  it('new retries for a failed task resolve its incident; again, or for a task with retries left, only set the number; unknown: 404', async () => {
    sim = await startSimulator({ scenario: EXTERNAL });
    const [failed] = await getOk<ExternalTask[]>(sim, '/external-task?noRetriesLeft=true');
    const answer = await put(sim, `/external-task/${failed!.id}/retries`, { retries: 2 });
    expect(answer).toMatchObject({ status: 204, text: '' });
    expect(await getOk(sim, `/external-task?externalTaskId=${failed!.id}`)).toMatchObject([{ retries: 2 }]);
    expect(await getOk(sim, '/incident/count')).toEqual({ count: 0 });
    expect(await getOk(sim, '/external-task/count?noRetriesLeft=true')).toEqual({ count: 0 });
    // Fetchable again once its lock ran out: with retries left.
    expect(await getOk(sim, '/external-task/count?topicName=sap-booking&notLocked=true&withRetriesLeft=true&active=true')).toEqual({ count: 3 });

    expect((await put(sim, `/external-task/${failed!.id}/retries`, { retries: 5 })).status).toBe(204);
    expect(await getOk(sim, `/external-task?externalTaskId=${failed!.id}`)).toMatchObject([{ retries: 5 }]);
    const [waiting] = await getOk<ExternalTask[]>(sim, '/external-task?topicName=send-mail&maxResults=1');
    expect(waiting!.retries).toBeNull();
    expect((await put(sim, `/external-task/${waiting!.id}/retries`, { retries: 1 })).status).toBe(204);
    expect(await getOk(sim, `/external-task?externalTaskId=${waiting!.id}`)).toMatchObject([{ retries: 1 }]);

    const unknown = await put(sim, '/external-task/no-such-task/retries', { retries: 1 });
    expect(unknown).toMatchObject({ status: 404, body: { type: 'RestException', message: 'External task with id no-such-task does not exist' } });
    expect(validateResponse('put', '/external-task/x/retries', 404, unknown.body)).toEqual([]);
    expect((await put(sim, `/external-task/${failed!.id}/retries`, {})).status).toBe(400);
    expect((await put(sim, `/external-task/${failed!.id}/retries`, { retries: -1 })).status).toBe(400);
  });

  it('suspending a definition with its instances suspends their external tasks too; activating activates them', async () => {
    sim = await startSimulator({ scenario: EXTERNAL });
    const [invoice] = await getOk<{ id: string }[]>(sim, '/process-definition?key=invoice');
    await put(sim, `/process-definition/${invoice!.id}/suspended`, { suspended: true, includeProcessInstances: true });
    expect(await getOk(sim, '/external-task/count?processDefinitionKey=invoice&active=true')).toEqual({ count: 0 });
    expect(await getOk(sim, '/external-task/count?processDefinitionKey=order&suspended=true')).toEqual({ count: 0 });
    await put(sim, `/process-definition/${invoice!.id}/suspended`, { suspended: false, includeProcessInstances: true });
    expect(await getOk(sim, '/external-task/count?suspended=true')).toEqual({ count: 0 });
  });

  it('a user without write permissions: 403 naming UPDATE on the instance; an unknown task is 404 first', async () => {
    sim = await startSimulator({ scenario: EXTERNAL, auth: { username: 'monitoring', password: 'secret' }, denyWrites: true });
    const auth = { Authorization: `Basic ${Buffer.from('monitoring:secret').toString('base64')}` };
    const [failed] = (await get(sim, '/external-task?noRetriesLeft=true', { headers: auth })).body as ExternalTask[];
    const answer = await put(sim, `/external-task/${failed!.id}/retries`, { retries: 1 }, auth);
    expect(answer).toMatchObject({ status: 403, body: { type: 'AuthorizationException', message: expect.stringContaining(`'UPDATE' permission on resource '${failed!.processInstanceId}' of type 'ProcessInstance' or 'UPDATE_INSTANCE' permission on resource 'invoice'`) } });
    expect(((await get(sim, '/incident/count', { headers: auth })).body as { count: number }).count).toBe(1);
    expect((await put(sim, '/external-task/no-such-task/retries', { retries: 1 }, auth)).status).toBe(404);
  });

  it('refuses a scenario whose failedExternalTask incident names a task with retries left', async () => {
    sim = await startSimulator({ scenario: EXTERNAL });
    const bad = structuredClone(EXTERNAL);
    const engine = bad.engines[0]!;
    engine.externalTasks![0] = { ...engine.externalTasks![0]!, id: 'busy-task', count: 1 };
    engine.incidents = [{ instance: 'inv-mail', type: 'failedExternalTask', activityId: 'send-mail', message: 'x', ago: '1m', configuration: 'busy-task' }];
    await expect(startSimulator({ scenario: bad })).rejects.toThrow(/external task 'busy-task' has retries left \(null\)/);
  });
});

describe('process definitions: suspension cascades', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario: SAP });
  });

  it('suspends the version, all its job definitions and, with includeProcessInstances, its instances and their jobs', async () => {
    const [v1, v2] = await getOk<{ id: string }[]>(sim, '/process-definition?key=orderToCash&sortBy=version&sortOrder=asc');
    expect((await put(sim, `/process-definition/${v2!.id}/suspended`, { suspended: true, includeProcessInstances: true, executionDate: null })).status).toBe(204);
    expect(await getOk(sim, `/process-definition/${v2!.id}`)).toMatchObject({ suspended: true });
    expect(await getOk(sim, `/job-definition/count?processDefinitionId=${v2!.id}&active=true`)).toEqual({ count: 0 });
    expect(await getOk(sim, `/process-instance/count?processDefinitionId=${v2!.id}&active=true`)).toEqual({ count: 0 });
    expect(await getOk(sim, `/job/count?processDefinitionId=${v2!.id}&active=true`)).toEqual({ count: 0 });
    expect(await getOk(sim, `/history/process-instance/count?processDefinitionId=${v2!.id}&suspended=true`)).toEqual({ count: 5 });
    // Version 1 is another definition.
    expect(await getOk(sim, `/process-instance/count?processDefinitionId=${v1!.id}&active=true`)).toEqual({ count: 1 });
  });

  it('without includeProcessInstances suspends the job definitions, not the instances or jobs', async () => {
    const [, v2] = await getOk<{ id: string }[]>(sim, '/process-definition?key=orderToCash&sortBy=version&sortOrder=asc');
    await put(sim, `/process-definition/${v2!.id}/suspended`, { suspended: true });
    expect(await getOk(sim, `/job-definition/count?processDefinitionId=${v2!.id}&suspended=true`)).toEqual({ count: 3 });
    expect(await getOk(sim, `/process-instance/count?processDefinitionId=${v2!.id}&suspended=true`)).toEqual({ count: 0 });
    expect(await getOk(sim, `/job/count?processDefinitionId=${v2!.id}&suspended=true`)).toEqual({ count: 0 });
  });

  it('activating a definition activates every job definition of it, also those suspended on their own', async () => {
    const [, v2] = await getOk<{ id: string }[]>(sim, '/process-definition?key=orderToCash&sortBy=version&sortOrder=asc');
    const [jd] = await getOk<JobDefinition[]>(sim, `/job-definition?processDefinitionId=${v2!.id}&activityIdIn=ServiceTask_PostOrder`);
    await put(sim, `/job-definition/${jd!.id}/suspended`, { suspended: true, includeJobs: true });
    await put(sim, `/process-definition/${v2!.id}/suspended`, { suspended: false, includeProcessInstances: true });
    expect(await getOk(sim, `/job-definition/count?processDefinitionId=${v2!.id}&suspended=true`)).toEqual({ count: 0 });
  });
});

describe('a user without write permissions', () => {
  beforeEach(async () => {
    sim = await startSimulator({ scenario: SAP, auth: { username: 'monitoring', password: 'secret' }, denyWrites: true });
  });
  const auth = { Authorization: `Basic ${Buffer.from('monitoring:secret').toString('base64')}` };

  it('gets 403 AuthorizationException naming the permission the engine checks first, and nothing changes', async () => {
    const jds = await (await get(sim, '/job-definition', { headers: auth })).body as JobDefinition[];
    const answer = await put(sim, `/job-definition/${jds[0]!.id}/suspended`, { suspended: true, includeJobs: true }, auth);
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      type: 'AuthorizationException',
      message: "The user with id 'monitoring' does not have one of the following permissions: 'UPDATE' permission on resource 'orderToCash' of type 'ProcessDefinition'",
    });
    expect(((await get(sim, '/job-definition?suspended=true', { headers: auth })).body as unknown[]).length).toBe(0);
    const definitions = (await get(sim, '/process-definition', { headers: auth })).body as { id: string }[];
    const stop = await put(sim, `/process-definition/${definitions[0]!.id}/suspended`, { suspended: true, includeProcessInstances: true }, auth);
    expect(stop.body).toMatchObject({ message: expect.stringContaining("'SUSPEND' permission on resource 'orderToCash' of type 'ProcessDefinition' or 'UPDATE' permission") });
  });

  it('still needs credentials first: 401 without them', async () => {
    expect((await put(sim, '/job-definition/x/suspended', { suspended: true })).status).toBe(401);
  });
});
