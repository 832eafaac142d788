import type { Argv } from 'yargs';
import { createCamundaClient, type CamundaClient } from '../camunda/client';
import type { ConnectionOptions } from '../camunda/connection';
import { definitionLabelStems, requireDeployedKeys } from '../camunda/definitions';
import { engineHasCreateTime, listTopicNames, measureTopic, RETRY_SAMPLE, type ExternalTaskFilter, type TopicFigures } from '../camunda/external-tasks';
import { integerOption, spanOption, stringList, thresholdOptions, type Args } from '../cli/args';
import { EXIT_CODES, FILTER_GROUP, THRESHOLD_GROUP, VALUE } from '../cli/check-options';
import { connectionFromArgs, connectionOptions } from '../cli/connection';
import { camundaPlugin } from '../cli/plugin';
import { missingStateOption } from '../cli/selection';
import { mapConcurrently } from '../plugin/concurrency';
import { formatDuration, formatExactDuration, secondsSince } from '../plugin/duration';
import { UsageError } from '../plugin/errors';
import { annotate, judge, type Metric } from '../plugin/metric';
import { PART_SEPARATOR, troubleSummary, type PluginOutput } from '../plugin/output';
import { wholeGroupsWithin } from '../plugin/perfdata';
import type { Thresholds } from '../plugin/range';
import type { RunContext } from '../plugin/run';
import { bySeverity, State, stateName, worst } from '../plugin/state';
import { cleanText, describeFilters, plural } from '../plugin/text';

/*
 * check_camunda_external_tasks answers: are the external task workers doing their work? Per topic:
 * how many tasks wait for a worker, how many workers hold, how many locks ran out (a worker that
 * died mid-task), how many failed for good or are retrying, and how long the oldest has waited.
 * A dead worker fails nothing in the engine: its topic's tasks just wait. So the worker-gone rule:
 * tasks waiting longer than --stale while no task of the topic is locked.
 */

export interface ExternalTasksOptions {
  readonly connection: ConnectionOptions;
  readonly topics: readonly string[];
  readonly filter: ExternalTaskFilter;
  readonly staleSeconds: number;
  readonly maxTopics: number;
  readonly missingState: State;
  readonly thresholds: Readonly<Record<MetricName, Thresholds>>;
}

type MetricName = 'waiting' | 'locked' | 'expiredLocks' | 'failed' | 'retrying' | 'oldestWaitingAge';

export const DEFAULTS = {
  /** Workers poll every few seconds (long polling holds a fetch up to a minute): minutes of waiting with no lock taken mean none polls. */
  stale: '5m',
  /** Each failed task is a failedExternalTask incident: somebody must look at it. */
  failedWarning: '0',
  /** Topics measured per run: each costs five or six requests. */
  maxTopics: 20,
  maxTopicsLimit: 200,
  /** Topics measured at a time (each sends its requests in parallel). */
  topicsInFlight: 4,
  /** Topics named one by one in the status line (short enough for a notification); more are counted. */
  namedInStatus: 3,
  perfdataBudget: 6144,
  maxLabelStem: 100,
  /** A topic named with --topic that has no tasks: a typo, or idle. */
  missingState: State.UNKNOWN,
} as const;

/** Perfdata suffix, option stem and wording of each metric, in output order. */
const METRICS: readonly { name: MetricName; suffix: string; option: string; text: (n: number) => string; describe: string }[] = [
  { name: 'waiting', suffix: 'waiting', option: '', text: (n) => `${n} waiting`, describe: 'tasks a worker could fetch now (not locked, active, retries left)' },
  { name: 'locked', suffix: 'locked', option: 'locked', text: (n) => `${n} locked`, describe: 'tasks a worker holds (or backing off after a failure)' },
  { name: 'expiredLocks', suffix: 'expired_locks', option: 'expired-locks', text: (n) => plural(n, 'expired lock'), describe: 'waiting tasks whose lock ran out unfinished' },
  { name: 'failed', suffix: 'failed', option: 'failed', text: (n) => `${n} failed`, describe: 'tasks without retries left, each an incident' },
  { name: 'retrying', suffix: 'retrying', option: 'retrying', text: (n) => `${n} retrying`, describe: 'tasks that failed and still have retries' },
  { name: 'oldestWaitingAge', suffix: 'oldest_waiting_age', option: 'oldest-waiting-age', text: (n) => `oldest waiting ${formatDuration(n)}`, describe: 'seconds the oldest waiting task has been fetchable' },
];

