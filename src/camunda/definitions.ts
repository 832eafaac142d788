import type { CamundaClient } from './client';
import { arrayOf, countResult, processDefinition } from './shapes';
import type { ProcessDefinitionDto } from './types';

/** Resolves process definition ids to their definitions in one request, whatever the number of ids. */
export async function definitionsById(
  client: CamundaClient,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, ProcessDefinitionDto>> {
  const unique = [...new Set([...ids].filter((id): id is string => !!id))];
  if (unique.length === 0) return new Map();
  const definitions = await client.get(
    '/process-definition',
    { processDefinitionIdIn: unique, firstResult: 0, maxResults: unique.length },
    arrayOf(processDefinition),
  );
  return new Map(definitions.filter((d) => d.id).map((d) => [d.id as string, d]));
}

/** The keys of which no version is deployed (for the given tenants): one count per key, in parallel. */
export async function undeployedKeys(client: CamundaClient, keys: readonly string[], tenantIds: readonly string[]): Promise<string[]> {
  const counts = await Promise.all(
    keys.map((key) => client.get('/process-definition/count', { key, tenantIdIn: tenantIds }, countResult)),
  );
  return keys.filter((_key, i) => counts[i]!.count === 0);
}
