import type { CamundaClient, Query } from './client';
import { formatCamundaDate, parseCamundaDate } from './dates';
import { combinationCount, queryPerCombination, sumOfCounts } from './queries';
import { arrayOf, incident } from './shapes';
import type { IncidentDto } from './types';

/** Which open incidents to look at. Empty lists mean "no restriction". */
export interface IncidentFilter {
  /** All versions of these definitions (`processDefinitionKeyIn`). */
  readonly processDefinitionKeys: readonly string[];
  readonly incidentTypes: readonly string[];
  readonly tenantIds: readonly string[];
  readonly activityIds: readonly string[];
}

/** Each combination costs a count request (or two) on the engine's database; more than this is a mistake. */
export const MAX_COMBINATIONS = 20;

/** `incidentType` and `activityId` take one value per request in Camunda's API, while keys and tenants take lists. */
const singleValued = (filter: IncidentFilter) => ({ incidentType: filter.incidentTypes, activityId: filter.activityIds });

export function combinations(filter: IncidentFilter): number {
  return combinationCount(singleValued(filter));
}

export function incidentQueries(filter: IncidentFilter): Query[] {
  if (combinations(filter) > MAX_COMBINATIONS) {
    throw new RangeError(`${combinations(filter)} incident type × activity combinations, at most ${MAX_COMBINATIONS}`);
  }
  return queryPerCombination({ processDefinitionKeyIn: filter.processDefinitionKeys, tenantIdIn: filter.tenantIds }, singleValued(filter));
}

export async function countIncidents(client: CamundaClient, filter: IncidentFilter, createdAfter?: Date): Promise<number> {
  const after = createdAfter ? { incidentTimestampAfter: formatCamundaDate(createdAfter) } : {};
  return sumOfCounts(client, '/incident/count', incidentQueries(filter), after);
}

export interface DatedIncident extends IncidentDto {
  readonly createdAt: Date | undefined;
}

/**
 * The `limit` newest (`desc`) or oldest (`asc`) incidents matching the filter, sorted by the
 * engine and bounded by `maxResults` in every request, merged here across combinations.
 */
export async function listIncidents(
  client: CamundaClient,
  filter: IncidentFilter,
  order: 'asc' | 'desc',
  limit: number,
): Promise<DatedIncident[]> {
  if (limit <= 0) return [];
  const pages = await Promise.all(
    incidentQueries(filter).map((query) =>
      client.get(
        '/incident',
        { ...query, sortBy: 'incidentTimestamp', sortOrder: order, firstResult: 0, maxResults: limit },
        arrayOf(incident),
      ),
    ),
  );
  const direction = order === 'asc' ? 1 : -1;
  // An incident whose time cannot be read goes last either way: it must not pass for the oldest or the newest.
  const byTime = (a: DatedIncident, b: DatedIncident): number => {
    if (!a.createdAt || !b.createdAt) return (a.createdAt ? 0 : 1) - (b.createdAt ? 0 : 1);
    return direction * (a.createdAt.getTime() - b.createdAt.getTime());
  };
  return pages
    .flat()
    .map((dto) => ({ ...dto, createdAt: parseCamundaDate(dto.incidentTimestamp) }))
    .sort(byTime)
    .slice(0, limit);
}
