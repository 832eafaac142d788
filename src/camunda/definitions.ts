import { PluginError } from '../plugin/errors';
import { boundedLabelPart, formatLabel } from '../plugin/perfdata';
import { cleanText } from '../plugin/text';
import type { CamundaClient, Query } from './client';
import { countOf, countPerQuery } from './queries';
import { arrayOf, processDefinition } from './shapes';
import type { ProcessDefinitionDto } from './types';

/**
 * Ids per request: what is left to ask for is mostly bare generated ids (see keyAndVersionOfId),
 * but a custom deployer may make longer ones, and servlet containers refuse request lines beyond 8 KiB.
 */
const IDS_PER_REQUEST = 40;

/** What a listing shows of a process definition. */
export type KeyAndVersion = Pick<ProcessDefinitionDto, 'key' | 'version'>;

/**
 * Key and version read from a process definition id, without asking the engine. The engine makes
 * the id `<key>:<version>:<generated id>`, or only the generated id where that would exceed 64
 * characters: AbstractDefinitionDeployer.generateDefinitionId in camunda/camunda-bpm-platform
 * (engine/src/main/java/org/camunda/bpm/engine/impl/), the same in operaton/operaton and
 * cibseven/cibseven. The key is the BPMN process's `id` attribute (BpmnParse.parseProcess), of type
 * xsd:ID in the BPMN 2.0 schema (tBaseElement) that BpmnParse validates deployments against: an
 * NCName, which holds no ':'. Generated ids (UUIDs, database sequence numbers) hold none either.
 * So exactly three parts with a positive integer in the middle is that form; anything else
 * (undefined) is a bare generated id or the work of a custom deployer, for the engine to resolve.
 */
export function keyAndVersionOfId(id: string): { key: string; version: number } | undefined {
  const parts = id.split(':');
  if (parts.length !== 3) return undefined;
  const [key, version, generated] = parts as [string, string, string];
  if (!key || !generated || !/^[1-9][0-9]*$/.test(version)) return undefined;
  const number = Number(version);
  return Number.isSafeInteger(number) ? { key, version: number } : undefined;
}

/** What refers to a process definition: incidents, jobs, job definitions. */
export interface DefinitionReference {
  readonly processDefinitionId: string | null;
  readonly processDefinitionKey?: string | null;
}

/**
 * Key and version of each referenced process definition: read from the id where it has the
 * engine's `<key>:<version>:<generated id>` form, otherwise asked for with one request per 40
 * distinct ids, whatever the number of incidents or jobs. A key carried beside the id that differs
 * from the one read means the id is not of that form after all: that one is asked for too.
 */
export async function keysAndVersionsById(client: CamundaClient, references: Iterable<DefinitionReference>): Promise<Map<string, KeyAndVersion>> {
  const read = new Map<string, KeyAndVersion>();
  const unread = new Set<string>();
  for (const { processDefinitionId: id, processDefinitionKey: carriedKey } of references) {
    if (!id) continue;
    const parsed = keyAndVersionOfId(id);
    if (parsed && (carriedKey == null || carriedKey === parsed.key)) read.set(id, parsed);
    else unread.add(id);
  }
  for (const id of unread) read.delete(id);
  const ids = [...unread];
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) batches.push(ids.slice(i, i + IDS_PER_REQUEST));
  const pages = await Promise.all(
    batches.map((batch) =>
      client.get('/process-definition', { processDefinitionIdIn: batch, firstResult: 0, maxResults: batch.length }, arrayOf(processDefinition)),
    ),
  );
  for (const definition of pages.flat()) if (definition.id) read.set(definition.id, definition);
  return read;
}

/**
 * The keys of which no version is deployed for the given tenants: one count per key, in parallel.
 * A definition deployed without tenant (shared) counts for every tenant: its instances run for
 * the tenant a TenantIdProvider gives them (ExecutionEntity.java:470-493), and their incidents,
 * jobs and external tasks carry that tenant (IncidentEntity.java:124, JobDeclaration.java:162,
 * ExternalTaskEntity.java:577), which is what the checks' `tenantIdIn` then filters on. Hence
 * `includeProcessDefinitionsWithoutTenantId` (ProcessDefinitionQueryDto.java:250-253; in the
 * OpenAPI documents of 7.15 and 7.24 for GET /process-definition/count), which widens `tenantIdIn`
 * to `TENANT_ID_ in (…) or TENANT_ID_ is null` (ProcessDefinition.xml:338-352).
 */
