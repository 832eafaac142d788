import type { CamundaClient, Query } from './client';
import { formatCamundaDate, parseCamundaDate } from './dates';
import { queryPerCombination, sumOfCounts } from './queries';
import { arrayOf, externalTask, topicNames, version as versionShape } from './shapes';
import type { ExternalTaskDto } from './types';
import { compareVersions, parseVersion } from './version';

/*
 * External tasks as the engine stores them (ACT_RU_EXT_TASK) and the REST API filters them.
 * Semantics from engine/src/main/resources/org/camunda/bpm/engine/impl/mapping/entity/ExternalTask.xml
 * (camunda-bpm-platform 3dd653fe):
 *  - a worker's fetch-and-lock takes tasks whose lock is null or ran out (`LOCK_EXP_TIME_ <= now`),
 *    that are active and have retries null or > 0 (lines 220-222);
 *  - `notLocked`: lock null or `< now` (lines 378-381), `locked`: lock `> now` (374-377);
 *  - `lockExpirationBefore`: `LOCK_EXP_TIME_ < date`, never matching a null lock (365-367),
 *    `lockExpirationAfter`: `> date` (368-370);
 *  - `withRetriesLeft`: retries null or > 0, `noRetriesLeft`: retries = 0 (423-430);
 *  - `active`: SUSPENSION_STATE_ = 1 (431-438); `topicName` an exact match (371-373).
 * ExternalTaskEntity#failed (engine/.../persistence/entity/ExternalTaskEntity.java:402-421) sets the
 * retries the worker reports and locks the task for the worker's retry timeout: a task backing off
 * after a failure is "locked" until then, and its lock "ran out" afterwards.
 */

/** Which tasks to look at; empty lists mean no restriction. */
export interface ExternalTaskFilter {
  readonly processDefinitionKeys: readonly string[];
  readonly tenantIds: readonly string[];
}

/** The task conditions the check counts by, as `GET /external-task/count` parameters (`now` in the engine's format). */
export function externalTaskConditions(now: string) {
  return {
    /** What a worker's fetch-and-lock would take now. */
    waiting: { notLocked: true, active: true, withRetriesLeft: true },
    locked: { locked: true },
    /** Fetchable again because a lock ran out: a worker locked it and neither completed nor failed it in time. */
    expiredLocks: { lockExpirationBefore: now, active: true, withRetriesLeft: true },
    failed: { noRetriesLeft: true },
  } as const satisfies Record<string, Query>;
}

/** Every task ever locked has a lock expiration; `lockExpirationAfter` this selects them (a null lock never matches). */
const BEFORE_ANY_LOCK = formatCamundaDate(new Date(0));

/**
 * `GET /external-task` takes one `processDefinitionKey` per request (ExternalTaskQueryDto since 7.4,
 * missing from the 7.15 document; `processDefinitionKeyIn` only in newer versions), tenants as a list.
 */
export function topicQueries(topic: string, filter: ExternalTaskFilter): Query[] {
  return queryPerCombination({ topicName: topic, tenantIdIn: filter.tenantIds }, { processDefinitionKey: filter.processDefinitionKeys });
}

/** Topics of all current tasks (`GET /external-task/topic-names`, engine-wide: it takes no key or tenant). */
export function listTopicNames(client: CamundaClient): Promise<string[]> {
  return client.get('/external-task/topic-names', {}, topicNames);
}

/**
 * Whether the engine stores and sorts by a task's creation time: from 7.21 on (the upgrade script
 * above; `sortBy=createTime` in ExternalTaskQueryDto since the same release, commit eaaee050d2,
 * although the 7.24 OpenAPI document does not list it). Forks with their own version numbers
 * (Operaton 1.x, CIB seven 1.x+) branched off later Camunda releases and have it.
 */
export async function engineHasCreateTime(client: CamundaClient): Promise<{ readonly has: boolean; readonly version: string | undefined }> {
  const answer = await client.get('/version', {}, versionShape);
  const version = parseVersion(answer.version);
  if (!version) return { has: false, version: answer.version ?? undefined };
  const has = version.major !== 7 || compareVersions(version, { text: '7.21.0', major: 7, minor: 21, patch: 0, qualifier: 'alpha0' }) >= 0;
  return { has, version: version.text };
}

