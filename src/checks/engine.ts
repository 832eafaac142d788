import type { Argv } from 'yargs';
import { accessGaps, checkAccess, describeAccess, type AccessReport } from '../camunda/access';
import { createCamundaClient, type CamundaClient, type ClientContext } from '../camunda/client';
import type { ConnectionOptions } from '../camunda/connection';
import { CamundaError } from '../camunda/errors';
import { countOf } from '../camunda/queries';
import { arrayOf, processDefinition, processEngine, schemaLogEntry, version as versionShape } from '../camunda/shapes';
import type { ProcessDefinitionDto } from '../camunda/types';
import {
  compareVersions,
  newestMatching,
  matchesPattern,
  minorsBehind,
  parseVersion,
  parseVersionPattern,
  type Version,
  type VersionPattern,
} from '../camunda/version';
import { integerOption, lastString, stringValues, thresholdOptions, type Args } from '../cli/args';
import { OUTPUT_GROUP, THRESHOLD_GROUP, VALUE } from '../cli/check-options';
import { connectionFromArgs, connectionOptions, validatedUrl } from '../cli/connection';
import { camundaPlugin } from '../cli/plugin';
import { UsageError } from '../plugin/errors';
import { annotate, judge, type Metric } from '../plugin/metric';
import type { PluginOutput } from '../plugin/output';
import type { Thresholds } from '../plugin/range';
import { msSinceStart, type RunContext } from '../plugin/run';
import { State, worst } from '../plugin/state';
import { cleanText, plural } from '../plugin/text';

/*
 * check_camunda_engine answers: is every node of the engine up, on the version it should run,
 * on a database schema it can work with, and how loaded is the engine? It can serve as the
 * Icinga host check of a Camunda host (with --no-load), and it is what tells an operator where
 * a rolling update stands.
 */

/** One node of the cluster: --url or a --node, named in the output by the shortest unambiguous label. */
export interface EngineNode {
  readonly url: string;
  readonly label: string;
  /** `--url` or `--node`: named in the hints of this node's errors. */
  readonly option: string;
}

export interface EngineOptions {
  readonly connection: ConnectionOptions;
  /** --url first, then every --node in the order given. */
  readonly nodes: readonly EngineNode[];
  readonly expectVersion?: VersionPattern | undefined;
  readonly minVersion?: Version | undefined;
  /** The state of a node that does not run the pinned version. */
  readonly versionState: State.WARNING | State.CRITICAL;
  readonly checkSchema: boolean;
  readonly load: boolean;
  /** Ask what the monitoring user may not see (with the load only: without counts nothing can be partial). */
  readonly accessCheck: boolean;
  readonly list: number;
  readonly thresholds: {
    readonly time: Thresholds;
    readonly nodesDown: Thresholds;
    readonly instances: Thresholds;
    readonly suspendedDefinitions: Thresholds;
    readonly suspendedInstances: Thresholds;
  };
}

export const DEFAULTS = {
  /** An emergency stop (a suspended definition or instance) that nobody lifted must show up. */
  suspendedWarning: '0',
  list: 10,
  maxList: 100,
  /** Each node costs a request or two; a cluster larger than this is better split into several checks. */
  maxNodes: 16,
  /** The newest entries of the schema log among which the highest version is the schema's (several may share one timestamp). */
  schemaEntries: 10,
} as const;

const CLUSTER = 'Cluster and version:';

