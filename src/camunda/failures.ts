import { mapConcurrently } from '../plugin/concurrency';
import type { CamundaClient } from './client';
import { parseCamundaDate } from './dates';
import type { DatedIncident, IncidentFilter } from './incidents';
import { arrayOf, incident, processDefinitionStatistics } from './shapes';
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
/** Chains read at a time: with --list 100 and a key filter, no burst of a hundred requests. */
export const CHAINS_IN_FLIGHT = 10;

const rootIdOf = (i: DatedIncident) => i.rootCauseIncidentId ?? i.id ?? '';
const dated = (dto: DatedIncident | Omit<DatedIncident, 'createdAt'>): DatedIncident => ({ ...dto, createdAt: parseCamundaDate(dto.incidentTimestamp) });

/** Root cause and top of one call chain (the incidents sharing a root cause). */
export function chainFailure(rootId: string, chain: readonly DatedIncident[]): Failure {
  const rootCause = chain.find((i) => i.id === rootId) ?? chain.find((i) => i.causeIncidentId === i.id) ?? chain[0]!;
  // The top is the incident no other incident of the chain names as its cause.
  const causes = new Set(chain.filter((i) => i.causeIncidentId !== i.id).map((i) => i.causeIncidentId));
  const tops = chain.filter((i) => !causes.has(i.id));
  return { rootCause, top: tops.length === 1 ? tops[0]! : rootCause, levels: chain.length - 1 };
}

/**
 * The failures behind `newest` (the newest open incidents matching `filter`, newest first, at
 * most `requested`), newest first, each once. A chain is read from the page when the page must
 * hold it whole: without key, tenant or activity filter (the calling levels copy the type but
 * run in other definitions and activities), and with its root cause in the page and newer than
 * the page's oldest incident, or the page being every open incident. Otherwise one request per
 * chain (`rootCauseIncidentId`, all definitions), ten at a time: at most `requested` requests.
 */
export async function failuresOf(
  client: CamundaClient,
  newest: readonly DatedIncident[],
  filter: IncidentFilter,
  requested: number,
  open: number,
): Promise<Failure[]> {
  const order = [...new Set(newest.map(rootIdOf))];
  const scoped = filter.processDefinitionKeys.length > 0 || filter.tenantIds.length > 0 || filter.activityIds.length > 0;
  const wholePage = newest.length >= open || newest.length < requested;
  const pageOldest = newest.at(-1)?.createdAt?.getTime();
  const inPage = (rootId: string) => newest.filter((i) => rootIdOf(i) === rootId);
  const knownWhole = (rootId: string): boolean => {
    if (scoped) return false;
    const root = newest.find((i) => i.id === rootId);
    if (!root) return false;
    const time = root.createdAt?.getTime();
    return wholePage || (time !== undefined && pageOldest !== undefined && time > pageOldest);
  };
  const chains = await mapConcurrently(order, CHAINS_IN_FLIGHT, async (rootId) => {
    if (knownWhole(rootId)) return inPage(rootId);
    const read = await client.get('/incident', { rootCauseIncidentId: rootId, firstResult: 0, maxResults: MAX_CALL_LEVELS }, arrayOf(incident));
    // Resolved in between: what the page showed is all there is to say.
    return read.length > 0 ? read.map(dated) : inPage(rootId);
  });
  return order.map((rootId, i) => chainFailure(rootId, chains[i]!));
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
