import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { CHECKS, icingaInstalled, icingaValue, icingaVars, startIcinga, unusedPort, type IcingaCheckResult, type RunningIcinga } from '../support/icinga';

/*
 * The real Icinga 2 runs the built checks through the project's CheckCommands: a private daemon
 * (test/support/icinga.ts) with hosts pointing at the embedded simulator, one service per row of
 * SERVICES. Every service is forced at once; each row then asserts the state and output Icinga
 * stored, the command line it built (arrays, flags, no secrets) and, through its InfluxdbWriter,
 * that Icinga parsed the performance data (label, value, thresholds, unit).
 */

const PASSWORD = 'icinga-e2e-Secret-Pa55';

/**
 * Incidents, jobs and job definitions for every check (src/simulator/README.md has the format);
 * for the SLA check, a process SLA on invoice v1 and order's model from test/fixtures/bpmn.
 */
const scenario = loadScenario(fileURLToPath(new URL('scenario.json', import.meta.url)));

/** Hosts of the Icinga configuration: the engine, the same engine behind Basic auth, nothing at all. */
type HostName = 'camunda' | 'camunda-secured' | 'camunda-down';

type StateName = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
const STATES: Record<StateName, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

/** A parsed perfdata item: exact numbers, or [low, high] for a value that depends on the clock. */
interface PerfdataExpectation {
  readonly value: number | readonly [number, number];
  readonly warn?: number;
  readonly crit?: number;
  readonly min?: number;
  readonly max?: number;
  /** Icinga's unit name: `seconds` for `s`. */
  readonly unit?: string;
}

interface IcingaService {
  /** Service name in Icinga, unique per host. */
  readonly service: string;
  readonly host: HostName;
  /** The CheckCommand; the row runs only where its check is in package.json "bin". */
  readonly command: string;
  /** Custom variables of the service; they take precedence over the host's (camunda_url, credentials). */
  readonly vars?: Record<string, unknown>;
  readonly state: StateName;
  /** Against Icinga's `output`: status line without perfdata, then the long output. */
  readonly output: RegExp;
  /** Labels as the plugin prints them → what Icinga parsed; every raw item must have been parsed. */
  readonly perfdata?: Record<string, PerfdataExpectation>;
  /** Consecutive arguments that must appear in the command line Icinga built. */
  readonly commandLine?: readonly string[];
  /** Arguments that must not appear in the command line. */
  readonly notInCommandLine?: readonly string[];
}

/*
 * One row per service. Add a check: a few rows with its CheckCommand (a default run, a threshold
 * variant, a filter), on the hosts above; the scenario already has jobs and job definitions.
 */
