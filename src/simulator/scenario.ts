/**
 * The scenario file: what the simulated engines contain. JSON, documented in
 * README.md next to this file. All times are relative to the simulator's clock
 * at start-up (`"started": "3h"` = three hours ago, `"due": "-5m"` = five minutes
 * ago, `"due": "2h"` = in two hours), so a demo always looks current.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { versionModelError } from './bpmn';
import { parseDuration } from './dates';
import { checkExternalTaskScenario, type ExternalTaskScenario, type MetricsScenario } from './external-tasks';
import { SERIES_PLACEHOLDERS, seriesTemplateError, type IncidentSeriesScenario } from './incident-series';

export interface Scenario {
  /** What `GET /version` reports. Default `7.15.0`, the API version of the OpenAPI document the simulator follows. */
  camundaVersion?: string;
  engines: EngineScenario[];
}

export interface EngineScenario {
  /** `default` is what requests without `/engine/{name}` address. */
  name: string;
  processDefinitions?: DefinitionScenario[];
  instances?: InstanceScenario[];
  /** Incidents, one per entry, or many per entry with `count` (incident-series.ts). */
  incidents?: (IncidentScenario | IncidentSeriesScenario)[];
  jobDefinitions?: JobDefinitionScenario[];
  jobs?: JobScenario[];
  tasks?: TaskScenario[];
  /**
   * What the engine records in its history tables (`/history/...`). Default `full`; `activity`
   * and `audit` serve the same process and activity instances, `none` serves no history at all.
   */
  historyLevel?: HistoryLevel;
  /** Process instances that ended: they exist only in the history. */
  finishedInstances?: FinishedInstanceScenario[];
  /**
   * Rows of the database's schema log (GET /schema/log), oldest first. Default: one entry
   * for `camundaVersion`, 90 days ago. `[]` shows what a user outside camunda-admin sees.
   */
  schemaLog?: SchemaLogScenario[];
  /**
   * The engine's `authorizationEnabled`. Default false: every authenticated user may read
   * everything, but the tenant check still applies (see authorization.ts).
   */
  authorization?: boolean;
  /** Users of the identity service; their Basic credentials authenticate them (ProcessEngineAuthenticationFilter). */
  users?: UserScenario[];
  groups?: GroupScenario[];
  /** Tenants of the identity service. Default: every tenant that owns a definition, runs an instance or has members. */
  tenants?: string[];
  /** External tasks (external-tasks.ts documents the fields). */
  externalTasks?: ExternalTaskScenario[];
  /** The metrics the engine's reporter wrote (external-tasks.ts); default: none, as with metrics off. */
  metrics?: MetricsScenario;
}

/** An authorization of type GRANT (ACT_RU_AUTHORIZATION TYPE_ 1). */
export interface GrantScenario {
  /** Resource name as in Resources.java: `ProcessDefinition`, `ProcessInstance`, `Task`, `Tenant`, `Group`, `Authorization`, ... */
  resource: string;
  /** A definition key, instance or task id, or `*` (default). */
  resourceId?: string;
  /** Permission names such as `READ`, `READ_INSTANCE`, `READ_HISTORY`, `READ_TASK`, or `ALL`. */
  permissions: string[];
}

export interface UserScenario {
  id: string;
  password: string;
  /** Group ids; `camunda-admin` is the engine's admin group, which the setup grants ALL on every resource. */
  groups?: string[];
  /** Tenant memberships of the user itself (those of its groups count too). */
  tenants?: string[];
  grants?: GrantScenario[];
}

export interface GroupScenario {
  id: string;
  name?: string;
  tenants?: string[];
  grants?: GrantScenario[];
}

export const HISTORY_LEVELS = ['none', 'activity', 'audit', 'full'] as const;
export type HistoryLevel = (typeof HISTORY_LEVELS)[number];

/** How a historic process instance ended (HistoricProcessInstanceDto.state). */
export const FINISHED_STATES = ['COMPLETED', 'EXTERNALLY_TERMINATED', 'INTERNALLY_TERMINATED'] as const;
export type FinishedState = (typeof FINISHED_STATES)[number];

export interface SchemaLogScenario {
  /** Schema version the script wrote, e.g. `7.22.0`. */
  version: string;
  /** Written this long ago. Default `90d`. */
  ago?: string;
}

