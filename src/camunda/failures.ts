import type { CamundaClient } from './client';
import type { DatedIncident, IncidentFilter } from './incidents';
import { arrayOf, processDefinitionStatistics } from './shapes';
import { selectionTests } from './statistics';

/*
 * A failure in a called process instance is one incident per calling level: the engine inserts,
 * for each super execution up the call hierarchy, an incident of the same type at the call
 * activity, without message, configuration or job definition, whose cause is the incident one
 * level down and whose root cause is the original (IncidentEntity.createRecursiveIncidents,
 * engine/src/main/java/org/camunda/bpm/engine/impl/persistence/entity/IncidentEntity.java:82-111;
 * create() at 151-166 stamps each with the clock of the same transaction, so a copy is never
 * older than its root cause). The operator retries at the root cause and cancels at the top.
 */

/** One failure: the incident where it happened and the top-level process instance it belongs to. */
export interface Failure {
  /** The root cause incident; a calling level's copy only if the root cause could not be read. */
  readonly rootCause: DatedIncident;
  /** The incident of the top-level process instance (the root cause itself if not called). */
  readonly top: DatedIncident;
  /** Calling levels above the root cause. */
  readonly levels: number;
}

/** Deeper call hierarchies than this are read only this far (the top-level instance is then unknown). */
export const MAX_CALL_LEVELS = 50;
/** Root cause and top of one call chain (the incidents sharing a root cause). */
export function chainFailure(rootId: string, chain: readonly DatedIncident[]): Failure {
  const rootCause = chain.find((i) => i.id === rootId) ?? chain.find((i) => i.causeIncidentId === i.id) ?? chain[0]!;
  // The top is the incident no other incident of the chain names as its cause.
  const causes = new Set(chain.filter((i) => i.causeIncidentId !== i.id).map((i) => i.causeIncidentId));
  const tops = chain.filter((i) => !causes.has(i.id));
  return { rootCause, top: tops.length === 1 ? tops[0]! : rootCause, levels: chain.length - 1 };
}

/**
 * Open incidents that are root causes (ID_ = ROOT_CAUSE_INCIDENT_ID_), i.e. failures counted
 * once across call levels. GET /incident has no such filter (IncidentQueryDto: equality on
 * causeIncidentId and rootCauseIncidentId only); the process definition statistics have it
 * (`rootIncidents=true`, Statistics.xml:193 `I.ID_ = I.ROOT_CAUSE_INCIDENT_ID_`), per definition
 * and type. One request that aggregates every deployed version's instances on the engine; the
 * key, tenant and type filters are applied here, activities cannot be.
 */
export async function countFailures(client: CamundaClient, filter: IncidentFilter): Promise<number> {
  const rows = await client.get('/process-definition/statistics', { rootIncidents: true }, arrayOf(processDefinitionStatistics));
  const { selected } = selectionTests({ keys: filter.processDefinitionKeys, tenantIds: filter.tenantIds, latestOnly: false });
  const types = new Set(filter.incidentTypes);
  let failures = 0;
  for (const row of rows) {
    if (!selected(row)) continue;
    for (const { incidentType, incidentCount } of row.incidents ?? []) {
      if (types.size === 0 || types.has(incidentType ?? '')) failures += incidentCount ?? 0;
    }
  }
  return failures;
}
