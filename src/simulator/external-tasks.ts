/**
 * External tasks and the engine's metrics table, for check_camunda_external_tasks and the
 * throughput of check_camunda_jobs: the scenario fields, the model, and the resources
 * `/external-task`, `/external-task/count`, `/external-task/topic-names`, `/metrics` and
 * `/metrics/{name}/sum`. Semantics cited from camunda-bpm-platform (3dd653fe) where they are used.
 */
import { parseDuration } from './dates';
import { processEngineException } from './errors';
import type { Incident, ProcessInstance } from './model';
import { anyOf, countQuery, date, eq, flag, int, listQuery, parseQuery, tenantParams, type QueryResource } from './query';
import { visibleRows } from './authorization';
import type { RequestContext, Route } from './routes';

// --- scenario ------------------------------------------------------------------

export interface ExternalTaskScenario {
  id?: string;
  /** `ref` of the instance. */
  instance: string;
  topic: string;
  /** Default: the topic. */
  activityId?: string;
  /** Created this long ago. Default: when the instance started. */
  created?: string;
  /** Number of identical tasks (no `id`). Default 1. */
  count?: number;
  /** With count > 1: each further task created this much earlier. Default `1m`. */
  every?: string;
  /** Worker that locked it last. Default: a worker id when `lockExpires` is set, else null. */
  workerId?: string | null;
  /** Signed offset from now of the lock's expiration: `5m` = held for five more minutes, `-3m` = ran out three minutes ago. Default null (never locked). */
  lockExpires?: string | null;
  /** Null until the first failure (ExternalTaskEntity#failed). Default null. */
  retries?: number | null;
  errorMessage?: string | null;
  suspended?: boolean;
  priority?: number;
}

/** The rows of ACT_RU_METER_LOG: each reporter writes every meter every interval, zeros included. */
export interface MetricsScenario {
  /** metricsEnabled and dbMetricsReporterActivate; false: no rows at all. Default true. */
  enabled?: boolean;
  /** reportingIntervalInSeconds. Default `15m`. */
  interval?: string;
  /** The latest report was written this long ago (less than an interval). Default `5m`. */
  lastReport?: string;
  /** Reporter ids (engine nodes). Default one, `camunda-1`. */
  reporters?: string[];
  /** Reports written, newest first; default 96 (a day at 15 minutes). */
  reports?: number;
  /**
   * Per meter name, what each reporter wrote per report: a number for every report, or a list,
   * newest report first, whose last value repeats for the older ones. Unlisted meters write 0.
   */
  values?: Record<string, number | number[]>;
}

const fail = (where: string, message: string): never => {
  throw new Error(`${where}: ${message}`);
};
const durationField = (where: string, value: unknown, nullable: boolean) => {
  if (value === undefined || (nullable && value === null)) return;
  if (typeof value !== 'string') fail(where, `expected a duration string${nullable ? ' or null' : ''}`);
  try {
    parseDuration(value as string);
  } catch (error) {
    fail(where, (error as Error).message);
  }
};

/** Structural checks of `externalTasks` and `metrics` of one engine entry (`where` names it). */
export function checkExternalTaskScenario(engine: Record<string, unknown>, where: string): void {
  const tasks = engine.externalTasks ?? [];
  if (!Array.isArray(tasks)) fail(`${where}.externalTasks`, 'expected an array');
  (tasks as unknown[]).forEach((t, i) => {
    const w = `${where}.externalTasks[${i}]`;
    if (typeof t !== 'object' || t === null) return fail(w, 'expected an object');
    const task = t as Record<string, unknown>;
    for (const field of ['instance', 'topic']) if (typeof task[field] !== 'string' || task[field] === '') fail(`${w}.${field}`, 'expected a non-empty string');
    durationField(`${w}.created`, task.created, false);
    durationField(`${w}.every`, task.every, false);
    durationField(`${w}.lockExpires`, task.lockExpires, true);
    if (task.retries !== undefined && task.retries !== null && (!Number.isInteger(task.retries) || (task.retries as number) < 0)) fail(`${w}.retries`, 'expected an integer >= 0 or null');
    if (task.count !== undefined && (!Number.isInteger(task.count) || (task.count as number) < 1)) fail(`${w}.count`, 'expected a positive integer');
  });
  const metrics = engine.metrics;
  if (metrics === undefined) return;
  if (typeof metrics !== 'object' || metrics === null) return fail(`${where}.metrics`, 'expected an object');
  const m = metrics as Record<string, unknown>;
  durationField(`${where}.metrics.interval`, m.interval, false);
  durationField(`${where}.metrics.lastReport`, m.lastReport, false);
  const values = m.values ?? {};
  if (typeof values !== 'object' || values === null) fail(`${where}.metrics.values`, 'expected an object');
  for (const [name, value] of Object.entries(values as object)) {
    const ok = typeof value === 'number' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number'));
    if (!ok) fail(`${where}.metrics.values.${name}`, 'expected a number or a non-empty list of numbers');
  }
}