const SERVICES: readonly IcingaService[] = [
  {
    service: 'incidents',
    host: 'camunda',
    command: 'camunda-incidents',
    state: 'WARNING',
    output:
      /^CAMUNDA INCIDENTS WARNING - 3 open incidents \(warning\), 2 new in the last 15m, oldest 10h, 3 causes, 2 new causes: largest 1 × failedExternalTask in order at Task_Ship: Worker timeout\s*\nCauses, largest first:\n1 × failedExternalTask in order \(v1\) at Task_Ship 2m ago \(new\): Worker timeout\n1 × failedJob in invoice \(v2\) at ServiceTask_Book 5m ago \(new\): SAP said ¦ no\n/,
    perfdata: {
      incidents: { value: 3, warn: 0, min: 0 },
      new_incidents: { value: 2, min: 0 },
      oldest_incident_age: { value: [36_000, 36_120], min: 0, unit: 'seconds' },
      causes: { value: 3, min: 0 },
      new_causes: { value: 2, min: 0 },
    },
    commandLine: ['--warning', '0'],
    notInCommandLine: ['--insecure', '--verbose', '--password', '--critical'],
  },
  {
    service: 'incidents-quiet',
    host: 'camunda',
    command: 'camunda-incidents',
    vars: { camunda_incidents_process_definition_key: ['quiet'] },
    state: 'OK',
    output: /^CAMUNDA INCIDENTS OK - no open incidents\s*\nFilter: process definition quiet$/,
    perfdata: { incidents: { value: 0, warn: 0, min: 0 }, new_incidents: { value: 0, min: 0 }, oldest_incident_age: { value: 0, min: 0, unit: 'seconds' } },
  },
  {
    service: 'incidents-team-critical',
    host: 'camunda',
    command: 'camunda-incidents',
    vars: { camunda_incidents_process_definition_key: ['invoice', 'order'], camunda_incidents_critical: '2', camunda_incidents_list: 1 },
    state: 'CRITICAL',
    output: /^CAMUNDA INCIDENTS CRITICAL - 3 open incidents \(critical\), 2 new in the last 15m, oldest 10h, 3 causes, 2 new causes: [^\n]*\s*\nFilter: process definition invoice, order\nCauses, largest first:\n1 × failedExternalTask in order \(v1\)[^\n]*\n2 more causes not shown \(--list 1\)/,
    perfdata: { incidents: { value: 3, warn: 0, crit: 2, min: 0 }, new_incidents: { value: 2, min: 0 } },
    commandLine: ['--process-definition-key', 'invoice', '--process-definition-key', 'order'],
  },
  {
    service: 'incidents-new-window',
    host: 'camunda',
    command: 'camunda-incidents',
    vars: { camunda_incidents_new_window: '3m', camunda_incidents_new_critical: '0', camunda_incidents_list: 0, camunda_timeout: 20 },
    state: 'CRITICAL',
    output: /^CAMUNDA INCIDENTS CRITICAL - 3 open incidents \(warning\), 1 new in the last 3m \(critical\), oldest 10h, 3 causes, 1 new cause: largest 1 × failedExternalTask in order at Task_Ship\s*$/,
    perfdata: { incidents: { value: 3, warn: 0 }, new_incidents: { value: 1, crit: 0, min: 0 } },
    commandLine: ['--timeout', '20'],
  },
  {
    // A new kind of problem is CRITICAL, however few incidents it has.
    service: 'incidents-new-cause',
    host: 'camunda',
    command: 'camunda-incidents',
    vars: { camunda_incidents_warning: '', camunda_incidents_new_causes_critical: '0', camunda_incidents_causes_warning: '2', camunda_incidents_max_causes: 10, camunda_incidents_list: 1 },
    state: 'CRITICAL',
    output: /^CAMUNDA INCIDENTS CRITICAL - 3 open incidents, 2 new in the last 15m, oldest 10h, 3 causes \(warning\), 2 new causes \(critical\): [^\n]*\s*\nCauses, largest first:\n1 × failedExternalTask in order \(v1\) at Task_Ship 2m ago \(new\): Worker timeout\n2 more causes not shown \(--list 1\)\s*$/,
    perfdata: { causes: { value: 3, warn: 2, min: 0 }, new_causes: { value: 2, crit: 0, min: 0 } },
    commandLine: ['--max-causes', '10', '--new-causes-critical', '0'],
  },
  {
    // Basic auth: the password travels in env.CAMUNDA_PASSWORD, never in the command line.
    service: 'incidents-secured',
    host: 'camunda-secured',
    command: 'camunda-incidents',
    vars: { camunda_incidents_incident_type: ['failedExternalTask'] },
    state: 'WARNING',
    output: /^CAMUNDA INCIDENTS WARNING - 1 open incident \(warning\), 1 new in the last 15m, oldest 2m, 1 cause, 1 new cause: 1 × failedExternalTask [^\n]*\s*\nFilter: type failedExternalTask\n/,
    perfdata: { incidents: { value: 1, warn: 0, min: 0 }, new_incidents: { value: 1 } },
    commandLine: ['--username', 'monitor'],
  },
  {
    // Icinga merges stderr into the output as it arrives: the -v request lines (never the password)
    // come before the status line, which is why camunda_verbose is for debugging only.
    service: 'incidents-secured-verbose',
    host: 'camunda-secured',
    command: 'camunda-incidents',
    vars: { camunda_verbose: true, camunda_incidents_list: 0 },
    state: 'WARNING',
    output: /^GET http:\/\/127\.0\.0\.1:\d+\/engine-rest\/incident\/count -> HTTP 200, [\s\S]*\nCAMUNDA INCIDENTS WARNING - 3 open incidents \(warning\), 2 new in the last 15m, oldest 10h, [^\n]*\s*\nSeen as user '[^']+': Camunda leaves out what it may not read[^\n]*\s*$/,
    perfdata: { incidents: { value: 3 } },
    commandLine: ['--verbose'],
  },
  {
    service: 'incidents-wrong-password',
    host: 'camunda-secured',
    command: 'camunda-incidents',
    vars: { camunda_password: 'not-the-password' },
    state: 'UNKNOWN',
    output: /^CAMUNDA INCIDENTS UNKNOWN - authentication failed \(HTTP 401\) for GET \/incident\/count on http:\/\/127\.0\.0\.1:\d+\/engine-rest: check --username and the password/,
  },
  {
    service: 'incidents-unreachable',
    host: 'camunda-down',
    command: 'camunda-incidents',
    state: 'UNKNOWN',
    output: /^CAMUNDA INCIDENTS UNKNOWN - cannot reach GET \/incident\/count on http:\/\/127\.0\.0\.1:\d+\/engine-rest: connection refused/,
  },
  {
    service: 'jobs',
    host: 'camunda',
    command: 'camunda-jobs',
    state: 'WARNING',
    output: /^CAMUNDA JOBS WARNING - 2 executable, 2 overdue \(warning\), oldest waiting 30m, 2 failed \(warning\), 1 retrying, 1 suspended job definition \(warning\)\s*\nOverdue jobs \(executable, waiting more than 5m\), oldest first:\norder \(v1\): job [\w-]+ due 30m ago, 3 retries left\ninvoice \(v2\): job [\w-]+ created \(no due date\) 10m ago, 2 retries left, last failure: Read timed out\nOverdue may include jobs being executed: engine 7\.15\.0 has no job lock filter \(Camunda 7\.24\+ has\)\.\nSuspended job definitions \(their jobs do not run until activated again\):\nServiceTask_Notify in order \(v1\)/,
    perfdata: {
      executable: { value: 2, min: 0 },
      overdue: { value: 2, warn: 0, min: 0 },
      failed: { value: 2, warn: 0, min: 0 },
      retrying: { value: 1, min: 0 },
      suspended_job_definitions: { value: 1, warn: 0, min: 0 },
    },
    commandLine: ['--overdue-after', '5m'],
  },
  {
    service: 'jobs-quiet',
    host: 'camunda',
    command: 'camunda-jobs',
    vars: { camunda_jobs_process_definition_key: ['quiet'] },
    state: 'OK',
    output: /^CAMUNDA JOBS OK - 0 executable, 0 overdue, 0 failed, 0 retrying, 0 suspended job definitions\s*\nFilter: process definition quiet$/,
    perfdata: { executable: { value: 0 }, overdue: { value: 0 }, failed: { value: 0 }, retrying: { value: 0 }, suspended_job_definitions: { value: 0 } },
    commandLine: ['--process-definition-key', 'quiet'],
  },
  {
    service: 'jobs-failed-critical',
    host: 'camunda',
    command: 'camunda-jobs',
    vars: { camunda_jobs_failed_critical: '1', camunda_jobs_list: 0 },
    state: 'CRITICAL',
    output: /^CAMUNDA JOBS CRITICAL - .*2 failed \(critical\)/,
    perfdata: { failed: { value: 2, warn: 0, crit: 1, min: 0 } },
    commandLine: ['--failed-critical', '1'],
  },
  {
    // The engine's metrics: reports 5m (3 jobs) and 20m ago (40 jobs, 1 failure) are in the 30m window.
    service: 'jobs-throughput',
    host: 'camunda',
    command: 'camunda-jobs',
    vars: { camunda_jobs_throughput: true, camunda_jobs_list: 0 },
    state: 'WARNING',
    // The status line is cut at 200 characters; its whole text is the first long output line.
    output: /^CAMUNDA JOBS WARNING - [^\n]{100,180}…\s*\n2 executable, [^\n]*, in 30m: 43 succeeded, 1 failed, 0 rejected, 0 acquisition failures\n[\s\S]*Throughput: sums of the metrics all engine nodes wrote in the last 30m, engine-wide/,
    perfdata: { jobs_successful: { value: 43, min: 0 }, jobs_failed: { value: 1, min: 0 }, jobs_rejected: { value: 0, min: 0 }, acquisition_failures: { value: 0, min: 0 } },
    commandLine: ['--throughput'],
  },
  {
    // Camunda 7.15 records no creation time of external tasks: counts, but no age (the long output says so).
    service: 'external-tasks',
    host: 'camunda',
    command: 'camunda-external-tasks',
    state: 'WARNING',
    output: /^CAMUNDA EXTERNAL TASKS WARNING - 'ship': 1 failed \(warning\) \/ 'archive' 2 waiting, 1 locked\s*\n'ship': 0 waiting, 0 locked, 0 expired locks, 1 failed \(warning\), 0 retrying\n'archive': 2 waiting, 1 locked, 0 expired locks, 0 failed, 0 retrying, age of the oldest waiting task unknown\nCamunda 7\.15\.0 records no creation time/,
    perfdata: { ship_failed: { value: 1, warn: 0, min: 0 }, archive_waiting: { value: 2, min: 0 }, archive_locked: { value: 1, min: 0 }, archive_expired_locks: { value: 0, min: 0 } },
    commandLine: ['--stale', '5m'],
  },
  {
    service: 'external-tasks-topic',
    host: 'camunda',
    command: 'camunda-external-tasks',
    vars: { camunda_external_tasks_topic: ['archive', 'send-mail'], camunda_external_tasks_missing_state: 'critical' },
    state: 'CRITICAL',
    output: /^CAMUNDA EXTERNAL TASKS CRITICAL - topic 'send-mail' has no external tasks \(a typo, or no work now, see --missing-state\) \(critical\) \/ 'archive' 2 waiting, 1 locked/,
    perfdata: { archive_waiting: { value: 2, min: 0 } },
    commandLine: ['--topic', 'archive', '--topic', 'send-mail'],
  },
  {
    service: 'engine',
    host: 'camunda',
    command: 'camunda-engine',
    state: 'OK',
    output: /^CAMUNDA ENGINE OK - 127\.0\.0\.1 runs 7\.15\.0\s*\n127\.0\.0\.1 \(http:\/\/127\.0\.0\.1:\d+\/engine-rest\): up, 7\.15\.0, answered in [\d.]+s\nLoad \(read from 127\.0\.0\.1\): 8 process instances \(suspended and called ones included\)/,
    perfdata: {
      time: { value: [0, 5], min: 0, unit: 'seconds' },
      nodes_up: { value: 1, min: 0, max: 1 },
      nodes_down: { value: 0, warn: 0, crit: 0, min: 0, max: 1 },
      instances: { value: 8, min: 0 },
      suspended_definitions: { value: 0, warn: 0, min: 0 },
      suspended_instances: { value: 0, warn: 0, min: 0 },
    },
  },
  {
    service: 'engine-version-pin',
    host: 'camunda',
    command: 'camunda-engine',
    vars: { camunda_engine_expect_version: '7.22', camunda_engine_no_load: true },
    state: 'WARNING',
    output: /^CAMUNDA ENGINE WARNING - 127\.0\.0\.1 runs 7\.15\.0, not the expected 7\.22: 127\.0\.0\.1 \(warning\)/,
    perfdata: { nodes_up: { value: 1 }, nodes_down: { value: 0 } },
    commandLine: ['--expect-version', '7.22', '--no-load'],
  },
  {
    // The host check of a two-node cluster whose second node is gone: WARNING, not DOWN.
    service: 'engine-node-down',
    host: 'camunda',
    command: 'camunda-engine',
    vars: { camunda_engine_nodes: ['http://127.0.0.1:9/engine-rest'], camunda_engine_no_load: true },
    state: 'WARNING',
    output: /^CAMUNDA ENGINE WARNING - 1 of 2 nodes down: 127\.0\.0\.1:9 \(warning\)/,
    perfdata: { nodes_up: { value: 1, max: 2 }, nodes_down: { value: 1, warn: 0, crit: 1, min: 0, max: 2 } },
    commandLine: ['--node', 'http://127.0.0.1:9/engine-rest'],
  },
  {
    service: 'engine-unreachable',
    host: 'camunda-down',
    command: 'camunda-engine',
    state: 'CRITICAL',
    output: /^CAMUNDA ENGINE CRITICAL - 127\.0\.0\.1 down \(critical\): cannot reach GET \/version/,
    perfdata: { nodes_up: { value: 0 }, nodes_down: { value: 1, crit: 0 } },
  },
  {
    // A team's bundle, summed over all versions (invoice has instances and incidents on v1 and v2);
    // two keys: --mode auto counts per key instead of reading the statistics of every version.
    service: 'definition-team',
    host: 'camunda',
    command: 'camunda-definition',
    vars: { camunda_definition_key: ['invoice', 'order'], camunda_definition_incidents_critical: '1' },
    state: 'CRITICAL',
    output: /^CAMUNDA DEFINITION CRITICAL - invoice: 2 incidents \(critical\) \/ order OK\s*\nSelection: keys invoice, order; count queries per key\ninvoice \(Invoice Receipt\): 2 instances, 2 incidents \(critical\), 2 failed jobs; all versions, latest 2\n/,
    perfdata: {
      invoice_instances: { value: 2, min: 0 },
      invoice_incidents: { value: 2, crit: 1, min: 0 },
      invoice_failed_jobs: { value: 2, min: 0 },
      order_instances: { value: 1, min: 0 },
      order_incidents: { value: 1, crit: 1, min: 0 },
      order_failed_jobs: { value: 0, min: 0 },
    },
    commandLine: ['--key', 'invoice', '--key', 'order'],
  },
  {
    service: 'definition-overview',
    host: 'camunda',
    command: 'camunda-definition',
    state: 'OK',
    output: /^CAMUNDA DEFINITION OK - invoice, order, quiet OK\s*\n/,
    perfdata: { quiet_instances: { value: 5, min: 0 }, quiet_incidents: { value: 0, min: 0 }, order_failed_jobs: { value: 0, min: 0 } },
    notInCommandLine: ['--key', '--tasks', '--latest-only'],
  },
  {
    service: 'definition-counts-tasks',
    host: 'camunda',
    command: 'camunda-definition',
    vars: { camunda_definition_key: ['invoice'], camunda_definition_mode: 'counts', camunda_definition_tasks: true },
    state: 'OK',
    output: /^CAMUNDA DEFINITION OK - invoice OK\s*\nSelection: key invoice; count queries per key\n/,
    perfdata: { invoice_instances: { value: 2 }, invoice_incidents: { value: 2 }, invoice_failed_jobs: { value: 2 }, invoice_tasks: { value: 0, min: 0 } },
    commandLine: ['--mode', 'counts'],
  },
  {
    // After a deployment went wrong: a selected key that is not deployed is CRITICAL by default.
    service: 'definition-missing',
    host: 'camunda',
    command: 'camunda-definition',
    vars: { camunda_definition_key: ['nope'] },
    state: 'CRITICAL',
    output: /^CAMUNDA DEFINITION CRITICAL - nope: not deployed \(critical\)/,
  },
  {
    // The process SLA of invoice v1 (P1D), breached by its instance started 2d ago; v2's model has none.
    service: 'sla-invoice',
    host: 'camunda',
    command: 'camunda-sla',
    vars: { camunda_sla_key: ['invoice'] },
    state: 'CRITICAL',
    output: /^CAMUNDA SLA CRITICAL - invoice: 1 breached at the process level \(SLA 1d, oldest 2d\) \(critical\)\s*\ninvoice \(Invoice Receipt\): 1 breached, 0 at risk; running versions 1, 2\n  process instances, v1: SLA 1d, at risk from 19h 12m: 1 breached \(oldest 2d\), 0 at risk\n/,
    perfdata: {
      invoice_breached: { value: 1, crit: 0, min: 0 },
      invoice_at_risk: { value: 0, warn: 0, min: 0 },
    },
    commandLine: ['--key', 'invoice'],
    notInCommandLine: ['--sla', '--instance-sla', '--at-risk'],
  },
  {
    // SLAs from the command line override order's model (wait_for_confirmation PT30M there): waiting
    // 25m is within PT1H and not yet at risk at 50%; the pack task of 10m is at risk of its PT15M.
    service: 'sla-order-command-line',
    host: 'camunda',
    command: 'camunda-sla',
    vars: { camunda_sla_key: ['order'], camunda_sla_activity_sla: ['wait_for_confirmation=PT1H', 'pack=PT15M'], camunda_sla_at_risk: '50%' },
    state: 'WARNING',
    output: /^CAMUNDA SLA WARNING - order: 1 at risk \(warning\)\s*\norder \(Order\): 0 breached, 1 at risk; running versions 1\n  'Pack order' \(pack, userTask\), v1: SLA 15m, at risk from 7m 30s: 0 breached, 1 at risk\n  'Ship order' \(ship, callActivity\), v1: SLA 2h, at risk from 1h: 0 breached, 0 at risk\n  'Wait for confirmation' \(wait_for_confirmation, intermediateCatchEvent\), v1: SLA 1h, at risk from 30m: 0 breached, 0 at risk\n.*after 50% of the SLA$/,
    perfdata: {
      order_breached: { value: 0, crit: 0, min: 0 },
      order_at_risk: { value: 1, warn: 0, min: 0 },
    },
    // Icinga orders the arguments by name: --at-risk 50% comes first, its effect is in the output.
    commandLine: ['--sla', 'wait_for_confirmation=PT1H', '--sla', 'pack=PT15M'],
  },
  {
    service: 'sla-unreachable',
    host: 'camunda-down',
    command: 'camunda-sla',
    vars: { camunda_sla_key: ['invoice'] },
    state: 'UNKNOWN',
    output: /^CAMUNDA SLA UNKNOWN - cannot reach GET \/process-definition\/statistics on http:\/\/127\.0\.0\.1:\d+\/engine-rest: connection refused/,
  },
];

