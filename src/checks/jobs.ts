import type { Argv } from 'yargs';
import { createCamundaClient, type CamundaClient } from '../camunda/client';
import { processDefinitionLink, processInstanceLink } from '../camunda/cockpit';
import type { ConnectionOptions } from '../camunda/connection';
import { describeDefinition, keysAndVersionsById, requireDeployedKeys, type KeyAndVersion } from '../camunda/definitions';
import { unreadableDateError } from '../camunda/errors';
import { findExecutingJobs, overdueTotal, withoutExecuting, type ExecutingJobs } from '../camunda/job-locks';
import { classifySuspendedJobDefinitions, type SuspendedJobDefinitions } from '../camunda/job-suspensions';
import {
  countJobs,
  countOverdueJobs,
  countSuspendedJobDefinitions,
  JOB_CONDITIONS,
  jobCombinations,
  listOverdueJobs,
  MAX_JOB_COMBINATIONS,
  type JobFilter,
  type OverdueJobs,
  type WaitingJob,
} from '../camunda/jobs';
import { systemsOfJobDefinitions } from '../camunda/job-systems';
import type { JobDefinitionDto } from '../camunda/types';
import { cockpitUrlOption, integerOption, spanOption, stringList, thresholdOptions, type Args } from '../cli/args';
import { EXIT_CODES, outputOptions, THRESHOLD_GROUP, VALUE } from '../cli/check-options';
import { connectionFromArgs, connectionOptions } from '../cli/connection';
import { camundaPlugin } from '../cli/plugin';
import { formatDuration, formatExactDuration, secondsSince } from '../plugin/duration';
import { UsageError } from '../plugin/errors';
import type { Logger } from '../plugin/log';
import { annotate, judge, type Metric } from '../plugin/metric';
import type { PluginOutput } from '../plugin/output';
import type { Thresholds } from '../plugin/range';
import type { RunContext } from '../plugin/run';
import { State, worst } from '../plugin/state';
import { evaluateThroughput, measureThroughput, throughputFromArgs, throughputOptions, type ThroughputMeasurement, type ThroughputOptions } from './jobs-throughput';
import { cleanText, describeFilters, plural } from '../plugin/text';

/*
 * check_camunda_jobs answers: is the engine's job execution healthy? Is work piling up, is the
 * job executor running at all (overdue jobs), are jobs failing (failed, retrying), and has
 * somebody left job definitions suspended?
 */

export interface JobsOptions {
  readonly connection: ConnectionOptions;
  readonly filter: JobFilter;
  readonly overdueAfterSeconds: number;
  readonly list: number;
  readonly cockpitUrl?: string | undefined;
  /** --throughput: the job executor metrics and the stall rule (jobs-throughput.ts). */
  readonly throughput?: ThroughputOptions | undefined;
  readonly thresholds: {
    readonly executable: Thresholds;
    readonly overdue: Thresholds;
    readonly failed: Thresholds;
    readonly retrying: Thresholds;
    readonly suspendedJobDefinitions: Thresholds;
  };
}

export const DEFAULTS = {
  /** A job executor that runs picks a due job up within seconds; minutes of waiting mean it does not. */
  overdueAfter: '5m',
  overdueWarning: '0',
  /** Each failed job is an incident: somebody must look at it. */
  failedWarning: '0',
  /** A suspension is deliberate, and forgotten easily: remind until it is lifted. */
  suspendedJobDefinitionsWarning: '0',
  list: 10,
  maxList: 100,
} as const;

const FILTERS = 'Filters (repeat an option for several values; each applies to every metric):';