function options(argv: Argv): Argv {
  const threshold = { ...VALUE, group: THRESHOLD_GROUP } as const;
  return connectionOptions(argv)
    .option('node', { ...VALUE, group: CLUSTER, describe: `Base URL of a further cluster node, same credentials and TLS options as --url (repeat for each node; at most ${DEFAULTS.maxNodes} nodes in all)` })
    .option('expect-version', { ...VALUE, group: CLUSTER, describe: 'Version every node must run: 7.22 matches 7.22.x, 7.22.3 only that patch level' })
    .option('min-version', { ...VALUE, group: CLUSTER, describe: 'Version every node must run at least, e.g. 7.21.2' })
    .option('version-state', { ...VALUE, group: CLUSTER, describe: 'State of a node that does not run the --expect-version or --min-version: warning or critical', defaultDescription: 'warning' })
    .option('check-schema', { type: 'boolean', group: CLUSTER, describe: 'Compare each node version with the database schema version (GET /schema/log; the user must be in camunda-admin)' })
    .option('no-load', { type: 'boolean', group: CLUSTER, describe: 'Skip the instance counts and the access check, e.g. when the check runs as a frequent host check' })
    .option('no-access-check', {
      type: 'boolean',
      group: CLUSTER,
      describe: "Do not check what the user may not see (permissions on process definitions, tenant memberships; docs/permissions.md)",
    })
    .option('time-warning', { ...threshold, alias: 'w', describe: 'Range in seconds for the answer time of the slowest node', defaultDescription: 'none' })
    .option('time-critical', { ...threshold, alias: 'c', describe: 'Range in seconds for the answer time of the slowest node', defaultDescription: 'none' })
    .option('nodes-down-warning', { ...threshold, describe: 'Range for the number of nodes down', defaultDescription: '0 (any node down)' })
    .option('nodes-down-critical', { ...threshold, describe: 'Range for the number of nodes down', defaultDescription: 'number of nodes - 1 (all down)' })
    .option('instances-warning', { ...threshold, describe: 'Range for process instances (suspended and called ones included)', defaultDescription: 'none' })
    .option('instances-critical', { ...threshold, describe: 'Range for process instances (suspended and called ones included)', defaultDescription: 'none' })
    .option('suspended-definitions-warning', { ...threshold, describe: 'Range for suspended process definitions (all versions)', defaultDescription: `${DEFAULTS.suspendedWarning} (any)` })
    .option('suspended-definitions-critical', { ...threshold, describe: 'Range for suspended process definitions (all versions)', defaultDescription: 'none' })
    .option('suspended-instances-warning', { ...threshold, describe: 'Range for suspended process instances', defaultDescription: `${DEFAULTS.suspendedWarning} (any)` })
    .option('suspended-instances-critical', { ...threshold, describe: 'Range for suspended process instances', defaultDescription: 'none' })
    .option('list', { ...VALUE, group: OUTPUT_GROUP, describe: `How many suspended process definitions the long output names (0: none, at most ${DEFAULTS.maxList})`, defaultDescription: String(DEFAULTS.list) });
}

/** Host names when they tell the nodes apart, else host and port, else the whole URL. */
function labelNodes(urls: readonly string[]): EngineNode[] {
  const parsed = urls.map((url) => new URL(url));
  const distinct = (labels: string[]): boolean => new Set(labels).size === labels.length;
  const hostnames = parsed.map((u) => u.hostname);
  const hosts = parsed.map((u) => u.host);
  const labels = distinct(hostnames) ? hostnames : distinct(hosts) ? hosts : [...urls];
  return urls.map((url, i) => ({ url, label: labels[i]!, option: i === 0 ? '--url' : '--node' }));
}