const installed = icingaInstalled();
const available = new Set(CHECKS.map(({ command }) => command));
const rows = SERVICES.filter(({ command }) => available.has(command));

let engine: RunningSimulator | undefined;
let secured: RunningSimulator | undefined;
let icinga: RunningIcinga | undefined;
let results = new Map<string, IcingaCheckResult>();
/** check_camunda_sla's model cache: private to this test and to the user Icinga runs the checks as (this one). */
let slaCacheDir: string | undefined;

function hostVars(host: HostName, down: number): Record<string, unknown> {
  // As an operator sets it where the Icinga user's home directory is not writable.
  const cache = { camunda_sla_cache_dir: slaCacheDir! };
  switch (host) {
    case 'camunda':
      return { camunda_url: engine!.url, ...cache };
    case 'camunda-secured':
      return { camunda_url: secured!.url, camunda_username: 'monitor', camunda_password: PASSWORD, ...cache };
    case 'camunda-down':
      return { camunda_url: `http://127.0.0.1:${down}/engine-rest`, ...cache };
  }
}

function configuration(down: number): string {
  const hosts = (['camunda', 'camunda-secured', 'camunda-down'] as const).map((host) =>
    [`object Host ${icingaValue(host)} {`, '  check_command = "dummy"', ...icingaVars(hostVars(host, down)).map((line) => `  ${line}`), '}'].join('\n'),
  );
  // A long interval: the forced check is the one the test reads, not a scheduled one.
  const services = rows.map(({ service, host, command, vars = {} }) =>
    [
      `object Service ${icingaValue(service)} {`,
      `  host_name = ${icingaValue(host)}`,
      `  check_command = ${icingaValue(command)}`,
      '  check_interval = 1h',
      '  max_check_attempts = 1',
      ...icingaVars(vars).map((line) => `  ${line}`),
      '}',
    ].join('\n'),
  );
  return [...hosts, ...services].join('\n');
}