function options(argv: Argv): Argv {
  const threshold = (describe: string, defaultDescription = 'none') => ({ ...VALUE, group: THRESHOLD_GROUP, describe, defaultDescription });
  let checkOptions = connectionOptions(argv);
  for (const metric of METRICS) {
    const failedDefault = metric.name === 'failed' ? `${DEFAULTS.failedWarning} (any failed task)` : 'none';
    const warning = metric.option ? `${metric.option}-warning` : 'warning';
    const critical = metric.option ? `${metric.option}-critical` : 'critical';
    const text = `Range for ${metric.describe}, per topic`;
    checkOptions = checkOptions
      .option(warning, { ...threshold(text, failedDefault), ...(metric.option ? {} : { alias: 'w' }) })
      .option(critical, { ...threshold(text), ...(metric.option ? {} : { alias: 'c' }) });
  }
  return checkOptions
    .option('stale', {
      ...VALUE,
      group: THRESHOLD_GROUP,
      describe: 'CRITICAL when a task of a topic has waited this long while no task of the topic is locked: no worker fetches it (90, 90s, 5m, 2h)',
      defaultDescription: DEFAULTS.stale,
    })
    .option('missing-state', {
      ...VALUE,
      group: THRESHOLD_GROUP,
      describe: 'State for a --topic that has no tasks at all: ok, warning, critical or unknown',
      defaultDescription: stateName(DEFAULTS.missingState).toLowerCase(),
    })
    .option('topic', { ...VALUE, group: FILTER_GROUP, describe: 'Only this topic (repeat for several); without --topic every topic that has tasks' })
    .option('process-definition-key', { ...VALUE, alias: 'k', group: FILTER_GROUP, describe: 'Only tasks of this process definition, all its versions' })
    .option('tenant-id', { ...VALUE, group: FILTER_GROUP, describe: 'Only tasks of this tenant' })
    .option('max-topics', {
      ...VALUE,
      group: FILTER_GROUP,
      describe: `At most this many topics are measured (five or six requests each; at most ${DEFAULTS.maxTopicsLimit})`,
      defaultDescription: String(DEFAULTS.maxTopics),
    });
}

function toOptions(args: Args): ExternalTasksOptions {
  const topics = stringList(args, 'topic');
  const filter: ExternalTaskFilter = { processDefinitionKeys: stringList(args, 'process-definition-key'), tenantIds: stringList(args, 'tenant-id') };
  const maxTopics = integerOption(args, 'max-topics', 1, DEFAULTS.maxTopicsLimit) ?? DEFAULTS.maxTopics;
  if (topics.length > maxTopics) throw new UsageError(`${topics.length} --topic values, but --max-topics is ${maxTopics}: raise it or split the check`);
  if (filter.processDefinitionKeys.length > 5) {
    throw new UsageError(`${filter.processDefinitionKeys.length} --process-definition-key values: every key multiplies the requests per topic, at most 5: split the check`);
  }
  const thresholds = Object.fromEntries(
    METRICS.map((m) => [m.name, thresholdOptions(args, m.option, m.name === 'failed' ? { warning: DEFAULTS.failedWarning } : {})]),
  ) as Record<MetricName, Thresholds>;
  return {
    connection: connectionFromArgs(args),
    topics,
    filter,
    staleSeconds: spanOption(args, 'stale', DEFAULTS.stale),
    maxTopics,
    missingState: missingStateOption(args, DEFAULTS.missingState),
    thresholds,
  };
}

interface ExternalTasksMeasurement {
  readonly topics: readonly TopicFigures[];
  /** --topic values without any task. */
  readonly missingTopics: readonly string[];
  /** Topics with tasks beyond --max-topics, not measured. */
  readonly unmeasured: number;
  readonly engineVersion: string | undefined;
  readonly hasCreateTime: boolean;
}

/**
 * /version is asked of the engine's own base: it answers below /engine/{name} too
 * (NamedProcessEngineRestServiceImpl.java:254-256), and behind the authentication filter a path
 * outside /engine/{name} goes to the default engine, which may not exist
 * (ProcessEngineAuthenticationFilter.java:130-137).
 */
async function measure(client: CamundaClient, options: ExternalTasksOptions, now: Date): Promise<ExternalTasksMeasurement> {
  // A mistyped --process-definition-key would show "no external tasks" for ever: one count per key (at most 5).
  const { processDefinitionKeys, tenantIds } = options.filter;
  const [names, createTime] = await Promise.all([listTopicNames(client), engineHasCreateTime(client), requireDeployedKeys(client, processDefinitionKeys, tenantIds)]);
  const existing = new Set(names);
  const missingTopics = options.topics.filter((topic) => !existing.has(topic));
  const candidates = options.topics.length ? options.topics.filter((topic) => existing.has(topic)) : [...existing].sort();
  const measured = candidates.slice(0, options.maxTopics);
  const figures = await mapConcurrently(measured, DEFAULTS.topicsInFlight, (topic) => measureTopic(client, topic, options.filter, now, createTime.has));
  // topic-names is engine-wide; under a key or tenant filter, topics without any matching task are not this check's.
  const filtered = options.filter.processDefinitionKeys.length > 0 || options.filter.tenantIds.length > 0;
  const topics = filtered && options.topics.length === 0 ? figures.filter((f) => f.waiting + f.locked + f.failed > 0) : figures;
  return { topics, missingTopics, unmeasured: candidates.length - measured.length, engineVersion: createTime.version, hasCreateTime: createTime.has };
}

