import type { JobDefinition } from '../model';
import { anyOf, eq, flag, tenantParams } from '../query';
import type { CollectionResource } from './types';

const tenantOf = (jd: JobDefinition) => jd.definition.tenantId;

/**
 * GET /job-definition and /job-definition/count (JobDefinitionQueryDto). Missing
 * from the 7.15 document; parameters and DTO as in the 7.24 one.
 */
export const jobDefinitions: CollectionResource<JobDefinition> = {
  path: '/job-definition',
  entities: (model) => model.jobDefinitions,
  query: {
    id: (jd) => jd.id,
    params: {
      jobDefinitionId: eq((jd) => jd.id),
      activityIdIn: anyOf((jd) => jd.activityId),
      processDefinitionId: eq((jd) => jd.definition.id),
      processDefinitionKey: eq((jd) => jd.definition.key),
      jobType: eq((jd) => jd.jobType),
      jobConfiguration: eq((jd) => jd.jobConfiguration),
      active: flag((jd) => !jd.suspended),
      suspended: flag((jd) => jd.suspended),
      withOverridingJobPriority: flag((jd) => jd.overridingJobPriority !== null),
      ...tenantParams(tenantOf, 'includeJobDefinitionsWithoutTenantId'),
    },
    sortBy: {
      jobDefinitionId: (jd) => jd.id,
      activityId: (jd) => jd.activityId,
      processDefinitionId: (jd) => jd.definition.id,
      processDefinitionKey: (jd) => jd.definition.key,
      jobType: (jd) => jd.jobType,
      jobConfiguration: (jd) => jd.jobConfiguration,
      tenantId: tenantOf,
    },
  },
  toDto: (jd) => ({
    id: jd.id,
    processDefinitionId: jd.definition.id,
    processDefinitionKey: jd.definition.key,
    activityId: jd.activityId,
    jobType: jd.jobType,
    jobConfiguration: jd.jobConfiguration,
    overridingJobPriority: jd.overridingJobPriority,
    suspended: jd.suspended,
    tenantId: tenantOf(jd),
    deploymentId: jd.definition.deploymentId,
  }),
};
