/**
 * The write resources camunda_action uses, with the engine's semantics (engine and engine-rest
 * sources of camunda/camunda-bpm-platform, cited per resource). Bodies as the OpenAPI document
 * defines them; a property the simulator does not simulate (a delayed `executionDate`) is refused
 * rather than ignored, so a test cannot pass on a body the simulator did not understand.
 */
import { invalidRequest, RestError } from './errors';
import type { EngineModel, Job, JobDefinition, ProcessDefinition } from './model';

export interface WriteRoute {
  readonly pattern: RegExp;
  /**
   * The permissions the engine checks, as its AuthorizationException names them: answered with 403
   * for a user without write permissions (`denyWrites`).
   */
  permissions(model: EngineModel, id: string): string[];
  /** Applies the write; the REST API answers 204 No Content. */
  handle(model: EngineModel, id: string, body: Record<string, unknown>): void;
}

const segment = '([^/]+)';

function optionalBoolean(body: Record<string, unknown>, name: string): boolean {
  const value = body[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalidRequest(`Cannot deserialize value of property '${name}': not a boolean`);
  return value;
}

/** `executionDate` schedules the change as a timer job; the simulator changes states at once only. */
function immediateOnly(body: Record<string, unknown>): void {
  if (body.executionDate !== undefined && body.executionDate !== null) throw invalidRequest('simulator: a delayed suspension (executionDate) is not simulated');
}

/** `retries` of RetriesDto: an integer of at least 0, never null. */
function retriesOf(body: Record<string, unknown>): number {
  const retries = body.retries;
  if (retries === undefined || retries === null) throw invalidRequest('The number of retries cannot be null.');
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0) throw invalidRequest('The number of retries cannot be negative');
  if (retries === 0) throw invalidRequest('simulator: setting retries to 0 (which creates incidents) is not simulated');
  return retries;
}

const on = (kind: string, key: string, permissions: readonly string[]) => permissions.map((p) => `'${p}' permission on resource '${key}' of type '${kind}'`);

/** ExceptionDto of the AuthorizationException the engine throws when none of the permissions is granted. */
export function notAuthorized(userId: string | null, permissions: readonly string[]): RestError {
  return new RestError(403, 'AuthorizationException', `The user with id '${userId ?? 'null'}' does not have one of the following permissions: ${permissions.join(' or ')}`);
}

/**
 * A job's retries go up from 0: its failedJob incident is resolved (JobEntity#setRetries,
 * engine/src/main/java/org/camunda/bpm/engine/impl/persistence/entity/JobEntity.java:318-323).
 */
function resolveFailedJobIncidents(model: EngineModel, job: Job): void {
  const resolved = model.incidents.filter((i) => i.type === 'failedJob' && i.configuration === job.id);
  removeIncidents(model, resolved);
}

/**
 * Resolving an incident removes the incidents it caused one calling level up, and theirs
 * (IncidentEntity#remove, engine/src/main/java/org/camunda/bpm/engine/impl/persistence/entity/
 * IncidentEntity.java:187-208: the super execution's incident whose cause it is).
 */
function removeIncidents(model: EngineModel, incidents: readonly EngineModel['incidents'][number][]): void {
  if (incidents.length === 0) return;
  const gone = new Set(incidents);
  for (let added = true; added; ) {
    added = false;
    for (const parent of model.incidents) {
      if (!gone.has(parent) && parent.causeIncidentId !== parent.id && [...gone].some((child) => child.id === parent.causeIncidentId)) {
        gone.add(parent);
        added = true;
      }
    }
  }
  model.incidents = model.incidents.filter((i) => !gone.has(i));
  for (const incident of gone) {
    const own = incident.instance.incidents;
    own.splice(own.indexOf(incident), 1);
  }
}

const jobDefinitionById = (model: EngineModel, id: string): JobDefinition | undefined => model.jobDefinitions.find((jd) => jd.id === id);

function definitionById(model: EngineModel, id: string): ProcessDefinition | undefined {
  return model.definitions.find((d) => d.id === id);
}

