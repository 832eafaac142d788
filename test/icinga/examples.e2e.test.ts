import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { CHECKS, TEMPLATES, icingaInstalled, type IcingaCheckResult, type RunningIcinga, startIcinga } from '../support/icinga';
import { createThrowawayPki, type ThrowawayPki } from '../support/tls';

/*
 * The shipped examples (icinga-templates/examples/*.conf) as an operator includes them: byte for
 * byte, with the CheckCommands, in a real Icinga 2. Nothing of them is edited; the test adds only
 * what an operator's installation has (the stand-ins of Icinga's conf.d below) and, after start,
 * points the example hosts at simulators through Icinga's API: POST /v1/objects/hosts/<name> with
 * attrs "vars.camunda_url" & co., the runtime modification Icinga allows for the custom variables
 * of config objects (a host can be defined once only, so no configuration file could override
 * them). What changes is the connection only: URL, password file, CA file. The engines are the
 * demo scenario (keys invoice, order, reminder, tenant acme: the teams of camunda-hosts.conf) and
 * staging.json (the engine "staging" of camunda-staging), both behind Basic auth as monitor; the
 * https hosts are served with a throwaway CA's certificate.
 * Every service the apply rules create is then forced; each must end with a real result.
 */

const installed = icingaInstalled();
const EXAMPLES = join(TEMPLATES, 'examples');
const EXAMPLE_FILES = readdirSync(EXAMPLES).filter((file) => file.endsWith('.conf'));

/** What Icinga's default configuration (conf.d/) defines and the examples use; checks of hosts are not the test's point. */
const DEFAULT_CONFIGURATION = [
  'object TimePeriod "24x7" {\n  ranges = { monday = "00:00-24:00" }\n}',
  'template Host "generic-host" {\n  check_command = "dummy"\n  enable_active_checks = false\n}',
  'template Service "generic-service" {\n  max_check_attempts = 5\n}',
  'object NotificationCommand "mail-service-notification" {\n  command = [ "/bin/true" ]\n}',
  'template Notification "mail-service-notification" {\n  command = "mail-service-notification"\n  period = "24x7"\n}',
];


const STATES = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
type StateName = keyof typeof STATES;

/**
 * What each service the examples make ends with against examples.json (`host!service` → state and
 * the status line up to what the clock could change). The operations services of the apply rules
 * land on camunda-cluster too: it has a camunda_url.
 */
