import type { HistoricActivityInstance } from '../model';
import { date, eq, flag, tenantParams } from '../query';
import { durationOf, recorded, removalTime } from './historic-process-instances';
import type { CollectionResource } from './types';

// The execution's tenant, not the definition's (they differ for a shared definition).
const tenantOf = (a: HistoricActivityInstance) => a.instance.tenantId;

/**
 * GET /history/activity-instance and /count (HistoricActivityInstanceQueryDto of 7.15). The
 * history's date filters compare inclusively (`START_TIME_ <= #{startedBefore}`).
 */
export const historicActivityInstances: CollectionResource<HistoricActivityInstance> = {
  path: '/history/activity-instance',
  entities: (model) => recorded(model, model.historicActivities),
  query: {
    id: (a) => a.id,
    params: {
      activityInstanceId: eq((a) => a.id),
      processInstanceId: eq((a) => a.instance.id),
      processDefinitionId: eq((a) => a.instance.definition.id),
      executionId: eq((a) => a.instance.id),
      activityId: eq((a) => a.activityId),
      activityName: eq((a) => a.activityName),
      activityType: eq((a) => a.activityType),
      taskAssignee: eq((a) => a.task?.assignee ?? null),
      finished: flag((a) => a.endTime !== null),
      unfinished: flag((a) => a.endTime === null),
      // Nothing in a scenario is cancelled or completes its scope.
      canceled: flag(() => false),
      completeScope: flag(() => false),
      startedBefore: date((a) => a.startTime, 'before', { inclusive: true }),
      startedAfter: date((a) => a.startTime, 'after', { inclusive: true }),
      finishedBefore: date((a) => a.endTime, 'before', { inclusive: true }),
      finishedAfter: date((a) => a.endTime, 'after', { inclusive: true }),
      ...tenantParams(tenantOf),
    },
    sortBy: {
      activityInstanceId: (a) => a.id,
      instanceId: (a) => a.instance.id,
      executionId: (a) => a.instance.id,
      activityId: (a) => a.activityId,
      activityName: (a) => a.activityName,
      activityType: (a) => a.activityType,
      startTime: (a) => a.startTime,
      endTime: (a) => a.endTime,
      duration: durationOf,
      definitionId: (a) => a.instance.definition.id,
      occurrence: (a) => a.sequence,
      tenantId: tenantOf,
    },
  },
  toDto: (a, date) => ({
    id: a.id,
    // Activities of the process scope have the process instance as parent activity instance.
    parentActivityInstanceId: a.instance.id,
    activityId: a.activityId,
    activityName: a.activityName,
    activityType: a.activityType,
    processDefinitionKey: a.instance.definition.key,
    processDefinitionId: a.instance.definition.id,
    processInstanceId: a.instance.id,
    executionId: a.instance.id,
    taskId: a.task?.id ?? null,
    assignee: a.task?.assignee ?? null,
    calledProcessInstanceId: null,
    calledCaseInstanceId: null,
    startTime: date(a.startTime),
    endTime: date(a.endTime),
    durationInMillis: durationOf(a),
    canceled: false,
    completeScope: false,
    tenantId: tenantOf(a),
    removalTime: date(removalTime(a.instance)),
    rootProcessInstanceId: a.instance.rootId,
  }),
};
