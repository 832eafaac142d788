import type { Argv } from 'yargs';
import { createCamundaClient, type CamundaClient } from '../camunda/client';
import { processInstanceLink } from '../camunda/cockpit';
import type { ConnectionOptions } from '../camunda/connection';
import { warningProperty } from '../camunda/bpmn-model';
import { compareDefinitions, definitionLabelStems, type DefinitionSelection } from '../camunda/definitions';
import { openModelCache } from '../camunda/model-cache';
import { readModels, type ModelsRead } from '../camunda/process-models';
import { countRequests, countSla, recordsHistory, type SlaFigures } from '../camunda/sla-counts';
import {
  describeElement,
  describeVersions,
  groupSlas,
  slasOfVersion,
  unknownElementSlas,
  type RunningVersion,
  type SlaCount,
  type SlaDefect,
  type SlaSettings,
  type VersionSla,
} from '../camunda/sla';
import { definitionIdentity, readInstanceStatistics, rowsForSelectedTenants, selectionTests } from '../camunda/statistics';
import type { ProcessDefinitionStatisticsResultDto } from '../camunda/types';
import { cockpitUrlOption, integerOption, lastString, nonBlankString, stringValues, thresholdOptions, type Args } from '../cli/args';
import { EXIT_CODES, OUTPUT_GROUP, THRESHOLD_GROUP, VALUE } from '../cli/check-options';
import { cacheDirectoriesFromArgs, cacheDirOption } from '../cli/cache-dir';
import { connectionFromArgs, connectionOptions } from '../cli/connection';
import { camundaPlugin } from '../cli/plugin';
import { definitionsPerfdata, missingKeyText, missingStateOption, selectionFromArgs, selectionOptions } from '../cli/selection';
import { mapConcurrently } from '../plugin/concurrency';
import { formatDuration, formatDurationInFull, formatExactDuration, parseDuration, parseIsoDuration, secondsSince } from '../plugin/duration';
import { PluginError, UsageError } from '../plugin/errors';
import { annotate, judge, type Metric } from '../plugin/metric';
import { PART_SEPARATOR, troubleSummary, type PluginOutput } from '../plugin/output';
import type { Thresholds } from '../plugin/range';
import type { RunContext } from '../plugin/run';
import { bySeverity, State, worst } from '../plugin/state';
import { cleanText, plural } from '../plugin/text';

/*
 * check_camunda_sla answers a team's question: is work in MY processes waiting longer than we
 * promised? The promises live in the BPMN models as extension properties (or on the command line):
 * on a user task, on any other flow node, on the process. Every version with running instances is
 * read (an old version keeps its own SLAs), its model once and then from the cache, and the items
 * past each SLA are counted, never listed.
 */

export interface SlaOptions {
  readonly connection: ConnectionOptions;
  readonly selection: DefinitionSelection;
  readonly missingState: State;
  readonly settings: SlaSettings;
  /** Candidates for the model cache, the first usable one is used. */
  readonly cacheDirectories: readonly string[];
  readonly maxRequests: number;
  readonly cockpitUrl?: string | undefined;
  readonly thresholds: {
    readonly breached: Thresholds;
    readonly atRisk: Thresholds;
  };
}

export const DEFAULTS = {
  property: 'sla',
  /** At risk after 80% of the SLA: early enough to act, late enough not to cry wolf. */
  atRiskPercent: 80,
  /** A breached SLA is what the SLA exists to report. */
  breachedCritical: '0',
  atRiskWarning: '0',
  /** Requests per run: the statistics, uncached models, counts and the oldest items. */
  maxRequests: 100,
  /** A --key that is not deployed means the check watches nothing: say so, but it is no outage. */
  missingState: State.UNKNOWN,
  /** SLA counts sent at a time. */
  countsInFlight: 6,
  /** Definitions named in the status line, and breaches named per definition (short enough for a notification). */
  namedInStatus: 2,
  breachesInStatus: 1,
  perfdataBudget: 6144,
  maxLabelStem: 100,
} as const;

