import type { Argv } from 'yargs';
import { createCamundaClient, type CamundaClient } from '../camunda/client';
import type { ConnectionOptions } from '../camunda/connection';
import { countFigures, latestDefinitions } from '../camunda/definition-counts';
import { compareDefinitions, countTasks, definitionLabelStems, describeDefinition, forSelectedTenants, TASK_COUNTS_IN_FLIGHT, tenantsByKey, type DefinitionFigures, type DefinitionSelection } from '../camunda/definitions';
import { COPIES_AMONG_NOTE, findIncidentCauses, requestBound, type CauseBudget, type IncidentCause, type IncidentCauses } from '../camunda/incident-causes';
import { groupStatistics, readDefinitionStatistics } from '../camunda/statistics';
import { stringList, thresholdOptions, type Args } from '../cli/args';
import { choiceOption, definitionsPerfdata, missingKeyText, missingStateOption, SELECTION_GROUP, selectionFromArgs, selectionOptions } from '../cli/selection';
import { EXIT_CODES, THRESHOLD_GROUP, VALUE } from '../cli/check-options';
import { connectionFromArgs, connectionOptions } from '../cli/connection';
import { camundaPlugin } from '../cli/plugin';
import { mapConcurrently } from '../plugin/concurrency';
import { UsageError } from '../plugin/errors';
import { annotate, judge, type Metric } from '../plugin/metric';
import { PART_SEPARATOR, troubleSummary, type PluginOutput } from '../plugin/output';
import type { Thresholds } from '../plugin/range';
import type { RunContext } from '../plugin/run';
import { bySeverity, State, worst } from '../plugin/state';
import { cleanText, plural } from '../plugin/text';

/*
 * check_camunda_definition answers a team's question: how are MY process definitions doing?
 * Per definition (key, per tenant), summed over all deployed versions, because running
 * instances, incidents and failed jobs sit on older versions too: running instances, open
 * incidents, failed jobs and, on request, open user tasks; and a selected key that is not
 * deployed is reported, not silently OK.
 */

export type DefinitionMode = 'statistics' | 'counts';
const MODES: readonly (DefinitionMode | 'auto')[] = ['auto', 'statistics', 'counts'];

export interface DefinitionOptions {
  readonly connection: ConnectionOptions;
  readonly mode: DefinitionMode;
  readonly selection: DefinitionSelection;
  readonly tasks: boolean;
  readonly missingState: State;
  readonly thresholds: {
    readonly instances: Thresholds;
    readonly incidents: Thresholds;
    readonly failedJobs: Thresholds;
    readonly tasks: Thresholds;
  };
}

export const DEFAULTS = {
  mode: 'auto' as DefinitionMode | 'auto',
  /**
   * --mode auto counts per key up to this many keys: a team's service then costs the engine a few
   * indexed counts (one lookup plus three per definition) instead of aggregating every deployed
   * version of every definition (statistics) every few minutes.
   */
  autoCountsMaxKeys: 5,
  /** After a deployment or an update, a definition that is gone is an outage. */
  missingState: State.CRITICAL,
  /** Per-key queries (--mode counts, --tasks) cost requests per key; beyond this a bundle is not "a few keys". */
  maxKeys: 50,
  /** Definitions named one by one in the status line (short enough for a notification); more are counted. */
  namedInStatus: 3,
  /** Bytes of perfdata, so that status line and some long output still fit Nagios' 8 KiB. */
  perfdataBudget: 6144,
  /** Characters of a label before `_instances`: graphing add-ons store labels in file names. */
  maxLabelStem: 100,
  /** Incident types listed per definition in the long output. */
  incidentTypes: 10,
  /**
   * Causes listed under a definition in the long output, the rest counted (`N more causes`): all
   * of them when the newest 50 incidents are all there are, else at most the 3 counted.
   */
  causesShown: 5,
  /** Keys sent as processDefinitionKeyIn when looking for causes; with more, the causes of all keys are sampled. */
  causeKeys: 20,
} as const;

/**
 * The grouping of incidents by cause costs a few requests here, whatever the number of
 * definitions and incidents: the newest 50 incidents of the definitions with incidents, the count
 * of those with a message, and an exact count for each of at most 3 causes found (a second count
 * for incidents without message, a call chain for calling levels' copies whose root cause lies in
 * another definition): typically 3 to 5, at most requestBound(1, DEFINITION_CAUSE_BUDGET) = 11, and none when
 * no definition has incidents. With fewer than 50 open incidents the newest 50 are all of them:
 * every cause is counted in them (findIncidentCauses), one request, and a call chain for each of at
 * most 3 causes of copies whose root cause lies in a definition not selected.
 */
