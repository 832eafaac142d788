import type { CamundaClient, Query } from './client';
import { formatCamundaDate, parseCamundaDate } from './dates';
import { combinationCount, countPerQuery, queryPerCombination, sumOfCounts } from './queries';
import { arrayOf, job, jobDefinition } from './shapes';
import type { JobDefinitionDto, JobDto } from './types';

/** Which jobs and job definitions to look at. Empty lists mean "no restriction". */
export interface JobFilter {
  /** All versions of these definitions. */
  readonly processDefinitionKeys: readonly string[];
  readonly tenantIds: readonly string[];
  readonly activityIds: readonly string[];
  readonly jobDefinitionIds: readonly string[];
}

/** Each combination costs six job counts on the engine's database; more than this is a mistake. */
export const MAX_JOB_COMBINATIONS = 6;

/**
 * `GET /job` takes one `processDefinitionKey`, `activityId` and `jobDefinitionId` per request
 * (only tenants come as a list). The engine's SQL also misses an `and` between the job definition
 * and the activity condition, so a query with both fails; the command line refuses that pair.
 */
const jobSingleValued = (filter: JobFilter) => ({
  processDefinitionKey: filter.processDefinitionKeys,
  activityId: filter.activityIds,
  jobDefinitionId: filter.jobDefinitionIds,
});

/** `GET /job-definition` takes the activities as a list (`activityIdIn`). */
const definitionSingleValued = (filter: JobFilter) => ({
  processDefinitionKey: filter.processDefinitionKeys,
  jobDefinitionId: filter.jobDefinitionIds,
});

export function jobCombinations(filter: JobFilter): number {
  return combinationCount(jobSingleValued(filter));
}

export function jobQueries(filter: JobFilter): Query[] {
  if (jobCombinations(filter) > MAX_JOB_COMBINATIONS) {
    throw new RangeError(`${jobCombinations(filter)} job filter combinations, at most ${MAX_JOB_COMBINATIONS}`);
  }
  return queryPerCombination({ tenantIdIn: filter.tenantIds }, jobSingleValued(filter));
}

export function jobDefinitionQueries(filter: JobFilter): Query[] {
  return queryPerCombination({ activityIdIn: filter.activityIds, tenantIdIn: filter.tenantIds }, definitionSingleValued(filter));
}

/** The job conditions the check counts by, as `GET /job` parameters. */
export const JOB_CONDITIONS = {
  /**
   * Camunda's `executable` (retries left, due) ignores the job's own suspension: jobs of a
   * suspended job definition stay "executable" although the job executor never acquires them.
   * `active` leaves those out, so a deliberate suspension does not look like a stalled executor.
   */
  executable: { executable: true, active: true },
  failed: { noRetriesLeft: true },
  retrying: { withException: true, withRetriesLeft: true },
} as const satisfies Record<string, Query>;

export async function countJobs(client: CamundaClient, filter: JobFilter, condition: Query): Promise<number> {
  return sumOfCounts(client, '/job/count', jobQueries(filter), condition);
}

export async function countSuspendedJobDefinitions(client: CamundaClient, filter: JobFilter): Promise<number> {
  return sumOfCounts(client, '/job-definition/count', jobDefinitionQueries(filter), { suspended: true });
}

export async function listSuspendedJobDefinitions(client: CamundaClient, filter: JobFilter, limit: number): Promise<JobDefinitionDto[]> {
  if (limit <= 0) return [];
  const pages = await Promise.all(
    jobDefinitionQueries(filter).map((query) =>
      client.get(
        '/job-definition',
        { ...query, suspended: true, sortBy: 'processDefinitionKey', sortOrder: 'asc', firstResult: 0, maxResults: limit },
        arrayOf(jobDefinition),
      ),
    ),
  );
  const name = (jd: JobDefinitionDto) => `${jd.processDefinitionKey ?? ''}\u0000${jd.processDefinitionId ?? ''}\u0000${jd.activityId ?? ''}`;
  return pages
    .flat()
    .sort((a, b) => name(a).localeCompare(name(b)))
    .slice(0, limit);
}

/**
 * A job waits from its due date, or, without one (async continuations), from its creation:
 * the job executor may run it from then on.
 */
export interface WaitingJob extends JobDto {
  readonly waitingSince: Date | undefined;
}

/** Before any real due date; `dueDates=gt_` this selects the jobs that have one. */
const BEFORE_ANY_DUE_DATE = formatCamundaDate(new Date(0));