// --- model -----------------------------------------------------------------------

export interface ExternalTask {
  id: string;
  instance: ProcessInstance;
  topicName: string;
  activityId: string;
  workerId: string | null;
  lockExpirationTime: Date | null;
  createTime: Date;
  retries: number | null;
  errorMessage: string | null;
  suspended: boolean;
  priority: number;
}

export interface MeterLogRow {
  name: string;
  reporter: string;
  value: number;
  timestamp: Date;
}

export function buildExternalTasks(
  scenarios: readonly ExternalTaskScenario[] | undefined,
  now: Date,
  findInstance: (where: string, ref: string) => ProcessInstance,
  seed: (...parts: (string | number)[]) => string,
): ExternalTask[] {
  const tasks: ExternalTask[] = [];
  (scenarios ?? []).forEach((t, i) => {
    const instance = findInstance(`externalTasks[${i}]`, t.instance);
    const created = t.created === undefined ? instance.startTime.getTime() : now.getTime() - parseDuration(t.created);
    const lock = t.lockExpires == null ? null : new Date(now.getTime() + parseDuration(t.lockExpires));
    for (let n = 0; n < (t.count ?? 1); n++) {
      tasks.push({
        id: t.id !== undefined && (t.count ?? 1) === 1 ? t.id : seed('external-task', 'scenario', i, n),
        instance,
        topicName: t.topic,
        activityId: t.activityId ?? t.topic,
        workerId: t.workerId !== undefined ? t.workerId : lock ? `worker-${t.topic}` : null,
        lockExpirationTime: lock,
        createTime: new Date(created - n * parseDuration(t.every ?? '1m')),
        retries: t.retries ?? null,
        errorMessage: t.errorMessage ?? null,
        suspended: t.suspended ?? instance.suspended,
        priority: t.priority ?? 0,
      });
    }
  });
  return tasks;
}

/**
 * The external task of a declared `failedExternalTask` incident (its configuration is the task id,
 * ExternalTaskEntity#createIncidentContext, ExternalTaskEntity.java:462-470): the declared task of
 * that id, which must have no retries left, or else a failed task created for it, as a worker's
 * failure leaves it (ExternalTaskEntity#failed, lines 402-421: error message, retries 0, locked
 * until the failure time plus the retry timeout, here none).
 */
export function externalTaskOfIncident(
  tasks: ExternalTask[],
  failed: { readonly id: string; readonly instance: ProcessInstance; readonly activityId: string; readonly message: string | null; readonly timestamp: Date },
  fail: (message: string) => never,
): ExternalTask {
  const declared = tasks.find((t) => t.id === failed.id);
  if (declared) {
    if (declared.retries !== 0) fail(`external task '${failed.id}' has retries left (${declared.retries}): only a task with retries 0 has a failedExternalTask incident`);
    if (declared.instance !== failed.instance) fail(`external task '${failed.id}' belongs to another instance`);
    return declared;
  }
  const task: ExternalTask = {
    id: failed.id,
    instance: failed.instance,
    topicName: failed.activityId,
    activityId: failed.activityId,
    workerId: `worker-${failed.activityId}`,
    lockExpirationTime: failed.timestamp,
    createTime: new Date(Math.min(failed.timestamp.getTime(), failed.instance.startTime.getTime() + 1000)),
    retries: 0,
    errorMessage: failed.message,
    suspended: failed.instance.suspended,
    priority: 0,
  };
  tasks.push(task);
  return task;
}