export interface DefinitionScenario {
  key: string;
  /** Default: the key. */
  name?: string | null;
  /** BPMN targetNamespace. Default `http://bpmn.io/schema/bpmn` (Camunda Modeler's). */
  category?: string;
  tenantId?: string | null;
  /** Days. Default 180 (what Camunda Modeler puts into new diagrams). */
  historyTimeToLive?: number | null;
  /** Default true. */
  startableInTasklist?: boolean;
  versions: VersionScenario[];
}

export interface VersionScenario {
  version: number;
  /** Default `<key>:<version>:<uuid>`. */
  id?: string;
  versionTag?: string | null;
  suspended?: boolean;
  /** Deployed this long ago. Default: 30d for version 1, each later version 7d nearer. */
  deployed?: string;
  /** `camunda:properties` of the process element, served in `/process-definition/{id}/xml`. */
  properties?: Record<string, string>;
  /**
   * A BPMN file, relative to the scenario file, served by `/process-definition/{id}/xml` instead
   * of the generated model; its `bpmn:process` must have the key as id. loadScenario reads it
   * into `bpmnXml`. Excludes `properties`.
   */
  bpmn?: string;
  /** The BPMN XML itself, for scenarios written in code. Excludes `properties`. */
  bpmnXml?: string;
}

export interface InstanceScenario {
  /** Name other entries use to point at this instance (only with count 1). */
  ref?: string;
  id?: string;
  /** Process definition key. */
  definition: string;
  /** Needed only if the key exists for several tenants. */
  tenantId?: string | null;
  /**
   * Of a shared definition (one without tenant): the tenant a TenantIdProvider gave the instance.
   * Its jobs, incidents, tasks and history carry it. Default: the definition's tenant.
   */
  executionTenantId?: string;
  /** Default: the latest version. */
  version?: number;
  /** With count > 1, `{n}` is replaced by 1..count. */
  businessKey?: string | null;
  /** Started this long ago. Default `1h`. */
  started?: string;
  /** With count > 1: each further instance started this much earlier. Default `17m`. */
  every?: string;
  /** Number of identical instances. Default 1. */
  count?: number;
  suspended?: boolean;
  /**
   * Started by a call activity of an earlier instance (`ref`): a failure in this instance then
   * gets one incident per calling level, as the engine inserts them.
   */
  calledBy?: { instance: string; activityId: string };
  /** Activity instances in the history; without `ended`, the activities the instance waits in. */
  activities?: ActivityScenario[];
}

/**
 * A historic activity instance (ACT_HI_ACTINST). Tasks are recorded as `userTask` activities
 * by themselves; this is for everything else, such as receive tasks and catch events.
 */
export interface ActivityScenario {
  activityId: string;
  /** As the engine writes it: `receiveTask`, `intermediateMessageCatch`, `callActivity`, `serviceTask`, `subProcess`, ... */
  activityType: string;
  /** Default: the activityId. */
  name?: string | null;
  /** Started this long ago. Default: when the instance started. */
  started?: string;
  /** Ended this long ago. Default: unfinished (in a finished instance: when the instance ended). */
  ended?: string;
}

export interface FinishedInstanceScenario {
  /** Process definition key. */
  definition: string;
  tenantId?: string | null;
  /** As for running instances: the tenant a TenantIdProvider gave an instance of a shared definition. */
  executionTenantId?: string;
  /** Default: the latest version. */
  version?: number;
  /** With count > 1, `{n}` is replaced by 1..count. */
  businessKey?: string | null;
  /** Started this long ago. */
  started: string;
  /** Ended this long ago. */
  ended: string;
  /** With count > 1: each further instance started and ended this much earlier. Default `17m`. */
  every?: string;
  /** Default 1. */
  count?: number;
  /** Default `COMPLETED`. */
  state?: FinishedState;
  activities?: ActivityScenario[];
}

/**
 * A failure where it happened (the root cause). When its instance was started by a call
 * activity (`calledBy`), the simulator adds the incidents of the calling levels itself, as the
 * engine does; they cannot be declared.
 */
export interface IncidentScenario {
  /** A name for the incident (documentation only). */
  ref?: string;
  id?: string;
  /** `ref` of the instance. */
  instance: string;
  /** `failedJob`, `failedExternalTask` or any custom type. */
  type: string;
  activityId: string;
  /** Default: activityId. */
  failedActivityId?: string;
  message: string | null;
  /**
   * Default: for `failedJob` the id of the failed job (created automatically unless
   * `job` names one), for `failedExternalTask` a generated external task id, else null.
   */
  configuration?: string | null;
  /** Created this long ago. */
  ago: string;
  /** `ref` of the failing job, for `failedJob` incidents. */
  job?: string;
  annotation?: string | null;
}

