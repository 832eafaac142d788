import { startActivityId } from '../bpmn';
import type { EngineModel, HistoricProcessInstance } from '../model';
import { anyOf, date, eq, flag, like, likeToRegExp, splitList, tenantParams } from '../query';
import type { CollectionResource } from './types';

// The execution's tenant, not the definition's (they differ for a shared definition).
const tenantOf = (p: HistoricProcessInstance) => p.tenantId;
export const durationOf = (p: { startTime: Date; endTime: Date | null }) => (p.endTime === null ? null : p.endTime.getTime() - p.startTime.getTime());

/** What an engine's history holds: nothing at history level `none`. */
export const recorded = <E>(model: EngineModel, entries: readonly E[]): readonly E[] => (model.historyLevel === 'none' ? [] : entries);

/**
 * When the history cleanup may remove a finished instance's rows: the default removal-time
 * strategy `end` sets end time + the definition's history time to live; running instances have none.
 */
export function removalTime(instance: HistoricProcessInstance): Date | null {
  const days = instance.definition.historyTimeToLive;
  if (instance.endTime === null || days === null) return null;
  return new Date(instance.endTime.getTime() + days * 86_400_000);
}

/**
 * GET /history/process-instance and /count (HistoricProcessInstanceQueryDto of 7.15). The
 * history's date filters compare inclusively (`START_TIME_ <= #{startedBefore}`).
 */
export const historicProcessInstances: CollectionResource<HistoricProcessInstance> = {
  path: '/history/process-instance',
  entities: (model) => recorded(model, model.historicInstances),
  query: {
    id: (p) => p.id,
    params: {
      processInstanceId: eq((p) => p.id),
      processInstanceIds: anyOf((p) => p.id),
      processDefinitionId: eq((p) => p.definition.id),
      processDefinitionKey: eq((p) => p.definition.key),
      processDefinitionKeyIn: anyOf((p) => p.definition.key),
      processDefinitionName: eq((p) => p.definition.name),
      processDefinitionNameLike: like((p) => p.definition.name),
      processDefinitionKeyNotIn: {
        // The engine writes `KEY_ not like #{key}` for each.
        apply: (raw) => {
          const patterns = splitList(raw).map(likeToRegExp);
          return (p) => patterns.every((pattern) => !pattern.test(p.definition.key));
        },
      },
      processInstanceBusinessKey: eq((p) => p.businessKey),
      processInstanceBusinessKeyLike: like((p) => p.businessKey),
      rootProcessInstances: flag((p) => p.superId === null),
      superProcessInstanceId: eq((p) => p.superId),
      finished: flag((p) => p.endTime !== null),
      unfinished: flag((p) => p.endTime === null),
      withIncidents: flag((p) => p.incidents.length > 0),
      withRootIncidents: flag((p) => p.incidents.some((i) => i.id === i.rootCauseIncidentId)),
      incidentType: { apply: (raw) => (p) => p.incidents.some((i) => i.type === raw) },
      incidentMessage: { apply: (raw) => (p) => p.incidents.some((i) => i.message === raw) },
      startedBefore: date((p) => p.startTime, 'before', { inclusive: true }),
      startedAfter: date((p) => p.startTime, 'after', { inclusive: true }),
      finishedBefore: date((p) => p.endTime, 'before', { inclusive: true }),
      finishedAfter: date((p) => p.endTime, 'after', { inclusive: true }),
      ...tenantParams(tenantOf),
      active: flag((p) => p.state === 'ACTIVE'),
      suspended: flag((p) => p.state === 'SUSPENDED'),
      completed: flag((p) => p.state === 'COMPLETED'),
      externallyTerminated: flag((p) => p.state === 'EXTERNALLY_TERMINATED'),
      internallyTerminated: flag((p) => p.state === 'INTERNALLY_TERMINATED'),
    },
    sortBy: {
      instanceId: (p) => p.id,
      definitionId: (p) => p.definition.id,
      definitionKey: (p) => p.definition.key,
      definitionName: (p) => p.definition.name,
      definitionVersion: (p) => p.definition.version,
      businessKey: (p) => p.businessKey,
      startTime: (p) => p.startTime,
      endTime: (p) => p.endTime,
      duration: durationOf,
      tenantId: tenantOf,
    },
  },
  toDto: (p, date) => ({
    id: p.id,
    rootProcessInstanceId: p.rootId,
    superProcessInstanceId: p.superId,
    superCaseInstanceId: null,
    caseInstanceId: null,
    processDefinitionName: p.definition.name,
    processDefinitionKey: p.definition.key,
    processDefinitionVersion: p.definition.version,
    processDefinitionId: p.definition.id,
    businessKey: p.businessKey,
    startTime: date(p.startTime),
    endTime: date(p.endTime),
    removalTime: date(removalTime(p)),
    durationInMillis: durationOf(p),
    startUserId: null,
    startActivityId: startActivityId(p.definition),
    deleteReason: null,
    tenantId: tenantOf(p),
    state: p.state,
  }),
};
