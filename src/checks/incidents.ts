import type { Argv } from 'yargs';
import { createCamundaClient, type CamundaClient } from '../camunda/client';
import type { ConnectionOptions } from '../camunda/connection';
import { processInstanceLink } from '../camunda/cockpit';
import { describeDefinition, keysAndVersionsById, requireDeployedKeys, type KeyAndVersion } from '../camunda/definitions';
import { unreadableDateError } from '../camunda/errors';
import { countFailures, type Failure } from '../camunda/failures';
import { CAUSE_BUDGET, COPIES_AMONG_NOTE, DEFAULT_MAX_CAUSES, describeCauses, findIncidentCauses, MAX_MAX_CAUSES, type IncidentCause, type IncidentCauses } from '../camunda/incident-causes';
import { combinations, countIncidents, incidentQueries, MAX_COMBINATIONS, type DatedIncident, type IncidentFilter } from '../camunda/incidents';
import { countPerQuery } from '../camunda/queries';
import { cockpitUrlOption, integerOption, lastString, optionKey, spanOption, stringList, thresholdOptions, type Args } from '../cli/args';
import { EXIT_CODES, FILTER_GROUP, OUTPUT_GROUP, outputOptions, THRESHOLD_GROUP, VALUE } from '../cli/check-options';
import { connectionFromArgs, connectionOptions } from '../cli/connection';
import { camundaPlugin } from '../cli/plugin';
import { UsageError } from '../plugin/errors';
import { formatDuration, formatExactDuration, secondsSince } from '../plugin/duration';
import { annotate, judge, type Metric } from '../plugin/metric';
import { cutAtWord, MAX_STATUS_CHARS, type PluginOutput } from '../plugin/output';
import type { Thresholds } from '../plugin/range';
import type { RunContext } from '../plugin/run';
import { State, worst } from '../plugin/state';
import { cleanText, describeFilters, plural } from '../plugin/text';

/*
 * check_camunda_incidents answers: are there open incidents, how many different problems are
 * they, and is one of them new? All incidents go into one result (one notification, not one per
 * process instance), grouped by cause in the long output (src/camunda/incident-causes.ts), each
 * cause counted exactly and linked into Cockpit.
 */

export interface IncidentsOptions {
  readonly connection: ConnectionOptions;
  readonly filter: IncidentFilter;
  readonly newWindowSeconds: number;
  /** Causes shown in the long output. */
  readonly list: number;
  /** Causes counted exactly at most. */
  readonly maxCauses: number;
  readonly cockpitUrl?: string | undefined;
  readonly thresholds: {
    readonly incidents: Thresholds;
    readonly newIncidents: Thresholds;
    readonly oldestAge: Thresholds;
    readonly causes: Thresholds;
    readonly newCauses: Thresholds;
    /** Undefined: failures are not counted (it costs a statistics request). */
    readonly failures: Thresholds | undefined;
  };
}

export const DEFAULTS = {
  /** Camunda's advice: somebody must be told about every incident. */
  warning: '0',
  newWindow: '15m',
  list: 10,
  /** More lines than this do not fit into Nagios' 8 KiB anyway; the bound keeps every answer small. */
  maxList: 100,
} as const;