function toOptions(args: Args): EngineOptions {
  const connection = connectionFromArgs(args);
  const urls = [connection.url];
  for (const text of stringValues(args, 'node', 'leave the option out for a single node')) {
    const url = validatedUrl(text, 'node');
    if (urls.includes(url)) {
      throw new UsageError(`--node: ${url} is given twice${url === connection.url ? ' (it is the --url)' : ''}: every node is checked once`);
    }
    urls.push(url);
  }
  if (urls.length > DEFAULTS.maxNodes) {
    throw new UsageError(`--node: ${urls.length} nodes, at most ${DEFAULTS.maxNodes}: split the cluster into several checks`);
  }

  const expectText = lastString(args, 'expectVersion');
  const expectVersion = expectText === undefined ? undefined : parseVersionPattern(expectText);
  if (expectText !== undefined && !expectVersion) {
    throw new UsageError(`--expect-version: '${cleanText(expectText, 60)}' is not a version such as 7.22, 7.22.3 or 7.22.3-ee`);
  }
  const minText = lastString(args, 'minVersion');
  const minVersion = minText === undefined ? undefined : parseVersion(minText);
  if (minText !== undefined && !minVersion) {
    throw new UsageError(`--min-version: '${cleanText(minText, 60)}' is not a version such as 7.21.2 or 1.0.0`);
  }
  if (expectVersion && minVersion && compareVersions(newestMatching(expectVersion), minVersion) < 0) {
    // Such a pair would report every node as off, whatever it runs.
    throw new UsageError(`--expect-version ${expectVersion.text} is older than --min-version ${minVersion.text}: no version can satisfy both; give one of them`);
  }
  const stateText = (lastString(args, 'versionState') ?? 'warning').toLowerCase();
  if (stateText !== 'warning' && stateText !== 'critical') {
    throw new UsageError(`--version-state: '${cleanText(stateText, 40)}' is neither warning nor critical`);
  }
  return {
    connection,
    nodes: labelNodes(urls),
    expectVersion,
    minVersion,
    versionState: stateText === 'critical' ? State.CRITICAL : State.WARNING,
    checkSchema: args.checkSchema === true,
    load: args.noLoad !== true,
    accessCheck: args.noLoad !== true && args.noAccessCheck !== true,
    list: integerOption(args, 'list', 0, DEFAULTS.maxList) ?? DEFAULTS.list,
    thresholds: {
      time: thresholdOptions(args, 'time'),
      // Some nodes down: the cluster still serves; all down: it does not.
      nodesDown: thresholdOptions(args, 'nodes-down', { warning: '0', critical: String(urls.length - 1) }),
      instances: thresholdOptions(args, 'instances'),
      suspendedDefinitions: thresholdOptions(args, 'suspended-definitions', { warning: DEFAULTS.suspendedWarning }),
      suspendedInstances: thresholdOptions(args, 'suspended-instances', { warning: DEFAULTS.suspendedWarning }),
    },
  };
}

// ---------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------

type NodeProbe =
  | {
      readonly node: EngineNode;
      readonly up: true;
      /** As reported (cleaned), for the output; parsed below when it is a version. */
      readonly reported: string;
      readonly version: Version | undefined;
      readonly seconds: number;
      /** The engines the node serves; only asked for with --engine. */
      readonly engines?: readonly string[];
      /** With --engine: the node answers but does not run that engine, so its version cannot be read. */
      readonly engineMissing?: true;
    }
  | { readonly node: EngineNode; readonly up: false; readonly reason: string };

type UpProbe = Extract<NodeProbe, { up: true }>;

/** A part that could not be measured: the reason, for an UNKNOWN beside the other results. */
interface Failure {
  readonly failed: string;
}

interface LoadMeasurement {
  readonly from: EngineNode;
  readonly instances: number;
  readonly suspendedDefinitions: number;
  readonly suspendedInstances: number;
  readonly suspended: readonly ProcessDefinitionDto[];
}

interface SchemaMeasurement {
  readonly reported: string;
  readonly version: Version | undefined;
  readonly timestamp: string | null;
}

interface EngineMeasurement {
  readonly probes: readonly NodeProbe[];
  readonly load?: LoadMeasurement | Failure | undefined;
  readonly schema?: SchemaMeasurement | Failure | undefined;
  readonly access?: AccessReport | Failure | undefined;
}

const failureOf = (error: unknown): Failure => ({ failed: error instanceof Error ? error.message : String(error) });
const isFailure = (value: object): value is Failure => 'failed' in value;

/**
 * /engine exists only at the root of the REST API, so the list is asked without the engine name.
 * /version is asked of the engine's own base: with --engine below /engine/{name}
 * (NamedProcessEngineRestServiceImpl.java:254-256), because behind the authentication filter a
 * path outside /engine/{name} goes to the engine `default`, and a node without one answers 404
 * "Process engine default not available" (ProcessEngineAuthenticationFilter.java:130-137, 226-236).
 * A node that lists its engines without the named one is up; its version is then unknown.
 */