/**
 * Declared tasks with no retries left and no declared incident: the engine created one when their
 * retries reached 0 (ExternalTaskEntity#setRetriesAndManageIncidents, ExternalTaskEntity.java:443-447).
 * `failed`: when, as far as the scenario says: when the lock set at the failure began, else created.
 */
export function failedWithoutIncident(tasks: readonly ExternalTask[], incidents: readonly Incident[], now: Date): (ExternalTask & { readonly failed: Date })[] {
  const withIncident = new Set(incidents.filter((i) => i.type === 'failedExternalTask').map((i) => i.configuration));
  return tasks
    .filter((t) => t.retries === 0 && !withIncident.has(t.id))
    .map((t) => ({ ...t, failed: new Date(Math.min((t.lockExpirationTime ?? t.createTime).getTime(), now.getTime())) }));
}

export function buildMeterLog(scenario: MetricsScenario | undefined, now: Date): MeterLogRow[] {
  if (!scenario || scenario.enabled === false) return [];
  const interval = parseDuration(scenario.interval ?? '15m');
  const last = now.getTime() - parseDuration(scenario.lastReport ?? '5m');
  const rows: MeterLogRow[] = [];
  for (const reporter of scenario.reporters ?? ['camunda-1']) {
    for (let k = 0; k < (scenario.reports ?? 96); k++) {
      // MetricsCollectionTask#collectMetrics writes a row for every DB meter, zeros included (MetricsCollectionTask.java:65-76).
      for (const name of new Set([...METER_NAMES, ...Object.keys(scenario.values ?? {})])) {
        const given = scenario.values?.[name] ?? 0;
        const value = typeof given === 'number' ? given : (given[Math.min(k, given.length - 1)] ?? 0);
        rows.push({ name, reporter, value, timestamp: new Date(last - k * interval) });
      }
    }
  }
  return rows;
}

/** The DB meters of the engine the job checks read (org.camunda.bpm.engine.management.Metrics). */
const METER_NAMES = ['job-successful', 'job-failed', 'job-execution-rejected', 'job-acquired-failure', 'job-acquisition-attempt', 'job-acquired-success', 'job-locked-exclusive'];

// --- resources ----------------------------------------------------------------------

/** Camunda 7.21 added ACT_RU_EXT_TASK.CREATE_TIME_ and sortBy=createTime (upgrade script 7.20_to_7.21, commit eaaee050d2). */
function hasCreateTime(camundaVersion: string): boolean {
  const [major = 0, minor = 0] = camundaVersion.split(/[.-]/).map(Number);
  return major !== 7 || minor >= 21;
}

/** The execution's tenant, for a shared definition the one its instance runs for (ExternalTaskEntity.java:577). */
const tenantOf = (t: ExternalTask) => t.instance.tenantId;
/** The tasks the authenticated user sees (authorization.ts). */
const visibleTasks = (ctx: RequestContext) => visibleRows('/external-task', ctx.engine().externalTasks, ctx.access);
const isLocked = (t: ExternalTask, now: Date) => t.lockExpirationTime !== null && t.lockExpirationTime.getTime() > now.getTime();