/** Tasks that may have failed before, examined per topic; beyond that `retrying` is a lower bound. */
export const RETRY_SAMPLE = 100;
/** Waiting tasks examined for the oldest one. */
export const OLDEST_SAMPLE = 10;

export interface TopicFigures {
  readonly topic: string;
  readonly waiting: number;
  readonly locked: number;
  readonly expiredLocks: number;
  readonly failed: number;
  readonly retrying: number;
  /** False when more tasks with retries left had been locked before than RETRY_SAMPLE: `retrying` is at least this. */
  readonly retryingComplete: boolean;
  /** The longest a waiting task has been fetchable, undefined when unknown (no creation times) or nothing waits. */
  readonly oldestWaitingSince: Date | undefined;
  /** The engine records creation times (7.21+): with nothing waiting, the oldest waiting age is 0. */
  readonly createTimes: boolean;
  /** Waiting tasks exist but none has a creation time (engine before 7.21, or tasks from before the upgrade). */
  readonly ageUnknown: boolean;
}

/**
 * A waiting task is fetchable since its creation, or, when a lock of it ran out (a worker died, or a
 * failure's retry timeout passed), since that lock's expiration.
 */
export function waitingSince(task: ExternalTaskDto, now: Date): Date | undefined {
  const created = parseCamundaDate(task.createTime);
  if (!created) return undefined;
  const lock = parseCamundaDate(task.lockExpirationTime);
  return lock && lock.getTime() <= now.getTime() && lock.getTime() > created.getTime() ? lock : created;
}

/**
 * The figures of one topic. Requests: four counts per key combination, a page of tasks ever locked
 * (for `retrying`), and, when tasks wait and the engine has creation times, a page of the oldest
 * waiting ones; all in parallel.
 */
export async function measureTopic(client: CamundaClient, topic: string, filter: ExternalTaskFilter, now: Date, hasCreateTime: boolean): Promise<TopicFigures> {
  const queries = topicQueries(topic, filter);
  const conditions = externalTaskConditions(formatCamundaDate(now));
  const count = (condition: Query) => sumOfCounts(client, '/external-task/count', queries, condition);
  const pages = (condition: Query, extra: Query, maxResults: number) =>
    Promise.all(queries.map((query) => client.get('/external-task', { ...query, ...condition, ...extra, firstResult: 0, maxResults }, arrayOf(externalTask))));
  const [waiting, locked, expiredLocks, failed, everLocked] = await Promise.all([
    count(conditions.waiting),
    count(conditions.locked),
    count(conditions.expiredLocks),
    count(conditions.failed),
    // A task gets retries from its first failure on (null before: ExternalTaskEntity#failed, #setRetriesAndManageIncidents),
    // and a failure locks it for the retry timeout: every task that failed has a lock expiration.
    pages({ withRetriesLeft: true, lockExpirationAfter: BEFORE_ANY_LOCK }, {}, RETRY_SAMPLE),
  ]);
  const retrying = everLocked.flat().filter((task) => task.retries !== null && task.retries !== undefined).length;
  const retryingComplete = everLocked.every((page) => page.length < RETRY_SAMPLE);
  const figures = { topic, waiting, locked, expiredLocks, failed, retrying, retryingComplete, createTimes: hasCreateTime };
  if (waiting === 0 || !hasCreateTime) return { ...figures, oldestWaitingSince: undefined, ageUnknown: waiting > 0 };
  const oldest = (await pages(conditions.waiting, { sortBy: 'createTime', sortOrder: 'asc' }, OLDEST_SAMPLE)).flat();
  const since = oldest.map((task) => waitingSince(task, now)).filter((date) => date !== undefined);
  const oldestWaitingSince = since.length ? new Date(Math.min(...since.map((d) => d.getTime()))) : undefined;
  return { ...figures, oldestWaitingSince, ageUnknown: oldestWaitingSince === undefined };
}