function options(argv: Argv): Argv {
  const list = { ...VALUE, group: FILTER_GROUP } as const;
  const checkOptions = connectionOptions(argv)
    .option('warning', { ...VALUE, alias: 'w', group: THRESHOLD_GROUP, describe: "Range for open incidents (Camunda's count: one per call activity level)", defaultDescription: `${DEFAULTS.warning} (any open incident)` })
    .option('critical', { ...VALUE, alias: 'c', group: THRESHOLD_GROUP, describe: "Range for open incidents (Camunda's count: one per call activity level)", defaultDescription: 'none' })
    .option('new-warning', { ...VALUE, group: THRESHOLD_GROUP, describe: 'Range for incidents created within --new-window', defaultDescription: 'none' })
    .option('new-critical', { ...VALUE, group: THRESHOLD_GROUP, describe: 'Range for incidents created within --new-window', defaultDescription: 'none' })
    .option('oldest-warning', { ...VALUE, group: THRESHOLD_GROUP, describe: 'Range in seconds for the age of the oldest open incident', defaultDescription: 'none' })
    .option('oldest-critical', { ...VALUE, group: THRESHOLD_GROUP, describe: 'Range in seconds for the age of the oldest open incident', defaultDescription: 'none' })
    .option('failures-warning', { ...VALUE, group: THRESHOLD_GROUP, describe: 'Range for failures: open incidents counted once across call activity levels (one more request, see the manual)', defaultDescription: 'not counted' })
    .option('failures-critical', { ...VALUE, group: THRESHOLD_GROUP, describe: 'Range for failures, counted once across call activity levels', defaultDescription: 'not counted' })
    .option('causes-warning', { ...VALUE, group: THRESHOLD_GROUP, describe: 'Range for the number of causes (same definition key, activity, type and masked message)', defaultDescription: 'none' })
    .option('causes-critical', { ...VALUE, group: THRESHOLD_GROUP, describe: 'Range for the number of causes', defaultDescription: 'none' })
    .option('new-causes-warning', { ...VALUE, group: THRESHOLD_GROUP, describe: 'Range for causes whose first incident lies within --new-window', defaultDescription: 'none' })
    .option('new-causes-critical', { ...VALUE, group: THRESHOLD_GROUP, describe: 'Range for causes whose first incident lies within --new-window', defaultDescription: 'none' })
    .option('new-window', { ...VALUE, group: THRESHOLD_GROUP, describe: 'An incident created within this time counts as new (90, 90s, 15m, 2h, 1d)', defaultDescription: DEFAULTS.newWindow })
    .option('process-definition-key', { ...list, alias: 'k', describe: 'Only incidents of this process definition, all its versions' })
    .option('incident-type', { ...list, describe: 'Only this incident type: failedJob, failedExternalTask or a custom type' })
    .option('tenant-id', { ...list, describe: 'Only incidents of this tenant' })
    .option('activity-id', { ...list, describe: 'Only incidents at this activity (BPMN element id)' });
  return outputOptions(checkOptions, { listed: 'causes, largest first,', linked: 'cause', list: DEFAULTS.list, maxList: DEFAULTS.maxList }).option('max-causes', {
    ...VALUE,
    group: OUTPUT_GROUP,
    describe: `How many causes are counted exactly at most (1 to ${MAX_MAX_CAUSES}; each costs one to four requests)`,
    defaultDescription: String(DEFAULT_MAX_CAUSES),
  });
}

function toOptions(args: Args): IncidentsOptions {
  const newWindowSeconds = spanOption(args, 'new-window', DEFAULTS.newWindow);
  const filter: IncidentFilter = {
    processDefinitionKeys: stringList(args, 'process-definition-key'),
    incidentTypes: stringList(args, 'incident-type'),
    tenantIds: stringList(args, 'tenant-id'),
    activityIds: stringList(args, 'activity-id'),
  };
  if (combinations(filter) > MAX_COMBINATIONS) {
    throw new UsageError(
      `${filter.incidentTypes.length} --incident-type × ${filter.activityIds.length} --activity-id values need ${combinations(filter)} queries ` +
        `(Camunda takes one of each per query); at most ${MAX_COMBINATIONS}: split the check into several services`,
    );
  }
  // Counting failures costs a statistics request: only when a threshold asks for them.
  const failuresAsked = ['failures-warning', 'failures-critical'].some((option) => lastString(args, optionKey(option)) !== undefined);
  const failures = failuresAsked ? thresholdOptions(args, 'failures') : undefined;
  if (failures && filter.activityIds.length > 0) {
    throw new UsageError('--failures-warning/--failures-critical cannot be combined with --activity-id: Camunda counts root incidents per process definition and type only');
  }
  return {
    connection: connectionFromArgs(args),
    filter,
    newWindowSeconds,
    list: integerOption(args, 'list', 0, DEFAULTS.maxList) ?? DEFAULTS.list,
    maxCauses: integerOption(args, 'max-causes', 1, MAX_MAX_CAUSES) ?? DEFAULT_MAX_CAUSES,
    cockpitUrl: cockpitUrlOption(args),
    thresholds: {
      incidents: thresholdOptions(args, '', { warning: DEFAULTS.warning }),
      newIncidents: thresholdOptions(args, 'new'),
      oldestAge: thresholdOptions(args, 'oldest'),
      causes: thresholdOptions(args, 'causes'),
      newCauses: thresholdOptions(args, 'new-causes'),
      failures,
    },
  };
}