export const DEFINITION_CAUSE_BUDGET: CauseBudget = { maxCounted: 3, pageSize: 50, spreadPages: 0, spreadPageSize: 0, orderedPages: 0, described: 0, dated: false };

function options(argv: Argv): Argv {
  const range = (what: string, note = '') => ({ ...VALUE, group: THRESHOLD_GROUP, describe: `Range for ${what} per definition${note}`, defaultDescription: 'none' });
  return selectionOptions(connectionOptions(argv), DEFAULTS.missingState)
    .option('latest-only', { type: 'boolean', group: SELECTION_GROUP, describe: 'Only the highest version of each definition instead of all versions' })
    .option('mode', {
      ...VALUE,
      group: SELECTION_GROUP,
      describe:
        `How to ask the engine: statistics (one request over every deployed version), counts (count queries per --key, ` +
        `at most ${DEFAULTS.maxKeys}) or auto (counts for 1 to ${DEFAULTS.autoCountsMaxKeys} --key values, else statistics)`,
      defaultDescription: DEFAULTS.mode,
    })
    .option('instances-warning', range('running instances'))
    .option('instances-critical', range('running instances'))
    .option('incidents-warning', { ...range('open incidents'), alias: 'w' })
    .option('incidents-critical', { ...range('open incidents'), alias: 'c' })
    .option('failed-jobs-warning', range('failed jobs (no retries left)'))
    .option('failed-jobs-critical', range('failed jobs (no retries left)'))
    .option('tasks-warning', range('open user tasks', ' (needs --tasks)'))
    .option('tasks-critical', range('open user tasks', ' (needs --tasks)'))
    .option('tasks', { type: 'boolean', group: SELECTION_GROUP, describe: `Also count open user tasks per definition (one request per definition; needs --key, at most ${DEFAULTS.maxKeys})` });
}

function toOptions(args: Args): DefinitionOptions {
  const keys = stringList(args, 'key');
  const chosen = choiceOption(args, 'mode', MODES, DEFAULTS.mode);
  const mode: DefinitionMode = chosen !== 'auto' ? chosen : keys.length >= 1 && keys.length <= DEFAULTS.autoCountsMaxKeys ? 'counts' : 'statistics';
  const tasks = args.tasks === true;
  if (mode === 'counts' && keys.length === 0) {
    throw new UsageError('--mode counts needs --key: every deployed definition at once is what --mode statistics is for');
  }
  if ((mode === 'counts' || tasks) && keys.length > DEFAULTS.maxKeys) {
    throw new UsageError(`${keys.length} --key values: ${mode === 'counts' ? '--mode counts' : '--tasks'} queries each key, at most ${DEFAULTS.maxKeys}: split the check into several services`);
  }
  if (tasks && keys.length === 0) throw new UsageError('--tasks needs --key: it counts the open tasks of each selected definition with a request of its own');
  const taskThresholds = thresholdOptions(args, 'tasks');
  if (!tasks && (taskThresholds.warning || taskThresholds.critical)) throw new UsageError('--tasks-warning and --tasks-critical need --tasks');
  return {
    connection: connectionFromArgs(args),
    mode,
    selection: selectionFromArgs(args, args.latestOnly === true),
    tasks,
    missingState: missingStateOption(args, DEFAULTS.missingState),
    thresholds: {
      instances: thresholdOptions(args, 'instances'),
      incidents: thresholdOptions(args, 'incidents'),
      failedJobs: thresholdOptions(args, 'failed-jobs'),
      tasks: taskThresholds,
    },
  };
}

type MeasuredDefinition = DefinitionFigures & { readonly tasks?: number };

interface DefinitionMeasurement {
  readonly definitions: readonly MeasuredDefinition[];
  /** Selected keys of which no version matches the selection. */
  readonly missingKeys: readonly string[];
  /** The open incidents of the definitions by cause; undefined without incidents. */
  readonly causes?: IncidentCauses | undefined;
}

/**
 * The statistics sum per definition, so they cannot tell a shared definition's rows per tenant:
 * under --tenant-id, the selected keys' shared definitions are counted per tenant as counts mode
 * does (forSelectedTenants), three counts each; without --key, shared definitions are left out.
 */
