import type { CamundaClient } from './client';
import { arrayOf, processDefinition } from './shapes';
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