export async function undeployedKeys(client: CamundaClient, keys: readonly string[], tenantIds: readonly string[]): Promise<string[]> {
  const tenants = tenantIds.length ? { tenantIdIn: tenantIds, includeProcessDefinitionsWithoutTenantId: true } : {};
  const counts = await countPerQuery(client, '/process-definition/count', keys.map((key) => ({ key })), tenants);
  return keys.filter((_key, i) => counts[i] === 0);
}

/** Ends the run UNKNOWN when a key has no deployed version: a mistyped key would otherwise report "all well" for ever. */
export async function requireDeployedKeys(client: CamundaClient, keys: readonly string[], tenantIds: readonly string[]): Promise<void> {
  const undeployed = await undeployedKeys(client, keys, tenantIds);
  if (undeployed.length === 0) return;
  throw new PluginError(
    `no process definition is deployed with the key${undeployed.length > 1 ? 's' : ''} ${undeployed.map((k) => `'${cleanText(k, 80)}'`).join(', ')}` +
      `${tenantIds.length ? ` for tenant ${tenantIds.map((t) => cleanText(t, 40)).join(', ')}` : ''}: check --process-definition-key`,
  );
}

/** `invoice (v2) [tenant acme]`, or the key or bare definition id when the definition cannot be resolved. */
export function describeDefinition(
  entity: { processDefinitionId: string | null; processDefinitionKey?: string | null; tenantId: string | null },
  definitions: ReadonlyMap<string, KeyAndVersion>,
): string {
  const definition = entity.processDefinitionId ? definitions.get(entity.processDefinitionId) : undefined;
  const where = definition
    ? `${cleanText(definition.key, 80)} (v${definition.version ?? '?'})`
    : cleanText(entity.processDefinitionKey ?? entity.processDefinitionId ?? 'unknown definition', 80);
  return `${where}${entity.tenantId ? ` [tenant ${cleanText(entity.tenantId, 40)}]` : ''}`;
}

/** Which process definitions a per-definition check looks at. Empty lists and undefined mean "no restriction". */
export interface DefinitionSelection {
  readonly keys: readonly string[];
  readonly tenantIds: readonly string[];
  readonly category?: string | undefined;
  /** Only the highest version of each key and tenant instead of all versions. */
  readonly latestOnly: boolean;
}

/**
 * The figures of one process definition: one key within one tenant (the same key deployed for
 * two tenants is two definitions), summed over the versions the selection covers.
 */
export interface DefinitionFigures {
  readonly key: string;
  readonly tenantId: string | null;
  readonly name: string | null;
  /** Id and number of the highest version. */
  readonly latestId: string;
  readonly latestVersion: number;
  /** How many versions the figures cover; unknown where counts queries sum over the key. */
  readonly versions: number | undefined;
  readonly instances: number;
  readonly incidents: number;
  /** Open incidents per type, largest first; undefined where the engine was not asked for the breakdown. */
  readonly incidentsByType: readonly (readonly [type: string, count: number])[] | undefined;
  readonly failedJobs: number;
}

/** Stable order: by key, then tenant (definitions without tenant first). */
export function compareDefinitions(a: Pick<DefinitionFigures, 'key' | 'tenantId'>, b: Pick<DefinitionFigures, 'key' | 'tenantId'>): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.tenantId === b.tenantId) return 0;
  if (a.tenantId === null) return -1;
  if (b.tenantId === null) return 1;
  return a.tenantId < b.tenantId ? -1 : 1;
}

/** Task counts sent at a time. */
export const TASK_COUNTS_IN_FLIGHT = 10;

/**
 * Open user tasks of one definition: all its versions (key and tenant) or only its latest version.
 * `tenantsOfKey`: the tenants that deploy the same key themselves (see countOfDefinitionByKey).
 */