/** What the engine told us; everything the judgement and the output need. */
interface IncidentsMeasurement {
  readonly open: number;
  readonly new: number;
  readonly oldest: DatedIncident | undefined;
  /** The open incidents by cause; undefined without incidents. */
  readonly causes: IncidentCauses | undefined;
  /** The failure behind each listed cause's newest incident, in the order of the causes. */
  readonly failures: readonly Failure[];
  /** Open failures counted once across call levels; undefined when not asked for. */
  readonly failureCount: number | undefined;
  readonly definitions: ReadonlyMap<string, KeyAndVersion>;
}

async function measure(client: CamundaClient, options: IncidentsOptions, now: Date): Promise<IncidentsMeasurement> {
  const newSince = new Date(now.getTime() - options.newWindowSeconds * 1000);
  const { processDefinitionKeys, tenantIds } = options.filter;
  const [openPerCombination, recent, failureCount] = await Promise.all([
    countPerQuery(client, '/incident/count', incidentQueries(options.filter)),
    countIncidents(client, options.filter, newSince),
    options.thresholds.failures ? countFailures(client, options.filter) : undefined,
    requireDeployedKeys(client, processDefinitionKeys, tenantIds),
  ]);
  const open = openPerCombination.reduce((sum, count) => sum + count, 0);
  if (open === 0) return { open, new: recent, oldest: undefined, causes: undefined, failures: [], failureCount, definitions: new Map() };

  const budget = { ...CAUSE_BUDGET, maxCounted: options.maxCauses, described: options.list };
  const causes = await findIncidentCauses(client, options.filter, openPerCombination, newSince, budget);
  const oldest = causes.oldest;
  if (oldest && !oldest.createdAt) {
    throw unreadableDateError("the oldest incident's time", oldest.incidentTimestamp);
  }
  const failures = await describeCauses(client, causes.causes, options.list);
  const unnamed = failures.flatMap((f) => [f.rootCause, f.top]).filter((i) => !causes.definitions.has(i.processDefinitionId ?? ''));
  const definitions = new Map([...causes.definitions, ...(await keysAndVersionsById(client, unnamed))]);
  return { open, new: recent, oldest, causes, failures, failureCount, definitions };
}

function ageSeconds(incident: DatedIncident | undefined, now: Date): number {
  return secondsSince(incident?.createdAt, now);
}

/** The cause's definition key; a failed batch job's incident has no process definition. */
const causeKey = (cause: IncidentCause, max: number): string => cleanText(cause.place.key ?? (cause.place.definitionId || 'no process definition'), max);

/** `invoice (v2, v3) [tenant acme]`: the cause's key with the versions and tenants seen in the samples. */
function causeDefinition(cause: IncidentCause): string {
  const key = causeKey(cause, 80);
  const versions = cause.versions.length ? ` (${shortList(cause.versions.map((v) => `v${v}`))})` : '';
  const tenants = cause.tenants.length ? ` [tenant ${shortList(cause.tenants.map((t) => cleanText(t, 40)))}]` : '';
  return `${key}${versions}${tenants}`;
}

function shortList(items: readonly string[], max = 5): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

/** `failedJob in invoice (v2, v3) at ServiceTask_PostToSAP`. */
function causePlace(cause: IncidentCause): string {
  const activity = cleanText(cause.place.failedActivityId || cause.place.activityId || 'unknown activity', 80);
  return `${cleanText(cause.place.incidentType || 'incident', 60)} in ${causeDefinition(cause)} at ${activity}`;
}

