import type { Argv } from 'yargs';
import { createCamundaClient, type CamundaClient } from '../camunda/client';
import type { ConnectionOptions } from '../camunda/connection';
import { processInstanceLink } from '../camunda/cockpit';
import { describeDefinition, keysAndVersionsById, requireDeployedKeys, type KeyAndVersion } from '../camunda/definitions';
import { unreadableDateError } from '../camunda/errors';
import { countFailures, failuresOf, type Failure } from '../camunda/failures';
import { combinations, countIncidents, listIncidents, MAX_COMBINATIONS, type DatedIncident, type IncidentFilter } from '../camunda/incidents';
import { cockpitUrlOption, integerOption, lastString, optionKey, spanOption, stringList, thresholdOptions, type Args } from '../cli/args';
import { EXIT_CODES, FILTER_GROUP, outputOptions, THRESHOLD_GROUP, VALUE } from '../cli/check-options';
import { connectionFromArgs, connectionOptions } from '../cli/connection';
import { camundaPlugin } from '../cli/plugin';
import { UsageError } from '../plugin/errors';
import { formatDuration, formatExactDuration, secondsSince } from '../plugin/duration';
import { annotate, judge, type Metric } from '../plugin/metric';
import type { PluginOutput } from '../plugin/output';
import type { Thresholds } from '../plugin/range';
import type { RunContext } from '../plugin/run';
import { State, worst } from '../plugin/state';
import { cleanText, describeFilters, plural } from '../plugin/text';

/*
 * check_camunda_incidents answers: are there open incidents, and are there new ones?
 * All incidents go into one result (one notification, not one per process instance), with
 * the newest listed in the long output and linked into Cockpit.
 */

export interface IncidentsOptions {
  readonly connection: ConnectionOptions;
  readonly filter: IncidentFilter;
  readonly newWindowSeconds: number;
  readonly list: number;
  readonly cockpitUrl?: string | undefined;
  readonly thresholds: {
    readonly incidents: Thresholds;
    readonly newIncidents: Thresholds;
    readonly oldestAge: Thresholds;
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
    .option('new-window', { ...VALUE, group: THRESHOLD_GROUP, describe: 'An incident created within this time counts as new (90, 90s, 15m, 2h, 1d)', defaultDescription: DEFAULTS.newWindow })
    .option('process-definition-key', { ...list, alias: 'k', describe: 'Only incidents of this process definition, all its versions' })
    .option('incident-type', { ...list, describe: 'Only this incident type: failedJob, failedExternalTask or a custom type' })
    .option('tenant-id', { ...list, describe: 'Only incidents of this tenant' })
    .option('activity-id', { ...list, describe: 'Only incidents at this activity (BPMN element id)' });
  return outputOptions(checkOptions, { listed: 'of the newest incidents', linked: 'incident', list: DEFAULTS.list, maxList: DEFAULTS.maxList });
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
    cockpitUrl: cockpitUrlOption(args),
    thresholds: {
      incidents: thresholdOptions(args, '', { warning: DEFAULTS.warning }),
      newIncidents: thresholdOptions(args, 'new'),
      oldestAge: thresholdOptions(args, 'oldest'),
      failures,
    },
  };
}

/** What the engine told us; everything the judgement and the output need. */
interface IncidentsMeasurement {
  readonly open: number;
  readonly new: number;
  readonly oldest: DatedIncident | undefined;
  readonly newest: readonly DatedIncident[];
  /** The failures behind the newest incidents, each once, at its root cause. */
  readonly failures: readonly Failure[];
  /** Open failures counted once across call levels; undefined when not asked for. */
  readonly failureCount: number | undefined;
  readonly definitions: ReadonlyMap<string, KeyAndVersion>;
}

async function measure(client: CamundaClient, options: IncidentsOptions, now: Date): Promise<IncidentsMeasurement> {
  const newSince = new Date(now.getTime() - options.newWindowSeconds * 1000);
  const { processDefinitionKeys, tenantIds } = options.filter;
  const [open, recent, failureCount] = await Promise.all([
    countIncidents(client, options.filter),
    countIncidents(client, options.filter, newSince),
    options.thresholds.failures ? countFailures(client, options.filter) : undefined,
    requireDeployedKeys(client, processDefinitionKeys, tenantIds),
  ]);
  if (open === 0) return { open, new: recent, oldest: undefined, newest: [], failures: [], failureCount, definitions: new Map() };

  // When the listed incidents are all there are, the oldest is among them: no extra request.
  const listed = Math.min(options.list, open);
  const oldestNeedsQuery = listed < open;
  const [newest, oldestList] = await Promise.all([
    listIncidents(client, options.filter, 'desc', listed),
    oldestNeedsQuery ? listIncidents(client, options.filter, 'asc', 1) : Promise.resolve([]),
  ]);
  const oldest = oldestNeedsQuery ? oldestList[0] : newest[newest.length - 1];
  if (oldest && !oldest.createdAt) {
    throw unreadableDateError("the oldest incident's time", oldest.incidentTimestamp);
  }
  const failures = await failuresOf(client, newest, options.filter, listed, open);
  const definitions = await keysAndVersionsById(client, failures.flatMap((f) => [f.rootCause, f.top]));
  return { open, new: recent, oldest, newest, failures, failureCount, definitions };
}

function ageSeconds(incident: DatedIncident | undefined, now: Date): number {
  return secondsSince(incident?.createdAt, now);
}

/**
 * A failure where it happened (retry there) and, for a called instance, the top-level process
 * instance (cancel there): a calling level's copy never stands for the failure.
 */
