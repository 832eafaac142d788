import type { CamundaClient } from './client';
import { listSuspendedJobDefinitions, type JobFilter } from './jobs';
import { arrayOf, processDefinition } from './shapes';
import type { JobDefinitionDto } from './types';

/**
 * Suspending a process definition suspends all its job definitions, unconditionally
 * (engine/src/main/java/org/camunda/bpm/engine/impl/cmd/AbstractSetProcessDefinitionStateCmd.java:106-113:
 * updateSuspensionState runs the job definition command for the same definition(s)). Such job
 * definitions are not forgotten suspensions: activating the process definition activates them
 * again, and check_camunda_engine reports the suspended definition. This tells them apart.
 */
export interface SuspendedJobDefinitions {
  /** Suspended while their process definition is active: somebody suspended them by themselves. */
  readonly byThemselves: number;
  /** Suspended together with their (suspended) process definition. */
  readonly withDefinition: number;
  /** The first `limit` of those suspended by themselves, by key, definition and activity. */
  readonly listed: readonly JobDefinitionDto[];
  /**
   * False when there were more suspended job definitions or process definitions than one page
   * examines: `withDefinition` is then a lower bound and `byThemselves` an upper one.
   */
  readonly exact: boolean;
}

/** How many suspended job definitions and process definitions one request examines. */
export const SUSPENSION_SAMPLE = 500;

/**
 * `total` is the count of suspended job definitions matching the filter. Nothing suspended costs
 * nothing more; otherwise one page of the suspended process definitions (ids) and one of the
 * suspended job definitions per filter combination, in parallel. The REST API has no filter on
 * the process definition's suspension state for job definitions, so they are matched here by
 * `processDefinitionId`.
 */
export async function classifySuspendedJobDefinitions(
  client: CamundaClient,
  filter: JobFilter,
  total: number,
  limit: number,
): Promise<SuspendedJobDefinitions> {
  if (total === 0) return { byThemselves: 0, withDefinition: 0, listed: [], exact: true };
  const [definitions, jobDefinitions] = await Promise.all([
    client.get(
      '/process-definition',
      { suspended: true, keysIn: filter.processDefinitionKeys, tenantIdIn: filter.tenantIds, sortBy: 'id', sortOrder: 'asc', firstResult: 0, maxResults: SUSPENSION_SAMPLE },
      arrayOf(processDefinition),
    ),
    listSuspendedJobDefinitions(client, filter, SUSPENSION_SAMPLE),
  ]);
  const suspendedDefinitions = new Set(definitions.map((d) => d.id));
  const withDefinition = jobDefinitions.filter((jd) => jd.processDefinitionId != null && suspendedDefinitions.has(jd.processDefinitionId)).length;
  const exact = definitions.length < SUSPENSION_SAMPLE && jobDefinitions.length >= total;
  return {
    byThemselves: Math.max(0, total - withDefinition),
    withDefinition,
    listed: jobDefinitions.filter((jd) => !(jd.processDefinitionId != null && suspendedDefinitions.has(jd.processDefinitionId))).slice(0, limit),
    exact,
  };
}