/** Perfdata labels of the raw items Icinga split off (`'a b'=1;2` → a b). */
function rawLabels(result: IcingaCheckResult): string[] {
  return (result.performance_data ?? []).map((item) => (item.startsWith("'") ? item.slice(1, item.lastIndexOf("'")).replaceAll("''", "'") : item.slice(0, item.indexOf('='))));
}

function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  return haystack.some((_, start) => needle.every((item, offset) => haystack[start + offset] === item));
}

describe('the table of Icinga services', () => {
  it('has a service for every check the package installs', () => {
    const covered = new Set(SERVICES.map(({ command }) => command));
    expect(CHECKS.map(({ command }) => command).filter((command) => !covered.has(command))).toEqual([]);
  });

  it('names each service once per host', () => {
    const names = SERVICES.map(({ host, service }) => `${host}!${service}`);
    expect(new Set(names).size).toBe(names.length);
  });
});

if (!installed) {
  console.warn('icinga2 is not installed (apt-get install icinga2): the end-to-end test with a real Icinga 2 is skipped here; CI installs it');
}

describe.skipIf(!installed)('a real Icinga 2 runs the checks through the CheckCommands', () => {
  beforeAll(async () => {
    engine = await startSimulator({ scenario });
    secured = await startSimulator({ scenario, auth: { username: 'monitor', password: PASSWORD } });
    slaCacheDir = mkdtempSync(join(tmpdir(), 'icinga-sla-cache-'));
    icinga = await startIcinga({
      templates: ['camunda-connection.conf', ...CHECKS.map(({ command }) => `${command}.conf`)],
      objects: configuration(await unusedPort()),
    });
    results = await icinga.checkNow(rows.map(({ host, service }) => ({ host, service })));
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled([icinga?.stop(), engine?.close(), secured?.close()]);
    if (slaCacheDir !== undefined) rmSync(slaCacheDir, { recursive: true, force: true });
  }, 30_000);

  for (const row of rows) {
    it(`${row.host}!${row.service} (${row.command}): ${row.state}`, async () => {
      const result = results.get(`${row.host}!${row.service}`)!;
      const context = `${row.host}!${row.service}: ${JSON.stringify(result, null, 1)}`;
      expect(result.exit_status, context).toBe(STATES[row.state]);
      expect(result.state, context).toBe(STATES[row.state]);
      expect(result.output).toMatch(row.output);
      if (row.commandLine) expect(containsSequence(result.command, row.commandLine), context).toBe(true);
      for (const argument of row.notInCommandLine ?? []) expect(result.command).not.toContain(argument);
      if (row.command === 'camunda-sla') expect(containsSequence(result.command, ['--cache-dir', slaCacheDir!]), context).toBe(true);
      // Secrets of the host and the row go through the environment only.
      for (const secret of [PASSWORD, row.vars?.camunda_password].filter((s): s is string => typeof s === 'string')) {
        expect(result.command.join(' ')).not.toContain(secret);
        expect(result.output).not.toContain(secret);
      }

      const expected = row.perfdata ?? {};
      if (Object.keys(expected).length === 0) {
        expect(result.performance_data ?? []).toEqual([]);
        return;
      }
      const parsed = await icinga!.parsedPerfdata(row.host, row.service, result, rawLabels(result));
      // Every item the plugin printed reached the writer: Icinga could parse all of them.
      expect(Object.keys(parsed).sort()).toEqual(rawLabels(result).sort());
      for (const [label, { value, ...thresholds }] of Object.entries(expected)) {
        const item = parsed[label];
        expect(item, `${label} in ${JSON.stringify(parsed)}`).toBeDefined();
        if (typeof value === 'number') expect(item!.value, label).toBe(value);
        else {
          expect(item!.value, label).toBeGreaterThanOrEqual(value[0]);
          expect(item!.value, label).toBeLessThanOrEqual(value[1]);
        }
        expect(item, label).toMatchObject(thresholds);
      }
    });
  }

  it('Icinga logged no warning or error about the configuration, the checks or their performance data', () => {
    expect(icinga!.log().split('\n').filter((line) => /^\[[^\]]+\] (warning|critical)\//.test(line))).toEqual([]);
  });
});
