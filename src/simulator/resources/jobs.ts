import { processEngineException } from '../errors';
import type { Job } from '../model';
import { anyOf, dateConditions, eq, flag, int, tenantParams } from '../query';
import type { CollectionResource } from './types';

// The execution's tenant (JobDeclaration.java:162), not the definition's: they differ for a shared definition.
const tenantOf = (j: Job) => j.instance.tenantId;

/** GET /job and /job/count (JobQueryDto of 7.15). */
export const jobs: CollectionResource<Job> = {
  path: '/job',
  entities: (model) => model.jobs,
  query: {
    id: (j) => j.id,
    params: {
      jobId: eq((j) => j.id),
      jobIds: anyOf((j) => j.id),
      jobDefinitionId: eq((j) => j.jobDefinition.id),
      processInstanceId: eq((j) => j.instance.id),
      processInstanceIds: anyOf((j) => j.instance.id),
      executionId: eq((j) => j.executionId),
      processDefinitionId: eq((j) => j.instance.definition.id),
      processDefinitionKey: eq((j) => j.instance.definition.key),
      activityId: eq((j) => j.jobDefinition.activityId),
      withRetriesLeft: flag((j) => j.retries > 0),
      // Job.xml: retries > 0, no due date or due date not in the future, and the process instance
      // not suspended. The job's own suspension (e.g. by its job definition) does not count here.
      executable: flag(
        (j, now) => j.retries > 0 && (j.dueDate === null || j.dueDate.getTime() <= now.getTime()) && !j.instance.suspended,
      ),
      timers: flag((j) => j.kind === 'timer'),
      messages: flag((j) => j.kind === 'message'),
      dueDates: dateConditions((j) => j.dueDate, 'due date'),
      // `lt_` means createdBefore, which Job.xml compares with <= (due dates with <).
      createTimes: dateConditions((j) => j.createTime, 'create time', { lowerThanInclusive: true }),
      withException: flag((j) => j.exceptionMessage !== null),
      exceptionMessage: eq((j) => j.exceptionMessage),
      failedActivityId: eq((j) => j.failedActivityId),
      noRetriesLeft: flag((j) => j.retries === 0),
      active: flag((j) => !j.suspended),
      suspended: flag((j) => j.suspended),
      // 7.24+: Job.xml:423-428, a lock expiring in the future (jobs being executed). `false` is no
      // filter (JobQueryDto.java:427 applies only true); older engines ignore the parameter.
      acquired: flag((j, now) => j.lockExpirationTime !== null && j.lockExpirationTime.getTime() > now.getTime()),
      priorityLowerThanOrEquals: int((j) => j.priority, 'java.lang.Long', (actual, bound) => actual <= bound),
      priorityHigherThanOrEquals: int((j) => j.priority, 'java.lang.Long', (actual, bound) => actual >= bound),
      ...tenantParams(tenantOf, 'includeJobsWithoutTenantId'),
    },
    sortBy: {
      jobId: (j) => j.id,
      executionId: (j) => j.executionId,
      processInstanceId: (j) => j.instance.id,
      processDefinitionId: (j) => j.instance.definition.id,
      processDefinitionKey: (j) => j.instance.definition.key,
      jobPriority: (j) => j.priority,
      jobRetries: (j) => j.retries,
      jobDueDate: (j) => j.dueDate,
      tenantId: tenantOf,
    },
    check(query) {
      // JobQueryImpl#messages() refuses to follow timers(); a ProcessEngineException, hence 500.
      if (query.timers === 'true' && query.messages === 'true') {
        throw processEngineException('Cannot combine onlyMessages() with onlyTimers() in the same query');
      }
      // Job.xml writes the jobDefinitionId and activityId conditions without a leading `and`:
      // after any earlier condition (jobId, jobIds, jobDefinitionId) the SQL is invalid.
      const leading = ['jobId', 'jobIds', 'jobDefinitionId', 'activityId'].filter((name) => query[name] !== undefined);
      if (leading.slice(1).some((name) => name === 'jobDefinitionId' || name === 'activityId')) {
        throw processEngineException(`Could not execute query: syntax error in SQL statement (${leading.join(' and ')} together)`);
      }
    },
  },
  toDto: (j, date) => ({
    id: j.id,
    jobDefinitionId: j.jobDefinition.id,
    dueDate: date(j.dueDate),
    processInstanceId: j.instance.id,
    executionId: j.executionId,
    processDefinitionId: j.instance.definition.id,
    processDefinitionKey: j.instance.definition.key,
    retries: j.retries,
    exceptionMessage: j.exceptionMessage,
    failedActivityId: j.failedActivityId,
    suspended: j.suspended,
    priority: j.priority,
    tenantId: tenantOf(j),
    createTime: date(j.createTime),
  }),
};