async function statisticsFigures(client: CamundaClient, selection: DefinitionSelection): Promise<DefinitionFigures[]> {
  const rows = await readDefinitionStatistics(client);
  const figures = groupStatistics(rows, selection);
  if (selection.tenantIds.length === 0 || selection.keys.length === 0) return figures;
  const everyTenant = groupStatistics(rows, { ...selection, tenantIds: [] }).map((f) => ({ key: f.key, tenantId: f.tenantId, id: f.latestId, version: f.latestVersion, name: f.name }));
  const standing = forSelectedTenants(everyTenant, selection.tenantIds).filter((d) => !everyTenant.includes(d));
  if (standing.length === 0) return figures;
  return [...figures, ...(await countFigures(client, standing, selection.latestOnly))].sort(compareDefinitions);
}

async function measure(client: CamundaClient, options: DefinitionOptions): Promise<DefinitionMeasurement> {
  const { selection } = options;
  const figures =
    options.mode === 'statistics'
      ? await statisticsFigures(client, selection)
      : await countFigures(client, await latestDefinitions(client, selection), selection.latestOnly);
  const deployed = new Set(figures.map((f) => f.key));
  const missingKeys = selection.keys.filter((key) => !deployed.has(key));
  const tenantsOfKey = tenantsByKey(figures);
  const [causes, tasks] = await Promise.all([
    incidentCauses(client, figures, selection),
    options.tasks ? mapConcurrently(figures, TASK_COUNTS_IN_FLIGHT, (f) => countTasks(client, f, selection.latestOnly, tenantsOfKey.get(f.key) ?? [])) : undefined,
  ]);
  return { definitions: tasks ? figures.map((f, i) => ({ ...f, tasks: tasks[i]! })) : figures, missingKeys, causes };
}

/** The causes of the definitions' open incidents, with the small budget above; none asked for without incidents. */
async function incidentCauses(client: CamundaClient, figures: readonly DefinitionFigures[], selection: DefinitionSelection): Promise<IncidentCauses | undefined> {
  const withIncidents = figures.filter((f) => f.incidents > 0);
  if (withIncidents.length === 0) return undefined;
  const keys = [...new Set(withIncidents.map((f) => f.key))];
  const filter = { processDefinitionKeys: keys.length <= DEFAULTS.causeKeys ? keys : [], tenantIds: selection.tenantIds, incidentTypes: [], activityIds: [] };
  const open = withIncidents.reduce((sum, f) => sum + f.incidents, 0);
  return findIncidentCauses(client, filter, [open], new Date(), DEFINITION_CAUSE_BUDGET);
}

/** `  2038 × failedJob at ServiceTask_PostToSAP (v2, v3): Connection refused …`, under its definition's line. */
function causeLine(cause: IncidentCause, causes: IncidentCauses, tenants: number): string {
  const activity = cleanText(cause.place.failedActivityId || cause.place.activityId || 'unknown activity', 80);
  const versions = cause.versions.length ? ` (${cause.versions.map((v) => `v${v}`).join(', ')})` : '';
  const called = cause.kind === 'called' && cause.rootCause ? `in called ${describeDefinition(cause.rootCause, causes.definitions)}: ` : '';
  const message = cleanText((cause.rootCause ?? cause.newest).incidentMessage || '(no message)', 120);
  return `  ${cause.count} × ${cleanText(cause.place.incidentType || 'incident', 40)} at ${activity}${versions}${tenants > 1 ? ' (all tenants)' : ''}: ${called}${message}${cause.copiesAmong ? COPIES_AMONG_NOTE : ''}`;
}

/** The cause lines of `key` (at most DEFAULTS.causesShown and a count of the rest). */
function causeLines(key: string, causes: IncidentCauses | undefined, tenants: number): string[] {
  const own = causes?.causes.filter((c) => c.place.key === key) ?? [];
  const shown = own.slice(0, DEFAULTS.causesShown).map((c) => causeLine(c, causes!, tenants));
  return own.length > DEFAULTS.causesShown ? [...shown, `  ${plural(own.length - DEFAULTS.causesShown, 'more cause')}`] : shown;
}

/** What the few requests could not tell: incidents with a message in no counted cause. */
function causesNote(causes: IncidentCauses | undefined): string[] {
  if (!causes || causes.unassigned === 0) return [];
  return [
    `Causes: ${causes.unassigned} of the ${causes.withMessage} open incidents with a message are in causes not listed ` +
      `(read: the newest ${DEFINITION_CAUSE_BUDGET.pageSize}, at most ${DEFINITION_CAUSE_BUDGET.maxCounted} causes counted; check_camunda_incidents -k KEY lists them all)`,
  ];
}

