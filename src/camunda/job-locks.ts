import type { CamundaClient } from './client';
import { CamundaError } from './errors';
import { countOverdueJobs, jobQueries, type JobFilter, type OverdueCount } from './jobs';
import { arrayOf, job, version as versionShape } from './shapes';
import { compareVersions, parseVersion, type Version } from './version';

/*
 * Jobs being executed. Camunda's `executable` ignores job locks, but the job executor acquires
 * only unlocked jobs, and an exclusive job not while another exclusive job of the same process
 * instance is locked (selectNextJobsToExecute and AtomicExclusiveJobs in
 * engine/src/main/resources/org/camunda/bpm/engine/impl/mapping/entity/Job.xml:178-257). A job
 * running longer than --overdue-after, or an async multi-instance worked off one job at a time,
 * is not a stalled executor. The job query's `acquired` (Job.xml:423-428: LOCK_EXP_TIME_ in the
 * future) exists since 7.24.0-alpha2 (commit 8e9a68a346); older engines ignore the parameter, so
 * it is used only where /version says it exists. The job DTO shows neither the lock nor
 * EXCLUSIVE_: every job of a process instance with a job being executed is left out, as if
 * exclusive (Camunda's default), since the REST API cannot tell.
 */

/** The first Camunda 7 release with `acquired` on GET /job. */
const ACQUIRED_SINCE = parseVersion('7.24.0-alpha2')!;

/**
 * Camunda 7 numbering only: Operaton and CIB seven count from 1 and their releases do not map
 * onto Camunda's by number, so they are treated as without the filter.
 */
export function hasAcquiredFilter(version: Version | undefined): boolean {
  return version !== undefined && version.major === 7 && compareVersions(version, ACQUIRED_SINCE) >= 0;
}

/** How many locked jobs one request examines per filter combination. */
export const EXECUTING_SAMPLE = 100;
/** Process instance ids sent in one `processInstanceIds` list: 100 ids keep the URL near 4 KB. */
export const MAX_EXECUTING_INSTANCES = 100;

export interface ExecutingJobs {
  /** What GET /version reported, for the output. */
  readonly engineVersion: string | undefined;
  /** False: the engine has no `acquired` filter; nothing was left out. */
  readonly supported: boolean;
  /** Process instances with a job being executed (at most MAX_EXECUTING_INSTANCES). */
  readonly instances: ReadonlySet<string>;
  /** False when there were more locked jobs or instances than examined. */
  readonly complete: boolean;
  /** Per filter combination: the overdue jobs of those instances, to subtract. */
  readonly overdueInInstances: readonly OverdueCount[];
}

/**
 * Asked only when jobs are overdue: GET /version, then (7.24+) one page of the locked jobs per
 * process definition key and tenant combination (the lock may be on another activity of the same
 * instance, so activity and job definition filters do not apply), then the three overdue counts
 * per combination within those instances.
 */
export async function findExecutingJobs(client: CamundaClient, filter: JobFilter, overdueSince: Date): Promise<ExecutingJobs> {
  const reported = await engineVersion(client);
  const none = { engineVersion: reported, instances: new Set<string>(), complete: true, overdueInInstances: [] };
  if (!hasAcquiredFilter(parseVersion(reported))) return { ...none, supported: false };

  const lockQueries = jobQueries({ ...filter, activityIds: [], jobDefinitionIds: [] });
  const pages = await Promise.all(
    lockQueries.map((query) =>
      client.get('/job', { ...query, acquired: true, sortBy: 'processInstanceId', sortOrder: 'asc', firstResult: 0, maxResults: EXECUTING_SAMPLE }, arrayOf(job)),
    ),
  );
  const all = [...new Set(pages.flat().flatMap((j) => (j.processInstanceId ? [j.processInstanceId] : [])))];
  const instances = new Set(all.slice(0, MAX_EXECUTING_INSTANCES));
  const complete = pages.every((page) => page.length < EXECUTING_SAMPLE) && all.length <= MAX_EXECUTING_INSTANCES;
  if (instances.size === 0) return { ...none, supported: true };
  const overdueInInstances = await countOverdueJobs(client, filter, overdueSince, { processInstanceIds: [...instances] });
  return { engineVersion: reported, supported: true, instances, complete, overdueInInstances };
}

/**
 * What GET /version reports, or undefined when it answers with an HTTP error (a proxy that
 * publishes only some paths): the overdue jobs are then counted without lock filter, as on an
 * older engine. Failures below HTTP end the check as any other request's do.
 */
async function engineVersion(client: CamundaClient): Promise<string | undefined> {
  try {
    return (await client.get('/version', {}, versionShape)).version ?? undefined;
  } catch (error) {
    if (error instanceof CamundaError && error.httpStatus !== undefined) return undefined;
    throw error;
  }
}

/** The overdue counts without the jobs of instances that are executing one (the same combinations, in order). */
export function withoutExecuting(counts: readonly OverdueCount[], executing: ExecutingJobs): OverdueCount[] {
  return counts.map((count, i) => {
    const skipped = executing.overdueInInstances[i];
    if (!skipped) return count;
    return {
      query: count.query,
      withDueDate: Math.max(0, count.withDueDate - skipped.withDueDate),
      withoutDueDate: Math.max(0, count.withoutDueDate - skipped.withoutDueDate),
    };
  });
}

export function overdueTotal(counts: readonly OverdueCount[]): number {
  return counts.reduce((total, count) => total + count.withDueDate + count.withoutDueDate, 0);
}
