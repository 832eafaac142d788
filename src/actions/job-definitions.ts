import {
  countJobs,
  readFailedExternalTasks,
  readFailedJobs,
  readJobDefinitions,
  setExternalTaskRetries,
  setJobDefinitionSuspended,
  setJobRetries,
} from '../camunda/actions';
import type { CamundaWriteClient } from '../camunda/client';
import { describeDefinition } from '../camunda/definitions';
import type { ExternalTaskDto, JobDto } from '../camunda/types';
import { mapConcurrently } from '../plugin/concurrency';
import { PluginError } from '../plugin/errors';
import type { Logger } from '../plugin/log';
import { cleanText, plural } from '../plugin/text';
import type { Change, Plan, Step } from './changes';
import { activityMatcher, describeJobDefinition, describeSelection, MAX_EXAMINED, type ActivityMatcher, type ActivitySelection, type SelectedJobDefinition, type SelectionSettings } from './selection';

/*
 * suspend, resume (--retry) and retry: the job definitions of a target system and their failed
 * jobs and external tasks. Suspending a job definition with its jobs makes the calls wait instead
 * of failing and burning retries; activating it lets them run again; new retries make the failed
 * ones run again and resolve their incidents.
 */

export interface JobActionOptions {
  readonly selection: ActivitySelection;
  readonly settings: SelectionSettings;
  readonly maxAffected: number;
  readonly maxJobs: number;
  readonly retries: number;
  /** Only failed jobs and external tasks whose error message is LIKE this (SQL LIKE: % and _). */
  readonly messageLike?: string | undefined;
  /** Which failed work `retry` gives new retries. */
  readonly retryKinds: { readonly jobs: boolean; readonly externalTasks: boolean };
}

/** Requests counting jobs at a time. */
const COUNTS_IN_FLIGHT = 4;

