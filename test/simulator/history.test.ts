import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCamundaDate, loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { validateQuery } from '../support/openapi';
import { clock, get, getOk, NOW, query, UUID } from './fixture';

/*
 * The history resources and the /task list against test/fixtures/sla.json (the SLA scenario),
 * at the fixed clock. Every expected figure follows from the scenario; the simulator README's
 * table lists the ones check_camunda_sla relies on.
 */
const SCENARIO = new URL('../fixtures/sla.json', import.meta.url).pathname;

interface HistoricProcessInstanceDto {
  id: string;
  businessKey: string | null;
  processDefinitionId: string;
  startTime: string;
  endTime: string | null;
  [field: string]: unknown;
}

interface HistoricActivityInstanceDto {
  id: string;
  activityId: string;
  activityType: string;
  processInstanceId: string;
  startTime: string;
  endTime: string | null;
  [field: string]: unknown;
}

interface TaskDto {
  id: string;
  taskDefinitionKey: string;
  processInstanceId: string;
  created: string;
  [field: string]: unknown;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The clock minus `ms`, in the engine's date format. */
const ago = (ms: number) => formatCamundaDate(new Date(NOW.getTime() - ms));

let sim: RunningSimulator;
let definitionIds: Record<string, string>;
let businessKeyOf: Record<string, string | null>;

async function count(path: string, params: Record<string, string>): Promise<number> {
  expect(validateQuery('get', `${path}/count`, params), `${path}/count ${JSON.stringify(params)}`).toEqual([]);
  return (await getOk<{ count: number }>(sim, `${path}/count${query(params)}`)).count;
}

/** The list, checked against the count of the same filters. */
async function list<T>(path: string, params: Record<string, string>): Promise<T[]> {
  expect(validateQuery('get', path, params), `${path} ${JSON.stringify(params)}`).toEqual([]);
  const items = await getOk<T[]>(sim, `${path}${query(params)}`);
  const filters = Object.fromEntries(Object.entries(params).filter(([name]) => !['sortBy', 'sortOrder', 'firstResult', 'maxResults'].includes(name)));
  if (params.maxResults === undefined) expect(await count(path, filters), 'count agrees with the list').toBe(items.length);
  return items;
}

const instanceKeys = async (params: Record<string, string>) =>
  (await list<HistoricProcessInstanceDto>('/history/process-instance', params)).map((p) => p.businessKey);

/** `<businessKey>/<activityId>` of each activity instance. */
const activities = async (params: Record<string, string>) =>
  (await list<HistoricActivityInstanceDto>('/history/activity-instance', params)).map((a) => `${businessKeyOf[a.processInstanceId]}/${a.activityId}`);

beforeAll(async () => {
  sim = await startSimulator({ scenario: loadScenario(SCENARIO), now: clock });
  const definitions = await getOk<{ id: string; key: string; version: number; tenantId: string | null }[]>(sim, '/process-definition');
  definitionIds = Object.fromEntries(definitions.map((d) => [`${d.key}:${d.version}${d.tenantId ? `@${d.tenantId}` : ''}`, d.id]));
  const instances = await getOk<HistoricProcessInstanceDto[]>(sim, '/history/process-instance');
  businessKeyOf = Object.fromEntries(instances.map((p) => [p.id, p.businessKey]));
});
afterAll(() => sim.close());

describe('GET /history/process-instance', () => {
  it('holds every running instance unfinished, and the finished ones', async () => {
    expect(await count('/history/process-instance', {})).toBe(22);
    expect(await count('/history/process-instance', { unfinished: 'true' })).toBe(18);
    expect((await instanceKeys({ finished: 'true' })).sort()).toEqual(['INV-101', 'INV-102', 'INV-103', 'INV-200']);
    expect(await count('/history/process-instance', { completed: 'true' })).toBe(4);
    expect(await count('/history/process-instance', { active: 'true' })).toBe(18);
    expect(await count('/history/process-instance', { unfinished: 'true', finished: 'true' })).toBe(0);
  });

  it('answers with HistoricProcessInstanceDto: a running and a finished instance', async () => {
    const [running] = await list<HistoricProcessInstanceDto>('/history/process-instance', { processInstanceBusinessKey: 'INV-201' });
    expect(running).toEqual({
      id: expect.stringMatching(UUID),
      rootProcessInstanceId: running!.id,
      superProcessInstanceId: null,
      superCaseInstanceId: null,
      caseInstanceId: null,
      processDefinitionName: 'Invoice Receipt',
      processDefinitionKey: 'invoice',
      processDefinitionVersion: 2,
      processDefinitionId: definitionIds['invoice:2'],
      businessKey: 'INV-201',
      startTime: ago(6 * DAY),
      endTime: null,
      removalTime: null,
      durationInMillis: null,
      startUserId: null,
      startActivityId: 'StartEvent_1',
      deleteReason: null,
      tenantId: null,
      state: 'ACTIVE',
    });
    const [finished] = await list<HistoricProcessInstanceDto>('/history/process-instance', { processInstanceBusinessKey: 'INV-200' });
    expect(finished).toMatchObject({
      startTime: ago(8 * DAY),
      endTime: ago(DAY),
      // The default removal-time strategy: end time plus the definition's history time to live (180 days).
      removalTime: ago(DAY - 180 * DAY),
      durationInMillis: 7 * DAY,
      state: 'COMPLETED',
    });
    const [orderInstance] = await list<HistoricProcessInstanceDto>('/history/process-instance', { processInstanceBusinessKey: 'ORD-1' });
    expect(orderInstance).toMatchObject({ tenantId: 'acme', processDefinitionName: 'Order fulfilment' });
  });

  it('copies of a finished instance run one after the other (every)', async () => {
    const copies = await list<HistoricProcessInstanceDto>('/history/process-instance', { processInstanceBusinessKeyLike: 'INV-10_', finished: 'true', sortBy: 'startTime', sortOrder: 'desc' });
    expect(copies.map((p) => [p.businessKey, p.startTime, p.endTime])).toEqual([
      ['INV-101', ago(20 * DAY), ago(15 * DAY)],
      ['INV-102', ago(21 * DAY), ago(16 * DAY)],
      ['INV-103', ago(22 * DAY), ago(17 * DAY)],
    ]);
  });

  it('counts unfinished instances of a version started before a bound, the bound included', async () => {
    const v2 = definitionIds['invoice:2']!;
    expect(await count('/history/process-instance', { processDefinitionId: v2, unfinished: 'true', startedBefore: ago(5 * DAY) })).toBe(1);
    expect(await count('/history/process-instance', { processDefinitionId: v2, unfinished: 'true', startedBefore: ago(4 * DAY) })).toBe(2);
    // The finished INV-200 started 8 days ago: only `unfinished` keeps it out.
    expect(await count('/history/process-instance', { processDefinitionId: v2, startedBefore: ago(5 * DAY) })).toBe(2);
    // START_TIME_ <= startedBefore and >= startedAfter, as the engine's SQL compares.
    expect(await instanceKeys({ processDefinitionId: v2, startedBefore: ago(6 * DAY), startedAfter: ago(6 * DAY) })).toEqual(['INV-201']);
    expect(await count('/history/process-instance', { processDefinitionId: v2, startedBefore: ago(6 * DAY + 1) })).toBe(1);
    expect(await count('/history/process-instance', { processDefinitionId: v2, unfinished: 'true', startedAfter: ago(6 * HOUR) })).toBe(4);
  });

  const cases: [string, Record<string, string>, number][] = [
    ['processDefinitionKey', { processDefinitionKey: 'invoice', unfinished: 'true' }, 10],
    ['processDefinitionKey of several tenants', { processDefinitionKey: 'order' }, 5],
    ['processDefinitionKey and tenantIdIn', { processDefinitionKey: 'order', tenantIdIn: 'globex' }, 1],
    ['processDefinitionKeyIn', { processDefinitionKeyIn: 'order,broken' }, 6],
    ['processDefinitionKeyNotIn', { processDefinitionKeyNotIn: 'invoice,order' }, 3],
    ['tenantIdIn', { tenantIdIn: 'acme' }, 4],
    ['withoutTenantId', { withoutTenantId: 'true' }, 17],
    ['withoutTenantId and key', { withoutTenantId: 'true', processDefinitionKey: 'order' }, 0],
    ['processDefinitionName', { processDefinitionName: 'Plain process' }, 2],
    ['finishedAfter', { finishedAfter: ago(2 * DAY) }, 1],
    ['finishedBefore', { finishedBefore: ago(15 * DAY) }, 3],
    ['rootProcessInstances', { rootProcessInstances: 'true' }, 22],
    ['suspended', { suspended: 'true' }, 0],
  ];
  it.each(cases)('counts by %s', async (_name, params, expected) => {
    expect(await count('/history/process-instance', params)).toBe(expected);
  });

  it('sorts by start time and pages: the oldest unfinished instance first', async () => {
    const v2 = definitionIds['invoice:2']!;
    const sorted = { processDefinitionId: v2, unfinished: 'true', sortBy: 'startTime', sortOrder: 'asc' };
    expect(await instanceKeys(sorted)).toEqual(['INV-201', 'INV-202', 'INV-208', 'INV-203', 'INV-204', 'INV-205', 'INV-207', 'INV-206']);
    expect(await instanceKeys({ ...sorted, firstResult: '0', maxResults: '1' })).toEqual(['INV-201']);
    expect(await instanceKeys({ ...sorted, firstResult: '2', maxResults: '2' })).toEqual(['INV-208', 'INV-203']);
    expect(await instanceKeys({ processDefinitionKey: 'invoice', finished: 'true', sortBy: 'duration', sortOrder: 'desc', maxResults: '1' })).toEqual(['INV-200']);
  });

  it.each([
    [{ startedBefore: '2024-03-01' }, 400, `Cannot set query parameter 'startedBefore' to value '2024-03-01': Cannot convert value "2024-03-01" to java type java.util.Date`],
    [{ unfinished: 'yes' }, 400, "Cannot set query parameter 'unfinished' to value 'yes': Cannot convert value yes to java type java.lang.Boolean"],
    [{ sortBy: 'created', sortOrder: 'asc' }, 400, "Cannot set query parameter 'sortBy' to value 'created'"],
  ])('rejects %o', async (params, status, message) => {
    const answer = await get(sim, `/history/process-instance${query(params)}`);
    expect(answer.status).toBe(status);
    expect((answer.body as { message: string }).message).toBe(message);
  });
});

describe('GET /history/activity-instance', () => {
  it('holds the waiting activities, the user tasks and the finished activities', async () => {
    expect(await count('/history/activity-instance', {})).toBe(22);
    expect(await count('/history/activity-instance', { unfinished: 'true' })).toBe(17);
    expect((await activities({ finished: 'true' })).sort()).toEqual([
      'INV-200/approve_invoice',
      'INV-200/wait_for_payment',
      'INV-207/approve_invoice',
      'INV-208/approve_invoice',
      'INV-208/wait_for_payment',
    ]);
    expect((await activities({ activityType: 'userTask', unfinished: 'true' })).sort()).toEqual([
      'BRK-1/check',
      'INV-101/approve_invoice',
      'INV-102/approve_invoice',
      'INV-203/approve_invoice',
      'INV-204/approve_invoice',
      'INV-205/approve_invoice',
      'INV-206/approve_invoice',
      'INV-207/review_invoice',
      'ORD-4/pack',
    ]);
  });

  it('answers with HistoricActivityInstanceDto: a waiting receive task and a user task', async () => {
    const [waiting] = await list<HistoricActivityInstanceDto>('/history/activity-instance', {
      processDefinitionId: definitionIds['invoice:2']!,
      activityId: 'wait_for_payment',
      unfinished: 'true',
      sortBy: 'startTime',
      sortOrder: 'asc',
      maxResults: '1',
    });
    expect(waiting).toEqual({
      id: expect.stringMatching(new RegExp(`^wait_for_payment:${UUID.source.slice(1, -1)}$`)),
      parentActivityInstanceId: waiting!.processInstanceId,
      activityId: 'wait_for_payment',
      activityName: 'Wait for payment',
      activityType: 'receiveTask',
      processDefinitionKey: 'invoice',
      processDefinitionId: definitionIds['invoice:2'],
      processInstanceId: expect.stringMatching(UUID),
      executionId: waiting!.processInstanceId,
      taskId: null,
      assignee: null,
      calledProcessInstanceId: null,
      calledCaseInstanceId: null,
      startTime: ago(3 * DAY),
      endTime: null,
      durationInMillis: null,
      canceled: false,
      completeScope: false,
      tenantId: null,
      removalTime: null,
      rootProcessInstanceId: waiting!.processInstanceId,
    });
    expect(businessKeyOf[waiting!.processInstanceId]).toBe('INV-201');

    const tasks = await getOk<TaskDto[]>(sim, `/task${query({ assignee: 'mary' })}`);
    const [userTask] = await list<HistoricActivityInstanceDto>('/history/activity-instance', { taskAssignee: 'mary' });
    expect(userTask).toMatchObject({ activityType: 'userTask', activityName: 'Approve invoice', taskId: tasks[0]!.id, assignee: 'mary', startTime: tasks[0]!.created });
  });

  it('counts unfinished activities of a version started before a bound; unfinished leaves out the finished ones', async () => {
    const byVersion = { processDefinitionId: definitionIds['invoice:2']!, activityId: 'wait_for_payment' };
    expect(await activities({ ...byVersion, unfinished: 'true', startedBefore: ago(2 * DAY) })).toEqual(['INV-201/wait_for_payment']);
    expect((await activities({ ...byVersion, startedBefore: ago(2 * DAY) })).sort()).toEqual(['INV-200/wait_for_payment', 'INV-201/wait_for_payment', 'INV-208/wait_for_payment']);
    expect(await count('/history/activity-instance', { ...byVersion, unfinished: 'true', startedBefore: ago(3 * DAY) })).toBe(1);
    expect(await count('/history/activity-instance', { ...byVersion, unfinished: 'true', startedBefore: ago(3 * DAY + 1) })).toBe(0);
    expect(await count('/history/activity-instance', { ...byVersion, unfinished: 'true', startedAfter: ago(DAY) })).toBe(1);
    expect(await count('/history/activity-instance', { processDefinitionId: definitionIds['invoice:1']!, activityId: 'wait_for_payment' })).toBe(0);
  });

  const cases: [string, Record<string, string>, string[]][] = [
    ['tenantIdIn', { tenantIdIn: 'acme', activityId: 'wait_for_confirmation', unfinished: 'true' }, ['ORD-1/wait_for_confirmation', 'ORD-2/wait_for_confirmation']],
    ['withoutTenantId', { withoutTenantId: 'true', activityId: 'wait_for_confirmation' }, []],
    ['activityType', { activityType: 'callActivity' }, ['ORD-3/ship']],
    ['activityName', { activityName: 'Archive invoice' }, ['INV-208/archive']],
    ['finishedBefore', { finishedBefore: ago(2 * DAY) }, ['INV-200/approve_invoice', 'INV-208/approve_invoice']],
    ['finishedAfter', { finishedAfter: ago(DAY) }, ['INV-200/wait_for_payment', 'INV-207/approve_invoice', 'INV-208/wait_for_payment']],
    ['canceled', { canceled: 'true' }, []],
  ];
  it.each(cases)('filters by %s', async (_name, params, expected) => {
    expect((await activities(params)).sort()).toEqual(expected);
  });

  it('filters by process instance and by the order definition of one tenant', async () => {
    const [ord3] = await list<HistoricProcessInstanceDto>('/history/process-instance', { processInstanceBusinessKey: 'ORD-3' });
    expect(await activities({ processInstanceId: ord3!.id })).toEqual(['ORD-3/ship']);
    expect((await activities({ processDefinitionId: definitionIds['order:1@globex']! })).sort()).toEqual(['GLX-1/wait_for_confirmation']);
  });

  it('sorts by start time and pages', async () => {
    const params = { unfinished: 'true', activityType: 'intermediateMessageCatch', sortBy: 'startTime', sortOrder: 'asc' };
    expect(await activities(params)).toEqual(['GLX-1/wait_for_confirmation', 'ORD-1/wait_for_confirmation', 'ORD-2/wait_for_confirmation']);
    expect(await activities({ ...params, sortOrder: 'desc', firstResult: '1', maxResults: '5' })).toEqual(['ORD-1/wait_for_confirmation', 'GLX-1/wait_for_confirmation']);
    expect((await activities({ processInstanceId: (await list<HistoricProcessInstanceDto>('/history/process-instance', { processInstanceBusinessKey: 'INV-208' }))[0]!.id, sortBy: 'occurrence', sortOrder: 'asc' }))).toEqual([
      'INV-208/approve_invoice',
      'INV-208/wait_for_payment',
      'INV-208/archive',
    ]);
  });

  it('reports the documented parameters it does not simulate as ignored', async () => {
    await getOk(sim, `/history/process-instance/count${query({ unfinished: 'true', activeActivityIdIn: 'approve_invoice' })}`);
    expect(validateQuery('get', '/history/process-instance/count', { activeActivityIdIn: 'approve_invoice' })).toEqual([]);
    expect(sim.requests.at(-1)!.ignored).toEqual(['activeActivityIdIn']);
  });
});

describe('GET /task', () => {
  const v2 = () => ({ processDefinitionId: definitionIds['invoice:2']!, taskDefinitionKey: 'approve_invoice' });

  it('answers with TaskDto', async () => {
    const [task] = await list<TaskDto>('/task', { assignee: 'mary' });
    expect(task).toEqual({
      id: expect.stringMatching(UUID),
      name: 'Approve invoice',
      assignee: 'mary',
      owner: null,
      created: ago(9 * HOUR),
      due: null,
      followUp: null,
      delegationState: null,
      description: null,
      executionId: task!.processInstanceId,
      parentTaskId: null,
      priority: 50,
      processDefinitionId: definitionIds['invoice:2'],
      processInstanceId: expect.stringMatching(UUID),
      caseExecutionId: null,
      caseDefinitionId: null,
      caseInstanceId: null,
      taskDefinitionKey: 'approve_invoice',
      suspended: false,
      formKey: null,
      tenantId: null,
    });
  });

  it('counts open tasks of a version created before a bound (strictly, as Task.xml compares)', async () => {
    expect(await count('/task', { ...v2(), createdBefore: ago(4 * HOUR) })).toBe(2);
    expect(await count('/task', { ...v2(), createdBefore: ago(3 * HOUR) })).toBe(3);
    expect(await count('/task', { ...v2(), createdBefore: ago(5 * HOUR) })).toBe(1);
    expect(await count('/task', { processDefinitionId: definitionIds['invoice:1']!, taskDefinitionKey: 'approve_invoice', createdBefore: ago(8 * HOUR) })).toBe(1);
    expect(await count('/task', { processDefinitionKey: 'invoice', taskDefinitionKey: 'approve_invoice' })).toBe(6);
  });

  it('lists the oldest task first with sortBy=created', async () => {
    const params = { ...v2(), createdBefore: ago(4 * HOUR), sortBy: 'created', sortOrder: 'asc' };
    expect((await list<TaskDto>('/task', params)).map((t) => t.created)).toEqual([ago(9 * HOUR), ago(5 * HOUR)]);
    expect((await list<TaskDto>('/task', { ...params, firstResult: '0', maxResults: '1' })).map((t) => t.created)).toEqual([ago(9 * HOUR)]);
    expect((await list<TaskDto>('/task', { ...params, sortOrder: 'desc', maxResults: '1' })).map((t) => t.created)).toEqual([ago(5 * HOUR)]);
  });

  it('selects by tenant', async () => {
    expect((await list<TaskDto>('/task', { tenantIdIn: 'acme' })).map((t) => [t.taskDefinitionKey, t.tenantId])).toEqual([['pack', 'acme']]);
    expect(await count('/task', { withoutTenantId: 'true' })).toBe(8);
    expect(await count('/task', { processDefinitionKey: 'order', tenantIdIn: 'globex' })).toBe(0);
  });
});

describe('history level none', () => {
  const engine = '/engine/nohistory';
  it('answers every history count with 0 and every list with [], while the runtime has instances and tasks', async () => {
    const definitionId = (await getOk<{ id: string }[]>(sim, `${engine}/process-definition`))[0]!.id;
    for (const path of ['/history/process-instance', '/history/activity-instance']) {
      expect(await getOk(sim, `${engine}${path}/count`)).toEqual({ count: 0 });
      expect(await getOk(sim, `${engine}${path}/count?processDefinitionId=${encodeURIComponent(definitionId)}`)).toEqual({ count: 0 });
      expect(await getOk(sim, `${engine}${path}?unfinished=true&sortBy=startTime&sortOrder=asc`)).toEqual([]);
    }
    expect(await getOk(sim, `${engine}/process-instance/count?processDefinitionId=${encodeURIComponent(definitionId)}`)).toEqual({ count: 2 });
    expect(await getOk(sim, `${engine}/task/count?taskDefinitionKey=approve_invoice&createdBefore=${encodeURIComponent(ago(4 * HOUR))}`)).toEqual({ count: 1 });
    const [statistics] = await getOk<{ instances: number }[]>(sim, `${engine}/process-definition/statistics`);
    expect(statistics!.instances).toBe(2);
  });

  it('still rejects values that do not convert', async () => {
    expect((await get(sim, `${engine}/history/activity-instance/count?startedBefore=soon`)).status).toBe(400);
  });
});
