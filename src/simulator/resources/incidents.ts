import type { Incident } from '../model';
import { anyOf, date, eq, like } from '../query';
import type { CollectionResource } from './types';

// The execution's tenant (IncidentEntity.java:124), not the definition's: they differ for a shared definition.
const tenantOf = (i: Incident) => i.instance.tenantId;

/** GET /incident and /incident/count (IncidentQueryDto of 7.15). */
export const incidents: CollectionResource<Incident> = {
  path: '/incident',
  entities: (model) => model.incidents,
  query: {
    id: (i) => i.id,
    params: {
      incidentId: eq((i) => i.id),
      incidentType: eq((i) => i.type),
      incidentMessage: eq((i) => i.message),
      incidentMessageLike: like((i) => i.message),
      processDefinitionId: eq((i) => i.instance.definition.id),
      processDefinitionKeyIn: anyOf((i) => i.instance.definition.key),
      processInstanceId: eq((i) => i.instance.id),
      executionId: eq((i) => i.executionId),
      incidentTimestampBefore: date((i) => i.timestamp, 'before'),
      incidentTimestampAfter: date((i) => i.timestamp, 'after'),
      activityId: eq((i) => i.activityId),
      failedActivityId: eq((i) => i.failedActivityId),
      causeIncidentId: eq((i) => i.causeIncidentId),
      rootCauseIncidentId: eq((i) => i.rootCauseIncidentId),
      configuration: eq((i) => i.configuration),
      tenantIdIn: anyOf(tenantOf),
      jobDefinitionIdIn: anyOf((i) => i.jobDefinition?.id ?? null),
    },
    sortBy: {
      incidentId: (i) => i.id,
      incidentMessage: (i) => i.message,
      incidentTimestamp: (i) => i.timestamp,
      incidentType: (i) => i.type,
      executionId: (i) => i.executionId,
      activityId: (i) => i.activityId,
      processInstanceId: (i) => i.instance.id,
      processDefinitionId: (i) => i.instance.definition.id,
      causeIncidentId: (i) => i.causeIncidentId,
      rootCauseIncidentId: (i) => i.rootCauseIncidentId,
      configuration: (i) => i.configuration,
      tenantId: tenantOf,
    },
  },
  toDto: (i, date) => ({
    id: i.id,
    processDefinitionId: i.instance.definition.id,
    processInstanceId: i.instance.id,
    executionId: i.executionId,
    incidentTimestamp: date(i.timestamp),
    incidentType: i.type,
    activityId: i.activityId,
    failedActivityId: i.failedActivityId,
    causeIncidentId: i.causeIncidentId,
    rootCauseIncidentId: i.rootCauseIncidentId,
    configuration: i.configuration,
    tenantId: tenantOf(i),
    incidentMessage: i.message,
    jobDefinitionId: i.jobDefinition?.id ?? null,
    annotation: i.annotation,
  }),
};