/** SQL LIKE as the engine's `...Like` filters take it: `%` any text, `_` one character, the rest literal. */
export function likePattern(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

interface Examined {
  readonly jobDefinitions: readonly SelectedJobDefinition[];
  readonly externalTasks: readonly ExternalTaskDto[];
  readonly matcher: ActivityMatcher;
}

/** The selected job definitions and, when asked for, the failed external tasks of the same activities. */
async function examine(client: CamundaWriteClient, options: JobActionOptions, withExternalTasks: boolean, log: Logger): Promise<Examined> {
  const { selection } = options;
  const [all, tasks] = await Promise.all([
    readJobDefinitions(client, selection.scope, selection.activityIds, MAX_EXAMINED),
    withExternalTasks ? readFailedExternalTasks(client, selection.scope, selection.activityIds, MAX_EXAMINED) : [],
  ]);
  const matcher = await activityMatcher(client, selection, [...all, ...tasks], options.settings, log);
  const jobDefinitions = all
    .filter((jd): jd is typeof jd & { id: string } => jd.id !== null && matcher.matches(jd.processDefinitionId, jd.activityId))
    .map((dto) => ({ dto, text: describeJobDefinition(dto, matcher) }))
    .sort((a, b) => a.text.localeCompare(b.text));
  const message = options.messageLike === undefined ? undefined : likePattern(options.messageLike);
  const externalTasks = tasks.filter((t) => t.id !== null && matcher.matches(t.processDefinitionId, t.activityId) && (!message || message.test(t.errorMessage ?? '')));
  return { jobDefinitions, externalTasks, matcher };
}

function notes(matcher: ActivityMatcher): string[] {
  return matcher.unreadable.map((u) => `not examined, its model cannot be read: ${u}`);
}

function requireSome(examined: Examined, options: JobActionOptions, what: string): void {
  if (examined.jobDefinitions.length === 0 && examined.externalTasks.length === 0) {
    const property = options.selection.system !== undefined ? ` (BPMN property '${cleanText(options.selection.property, 40)}' on the calling element)` : '';
    throw new PluginError(`no ${what} ${describeSelection(options.selection)}${property}: check the selection, nothing changed`);
  }
}

function requireWithin(count: number, max: number, what: string, option: string): void {
  if (count > max) throw new PluginError(`${count} ${what} selected, more than ${option} ${max}: nothing changed; narrow the selection or raise ${option}`);
}

/** For each job definition, how many of its jobs are in the given state and how many have failed. */
async function jobCounts(client: CamundaWriteClient, jobDefinitions: readonly SelectedJobDefinition[], state: 'active' | 'suspended') {
  return mapConcurrently(jobDefinitions, COUNTS_IN_FLIGHT, async (jd) => {
    const [inState, failed] = await Promise.all([
      countJobs(client, { jobDefinitionId: jd.dto.id, [state]: true }),
      countJobs(client, { jobDefinitionId: jd.dto.id, noRetriesLeft: true }),
    ]);
    return { inState, failed };
  });
}

function suspensionStep(client: CamundaWriteClient, jobDefinitions: readonly SelectedJobDefinition[], counts: readonly { inState: number; failed: number }[], suspend: boolean): Step {
  const changes: Change[] = [];
  const unchanged: string[] = [];
  jobDefinitions.forEach((jd, i) => {
    const { inState, failed } = counts[i]!;
    const failures = failed ? `, ${plural(failed, 'failed job')}` : '';
    // Already in the wanted state, with every job too: nothing to do (idempotent).
    if (jd.dto.suspended === suspend && inState === 0) unchanged.push(`${jd.text}${failures}`);
    else changes.push({ text: `${jd.text}: ${plural(inState, suspend ? 'active job' : 'suspended job')}${failures}`, apply: () => setJobDefinitionSuspended(client, jd.dto.id, suspend) });
  });
  return suspend
    ? { verb: 'suspend', done: 'suspended', noun: 'job definition', changes, unchanged, unchangedAs: 'already suspended' }
    : { verb: 'activate', done: 'activated', noun: 'job definition', changes, unchanged, unchangedAs: 'already active' };
}

function jobRetryChange(client: CamundaWriteClient, job: JobDto & { id: string }, owner: string, retries: number): Change {
  const message = job.exceptionMessage ? `: ${cleanText(job.exceptionMessage, 120)}` : '';
  return { text: `job ${cleanText(job.id, 60)} of ${owner}${message}`, apply: () => setJobRetries(client, job.id, retries) };
}

/** The failed jobs of the job definitions (bounded by --max-jobs before any is read), one change each. */
async function jobRetryChanges(client: CamundaWriteClient, examined: Examined, failedCounts: readonly number[], options: JobActionOptions): Promise<Change[]> {
  const { jobDefinitions, matcher } = examined;
  const total = failedCounts.reduce((sum, n) => sum + n, 0);
  requireWithin(total, options.maxJobs, 'failed jobs', '--max-jobs');
  const withFailures = jobDefinitions.filter((_jd, i) => failedCounts[i]! > 0);
  const lists = await mapConcurrently(withFailures, COUNTS_IN_FLIGHT, (jd) => readFailedJobs(client, jd.dto.id, options.maxJobs));
  const message = options.messageLike === undefined ? undefined : likePattern(options.messageLike);
  return withFailures.flatMap((jd, i) =>
    lists[i]!
      .filter((job): job is JobDto & { id: string } => job.id !== null && job.retries === 0 && (!message || message.test(job.exceptionMessage ?? '')))
      .map((job) => jobRetryChange(client, job, `${cleanText(jd.dto.activityId ?? '?', 80)} in ${describeDefinition(jd.dto, matcher.definitions)}`, options.retries)),
  );
}

function retryStep(changes: readonly Change[], noun: string): Step {
  return { verb: 'retry', done: 'retried', noun, changes, unchanged: [], unchangedAs: '' };
}

function externalTaskRetryStep(client: CamundaWriteClient, tasks: readonly ExternalTaskDto[], matcher: ActivityMatcher, retries: number): Step {
  const changes = tasks.map((task) => {
    const message = task.errorMessage ? `: ${cleanText(task.errorMessage, 120)}` : '';
    const topic = task.topicName ? ` (topic ${cleanText(task.topicName, 60)})` : '';
    return {
      text: `external task ${cleanText(task.id, 60)} of ${cleanText(task.activityId ?? '?', 80)}${topic} in ${describeDefinition(task, matcher.definitions)}${message}`,
      apply: () => setExternalTaskRetries(client, task.id!, retries),
    };
  });
  return retryStep(changes, 'failed external task');
}

/**
 * New retries for the failed jobs of the selected job definitions and the failed external tasks of
 * the selected activities (as far as `retryKinds` asks), all bounded together by --max-jobs.
 */
async function retrySteps(client: CamundaWriteClient, examined: Examined, failedJobCounts: readonly number[], options: JobActionOptions): Promise<Step[]> {
  const steps: Step[] = [];
  if (options.retryKinds.jobs) steps.push(retryStep(await jobRetryChanges(client, examined, failedJobCounts, options), 'failed job'));
  if (options.retryKinds.externalTasks) {
    requireWithin(examined.externalTasks.length + (steps[0]?.changes.length ?? 0), options.maxJobs, 'failed jobs and external tasks', '--max-jobs');
    steps.push(externalTaskRetryStep(client, examined.externalTasks, examined.matcher, options.retries));
  }
  return steps;
}

/** suspend, or resume (with --retry: and give the failed jobs of the same job definitions and the failed external tasks of the same activities new retries). */
export async function planSuspension(client: CamundaWriteClient, options: JobActionOptions, suspend: boolean, retry: boolean, log: Logger): Promise<Plan> {
  const withExternalTasks = retry && options.retryKinds.externalTasks;
  const examined = await examine(client, options, withExternalTasks, log);
  requireSome(examined, options, withExternalTasks ? 'job definition or failed external task' : 'job definition');
  requireWithin(examined.jobDefinitions.length, options.maxAffected, 'job definitions', '--max-affected');
  const counts = await jobCounts(client, examined.jobDefinitions, suspend ? 'active' : 'suspended');
  const steps = [suspensionStep(client, examined.jobDefinitions, counts, suspend)];
  if (retry) steps.push(...(await retrySteps(client, examined, counts.map((c) => c.failed), options)));
  const cascade = suspend ? ['Suspended with their jobs: these wait without spending retries until resumed.'] : [];
  return { about: describeSelection(options.selection), steps, notes: [...cascade, ...notes(examined.matcher)] };
}

/** retry: new retries for the failed jobs (and external tasks) of the selection. */
export async function planRetry(client: CamundaWriteClient, options: JobActionOptions, log: Logger): Promise<Plan> {
  const examined = await examine(client, options, options.retryKinds.externalTasks, log);
  requireSome(examined, options, options.retryKinds.externalTasks ? 'job definition or failed external task' : 'job definition');
  const failed = options.retryKinds.jobs ? await mapConcurrently(examined.jobDefinitions, COUNTS_IN_FLIGHT, (jd) => countJobs(client, { jobDefinitionId: jd.dto.id, noRetriesLeft: true })) : [];
  const steps = await retrySteps(client, examined, failed, options);
  return { about: describeSelection(options.selection), steps, notes: notes(examined.matcher) };
}