/** ExternalTaskQueryDto; conditions as ExternalTask.xml:352-474 writes them. */
function externalTaskQuery(withCreateTime: boolean): QueryResource<ExternalTask> {
  return {
    id: (t) => t.id,
    params: {
      externalTaskId: eq((t) => t.id),
      externalTaskIdIn: anyOf((t) => t.id),
      topicName: eq((t) => t.topicName),
      workerId: eq((t) => t.workerId),
      // locked: LOCK_EXP_TIME_ > now (ExternalTask.xml:374-377); notLocked: null or < now (378-381).
      locked: flag((t, now) => isLocked(t, now)),
      notLocked: flag((t, now) => t.lockExpirationTime === null || t.lockExpirationTime.getTime() < now.getTime()),
      // retries null or > 0 (423-426); = 0, never null (427-430).
      withRetriesLeft: flag((t) => t.retries === null || t.retries > 0),
      noRetriesLeft: flag((t) => t.retries === 0),
      // Strict comparisons; a null lock never matches (365-370).
      lockExpirationBefore: date((t) => t.lockExpirationTime, 'before'),
      lockExpirationAfter: date((t) => t.lockExpirationTime, 'after'),
      activityId: eq((t) => t.activityId),
      activityIdIn: anyOf((t) => t.activityId),
      executionId: eq((t) => t.instance.id),
      processInstanceId: eq((t) => t.instance.id),
      processInstanceIdIn: anyOf((t) => t.instance.id),
      processDefinitionId: eq((t) => t.instance.definition.id),
      processDefinitionKey: eq((t) => t.instance.definition.key),
      processDefinitionKeyIn: anyOf((t) => t.instance.definition.key),
      active: flag((t) => !t.suspended),
      suspended: flag((t) => t.suspended),
      priorityHigherThanOrEquals: int((t) => t.priority, 'java.lang.Long', (actual, bound) => actual >= bound),
      priorityLowerThanOrEquals: int((t) => t.priority, 'java.lang.Long', (actual, bound) => actual <= bound),
      ...tenantParams(tenantOf),
    },
    sortBy: {
      id: (t) => t.id,
      lockExpirationTime: (t) => t.lockExpirationTime,
      processInstanceId: (t) => t.instance.id,
      processDefinitionId: (t) => t.instance.definition.id,
      processDefinitionKey: (t) => t.instance.definition.key,
      tenantId: tenantOf,
      taskPriority: (t) => t.priority,
      ...(withCreateTime ? { createTime: (t: ExternalTask) => t.createTime } : {}),
    },
  };
}

function externalTaskDto(t: ExternalTask, ctx: RequestContext, withCreateTime: boolean): unknown {
  return {
    activityId: t.activityId,
    activityInstanceId: `${t.activityId}:${t.id}`,
    errorMessage: t.errorMessage,
    executionId: t.instance.id,
    id: t.id,
    lockExpirationTime: ctx.date(t.lockExpirationTime),
    processDefinitionId: t.instance.definition.id,
    processDefinitionKey: t.instance.definition.key,
    processDefinitionVersionTag: t.instance.definition.versionTag,
    processInstanceId: t.instance.id,
    tenantId: tenantOf(t),
    retries: t.retries,
    suspended: t.suspended,
    workerId: t.workerId,
    topicName: t.topicName,
    priority: t.priority,
    businessKey: t.instance.businessKey,
    ...(withCreateTime ? { createTime: ctx.date(t.createTime) } : {}),
  };
}

/** Plain JAX-RS `boolean` parameters: anything but `true` is false, never an error. */
const isTrue = (value: string | undefined) => value?.toLowerCase() === 'true';

/** ACT_RU_METER_LOG filtered as Metrics.xml:77-111 does: name, reporter, `>= startDate`, `< endDate`. */
function meterRows(ctx: RequestContext, name: string | undefined): MeterLogRow[] {
  const parsed = parseQuery(meterQuery, ctx.query, { paged: true, now: ctx.now });
  return ctx.engine().meterLog.filter((row) => (name === undefined || row.name === name) && parsed.predicates.every((p) => p(row)));
}

const meterQuery: QueryResource<MeterLogRow> = {
  id: (row) => `${row.timestamp.getTime()}`,
  params: {
    reporter: eq((row) => row.reporter),
    startDate: date((row) => row.timestamp, 'after', { inclusive: true }),
    endDate: date((row) => row.timestamp, 'before'),
  },
  sortBy: {},
};

/** Rows the interval query may return at most (MetricsQueryImpl.java:136-137). */
const MAX_INTERVAL_ROWS = 200;