async function probeNode(node: EngineNode, options: EngineOptions, context: ClientContext): Promise<NodeProbe> {
  const engine = options.connection.engine;
  const at = { ...options.connection, url: node.url, urlOption: node.option };
  const client = createCamundaClient(at, context);
  const root = engine === undefined ? client : createCamundaClient({ ...at, engine: undefined }, context);
  const started = msSinceStart();
  const timed = <T>(request: Promise<T>) => request.then((value) => ({ value, seconds: Math.round(msSinceStart() - started) / 1000 }));
  const version = timed(client.get('/version', {}, versionShape));
  try {
    if (engine === undefined) return upProbe(node, await version);
    // Settled apart: the version of an engine the node does not run fails, and the list says why.
    const [listed, read] = await Promise.all([
      timed(root.get('/engine', {}, arrayOf(processEngine))),
      version.then((answer) => ({ answer }), (error: unknown) => ({ error })),
    ]);
    const engines = listed.value.map((e) => e.name ?? '').filter(Boolean);
    if (!engines.includes(engine)) return { node, up: true, reported: '', version: undefined, seconds: listed.seconds, engines, engineMissing: true };
    if ('error' in read) throw read.error;
    return { ...upProbe(node, read.answer), engines };
  } catch (error) {
    return { node, up: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function upProbe(node: EngineNode, answer: { value: { version?: string | null }; seconds: number }): UpProbe {
  const reported = typeof answer.value.version === 'string' ? cleanText(answer.value.version, 60) : '';
  return { node, up: true, reported, version: parseVersion(answer.value.version), seconds: answer.seconds };
}

async function measureLoad(client: CamundaClient, from: EngineNode, list: number): Promise<LoadMeasurement> {
  const [instances, suspendedDefinitions, suspendedInstances, suspended] = await Promise.all([
    countOf(client, '/process-instance/count', {}),
    countOf(client, '/process-definition/count', { suspended: true }),
    countOf(client, '/process-instance/count', { suspended: true }),
    // Asked at once rather than after the count: one round trip less, and an empty answer costs nothing.
    list > 0
      ? client.get('/process-definition', { suspended: true, sortBy: 'key', sortOrder: 'asc', firstResult: 0, maxResults: list }, arrayOf(processDefinition))
      : Promise.resolve([]),
  ]);
  return {
    from,
    instances,
    suspendedDefinitions,
    suspendedInstances,
    suspended,
  };
}

const SCHEMA_RIGHTS =
  'the monitoring user must be a member of the group camunda-admin (or, where the engine has it, hold READ permission on the System resource)';

async function measureSchema(client: CamundaClient): Promise<SchemaMeasurement | Failure> {
  let entries;
  try {
    entries = await client.get(
      '/schema/log',
      { sortBy: 'timestamp', sortOrder: 'desc', firstResult: 0, maxResults: DEFAULTS.schemaEntries },
      arrayOf(schemaLogEntry),
    );
  } catch (error) {
    if (error instanceof CamundaError && error.httpStatus === 403) return { failed: `the database schema version is not readable (HTTP 403 for GET /schema/log): ${SCHEMA_RIGHTS}` };
    if (error instanceof CamundaError && error.httpStatus === 404) {
      return { failed: `${error.message} (the schema log exists from Camunda 7.11 on; leave out --check-schema for older engines)` };
    }
    throw error;
  }
  // The engine answers users without the right with an empty list, not with 403; every schema since 7.11 has an entry.
  if (entries.length === 0) return { failed: `the schema log is empty or hidden: ${SCHEMA_RIGHTS}` };
  const dated = entries.map((entry) => ({ entry, version: parseVersion(entry.version) }));
  const newest = dated.reduce((best, candidate) => {
    if (!candidate.version) return best;
    return !best.version || compareVersions(candidate.version, best.version) > 0 ? candidate : best;
  }, dated[0]!);
  return { reported: cleanText(newest.entry.version ?? '', 60), version: newest.version, timestamp: newest.entry.timestamp };
}

async function measure(options: EngineOptions, context: RunContext): Promise<EngineMeasurement> {
  const needsMore = options.load || options.checkSchema;
  // A hanging node must not use up the whole run: the requests to the first node that answered need time too.
  const probeDeadline = needsMore ? Date.now() + (context.deadline - Date.now()) / 2 : context.deadline;
  const probeContext: ClientContext = {
    ...context,
    deadline: probeDeadline,
    timeoutSeconds: Math.max(0.1, Math.round((probeDeadline - Date.now()) / 100) / 10),
  };
  const probes = await Promise.all(options.nodes.map((node) => probeNode(node, options, probeContext)));
  if (!needsMore) return { probes };

  const engine = options.connection.engine;
  // All nodes share one database: the first node that answered (and serves the engine) speaks for all.
  const source = probes.find((p): p is UpProbe => p.up && (engine === undefined || (p.engines ?? []).includes(engine)));
  if (!source) return { probes };
  const client = createCamundaClient({ ...options.connection, url: source.node.url, urlOption: source.node.option }, context);
  const [load, schema, access] = await Promise.all([
    options.load ? measureLoad(client, source.node, options.list).catch(failureOf) : Promise.resolve(undefined),
    options.checkSchema ? measureSchema(client).catch(failureOf) : Promise.resolve(undefined),
    options.accessCheck ? checkAccess(client, options.connection).catch(failureOf) : Promise.resolve(undefined),
  ]);
  return { probes, load, schema, access };
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/** One judged statement: it goes into the summary unless it is OK, or when it is what the status line always says. */
interface Finding {
  readonly state: State;
  readonly text: string;
  readonly headline?: boolean;
}

const joinLabels = (probes: readonly { node: EngineNode }[]): string => probes.map((p) => p.node.label).join(', ');
const shownVersion = (probe: UpProbe): string => (probe.engineMissing ? 'version unknown (no such engine)' : probe.reported || 'no version');

function nodeFindings(probes: readonly NodeProbe[], nodesDown: Metric): Finding[] {
  const down = probes.filter((p): p is Extract<NodeProbe, { up: false }> => !p.up);
  if (down.length === 0) return [];
  const state = judge(nodesDown);
  if (probes.length === 1) return [{ state, text: `${annotate(`${down[0]!.node.label} down`, state)}: ${down[0]!.reason}` }];
  const text = down.length === probes.length ? `all ${probes.length} nodes down` : `${down.length} of ${probes.length} nodes down: ${joinLabels(down)}`;
  return [{ state, text: annotate(text, state) }];
}

/** What the nodes run, and whether they agree: the rolling update rules. */
function versionFindings(up: readonly UpProbe[], total: number): Finding[] {
  if (up.length === 0) return [];
  const findings: Finding[] = [];
  const unreadable = up.filter((p) => !p.version);
  for (const probe of unreadable) {
    findings.push({
      state: State.UNKNOWN,
      text: annotate(`${probe.node.label} reports ${probe.reported ? `version '${probe.reported}', which is not a version number` : 'no version'}`, State.UNKNOWN),
    });
  }
  const distinct = [...new Set(up.map(shownVersion))];
  if (distinct.length === 1) {
    const runs = up.length === 1 ? `${up[0]!.node.label} runs` : up.length === total ? `all ${total} nodes run` : `${joinLabels(up)} run`;
    return [{ state: State.OK, text: `${runs} ${distinct[0]}`, headline: true }, ...findings];
  }

  const versioned = up.filter((p): p is UpProbe & { version: Version } => !!p.version);
  const sorted = [...versioned].sort((a, b) => compareVersions(a.version, b.version));
  const newest = sorted[sorted.length - 1]?.version;
  const farBehind = newest ? versioned.filter((p) => (minorsBehind(p.version, newest) ?? 0) > 1) : [];
  const listing = [...sorted, ...unreadable].map((p) => `${p.node.label} runs ${shownVersion(p)}`).join(', ');
  const skew: Finding =
    farBehind.length > 0
      ? {
          state: State.CRITICAL,
          text: `${listing} (rolling update in progress; ${joinLabels(farBehind)} more than one minor version behind ${newest!.text}: critical)`,
        }
      : { state: State.WARNING, text: `${listing} (rolling update in progress)` };
  return [skew, ...findings];
}

function pinFindings(up: readonly UpProbe[], options: EngineOptions): Finding[] {
  const findings: Finding[] = [];
  const state = options.versionState;
  const { expectVersion, minVersion } = options;
  const versioned = up.filter((p): p is UpProbe & { version: Version } => !!p.version);
  if (expectVersion) {
    const off = versioned.filter((p) => !matchesPattern(p.version, expectVersion));
    if (off.length) findings.push({ state, text: annotate(`not the expected ${expectVersion.text}: ${joinLabels(off)}`, state) });
  }
  if (minVersion) {
    const old = versioned.filter((p) => compareVersions(p.version, minVersion) < 0);
    if (old.length) findings.push({ state, text: annotate(`older than the minimum ${minVersion.text}: ${joinLabels(old)}`, state) });
  }
  return findings;
}

function engineFindings(up: readonly UpProbe[], engine: string | undefined): Finding[] {
  if (engine === undefined) return [];
  const missing = up.filter((p) => !(p.engines ?? []).includes(engine));
  if (missing.length === 0) return [];
  const there = (missing[0]!.engines ?? []).map((name) => cleanText(name, 60));
  const names = there.length ? `engines there: ${there.join(', ')}` : 'no engine runs there';
  return [{ state: State.CRITICAL, text: `engine '${cleanText(engine, 80)}' does not exist on ${joinLabels(missing)} (critical; ${names})` }];
}

/**
 * The rolling update rule for the database: the schema is updated first, so a node may run
 * one minor version behind it for the duration of the update, never ahead of it and never more.
 * Minor versions are compared only within a major version: Camunda 7.x and Operaton or
 * CIB seven 1.x number their minors independently.
 */
function schemaFindings(up: readonly UpProbe[], schema: SchemaMeasurement | Failure | undefined): Finding[] {
  if (!schema) return [];
  if (isFailure(schema)) return [{ state: State.UNKNOWN, text: annotate(`database schema not checked: ${schema.failed}`, State.UNKNOWN) }];
  if (!schema.version) {
    return [{ state: State.UNKNOWN, text: annotate(`the database schema version '${schema.reported}' is not a version number`, State.UNKNOWN) }];
  }
  const schemaVersion = schema.version;
  const comparable = up.filter((p): p is UpProbe & { version: Version } => !!p.version && p.version.major === schemaVersion.major);
  const behind = (p: UpProbe & { version: Version }): number => minorsBehind(p.version, schemaVersion)!;
  const ahead = comparable.filter((p) => behind(p) < 0);
  const oneBehind = comparable.filter((p) => behind(p) === 1);
  const farBehind = comparable.filter((p) => behind(p) > 1);
  const findings: Finding[] = [];
  if (ahead.length) {
    findings.push({ state: State.CRITICAL, text: annotate(`database schema ${schemaVersion.text} not updated for ${joinLabels(ahead)}`, State.CRITICAL) });
  }
  if (farBehind.length) {
    findings.push({ state: State.CRITICAL, text: annotate(`${joinLabels(farBehind)} more than one minor version behind database schema ${schemaVersion.text}`, State.CRITICAL) });
  }
  if (oneBehind.length) {
    findings.push({ state: State.WARNING, text: annotate(`${joinLabels(oneBehind)} one minor version behind database schema ${schemaVersion.text}`, State.WARNING) });
  }
  return findings;
}

function describeNode(probe: NodeProbe): string {
  const name = probe.node.label === probe.node.url ? probe.node.url : `${probe.node.label} (${probe.node.url})`;
  if (!probe.up) return `${name}: down: ${probe.reason}`;
  const engines = probe.engines ? `, engines ${probe.engines.map((e) => cleanText(e, 60)).join(', ') || 'none'}` : '';
  return `${name}: up, ${shownVersion(probe)}, answered in ${probe.seconds}s${engines}`;
}

function describeSchema(up: readonly UpProbe[], schema: SchemaMeasurement): string {
  const updated = schema.timestamp ? `, updated ${cleanText(schema.timestamp, 40)}` : '';
  const otherMajor = up.filter((p) => p.version && schema.version && p.version.major !== schema.version.major);
  const note = otherMajor.length
    ? `; not compared with ${joinLabels(otherMajor)} (another major version, whose minor versions do not line up with the schema's)`
    : '';
  return `Database schema: ${schema.reported || 'no version'}${updated}${note}`;
}

function describeDefinition(definition: ProcessDefinitionDto): string {
  const tenant = definition.tenantId ? ` [tenant ${cleanText(definition.tenantId, 40)}]` : '';
  return `${cleanText(definition.key ?? definition.id ?? 'unknown definition', 80)} (v${definition.version ?? '?'})${tenant}`;
}

export function evaluateEngine(measurement: EngineMeasurement, options: EngineOptions): PluginOutput {
  const { probes, load, schema, access } = measurement;
  const { thresholds } = options;
  const total = probes.length;
  const up = probes.filter((p): p is UpProbe => p.up);

  const nodesUp: Metric = { label: 'nodes_up', value: up.length, min: 0, max: total };
  const nodesDown: Metric = { label: 'nodes_down', value: total - up.length, ...thresholds.nodesDown, min: 0, max: total };
  const slowest = up.reduce<UpProbe | undefined>((worstSoFar, p) => (!worstSoFar || p.seconds > worstSoFar.seconds ? p : worstSoFar), undefined);
  // No node answered: no time was measured, and a 0 would draw a fast engine into the graph.
  const time: Metric | undefined = slowest ? { label: 'time', value: slowest.seconds, unit: 's', ...thresholds.time, min: 0 } : undefined;

  const findings: Finding[] = [
    ...nodeFindings(probes, nodesDown),
    ...engineFindings(up, options.connection.engine),
    // A node without the named engine has no version to compare (engineFindings names it).
    ...versionFindings(up.filter((p) => !p.engineMissing), total),
    ...pinFindings(up, options),
    ...schemaFindings(up, schema),
  ];
  if (time) {
    const state = judge(time);
    findings.push({ state, text: annotate(`slowest answer ${time.value}s from ${slowest!.node.label}`, state) });
  }

  const loadMetrics: Metric[] = [];
  if (load && isFailure(load)) {
    findings.push({ state: State.UNKNOWN, text: annotate(`load not measured: ${load.failed}`, State.UNKNOWN) });
  } else if (load) {
    const counted: [Metric, string][] = [
      // GET /process-instance/count counts every process instance execution (Execution.xml:281
      // `RES.PARENT_ID_ is null`): suspended ones and those called by a call activity included.
      [{ label: 'instances', value: load.instances, ...thresholds.instances, min: 0 }, 'process instance'],
      [{ label: 'suspended_definitions', value: load.suspendedDefinitions, ...thresholds.suspendedDefinitions, min: 0 }, 'suspended process definition'],
      [{ label: 'suspended_instances', value: load.suspendedInstances, ...thresholds.suspendedInstances, min: 0 }, 'suspended process instance'],
    ];
    for (const [metric, noun] of counted) {
      const state = judge(metric);
      findings.push({ state, text: annotate(plural(metric.value, noun), state) });
      loadMetrics.push(metric);
    }
  }

  if (access && isFailure(access)) {
    findings.push({ state: State.UNKNOWN, text: annotate(`access not checked: ${access.failed} (--no-access-check leaves it out)`, State.UNKNOWN) });
  } else if (access) {
    // A partial view: every figure of every check may be too low, and nothing else would say so.
    for (const gap of accessGaps(access, (text) => cleanText(text, 60))) findings.push({ state: State.WARNING, text: annotate(gap, State.WARNING) });
  }

  const summary = findings.filter((f) => f.headline || f.state !== State.OK);

  const details = probes.map(describeNode);
  if (schema && !isFailure(schema)) details.push(describeSchema(up, schema));
  if (load && !isFailure(load)) {
    details.push(
      `Load (read from ${load.from.label}): ${plural(load.instances, 'process instance')} (suspended and called ones included), ` +
        `${plural(load.suspendedDefinitions, 'suspended process definition')}, ${plural(load.suspendedInstances, 'suspended process instance')}`,
    );
    if (load.suspended.length > 0) {
      const shown = load.suspended.length;
      details.push(shown < load.suspendedDefinitions ? `Suspended process definitions, ${shown} of ${load.suspendedDefinitions}:` : 'Suspended process definitions:');
      details.push(...load.suspended.map(describeDefinition));
    }
  }
  if (access && !isFailure(access)) details.push(describeAccess(access, (text) => cleanText(text, 60)));
  return {
    state: worst(findings.map((f) => f.state)),
    summary: summary.map((f) => f.text).join(', '),
    perfdata: [...(time ? [time] : []), nodesUp, nodesDown, ...loadMetrics],
    details,
  };
}

export const engineCheck = camundaPlugin<EngineOptions>({
  prefix: 'CAMUNDA ENGINE',
  checksAccess: true,
  commandLine: {
    command: 'check_camunda_engine',
    description:
      'Is every node of the Camunda engine up, on the version it should run and on a database schema it can work ' +
      'with, and how loaded is the engine? Asks GET /version (of --engine) on --url and every --node in parallel, reports the ' +
      'versions and where a rolling update stands, and counts process instances (as Camunda does: suspended and ' +
        'called ones included), suspended process instances and ' +
      'suspended process definitions. With --no-load it serves as the Icinga host check of a Camunda host.',
    examples: [
      ['$0 --url http://node1:8080/engine-rest --node http://node2:8080/engine-rest', 'both nodes up and on one version; WARNING during a rolling update'],
      ['$0 --url http://camunda:8080/engine-rest --expect-version 7.22 --version-state critical', 'CRITICAL unless the engine runs a 7.22.x version'],
      ['$0 --url http://camunda:8080/engine-rest --check-schema --username admin-monitor --password-file /etc/nagios/camunda-admin.pw', 'also compare the database schema version (the user must be in camunda-admin)'],
      ['$0 --url http://camunda:8080/engine-rest --no-load -w 2 -c 5', 'host check: reachability and answer time only'],
      ['$0 --url http://camunda:8080/engine-rest --username monitor --password-file /etc/nagios/camunda.pw', 'WARNING when the monitoring user may not see everything'],
      ['$0 --url http://camunda:8080/engine-rest --instances-warning 50000 --suspended-instances-warning ""', 'warn on many running instances, tolerate suspended ones'],
    ],
    epilogue: [
      'Performance data:',
      '  time                   answer time of the slowest node in seconds, left out when no node answered (-w/-c)',
      '  nodes_up               nodes that answered GET /version (with --engine: GET /engine, also when it lacks the engine)',
      '  nodes_down             nodes that did not (--nodes-down-warning/--nodes-down-critical)',
      '  instances              process instances, suspended and called ones included, not with --no-load',
      '                         (--instances-warning/--instances-critical)',
      '  suspended_definitions  suspended process definitions, all versions',
      '                         (--suspended-definitions-warning/--suspended-definitions-critical)',
      '  suspended_instances    suspended process instances (--suspended-instances-warning/--suspended-instances-critical)',
      '',
      'Versions: nodes on different versions are WARNING (rolling update in progress); a node more than one minor',
      'version behind the newest is CRITICAL. With --check-schema, a node newer than the database schema or more',
      'than one minor version behind it is CRITICAL, one minor version behind is WARNING. Minor versions are',
      'compared within a major version only (Camunda 7.x, Operaton and CIB seven 1.x).',
      '',
      'Access: unless --no-access-check or --no-load, the check asks GET /authorization/check whether the user',
      'may READ, READ_INSTANCE, READ_TASK and READ_HISTORY on all process definitions, and compares its tenant',
      'memberships with the tenants (GET /group, /tenant): 5 to 8 small requests. Camunda leaves out what a',
      'user may not see instead of refusing, so a gap is a WARNING naming the permission and keys, or tenants.',
      '',
      'Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad option, timeout, schema log or counts not readable). A node',
      'that does not answer (refused, timed out, authentication failed) is down, not UNKNOWN: by default WARNING, CRITICAL',
      'when all nodes are down.',
    ].join('\n'),
    options,
    toOptions,
  },
  async check(options, context: RunContext) {
    context.log.log(2, `nodes: ${options.nodes.map((node) => (node.label === node.url ? node.url : `${node.label} ${node.url}`)).join(', ')}`);
    return evaluateEngine(await measure(options, context), options);
  },
});