function options(argv: Argv): Argv {
  const threshold = (what: string, defaultDescription = 'none') => ({ ...VALUE, group: THRESHOLD_GROUP, describe: `Range for ${what} per definition`, defaultDescription });
  const sla = 'SLAs (the model\'s camunda:properties; the command line overrides them):';
  const COST = 'Requests and model cache:';
  return selectionOptions(connectionOptions(argv), DEFAULTS.missingState, 'every running definition with an SLA')
    .option('property', { ...VALUE, group: sla, describe: 'Extension property holding an SLA (ISO-8601 duration); <property>-warning holds the age from which an item is at risk', defaultDescription: DEFAULTS.property })
    .option('sla', { ...VALUE, group: sla, describe: 'ACTIVITY_ID=DURATION: SLA of a flow node in every version, instead of the model\'s (repeatable; PT4H or 4h)' })
    .option('instance-sla', { ...VALUE, group: sla, describe: 'SLA of whole process instances, instead of the process\'s property (PT1D or 1d)' })
    .option('at-risk', { ...VALUE, group: sla, describe: 'An item is at risk after this share of its SLA, unless <property>-warning says otherwise; 100% switches it off', defaultDescription: `${DEFAULTS.atRiskPercent}%` })
    .option('breached-warning', { ...threshold('items past their SLA'), alias: 'w' })
    .option('breached-critical', { ...threshold('items past their SLA', `${DEFAULTS.breachedCritical} (any breach)`), alias: 'c' })
    .option('at-risk-warning', threshold('items at risk', `${DEFAULTS.atRiskWarning} (any item at risk)`))
    .option('at-risk-critical', threshold('items at risk'))
    .option('cache-dir', cacheDirOption(COST))
    .option('max-requests', { ...VALUE, group: COST, describe: 'Most requests per run; beyond it the check ends UNKNOWN instead of flooding the engine', defaultDescription: String(DEFAULTS.maxRequests) })
    .option('cockpit-url', { ...VALUE, group: OUTPUT_GROUP, describe: 'Cockpit base URL, e.g. https://camunda/camunda/app/cockpit/default, to link the oldest breached instance of each SLA' });
}

/** An SLA given on the command line: ISO-8601 as in the models, or the short form of the other options. */
function slaDuration(text: string, option: string): number {
  let seconds: number;
  try {
    seconds = /^\s*p/i.test(text) ? parseIsoDuration(text) : parseDuration(text, option);
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(`--${option}: ${(error as Error).message}`);
  }
  if (seconds <= 0) throw new UsageError(`--${option}: an SLA must be longer than 0`);
  return seconds;
}

function elementSlas(args: Args): Map<string, number> {
  const slas = new Map<string, number>();
  for (const value of stringValues(args, 'sla', 'give ACTIVITY_ID=DURATION')) {
    const split = value.indexOf('=');
    const id = value.slice(0, Math.max(0, split)).trim();
    if (split < 1 || id === '') throw new UsageError(`--sla: '${cleanText(value, 80)}' is not ACTIVITY_ID=DURATION, e.g. approve_invoice=PT4H`);
    if (slas.has(id)) throw new UsageError(`--sla: ${cleanText(id, 80)} is given twice`);
    slas.set(id, slaDuration(value.slice(split + 1), 'sla'));
  }
  return slas;
}

function atRiskShare(args: Args): number | undefined {
  const text = lastString(args, 'atRisk')?.trim() ?? `${DEFAULTS.atRiskPercent}%`;
  const match = /^(\d{1,3})\s*%?$/.exec(text);
  const percent = match ? Number(match[1]) : NaN;
  if (!(percent >= 1 && percent <= 100)) throw new UsageError(`--at-risk: '${cleanText(text, 40)}' is not a share of the SLA from 1% to 100%, e.g. 80%`);
  return percent === 100 ? undefined : percent / 100;
}

function toOptions(args: Args): SlaOptions {
  const instanceSla = lastString(args, 'instanceSla');
  const property = nonBlankString(args, 'property', `leave the option out for '${DEFAULTS.property}'`)?.trim() ?? DEFAULTS.property;
  return {
    connection: connectionFromArgs(args),
    selection: selectionFromArgs(args),
    missingState: missingStateOption(args, DEFAULTS.missingState),
    settings: {
      property,
      elementSlas: elementSlas(args),
      instanceSla: instanceSla === undefined ? undefined : slaDuration(instanceSla, 'instance-sla'),
      atRiskShare: atRiskShare(args),
    },
    cacheDirectories: cacheDirectoriesFromArgs(args),
    maxRequests: integerOption(args, 'max-requests', 2, 10_000) ?? DEFAULTS.maxRequests,
    cockpitUrl: cockpitUrlOption(args),
    thresholds: {
      breached: thresholdOptions(args, 'breached', { critical: DEFAULTS.breachedCritical }),
      atRisk: thresholdOptions(args, 'at-risk', { warning: DEFAULTS.atRiskWarning }),
    },
  };
}

