import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { engineCheck } from '../../src/checks/engine';
import { useStrictNock } from '../support/nock';
import { runInProcess, fullStatus } from '../support/run-plugin';

/*
 * check_camunda_engine's access check, against the REST API as the engine's source defines it
 * (camunda/camunda-bpm-platform):
 * - GET /authorization/check?permissionName&resourceName&resourceType&resourceId answers
 *   {authorized} for the authenticated user and its groups (engine-rest
 *   AuthorizationRestServiceImpl.java:66-117); resourceId `*` asks for a grant on every resource
 *   (Authorization.xml:467-493); with authorization off it is always true (AuthorizationManager.java:266-269).
 * - queries never answer 403 for missing permissions, they leave rows out (AuthorizationManager.java:
 *   610-618 instances, 661-669 incidents, 705-713 jobs: READ on the instance or READ_INSTANCE on the
 *   definition key), and other tenants' rows whenever a user is authenticated and not in
 *   camunda-admin (TenantManager.java:77-82): hence the check, not an error, tells the operator.
 * - GET /group?member= and GET /tenant?userMember=&includingGroupsOfUser=true list the user's groups and
 *   tenants as the authentication filter collects them (ProcessEngineAuthenticationFilter.java:183-205).
 */

const NODE = 'http://node1.test:8080';
const REST = `${NODE}/engine-rest`;
type Query = Record<string, string>;

useStrictNock();

const run = (...args: string[]) => {
  process.env.CAMUNDA_PASSWORD = 'secret';
  return runInProcess(engineCheck, ['--url', REST, ...args]).finally(() => delete process.env.CAMUNDA_PASSWORD);
};

function mockVersionAndLoad(): void {
  nock(NODE).get('/engine-rest/version').reply(200, { version: '7.22.0' });
  nock(NODE).get('/engine-rest/process-instance/count').times(2).query(true).reply(200, { count: 0 });
  nock(NODE).get('/engine-rest/process-definition/count').query(true).reply(200, { count: 0 });
  nock(NODE).get('/engine-rest/process-definition').query({ suspended: 'true', sortBy: 'key', sortOrder: 'asc', firstResult: '0', maxResults: '10' }).reply(200, []);
}

interface Access {
  /** `permission resourceName resourceId` that are granted, e.g. `READ_INSTANCE ProcessDefinition *`. */
  granted: string[];
  groups?: string[];
  member?: string[];
  tenants?: string[];
  keys?: string[];
}

/** The access requests, answered from `access`; every check asked is recorded. */
function mockAccess(access: Access, checks: Query[] = [], identity: string[] = []): void {
  // Recorded when answered: nock evaluates query matchers of other paths too.
  const query = (req: { path: string }) => new URL(req.path, NODE).searchParams;
  nock(NODE)
    .get('/engine-rest/authorization/check')
    .query(true)
    .times(100)
    .optionally()
    .reply(function () {
      const q = Object.fromEntries(query(this.req)) as Query;
      checks.push(q);
      const authorized = access.granted.includes(`${q.permissionName} ${q.resourceName} ${q.resourceId}`);
      return [200, { permissionName: q.permissionName, resourceName: q.resourceName, resourceId: q.resourceId, authorized }];
    });
  const ids = (values: string[] = []) => values.map((id) => ({ id, name: id }));
  nock(NODE)
    .get('/engine-rest/group')
    .query(true)
    .reply(function () {
      identity.push(`group ${query(this.req)}`);
      return [200, ids(access.groups)];
    });
  nock(NODE)
    .get('/engine-rest/tenant')
    .times(2)
    .query(true)
    .reply(function () {
      identity.push(`tenant ${query(this.req)}`);
      return [200, ids(query(this.req).has('userMember') ? access.member : access.tenants)];
    });
  if (access.keys) {
    nock(NODE)
      .get('/engine-rest/process-definition')
      .query({ latestVersion: 'true', sortBy: 'key', sortOrder: 'asc', firstResult: '0', maxResults: '200' })
      .reply(200, access.keys.map((key, i) => ({ id: `${key}:1:${i}`, key, version: 1 })));
  }
}

const ALL_ON_DEFINITIONS = ['READ', 'READ_INSTANCE', 'READ_TASK', 'READ_HISTORY'].map((p) => `${p} ProcessDefinition *`);

