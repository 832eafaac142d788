import { mapConcurrently } from '../plugin/concurrency';
import type { CamundaClient } from './client';
import type { ConnectionOptions } from './connection';
import { CamundaError } from './errors';
import { arrayOf, type Shape } from './shapes';

/*
 * What the monitoring user may not see. Camunda never answers a query with 403 for missing
 * permissions or tenants: it leaves the rows out (AuthorizationManager.java:359-375 and
 * 610-760 turn permissions into SQL conditions; TenantManager.java:77-82 with Tenant.xml:139-152
 * leaves out other tenants' rows). A check that counts 0 may be seeing nothing, so the engine
 * check asks what the user may read.
 *
 * Sources (camunda/camunda-bpm-platform):
 * - GET /authorization/check answers for the authenticated user, with its groups, whether a GRANT
 *   gives the permission on the resource id; resourceId `*` asks for a grant on every resource of
 *   the type (AuthorizationRestServiceImpl.java:66-117, Authorization.xml:467-493). With
 *   authorization off it answers `authorized: true` for everything (AuthorizationManager.java:266-269),
 *   which is right: then nothing is filtered.
 * - Without an authenticated user there is neither an authorization check nor a tenant check
 *   (AuthorizationManager.java:1150-1156, TenantManager.java:77-82): requests without credentials
 *   that the REST API accepts see everything.
 * - The tenant check does not apply to members of an admin group (camunda-admin unless configured
 *   otherwise: TenantManager.java:81, AuthorizationManager.java:550-567). The tenants of a user are
 *   its own and its groups' memberships (ProcessEngineAuthenticationFilter.java:195-205); the REST
 *   API lists them with GET /tenant?userMember=&includingGroupsOfUser=true and the user's groups
 *   with GET /group?member= - both lists are filtered by READ on Tenant / Group
 *   (DbReadOnlyIdentityServiceProvider.java:124-156), so READ on Tenant `*` is needed to compare.
 */

/** Resource types of Resources.java:35-40. */
const PROCESS_DEFINITION = { name: 'ProcessDefinition', type: 6 } as const;
const TASK = { name: 'Task', type: 7 } as const;
const PROCESS_INSTANCE = { name: 'ProcessInstance', type: 8 } as const;
const TENANT = { name: 'Tenant', type: 11 } as const;
type Resource = { readonly name: string; readonly type: number };

/**
 * The permissions on process definitions the checks need, each with what goes missing without it
 * and the grant on another resource that serves as well (the disjunctive checks of
 * AuthorizationManager.java:610-637, 661-669, 705-713).
 */
export const NEEDED_PERMISSIONS: readonly { readonly permission: string; readonly reads: string; readonly alternative?: Resource }[] = [
  { permission: 'READ', reads: 'definitions, their statistics and job definitions' },
  { permission: 'READ_INSTANCE', reads: 'process instances, incidents, jobs and external tasks', alternative: PROCESS_INSTANCE },
  { permission: 'READ_TASK', reads: 'user tasks', alternative: TASK },
  { permission: 'READ_HISTORY', reads: 'historic process and activity instances (SLA check)' },
];

/** A needed permission the user lacks: on every definition (`*`), or on the keys named. */
export interface MissingPermission {
  readonly permission: string;
  readonly reads: string;
  /** `*`: no grant on all definitions, and none per key can make up for it (READ), or keys were not checked. */
  readonly keys: readonly string[] | '*';
  /** Keys that were not checked (more than the limit). */
  readonly unchecked: number;
}

export type TenantAccess =
  | { readonly checked: true; readonly admin: boolean; readonly member: readonly string[]; readonly missing: readonly string[] }
  | { readonly checked: false; readonly reason: string };

export type AccessReport =
  /** `behindProxy`: credentials were sent, but the engine authenticated nobody (a proxy checked them). */
  | { readonly authenticated: false; readonly behindProxy?: boolean }
  | {
      readonly authenticated: true;
      /** The user id, unknown with a bearer token. */
      readonly user: string | undefined;
      readonly missing: readonly MissingPermission[];
      /** Permissions not granted on `*` but on every deployed key checked. */
      readonly perKey: readonly string[];
      readonly tenants: TenantAccess;
      /** Requests made. */
      readonly requests: number;
    };