/** An SLA with what was counted; `figures` undefined where it could not be counted (no history). */
interface CountedSla {
  readonly count: SlaCount;
  readonly figures: SlaFigures | undefined;
}

/** One definition (key, per tenant) as measured. */
interface MeasuredDefinition {
  readonly key: string;
  readonly tenantId: string | null;
  readonly name: string | null;
  /** Selected versions with running instances, ascending. */
  readonly versions: readonly RunningVersion[];
  readonly slas: readonly CountedSla[];
  readonly defects: readonly SlaDefect[];
  /** Given with --key: reported even without running instances. */
  readonly selectedByKey: boolean;
}

interface SlaMeasurement {
  readonly definitions: readonly MeasuredDefinition[];
  readonly missingKeys: readonly string[];
  /** Running definitions without any SLA, not selected by key: not reported one by one. */
  readonly withoutSla: number;
  readonly historyOff: boolean;
  readonly cacheProblem: string | undefined;
  readonly now: Date;
}

/** Spends the run's requests, so that a large selection ends UNKNOWN instead of flooding the engine. */
type RequestBudget = ReturnType<typeof requestBudget>;
function requestBudget(max: number) {
  let used = 0;
  return {
    max,
    get used() {
      return used;
    },
    get left() {
      return max - used;
    },
    spend(requests: number) {
      used += requests;
    },
  };
}

const toRunningVersion = (row: { id?: string | null; instances: number; definition: { id?: string | null; key: string; tenantId?: string | null; version?: number | null; name?: string | null } }): RunningVersion => ({
  id: row.definition.id ?? row.id ?? '',
  key: row.definition.key,
  tenantId: row.definition.tenantId ?? null,
  version: row.definition.version ?? 0,
  name: row.definition.name ?? null,
  instances: row.instances,
});

/** Flow node SLAs in the order the models name their elements, each element's versions ascending; the process's last. */
function inReadingOrder(counts: readonly SlaCount[]): SlaCount[] {
  const firstSeen = new Map<string, number>();
  for (const count of counts) if (count.element && !firstSeen.has(count.element.id)) firstSeen.set(count.element.id, firstSeen.size);
  const rank = (count: SlaCount) => (count.element ? firstSeen.get(count.element.id)! : Number.MAX_SAFE_INTEGER);
  return [...counts].sort((a, b) => rank(a) - rank(b) || a.versions[0]!.version - b.versions[0]!.version);
}

/** The selection applied to the statistics: the versions to read, and every running version of their definitions. */
function selectVersions(rows: readonly ProcessDefinitionStatisticsResultDto[], selection: DefinitionSelection) {
  const { selected, inCategory } = selectionTests(selection);
  const deployed = rowsForSelectedTenants(rows, selection).filter(selected);
  const runningRows = deployed.filter((row) => row.instances > 0);
  /** Running versions of the selected definitions, whatever their category: what a count by key would also see. */
  const running = runningRows.map(toRunningVersion);
  const keysInCategory = new Set(deployed.filter(inCategory).map((row) => row.definition.key));
  return {
    /** Selected by --key (in the category): reported even without running instances. */
    keyed: deployed.filter((row) => selection.keys.includes(row.definition.key) && inCategory(row)).map(toRunningVersion),
    running,
    /** Running versions in the selection: their models are read and their SLAs counted. */
    versions: running.filter((_version, i) => inCategory(runningRows[i]!)),
    missingKeys: selection.keys.filter((key) => !keysInCategory.has(key)),
  };
}