/** A definition with its metrics judged; `label` is the unquoted perfdata label stem, unique within the output. */
interface JudgedDefinition {
  readonly figures: MeasuredDefinition;
  readonly label: string;
  readonly metrics: readonly { readonly metric: Metric; readonly state: State; readonly text: string }[];
  readonly state: State;
}

function judgeDefinition(figures: MeasuredDefinition, label: string, options: DefinitionOptions): JudgedDefinition {
  const { thresholds } = options;
  const measured: [string, number, Thresholds, string][] = [
    ['instances', figures.instances, thresholds.instances, plural(figures.instances, 'instance')],
    ['incidents', figures.incidents, thresholds.incidents, plural(figures.incidents, 'incident')],
    ['failed_jobs', figures.failedJobs, thresholds.failedJobs, plural(figures.failedJobs, 'failed job')],
  ];
  if (figures.tasks !== undefined) measured.push(['tasks', figures.tasks, thresholds.tasks, plural(figures.tasks, 'open task')]);
  const metrics = measured.map(([suffix, value, ranges, text]) => {
    const metric: Metric = { label: `${label}_${suffix}`, value, ...ranges, min: 0 };
    return { metric, state: judge(metric), text };
  });
  return { figures, label, metrics, state: worst(metrics.map((m) => m.state)) };
}

const shownName = (label: string): string => cleanText(label, 80);

function troubleText(d: JudgedDefinition): string {
  return `${shownName(d.label)}: ${d.metrics.filter((m) => m.state !== State.OK).map((m) => annotate(m.text, m.state)).join(', ')}`;
}

function detailLine(d: JudgedDefinition, options: DefinitionOptions): string {
  const { figures } = d;
  const name = figures.name && figures.name !== figures.key ? ` (${cleanText(figures.name, 60)})` : '';
  const parts = d.metrics.map((m) => {
    let text = annotate(m.text, m.state);
    if (m.metric.label.endsWith('_incidents') && figures.incidentsByType?.length) {
      const types = figures.incidentsByType.slice(0, DEFAULTS.incidentTypes).map(([type, count]) => `${cleanText(type, 40)} ${count}`);
      const more = figures.incidentsByType.length > DEFAULTS.incidentTypes ? `, ${figures.incidentsByType.length - DEFAULTS.incidentTypes} more types` : '';
      text += ` [${types.join(', ')}${more}]`;
    }
    return text;
  });
  const versions = options.selection.latestOnly
    ? `version ${figures.latestVersion} only`
    : figures.versions === undefined
      ? `all versions, latest ${figures.latestVersion}`
      : `${plural(figures.versions, 'version')}, latest ${figures.latestVersion}`;
  return `${shownName(d.label)}${name}: ${parts.join(', ')}; ${versions}`;
}

function describeSelection(options: DefinitionOptions): string | undefined {
  const { keys, tenantIds, category, latestOnly } = options.selection;
  const parts = [
    keys.length ? `${keys.length === 1 ? 'key' : 'keys'} ${keys.map((k) => cleanText(k, 60)).join(', ')}` : undefined,
    category !== undefined ? `category ${cleanText(category, 80)}` : undefined,
    tenantIds.length ? `${tenantIds.length === 1 ? 'tenant' : 'tenants'} ${tenantIds.map((t) => cleanText(t, 40)).join(', ')}` : undefined,
    latestOnly ? 'latest version only' : undefined,
    options.mode === 'counts' ? 'count queries per key' : undefined,
  ].filter((p) => p !== undefined);
  return parts.length ? `Selection: ${parts.join('; ')}` : undefined;
}