const operations = (host: string, incidents: StateName): Record<string, Expected> => ({
  [`${host}!camunda-definition`]: ['OK', /^CAMUNDA DEFINITION OK - 4 definitions OK/],
  [`${host}!camunda-incidents`]: [incidents, /^CAMUNDA INCIDENTS WARNING - 2 open incidents \(warning\), 0 new in the last 5m, oldest 2h/],
  [`${host}!camunda-jobs`]: ['WARNING', /^CAMUNDA JOBS WARNING - 1 executable, 0 overdue, 1 failed \(warning\), 0 retrying, 0 suspended job definitions, in 30m: \d+ succeeded, 0 failed/],
  [`${host}!camunda-external-tasks`]: ['WARNING', /^CAMUNDA EXTERNAL TASKS WARNING - 'Task_ReserveStock': 1 failed \(warning\) \/ 'send-mail' 0 waiting, 1 locked \/ 'send-reminder' 1 waiting, 0 locked/],
  [`${host}!camunda-external-tasks-mail`]: ['OK', /^CAMUNDA EXTERNAL TASKS OK - 'send-mail' 0 waiting, 1 locked \/ 'send-reminder' 1 waiting, 0 locked/],
});
type Expected = readonly [StateName, RegExp];
const EXPECTED: Record<string, Expected> = {
  ...operations('camunda-prod', 'WARNING'),
  ...operations('camunda-cluster', 'WARNING'),
  'camunda-prod!camunda-definition-billing': ['WARNING', /^CAMUNDA DEFINITION WARNING - invoice: 1 failed job \(warning\) \/ reminder OK/],
  'camunda-prod!camunda-definition-logistics': ['OK', /^CAMUNDA DEFINITION OK - order OK/],
  'camunda-prod!camunda-definition-acme': ['OK', /^CAMUNDA DEFINITION OK - onboarding@acme OK/],
  'camunda-prod!camunda-incidents-billing': ['WARNING', /^CAMUNDA INCIDENTS WARNING - 1 open incident \(warning\), 0 new in the last 15m, oldest 2h/],
  'camunda-prod!camunda-incidents-logistics': ['WARNING', /^CAMUNDA INCIDENTS WARNING - 1 open incident \(warning\), 0 new in the last 15m, oldest 1h/],
  'camunda-prod!camunda-incidents-acme': ['OK', /^CAMUNDA INCIDENTS OK - no open incidents/],
  // The model's process SLA of invoice (camunda:property "sla" P2D) against an instance 3 days old.
  'camunda-prod!camunda-sla-billing': ['CRITICAL', /^CAMUNDA SLA CRITICAL - invoice: 1 breached at the process level \(SLA 2d, oldest 3d\) \(critical\)/],
  // The host's activity SLA Task_ReserveStock=PT2H against an order waiting there for 3 hours; 10 breaches would be CRITICAL.
  'camunda-prod!camunda-sla-logistics': ['WARNING', /^CAMUNDA SLA WARNING - order: 1 breached at 'Reserve stock' \(SLA 2h, oldest 3h\) \(warning\)/],
  'camunda-cluster!camunda-engine': ['OK', /^CAMUNDA ENGINE OK - all 2 nodes run 7\.22\.0/],
  'camunda-staging!camunda-definition': ['OK', /^CAMUNDA DEFINITION OK - invoice OK/],
  'camunda-staging!camunda-incidents': ['OK', /^CAMUNDA INCIDENTS OK - no open incidents/],
  'camunda-staging!camunda-jobs': ['OK', /^CAMUNDA JOBS OK - 0 executable, 0 overdue, 0 failed, 0 retrying, 0 suspended job definitions, in 30m: \d+ succeeded, 0 failed/],
  'camunda-staging!camunda-external-tasks': ['OK', /^CAMUNDA EXTERNAL TASKS OK - no external tasks/],
  // Topics without tasks are fine for the mail workers (camunda_external_tasks_missing_state = "ok").
  'camunda-staging!camunda-external-tasks-mail': ['OK', /^CAMUNDA EXTERNAL TASKS OK - topic 'send-mail' has no external tasks/],
};

let pki: ThrowawayPki;
let password: string;
let secrets: string;
let prod: RunningSimulator;
let node2: RunningSimulator;
let staging: RunningSimulator;
let icinga: RunningIcinga | undefined;
let services: { host: string; service: string }[] = [];
let results = new Map<string, IcingaCheckResult>();
let hostCheck: IcingaCheckResult | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!installed) {
  console.warn('icinga2 is not installed (apt-get install icinga2): the shipped examples are not run through a real Icinga 2 here; CI installs it');
}