export interface JobDefinitionScenario {
  ref?: string;
  /** Only with a single version. */
  id?: string;
  /** Process definition key. */
  definition: string;
  tenantId?: string | null;
  /** Default: one job definition for every version of the key. */
  version?: number;
  activityId: string;
  /** E.g. `async-continuation`, `timer-intermediate-transition`, `timer-start-event`. */
  jobType: string;
  /** E.g. `async-before`, `DURATION: PT48H`. Default `''`. */
  jobConfiguration?: string;
  suspended?: boolean;
  overridingJobPriority?: number | null;
}

export interface JobScenario {
  ref?: string;
  id?: string;
  /** `ref` of the instance. */
  instance: string;
  /** Activity of the job's job definition (an async-continuation one is implied if none is declared). */
  activityId: string;
  /** Signed offset from now (`-5m` = overdue) or null. Default null. */
  due?: string | null;
  /** Created this long ago. Default: when the instance started. */
  created?: string;
  /** Default 3. */
  retries?: number;
  exceptionMessage?: string | null;
  /** Default: suspended if its job definition or instance is. */
  suspended?: boolean;
  /** Default: the job definition's overridingJobPriority, else 0. */
  priority?: number;
  /**
   * Acquired by a job executor (being executed): its lock expires this far from now, e.g. `4m`.
   * Default null (not locked). A lock that expired (`-1m`) no longer counts as acquired.
   */
  lockedFor?: string | null;
  /** Default true, as Camunda's `camunda:exclusive`. */
  exclusive?: boolean;
}

export interface TaskScenario {
  id?: string;
  /** `ref` of the instance. */
  instance: string;
  taskDefinitionKey: string;
  name?: string | null;
  assignee?: string | null;
  /** Created this long ago. Default: when the instance started. */
  created?: string;
  /** Signed offset from now or null. Default null. */
  due?: string | null;
  /** Default 50. */
  priority?: number;
}

