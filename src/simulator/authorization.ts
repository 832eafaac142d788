/**
 * Who may see what: the identity service (users, groups, tenants and GRANT authorizations) of a
 * simulated engine, and the filters the engine's SQL applies to every query. Sources, in
 * camunda/camunda-bpm-platform (engine/src/main/...):
 *
 * - The REST authentication filter authenticates a user together with its groups and its tenants,
 *   direct or through a group (engine-rest ProcessEngineAuthenticationFilter.java:171-205).
 * - Permissions become SQL conditions, never a 403, on every list and count, and only when
 *   `authorizationEnabled` is on and a user is authenticated (AuthorizationManager.java:359-375
 *   configureQuery, 1150-1156 isAuthCheckExecuted). camunda-admin does NOT bypass them: its
 *   members see everything because the setup grants the group ALL on every resource
 *   (spring-boot-starter CreateAdminUserConfiguration.java:67-86, webapps SetupResource).
 *   - process instances, incidents, jobs: READ on the instance or READ_INSTANCE on the
 *     definition key (AuthorizationManager.java:610-618, 661-669, 705-713);
 *   - tasks: READ on the task or READ_TASK on the definition key (622-637);
 *   - definitions, job definitions, definition statistics: READ on the definition key
 *     (582, 699-701, 1026-1028); the statistics' instance, job and incident counts have no
 *     permission check of their own, only the tenant check (Statistics.xml:117-215);
 *   - history: READ_HISTORY on the definition key (719-760);
 *   - groups and tenants of the identity service: READ on Group / Tenant
 *     (DbReadOnlyIdentityServiceProvider.java:124-156).
 * - The tenant check applies whenever a user is authenticated and not in an admin group, whether
 *   or not authorization is on (TenantManager.java:77-82): rows of other tenants are left out,
 *   rows without tenant stay (Tenant.xml:139-152 queryTenantCheckWithPrefix).
 * - Commands on one entity throw instead: GET /process-definition/{id} answers 403 without READ
 *   (AuthorizationCommandChecker.java:98-100) and 500 for another tenant's definition
 *   (TenantCommandChecker.java:71-75, CommandLogger.java:220-223).
 * REVOKE authorizations are not simulated.
 */
import { RestError, invalidRequest } from './errors';
import type { Incident, Job, JobDefinition, ProcessDefinition, ProcessInstance, Task, HistoricActivityInstance, HistoricProcessInstance } from './model';
import type { ExternalTask } from './external-tasks';
import type { EngineScenario, GrantScenario } from './scenario';

/** Resources.java:29-51: name → resource type. */
export const RESOURCE_TYPES: Readonly<Record<string, number>> = {
  Application: 0,
  User: 1,
  Group: 2,
  GroupMembership: 3,
  Authorization: 4,
  Filter: 5,
  ProcessDefinition: 6,
  Task: 7,
  ProcessInstance: 8,
  Deployment: 9,
  DecisionDefinition: 10,
  Tenant: 11,
  TenantMembership: 12,
  Batch: 13,
  DecisionRequirementsDefinition: 14,
  Report: 15,
  Dashboard: 16,
  OperationLogCategory: 17,
  Optimize: 18,
  HistoricTask: 19,
  HistoricProcessInstance: 20,
  System: 21,
};

