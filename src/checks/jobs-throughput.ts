import type { Argv } from 'yargs';
import type { CamundaClient } from '../camunda/client';
import { formatCamundaDate } from '../camunda/dates';
import { countJobs, JOB_CONDITIONS, type JobFilter } from '../camunda/jobs';
import { jobMetricSums, metricsReported, type JobMetric } from '../camunda/metrics';
import { optionKey, spanOption, thresholdOptions, type Args } from '../cli/args';
import { THRESHOLD_GROUP, VALUE } from '../cli/check-options';
import { formatExactDuration } from '../plugin/duration';
import { UsageError } from '../plugin/errors';
import { annotate, judge, type Metric } from '../plugin/metric';
import type { Thresholds } from '../plugin/range';
import { State, worst } from '../plugin/state';
import { plural } from '../plugin/text';

/*
 * Job executor throughput for check_camunda_jobs (--throughput): what the executor did, from the
 * engine's metrics, and the stall rule. The engine writes metrics in intervals (src/camunda/metrics.ts),
 * so the last interval's work is not in the database yet. A job executed at time t is written at
 * some r in (t, t + interval]; the sums from now - window on therefore hold every execution in
 * [now - window, now - interval] for sure, and some later ones. The stall rule only claims what
 * that span proves: a job executable through all of it, and not one job executed (successfully or
 * not) by any node. That needs window > interval, with room for the executor's acquisition
 * back-off (up to a minute by default): the window must be at least twice the interval and at least
 * five minutes longer.
 */

export const THROUGHPUT_DEFAULTS = {
  /** Twice the engine's default reporting interval: the last 15 minutes prove what the 15 before them did. */
  window: '30m',
  /** DbMetricsReporter#reportingIntervalInSeconds: 60 * 15 (DbMetricsReporter.java:40). */
  interval: '15m',
  /** Room after the reporting delay for the executor's acquisition back-off and clocks that differ. */
  minimumProofSeconds: 300,
} as const;

export interface ThroughputOptions {
  readonly windowSeconds: number;
  readonly intervalSeconds: number;
  readonly thresholds: Readonly<Record<JobMetric, Thresholds>>;
}

/** Perfdata label and option stem of each sum. */
const SUMS: readonly { metric: JobMetric; label: string; text: string; describe: string }[] = [
  { metric: 'successful', label: 'jobs_successful', text: 'succeeded', describe: 'jobs executed successfully' },
  { metric: 'failed', label: 'jobs_failed', text: 'failed', describe: 'job executions that failed' },
  { metric: 'rejected', label: 'jobs_rejected', text: 'rejected', describe: "acquired jobs the executor's full queue rejected" },
  { metric: 'acquisitionFailures', label: 'acquisition_failures', text: 'acquisition failures', describe: 'acquired jobs another node locked first' },
];
const optionStem = (label: string) => label.replace(/_/g, '-');

const GROUP = 'Throughput (--throughput; from the engine metrics, reported with a delay):';

export function throughputOptions(argv: Argv): Argv {
  let result = argv
    .option('throughput', { type: 'boolean', group: GROUP, describe: 'Also read the job executor metrics: jobs executed, failed, rejected, acquisition failures; CRITICAL when the executor is stalled' })
    .option('throughput-window', {
      ...VALUE,
      group: GROUP,
      describe: 'Sums over the metrics written in this window; at least twice --metrics-interval and 5m more than it',
      defaultDescription: THROUGHPUT_DEFAULTS.window,
    })
    .option('metrics-interval', {
      ...VALUE,
      group: GROUP,
      describe: "The engine's metrics reporting interval (its dbMetricsReporter reportingIntervalInSeconds)",
      defaultDescription: THROUGHPUT_DEFAULTS.interval,
    });
  for (const sum of SUMS) {
    const range = { ...VALUE, group: THRESHOLD_GROUP, describe: `Range for ${sum.describe} in --throughput-window`, defaultDescription: 'none' };
    result = result.option(`${optionStem(sum.label)}-warning`, range).option(`${optionStem(sum.label)}-critical`, range);
  }
  return result;
}

