import { PluginError } from '../plugin/errors';
import type { CamundaClient, CamundaWriteClient, Query } from './client';
import { CamundaError } from './errors';
import { arrayOf, countResult, externalTask, jobDefinition, job, processDefinition, type Shape } from './shapes';
import type { ExternalTaskDto, JobDefinitionDto, JobDto, ProcessDefinitionDto } from './types';

/*
 * The reads and writes of camunda_action, with the engine's semantics each relies on. Paths and
 * bodies as Camunda's OpenAPI document defines them (test/contract/action.test.ts holds every
 * body to it); engine source paths below are of camunda/camunda-bpm-platform.
 */

/** Items read per page; selections are bounded (see readAll), so a handful of pages at most. */
const PAGE = 500;

/**
 * Every item of a query, read in pages after a count; more than `limit` items end the run before
 * anything is changed (`tooMany` says what to narrow), so a loose selection costs no more than a
 * few requests and never a partial action.
 */
async function readAll<T>(client: CamundaClient, path: string, query: Query, shape: Shape<T>, sort: Query, limit: number, tooMany: (count: number) => string): Promise<T[]> {
  const { count } = await client.get(`${path}/count`, query, countResult);
  if (count > limit) throw new PluginError(tooMany(count));
  const pages: Promise<T[]>[] = [];
  for (let first = 0; first < count; first += PAGE) pages.push(client.get(path, { ...query, ...sort, firstResult: first, maxResults: PAGE }, arrayOf(shape)));
  const items = (await Promise.all(pages)).flat();
  // Items created between the count and the pages would go unseen; the count bounds what is read.
  return items.slice(0, limit);
}

export interface DefinitionScope {
  /** All versions of these keys; empty: every key. */
  readonly keys: readonly string[];
  readonly tenantIds: readonly string[];
}

/** One query per key (`processDefinitionKey` takes one value), or one for the whole engine. */
function perKey(scope: DefinitionScope, common: Query): Query[] {
  const tenants = scope.tenantIds.length ? { tenantIdIn: scope.tenantIds } : {};
  return scope.keys.length ? scope.keys.map((key) => ({ ...common, ...tenants, processDefinitionKey: key })) : [{ ...common, ...tenants }];
}

/** The job definitions of every version of the keys (and activities, when given). */
export async function readJobDefinitions(client: CamundaClient, scope: DefinitionScope, activityIds: readonly string[], limit: number): Promise<JobDefinitionDto[]> {
  const queries = perKey(scope, activityIds.length ? { activityIdIn: activityIds } : {});
  const lists = await Promise.all(
    queries.map((query) =>
      readAll(client, '/job-definition', query, jobDefinition, { sortBy: 'jobDefinitionId', sortOrder: 'asc' }, limit, (count) =>
        `${count} job definitions to examine, more than ${limit}: narrow the selection with -k/--process-definition-key or --tenant-id`,
      ),
    ),
  );
  return lists.flat();
}

/** Every version of the keys (stop/start). */
export async function readProcessDefinitions(client: CamundaClient, scope: DefinitionScope, limit: number): Promise<ProcessDefinitionDto[]> {
  const lists = await Promise.all(
    scope.keys.map((key) =>
      readAll(
        client,
        '/process-definition',
        { key, ...(scope.tenantIds.length ? { tenantIdIn: scope.tenantIds } : {}) },
        processDefinition,
        { sortBy: 'version', sortOrder: 'asc' },
        limit,
        (count) => `${count} versions of process definition ${key}, more than --max-affected ${limit}: raise it, or narrow with --tenant-id`,
      ),
    ),
  );
  return lists.flat();
}

export async function countJobs(client: CamundaClient, query: Query): Promise<number> {
  return (await client.get('/job/count', query, countResult)).count;
}

export async function countJobDefinitions(client: CamundaClient, query: Query): Promise<number> {
  return (await client.get('/job-definition/count', query, countResult)).count;
}

export async function countProcessInstances(client: CamundaClient, query: Query): Promise<number> {
  return (await client.get('/process-instance/count', query, countResult)).count;
}

/** The failed jobs (no retries left) of one job definition. */
export async function readFailedJobs(client: CamundaClient, jobDefinitionId: string, limit: number): Promise<JobDto[]> {
  return readAll(client, '/job', { jobDefinitionId, noRetriesLeft: true }, job, { sortBy: 'jobId', sortOrder: 'asc' }, limit, (count) =>
    `${count} failed jobs of job definition ${jobDefinitionId}, more than --max-jobs ${limit}: raise it (and --timeout), or narrow the selection`,
  );
}

/**
 * The failed external tasks (no retries left) of the keys, tenants and activities: one query per key
 * (ExternalTaskQueryDto takes one `processDefinitionKey`; `processDefinitionKeyIn` only in newer
 * versions, see external-tasks.ts topicQueries), so that failures of other processes count against
 * no limit.
 */