/** The SLAs of every version read, and what is wrong with the rest. */
function slasOf(versions: readonly RunningVersion[], models: ModelsRead, settings: SlaSettings): { slas: VersionSla[]; defects: SlaDefect[] } {
  const slas: VersionSla[] = [];
  const defects: SlaDefect[] = [];
  for (const version of versions) {
    const unreadable = models.unreadable.get(version.id);
    if (unreadable !== undefined) defects.push({ version, element: undefined, message: unreadable });
    const facts = models.facts.get(version.id);
    if (!facts) continue;
    const read = slasOfVersion(version, facts, settings);
    slas.push(...read.slas);
    defects.push(...read.defects);
  }
  const unknown = versions.length > 0 ? unknownElementSlas(settings, models.facts.values()) : [];
  if (unknown.length > 0) {
    throw new UsageError(`--sla: no flow node ${unknown.map((id) => `'${cleanText(id, 60)}'`).join(', ')} in the running versions of the selected definitions: check the activity id in the model`);
  }
  return { slas, defects };
}

/** Counts every SLA within the budget; activity and process SLAs only where the engine records history. */
async function countSlas(client: CamundaClient, counts: readonly SlaCount[], budget: RequestBudget, modelsFetched: number): Promise<{ counted: Map<SlaCount, SlaFigures>; historyOff: boolean }> {
  const historyCounts = counts.filter((c) => c.target !== 'task');
  const needed = counts.reduce((total, c) => total + countRequests(c), 0) + (historyCounts.length > 0 ? 1 : 0);
  if (needed > budget.left) {
    const what = historyCounts.length > 0 ? 'lists, counts and a history check' : 'lists and counts';
    const advice =
      modelsFetched > 0 && needed + 1 <= budget.max ? ' (the models are cached now: the next run has room)' : ': select fewer definitions with --key or --tenant-id, or raise --max-requests';
    throw new PluginError(`the SLAs may need ${needed} more requests (${what}), beyond --max-requests ${budget.max} with ${budget.used} spent${advice}`);
  }
  let historyOff = false;
  if (historyCounts.length > 0) {
    const busiest = historyCounts.flatMap((c) => c.versions).reduce((a, b) => (b.instances > a.instances ? b : a));
    budget.spend(1);
    historyOff = !(await recordsHistory(client, busiest.id));
  }
  const countable = historyOff ? counts.filter((c) => c.target === 'task') : counts;
  budget.spend(countable.reduce((total, c) => total + countRequests(c), 0));
  const now = new Date();
  const figures = await mapConcurrently(countable, DEFAULTS.countsInFlight, (c) => countSla(client, c, now));
  return { counted: new Map(countable.map((c, i) => [c, figures[i]!])), historyOff };
}

/** Per definition (key and tenant), in the order of keys and tenants: its running versions, SLAs and defects. */
function byDefinition(keyed: readonly RunningVersion[], versions: readonly RunningVersion[], counts: readonly SlaCount[], counted: ReadonlyMap<SlaCount, SlaFigures>, defects: readonly SlaDefect[]): MeasuredDefinition[] {
  type Collecting = MeasuredDefinition & { versions: RunningVersion[]; slas: CountedSla[]; defects: SlaDefect[] };
  const definitions = new Map<string, Collecting>();
  const definitionOf = ({ key, tenantId, name }: Pick<RunningVersion, 'key' | 'tenantId' | 'name'>, selectedByKey = false): Collecting => {
    const identity = definitionIdentity(key, tenantId);
    let definition = definitions.get(identity);
    if (!definition) definitions.set(identity, (definition = { key, tenantId, name, versions: [], slas: [], defects: [], selectedByKey }));
    return definition;
  };
  for (const version of keyed) definitionOf(version, true);
  for (const version of [...versions].sort((a, b) => a.version - b.version)) definitionOf(version).versions.push(version);
  for (const count of counts) definitionOf({ ...count, name: null }).slas.push({ count, figures: counted.get(count) });
  for (const defect of defects) definitionOf(defect.version).defects.push(defect);
  return [...definitions.values()].sort(compareDefinitions);
}