interface CheckResult {
  authorized?: unknown;
}
const checkResult: Shape<CheckResult> = {
  describe: 'an authorization check result {"authorized": true|false}',
  check: (value): value is CheckResult => typeof value === 'object' && value !== null && typeof (value as CheckResult).authorized === 'boolean',
};
const withId: Shape<{ id: string }> = {
  describe: 'objects with an id',
  check: (value): value is { id: string } => typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string',
};

export const ACCESS_LIMITS = {
  /** Deployed keys checked one by one when a permission is not granted on `*`. */
  keys: 20,
  /** Checks in flight at a time for the keys. */
  inFlight: 8,
  /** Tenants and groups read. */
  identities: 200,
  /** camunda-admin unless the engine configures other admin groups. */
  adminGroup: 'camunda-admin',
} as const;

/**
 * Asks what the authenticated user may read. Requests: none without credentials; otherwise four
 * permission checks on `*` and READ on Tenant, and with a user name its groups, its tenants and
 * all tenants (8 in one round trip). Only when a permission is missing on `*`: its alternative,
 * the deployed keys, and one check per key (at most ACCESS_LIMITS.keys).
 */
export async function checkAccess(client: CamundaClient, connection: ConnectionOptions): Promise<AccessReport> {
  const auth = connection.auth;
  if (!auth) return { authenticated: false };
  const user = auth.kind === 'basic' ? auth.username : undefined;
  let requests = 0;
  const check = async (permissionName: string, resource: Resource, resourceId = '*'): Promise<boolean> => {
    requests++;
    const result = await client.get('/authorization/check', { permissionName, resourceName: resource.name, resourceType: resource.type, resourceId }, checkResult);
    return result.authorized === true;
  };
  const ids = async (path: string, query: Record<string, string | boolean>): Promise<string[]> => {
    requests++;
    const list = await client.get(path, { ...query, firstResult: 0, maxResults: ACCESS_LIMITS.identities }, arrayOf(withId));
    return list.map((entry) => entry.id);
  };

  // The other requests passed with these credentials, so a 401 here is the resource's own "You must
  // be authenticated" (AuthorizationRestServiceImpl.java:80-83): the engine's authentication filter
  // is off and something in front checked the credentials. Nobody is authenticated: nothing is filtered.
  const unauthenticated = (error: unknown): 'unauthenticated' => {
    if (error instanceof CamundaError && error.httpStatus === 401) return 'unauthenticated';
    throw error;
  };
  const [onAll, readsTenants, identity] = await Promise.all([
    Promise.all(NEEDED_PERMISSIONS.map((need) => check(need.permission, PROCESS_DEFINITION))).catch(unauthenticated),
    check('READ', TENANT).catch(unauthenticated),
    user === undefined
      ? undefined
      : Promise.all([ids('/group', { member: user }), ids('/tenant', { userMember: user, includingGroupsOfUser: true }), ids('/tenant', {})]).catch(
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        ),
  ]);
  if (onAll === 'unauthenticated' || readsTenants === 'unauthenticated') return { authenticated: false, behindProxy: true };

  const lacking = NEEDED_PERMISSIONS.filter((_need, i) => !onAll[i]);
  const byAlternative = await Promise.all(lacking.map((need) => (need.alternative ? check('READ', need.alternative) : Promise.resolve(false))));
  const perKeyCandidates = lacking.filter((need, i) => need.permission !== 'READ' && !byAlternative[i]);
  const missing: MissingPermission[] = lacking
    .filter((need) => need.permission === 'READ')
    .map((need) => ({ permission: need.permission, reads: need.reads, keys: '*', unchecked: 0 }));
  const perKey: string[] = [];
  if (perKeyCandidates.length > 0) {
    requests++;
    const definitions = await client.get(
      '/process-definition',
      { latestVersion: true, sortBy: 'key', sortOrder: 'asc', firstResult: 0, maxResults: ACCESS_LIMITS.identities },
      arrayOf(withKey),
    );
    const keys = [...new Set(definitions.map((d) => d.key))];
    const checked = keys.slice(0, ACCESS_LIMITS.keys);
    const unchecked = keys.length - checked.length + (definitions.length === ACCESS_LIMITS.identities ? 1 : 0);
    for (const need of perKeyCandidates) {
      const granted = await mapConcurrently(checked, ACCESS_LIMITS.inFlight, (key) => check(need.permission, PROCESS_DEFINITION, key));
      const without = checked.filter((_key, i) => !granted[i]);
      if (without.length > 0 || unchecked > 0) missing.push({ permission: need.permission, reads: need.reads, keys: without, unchecked });
      else perKey.push(need.permission);
    }
  }
  missing.sort((a, b) => NEEDED_PERMISSIONS.findIndex((n) => n.permission === a.permission) - NEEDED_PERMISSIONS.findIndex((n) => n.permission === b.permission));

  return { authenticated: true, user, missing, perKey, tenants: tenantAccess(identity, readsTenants), requests };
}