describe.skipIf(!installed)('a real Icinga 2 runs the shipped examples unchanged against the demo engines', () => {
  beforeAll(async () => {
    pki = createThrowawayPki();
    secrets = mkdtempSync(join(tmpdir(), 'examples-secrets-'));
    const scenario = loadScenario('src/simulator/scenarios/examples.json');
    const tls = { cert: pki.pem.serverCert, key: pki.pem.serverKey };
    [prod, node2, staging] = await Promise.all([startSimulator({ scenario, tls }), startSimulator({ scenario, tls }), startSimulator({ scenario })]);
    // The scenario's user monitor (camunda-admin, member of tenant acme), as the examples log in.
    password = scenario.engines[0]!.users!.find(({ id }) => id === 'monitor')!.password;
    const passwordFile = (name: string, password: string) => {
      const file = join(secrets, name);
      writeFileSync(file, `${password}\n`, { mode: 0o600 });
      return file;
    };
    const prodPassword = passwordFile('camunda-prod.password', password);

    icinga = await startIcinga({
      templates: ['camunda-connection.conf', ...CHECKS.map(({ command }) => `${command}.conf`)],
      objects: [...DEFAULT_CONFIGURATION, ...EXAMPLE_FILES.map((file) => `include ${JSON.stringify(join(EXAMPLES, file))}`)].join('\n'),
    });

    // The connection of each example host, and only that, at runtime (the examples stay as shipped).
    const connections: Record<string, Record<string, unknown>> = {
      // And where the SLA check keeps what it read from the models: the test's, not the home of the user running it.
      'camunda-prod': { 'vars.camunda_url': prod.url, 'vars.camunda_password_file': prodPassword, 'vars.camunda_ca_file': pki.files.ca, 'vars.camunda_sla_cache_dir': join(secrets, 'cache') },
      'camunda-staging': { 'vars.camunda_url': staging.url, 'vars.camunda_password_file': passwordFile('camunda-staging.password', password) },
      // A publicly trusted certificate in the example: the throwaway CA stands in for the system's trust store.
      'camunda-cluster': { 'vars.camunda_url': prod.url, 'vars.camunda_engine_nodes': [node2.url], 'vars.camunda_password_file': prodPassword, 'vars.camunda_ca_file': pki.files.ca },
    };
    for (const [host, attrs] of Object.entries(connections)) {
      const answer = await icinga.api('POST', `/v1/objects/hosts/${host}`, { attrs });
      expect(answer.status, `${host}: ${JSON.stringify(answer.body)}`).toBe(200);
    }

    const listed = await icinga.api<{ results: { attrs: { host_name: string; name: string } }[] }>('GET', '/v1/objects/services?attrs=host_name&attrs=name');
    services = listed.body.results.map(({ attrs }) => ({ host: attrs.host_name, service: attrs.name }));
    results = await icinga.checkNow(services, 40_000);
    hostCheck = await forceHostCheck(icinga, 'camunda-cluster');
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled([icinga?.stop(), prod?.close(), node2?.close(), staging?.close()]);
    if (secrets !== undefined) rmSync(secrets, { recursive: true, force: true });
    pki?.remove();
  }, 30_000);

  it('the apply rules of the examples make exactly the expected services', () => {
    expect(services.map(({ host, service }) => `${host}!${service}`).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, [state, output]] of Object.entries(EXPECTED)) {
    it(`${name}: ${state} from the engine, not UNKNOWN`, () => {
      const result = results.get(name);
      expect(result, name).toBeDefined();
      const context = `${name}: ${JSON.stringify(result, null, 1)}`;
      expect(result!.state, context).toBe(STATES[state]);
      expect(result!.output, context).toMatch(output);
      // The password file stays a file: nothing secret on the command line Icinga built.
      expect(result!.command, context).toContain('--password-file');
      expect(result!.command.join(' '), context).not.toContain(password);
    });
  }

  it('the engine service measures the load the host check leaves out', () => {
    const result = results.get('camunda-cluster!camunda-engine')!;
    expect(result.command).not.toContain('--no-load');
    expect(result.command).toContain('--check-schema');
    expect(result.performance_data?.some((item) => item.startsWith('instances='))).toBe(true);
  });

  it('the host check of camunda-cluster (camunda-engine, no load) sees both nodes up', () => {
    expect(hostCheck?.exit_status, JSON.stringify(hostCheck)).toBe(STATES.OK);
    expect(hostCheck?.output).toMatch(/^CAMUNDA ENGINE OK - all 2 nodes run 7\.22\.0/);
    expect(hostCheck?.command).toContain('--no-load');
    expect(hostCheck?.performance_data).toContain('nodes_up=2;;;0;2');
  });

  it('Icinga logged no warning or error about the configuration or the checks', () => {
    expect(icinga!.log().split('\n').filter((line) => /^\[[^\]]+\] (warning|critical)\//.test(line))).toEqual([]);
  });
});

/** Forces the host check of `host` and waits for its result. */
async function forceHostCheck(icinga: RunningIcinga, host: string): Promise<IcingaCheckResult> {
  const requested = Date.now() / 1000;
  const answer = await icinga.api('POST', '/v1/actions/reschedule-check', { type: 'Host', filter: 'host.name == h', filter_vars: { h: host }, force: true });
  expect(answer.status).toBe(200);
  const until = Date.now() + 20_000;
  for (;;) {
    const state = await icinga.api<{ results: { attrs: { last_check_result: IcingaCheckResult | null } }[] }>('GET', `/v1/objects/hosts/${host}?attrs=last_check_result`);
    const result = state.body.results[0]?.attrs.last_check_result;
    if (result && result.execution_start >= requested) return result;
    if (Date.now() > until) throw new Error(`no host check result for ${host}:\n${icinga.log()}`);
    await sleep(100);
  }
}