async function measure(client: CamundaClient, options: SlaOptions, context: RunContext): Promise<SlaMeasurement> {
  const { settings } = options;
  const budget = requestBudget(options.maxRequests);
  budget.spend(1);
  const { keyed, running, versions, missingKeys } = selectVersions(await readInstanceStatistics(client), options.selection);

  const scope = [options.connection.url, options.connection.engine ?? '', settings.property].join('\u0000');
  const cache = openModelCache(options.cacheDirectories, scope, context.log);
  const models = await readModels(client, versions, cache, budget.left, settings.property, context.log);
  budget.spend(models.fetched);
  if (models.postponed > 0) {
    throw new PluginError(
      `read ${models.fetched} of ${models.fetched + models.postponed} BPMN models not yet cached, as --max-requests is ${budget.max}: the next runs read the rest` +
        `${cache.directory ? '' : ', but no model cache is usable (set --cache-dir)'}`,
    );
  }

  const { slas, defects } = slasOf(versions, models, settings);
  const counts = inReadingOrder(groupSlas(slas, models.facts, running));
  const { counted, historyOff } = await countSlas(client, counts, budget, models.fetched);
  context.log.log(2, `at most ${budget.used} requests, ${models.fetched} model(s) read from the engine`);

  const all = byDefinition(keyed, versions, counts, counted, defects);
  const reported = all.filter((d) => d.selectedByKey || d.slas.length > 0 || d.defects.length > 0);
  return { definitions: reported, missingKeys, withoutSla: all.length - reported.length, historyOff, cacheProblem: cache.problem, now: new Date() };
}

/** A definition with its metrics judged; `label` is the perfdata label stem. */
interface JudgedDefinition {
  readonly definition: MeasuredDefinition;
  readonly label: string;
  readonly metrics: readonly Metric[];
  readonly state: State;
  /** Status line text when not OK. */
  readonly trouble: string;
  readonly details: readonly string[];
}

// Camunda leaves out history the user may not READ_HISTORY (AuthorizationManager.java:719-760) rather than refusing.
const HISTORY_OFF = 'not counted: no history of a running version is readable (history level none, or no READ_HISTORY for the user)';

function slaText(count: SlaCount): string {
  const risk = count.atRiskSeconds === undefined ? '' : `, at risk from ${formatDurationInFull(count.atRiskSeconds)}`;
  return `SLA ${formatExactDuration(count.slaSeconds)}${risk}`;
}

/** The versions an SLA covers, when its element has other SLAs in other versions: `v1, ` */
function versionsWhereSplit(sla: CountedSla, definition: MeasuredDefinition): string {
  const { element, target } = sla.count;
  const split = definition.slas.filter((other) => other.count.target === target && other.count.element?.id === element?.id).length > 1;
  return split ? `${describeVersions(sla.count.versions)}, ` : '';
}

/** `2 breached at 'Approve invoice' (v2, SLA 4h, oldest 9h)` */
function breachText(sla: CountedSla, definition: MeasuredDefinition, now: Date): string {
  const { figures, count } = sla;
  const where = count.element ? `at ${describeElement(count.element)}` : 'at the process level';
  const oldest = figures?.oldest ? `, oldest ${formatDuration(secondsSince(figures.oldest.since, now))}` : '';
  return `${figures!.breached} breached ${where} (${versionsWhereSplit(sla, definition)}SLA ${formatExactDuration(count.slaSeconds)}${oldest})`;
}

function detailLine(sla: CountedSla, options: SlaOptions, now: Date): string {
  const { count, figures } = sla;
  const element = count.element ? `${describeElement(count.element)} (${cleanText(count.element.id, 60)}, ${cleanText(count.element.type, 30)})` : 'process instances';
  const versions = `${count.byKey ? 'all versions' : describeVersions(count.versions)}`;
  if (!figures) return `  ${element}, ${versions}: ${slaText(count)}: ${HISTORY_OFF}`;
  const oldest = figures.oldest ? ` (oldest ${formatDuration(secondsSince(figures.oldest.since, now))})` : '';
  const link = figures.oldest ? processInstanceLink(options.cockpitUrl, figures.oldest.processInstanceId) : '';
  return `  ${element}, ${versions}: ${slaText(count)}: ${figures.breached} breached${oldest}, ${figures.atRisk} at risk${link ? `; oldest:${link}` : ''}`;
}

function defectText(defect: SlaDefect): string {
  const where = defect.element ? `${describeElement(defect.element)} (${cleanText(defect.element.id, 60)})` : 'the process';
  return `${where} in v${defect.version.version}: ${defect.message}`;
}