/** Reads and checks a scenario file, and reads the BPMN files it names (relative to it) into `bpmnXml`. */
export function loadScenario(file: string): Scenario {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read scenario ${file}: ${(error as Error).message}`);
  }
  return checkScenario(parsed, file, dirname(file));
}

/**
 * Structural checks with messages that name the offending entry; the builder
 * (model.ts) reports broken references. Keeps a typo in a scenario from turning
 * into a silently empty engine. With `bpmnDirectory`, versions' `bpmn` files are
 * read from there into `bpmnXml`; without, a `bpmn` file is an error.
 */
export function checkScenario(value: unknown, source = 'scenario', bpmnDirectory?: string): Scenario {
  const fail = (where: string, message: string): never => {
    throw new Error(`${source}: ${where}: ${message}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const durationField = (where: string, v: unknown, nullable: boolean) => {
    if (v === undefined || (nullable && v === null)) return;
    if (typeof v !== 'string') fail(where, `expected a duration string${nullable ? ' or null' : ''}`);
    try {
      parseDuration(v as string);
    } catch (error) {
      fail(where, (error as Error).message);
    }
  };
  const requireString = (where: string, v: unknown) => {
    if (typeof v !== 'string' || v === '') fail(where, 'expected a non-empty string');
  };
  const list = (engine: Record<string, unknown>, field: string, where: string): Record<string, unknown>[] => {
    const items = engine[field] ?? [];
    if (!Array.isArray(items)) return fail(`${where}.${field}`, 'expected an array');
    return (items as unknown[]).map((item, i) => (isObject(item) ? item : fail(`${where}.${field}[${i}]`, 'expected an object')));
  };

  const activities = (where: string, instance: Record<string, unknown>) =>
    list(instance, 'activities', where).forEach((a, i) => {
      const w = `${where}.activities[${i}]`;
      requireString(`${w}.activityId`, a.activityId);
      requireString(`${w}.activityType`, a.activityType);
      durationField(`${w}.started`, a.started, false);
      durationField(`${w}.ended`, a.ended, false);
    });
  const readBpmn = (where: string, version: Record<string, unknown>) => {
    requireString(where, version.bpmn);
    if (bpmnDirectory === undefined) fail(where, 'a file name needs a scenario file to be relative to (loadScenario); in code, set "bpmnXml"');
    if (version.bpmnXml !== undefined) fail(where, '"bpmn" and "bpmnXml" exclude each other');
    const file = resolve(bpmnDirectory!, version.bpmn as string);
    try {
      version.bpmnXml = readFileSync(file, 'utf8');
    } catch (error) {
      fail(where, `cannot read ${file}: ${(error as Error).message}`);
    }
  };

  if (!isObject(value) || !Array.isArray(value.engines) || value.engines.length === 0) {
    return fail('(root)', 'expected an object with a non-empty "engines" array');
  }
  const names = new Set<string>();
  value.engines.forEach((engine: unknown, e: number) => {
    const where = `engines[${e}]`;
    if (!isObject(engine)) return fail(where, 'expected an object');
    requireString(`${where}.name`, engine.name);
    if (names.has(engine.name as string)) fail(`${where}.name`, `duplicate engine name '${String(engine.name)}'`);
    names.add(engine.name as string);
    if (engine.historyLevel !== undefined && !HISTORY_LEVELS.includes(engine.historyLevel as HistoryLevel)) {
      fail(`${where}.historyLevel`, `expected one of ${HISTORY_LEVELS.join(', ')}`);
    }

    list(engine, 'processDefinitions', where).forEach((d, i) => {
      const w = `${where}.processDefinitions[${i}]`;
      requireString(`${w}.key`, d.key);
      if (!Array.isArray(d.versions) || d.versions.length === 0) fail(`${w}.versions`, 'expected a non-empty array');
      (d.versions as unknown[]).forEach((v, j) => {
        if (!isObject(v) || !Number.isInteger(v.version) || (v.version as number) < 1) {
          fail(`${w}.versions[${j}].version`, 'expected a positive integer');
        }
        const version = v as Record<string, unknown>;
        durationField(`${w}.versions[${j}].deployed`, version.deployed, false);
        if (version.bpmn !== undefined) readBpmn(`${w}.versions[${j}].bpmn`, version);
        const modelError = versionModelError(version, d.key as string);
        if (modelError) fail(`${w}.versions[${j}]`, modelError);
      });
    });
    list(engine, 'instances', where).forEach((p, i) => {
      const w = `${where}.instances[${i}]`;
      requireString(`${w}.definition`, p.definition);
      durationField(`${w}.started`, p.started, false);
      durationField(`${w}.every`, p.every, false);
      if (p.count !== undefined && (!Number.isInteger(p.count) || (p.count as number) < 1)) fail(`${w}.count`, 'expected a positive integer');
      if ((p.count ?? 1) !== 1 && (p.ref !== undefined || p.id !== undefined)) fail(w, '"ref" and "id" need count 1');
      if (p.calledBy !== undefined) {
        if (!isObject(p.calledBy)) fail(`${w}.calledBy`, 'expected an object with "instance" and "activityId"');
        const calledBy = p.calledBy as Record<string, unknown>;
        requireString(`${w}.calledBy.instance`, calledBy.instance);
        requireString(`${w}.calledBy.activityId`, calledBy.activityId);
      }
      activities(w, p);
    });
    list(engine, 'finishedInstances', where).forEach((p, i) => {
      const w = `${where}.finishedInstances[${i}]`;
      requireString(`${w}.definition`, p.definition);
      for (const field of ['started', 'ended']) {
        if (p[field] === undefined) fail(`${w}.${field}`, 'required');
        durationField(`${w}.${field}`, p[field], false);
      }
      durationField(`${w}.every`, p.every, false);
      if (p.count !== undefined && (!Number.isInteger(p.count) || (p.count as number) < 1)) fail(`${w}.count`, 'expected a positive integer');
      if (p.state !== undefined && !FINISHED_STATES.includes(p.state as FinishedState)) fail(`${w}.state`, `expected one of ${FINISHED_STATES.join(', ')}`);
      activities(w, p);
    });
    list(engine, 'incidents', where).forEach((inc, i) => {
      const w = `${where}.incidents[${i}]`;
      if (inc.count === undefined) requireString(`${w}.instance`, inc.instance);
      else {
        if (!Number.isInteger(inc.count) || (inc.count as number) < 1 || (inc.count as number) > 1_000_000) fail(`${w}.count`, 'expected a whole number from 1 to 1000000');
        if (inc.instance !== undefined) fail(`${w}.instance`, 'an entry with "count" makes its own instances: name their "definition" instead');
        for (const field of ['job', 'id', 'configuration']) if (inc[field] !== undefined) fail(`${w}.${field}`, 'not with "count"');
        requireString(`${w}.definition`, inc.definition);
        durationField(`${w}.every`, inc.every, false);
        for (const field of ['message', 'businessKey']) {
          const error = typeof inc[field] === 'string' ? seriesTemplateError(inc[field] as string) : undefined;
          if (error) fail(`${w}.${field}`, `${error} (placeholders: ${SERIES_PLACEHOLDERS})`);
        }
        if (inc.calledBy !== undefined) {
          if (!isObject(inc.calledBy)) fail(`${w}.calledBy`, 'expected an object with "definition" and "activityId"');
          requireString(`${w}.calledBy.definition`, (inc.calledBy as Record<string, unknown>).definition);
          requireString(`${w}.calledBy.activityId`, (inc.calledBy as Record<string, unknown>).activityId);
        }
      }
      requireString(`${w}.type`, inc.type);
      requireString(`${w}.activityId`, inc.activityId);
      if (inc.message !== null && typeof inc.message !== 'string') fail(`${w}.message`, 'expected a string or null');
      if (inc.ago === undefined) fail(`${w}.ago`, 'required');
      durationField(`${w}.ago`, inc.ago, false);
      if (inc.cause !== undefined) {
        fail(`${w}.cause`, 'the incidents of calling levels are not declared: give the called instance "calledBy" and the simulator adds them as the engine does');
      }
    });
    list(engine, 'jobDefinitions', where).forEach((jd, i) => {
      const w = `${where}.jobDefinitions[${i}]`;
      requireString(`${w}.definition`, jd.definition);
      requireString(`${w}.activityId`, jd.activityId);
      requireString(`${w}.jobType`, jd.jobType);
    });
    list(engine, 'jobs', where).forEach((j, i) => {
      const w = `${where}.jobs[${i}]`;
      requireString(`${w}.instance`, j.instance);
      requireString(`${w}.activityId`, j.activityId);
      durationField(`${w}.due`, j.due, true);
      durationField(`${w}.created`, j.created, false);
      if (j.retries !== undefined && (!Number.isInteger(j.retries) || (j.retries as number) < 0)) fail(`${w}.retries`, 'expected an integer >= 0');
      durationField(`${w}.lockedFor`, j.lockedFor, true);
      if (j.exclusive !== undefined && typeof j.exclusive !== 'boolean') fail(`${w}.exclusive`, 'expected true or false');
    });
    checkExternalTaskScenario(engine, `${source}: ${where}`);
    list(engine, 'schemaLog', where).forEach((entry, i) => {
      const w = `${where}.schemaLog[${i}]`;
      requireString(`${w}.version`, entry.version);
      durationField(`${w}.ago`, entry.ago, false);
    });
    if (engine.authorization !== undefined && typeof engine.authorization !== 'boolean') fail(`${where}.authorization`, 'expected true or false');
    const grants = (w: string, owner: Record<string, unknown>) =>
      list(owner, 'grants', w).forEach((g, k) => {
        requireString(`${w}.grants[${k}].resource`, g.resource);
        if (!Array.isArray(g.permissions) || g.permissions.some((p) => typeof p !== 'string')) fail(`${w}.grants[${k}].permissions`, 'expected an array of permission names');
      });
    list(engine, 'users', where).forEach((u, i) => {
      requireString(`${where}.users[${i}].id`, u.id);
      requireString(`${where}.users[${i}].password`, u.password);
      grants(`${where}.users[${i}]`, u);
    });
    list(engine, 'groups', where).forEach((g, i) => {
      requireString(`${where}.groups[${i}].id`, g.id);
      grants(`${where}.groups[${i}]`, g);
    });
    list(engine, 'tasks', where).forEach((t, i) => {
      const w = `${where}.tasks[${i}]`;
      requireString(`${w}.instance`, t.instance);
      requireString(`${w}.taskDefinitionKey`, t.taskDefinitionKey);
      durationField(`${w}.due`, t.due, true);
      durationField(`${w}.created`, t.created, false);
    });
  });
  return value as unknown as Scenario;
}