const BASIC_PERMISSIONS = ['NONE', 'ALL', 'READ', 'UPDATE', 'CREATE', 'DELETE'];
/** The permissions of a resource type (ProcessDefinitionPermissions, ProcessInstancePermissions, TaskPermissions; the rest shortened to Permissions' basic ones). */
const PERMISSIONS_BY_TYPE: Readonly<Record<number, readonly string[]>> = {
  6: [
    'NONE', 'ALL', 'READ', 'UPDATE', 'DELETE', 'SUSPEND', 'CREATE_INSTANCE', 'READ_INSTANCE', 'UPDATE_INSTANCE', 'RETRY_JOB',
    'SUSPEND_INSTANCE', 'DELETE_INSTANCE', 'MIGRATE_INSTANCE', 'READ_TASK', 'UPDATE_TASK', 'TASK_ASSIGN', 'TASK_WORK',
    'READ_TASK_VARIABLE', 'READ_INSTANCE_VARIABLE', 'UPDATE_INSTANCE_VARIABLE', 'UPDATE_TASK_VARIABLE', 'READ_HISTORY',
    'READ_HISTORY_VARIABLE', 'DELETE_HISTORY', 'UPDATE_HISTORY',
  ],
  7: [...BASIC_PERMISSIONS, 'TASK_ASSIGN', 'TASK_WORK', 'UPDATE_VARIABLE', 'READ_VARIABLE'],
  8: [...BASIC_PERMISSIONS, 'RETRY_JOB', 'SUSPEND', 'UPDATE_VARIABLE'],
};
const permissionsOf = (type: number): readonly string[] => PERMISSIONS_BY_TYPE[type] ?? BASIC_PERMISSIONS;

/** ProcessEngineConfigurationImpl.java:2879-2880: camunda-admin is always an admin group. */
export const ADMIN_GROUP = 'camunda-admin';

interface Grant {
  readonly type: number;
  readonly resourceId: string;
  readonly permissions: ReadonlySet<string>;
}

export interface IdentityUser {
  readonly id: string;
  readonly password: string;
  readonly groups: readonly string[];
  readonly tenants: readonly string[];
  readonly grants: readonly Grant[];
}

export interface IdentityGroup {
  readonly id: string;
  readonly name: string;
  readonly tenants: readonly string[];
  readonly grants: readonly Grant[];
}

export interface Identity {
  readonly authorizationEnabled: boolean;
  readonly users: ReadonlyMap<string, IdentityUser>;
  readonly groups: ReadonlyMap<string, IdentityGroup>;
  /** Sorted. */
  readonly tenants: readonly string[];
}

function toGrants(grants: readonly GrantScenario[] | undefined, where: string, fail: (where: string, message: string) => never): Grant[] {
  return (grants ?? []).map((g, i) => {
    const type = RESOURCE_TYPES[g.resource];
    if (type === undefined) return fail(`${where}.grants[${i}].resource`, `unknown resource '${g.resource}'`);
    for (const p of g.permissions) if (!permissionsOf(type).includes(p)) fail(`${where}.grants[${i}].permissions`, `'${p}' is no permission of ${g.resource}`);
    return { type, resourceId: g.resourceId ?? '*', permissions: new Set(g.permissions) };
  });
}

export function buildIdentity(
  scenario: EngineScenario,
  definitions: readonly ProcessDefinition[],
  instances: readonly ProcessInstance[],
  fail: (where: string, message: string) => never,
): Identity {
  const groups = new Map<string, IdentityGroup>();
  (scenario.groups ?? []).forEach((g, i) => {
    if (groups.has(g.id)) fail(`groups[${i}]`, `duplicate group '${g.id}'`);
    groups.set(g.id, { id: g.id, name: g.name ?? g.id, tenants: g.tenants ?? [], grants: toGrants(g.grants, `groups[${i}]`, fail) });
  });
  const users = new Map<string, IdentityUser>();
  (scenario.users ?? []).forEach((u, i) => {
    if (users.has(u.id)) fail(`users[${i}]`, `duplicate user '${u.id}'`);
    for (const group of u.groups ?? []) {
      // The admin group exists once the setup has run; other groups must be declared.
      if (!groups.has(group) && group !== ADMIN_GROUP) fail(`users[${i}].groups`, `no group '${group}'`);
    }
    users.set(u.id, { id: u.id, password: u.password, groups: u.groups ?? [], tenants: u.tenants ?? [], grants: toGrants(u.grants, `users[${i}]`, fail) });
  });
  if ((scenario.users ?? []).some((u) => (u.groups ?? []).includes(ADMIN_GROUP)) && !groups.has(ADMIN_GROUP)) {
    groups.set(ADMIN_GROUP, { id: ADMIN_GROUP, name: 'camunda BPM Administrators', tenants: [], grants: [] });
  }
  const tenants = new Set(scenario.tenants ?? []);
  if (scenario.tenants === undefined) {
    for (const d of definitions) if (d.tenantId !== null) tenants.add(d.tenantId);
    for (const p of instances) if (p.tenantId !== null) tenants.add(p.tenantId);
    for (const member of [...users.values(), ...groups.values()]) for (const t of member.tenants) tenants.add(t);
  }
  return { authorizationEnabled: scenario.authorization ?? false, users, groups, tenants: [...tenants].sort() };
}

