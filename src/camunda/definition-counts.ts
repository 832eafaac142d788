import type { CamundaClient, Query } from './client';
import { mapConcurrently } from '../plugin/concurrency';
import { PluginError } from '../plugin/errors';
import { compareDefinitions, countOfDefinitionByKey, forSelectedTenants, tenantsByKey, type DefinitionFigures, type DefinitionSelection } from './definitions';
import { arrayOf, processDefinition } from './shapes';
import { countOf } from './queries';
import type { ProcessDefinitionDto } from './types';

/**
 * The cheaper way to the figures of a few named definitions on a large database: indexed count
 * queries per definition instead of statistics over every deployed version. Costs one lookup
 * plus three counts per definition (four for a key deployed both without and with tenants).
 */

/** More definitions than this (keys × tenants) means the selection is not "a few named keys". */
export const MAX_LATEST_DEFINITIONS = 100;

/** Definitions counted at a time: at most 16 requests in flight, not a burst of hundreds on the engine. */
export const DEFINITIONS_IN_FLIGHT = 4;

/**
 * The latest version of each selected key per tenant, in one request. Under --tenant-id a shared
 * definition (without tenant) is one too: its instances run for tenants (see undeployedKeys), so it
 * stands for each selected tenant that does not deploy its key itself (forSelectedTenants).
 */
export async function latestDefinitions(client: CamundaClient, selection: DefinitionSelection): Promise<ProcessDefinitionDto[]> {
  const latest = await client.get(
    '/process-definition',
    {
      keysIn: selection.keys,
      tenantIdIn: selection.tenantIds,
      // ProcessDefinition.xml:338-352: `TENANT_ID_ in (…) or TENANT_ID_ is null`; latestVersion stays per key and tenant (228-235, 308-311).
      includeProcessDefinitionsWithoutTenantId: selection.tenantIds.length ? true : undefined,
      category: selection.category,
      latestVersion: true,
      firstResult: 0,
      maxResults: MAX_LATEST_DEFINITIONS + 1,
    },
    arrayOf(processDefinition),
  );
  if (latest.length > MAX_LATEST_DEFINITIONS) {
    throw new PluginError(`more than ${MAX_LATEST_DEFINITIONS} definitions (key and tenant) match the selection: select fewer keys or tenants, or use --mode statistics`);
  }
  return forSelectedTenants(
    latest.filter((d) => typeof d.key === 'string' && typeof d.id === 'string'),
    selection.tenantIds,
  );
}

/** Counts instances, incidents and failed jobs of every given latest definition, a few definitions at a time. */
export async function countFigures(client: CamundaClient, latest: readonly ProcessDefinitionDto[], latestOnly: boolean): Promise<DefinitionFigures[]> {
  const tenantsOfKey = tenantsByKey(latest);
  const figures = await mapConcurrently(latest, DEFINITIONS_IN_FLIGHT, (d) => countDefinition(client, d, latestOnly, tenantsOfKey.get(d.key!) ?? []));
  return figures.sort(compareDefinitions);
}

async function countDefinition(client: CamundaClient, latest: ProcessDefinitionDto, latestOnly: boolean, tenantsOfKey: readonly string[]): Promise<DefinitionFigures> {
  const key = latest.key!;
  const tenantId = latest.tenantId ?? null;
  const count = (path: string, query: Query) => countOf(client, path, query);
  // A tenant's own definition has only rows of its tenant; a shared one standing for a tenant (forSelectedTenants) needs the filter.
  const byId = { processDefinitionId: latest.id!, ...(tenantId === null ? {} : { tenantIdIn: [tenantId] }) };
  const [instances, incidents, failedJobs] = await Promise.all([
    // The instance count alone filters on the definition's tenant (processDefinitionWithoutTenantId).
    count('/process-instance/count', latestOnly ? byId : { processDefinitionKey: key, ...(tenantId === null ? { processDefinitionWithoutTenantId: true } : { tenantIdIn: [tenantId] }) }),
    latestOnly ? count('/incident/count', byId) : countOfDefinitionByKey(client, '/incident/count', { processDefinitionKeyIn: [key] }, tenantId, tenantsOfKey),
    latestOnly
      ? count('/job/count', { ...byId, noRetriesLeft: true })
      : countOfDefinitionByKey(client, '/job/count', { processDefinitionKey: key }, tenantId, tenantsOfKey, { noRetriesLeft: true }),
  ]);
  return {
    key,
    tenantId,
    name: latest.name ?? null,
    latestId: latest.id!,
    latestVersion: latest.version ?? 0,
    versions: latestOnly ? 1 : undefined,
    instances,
    incidents,
    incidentsByType: undefined,
    failedJobs,
  };
}