export async function readFailedExternalTasks(client: CamundaClient, scope: DefinitionScope, activityIds: readonly string[], limit: number): Promise<ExternalTaskDto[]> {
  const queries = perKey(scope, { noRetriesLeft: true, ...(activityIds.length ? { activityIdIn: activityIds } : {}) });
  const lists = await Promise.all(
    queries.map((query) =>
      readAll(client, '/external-task', query, externalTask, { sortBy: 'id', sortOrder: 'asc' }, limit, (count) =>
        `${count} failed external tasks to examine, more than ${limit}: narrow the selection with -k/--process-definition-key, --activity-id or --tenant-id`,
      ),
    ),
  );
  return lists.flat();
}

/*
 * The writes. Each is one engine command in one transaction: it either happened or not, and the
 * answer (204) says so, except when no answer comes at all (then the action reports the change as
 * unknown).
 */

/**
 * Suspends or activates one job definition and, with `includeJobs`, all its jobs: the jobs of a
 * suspended definition wait without spending retries. Engine: AbstractSetJobDefinitionStateCmd
 * (engine/.../impl/cmd/AbstractSetJobDefinitionStateCmd.java:113-114 the definition, 191-194 the
 * jobs by job definition id); permissions at lines 70-85: UPDATE on the process definition, and
 * for the jobs UPDATE on process instances or UPDATE_INSTANCE on the process definition.
 */
export function setJobDefinitionSuspended(client: CamundaWriteClient, jobDefinitionId: string, suspended: boolean): Promise<void> {
  return client.send('PUT', `/job-definition/${encodeURIComponent(jobDefinitionId)}/suspended`, { suspended, includeJobs: true, executionDate: null });
}

/**
 * New retries for one job. Through JobEntity#setRetries, which resolves the job's failedJob
 * incident when the retries go from 0 up (engine/.../persistence/entity/JobEntity.java:318-323).
 * Retries by job definition (PUT /job-definition/{id}/retries) would be one request, but it is a
 * bulk SQL update (SetJobRetriesCmd.java:122-135, Job.xml updateFailedJobRetriesByParameters)
 * that leaves every incident open until its job runs again: hence one request per job.
 * Permission (AuthorizationCommandChecker#checkUpdateRetriesJob): RETRY_JOB or UPDATE_INSTANCE
 * on the process definition, or RETRY_JOB or UPDATE on the process instance.
 */
export function setJobRetries(client: CamundaWriteClient, jobId: string, retries: number): Promise<void> {
  return client.send('PUT', `/job/${encodeURIComponent(jobId)}/retries`, { retries });
}

/**
 * New retries for one external task; ExternalTaskEntity#setRetriesAndManageIncidents resolves its
 * incident (ExternalTaskEntity.java:443-453). Permission (ExternalTaskCmd.java:59-61,
 * checkUpdateProcessInstanceById): UPDATE on the process instance or UPDATE_INSTANCE on the
 * process definition.
 */
export function setExternalTaskRetries(client: CamundaWriteClient, externalTaskId: string, retries: number): Promise<void> {
  return client.send('PUT', `/external-task/${encodeURIComponent(externalTaskId)}/retries`, { retries });
}

/**
 * Suspends or activates one process definition version and its instances. The engine also
 * suspends or activates every job definition of the version, whatever suspended them
 * (AbstractSetProcessDefinitionStateCmd.java:106-114), and with the instances their jobs, tasks
 * and external tasks (AbstractSetProcessInstanceStateCmd.java:90-113). Permissions (lines 71-79):
 * SUSPEND or UPDATE on the process definition, and SUSPEND_INSTANCE or UPDATE_INSTANCE on it (or
 * SUSPEND or UPDATE on process instances).
 */
export function setProcessDefinitionSuspended(client: CamundaWriteClient, processDefinitionId: string, suspended: boolean): Promise<void> {
  return client.send('PUT', `/process-definition/${encodeURIComponent(processDefinitionId)}/suspended`, {
    suspended,
    includeProcessInstances: true,
    executionDate: null,
  });
}

/**
 * A job or external task that no longer exists when its retries are set: it ran, or its instance
 * ended, between reading and writing. Camunda answers 500 "No job found with id" for a job
 * (JobResourceImpl#setJobRetries maps the ProcessEngineException of CommandLogger#exceptionNoJobFoundForId)
 * and 404 for an external task (ExternalTaskResourceImpl#setRetries).
 */
export function isGone(error: unknown): boolean {
  if (!(error instanceof CamundaError)) return false;
  // The client's message explains a 404 as a wrong URL; the engine's own message tells a vanished task apart.
  const engineMessage = error.engineException?.message ?? '';
  return (error.httpStatus === 500 && /No job found with id/i.test(error.message)) || (error.httpStatus === 404 && /^External task with id .* does not exist$/i.test(engineMessage));
}
