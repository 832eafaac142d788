/**
 * The in-memory runtime state of a simulated engine, built once from a scenario:
 * relative times become absolute, references become object links, and ids are
 * generated. Ids are derived from a hash of the entry's position, so the same
 * scenario yields the same ids on every start (stable demo output, stable tests).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { versionModelError } from './bpmn';
import { parseDuration } from './dates';
import { buildIdentity, type Identity } from './authorization';
import { expandIncidentSeries } from './incident-series';
import { buildExternalTasks, buildMeterLog, externalTaskOfIncident, failedWithoutIncident, type ExternalTask, type MeterLogRow } from './external-tasks';
import type { ActivityScenario, DefinitionScenario, EngineScenario, FinishedState, HistoryLevel, IncidentScenario, InstanceScenario } from './scenario';

export interface ProcessDefinition {
  id: string;
  key: string;
  category: string;
  name: string | null;
  version: number;
  resource: string;
  deploymentId: string;
  suspended: boolean;
  tenantId: string | null;
  versionTag: string | null;
  historyTimeToLive: number | null;
  startableInTasklist: boolean;
  deployTime: Date;
  properties: Record<string, string>;
  /** The scenario's BPMN model; null = the generated one. */
  modelXml: string | null;
  /** Highest version of its key within its tenant. */
  latestVersion: boolean;
}

export interface ProcessInstance {
  id: string;
  definition: ProcessDefinition;
  /**
   * The execution's tenant, which its jobs, incidents, tasks and history carry: the definition's,
   * or for a shared definition (without tenant) the one a TenantIdProvider gave it
   * (ExecutionEntity.java:470-493 provideTenantId; JobDeclaration.java:162, TaskEntity.java:228,
   * IncidentEntity.java:124 copy the execution's tenant).
   */
  tenantId: string | null;
  businessKey: string | null;
  suspended: boolean;
  startTime: Date;
  /** Back-links, filled in once the incidents are built. */
  incidents: Incident[];
  /** The instance whose call activity started this one (ACT_RU_EXECUTION.SUPER_EXEC_), or null. */
  superInstance: ProcessInstance | null;
  /** The call activity of `superInstance` that waits for this instance. */
  superActivityId: string | null;
  /** The top-level instance of the call hierarchy (ROOT_PROC_INST_ID_); itself if not called. */
  rootInstance: ProcessInstance;
}

export interface Incident {
  id: string;
  instance: ProcessInstance;
  executionId: string;
  timestamp: Date;
  type: string;
  activityId: string;
  failedActivityId: string;
  causeIncidentId: string;
  rootCauseIncidentId: string;
  configuration: string | null;
  message: string | null;
  jobDefinition: JobDefinition | null;
  annotation: string | null;
}

export interface JobDefinition {
  id: string;
  definition: ProcessDefinition;
  activityId: string;
  jobType: string;
  jobConfiguration: string;
  /** Suspended by itself or with its process definition (see buildEngine). */
  suspended: boolean;
  overridingJobPriority: number | null;
}

export interface Job {
  id: string;
  jobDefinition: JobDefinition;
  instance: ProcessInstance;
  executionId: string;
  dueDate: Date | null;
  createTime: Date;
  retries: number;
  exceptionMessage: string | null;
  failedActivityId: string | null;
  suspended: boolean;
  priority: number;
  /** ACT_RU_JOB.TYPE_: timer jobs vs. messages (async continuations and the like). */
  kind: 'timer' | 'message';
  /** LOCK_EXP_TIME_: set while a job executor has acquired the job (is executing it), else null. */
  lockExpirationTime: Date | null;
  /** EXCLUSIVE_: exclusive jobs of one process instance run one at a time (the default). */
  exclusive: boolean;
}

export interface Task {
  id: string;
  instance: ProcessInstance;
  taskDefinitionKey: string;
  name: string | null;
  assignee: string | null;
  created: Date;
  due: Date | null;
  priority: number;
}