describe('check_camunda_engine: what the monitoring user may not see', () => {
  it('with every permission on * and membership in every tenant it is OK, in 8 requests', async () => {
    mockVersionAndLoad();
    const checks: Query[] = [];
    const identity: string[] = [];
    mockAccess({ granted: [...ALL_ON_DEFINITIONS, 'READ Tenant *'], member: ['acme', 'globex'], tenants: ['acme', 'globex'] }, checks, identity);
    const result = await run('--username', 'monitor');
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA ENGINE OK - node1.test runs 7.22.0');
    expect(checks).toEqual(
      expect.arrayContaining([
        { permissionName: 'READ', resourceName: 'ProcessDefinition', resourceType: '6', resourceId: '*' },
        { permissionName: 'READ_INSTANCE', resourceName: 'ProcessDefinition', resourceType: '6', resourceId: '*' },
        { permissionName: 'READ_TASK', resourceName: 'ProcessDefinition', resourceType: '6', resourceId: '*' },
        { permissionName: 'READ_HISTORY', resourceName: 'ProcessDefinition', resourceType: '6', resourceId: '*' },
        { permissionName: 'READ', resourceName: 'Tenant', resourceType: '11', resourceId: '*' },
      ]),
    );
    expect(checks).toHaveLength(5);
    expect(identity.sort()).toEqual([
      'group member=monitor&firstResult=0&maxResults=200',
      'tenant firstResult=0&maxResults=200',
      'tenant userMember=monitor&includingGroupsOfUser=true&firstResult=0&maxResults=200',
    ]);
    expect(result.details.at(-1)).toBe("Access (user 'monitor', 8 requests): READ, READ_INSTANCE, READ_TASK, READ_HISTORY on all process definitions; member of tenant acme, globex");
  });

  it('names the definition key on which READ_INSTANCE is missing: its instances, incidents and jobs count as 0 elsewhere', async () => {
    mockVersionAndLoad();
    const checks: Query[] = [];
    mockAccess(
      {
        granted: ['READ ProcessDefinition *', 'READ_TASK ProcessDefinition *', 'READ_HISTORY ProcessDefinition *', 'READ Tenant *', 'READ_INSTANCE ProcessDefinition invoice'],
        keys: ['invoice', 'invoice', 'payment'],
      },
      checks,
    );
    const result = await run('--username', 'monitor');
    expect(result.code).toBe(1);
    expect(result.status).toBe(
      'CAMUNDA ENGINE WARNING - node1.test runs 7.22.0, no READ_INSTANCE on process definition payment: its process instances, incidents, jobs and external tasks are not seen (warning)',
    );
    // The disjunctive alternative (READ on every process instance) was asked before the keys.
    expect(checks).toContainEqual({ permissionName: 'READ', resourceName: 'ProcessInstance', resourceType: '8', resourceId: '*' });
    expect(checks.filter((q) => q.resourceId !== '*')).toEqual([
      { permissionName: 'READ_INSTANCE', resourceName: 'ProcessDefinition', resourceType: '6', resourceId: 'invoice' },
      { permissionName: 'READ_INSTANCE', resourceName: 'ProcessDefinition', resourceType: '6', resourceId: 'payment' },
    ]);
  });

  it('is OK when READ on every process instance makes up for READ_INSTANCE, or READ_INSTANCE is granted on every key', async () => {
    mockVersionAndLoad();
    mockAccess({ granted: ['READ ProcessDefinition *', 'READ_TASK ProcessDefinition *', 'READ_HISTORY ProcessDefinition *', 'READ Tenant *', 'READ ProcessInstance *'] });
    expect((await run('--username', 'monitor')).code).toBe(0);
    nock.cleanAll(); // the optional checks of the first run

    mockVersionAndLoad();
    mockAccess({
      granted: ['READ ProcessDefinition *', 'READ_TASK ProcessDefinition *', 'READ_HISTORY ProcessDefinition *', 'READ Tenant *', 'READ_INSTANCE ProcessDefinition invoice'],
      keys: ['invoice'],
    });
    const perKey = await run('--username', 'monitor');
    expect(perKey.code).toBe(0);
    expect(perKey.details.at(-1)).toMatch(/READ, READ_INSTANCE \(per key\), READ_TASK, READ_HISTORY on all process definitions/);
    expect(perKey.details.at(-1)).toMatch(/11 requests/); // 5 on *, 3 identity, the alternative, the keys, one key;
  });

  it('without READ on * says that definitions it may not read are invisible', async () => {
    mockVersionAndLoad();
    mockAccess({ granted: ALL_ON_DEFINITIONS.slice(1).concat('READ Tenant *') });
    const result = await run('--username', 'monitor');
    expect(result.code).toBe(1);
    expect(result.status).toContain('no READ on process definitions (*): definitions it may not read are invisible to every check (warning)');
  });

  it('names the tenants the user is not a member of, unless it is in camunda-admin (no tenant check)', async () => {
    mockVersionAndLoad();
    mockAccess({ granted: [...ALL_ON_DEFINITIONS, 'READ Tenant *'], member: ['acme'], tenants: ['acme', 'globex'] });
    const partial = await run('--username', 'monitor');
    expect(partial.code).toBe(1);
    expect(partial.status).toBe('CAMUNDA ENGINE WARNING - node1.test runs 7.22.0, not a member of tenant globex: its rows are not seen (warning)');

    mockVersionAndLoad();
    mockAccess({ granted: [...ALL_ON_DEFINITIONS, 'READ Tenant *'], groups: ['camunda-admin'], member: [], tenants: ['acme', 'globex'] });
    const admin = await run('--username', 'admin');
    expect(admin.code).toBe(0);
    expect(admin.details.at(-1)).toContain('in camunda-admin, so no tenant check');
  });

  it('warns when the tenants cannot be compared: no READ on Tenant, or a bearer token without user id', async () => {
    mockVersionAndLoad();
    mockAccess({ granted: ALL_ON_DEFINITIONS, member: [], tenants: [] });
    const unreadable = await run('--username', 'monitor');
    expect(unreadable.code).toBe(1);
    expect(unreadable.status).toContain('tenant memberships not checked: the user may not read the tenants (grant READ on Tenant *) (warning)');
    nock.cleanAll(); // the optional checks of the first run

    mockVersionAndLoad();
    const checks: Query[] = [];
    nock(NODE)
      .get('/engine-rest/authorization/check')
      .query(true)
      .times(5)
      .reply(function () {
        checks.push(Object.fromEntries(new URL(this.req.path, NODE).searchParams) as Query);
        return [200, { authorized: true }];
      });
    process.env.CAMUNDA_TOKEN = 'tok';
    const bearer = await runInProcess(engineCheck, ['--url', REST]).finally(() => delete process.env.CAMUNDA_TOKEN);
    expect(bearer.status).toContain('tenant memberships not checked: the user id is unknown with --token (warning)');
    // The permission checks need no user id: they are the authenticated user's.
    expect(checks).toHaveLength(5);
  });

  it('degrades to UNKNOWN naming the endpoint when /authorization/check is missing, and ends in time', async () => {
    mockVersionAndLoad();
    nock(NODE).get('/engine-rest/authorization/check').query(true).times(5).reply(404, 'Not Found');
    nock(NODE).get('/engine-rest/group').query(true).optionally().reply(200, []);
    nock(NODE).get('/engine-rest/tenant').query(true).times(2).optionally().reply(200, []);
    const result = await run('--username', 'monitor');
    expect(result.code).toBe(3);
    expect(fullStatus(result)).toMatch(/^CAMUNDA ENGINE UNKNOWN - node1\.test runs 7\.22\.0, access not checked: not found \(HTTP 404\) for GET \/authorization\/check .*\(--no-access-check leaves it out\)/);
  });

  it('reads a 401 from /authorization/check after the other requests passed as an engine that authenticates nobody (a proxy checks)', async () => {
    mockVersionAndLoad();
    // AuthorizationRestServiceImpl.java:80-83: no authenticated user, the REST auth filter is off.
    const notAuthenticated = { type: 'InvalidRequestException', message: 'You must be authenticated in order to use this resource.' };
    nock(NODE).get('/engine-rest/authorization/check').query(true).times(5).reply(401, notAuthenticated);
    nock(NODE).get('/engine-rest/group').query(true).reply(200, []);
    nock(NODE).get('/engine-rest/tenant').query(true).times(2).reply(200, []);
    const result = await run('--username', 'monitor');
    expect(result.code).toBe(0);
    expect(result.details.at(-1)).toMatch(/^Access: the engine authenticates nobody \(GET \/authorization\/check: HTTP 401 while the other requests passed/);
  });

  it('asks nothing with --no-access-check or --no-load, and nothing without credentials', async () => {
    mockVersionAndLoad();
    expect((await run('--username', 'monitor', '--no-access-check')).code).toBe(0);
    nock(NODE).get('/engine-rest/version').reply(200, { version: '7.22.0' });
    expect((await run('--username', 'monitor', '--no-load')).code).toBe(0);
    mockVersionAndLoad();
    const open = await runInProcess(engineCheck, ['--url', REST]);
    expect(open.code).toBe(0);
    expect(open.details.at(-1)).toBe('Access: requests carry no credentials, so the engine checks neither permissions nor tenants: every figure is complete');
  });
});