/** The authenticated user's view, as the engine sets it up for one request. */
export interface Access {
  /** null: nobody is authenticated (no authentication filter), so nothing is checked. */
  readonly userId: string | null;
  readonly groups: readonly string[];
  /** Tenants the user is a member of, directly or through its groups. */
  readonly tenants: readonly string[];
  /** Whether the tenant check applies (TenantManager.java:77-82). */
  readonly tenantCheck: boolean;
  /**
   * Whether a GRANT gives `permission` on the resource: on `resourceId`, or on `*`. With
   * `resourceId` '*' only grants on `*` count (Authorization.xml:467-493 authCheck).
   */
  may(permission: string, resource: keyof typeof RESOURCE_TYPES, resourceId: string): boolean;
  /** Whether the tenant check lets a row of this tenant through. */
  seesTenant(tenantId: string | null): boolean;
}

/** Nobody authenticated: the engine applies neither authorization nor tenant checks. */
export const UNCHECKED: Access = { userId: null, groups: [], tenants: [], tenantCheck: false, may: () => true, seesTenant: () => true };

/**
 * The access of an authenticated user. A user the identity does not know (the simulator's
 * `auth` option, a Bearer token) stands for a monitoring user in camunda-admin: it sees everything.
 */
export function accessOf(identity: Identity, userId: string): Access {
  const user = identity.users.get(userId);
  const groups = user ? user.groups : [ADMIN_GROUP];
  const tenants = new Set(user?.tenants ?? []);
  for (const group of groups) for (const t of identity.groups.get(group)?.tenants ?? []) tenants.add(t);
  const admin = groups.includes(ADMIN_GROUP);
  const grants = [...(user?.grants ?? []), ...groups.flatMap((g) => identity.groups.get(g)?.grants ?? [])];
  const type = (resource: string) => RESOURCE_TYPES[resource]!;
  return {
    userId,
    groups,
    tenants: [...tenants].sort(),
    tenantCheck: !admin,
    may(permission, resource, resourceId) {
      if (!identity.authorizationEnabled || admin) return true;
      return grants.some(
        (g) =>
          g.type === type(resource) &&
          (g.resourceId === '*' || (resourceId !== '*' && g.resourceId === resourceId)) &&
          (g.permissions.has(permission) || g.permissions.has('ALL')),
      );
    },
    seesTenant: (tenantId) => admin || tenantId === null || tenants.has(tenantId),
  };
}

// --- the row filters of the queries ------------------------------------------

const readsInstance = (access: Access, instance: ProcessInstance) =>
  access.seesTenant(instance.tenantId) &&
  (access.may('READ', 'ProcessInstance', instance.id) || access.may('READ_INSTANCE', 'ProcessDefinition', instance.definition.key));

export const readsDefinition = (access: Access, definition: ProcessDefinition) =>
  access.seesTenant(definition.tenantId) && access.may('READ', 'ProcessDefinition', definition.key);

const readsHistory = (access: Access, instance: HistoricProcessInstance) =>
  access.seesTenant(instance.tenantId) && access.may('READ_HISTORY', 'ProcessDefinition', instance.definition.key);