/** A row of ACT_HI_PROCINST: every running instance, and the finished ones. */
export interface HistoricProcessInstance {
  id: string;
  definition: ProcessDefinition;
  /** The execution's tenant (see ProcessInstance.tenantId). */
  tenantId: string | null;
  businessKey: string | null;
  startTime: Date;
  endTime: Date | null;
  state: 'ACTIVE' | 'SUSPENDED' | FinishedState;
  /** SUPER_PROCESS_INSTANCE_ID_ and ROOT_PROC_INST_ID_ (its own id when not called). */
  superId: string | null;
  rootId: string;
  /** The open incidents of a running instance. */
  incidents: readonly Incident[];
}

/** A row of ACT_HI_ACTINST. */
export interface HistoricActivityInstance {
  id: string;
  instance: HistoricProcessInstance;
  activityId: string;
  activityName: string | null;
  activityType: string;
  /** The user task of a `userTask` activity. */
  task: Task | null;
  startTime: Date;
  endTime: Date | null;
  /** Order of creation, what `sortBy=occurrence` follows. */
  sequence: number;
}

export interface EngineModel {
  name: string;
  /** Users, groups, grants and tenants of the identity service; see authorization.ts. */
  identity: Identity;
  historyLevel: HistoryLevel;
  definitions: ProcessDefinition[];
  instances: ProcessInstance[];
  incidents: Incident[];
  jobDefinitions: JobDefinition[];
  jobs: Job[];
  tasks: Task[];
  historicInstances: HistoricProcessInstance[];
  historicActivities: HistoricActivityInstance[];
  externalTasks: ExternalTask[];
  /** ACT_RU_METER_LOG. */
  meterLog: MeterLogRow[];
}