function options(argv: Argv): Argv {
  const threshold = (describe: string, defaultDescription = 'none') => ({ ...VALUE, group: THRESHOLD_GROUP, describe, defaultDescription });
  const list = { ...VALUE, group: FILTERS } as const;
  const checkOptions = connectionOptions(argv)
    .option('warning', { ...threshold('Range for executable jobs (the backlog)'), alias: 'w' })
    .option('critical', { ...threshold('Range for executable jobs (the backlog)'), alias: 'c' })
    .option('overdue-warning', threshold('Range for overdue jobs', `${DEFAULTS.overdueWarning} (any overdue job)`))
    .option('overdue-critical', threshold('Range for overdue jobs'))
    .option('overdue-after', {
      ...VALUE,
      group: THRESHOLD_GROUP,
      describe: 'An executable job is overdue when it has waited this long since its due date, or since its creation if it has none (90, 90s, 5m, 2h, 1d)',
      defaultDescription: DEFAULTS.overdueAfter,
    })
    .option('failed-warning', threshold('Range for failed jobs (no retries left)', `${DEFAULTS.failedWarning} (any failed job)`))
    .option('failed-critical', threshold('Range for failed jobs (no retries left)'))
    .option('retrying-warning', threshold('Range for jobs that failed and still have retries'))
    .option('retrying-critical', threshold('Range for jobs that failed and still have retries'))
    .option('suspended-job-definitions-warning', threshold('Range for job definitions suspended by themselves (not with their process definition)', `${DEFAULTS.suspendedJobDefinitionsWarning} (any such one)`))
    .option('suspended-job-definitions-critical', threshold('Range for job definitions suspended by themselves (not with their process definition)'))
    .option('process-definition-key', { ...list, alias: 'k', describe: 'Only jobs and job definitions of this process definition, all its versions' })
    .option('tenant-id', { ...list, describe: 'Only jobs and job definitions of this tenant' })
    .option('activity-id', { ...list, describe: 'Only jobs and job definitions of this activity (BPMN element id); not together with --job-definition-id' })
    .option('job-definition-id', { ...list, describe: 'Only this job definition and its jobs; not together with --activity-id' });
  return outputOptions(throughputOptions(checkOptions), { listed: 'overdue jobs and suspended job definitions', linked: 'job and job definition', list: DEFAULTS.list, maxList: DEFAULTS.maxList });
}

function toOptions(args: Args): JobsOptions {
  const overdueAfterSeconds = spanOption(args, 'overdue-after', DEFAULTS.overdueAfter);
  const filter: JobFilter = {
    processDefinitionKeys: stringList(args, 'process-definition-key'),
    tenantIds: stringList(args, 'tenant-id'),
    activityIds: stringList(args, 'activity-id'),
    jobDefinitionIds: stringList(args, 'job-definition-id'),
  };
  if (filter.activityIds.length > 0 && filter.jobDefinitionIds.length > 0) {
    // Camunda's job query fails with both (and a job definition belongs to one activity anyway).
    throw new UsageError('--activity-id and --job-definition-id cannot be combined: a job definition belongs to one activity, give either');
  }
  if (jobCombinations(filter) > MAX_JOB_COMBINATIONS) {
    throw new UsageError(
      `${filter.processDefinitionKeys.length} --process-definition-key × ${filter.activityIds.length + filter.jobDefinitionIds.length} --activity-id/--job-definition-id values ` +
        `need ${jobCombinations(filter)} sets of job queries (Camunda takes one of each per query); at most ${MAX_JOB_COMBINATIONS}: split the check into several services`,
    );
  }
  return {
    connection: connectionFromArgs(args),
    filter,
    overdueAfterSeconds,
    list: integerOption(args, 'list', 0, DEFAULTS.maxList) ?? DEFAULTS.list,
    cockpitUrl: cockpitUrlOption(args),
    throughput: throughputFromArgs(args),
    thresholds: {
      executable: thresholdOptions(args, ''),
      overdue: thresholdOptions(args, 'overdue', { warning: DEFAULTS.overdueWarning }),
      failed: thresholdOptions(args, 'failed', { warning: DEFAULTS.failedWarning }),
      retrying: thresholdOptions(args, 'retrying'),
      suspendedJobDefinitions: thresholdOptions(args, 'suspended-job-definitions', { warning: DEFAULTS.suspendedJobDefinitionsWarning }),
    },
  };
}

/** What the engine told us; everything the judgement and the output need. */
interface JobsMeasurement {
  readonly executable: number;
  readonly overdue: number;
  readonly failed: number;
  readonly retrying: number;
  readonly suspendedJobDefinitions: SuspendedJobDefinitions;
  readonly overdueJobs: OverdueJobs;
  /** Asked only when jobs were overdue. */
  readonly executing: ExecutingJobs | undefined;
  /** Overdue jobs left out because their process instance is executing a job. */
  readonly overdueExecuting: number;
  readonly definitions: ReadonlyMap<string, KeyAndVersion>;
  readonly throughput?: ThroughputMeasurement | undefined;
  /** The target system each listed suspended job definition calls (its activity's `system` property), by id. */
  readonly systems: ReadonlyMap<string, string>;
}