/** The message an operator reads: the newest incident's (a copy's is its root cause's). */
function causeMessage(cause: IncidentCause, failure: Failure | undefined, maxLength: number): string {
  const message = (cause.rootCause ?? failure?.rootCause ?? cause.newest).incidentMessage;
  return cleanText(message || '(no message)', maxLength);
}

/** `since 2h 10m (newest 1m ago)`, `6m ago (new)`: the cause's first and newest incident. */
function causeAge(cause: IncidentCause, now: Date): string {
  const first = cause.firstAt ? secondsSince(cause.firstAt, now) : undefined;
  const newest = cause.newestKnown && cause.newest.createdAt ? secondsSince(cause.newest.createdAt, now) : undefined;
  const marker = cause.isNew ? ' (new)' : '';
  if (first === undefined) return `first incident at unknown time${marker}`;
  if (cause.count === 1 || newest === undefined || formatDuration(newest) === formatDuration(first)) {
    return `${cause.count === 1 ? `${formatDuration(first)} ago` : `since ${formatDuration(first)}`}${marker}`;
  }
  return `since ${formatDuration(first)} (newest ${formatDuration(newest)} ago)${marker}`;
}

/**
 * One cause: count, where, since when, the newest incident's message and the Cockpit link where to
 * retry; for a failure in a called instance, the top-level instance (where to cancel), and for
 * copies whose root cause lies outside the filter, where the failure really happened.
 */
function describeCause(cause: IncidentCause, failure: Failure | undefined, options: IncidentsOptions, definitions: ReadonlyMap<string, KeyAndVersion>, now: Date): string {
  const head = `${cause.count} × ${causePlace(cause)} ${causeAge(cause, now)}`;
  const root = failure?.rootCause ?? cause.rootCause ?? cause.newest;
  const link = processInstanceLink(options.cockpitUrl, root.processInstanceId, 'incidents-tab');
  const at = cause.kind === 'called' ? `in called ${describeDefinition(root, definitions)} at ${cleanText(root.failedActivityId || root.activityId || '?', 80)}: ` : '';
  const line = `${head}: ${at}${causeMessage(cause, failure, 160)}${cause.copiesAmong ? COPIES_AMONG_NOTE : ''}${link}`;
  if (!failure || failure.levels === 0 || failure.top === failure.rootCause) return line;
  const topLink = processInstanceLink(options.cockpitUrl, failure.top.processInstanceId);
  const calls = `${failure.levels} call ${failure.levels === 1 ? 'level' : 'levels'}`;
  return `${line}; called (${calls}) from ${describeDefinition(failure.top, definitions)}, top-level instance ${cleanText(failure.top.processInstanceId ?? '?', 60)}${topLink}`;
}

function describeFilter(filter: IncidentFilter): string | undefined {
  return describeFilters([
    ['process definition', filter.processDefinitionKeys],
    ['type', filter.incidentTypes],
    ['tenant', filter.tenantIds],
    ['activity', filter.activityIds],
  ]);
}

/** The causes as numbers: counted and seen ones, and whether there may be more than that. */
function causeFigures(causes: IncidentCauses | undefined) {
  if (!causes) return { total: 0, newCauses: 0, totalAtLeast: false, newAtLeast: false };
  // Incidents with a message in no counted cause, and no uncounted cause seen to hold them: one unseen at least.
  const unseen = causes.unassigned > 0 && causes.uncounted === 0 ? 1 : 0;
  return {
    total: causes.causes.length + causes.uncounted + unseen,
    newCauses: causes.causes.filter((c) => c.isNew).length,
    totalAtLeast: causes.unassigned > 0,
    newAtLeast: causes.uncounted > 0 || causes.unassigned > 0,
  };
}

