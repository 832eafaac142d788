import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { clock, get, query } from './fixture';

/*
 * The simulator's users, grants and tenants against the engine's source (camunda/camunda-bpm-platform),
 * on the secured scenario (src/simulator/scenarios/secured.json): authorization on; users admin
 * (camunda-admin), monitor (READ, READ_INSTANCE, READ_TASK, READ_HISTORY on every definition, in
 * group monitoring with tenants acme and globex) and partial (READ_INSTANCE on invoice and order
 * only, tenant acme only). invoice and payment are shared definitions (no tenant); invoice runs
 * for acme (1 instance), globex (3) and no tenant (1).
 */

const SECURED = 'src/simulator/scenarios/secured.json';
/**
 * GET without the 7.15 document's shape check: /authorization/check and /tenant are documented
 * from 7.24 on (AuthorizationCheckResultDto {permissionName, resourceName, resourceId, authorized}; TenantDto).
 */
async function raw(sim: RunningSimulator, path: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sim.url}${path}`, init);
  return { status: response.status, body: await response.json() };
}
const basic = (user: string) => ({ headers: { Authorization: `Basic ${Buffer.from(`${user}:demo-secret`).toString('base64')}` } });

describe('a secured engine: every query filtered as the SQL does, 403 only where the engine throws', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: loadScenario(SECURED), now: clock });
  });
  afterAll(() => sim.close());

  const count = async (user: string, path: string, params: Record<string, string> = {}) => {
    const answer = await get(sim, `${path}/count${Object.keys(params).length ? query(params) : ''}`, basic(user));
    expect(answer.status, `${user} ${path}`).toBe(200);
    return (answer.body as { count: number }).count;
  };

  it('authenticates the declared users and nobody else (ProcessEngineAuthenticationFilter)', async () => {
    expect((await get(sim, '/incident/count')).status).toBe(401);
    expect((await get(sim, '/incident/count', { headers: { Authorization: `Basic ${Buffer.from('partial:wrong').toString('base64')}` } })).status).toBe(401);
    expect((await get(sim, '/engine')).status).toBe(200);
  });

  it.each([
    // AuthorizationManager.java:610-618 (instances), 661-669 (incidents), 705-713 (jobs): READ on the instance or
    // READ_INSTANCE on the key; TenantManager.java:77-82 with Tenant.xml:139-152: other tenants' rows left out.
    ['/process-instance', 8, 8, 3],
    ['/incident', 3, 3, 0],
    ['/job', 2, 2, 0],
    // 622-637: READ on the task or READ_TASK on the key; the tasks run for acme and globex.
    ['/task', 2, 2, 1],
    // 582, 699-701: READ on the definition; the globex definition of order is another tenant's.
    ['/process-definition', 5, 5, 4],
    // 719-760: READ_HISTORY on the key.
    ['/history/process-instance', 8, 8, 4],
  ])('%s/count: admin %i, monitor %i, partial %i', async (path, admin, monitor, partial) => {
    expect(await count('admin', path)).toBe(admin);
    expect(await count('monitor', path)).toBe(monitor);
    expect(await count('partial', path)).toBe(partial);
  });

  it('statistics: definitions by READ, their counts by the tenant check alone (AuthorizationManager.java:1026-1028, Statistics.xml:117-215)', async () => {
    const rows = (await get(sim, '/process-definition/statistics?failedJobs=true&incidents=true', basic('partial'))).body as {
      definition: { key: string; tenantId: string | null };
      instances: number;
      failedJobs: number;
    }[];
    const byKey = Object.fromEntries(rows.map((r) => [`${r.definition.key}@${r.definition.tenantId}`, [r.instances, r.failedJobs]]));
    // payment's instance counts without READ_INSTANCE; invoice's globex instances and failed job do not.
    expect(byKey).toEqual({ 'invoice@null': [2, 0], 'payment@null': [1, 1], 'order@acme': [1, 0] });
  });

  it('one definition: 403 without READ, 500 for another tenant, a query (404) by key', async () => {
    const definitions = (await get(sim, '/process-definition', basic('admin'))).body as { id: string; key: string; tenantId: string | null }[];
    const globexOrder = definitions.find((d) => d.key === 'order' && d.tenantId === 'globex')!;
    const forbidden = await get(sim, `/process-definition/${globexOrder.id}`, basic('partial'));
    expect(forbidden.status).toBe(500);
    expect(forbidden.body).toMatchObject({ type: 'ProcessEngineException', message: expect.stringContaining('belongs to no authenticated tenant') });
    expect((await get(sim, `/process-definition/${globexOrder.id}`, basic('monitor'))).status).toBe(200);
    expect((await get(sim, '/process-definition/key/order/tenant-id/globex', basic('partial'))).status).toBe(404);
  });

  it('GET /authorization/check answers for the authenticated user (AuthorizationRestServiceImpl.java:66-117)', async () => {
    const check = async (user: string, params: Record<string, string>) => {
      return raw(sim, `/authorization/check${query(params)}`, basic(user));
    };
    const readInstance = { permissionName: 'READ_INSTANCE', resourceName: 'ProcessDefinition', resourceType: '6' };
    const all = await check('partial', { ...readInstance, resourceId: '*' });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ permissionName: 'READ_INSTANCE', resourceName: 'ProcessDefinition', resourceId: '*', authorized: false });
    expect(((await check('partial', { ...readInstance, resourceId: 'invoice' })).body as { authorized: boolean }).authorized).toBe(true);
    expect(((await check('partial', { ...readInstance, resourceId: 'payment' })).body as { authorized: boolean }).authorized).toBe(false);
    expect(((await check('monitor', { ...readInstance, resourceId: '*' })).body as { authorized: boolean }).authorized).toBe(true);
    // camunda-admin holds ALL on every resource from the setup (CreateAdminUserConfiguration.java:67-86).
    expect(((await check('admin', { permissionName: 'READ', resourceName: 'Tenant', resourceType: '11', resourceId: '*' })).body as { authorized: boolean }).authorized).toBe(true);
    expect((await check('partial', { permissionName: 'READ', resourceName: 'ProcessDefinition' })).body).toEqual({
      type: 'InvalidRequestException',
      message: "Query parameter 'resourceType' cannot be null",
    });
    expect((await check('partial', { ...readInstance, permissionName: 'FLY' })).status).toBe(400);
    // Another user's access needs READ on Authorization.
    expect((await check('partial', { ...readInstance, userId: 'monitor' })).status).toBe(403);
  });

  it('the identity resources: groups and tenants of a user, filtered by READ on Group and Tenant', async () => {
    const ids = async (user: string, path: string) => ((await raw(sim, path, basic(user))).body as { id: string }[]).map((e) => e.id);
    expect(await ids('admin', '/group?member=admin')).toEqual(['camunda-admin']);
    expect(await ids('admin', '/tenant')).toEqual(['acme', 'globex']);
    expect(await ids('monitor', '/tenant?userMember=monitor&includingGroupsOfUser=true')).toEqual(['acme', 'globex']);
    expect(await ids('monitor', '/tenant?userMember=monitor')).toEqual([]);
    expect(await ids('partial', '/tenant?userMember=partial&includingGroupsOfUser=true')).toEqual(['acme']);
    // partial may not READ groups: the list is empty, not a 403.
    expect(await ids('partial', '/group?member=monitor')).toEqual([]);
    expect((await get(sim, '/identity/groups?userId=monitor', basic('admin'))).body).toEqual({ groups: [{ id: 'monitoring', name: 'Monitoring' }], groupUsers: [] });
  });
});

describe('the tenant check without authorization, and execution tenants', () => {
  const scenario: Scenario = {
    engines: [
      {
        name: 'default',
        processDefinitions: [{ key: 'shared', versions: [{ version: 1 }] }],
        instances: [
          { ref: 'a', definition: 'shared', executionTenantId: 'acme' },
          { ref: 'g', definition: 'shared', executionTenantId: 'globex' },
          { ref: 'n', definition: 'shared' },
        ],
        incidents: [
          { instance: 'a', type: 'failedJob', activityId: 'work', message: 'boom', ago: '1m' },
          { instance: 'g', type: 'failedJob', activityId: 'work', message: 'boom', ago: '1m' },
        ],
        tasks: [{ instance: 'g', taskDefinitionKey: 'review' }],
        users: [{ id: 'acme-only', password: 'pw', tenants: ['acme'] }],
      },
    ],
  };
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ scenario, now: clock });
  });
  afterAll(() => sim.close());
  const auth = { headers: { Authorization: `Basic ${Buffer.from('acme-only:pw').toString('base64')}` } };
  const count = async (path: string) => ((await get(sim, path, auth)).body as { count: number }).count;

  it('rows carry the execution tenant a TenantIdProvider chose (JobDeclaration.java:162, IncidentEntity.java:124, TaskEntity.java:228)', async () => {
    expect(await count('/job/count?withoutTenantId=true&noRetriesLeft=true')).toBe(0);
    expect(await count('/job/count?tenantIdIn=acme&noRetriesLeft=true')).toBe(1);
    expect(await count('/incident/count?tenantIdIn=acme')).toBe(1);
    // The definition's tenant is another filter: processDefinitionWithoutTenantId.
    expect(await count('/process-instance/count?processDefinitionWithoutTenantId=true')).toBe(2);
    expect(await count('/process-instance/count?withoutTenantId=true')).toBe(1);
  });

  it('an authenticated user outside camunda-admin sees no other tenant\'s rows, with authorization off (TenantManager.java:77-82)', async () => {
    expect(await count('/process-instance/count')).toBe(2);
    expect(await count('/incident/count')).toBe(1);
    expect(await count('/task/count')).toBe(0);
    const check = await raw(sim, `/authorization/check${query({ permissionName: 'READ_INSTANCE', resourceName: 'ProcessDefinition', resourceType: '6', resourceId: '*' })}`, auth);
    // Authorization off: everything is authorized (AuthorizationManager.java:266-269).
    expect((check.body as { authorized: boolean }).authorized).toBe(true);
  });

  it('rejects an execution tenant on a tenant\'s own definition', async () => {
    const bad: Scenario = {
      engines: [{ name: 'default', processDefinitions: [{ key: 'own', tenantId: 'acme', versions: [{ version: 1 }] }], instances: [{ definition: 'own', executionTenantId: 'globex' }] }],
    };
    await expect(startSimulator({ scenario: bad })).rejects.toThrow(/a TenantIdProvider only serves definitions without tenant/);
  });
});