/** Executable jobs waiting since before `since`, per kind, for one filter combination. */
export interface OverdueCount {
  readonly query: Query;
  readonly withDueDate: number;
  readonly withoutDueDate: number;
}

/**
 * Camunda filters due dates only where there is one (`dueDates` never matches null), and has no
 * "without due date" filter. So: due before `since`, plus created before `since` minus those of
 * them with a due date. Three counts per combination, in parallel.
 */
export async function countOverdueJobs(client: CamundaClient, filter: JobFilter, since: Date, restriction: Query = {}): Promise<OverdueCount[]> {
  const before = `lt_${formatCamundaDate(since)}`;
  const queries = jobQueries(filter).map((query) => ({ ...query, ...JOB_CONDITIONS.executable, ...restriction }));
  const [dueBefore, createdBefore, createdBeforeWithDueDate] = await Promise.all([
    countPerQuery(client, '/job/count', queries, { dueDates: before }),
    countPerQuery(client, '/job/count', queries, { createTimes: before }),
    countPerQuery(client, '/job/count', queries, { createTimes: before, dueDates: `gt_${BEFORE_ANY_DUE_DATE}` }),
  ]);
  return queries.map((query, i) => ({
    query,
    withDueDate: dueBefore[i]!,
    // The counts are taken a moment apart; a job finishing in between must not make this negative.
    withoutDueDate: Math.max(0, createdBefore[i]! - createdBeforeWithDueDate[i]!),
  }));
}

/** How many jobs without due date one request examines; beyond that the oldest is a lower bound. */
export const WITHOUT_DUE_DATE_SAMPLE = 100;

export interface OverdueJobs {
  /** Oldest first; at most `limit`, at least the oldest one examined. */
  readonly jobs: readonly WaitingJob[];
  /** False when there were more overdue jobs without due date than examined: the oldest may be older. */
  readonly complete: boolean;
}

function withWaitingSince(dto: JobDto): WaitingJob {
  return { ...dto, waitingSince: parseCamundaDate(dto.dueDate ?? dto.createTime) };
}

/**
 * The oldest overdue jobs. With a due date, the engine sorts them (`jobDueDate`). Without one,
 * it cannot sort by creation time, and databases put null due dates first (H2, MySQL) or last
 * (PostgreSQL, Oracle): sorting both ways by due date brings all jobs without due date to the
 * front of one of the two pages, so up to WITHOUT_DUE_DATE_SAMPLE of them are all seen.
 */
export async function listOverdueJobs(
  client: CamundaClient,
  counts: readonly OverdueCount[],
  since: Date,
  limit: number,
  /** Jobs of these process instances are left out (a page grows by `skipped` to make up for them). */
  skip: { readonly instances: ReadonlySet<string>; readonly skipped: number } = { instances: new Set(), skipped: 0 },
): Promise<OverdueJobs> {
  const before = `lt_${formatCamundaDate(since)}`;
  const page = (query: Query, order: 'asc' | 'desc', maxResults: number) =>
    client.get('/job', { ...query, sortBy: 'jobDueDate', sortOrder: order, firstResult: 0, maxResults }, arrayOf(job));
  const requests = counts.flatMap(({ query, withDueDate, withoutDueDate }) => {
    const sample = withoutDueDate > 0 ? Math.min(withoutDueDate + skip.skipped, WITHOUT_DUE_DATE_SAMPLE) : 0;
    return [
      ...(withDueDate > 0 ? [page({ ...query, dueDates: before }, 'asc', Math.max(1, limit) + skip.skipped)] : []),
      ...(sample > 0
        ? (['asc', 'desc'] as const).map((order) =>
            page({ ...query, createTimes: before }, order, sample).then((jobs) => jobs.filter((j) => j.dueDate === null)),
          )
        : []),
    ];
  });
  const seen = new Map<string, WaitingJob>();
  for (const dto of (await Promise.all(requests)).flat()) {
    if (!skip.instances.has(dto.processInstanceId ?? '')) seen.set(dto.id ?? `${seen.size}`, withWaitingSince(dto));
  }
  // A job whose time cannot be read goes first: the check must report it rather than pass over it.
  const time = (j: WaitingJob) => j.waitingSince?.getTime() ?? Number.NEGATIVE_INFINITY;
  const jobs = [...seen.values()].sort((a, b) => (time(a) === time(b) ? 0 : time(a) < time(b) ? -1 : 1));
  return {
    jobs: jobs.slice(0, Math.max(1, limit)),
    complete: counts.every((count) => count.withoutDueDate === 0 || count.withoutDueDate + skip.skipped <= WITHOUT_DUE_DATE_SAMPLE),
  };
}