/** The status line names the largest cause, its message cut to what the line has room for. */
function largestCause(causes: IncidentCauses | undefined, failure: Failure | undefined, room: number): string | undefined {
  const largest = causes?.causes[0];
  if (!largest) return undefined;
  const activity = cleanText(largest.place.failedActivityId || largest.place.activityId || 'unknown activity', 60);
  const place = `${cleanText(largest.place.incidentType || 'incident', 40)} in ${causeKey(largest, 60)} at ${activity}`;
  const head = `${causes.causes.length > 1 || causes.uncounted > 0 ? 'largest ' : ''}${largest.count} × ${place}`;
  // A message cut to a few words says nothing: then the place alone, and the long output has the
  // message; without room for the place either, the long output alone names the largest cause.
  if (room - head.length >= 30) return `${head}: ${cutAtWord(causeMessage(largest, failure, 400), room - head.length - 2)}`;
  return head.length <= room ? head : undefined;
}

/** What the long output says when not every incident is in a counted cause: never a guess. */
function incompleteness(causes: IncidentCauses, options: IncidentsOptions, total: number): string[] {
  if (causes.unassigned > 0) {
    const why = causes.uncounted > 0 ? `${plural(causes.uncounted, 'more cause')} seen beyond --max-causes ${options.maxCauses}` : 'in causes the samples did not show';
    return [`${causes.unassigned} of the ${causes.withMessage} open incidents with a message are in no counted cause (${why}): at least ${plural(total, 'cause')}, the counts above are exact`];
  }
  if (causes.uncounted > 0) return [`${plural(causes.uncounted, 'more cause')} without message seen but not counted (--max-causes ${options.maxCauses})`];
  return [];
}

/** Incidents without message in no counted cause: said, and what they may be, since the API cannot tell. */
function withoutMessageNote(causes: IncidentCauses): string[] {
  if (causes.unassignedWithoutMessage === 0) return [];
  const what = causes.copiesAmongUnassigned
    ? "calling levels' copies of failures in called instances (each counted once, at its root cause) or failures without message the samples did not show"
    : 'in causes not counted';
  return [`${causes.unassignedWithoutMessage} of the ${causes.withoutMessage} open incidents without message are in no counted cause: ${what}`];
}

export function evaluateIncidents(measurement: IncidentsMeasurement, options: IncidentsOptions, now: Date): PluginOutput {
  const { thresholds } = options;
  const window = formatExactDuration(options.newWindowSeconds);
  const oldestAge = ageSeconds(measurement.oldest, now);
  const figures = causeFigures(measurement.causes);
  const incidents: Metric = { label: 'incidents', value: measurement.open, ...thresholds.incidents, min: 0 };
  const newIncidents: Metric = { label: 'new_incidents', value: measurement.new, ...thresholds.newIncidents, min: 0 };
  const oldest: Metric = { label: 'oldest_incident_age', value: oldestAge, unit: 's', ...thresholds.oldestAge, min: 0 };
  const failures: Metric | undefined =
    measurement.failureCount === undefined ? undefined : { label: 'failures', value: measurement.failureCount, ...thresholds.failures, min: 0 };
  const causes: Metric = { label: 'causes', value: figures.total, ...thresholds.causes, min: 0 };
  const newCauses: Metric = { label: 'new_causes', value: figures.newCauses, ...thresholds.newCauses, min: 0 };
  // Without incidents the age 0 is a placeholder for the graph, not a measurement to judge.
  const states = {
    incidents: judge(incidents),
    new: judge(newIncidents),
    oldest: measurement.open > 0 ? judge(oldest) : State.OK,
    failures: failures ? judge(failures) : State.OK,
    causes: judge(causes),
    newCauses: judge(newCauses),
  };
  const failuresSummary = failures && measurement.open > 0 ? [annotate(plural(failures.value, 'failure'), states.failures)] : [];
  const newCausesSummary =
    figures.newCauses > 0 || states.newCauses !== State.OK ? [annotate(`${figures.newAtLeast && figures.newCauses > 0 ? 'at least ' : ''}${plural(figures.newCauses, 'new cause')}`, states.newCauses)] : [];

  const parts =
    measurement.open === 0
      ? [
          annotate('no open incidents', states.incidents),
          ...(states.new !== State.OK ? [annotate(`0 new in the last ${window}`, states.new)] : []),
          ...(states.causes !== State.OK ? [annotate('0 causes', states.causes)] : []),
          ...newCausesSummary,
        ]
      : [
          annotate(plural(measurement.open, 'open incident'), states.incidents),
          ...failuresSummary,
          annotate(`${measurement.new} new in the last ${window}`, states.new),
          annotate(`oldest ${formatDuration(oldestAge)}`, states.oldest),
          annotate(`${figures.totalAtLeast ? 'at least ' : ''}${plural(figures.total, 'cause')}`, states.causes),
          ...newCausesSummary,
        ];
  const figuresText = parts.join(', ');
  // Room left on the status line after `CAMUNDA INCIDENTS CRITICAL - ` and the figures.
  const room = MAX_STATUS_CHARS - 'CAMUNDA INCIDENTS CRITICAL - '.length - figuresText.length - 2;
  const largest = largestCause(measurement.causes, measurement.failures[0], room);
  const summary = largest ? `${figuresText}: ${largest}` : figuresText;

  const details: string[] = [];
  const filter = describeFilter(options.filter);
  if (filter) details.push(filter);
  const found = measurement.causes;
  if (found && found.causes.length > 0 && options.list > 0) {
    details.push('Causes, largest first:');
    found.causes.slice(0, options.list).forEach((cause, i) => details.push(describeCause(cause, measurement.failures[i], options, measurement.definitions, now)));
    if (found.causes.length > options.list) details.push(`${plural(found.causes.length - options.list, 'more cause')} not shown (--list ${options.list})`);
  }
  if (found) details.push(...incompleteness(found, options, figures.total), ...withoutMessageNote(found));
  return {
    state: worst(Object.values(states)),
    summary,
    perfdata: [incidents, newIncidents, oldest, ...(failures ? [failures] : []), causes, newCauses],
    details,
  };
}