interface JudgedTopic {
  readonly figures: TopicFigures;
  readonly label: string;
  readonly metrics: readonly { readonly name: MetricName; readonly metric: Metric; readonly state: State; readonly text: string }[];
  /** The worker-gone rule fired. */
  readonly workerGone: boolean;
  readonly state: State;
}

function judgeTopic(figures: TopicFigures, label: string, options: ExternalTasksOptions, now: Date): JudgedTopic {
  // Nothing waiting on an engine with creation times is an age of 0, so the graph keeps its label.
  const age = figures.oldestWaitingSince ? secondsSince(figures.oldestWaitingSince, now) : figures.createTimes && figures.waiting === 0 ? 0 : undefined;
  const values: Record<MetricName, number | undefined> = {
    waiting: figures.waiting,
    locked: figures.locked,
    expiredLocks: figures.expiredLocks,
    failed: figures.failed,
    retrying: figures.retrying,
    oldestWaitingAge: age,
  };
  const metrics = METRICS.flatMap(({ name, suffix, text }) => {
    const value = values[name];
    if (value === undefined) return [];
    const metric: Metric = { label: `${label}_${suffix}`, value, ...options.thresholds[name], min: 0, ...(name === 'oldestWaitingAge' ? { unit: 's' as const } : {}) };
    // An age of 0 with nothing waiting is for the graph; the text says `0 waiting` already.
    const shown = name === 'retrying' && !figures.retryingComplete ? `at least ${text(value)}` : name === 'oldestWaitingAge' && figures.waiting === 0 ? '' : text(value);
    return [{ name, metric, state: judge(metric), text: shown }];
  });
  const workerGone = figures.oldestWaitingSince !== undefined && age! > options.staleSeconds && figures.locked === 0;
  return { figures, label, metrics, workerGone, state: worst([...metrics.map((m) => m.state), workerGone ? State.CRITICAL : State.OK]) };
}

const topicName = (topic: string) => `'${cleanText(topic, 80)}'`;

function workerGoneText(t: JudgedTopic, now: Date): string {
  const age = formatDuration(secondsSince(t.figures.oldestWaitingSince, now));
  return `no worker fetches topic ${topicName(t.figures.topic)} (${t.figures.waiting} waiting, oldest ${age}) (critical)`;
}

function troubleText(t: JudgedTopic, now: Date): string {
  const parts = t.metrics.filter((m) => m.state !== State.OK).map((m) => annotate(m.text || m.metric.label, m.state));
  if (t.workerGone) return [workerGoneText(t, now), ...parts.filter((p) => !p.startsWith(`${t.figures.waiting} waiting`))].join(', ');
  return `${topicName(t.figures.topic)}: ${parts.join(', ')}`;
}

function detailLine(t: JudgedTopic, options: ExternalTasksOptions): string {
  const parts = t.metrics.filter((m) => m.text !== '').map((m) => annotate(m.text, m.state));
  if (t.figures.ageUnknown) parts.push('age of the oldest waiting task unknown');
  const gone = t.workerGone ? `; no task locked although one waits longer than ${formatExactDuration(options.staleSeconds)}: no worker fetches this topic (critical)` : '';
  return `${topicName(t.figures.topic)}: ${parts.join(', ')}${gone}`;
}