export async function countTasks(client: CamundaClient, definition: DefinitionFigures, latestOnly: boolean, tenantsOfKey: readonly string[]): Promise<number> {
  if (latestOnly) return countOf(client, '/task/count', { processDefinitionId: definition.latestId, ...(definition.tenantId === null ? {} : { tenantIdIn: [definition.tenantId] }) });
  return countOfDefinitionByKey(client, '/task/count', { processDefinitionKey: definition.key }, definition.tenantId, tenantsOfKey);
}

/**
 * A count over a definition's key, for resources whose tenant filter is on the rows' own tenant
 * (jobs, incidents, tasks). Rows carry the tenant of the execution (JobDeclaration.java:162,
 * IncidentEntity.java:124, TaskEntity.java:228): a tenant's definition runs for its tenant only, but
 * a shared definition (without tenant) runs for whichever tenant a TenantIdProvider chose
 * (ExecutionEntity.java:470-493), so `withoutTenantId` would miss its rows that run for tenants.
 * Its rows are those of the key, less those of the tenants that deploy the key themselves
 * (`tenantsOfKey`); an instance of the shared definition run for such a tenant is left out too.
 */
export async function countOfDefinitionByKey(
  client: CamundaClient,
  path: string,
  byKey: Query,
  tenantId: string | null,
  tenantsOfKey: readonly string[],
  condition: Query = {},
): Promise<number> {
  if (tenantId !== null) return countOf(client, path, { ...byKey, tenantIdIn: [tenantId], ...condition });
  if (tenantsOfKey.length === 0) return countOf(client, path, { ...byKey, ...condition });
  const [all, ofTenants] = await Promise.all([
    countOf(client, path, { ...byKey, ...condition }),
    countOf(client, path, { ...byKey, tenantIdIn: tenantsOfKey, ...condition }),
  ]);
  return Math.max(0, all - ofTenants);
}

/** The tenants that deploy each key themselves, from a list of definitions (key and tenant). */
export function tenantsByKey(definitions: readonly { readonly key?: string | null; readonly tenantId?: string | null }[]): Map<string, string[]> {
  const tenants = new Map<string, string[]>();
  for (const d of definitions) if (d.key && d.tenantId) tenants.set(d.key, [...(tenants.get(d.key) ?? []), d.tenantId]);
  return tenants;
}

/**
 * With tenants selected, each shared definition becomes one per selected tenant that does not
 * deploy the key itself, carrying that tenant: counted by key and tenant, its figures are the rows
 * of that tenant (the execution's tenant, JobDeclaration.java:162, IncidentEntity.java:124), and its
 * label is `key@tenant`, which stays when the tenant later deploys the key itself. The others are
 * returned as they are (the same objects); without tenants selected, all of them.
 */
export function forSelectedTenants<D extends { readonly key?: string | null; readonly tenantId?: string | null }>(definitions: readonly D[], tenantIds: readonly string[]): D[] {
  if (tenantIds.length === 0) return [...definitions];
  const own = tenantsByKey(definitions);
  return definitions.flatMap((d) =>
    d.tenantId != null ? [d] : tenantIds.filter((t) => !(own.get(d.key ?? '') ?? []).includes(t)).map((tenantId) => ({ ...d, tenantId })),
  );
}

/**
 * Perfdata label stems: `<key>` for a definition without tenant, `<key>@<tenant>` for one of a
 * tenant, so a label never changes when another tenant deploys the same key; at most `maxLength`
 * characters (graphing add-ons store labels in file names). Keys whose labels come out alike once
 * `=`, `|`, `<`, `>` and control characters are replaced get `~2`, `~3` in the order given.
 */
export function definitionLabelStems(definitions: readonly { readonly key: string; readonly tenantId: string | null }[], maxLength: number): string[] {
  const used = new Set<string>();
  return definitions.map((d) => {
    // Icinga Web and the Nagios CGIs show labels too: no markup from the engine there either.
    const stem = boundedLabelPart((d.tenantId === null ? d.key : `${d.key}@${d.tenantId}`).replace(/[<>]/g, '_'), maxLength);
    let unique = stem;
    for (let n = 2; used.has(formatLabel(`${unique}_`)); n++) unique = `${stem}~${n}`;
    used.add(formatLabel(`${unique}_`));
    return unique;
  });
}