/* eslint-disable @typescript-eslint/no-explicit-any */
/** Per collection path: the rows a user sees. The row types are those of the resources under resources/. */
const ROW_FILTERS: Readonly<Record<string, (row: any, access: Access) => boolean>> = {
  '/process-instance': (p: ProcessInstance, access) => readsInstance(access, p),
  '/incident': (i: Incident, access) => readsInstance(access, i.instance),
  '/job': (j: Job, access) => readsInstance(access, j.instance),
  '/task': (t: Task, access) =>
    access.seesTenant(t.instance.tenantId) && (access.may('READ', 'Task', t.id) || access.may('READ_TASK', 'ProcessDefinition', t.instance.definition.key)),
  '/process-definition': (d: ProcessDefinition, access) => readsDefinition(access, d),
  '/job-definition': (jd: JobDefinition, access) => access.seesTenant(jd.definition.tenantId) && access.may('READ', 'ProcessDefinition', jd.definition.key),
  '/history/process-instance': (p: HistoricProcessInstance, access) => readsHistory(access, p),
  '/history/activity-instance': (a: HistoricActivityInstance, access) => readsHistory(access, a.instance),
  // READ on the instance or READ_INSTANCE on the key (AuthorizationManager.java:1079-1087 configureExternalTaskQuery,
  // ExternalTaskManager.java:159-163), the tenant check on the task's own tenant (ExternalTask.xml:472-473), for the
  // list, the count and the topic names alike (ExternalTaskManager.java:121-124, ExternalTask.xml:293-296).
  '/external-task': (t: ExternalTask, access) => readsInstance(access, t.instance),
};

/** The rows of a collection the user sees. */
export function visibleRows<E>(path: string, rows: readonly E[], access: Access): readonly E[] {
  const filter = ROW_FILTERS[path];
  if (!filter || access === UNCHECKED) return rows;
  return rows.filter((row) => filter(row, access));
}

// --- single entities: the command checkers throw ------------------------------

/** GetDeployedProcessDefinitionCmd with the tenant and authorization command checkers. */
export function checkReadDefinition(access: Access, definition: ProcessDefinition): void {
  if (!access.seesTenant(definition.tenantId)) {
    throw new RestError(500, 'ProcessEngineException', `ENGINE-13034 Cannot get the process definition '${definition.id}' because it belongs to no authenticated tenant.`);
  }
  if (!access.may('READ', 'ProcessDefinition', definition.key)) throw authorizationException(access, 'READ', definition.key, 'ProcessDefinition');
}

class AuthorizationRestError extends RestError {
  constructor(
    message: string,
    private readonly userId: string,
    private readonly missing: { permissionName: string; resourceName: string; resourceId: string },
  ) {
    super(403, 'AuthorizationException', message);
  }

  override get body() {
    return { type: this.type, message: this.message, userId: this.userId, missingAuthorizations: [this.missing] };
  }
}

const authorizationException = (access: Access, permissionName: string, resourceId: string, resourceName: string) =>
  new AuthorizationRestError(
    `The user with id '${access.userId}' does not have '${permissionName}' permission on resource '${resourceId}' of type '${resourceName}'.`,
    access.userId ?? '',
    { permissionName, resourceName, resourceId },
  );

// --- GET /authorization/check ---------------------------------------------------

/**
 * AuthorizationRestServiceImpl.java:66-117: the parameters are required; without an authenticated
 * user the answer is 401; another user's check needs READ on Authorization. With authorization
 * off every check answers `authorized: true` (AuthorizationManager.java:266-269).
 */