export function evaluateDefinitions(measurement: DefinitionMeasurement, options: DefinitionOptions): PluginOutput {
  const stems = definitionLabelStems(measurement.definitions, DEFAULTS.maxLabelStem);
  const judged = measurement.definitions.map((d, i) => judgeDefinition(d, stems[i]!, options));
  const missing = measurement.missingKeys.map((key) => ({ state: options.missingState, text: missingKeyText(key, options.selection, options.missingState) }));
  const troubled = [...judged.filter((d) => d.state !== State.OK).map((d) => ({ state: d.state, text: troubleText(d) })), ...missing];
  const summary = troubleSummary(troubled, DEFAULTS.namedInStatus);
  const fine = judged.filter((d) => d.state === State.OK);

  if (fine.length > 0 && troubled.length + fine.length <= DEFAULTS.namedInStatus) summary.push(`${fine.map((d) => shownName(d.label)).join(', ')} OK`);
  else if (fine.length > 0) summary.push(`${plural(fine.length, 'definition')} OK`);

  let state = worst([...judged.map((d) => d.state), ...missing.map((m) => m.state)]);
  if (judged.length === 0 && missing.length === 0) {
    // Nothing matches a category or tenant: a mistyped filter, or nothing deployed yet.
    state = options.missingState;
    summary.push(annotate(options.selection.category !== undefined || options.selection.tenantIds.length ? 'no deployed process definition matches the selection' : 'no process definition is deployed', state));
  }

  const perfdata = definitionsPerfdata(judged.map((d) => d.metrics.map((m) => m.metric)), DEFAULTS.perfdataBudget);
  const details: string[] = [];
  if (perfdata.leftOut) details.push(perfdata.leftOut);
  const selection = describeSelection(options);
  if (selection) details.push(selection);
  details.push(...missing.map((m) => m.text));
  const listed = new Set<string>();
  const tenantsOfKey = tenantsByKey(measurement.definitions);
  for (const d of bySeverity(judged)) {
    details.push(detailLine(d, options));
    // A key's causes span its tenants' rows: listed once, under its first row.
    if (listed.has(d.figures.key)) continue;
    listed.add(d.figures.key);
    details.push(...causeLines(d.figures.key, measurement.causes, tenantsOfKey.get(d.figures.key)?.length ?? 1));
  }
  details.push(...causesNote(measurement.causes));

  return { state, summary: summary.join(PART_SEPARATOR), perfdata: perfdata.perfdata, details };
}

export const definitionCheck = camundaPlugin<DefinitionOptions>({
  prefix: 'CAMUNDA DEFINITION',
  commandLine: {
    command: 'check_camunda_definition',
    description:
      'How are these process definitions doing? Per definition (key; per tenant) and summed over all deployed versions, ' +
      'because old versions keep running: running instances, open incidents (by type in the long output), failed jobs ' +
      'and, with --tasks, open user tasks, each with its own thresholds. A selected key that is not deployed is reported ' +
      '(--missing-state). For dedicated alarming: one service per team bundle of definitions.',
    examples: [
      ['$0 --url http://camunda:8080/engine-rest -k invoice -k order --incidents-critical 2', "a team's bundle: CRITICAL above 2 open incidents in any of its definitions"],
      ['$0 --url http://camunda:8080/engine-rest --failed-jobs-warning 0', 'every deployed definition; WARNING on any failed job'],
      ['$0 -k invoice --tasks --tasks-warning 200 --mode counts', 'count queries per key (large database), with open user tasks'],
      ['$0 -k invoice --latest-only --instances-critical 1:', 'CRITICAL when the newest version has no running instance'],
    ],
    epilogue: [
      'Performance data, per definition (LABEL: the key, or key@tenant for a definition of a tenant):',
      '  LABEL_instances    process instances, suspended and called ones included (--instances-warning/-critical)',
      '  LABEL_incidents    open incidents, all types (-w/-c)',
      '  LABEL_failed_jobs  jobs without retries left (--failed-jobs-warning/--failed-jobs-critical)',
      '  LABEL_tasks        open user tasks, with --tasks (--tasks-warning/--tasks-critical)',
      `At most ${DEFAULTS.perfdataBudget} bytes of perfdata (about 50 definitions) are printed; the long output says when some are left out.`,
      '',
      'Modes: statistics reads every deployed version of every definition in one request, so its cost grows with the number of versions deployed. ' +
        'counts sends three indexed count queries per definition of the given --key values: better for a few keys on a huge database, without the breakdown of incidents by type. ' +
        `auto (the default) uses counts for 1 to ${DEFAULTS.autoCountsMaxKeys} --key values and statistics otherwise.`,
      '',
      `The long output lists the causes of each definition's incidents (check_camunda_incidents groups them alike), each counted exactly, at most ${DEFAULTS.causesShown} per definition: ` +
        `with fewer than ${DEFINITION_CAUSE_BUDGET.pageSize} open incidents all causes, read in one request (and one call chain per cause of copies from a definition not selected, at most ${DEFINITION_CAUSE_BUDGET.maxCounted}); with more, those among the newest ${DEFINITION_CAUSE_BUDGET.pageSize}, at most ${DEFINITION_CAUSE_BUDGET.maxCounted} counted, a few requests more (at most ${requestBound(1, DEFINITION_CAUSE_BUDGET)}). None without incidents.`,
      '',
      EXIT_CODES,
    ].join('\n'),
    options,
    toOptions,
  },
  async check(options, context: RunContext) {
    const client = createCamundaClient(options.connection, context);
    return evaluateDefinitions(await measure(client, options), options);
  },
});