export function evaluateExternalTasks(measurement: ExternalTasksMeasurement, options: ExternalTasksOptions, now: Date): PluginOutput {
  const stems = definitionLabelStems(
    measurement.topics.map((t) => ({ key: t.topic, tenantId: null })),
    DEFAULTS.maxLabelStem,
  );
  const judged = measurement.topics.map((t, i) => judgeTopic(t, stems[i]!, options, now));
  const missing = measurement.missingTopics.map((topic) => ({
    state: options.missingState,
    text: annotate(`topic ${topicName(topic)} has no external tasks (a typo, or no work now, see --missing-state)`, options.missingState),
  }));
  const troubled = [...judged.filter((t) => t.state !== State.OK).map((t) => ({ state: t.state, text: troubleText(t, now) })), ...missing];
  const summary = troubleSummary(troubled, DEFAULTS.namedInStatus);
  const fine = judged.filter((t) => t.state === State.OK);
  if (fine.length > 0 && troubled.length + fine.length <= DEFAULTS.namedInStatus) {
    summary.push(`${fine.map((t) => `${topicName(t.figures.topic)} ${t.figures.waiting} waiting, ${t.figures.locked} locked`).join(PART_SEPARATOR)}`);
  } else if (fine.length > 0) {
    summary.push(`${plural(fine.length, 'topic')} OK`);
  }
  if (judged.length === 0 && missing.length === 0) summary.push('no external tasks');
  if (measurement.unmeasured > 0) summary.push(`${plural(measurement.unmeasured, 'more topic')} not checked (--max-topics ${options.maxTopics})`);

  const perTopic = judged.map((t) => t.metrics.map((m) => m.metric));
  const { perfdata, groups } = wholeGroupsWithin(perTopic, DEFAULTS.perfdataBudget);
  const details: string[] = [];
  if (groups < perTopic.length) {
    details.push(`Performance data for the first ${groups} of ${perTopic.length} topics only (Nagios' 8 KiB output limit): select fewer with --topic`);
  }
  const filter = describeFilters([
    ['topic', options.topics],
    ['process definition', options.filter.processDefinitionKeys],
    ['tenant', options.filter.tenantIds],
  ]);
  if (filter) details.push(filter);
  details.push(...missing.map((m) => m.text));
  for (const t of bySeverity(judged)) details.push(detailLine(t, options));
  if (judged.some((t) => t.figures.ageUnknown)) {
    details.push(
      measurement.hasCreateTime
        ? `Some waiting tasks have no creation time (created before the engine's upgrade to 7.21): their age is unknown, and the worker-gone rule cannot judge them.`
        : `Camunda ${cleanText(measurement.engineVersion ?? '(version unknown)', 40)} records no creation time of external tasks (from 7.21 on): ` +
            'the age of waiting tasks is unknown, so the worker-gone rule (--stale) cannot fire; use -w/-c on waiting tasks instead.',
    );
  }
  if (judged.some((t) => !t.figures.retryingComplete)) {
    details.push(`retrying counts the first ${RETRY_SAMPLE} tasks per topic that were ever locked; more exist, so it is a lower bound.`);
  }

  return {
    state: worst([...judged.map((t) => t.state), ...missing.map((m) => m.state)]),
    summary: summary.join(PART_SEPARATOR),
    perfdata,
    details,
  };
}

export const externalTasksCheck = camundaPlugin<ExternalTasksOptions>({
  prefix: 'CAMUNDA EXTERNAL TASKS',
  commandLine: {
    command: 'check_camunda_external_tasks',
    description:
      'Are the external task workers doing their work? Per topic: tasks waiting for a worker, locked by one, whose lock ' +
      'ran out, failed (no retries left) and retrying, and how long the oldest has waited. CRITICAL when tasks wait ' +
      'longer than --stale while no task of the topic is locked: no worker fetches that topic (a dead worker fails nothing in the engine).',
    examples: [
      ['$0 --url http://camunda:8080/engine-rest', 'every topic; CRITICAL when a topic has no worker for 5 minutes, WARNING on any failed task'],
      ['$0 --topic send-mail --topic invoice-archive --stale 15m', 'two topics, a slower worker'],
      ['$0 -k invoice -w 100 -c 1000 --oldest-waiting-age-critical 3600', "one process definition's tasks, backlog and age thresholds"],
      ['$0 --topic send-mail --missing-state ok', 'a topic that may be idle without tasks'],
    ],
    epilogue: [
      'Performance data, per topic (TOPIC: the topic name, sanitized):',
      '  TOPIC_waiting             fetchable tasks: not locked, active, retries left (-w/-c)',
      '  TOPIC_locked              tasks a worker holds, or backing off after a failure (--locked-warning/-critical)',
      '  TOPIC_expired_locks       waiting tasks whose lock ran out (--expired-locks-warning/-critical)',
      '  TOPIC_failed              tasks without retries left, each an incident (--failed-warning/-critical)',
      '  TOPIC_retrying            tasks that failed and still have retries (--retrying-warning/-critical)',
      '  TOPIC_oldest_waiting_age  seconds, the oldest waiting task (Camunda 7.21+; --oldest-waiting-age-warning/-critical)',
      `At most ${DEFAULTS.perfdataBudget} bytes of perfdata (about 40 topics); the long output says when some are left out.`,
      '',
      'Requests: 2, plus 5 per topic (6 when tasks wait), times the --process-definition-key values.',
      '',
      EXIT_CODES,
    ].join('\n'),
    options,
    toOptions,
  },
  async check(options, context: RunContext) {
    const client = createCamundaClient(options.connection, context);
    const now = new Date();
    return evaluateExternalTasks(await measure(client, options, now), options, now);
  },
});