export const incidentsCheck = camundaPlugin<IncidentsOptions>({
  prefix: 'CAMUNDA INCIDENTS',
  commandLine: {
    command: 'check_camunda_incidents',
    description:
      'Are there open incidents in the Camunda engine, how many different problems are they, and is one new? Counts ' +
      'open incidents (all versions of every process definition unless filtered), those created within --new-window, ' +
      'the age of the oldest, and groups them by cause (definition key, activity, type and the message with its ' +
      'variable parts masked), each counted exactly, largest first, with links into Cockpit. One alert for all ' +
      'incidents, not one per instance.',
    examples: [
      ['$0 --url http://camunda:8080/engine-rest', 'WARNING on any open incident (the default)'],
      ['$0 --url http://camunda:8080/engine-rest -w 0 -c 10 --new-critical 0', 'CRITICAL on more than 10 open incidents or any new one'],
      ['$0 -k invoice -k order --cockpit-url https://camunda/camunda/app/cockpit/default', "one team's definitions (all versions), with Cockpit links"],
      ['$0 --url http://camunda:8080/engine-rest -w "" --new-causes-critical 0', 'CRITICAL on a new kind of problem, not on volume'],
      ['CAMUNDA_PASSWORD=secret $0 --username monitor', 'Basic authentication without the password on the command line'],
    ],
    epilogue: [
      'Performance data:',
      '  incidents            open incidents matching the filters (-w/-c)',
      '  new_incidents        of those, created within --new-window (--new-warning/--new-critical)',
      '  oldest_incident_age  age of the oldest open incident in seconds, 0 without incidents (--oldest-warning/--oldest-critical)',
      '  failures             open incidents that are root causes: a failure in a called instance counted once,',
      '                       not once per call activity level; only with --failures-warning/--failures-critical',
      '  causes               causes of the open incidents (definition key, activity, type, masked message), a failure in a called instance at its root cause; at least this many when not all could be counted (--causes-warning/--causes-critical)',
      '  new_causes           causes whose first incident lies within --new-window (--new-causes-warning/--new-causes-critical)',
      '',
      EXIT_CODES,
    ].join('\n'),
    options,
    toOptions,
  },
  async check(options, context: RunContext) {
    const client = createCamundaClient(options.connection, context);
    const now = new Date();
    return evaluateIncidents(await measure(client, options, now), options, now);
  },
});