export function authorizationCheck(identity: Identity, access: Access, query: Record<string, string>): unknown {
  const { permissionName, resourceName, resourceType, resourceId, userId } = query;
  if (permissionName === undefined) throw invalidRequest("Query parameter 'permissionName' cannot be null");
  if (resourceName === undefined) throw invalidRequest("Query parameter 'resourceName' cannot be null");
  if (resourceType === undefined) throw invalidRequest("Query parameter 'resourceType' cannot be null");
  if (!/^-?\d+$/.test(resourceType)) throw new RestError(404, 'NotFoundException', 'HTTP 404 Not Found');
  if (access.userId === null) throw new RestError(401, 'InvalidRequestException', 'You must be authenticated in order to use this resource.');
  const type = Number(resourceType);
  if (!permissionsOf(type).includes(permissionName)) {
    const name = Object.keys(RESOURCE_TYPES).find((n) => RESOURCE_TYPES[n] === type) ?? String(type);
    throw new RestError(400, 'BadUserRequestException', `The permission '${permissionName}' is not valid for '${name}' resource type.`);
  }
  let subject = access;
  if (userId !== undefined && userId !== access.userId) {
    if (!access.may('READ', 'Authorization', '*')) throw new RestError(403, 'InvalidRequestException', 'You must have READ permission for Authorization resource.');
    subject = accessOf(identity, userId);
  }
  const resource = Object.keys(RESOURCE_TYPES).find((n) => RESOURCE_TYPES[n] === type);
  const authorized = resource === undefined ? !identity.authorizationEnabled : subject.may(permissionName, resource, resourceId ?? '*');
  return { permissionName, resourceName, resourceId: resourceId ?? null, authorized };
}

// --- the identity resources -------------------------------------------------------

const readable = (access: Access, resource: 'Group' | 'Tenant', id: string) => access.may('READ', resource, id);

/** Members of a group, the users that declare it. */
const membersOf = (identity: Identity, groupId: string) => [...identity.users.values()].filter((u) => u.groups.includes(groupId));

/** GET /group: `id`, `member`, `memberOfTenant`; rows filtered by READ on Group. */
export function groupList(identity: Identity, access: Access, query: Record<string, string>): unknown[] {
  return [...identity.groups.values()]
    .filter((g) => query.id === undefined || g.id === query.id)
    .filter((g) => query.member === undefined || membersOf(identity, g.id).some((u) => u.id === query.member))
    .filter((g) => query.memberOfTenant === undefined || g.tenants.includes(query.memberOfTenant))
    .filter((g) => readable(access, 'Group', g.id))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((g) => ({ id: g.id, name: g.name, type: g.id === ADMIN_GROUP ? 'SYSTEM' : 'WORKFLOW' }));
}

/** GET /tenant: `id`, `userMember` (with `includingGroupsOfUser`), `groupMember`; rows filtered by READ on Tenant (Tenant.xml:95-120). */
export function tenantList(identity: Identity, access: Access, query: Record<string, string>): unknown[] {
  const user = query.userMember === undefined ? undefined : identity.users.get(query.userMember);
  const viaGroups = query.includingGroupsOfUser === 'true';
  const ofUser = (tenant: string) =>
    user !== undefined && (user.tenants.includes(tenant) || (viaGroups && user.groups.some((g) => identity.groups.get(g)?.tenants.includes(tenant))));
  return identity.tenants
    .filter((t) => query.id === undefined || t === query.id)
    .filter((t) => query.userMember === undefined || ofUser(t))
    .filter((t) => query.groupMember === undefined || (identity.groups.get(query.groupMember)?.tenants.includes(t) ?? false))
    .filter((t) => readable(access, 'Tenant', t))
    .map((t) => ({ id: t, name: t }));
}

/** GET /identity/groups?userId=: the user's groups (READ on Group applies to the query) and their other members. */
export function groupInfo(identity: Identity, access: Access, query: Record<string, string>): unknown {
  if (query.userId === undefined) throw invalidRequest('No user id was supplied');
  const groups = groupList(identity, access, { member: query.userId }) as { id: string; name: string }[];
  const others = new Map<string, { id: string; firstName: null; lastName: null }>();
  for (const g of groups) for (const u of membersOf(identity, g.id)) if (u.id !== query.userId) others.set(u.id, { id: u.id, firstName: null, lastName: null });
  return { groups: groups.map((g) => ({ id: g.id, name: g.name })), groupUsers: [...others.values()] };
}