const NONE_OVERDUE: OverdueJobs = { jobs: [], complete: true };

async function measure(client: CamundaClient, options: JobsOptions, now: Date, log: Logger): Promise<JobsMeasurement> {
  const { filter } = options;
  const overdueSince = new Date(now.getTime() - options.overdueAfterSeconds * 1000);
  const [executable, allOverdueCounts, failed, retrying, suspendedJobDefinitionCount, , throughput] = await Promise.all([
    countJobs(client, filter, JOB_CONDITIONS.executable),
    countOverdueJobs(client, filter, overdueSince),
    countJobs(client, filter, JOB_CONDITIONS.failed),
    countJobs(client, filter, JOB_CONDITIONS.retrying),
    countSuspendedJobDefinitions(client, filter),
    requireDeployedKeys(client, filter.processDefinitionKeys, filter.tenantIds),
    options.throughput ? measureThroughput(client, filter, options.throughput, now) : undefined,
  ]);
  // Only overdue jobs raise the question whether some of them are merely being executed.
  const [executing, suspendedJobDefinitions] = await Promise.all([
    overdueTotal(allOverdueCounts) > 0 ? findExecutingJobs(client, filter, overdueSince) : undefined,
    classifySuspendedJobDefinitions(client, filter, suspendedJobDefinitionCount, options.list),
  ]);
  const overdueCounts = executing ? withoutExecuting(allOverdueCounts, executing) : allOverdueCounts;
  const overdue = overdueTotal(overdueCounts);
  const overdueExecuting = overdueTotal(allOverdueCounts) - overdue;
  const skip = { instances: executing?.instances ?? new Set<string>(), skipped: overdueExecuting };

  // The oldest overdue job is needed for its age even with --list 0.
  const overdueJobs = overdue > 0 ? await listOverdueJobs(client, overdueCounts, overdueSince, options.list, skip) : NONE_OVERDUE;
  const suspended = suspendedJobDefinitions.listed;
  const oldest = overdueJobs.jobs[0];
  if (oldest && !oldest.waitingSince) {
    throw unreadableDateError(`the oldest overdue job's ${oldest.dueDate ? 'due date' : 'creation time'}`, oldest.dueDate ?? oldest.createTime);
  }
  const listedJobs = overdueJobs.jobs.slice(0, options.list);
  const [definitions, systems] = await Promise.all([
    keysAndVersionsById(client, [...listedJobs, ...suspended]),
    systemsOfJobDefinitions(client, options.connection, suspended, log),
  ]);
  return { executable, overdue, failed, retrying, suspendedJobDefinitions, overdueJobs, executing, overdueExecuting, definitions, systems, throughput };
}

/** What the check knows about jobs being executed, said only when jobs are overdue. */
function describeExecuting({ executing, overdueExecuting }: JobsMeasurement): string[] {
  if (!executing) return [];
  if (!executing.supported) {
    const engine = executing.engineVersion ? `engine ${cleanText(executing.engineVersion, 40)}` : 'the engine (version unknown)';
    return [`Overdue may include jobs being executed: ${engine} has no job lock filter (Camunda 7.24+ has).`];
  }
  const lines =
    overdueExecuting > 0
      ? [`Not counted as overdue: ${plural(overdueExecuting, 'job')} of process instances executing a job right now (being executed, or exclusive and queued behind it).`]
      : [];
  if (!executing.complete) lines.push('More jobs are being executed than examined: overdue jobs may include some of their instances.');
  return lines;
}

function waitingSeconds(job: WaitingJob | undefined, now: Date): number {
  return secondsSince(job?.waitingSince, now);
}

