import type { CamundaClient, Query } from './client';
import { formatCamundaDate } from './dates';
import { combinationCount, queryPerCombination, sumOfCounts } from './queries';
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
