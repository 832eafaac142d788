import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { clock, get } from './fixture';

/*
 * External tasks and metrics under authorization and tenants (src/simulator/scenarios/secured-workers.json):
 * invoice and payment are shared definitions whose instances run for acme (2 send-mail tasks of
 * invoice, 1 charge-card task of payment) and globex (3 send-mail tasks of invoice). partial has
 * READ_INSTANCE on invoice only and is a member of acme only; nobody has no grant and no tenant.
 * Sources in camunda/camunda-bpm-platform (3dd653fe), engine/src/main/...:
 * - ExternalTaskManager.java:121-124, 159-163: list, count and topic names all go through
 *   configureExternalTaskQuery (AuthorizationManager.java:1079-1087: READ on the instance or
 *   READ_INSTANCE on the key) and the tenant check (ExternalTask.xml:472-473), never a 403;
 * - ExternalTaskEntity.java:577: a task carries its execution's tenant;
 * - metrics: MetricsQueryImpl.java:186-209 runs MeterLogManager.executeSelectSum/Interval
 *   (MeterLogManager.java:62-79) with no authorization or tenant check, and Metrics.xml has
 *   none: every authenticated user reads the engine-wide figures.
 */

const basic = (user: string) => ({ headers: { Authorization: `Basic ${Buffer.from(`${user}:demo-secret`).toString('base64')}` } });

describe('external tasks and metrics on a secured, multi-tenant engine', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: loadScenario('src/simulator/scenarios/secured-workers.json'), now: clock });
  });
  afterAll(() => sim.close());

  const body = async (user: string, path: string) => {
    const answer = await get(sim, path, basic(user));
    expect(answer.status, `${user} ${path}`).toBe(200);
    return answer.body;
  };
  const count = async (user: string, path = '/external-task/count') => ((await body(user, path)) as { count: number }).count;

  it.each([
    ['admin', 6, ['charge-card', 'send-mail']],
    ['monitor', 6, ['charge-card', 'send-mail']],
    // payment needs READ_INSTANCE, globex's tasks membership in globex.
    ['partial', 2, ['send-mail']],
    ['nobody', 0, []],
  ])('%s sees %i external tasks and the topics %j', async (user, tasks, topics) => {
    expect(await count(user)).toBe(tasks);
    expect(((await body(user, '/external-task')) as unknown[]).length).toBe(tasks);
    expect(await body(user, '/external-task/topic-names')).toEqual(topics);
  });

  it("filters tenantIdIn on the task's own tenant, the execution's (ExternalTaskEntity.java:577)", async () => {
    expect(await count('admin', '/external-task/count?tenantIdIn=globex')).toBe(3);
    expect(await count('admin', '/external-task/count?withoutTenantId=true')).toBe(0);
    const [task] = (await body('admin', '/external-task?tenantIdIn=acme&topicName=charge-card')) as { tenantId: string }[];
    expect(task!.tenantId).toBe('acme');
    expect(await count('partial', '/external-task/count?tenantIdIn=globex')).toBe(0);
  });

  it('answers the metrics engine-wide to any authenticated user, without grants or tenants', async () => {
    const sum = (user: string) => body(user, '/metrics/job-successful/sum');
    expect(await sum('nobody')).toEqual(await sum('admin'));
    expect(((await sum('nobody')) as { result: number }).result).toBeGreaterThan(0);
    expect(await body('nobody', '/metrics?name=job-failed&maxResults=5')).toEqual(await body('admin', '/metrics?name=job-failed&maxResults=5'));
  });
});