function judgeDefinition(definition: MeasuredDefinition, label: string, options: SlaOptions, now: Date): JudgedDefinition {
  const measured = definition.slas.filter((s) => s.figures !== undefined);
  const breached = measured.reduce((total, s) => total + s.figures!.breached, 0);
  const atRisk = measured.reduce((total, s) => total + s.figures!.atRisk, 0);
  const breachedMetric: Metric = { label: `${label}_breached`, value: breached, ...options.thresholds.breached, min: 0 };
  const atRiskMetric: Metric = { label: `${label}_at_risk`, value: atRisk, ...options.thresholds.atRisk, min: 0 };
  const states = { breached: judge(breachedMetric), atRisk: judge(atRiskMetric) };
  const unmeasured = definition.slas.length - measured.length;
  const noSla = definition.versions.length > 0 && definition.slas.length === 0 && definition.defects.length === 0;
  const unknown = definition.defects.length > 0 || unmeasured > 0 || noSla;

  const name = cleanText(label, 80);
  const parts: string[] = [];
  const breaches = measured.filter((s) => s.figures!.breached > 0).sort((a, b) => b.figures!.breached - a.figures!.breached);
  if (breaches.length > 0) {
    const named = breaches.slice(0, DEFAULTS.breachesInStatus).map((s) => breachText(s, definition, now));
    if (breaches.length > DEFAULTS.breachesInStatus) named.push(`${plural(breaches.length - DEFAULTS.breachesInStatus, 'more SLA')} breached`);
    parts.push(annotate(named.join(', '), states.breached));
  }
  if (atRisk > 0 || states.atRisk !== State.OK) parts.push(annotate(`${atRisk} at risk`, states.atRisk));
  if (definition.defects.length > 0) parts.push(annotate(defectText(definition.defects[0]!) + (definition.defects.length > 1 ? `, ${definition.defects.length - 1} more invalid` : ''), State.UNKNOWN));
  if (unmeasured > 0) parts.push(annotate(`${plural(unmeasured, 'SLA')} not counted without history`, State.UNKNOWN));
  if (noSla) parts.push(annotate(`no SLA in its running versions (property '${cleanText(options.settings.property, 40)}'): annotate the model or give --sla/--instance-sla`, State.UNKNOWN));

  const versions = definition.versions.length === 0 ? 'no running instances' : `running versions ${definition.versions.map((v) => v.version).join(', ')}`;
  const title = definition.name && definition.name !== definition.key ? ` (${cleanText(definition.name, 60)})` : '';
  const details = [
    `${name}${title}: ${measured.length > 0 || definition.versions.length === 0 ? `${breached} breached, ${atRisk} at risk` : 'no SLA counted'}; ${versions}`,
    ...definition.defects.map((d) => `  ${annotate(defectText(d), State.UNKNOWN)}`),
    ...definition.slas.map((s) => detailLine(s, options, now)),
  ];
  const state = worst([states.breached, states.atRisk, unknown ? State.UNKNOWN : State.OK]);
  // Of a definition none of whose SLAs could be counted, 0 would read as "all well" in a graph.
  const metrics = unknown && measured.length === 0 && definition.versions.length > 0 ? [] : [breachedMetric, atRiskMetric];
  return { definition, label, metrics, state, trouble: `${name}: ${parts.join(', ')}`, details };
}