export function throughputFromArgs(args: Args): ThroughputOptions | undefined {
  const given = SUMS.flatMap((s) => [`${optionStem(s.label)}-warning`, `${optionStem(s.label)}-critical`]).concat('throughput-window', 'metrics-interval');
  if (args.throughput !== true) {
    const stray = given.find((option) => args[optionKey(option)] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --throughput`);
    return undefined;
  }
  const windowSeconds = spanOption(args, 'throughput-window', THROUGHPUT_DEFAULTS.window);
  const intervalSeconds = spanOption(args, 'metrics-interval', THROUGHPUT_DEFAULTS.interval);
  const minimum = Math.max(2 * intervalSeconds, intervalSeconds + THROUGHPUT_DEFAULTS.minimumProofSeconds);
  if (windowSeconds < minimum) {
    throw new UsageError(
      `--throughput-window ${formatExactDuration(windowSeconds)} is too short for --metrics-interval ${formatExactDuration(intervalSeconds)}: ` +
        `the engine writes its metrics up to one interval late, so the window must be at least ${formatExactDuration(minimum)}`,
    );
  }
  const thresholds = Object.fromEntries(SUMS.map((s) => [s.metric, thresholdOptions(args, optionStem(s.label))])) as Record<JobMetric, Thresholds>;
  return { windowSeconds, intervalSeconds, thresholds };
}

export interface ThroughputMeasurement {
  readonly reported: boolean;
  readonly sums: Readonly<Record<JobMetric, number>>;
  /** Executable jobs waiting since before the window began. */
  readonly waitingThroughWindow: number;
}

/**
 * Executable jobs that were executable through the whole window: created before it, and due before
 * it or without due date. (A job created a minute ago with a due date long past, a timer catching
 * up, has not waited through the window.) Camunda has no "without due date" filter and never
 * matches a null due date with `dueDates`, hence: created before, minus those due after the start.
 */
async function countWaitingSince(client: CamundaClient, filter: JobFilter, since: Date): Promise<number> {
  const createdBefore = { ...JOB_CONDITIONS.executable, createTimes: `lt_${formatCamundaDate(since)}` };
  const [all, dueLater] = await Promise.all([
    countJobs(client, filter, createdBefore),
    countJobs(client, filter, { ...createdBefore, dueDates: `gt_${formatCamundaDate(since)}` }),
  ]);
  return Math.max(0, all - dueLater);
}

export async function measureThroughput(client: CamundaClient, filter: JobFilter, options: ThroughputOptions, now: Date): Promise<ThroughputMeasurement> {
  const since = new Date(now.getTime() - options.windowSeconds * 1000);
  const [reported, sums, waitingThroughWindow] = await Promise.all([metricsReported(client, since), jobMetricSums(client, since), countWaitingSince(client, filter, since)]);
  return { reported, sums, waitingThroughWindow };
}

export interface ThroughputJudgement {
  readonly state: State;
  /** Status line parts that go first (the stall), and those that close it (the sums). */
  readonly lead: readonly string[];
  readonly summary: readonly string[];
  readonly perfdata: readonly Metric[];
  readonly details: readonly string[];
}

export function evaluateThroughput(measurement: ThroughputMeasurement, options: ThroughputOptions): ThroughputJudgement {
  const window = formatExactDuration(options.windowSeconds);
  const interval = formatExactDuration(options.intervalSeconds);
  if (!measurement.reported) {
    // Sums of an engine that writes no metrics are all 0: printing them would draw a stall that is not there.
    return {
      state: State.UNKNOWN,
      lead: [],
      summary: [annotate(`no job metrics reported in the last ${window}`, State.UNKNOWN)],
      perfdata: [],
      details: [
        `Throughput unknown: no engine node wrote metrics in the last ${window}, although a running reporter writes every ${interval}. ` +
          'Metrics are off (metricsEnabled=false or dbMetricsReporterActivate=false), or no engine node has been running that long.',
      ],
    };
  }
  const metrics = SUMS.map((s) => {
    const metric: Metric = { label: s.label, value: measurement.sums[s.metric], ...options.thresholds[s.metric], min: 0 };
    return { ...s, metric, state: judge(metric) };
  });
  const executed = measurement.sums.successful + measurement.sums.failed;
  const stalled = executed === 0 && measurement.waitingThroughWindow > 0;
  const lead = stalled ? [annotate(`job executor stalled: ${plural(measurement.waitingThroughWindow, 'job')} executable for more than ${window}, none executed`, State.CRITICAL)] : [];
  const summary = [`in ${window}: ${metrics.map((m) => annotate(`${m.metric.value} ${m.text}`, m.state)).join(', ')}`];
  const details = [
    // The engine filters no metrics by permission or tenant (MeterLogManager.java:62-79, Metrics.xml): unlike the counts, these are engine-wide for any user.
    `Throughput: sums of the metrics all engine nodes wrote in the last ${window}, engine-wide whatever the user may see; they report every ${interval}, so the newest executions are not counted yet.`,
  ];
  if (stalled) {
    details.push(
      `Stalled: no node executed a job between ${window} and ${interval} ago (reported by now for sure), while ${plural(measurement.waitingThroughWindow, 'job')} ` +
        `stayed executable through that time. Is the job executor running (jobExecutorActivate), are its nodes registered for the deployments, is its thread pool stuck?`,
    );
  }
  return { state: worst([...metrics.map((m) => m.state), stalled ? State.CRITICAL : State.OK]), lead, summary, perfdata: metrics.map((m) => m.metric), details };
}