export const writeRoutes: readonly WriteRoute[] = [
  {
    /**
     * PUT /job-definition/{id}/suspended (JobDefinitionSuspensionStateDto): the job definition and,
     * with includeJobs, every job of it whatever suspended it (AbstractSetJobDefinitionStateCmd.java:
     * 113-114 and 191-194; Job.xml updateJobSuspensionStateByParameters by JOB_DEF_ID_). An unknown
     * id changes nothing and is no error: the update matches no row and the authorization check
     * finds no definition (lines 73-85). Permissions: lines 78-84, AuthorizationCommandChecker#
     * checkUpdateProcessDefinitionByKey (UPDATE only, not SUSPEND) and, with the jobs,
     * #checkUpdateProcessInstanceByProcessDefinitionKey.
     */
    pattern: new RegExp(`^/job-definition/${segment}/suspended$`),
    permissions(model, id) {
      const key = jobDefinitionById(model, id)?.definition.key;
      // The first of the engine's checks, the one a user without write permissions fails.
      return key === undefined ? [] : on('ProcessDefinition', key, ['UPDATE']);
    },
    handle(model, id, body) {
      immediateOnly(body);
      const suspended = optionalBoolean(body, 'suspended');
      const jobDefinition = jobDefinitionById(model, id);
      if (!jobDefinition) return;
      jobDefinition.suspended = suspended;
      if (optionalBoolean(body, 'includeJobs')) for (const job of model.jobs) if (job.jobDefinition === jobDefinition) job.suspended = suspended;
    },
  },
  {
    /**
     * PUT /job-definition/{id}/retries (RetriesDto): a bulk update of the jobs with no retries left
     * (SetJobRetriesCmd.java:122-135, Job.xml updateFailedJobRetriesByParameters: `RETRIES_ = 0`
     * only). It bypasses JobEntity#setRetries, so the incidents stay open until each job runs again.
     */
    pattern: new RegExp(`^/job-definition/${segment}/retries$`),
    permissions(model, id) {
      const key = jobDefinitionById(model, id)?.definition.key;
      return key === undefined ? [] : [...on('ProcessDefinition', key, ['RETRY_JOB', 'UPDATE_INSTANCE']), ...on('ProcessInstance', '*', ['RETRY_JOB', 'UPDATE'])];
    },
    handle(model, id, body) {
      const retries = retriesOf(body);
      for (const job of model.jobs) if (job.jobDefinition.id === id && job.retries === 0) job.retries = retries;
    },
  },
  {
    /**
     * PUT /job/{id}/retries (RetriesDto; JobRetriesDto from 7.22 adds dueDate): one job through
     * JobEntity#setRetries, which resolves its incident. An unknown job: JobResourceImpl#setJobRetries
     * answers the ProcessEngineException "No job found with id" as InvalidRequestException with
     * status 500 (SetJobRetriesCmd.java:117-119). Permissions: checkUpdateRetriesJob.
     */
    pattern: new RegExp(`^/job/${segment}/retries$`),
    permissions(model, id) {
      const job = model.jobs.find((j) => j.id === id);
      return job ? [...on('ProcessInstance', job.instance.id, ['RETRY_JOB', 'UPDATE']), ...on('ProcessDefinition', job.instance.definition.key, ['RETRY_JOB', 'UPDATE_INSTANCE'])] : [];
    },
    handle(model, id, body) {
      if (body.dueDate !== undefined && body.dueDate !== null) throw invalidRequest('simulator: a due date with the retries is not simulated');
      const retries = retriesOf(body);
      const job = model.jobs.find((j) => j.id === id);
      if (!job) throw new RestError(500, 'InvalidRequestException', `ENGINE-13053 No job found with id '${id}'.'`);
      if (job.retries === 0) resolveFailedJobIncidents(model, job);
      job.retries = retries;
    },
  },
  {
    /**
     * PUT /external-task/{id}/retries (RetriesDto), on the simulator's external tasks
     * (external-tasks.ts): SetExternalTaskRetriesCmd.java:49-51 runs
     * ExternalTaskEntity#setRetriesAndManageIncidents (ExternalTaskEntity.java:443-453): from no
     * retries left (0; null counts as left, line 230-232) to some, its failedExternalTask incident
     * (configuration = task id, lines 462-470) is resolved; a task with retries left just gets the
     * new number. Suspended tasks too (the command checks no suspension). Unknown: 404
     * (ExternalTaskCmd.java:55-57 NotFoundException, ExternalTaskResourceImpl.java:93-97), before
     * any permission check. Permissions: ExternalTaskCmd.java:59-61, checkUpdateProcessInstanceById.
     */
    pattern: new RegExp(`^/external-task/${segment}/retries$`),
    permissions(model, id) {
      const task = model.externalTasks.find((t) => t.id === id);
      return task ? [...on('ProcessInstance', task.instance.id, ['UPDATE']), ...on('ProcessDefinition', task.instance.definition.key, ['UPDATE_INSTANCE'])] : [];
    },
    handle(model, id, body) {
      const retries = retriesOf(body);
      const task = model.externalTasks.find((t) => t.id === id);
      if (!task) throw new RestError(404, 'RestException', `External task with id ${id} does not exist`);
      if (task.retries === 0) removeIncidents(model, model.incidents.filter((i) => i.type === 'failedExternalTask' && i.configuration === task.id));
      task.retries = retries;
    },
  },
  {
    /**
     * PUT /process-definition/{id}/suspended (ProcessDefinitionSuspensionStateDto): the version, every
     * job definition of it (AbstractSetProcessDefinitionStateCmd.java:106-114, without their jobs)
     * and, with includeProcessInstances, its instances and their jobs
     * (AbstractSetProcessInstanceStateCmd.java:90-113 and its job command), their external tasks
     * too. Permissions: lines 71-79.
     */
    pattern: new RegExp(`^/process-definition/${segment}/suspended$`),
    permissions(model, id) {
      const key = definitionById(model, id)?.key;
      return key === undefined ? [] : on('ProcessDefinition', key, ['SUSPEND', 'UPDATE']);
    },
    handle(model, id, body) {
      immediateOnly(body);
      const suspended = optionalBoolean(body, 'suspended');
      const definition = definitionById(model, id);
      if (!definition) return;
      definition.suspended = suspended;
      for (const jd of model.jobDefinitions) if (jd.definition === definition) jd.suspended = suspended;
      if (!optionalBoolean(body, 'includeProcessInstances')) return;
      const instances = new Set(model.instances.filter((p) => p.definition === definition));
      for (const instance of instances) instance.suspended = suspended;
      for (const history of model.historicInstances) if (history.definition === definition && history.endTime === null) history.state = suspended ? 'SUSPENDED' : 'ACTIVE';
      for (const job of model.jobs) if (instances.has(job.instance)) job.suspended = suspended;
      // And their external tasks (AbstractSetProcessInstanceStateCmd.java:100-103).
      for (const task of model.externalTasks) if (instances.has(task.instance)) task.suspended = suspended;
    },
  },
];

export function matchWriteRoute(path: string): { route: WriteRoute; id: string } | undefined {
  for (const route of writeRoutes) {
    const m = route.pattern.exec(path);
    if (m) return { route, id: decodeURIComponent(m[1]!) };
  }
  return undefined;
}