function describeFailure({ rootCause, top, levels }: Failure, options: IncidentsOptions, definitions: ReadonlyMap<string, KeyAndVersion>, now: Date): string {
  const where = describeDefinition(rootCause, definitions);
  const activity = cleanText(rootCause.failedActivityId || rootCause.activityId || 'unknown activity', 80);
  const age = rootCause.createdAt ? `${formatDuration(ageSeconds(rootCause, now))} ago` : 'at unknown time';
  const message = cleanText(rootCause.incidentMessage || '(no message)', 160);
  const link = processInstanceLink(options.cockpitUrl, rootCause.processInstanceId, 'incidents-tab');
  const failure = `${cleanText(rootCause.incidentType ?? 'incident', 60)} in ${where} at ${activity}, ${age}: ${message}${link}`;
  if (levels === 0 || top === rootCause) return failure;
  const topLink = processInstanceLink(options.cockpitUrl, top.processInstanceId);
  const calls = `${levels} call ${levels === 1 ? 'level' : 'levels'}`;
  return `${failure}; called (${calls}) from ${describeDefinition(top, definitions)}, top-level instance ${cleanText(top.processInstanceId ?? '?', 60)}${topLink}`;
}

function describeFilter(filter: IncidentFilter): string | undefined {
  return describeFilters([
    ['process definition', filter.processDefinitionKeys],
    ['type', filter.incidentTypes],
    ['tenant', filter.tenantIds],
    ['activity', filter.activityIds],
  ]);
}

export function evaluateIncidents(measurement: IncidentsMeasurement, options: IncidentsOptions, now: Date): PluginOutput {
  const { thresholds } = options;
  const window = formatExactDuration(options.newWindowSeconds);
  const oldestAge = ageSeconds(measurement.oldest, now);
  const incidents: Metric = { label: 'incidents', value: measurement.open, ...thresholds.incidents, min: 0 };
  const newIncidents: Metric = { label: 'new_incidents', value: measurement.new, ...thresholds.newIncidents, min: 0 };
  const oldest: Metric = { label: 'oldest_incident_age', value: oldestAge, unit: 's', ...thresholds.oldestAge, min: 0 };
  const failures: Metric | undefined =
    measurement.failureCount === undefined ? undefined : { label: 'failures', value: measurement.failureCount, ...thresholds.failures, min: 0 };
  // Without incidents the age 0 is a placeholder for the graph, not a measurement to judge.
  const states = {
    incidents: judge(incidents),
    new: judge(newIncidents),
    oldest: measurement.open > 0 ? judge(oldest) : State.OK,
    failures: failures ? judge(failures) : State.OK,
  };
  const failuresSummary = failures && measurement.open > 0 ? [annotate(plural(failures.value, 'failure'), states.failures)] : [];

  const summary =
    measurement.open === 0
      ? [annotate('no open incidents', states.incidents), ...(states.new !== State.OK ? [annotate(`0 new in the last ${window}`, states.new)] : [])]
      : [
          annotate(plural(measurement.open, 'open incident'), states.incidents),
          ...failuresSummary,
          annotate(`${measurement.new} new in the last ${window}`, states.new),
          annotate(`oldest ${formatDuration(oldestAge)}`, states.oldest),
        ];

  const details: string[] = [];
  const filter = describeFilter(options.filter);
  if (filter) details.push(filter);
  if (measurement.failures.length > 0) {
    const read = measurement.newest.length;
    details.push(
      read < measurement.open
        ? `Failures at their root cause, newest first (behind the newest ${read} of ${measurement.open} open incidents):`
        : 'Failures at their root cause, newest first:',
    );
    for (const failure of measurement.failures) details.push(describeFailure(failure, options, measurement.definitions, now));
  }
  return {
    state: worst(Object.values(states)),
    summary: summary.join(', '),
    perfdata: [incidents, newIncidents, oldest, ...(failures ? [failures] : [])],
    details,
  };
}

export const incidentsCheck = camundaPlugin<IncidentsOptions>({
  prefix: 'CAMUNDA INCIDENTS',
  commandLine: {
    command: 'check_camunda_incidents',
    description:
      'Are there open incidents in the Camunda engine, and are there new ones? Counts open incidents (all versions of ' +
      'every process definition unless filtered), those created within --new-window and the age of the oldest, and ' +
      'lists the newest in the long output with links into Cockpit. One alert for all incidents, not one per instance.',
    examples: [
      ['$0 --url http://camunda:8080/engine-rest', 'WARNING on any open incident (the default)'],
      ['$0 --url http://camunda:8080/engine-rest -w 0 -c 10 --new-critical 0', 'CRITICAL on more than 10 open incidents or any new one'],
      ['$0 -k invoice -k order --cockpit-url https://camunda/camunda/app/cockpit/default', "one team's definitions (all versions), with Cockpit links"],
      ['CAMUNDA_PASSWORD=secret $0 --username monitor', 'Basic authentication without the password on the command line'],
    ],
    epilogue: [
      'Performance data:',
      '  incidents            open incidents matching the filters (-w/-c)',
      '  new_incidents        of those, created within --new-window (--new-warning/--new-critical)',
      '  oldest_incident_age  age of the oldest open incident in seconds, 0 without incidents (--oldest-warning/--oldest-critical)',
      '  failures             open incidents that are root causes: a failure in a called instance counted once,',
      '                       not once per call activity level; only with --failures-warning/--failures-critical',
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