/** A UUID-shaped id derived from `seed`. */
export function stableUuid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  // Version 4 / RFC 4122 variant bits, so the id looks like any other UUID.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function buildEngine(declared: EngineScenario, now: Date): EngineModel {
  // Incident series (`count`) become instances and incidents of their own first.
  const expanded = expandIncidentSeries(declared, now);
  const scenario: EngineScenario = expanded;
  const seed = (...parts: (string | number)[]) => stableUuid([scenario.name, ...parts].join('/'));
  const ago = (text: string) => new Date(now.getTime() - parseDuration(text));
  const fromNow = (text: string | null | undefined) => (text == null ? null : new Date(now.getTime() + parseDuration(text)));
  const fail = (where: string, message: string): never => {
    throw new Error(`scenario engine '${scenario.name}': ${where}: ${message}`);
  };

  // --- process definitions -------------------------------------------------
  const definitions: ProcessDefinition[] = [];
  const seenKeys = new Set<string>();
  (scenario.processDefinitions ?? []).forEach((d: DefinitionScenario, i) => {
    const tenantId = d.tenantId ?? null;
    if (seenKeys.has(`${d.key}@${tenantId}`)) fail(`processDefinitions[${i}]`, `key '${d.key}' declared twice for tenant ${tenantId}`);
    seenKeys.add(`${d.key}@${tenantId}`);
    const latest = Math.max(...d.versions.map((v) => v.version));
    for (const v of d.versions) {
      const modelError = versionModelError(v, d.key);
      if (modelError) fail(`processDefinitions[${i}].versions[${d.versions.indexOf(v)}]`, modelError);
      const deploymentId = seed('deployment', d.key, String(tenantId), v.version);
      definitions.push({
        id: v.id ?? `${d.key}:${v.version}:${seed('definition', d.key, String(tenantId), v.version)}`,
        key: d.key,
        category: d.category ?? 'http://bpmn.io/schema/bpmn',
        name: d.name === undefined ? d.key : d.name,
        version: v.version,
        resource: v.bpmn === undefined ? `${d.key}.bpmn` : basename(v.bpmn),
        deploymentId,
        suspended: v.suspended ?? false,
        tenantId,
        versionTag: v.versionTag ?? null,
        historyTimeToLive: d.historyTimeToLive === undefined ? 180 : d.historyTimeToLive,
        startableInTasklist: d.startableInTasklist ?? true,
        deployTime: ago(v.deployed ?? `${Math.max(1, 30 - 7 * (v.version - 1))}d`),
        properties: v.properties ?? {},
        modelXml: v.bpmnXml ?? null,
        latestVersion: v.version === latest,
      });
    }
  });

  // By key, so that generated engines with thousands of definitions build in linear time.
  const definitionsByKey = new Map<string, ProcessDefinition[]>();
  for (const d of definitions) {
    const versions = definitionsByKey.get(d.key);
    if (versions) versions.push(d);
    else definitionsByKey.set(d.key, [d]);
  }
  const findDefinition = (where: string, key: string, tenantId: string | null | undefined, version?: number) => {
    const candidates = (definitionsByKey.get(key) ?? []).filter((d) => tenantId === undefined || d.tenantId === tenantId);
    if (candidates.length === 0) return fail(where, `no process definition with key '${key}'`);
    if (new Set(candidates.map((d) => d.tenantId)).size > 1) fail(where, `key '${key}' exists for several tenants; set tenantId`);
    const wanted = version ?? Math.max(...candidates.map((d) => d.version));
    return candidates.find((d) => d.version === wanted) ?? fail(where, `process definition '${key}' has no version ${wanted}`);
  };

  /** The tenant of an instance: its definition's, or the provider's for a shared definition. */
  const executionTenant = (where: string, definition: ProcessDefinition, provided: string | undefined): string | null => {
    if (provided === undefined) return definition.tenantId;
    if (definition.tenantId !== null && provided !== definition.tenantId) {
      fail(where, `executionTenantId '${provided}' on a definition of tenant '${definition.tenantId}': a TenantIdProvider only serves definitions without tenant`);
    }
    return provided;
  };

  // --- history (running instances add to it as they are built) ---------------
  const historicInstances: HistoricProcessInstance[] = [];
  const historicActivities: HistoricActivityInstance[] = [];
  const addActivity = (activity: Omit<HistoricActivityInstance, 'id' | 'sequence'>, seedParts: (string | number)[]) => {
    // Camunda's activity instance ids are `<activityId>:<uuid>`.
    historicActivities.push({ ...activity, id: `${activity.activityId}:${seed('activity-instance', ...seedParts)}`, sequence: historicActivities.length });
  };
  /**
   * The scenario's activities of a historic instance; an instance that ended ends them too.
   * `earlierMs`: copies of a finished instance (count > 1) ran that much earlier, activities included.
   */
  const addActivities = (where: string, instance: HistoricProcessInstance, activities: ActivityScenario[] | undefined, seedParts: (string | number)[], earlierMs = 0) =>
    (activities ?? []).forEach((a, k) => {
      const at = (text: string) => new Date(ago(text).getTime() - earlierMs);
      const startTime = a.started === undefined ? instance.startTime : at(a.started);
      const endTime = a.ended === undefined ? instance.endTime : at(a.ended);
      if (startTime < instance.startTime) fail(`${where}.activities[${k}]`, 'started before its instance');
      if (endTime !== null && (endTime < startTime || (instance.endTime !== null && endTime > instance.endTime))) {
        fail(`${where}.activities[${k}]`, 'ended before it started or after its instance');
      }
      addActivity(
        { instance, activityId: a.activityId, activityName: a.name === undefined ? a.activityId : a.name, activityType: a.activityType, task: null, startTime, endTime },
        [...seedParts, k],
      );
    });

  // --- instances -----------------------------------------------------------
  const instances: ProcessInstance[] = [];
  const instanceRefs = new Map<string, ProcessInstance>();
  // Declared before the loop: `calledBy` names an instance declared earlier.
  const findInstance = (where: string, ref: string) =>
    instanceRefs.get(ref) ?? fail(where, `no earlier instance with ref '${ref}'`);
  const historyOf = new Map<ProcessInstance, HistoricProcessInstance>();
  (scenario.instances ?? []).forEach((p: InstanceScenario, i) => {
    const where = `instances[${i}]`;
    const definition = findDefinition(where, p.definition, p.tenantId, p.version);
    const tenantId = executionTenant(where, definition, p.executionTenantId);
    const count = p.count ?? 1;
    const first = parseDuration(p.started ?? '1h');
    const superInstance = p.calledBy === undefined ? null : findInstance(`${where}.calledBy`, p.calledBy.instance);
    const step = parseDuration(p.every ?? '17m');
    for (let n = 1; n <= count; n++) {
      const instance: ProcessInstance = {
        id: p.id ?? seed('instance', i, n),
        definition,
        tenantId,
        businessKey: p.businessKey == null ? null : p.businessKey.replaceAll('{n}', String(n)),
        suspended: p.suspended ?? false,
        startTime: new Date(now.getTime() - first - (n - 1) * step),
        incidents: [],
        superInstance,
        superActivityId: p.calledBy?.activityId ?? null,
        rootInstance: undefined as unknown as ProcessInstance,
      };
      instance.rootInstance = superInstance?.rootInstance ?? instance;
      instances.push(instance);
      const history: HistoricProcessInstance = {
        id: instance.id,
        definition,
        tenantId,
        businessKey: instance.businessKey,
        startTime: instance.startTime,
        endTime: null,
        state: instance.suspended ? 'SUSPENDED' : 'ACTIVE',
        incidents: instance.incidents,
        superId: superInstance?.id ?? null,
        rootId: instance.rootInstance.id,
      };
      historicInstances.push(history);
      historyOf.set(instance, history);
      addActivities(where, history, p.activities, ['instance', i, n]);
      if (p.ref) {
        if (instanceRefs.has(p.ref)) fail(where, `duplicate instance ref '${p.ref}'`);
        instanceRefs.set(p.ref, instance);
      }
    }
  });

  (scenario.finishedInstances ?? []).forEach((p, i) => {
    const where = `finishedInstances[${i}]`;
    const definition = findDefinition(where, p.definition, p.tenantId, p.version);
    const tenantId = executionTenant(where, definition, p.executionTenantId);
    const step = parseDuration(p.every ?? '17m');
    if (parseDuration(p.ended) > parseDuration(p.started)) fail(where, 'ended before it started');
    for (let n = 1; n <= (p.count ?? 1); n++) {
      const earlier = (n - 1) * step;
      const history: HistoricProcessInstance = {
        id: seed('finished-instance', i, n),
        definition,
        tenantId,
        businessKey: p.businessKey == null ? null : p.businessKey.replaceAll('{n}', String(n)),
        startTime: new Date(ago(p.started).getTime() - earlier),
        endTime: new Date(ago(p.ended).getTime() - earlier),
        state: p.state ?? 'COMPLETED',
        incidents: [],
        superId: null,
        rootId: '',
      };
      history.rootId = history.id;
      historicInstances.push(history);
      addActivities(where, history, p.activities, ['finished-instance', i, n], earlier);
    }
  });

  // --- job definitions -----------------------------------------------------
  const jobDefinitions: JobDefinition[] = [];
  const jobDefinitionRefs = new Map<string, JobDefinition[]>();
  /** Suspended in the scenario (with their jobs), not merely with their process definition. */
  const suspendedByThemselves = new Set<JobDefinition>();
  (scenario.jobDefinitions ?? []).forEach((jd, i) => {
    const where = `jobDefinitions[${i}]`;
    const named = findDefinition(where, jd.definition, jd.tenantId, jd.version);
    const versions =
      jd.version !== undefined ? [named] : definitions.filter((d) => d.key === named.key && d.tenantId === named.tenantId);
    if (jd.id !== undefined && versions.length !== 1) fail(where, '"id" needs a single "version"');
    const created = versions.map((definition) => {
      const jobDefinition: JobDefinition = {
        id: jd.id ?? seed('job-definition', i, definition.version),
        definition,
        activityId: jd.activityId,
        jobType: jd.jobType,
        jobConfiguration: jd.jobConfiguration ?? '',
        // Suspending a process definition suspends all its job definitions, unconditionally:
        // AbstractSetProcessDefinitionStateCmd.java:106-113 (updateSuspensionState runs the job
        // definition command; engine 3dd653f). Their jobs are not suspended by that (the builder's
        // includeJobs stays false), only with the process instances.
        suspended: (jd.suspended ?? false) || definition.suspended,
        overridingJobPriority: jd.overridingJobPriority ?? null,
      };
      if (jd.suspended) suspendedByThemselves.add(jobDefinition);
      return jobDefinition;
    });
    jobDefinitions.push(...created);
    if (jd.ref) jobDefinitionRefs.set(jd.ref, created);
  });

  /** The job definition of an activity; an async continuation is implied if the scenario declares none. */
  const jobDefinitionFor = (definition: ProcessDefinition, activityId: string): JobDefinition => {
    const existing = jobDefinitions.find((jd) => jd.definition === definition && jd.activityId === activityId);
    if (existing) return existing;
    const implied: JobDefinition = {
      id: seed('implied-job-definition', definition.id, activityId),
      definition,
      activityId,
      jobType: 'async-continuation',
      jobConfiguration: 'async-before',
      suspended: definition.suspended,
      overridingJobPriority: null,
    };
    jobDefinitions.push(implied);
    return implied;
  };

  // --- jobs ----------------------------------------------------------------
  const jobs: Job[] = [];
  const jobRefs = new Map<string, Job>();
  const addJob = (job: Omit<Job, 'kind' | 'lockExpirationTime' | 'exclusive'> & Partial<Pick<Job, 'lockExpirationTime' | 'exclusive'>>) => {
    const full: Job = {
      lockExpirationTime: null,
      exclusive: true,
      ...job,
      kind: job.jobDefinition.jobType.startsWith('timer') ? 'timer' : 'message',
    };
    jobs.push(full);
    return full;
  };
  (scenario.jobs ?? []).forEach((j, i) => {
    const where = `jobs[${i}]`;
    const instance = findInstance(where, j.instance);
    const jobDefinition = jobDefinitionFor(instance.definition, j.activityId);
    const job = addJob({
      id: j.id ?? seed('job', i),
      jobDefinition,
      instance,
      executionId: instance.id,
      dueDate: fromNow(j.due),
      createTime: j.created ? ago(j.created) : instance.startTime,
      retries: j.retries ?? 3,
      exceptionMessage: j.exceptionMessage ?? null,
      failedActivityId: j.exceptionMessage ? j.activityId : null,
      suspended: j.suspended ?? (suspendedByThemselves.has(jobDefinition) || instance.suspended),
      priority: j.priority ?? jobDefinition.overridingJobPriority ?? 0,
      lockExpirationTime: fromNow(j.lockedFor),
      exclusive: j.exclusive ?? true,
    });
    if (j.ref) jobRefs.set(j.ref, job);
  });

  // --- external tasks (before the incidents: a failedExternalTask incident is one task's) ---
  const externalTasks = buildExternalTasks(scenario.externalTasks, now, findInstance, seed);

  // --- incidents -----------------------------------------------------------
  const incidents: Incident[] = [];
  expanded.incidents.forEach((inc: IncidentScenario, i) => {
    const where = `incidents[${i}]`;
    const instance = findInstance(where, inc.instance);
    const timestamp = ago(inc.ago);
    const failedActivityId = inc.failedActivityId ?? inc.activityId;
    let configuration = inc.configuration ?? null;
    let jobDefinition: JobDefinition | null = null;

    if (inc.type === 'failedJob') {
      const job =
        inc.job !== undefined
          ? (jobRefs.get(inc.job) ?? fail(where, `no job with ref '${inc.job}'`))
          : addJob({
              id: seed('failed-job', i),
              jobDefinition: jobDefinitionFor(instance.definition, failedActivityId),
              instance,
              executionId: instance.id,
              dueDate: null,
              createTime: new Date(Math.min(timestamp.getTime(), instance.startTime.getTime() + 1000)),
              retries: 0,
              exceptionMessage: inc.message,
              failedActivityId,
              suspended: instance.suspended,
              priority: 0,
            });
      jobDefinition = job.jobDefinition;
      if (inc.configuration === undefined) configuration = job.id;
    } else if (inc.type === 'failedExternalTask') {
      const failed = { instance, activityId: failedActivityId, message: inc.message, timestamp, id: inc.configuration ?? seed('external-task', i) };
      configuration = externalTaskOfIncident(externalTasks, failed, (message) => fail(where, message)).id;
    }
    addIncident({ id: inc.id ?? seed('incident', i), instance, timestamp, type: inc.type, activityId: inc.activityId, failedActivityId, configuration, message: inc.message, jobDefinition, annotation: inc.annotation ?? null }, i);
  });
  // A declared external task with no retries left has its incident, as ExternalTaskEntity#failed creates it.
  for (const task of failedWithoutIncident(externalTasks, incidents, now)) {
    addIncident({ id: seed('incident', 'external-task', task.id), instance: task.instance, timestamp: task.failed, type: 'failedExternalTask', activityId: task.activityId, failedActivityId: task.activityId, configuration: task.id, message: task.errorMessage, jobDefinition: null, annotation: null }, `external-task/${task.id}`);
  }

  /** An incident and, as the engine inserts them, one per calling level above it. */
  function addIncident(fields: Omit<Incident, 'executionId' | 'causeIncidentId' | 'rootCauseIncidentId'>, i: number | string): void {
    const { id, timestamp, type } = fields;
    const incident: Incident = { ...fields, executionId: fields.instance.id, causeIncidentId: id, rootCauseIncidentId: id };
    const add = (added: Incident) => {
      incidents.push(added);
      added.instance.incidents.push(added);
    };
    add(incident);
    /*
     * One incident per calling level, as IncidentEntity.createRecursiveIncidents inserts them
     * (engine/src/main/java/org/camunda/bpm/engine/impl/persistence/entity/IncidentEntity.java:82-111,
     * create() at 151-166): the same type, at the super execution's call activity (activity and
     * failed activity), cause = the incident one level down, root cause = the original; no
     * message, configuration or job definition; the clock of the same transaction.
     */
    for (let child = incident; child.instance.superInstance !== null; ) {
      const parentId = seed('incident', i, 'parent', child.id);
      const parent: Incident = {
        id: parentId,
        instance: child.instance.superInstance,
        executionId: child.instance.superInstance.id,
        timestamp,
        type,
        activityId: child.instance.superActivityId!,
        failedActivityId: child.instance.superActivityId!,
        causeIncidentId: child.id,
        rootCauseIncidentId: incident.id,
        configuration: null,
        message: null,
        jobDefinition: null,
        annotation: null,
      };
      add(parent);
      child = parent;
    }
  }

  // --- user tasks ----------------------------------------------------------
  const tasks: Task[] = (scenario.tasks ?? []).map((t, i) => {
    const instance = findInstance(`tasks[${i}]`, t.instance);
    return {
      id: t.id ?? seed('task', i),
      instance,
      taskDefinitionKey: t.taskDefinitionKey,
      name: t.name === undefined ? t.taskDefinitionKey : t.name,
      assignee: t.assignee ?? null,
      created: t.created ? ago(t.created) : instance.startTime,
      due: fromNow(t.due),
      priority: t.priority ?? 50,
    };
  });
  // The engine records every user task as a userTask activity instance.
  tasks.forEach((task, i) =>
    addActivity(
      { instance: historyOf.get(task.instance)!, activityId: task.taskDefinitionKey, activityName: task.name, activityType: 'userTask', task, startTime: task.created, endTime: null },
      ['task', i],
    ),
  );

  return {
    name: scenario.name,
    identity: buildIdentity(scenario, definitions, instances, fail),
    historyLevel: scenario.historyLevel ?? 'full',
    definitions,
    instances,
    incidents,
    jobDefinitions,
    jobs,
    tasks,
    historicInstances,
    historicActivities,
    externalTasks,
    meterLog: buildMeterLog(scenario.metrics, now),
  };
}