const withKey: Shape<{ key: string }> = {
  describe: 'process definitions',
  check: (value): value is { key: string } => typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string',
};

function tenantAccess(identity: [string[], string[], string[]] | string | undefined, readsTenants: boolean): TenantAccess {
  if (identity === undefined) return { checked: false, reason: 'the user id is unknown with --token' };
  if (typeof identity === 'string') return { checked: false, reason: identity };
  const [groups, member, all] = identity;
  if (groups.includes(ACCESS_LIMITS.adminGroup)) return { checked: true, admin: true, member, missing: [] };
  if (!readsTenants) return { checked: false, reason: 'the user may not read the tenants (grant READ on Tenant *)' };
  const memberOf = new Set(member);
  return { checked: true, admin: false, member, missing: all.filter((tenant) => !memberOf.has(tenant)) };
}

// --- what the engine check says -------------------------------------------------

const quoted = (values: readonly string[], max = 5): string => {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
};

/** One statement per gap, each naming the permission and resource, or the tenants. */
export function accessGaps(report: AccessReport, clean: (text: string) => string): string[] {
  if (!report.authenticated) return [];
  const gaps = report.missing.map((m) => {
    if (m.keys === '*') return `no ${m.permission} on process definitions (*): definitions it may not read are invisible to every check`;
    const keys = m.keys.map(clean);
    const named = keys.length > 0 ? `no ${m.permission} on process definition ${quoted(keys)}` : `no ${m.permission} on process definitions (*)`;
    const unchecked = m.unchecked > 0 ? ` (${m.unchecked} more keys not checked)` : '';
    return `${named}${unchecked}: ${keys.length === 1 && m.unchecked === 0 ? 'its' : 'their'} ${m.reads} are not seen`;
  });
  const { tenants } = report;
  if (tenants.checked && tenants.missing.length > 0) {
    gaps.push(`not a member of tenant ${quoted(tenants.missing.map(clean))}: ${tenants.missing.length === 1 ? 'its' : 'their'} rows are not seen`);
  } else if (!tenants.checked) {
    gaps.push(`tenant memberships not checked: ${clean(tenants.reason)}`);
  }
  return gaps;
}

/** The long output's account of the access, healthy or not. */
export function describeAccess(report: AccessReport, clean: (text: string) => string): string {
  if (!report.authenticated) {
    return report.behindProxy
      ? 'Access: the engine authenticates nobody (GET /authorization/check: HTTP 401 while the other requests passed, so something in front checks the credentials): it checks neither permissions nor tenants, every figure is complete'
      : 'Access: requests carry no credentials, so the engine checks neither permissions nor tenants: every figure is complete';
  }
  const who = report.user === undefined ? 'the token user' : `user '${clean(report.user)}'`;
  const lacking = new Set(report.missing.map((m) => m.permission));
  const granted = NEEDED_PERMISSIONS.filter((n) => !lacking.has(n.permission)).map((n) => (report.perKey.includes(n.permission) ? `${n.permission} (per key)` : n.permission));
  const permissions = granted.length > 0 ? `${granted.join(', ')} on all process definitions` : 'none of the permissions needed';
  const { tenants } = report;
  const tenantText = !tenants.checked
    ? 'tenants not checked'
    : tenants.admin
      ? `in ${ACCESS_LIMITS.adminGroup}, so no tenant check`
      : tenants.member.length > 0
        ? `member of tenant ${quoted(tenants.member.map(clean), 10)}`
        : 'member of no tenant';
  return `Access (${who}, ${report.requests} requests): ${permissions}; ${tenantText}`;
}