function describeJob(job: WaitingJob, options: JobsOptions, definitions: ReadonlyMap<string, KeyAndVersion>, now: Date): string {
  const since = job.dueDate ? 'due' : 'created (no due date)';
  const retries = job.retries === null ? '' : `, ${job.retries} ${job.retries === 1 ? 'retry' : 'retries'} left`;
  const exception = job.exceptionMessage ? `, last failure: ${cleanText(job.exceptionMessage, 160)}` : '';
  const link = processInstanceLink(options.cockpitUrl, job.processInstanceId);
  // Jobs of no process definition are the engine's own: history cleanup, batches.
  const owner = job.processDefinitionId || job.processDefinitionKey ? describeDefinition(job, definitions) : 'no process (history cleanup or batch)';
  return `${owner}: job ${cleanText(job.id ?? '?', 60)} ${since} ${formatDuration(waitingSeconds(job, now))} ago${retries}${exception}${link}`;
}

function describeJobDefinition(jd: JobDefinitionDto, options: JobsOptions, measurement: Pick<JobsMeasurement, 'definitions' | 'systems'>): string {
  const type = [jd.jobType, jd.jobConfiguration].filter(Boolean).map((t) => cleanText(t, 60)).join(' ');
  const link = processDefinitionLink(options.cockpitUrl, jd.processDefinitionId, 'job-definitions-tab');
  const system = jd.id && measurement.systems.get(jd.id);
  return `${cleanText(jd.activityId ?? 'unknown activity', 80)} in ${describeDefinition(jd, measurement.definitions)}: ${type || 'job'} (job definition ${cleanText(jd.id ?? '?', 60)})${system ? `, calls system ${cleanText(system, 60)}` : ''}${link}`;
}

/** `Overdue jobs, oldest first:` or `Oldest 10 of 250 overdue jobs:` and the lines. */
function listing(heading: string, partialHeading: string, shown: readonly string[], total: number): string[] {
  if (shown.length === 0) return [];
  return [shown.length < total ? partialHeading : heading, ...shown];
}

export function evaluateJobs(measurement: JobsMeasurement, options: JobsOptions, now: Date): PluginOutput {
  const { thresholds } = options;
  const metric = (label: string, value: number, limits: Thresholds): Metric => ({ label, value, ...limits, min: 0 });
  const metrics = {
    executable: metric('executable', measurement.executable, thresholds.executable),
    overdue: metric('overdue', measurement.overdue, thresholds.overdue),
    failed: metric('failed', measurement.failed, thresholds.failed),
    retrying: metric('retrying', measurement.retrying, thresholds.retrying),
    suspended: metric('suspended_job_definitions', measurement.suspendedJobDefinitions.byThemselves, thresholds.suspendedJobDefinitions),
    // No thresholds: check_camunda_engine judges suspended process definitions.
    withDefinition: metric('suspended_with_definition', measurement.suspendedJobDefinitions.withDefinition, {}),
  };
  const states = Object.fromEntries(Object.entries(metrics).map(([name, m]) => [name, judge(m)])) as Record<keyof typeof metrics, State>;
  const { withDefinition } = measurement.suspendedJobDefinitions;
  const { overdueJobs } = measurement;
  const oldestAge = formatDuration(waitingSeconds(overdueJobs.jobs[0], now));
  const summary = [
    annotate(`${measurement.executable} executable`, states.executable),
    annotate(`${measurement.overdue} overdue`, states.overdue),
    ...(overdueJobs.jobs.length > 0 ? [`oldest waiting ${overdueJobs.complete ? '' : 'at least '}${oldestAge}`] : []),
    annotate(`${measurement.failed} failed`, states.failed),
    annotate(`${measurement.retrying} retrying`, states.retrying),
    annotate(plural(measurement.suspendedJobDefinitions.byThemselves, 'suspended job definition'), states.suspended),
    ...(withDefinition > 0 ? [`${withDefinition} more with ${withDefinition === 1 ? 'its' : 'their'} process definition`] : []),
  ];

  const details: string[] = [];
  const filter = describeFilters([
    ['process definition', options.filter.processDefinitionKeys],
    ['tenant', options.filter.tenantIds],
    ['activity', options.filter.activityIds],
    ['job definition', options.filter.jobDefinitionIds],
  ]);
  if (filter) details.push(filter);
  const after = formatExactDuration(options.overdueAfterSeconds);
  const shownJobs = overdueJobs.jobs.slice(0, options.list);
  details.push(
    ...listing(
      `Overdue jobs (executable, waiting more than ${after}), oldest first:`,
      `Oldest ${shownJobs.length} of ${measurement.overdue} overdue jobs (executable, waiting more than ${after}):`,
      shownJobs.map((job) => describeJob(job, options, measurement.definitions, now)),
      measurement.overdue,
    ),
  );
  if (!overdueJobs.complete) {
    details.push('Too many overdue jobs without due date to examine them all: the oldest may have waited longer than shown.');
  }
  details.push(...describeExecuting(measurement));
  const { listed, byThemselves, exact } = measurement.suspendedJobDefinitions;
  details.push(
    ...listing(
      'Suspended job definitions (their jobs do not run until activated again):',
      `First ${listed.length} of ${byThemselves} suspended job definitions (their jobs do not run until activated again):`,
      listed.map((jd) => describeJobDefinition(jd, options, measurement)),
      byThemselves,
    ),
  );
  if (withDefinition > 0) {
    details.push(
      `${plural(withDefinition, 'job definition')} suspended with ${withDefinition === 1 ? 'its' : 'their'} process definition: ` +
        'suspending a process definition suspends its job definitions, activating it activates them (check_camunda_engine reports suspended definitions).',
    );
  }
  if (!exact) {
    details.push('More suspended job definitions or process definitions than examined: some counted as suspended by themselves may be suspended with their process definition.');
  }
  if (measurement.failed > 0) {
    details.push(`${plural(measurement.failed, 'failed job')} without retries left: each is an incident (check_camunda_incidents lists them).`);
  }
  const throughput = measurement.throughput && options.throughput ? evaluateThroughput(measurement.throughput, options.throughput) : undefined;
  return {
    state: worst([...Object.values(states), throughput?.state ?? State.OK]),
    summary: [...(throughput?.lead ?? []), ...summary, ...(throughput?.summary ?? [])].join(', '),
    perfdata: [...Object.values(metrics), ...(throughput?.perfdata ?? [])],
    details: [...details, ...(throughput?.details ?? [])],
  };
}

