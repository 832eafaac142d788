import type { CamundaClient } from './client';
import { formatCamundaDate } from './dates';
import { arrayOf, metricsInterval, metricsSum } from './shapes';

/*
 * The engine's metrics as the database holds them (ACT_RU_METER_LOG), camunda-bpm-platform 3dd653fe:
 *  - each engine node counts in memory and its DbMetricsReporter writes the counts every
 *    reportingIntervalInSeconds, 15 minutes by default (engine/src/main/java/org/camunda/bpm/engine/impl/
 *    metrics/reporter/DbMetricsReporter.java:40, a fixed-rate timer started one interval after the engine,
 *    :55-61), one row per meter stamped with the time of writing, zeros included
 *    (MetricsCollectionTask.java:65-76); so an execution shows up in the table up to one interval later;
 *  - the reporter runs only with metricsEnabled and dbMetricsReporterActivate (ProcessEngineImpl.java:123-140);
 *    its rows carry the reporter id, the node's hostname (or a MetricsReporterIdProvider's id, ProcessEngineImpl.java:124-133);
 *  - `GET /metrics/{name}/sum` sums the rows with `TIMESTAMP_ >= startDate` and `< endDate` (Metrics.xml:72-93),
 *    over all reporters; `GET /metrics` groups them by interval (Metrics.xml:135-162);
 *  - job-successful and job-failed are counted per executed job (SuccessfulJobListener.java:39,
 *    FailedJobListener.java:97), job-execution-rejected when the executor's queue refuses acquired jobs and
 *    job-acquired-failure when another node locked them first (JobExecutor.java:169-179).
 */

export const JOB_METRICS = {
  successful: 'job-successful',
  failed: 'job-failed',
  rejected: 'job-execution-rejected',
  acquisitionFailures: 'job-acquired-failure',
} as const;

export type JobMetric = keyof typeof JOB_METRICS;

/** The sum of a metric over the rows written from `since` on, by every node. */
export async function metricSum(client: CamundaClient, name: string, since: Date): Promise<number> {
  const answer = await client.get(`/metrics/${encodeURIComponent(name)}/sum`, { startDate: formatCamundaDate(since) }, metricsSum);
  return answer.result ?? 0;
}

/**
 * Whether any node wrote metrics from `since` on. A running reporter writes a row for every meter
 * at every interval, zeros included, so none within more than one interval means no reporter runs:
 * metrics are off, or no engine node ran. A sum cannot tell: it is 0 either way.
 */
export async function metricsReported(client: CamundaClient, since: Date): Promise<boolean> {
  const rows = await client.get('/metrics', { name: JOB_METRICS.successful, startDate: formatCamundaDate(since), firstResult: 0, maxResults: 1 }, arrayOf(metricsInterval));
  return rows.length > 0;
}

/** The four job executor sums from `since` on, in parallel. */
export async function jobMetricSums(client: CamundaClient, since: Date): Promise<Record<JobMetric, number>> {
  const names = Object.keys(JOB_METRICS) as JobMetric[];
  const sums = await Promise.all(names.map((metric) => metricSum(client, JOB_METRICS[metric], since)));
  return Object.fromEntries(names.map((metric, i) => [metric, sums[i]!])) as Record<JobMetric, number>;
}