export function evaluateSlas(measurement: SlaMeasurement, options: SlaOptions): PluginOutput {
  const { now } = measurement;
  const stems = definitionLabelStems(measurement.definitions, DEFAULTS.maxLabelStem);
  const judged = measurement.definitions.map((d, i) => judgeDefinition(d, stems[i]!, options, now));
  const missing = measurement.missingKeys.map((key) => ({ state: options.missingState, text: missingKeyText(key, options.selection, options.missingState) }));
  const troubled = [...judged.filter((d) => d.state !== State.OK).map((d) => ({ state: d.state, text: d.trouble })), ...missing];
  const summary = troubleSummary(troubled, DEFAULTS.namedInStatus);
  const fine = judged.filter((d) => d.state === State.OK);
  const watched = judged.reduce((total, d) => total + d.definition.slas.length, 0);

  if (fine.length > 0) {
    const names = fine.length <= DEFAULTS.namedInStatus ? `: ${fine.map((d) => cleanText(d.label, 80)).join(', ')}` : '';
    summary.push(`${plural(fine.length, 'definition')} within ${fine.length === 1 ? 'its' : 'their'} SLAs${names}`);
  }
  let state = worst([...judged.map((d) => d.state), ...missing.map((m) => m.state)]);
  if (judged.length === 0 && missing.length === 0) {
    // Without --key: nothing runs (fine), or nothing that runs has an SLA (the check watches nothing).
    state = measurement.withoutSla > 0 ? State.UNKNOWN : State.OK;
    summary.push(
      measurement.withoutSla > 0
        ? annotate(`no SLA in the models of ${plural(measurement.withoutSla, 'running definition')} (property '${cleanText(options.settings.property, 40)}'), none given with --sla or --instance-sla`, state)
        : 'no running process instances in the selection',
    );
  }

  const perfdata = definitionsPerfdata(judged.map((d) => d.metrics), DEFAULTS.perfdataBudget);
  const details: string[] = [];
  if (perfdata.leftOut) details.push(perfdata.leftOut);
  if (measurement.historyOff) details.push(annotate(`Activity and process SLAs ${HISTORY_OFF}; they need history level activity or higher and READ_HISTORY on the definitions`, State.UNKNOWN));
  if (measurement.cacheProblem) details.push(measurement.cacheProblem);
  details.push(...missing.map((m) => m.text));
  for (const d of bySeverity(judged)) details.push(...d.details);
  if (measurement.withoutSla > 0 && judged.length > 0) details.push(`${plural(measurement.withoutSla, 'other running definition')} without SLA`);
  if (watched > 0) {
    const share = options.settings.atRiskShare === undefined ? '' : `, or after ${Math.round(options.settings.atRiskShare * 100)}% of the SLA`;
    details.push(`${plural(watched, 'SLA')} watched; an item is at risk from the age its '${cleanText(warningProperty(options.settings.property), 40)}' property names${share}`);
  }

  return { state, summary: summary.join(PART_SEPARATOR), perfdata: perfdata.perfdata, details };
}

export const slaCheck = camundaPlugin<SlaOptions>({
  prefix: 'CAMUNDA SLA',
  commandLine: {
    command: 'check_camunda_sla',
    description:
      'Is work in these process definitions waiting longer than its service level allows? SLAs are read from the deployed ' +
      'BPMN models (camunda:properties, property "sla", ISO-8601 durations such as PT4H) of every version with running ' +
      'instances: on a user task, open tasks created longer ago count; on any other flow node, its waiting activity ' +
      'instances; on the process, its running instances. --sla and --instance-sla set or override SLAs from the command line. ' +
      'Models are read once per definition version and cached (--cache-dir).',
    examples: [
      ['$0 --url http://camunda:8080/engine-rest -k invoice', "invoice's SLAs, all running versions: CRITICAL on a breach, WARNING at risk"],
      ['$0 -k invoice --sla approve_invoice=PT4H --instance-sla P5D', 'SLAs from the command line, for models without annotations'],
      ['$0 -k invoice -k order --breached-warning 0 --breached-critical 10 --at-risk 90%', "a team's bundle: WARNING on a breach, CRITICAL beyond 10; at risk after 90%"],
      ['$0 -k invoice --cockpit-url https://camunda/camunda/app/cockpit/default', 'with links to the oldest breached instance of each SLA'],
    ],
    epilogue: [
      'In the model (Camunda Modeler: Properties panel, Extensions, Properties):',
      '  <bpmn:userTask id="approve_invoice" name="Approve invoice">',
      '    <bpmn:extensionElements><camunda:properties>',
      '      <camunda:property name="sla" value="PT4H" />',
      '      <camunda:property name="sla-warning" value="PT3H" />',
      '    </camunda:properties></bpmn:extensionElements>',
      '  </bpmn:userTask>',
      'SLAs on other flow nodes than user tasks, and on the process, are counted in the history: they need history level activity or higher.',
      '',
      'Performance data, per definition (LABEL: the key, or key@tenant for a definition of a tenant):',
      '  LABEL_breached  items past their SLA, all SLAs of the definition (-w/-c, --breached-warning/--breached-critical)',
      '  LABEL_at_risk   items past their at-risk age but within their SLA (--at-risk-warning/--at-risk-critical)',
      '',
      EXIT_CODES,
    ].join('\n'),
    options,
    toOptions,
  },
  async check(options, context: RunContext) {
    const client = createCamundaClient(options.connection, context);
    return evaluateSlas(await measure(client, options, context), options);
  },
});