export const externalTaskRoutes: readonly Route[] = [
  {
    pattern: /^\/external-task\/count$/,
    handle(ctx) {
      const withCreateTime = hasCreateTime(ctx.camundaVersion);
      const parsed = parseQuery(externalTaskQuery(withCreateTime), ctx.query, { paged: false, now: ctx.now });
      ctx.ignore(parsed.ignored);
      return { count: countQuery(externalTaskQuery(withCreateTime), parsed, visibleTasks(ctx)) };
    },
  },
  {
    // GetTopicNamesCmd: distinct topics of the tasks matching locked / notLocked / withRetriesLeft (ExternalTask.xml:293-296).
    pattern: /^\/external-task\/topic-names$/,
    handle(ctx) {
      ctx.ignore(Object.keys(ctx.query).filter((name) => !['withLockedTasks', 'withUnlockedTasks', 'withRetriesLeft'].includes(name)));
      const { withLockedTasks, withUnlockedTasks, withRetriesLeft } = ctx.query;
      const topics = visibleTasks(ctx)
        .filter((t) => !isTrue(withLockedTasks) || isLocked(t, ctx.now))
        .filter((t) => !isTrue(withUnlockedTasks) || !isLocked(t, ctx.now))
        .filter((t) => !isTrue(withRetriesLeft) || t.retries === null || t.retries > 0)
        .map((t) => t.topicName);
      return [...new Set(topics)].sort();
    },
  },
  {
    pattern: /^\/external-task$/,
    handle(ctx) {
      const withCreateTime = hasCreateTime(ctx.camundaVersion);
      const resource = externalTaskQuery(withCreateTime);
      const parsed = parseQuery(resource, ctx.query, { paged: true, now: ctx.now });
      ctx.ignore(parsed.ignored);
      return listQuery(resource, parsed, visibleTasks(ctx)).map((t) => externalTaskDto(t, ctx, withCreateTime));
    },
  },
  {
    // MetricsRestServiceImpl: GET /metrics/{name}/sum, startDate and endDate; SUM over no rows is 0.
    pattern: /^\/metrics\/([^/]+)\/sum$/,
    handle(ctx, [name]) {
      ctx.ignore(Object.keys(ctx.query).filter((p) => p !== 'startDate' && p !== 'endDate'));
      return { result: meterRows(ctx, name).reduce((total, row) => total + row.value, 0) };
    },
  },
  {
    // The interval query: sums per reporter (unless aggregateByReporter) and interval bucket, newest first (Metrics.xml:135-162).
    pattern: /^\/metrics$/,
    handle(ctx) {
      const known = ['name', 'reporter', 'startDate', 'endDate', 'firstResult', 'maxResults', 'interval', 'aggregateByReporter'];
      ctx.ignore(Object.keys(ctx.query).filter((p) => !known.includes(p)));
      const maxResults = ctx.query.maxResults === undefined ? MAX_INTERVAL_ROWS : Number(ctx.query.maxResults);
      if (maxResults > MAX_INTERVAL_ROWS) throw processEngineException(`Metrics interval query row limit can't be set larger than ${MAX_INTERVAL_ROWS}.`);
      const interval = Number(ctx.query.interval ?? 900) * 1000;
      const byReporter = !isTrue(ctx.query.aggregateByReporter);
      const buckets = new Map<string, { timestamp: number; name: string; reporter: string | null; value: number }>();
      for (const row of meterRows(ctx, ctx.query.name)) {
        const timestamp = Math.floor(row.timestamp.getTime() / interval) * interval;
        const reporter = byReporter ? row.reporter : null;
        const key = `${timestamp}\u0000${row.name}\u0000${reporter}`;
        const bucket = buckets.get(key) ?? { timestamp, name: row.name, reporter, value: 0 };
        bucket.value += row.value;
        buckets.set(key, bucket);
      }
      const first = Number(ctx.query.firstResult ?? 0);
      return [...buckets.values()]
        .sort((a, b) => b.timestamp - a.timestamp)
        .slice(first, first + maxResults)
        .map((b) => ({ timestamp: ctx.date(new Date(b.timestamp)), name: b.name, reporter: b.reporter, value: b.value }));
    },
  },
];