export const jobsCheck = camundaPlugin<JobsOptions>({
  prefix: 'CAMUNDA JOBS',
  commandLine: {
    command: 'check_camunda_jobs',
    description:
      'Is the job execution of the Camunda engine healthy? Counts executable jobs (the backlog), overdue ones (a stalled ' +
      'or deactivated job executor), failed jobs (no retries left), jobs retrying after a failure, and suspended job ' +
      'definitions, and lists the oldest overdue jobs and the suspended job definitions in the long output.',
    examples: [
      ['$0 --url http://camunda:8080/engine-rest', 'WARNING on any overdue or failed job or suspended job definition (the defaults)'],
      ['$0 --url http://camunda:8080/engine-rest -w 1000 -c 5000 --overdue-after 10m --overdue-critical 50', 'backlog and stalled-executor thresholds'],
      ['$0 -k invoice --retrying-warning 5 --cockpit-url https://camunda/camunda/app/cockpit/default', "one process definition (all versions), with Cockpit links"],
      ['$0 --activity-id ServiceTask_PostToSAP --failed-critical 0', 'the jobs of one activity, e.g. everything that talks to SAP'],
    ],
    epilogue: [
      'Performance data:',
      '  executable                 executable jobs: retries left, due, not suspended (-w/-c)',
      '  overdue                    of those, waiting longer than --overdue-after, without the jobs of',
      '                             instances executing a job (Camunda 7.24+; older: not known)',
      '                             (--overdue-warning/--overdue-critical)',
      '  failed                     jobs without retries left, each an incident (--failed-warning/--failed-critical)',
      '  retrying                   jobs that failed and still have retries (--retrying-warning/--retrying-critical)',
      '  suspended_job_definitions  job definitions suspended by themselves, their process definition',
      '                             active (--suspended-job-definitions-warning/-critical)',
      '  suspended_with_definition  job definitions suspended with their process definition',
      'With --throughput, sums over --throughput-window of the metrics the engine wrote:',
      '  jobs_successful, jobs_failed, jobs_rejected, acquisition_failures (--jobs-successful-warning/-critical, ...)',
      '',
      EXIT_CODES,
    ].join('\n'),
    options,
    toOptions,
  },
  async check(options, context: RunContext) {
    const client = createCamundaClient(options.connection, context);
    const now = new Date();
    return evaluateJobs(await measure(client, options, now, context.log), options, now);
  },
});
