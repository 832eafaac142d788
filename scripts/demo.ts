// `npm run demo`: starts the embedded Camunda simulator with the shipped scenario, runs every
// check against it as an operator would from a shell, and prints each output and exit code.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, startSimulator } from '../src/simulator';

const root = fileURLToPath(new URL('..', import.meta.url));
const scenario = loadScenario(join(root, 'src/simulator/scenarios/demo.json'));
const STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];

interface Demo {
  readonly title: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
}

/** Runs a check as its own process; asynchronously, so the simulator in this process can answer it. */
function run(demo: Demo): Promise<void> {
  const shown = [demo.command, ...demo.args.map((a) => (/[\s'"|&;<>]/.test(a) ? `'${a}'` : a))].join(' ');
  const env = demo.env ? Object.keys(demo.env).map((name) => `${name}=**** `).join('') : '';
  return new Promise((resolve) => {
    execFile(join(root, 'dist', demo.command), [...demo.args], { env: { ...process.env, ...demo.env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 3) : 0;
      console.log(`\n# ${demo.title}\n$ ${env}${shown}`);
      process.stdout.write(stdout);
      if (stderr) process.stdout.write(stderr.replace(/^/gm, '  stderr: '));
      console.log(`[exit ${code} ${STATES[code] ?? ''}]`);
      resolve();
    });
  });
}

const open = await startSimulator({ scenario });
const secured = await startSimulator({ scenario, auth: { username: 'monitor', password: 'demo-secret' } });
const hanging = await startSimulator({ scenario, fault: 'hang' });
const proxy = await startSimulator({ scenario, fault: 'proxy-502' });
// A second cluster node still on the previous minor version, as during a rolling update.
const previous = await startSimulator({ scenario: { ...scenario, camundaVersion: '7.14.0' } });
// Authorization on, tenants, and a monitoring user that may not see everything (docs/permissions.md).
const permissions = await startSimulator({ scenario: loadScenario(join(root, 'src/simulator/scenarios/secured.json')) });
const secrets = mkdtempSync(join(tmpdir(), 'camunda-demo-'));
const passwordFile = join(secrets, 'password');
writeFileSync(passwordFile, 'demo-secret\n', { mode: 0o600 });
const cockpit = 'https://camunda.example.com/camunda/app/cockpit/default';
// Service levels: the BPMN models of the SLA scenario, and a model cache of the demo's own.
const slaScenario = 'test/fixtures/sla.json';
const slas = await startSimulator({ scenario: loadScenario(join(root, slaScenario)) });
const slaCache = mkdtempSync(join(tmpdir(), 'camunda-demo-sla-'));
// External task workers (a dead one) and job executor metrics (a stalled executor, a busy one, metrics off).
const workersScenario = 'src/simulator/scenarios/external-tasks.json';
const workers = await startSimulator({ scenario: loadScenario(join(root, workersScenario)) });
// camunda_action: an engine whose order process calls SAP (src/simulator/scenarios/sap-outage.json).
const sap = await startSimulator({ scenario: loadScenario(join(root, 'src/simulator/scenarios/sap-outage.json')) });
const actionCache = mkdtempSync(join(tmpdir(), 'camunda-demo-action-'));
// The same with external task workers calling SAP (src/simulator/scenarios/sap-workers.json).
const sapWorkers = await startSimulator({ scenario: loadScenario(join(root, 'src/simulator/scenarios/sap-workers.json')) });
// A Camunda 7.24 engine working off an async multi-instance one job at a time.
const locks = await startSimulator({ scenario: loadScenario(join(root, 'src/simulator/scenarios/job-locks.json')) });

try {
  console.log(`Camunda simulator: ${open.url} (scenario src/simulator/scenarios/demo.json)`);
  const demos: Demo[] = [
    { title: 'All open incidents (default: any incident is WARNING)', command: 'check_camunda_incidents', args: ['--url', open.url, '--cockpit-url', cockpit] },
    { title: 'Failures counted once across call activity levels (an order calls the onboarding whose KYC check failed)', command: 'check_camunda_incidents', args: ['--url', open.url, '-w', '', '--failures-warning', '0', '--list', '0'] },
    { title: 'CRITICAL above 3 incidents or on any new one', command: 'check_camunda_incidents', args: ['--url', open.url, '-w', '0', '-c', '3', '--new-critical', '0', '--list', '3'] },
    { title: "One team's process definition, failed jobs only", command: 'check_camunda_incidents', args: ['--url', open.url, '-k', 'invoice', '--incident-type', 'failedJob'] },
    { title: 'A definition without incidents', command: 'check_camunda_incidents', args: ['--url', open.url, '-k', 'reminder'] },
    { title: 'A mistyped definition key', command: 'check_camunda_incidents', args: ['--url', open.url, '-k', 'invoce'] },
    { title: 'Basic authentication, password from a file', command: 'check_camunda_incidents', args: ['--url', secured.url, '--username', 'monitor', '--password-file', passwordFile, '--list', '2'] },
    { title: 'Basic authentication, password from the environment', command: 'check_camunda_incidents', args: ['--url', secured.url, '--username', 'monitor', '--list', '0'], env: { CAMUNDA_PASSWORD: 'demo-secret' } },
    { title: 'Wrong password', command: 'check_camunda_incidents', args: ['--url', secured.url, '--username', 'monitor'], env: { CAMUNDA_PASSWORD: 'wrong-password' } },
    { title: 'Unknown engine name', command: 'check_camunda_incidents', args: ['--url', open.url, '--engine', 'nonexistent'] },
    { title: 'Engine that never answers, -t 2', command: 'check_camunda_incidents', args: ['--url', hanging.url, '-t', '2'] },
    { title: 'Proxy error page in front of the engine', command: 'check_camunda_incidents', args: ['--url', proxy.url] },
    { title: 'Nothing listening', command: 'check_camunda_incidents', args: ['--url', 'http://127.0.0.1:9/engine-rest'] },
    { title: 'Invalid threshold', command: 'check_camunda_incidents', args: ['--url', open.url, '-w', '10:5'] },
    { title: 'Job execution: overdue and failed jobs, a suspended job definition, one suspended with its process definition (defaults)', command: 'check_camunda_jobs', args: ['--url', open.url, '--cockpit-url', cockpit] },
    { title: 'Jobs on Camunda 7.24: jobs queued behind one being executed are not overdue (src/simulator/scenarios/job-locks.json)', command: 'check_camunda_jobs', args: ['--url', locks.url] },
    { title: 'Job backlog and stalled-executor thresholds', command: 'check_camunda_jobs', args: ['--url', open.url, '-w', '100', '-c', '1000', '--overdue-after', '15m', '--overdue-critical', '0', '--retrying-warning', '0'] },
    { title: "The jobs of one activity: everything that talks to SAP", command: 'check_camunda_jobs', args: ['--url', open.url, '-k', 'invoice', '--activity-id', 'ServiceTask_PostToSAP'] },
    { title: 'Jobs of a definition without trouble', command: 'check_camunda_jobs', args: ['--url', open.url, '-k', 'reminder', '--overdue-after', '1h'] },
    { title: 'Jobs: activity and job definition together', command: 'check_camunda_jobs', args: ['--url', open.url, '--activity-id', 'ServiceTask_PostToSAP', '--job-definition-id', 'x'] },
    { title: 'Jobs on an engine that never answers, -t 2', command: 'check_camunda_jobs', args: ['--url', hanging.url, '-t', '2'] },
    { title: 'Engine: one node, its version and load', command: 'check_camunda_engine', args: ['--url', open.url] },
    { title: 'Engine: two nodes during a rolling update, with the database schema', command: 'check_camunda_engine', args: ['--url', open.url, '--node', previous.url, '--check-schema'] },
    { title: 'Engine: version pin, CRITICAL when off', command: 'check_camunda_engine', args: ['--url', open.url, '--node', previous.url, '--expect-version', '7.15', '--version-state', 'critical', '--no-load'] },
    { title: 'Engine as host check: one node never answers, -t 4', command: 'check_camunda_engine', args: ['--url', open.url, '--node', hanging.url, '--no-load', '-w', '1', '-c', '3', '-t', '4'] },
    { title: 'Engine: a node that is not there', command: 'check_camunda_engine', args: ['--url', open.url, '--node', 'http://127.0.0.1:9/engine-rest', '--no-load'] },
    { title: 'Engine: a named engine that does not exist', command: 'check_camunda_engine', args: ['--url', open.url, '--engine', 'nonexistent', '--no-load'] },
    { title: 'Engine: a monitoring user without READ_INSTANCE on one definition and outside one tenant', command: 'check_camunda_engine', args: ['--url', permissions.url, '--username', 'partial', '--password-file', passwordFile] },
    { title: 'Engine: the least-privilege monitoring user of docs/permissions.md', command: 'check_camunda_engine', args: ['--url', permissions.url, '--username', 'monitor', '--password-file', passwordFile] },
    { title: 'Incidents as the partially authorized user: 0 of 3, and the long output says why it may be', command: 'check_camunda_incidents', args: ['--url', permissions.url, '--username', 'partial', '--password-file', passwordFile, '--list', '0'] },
    { title: "A team's process definitions, all versions: CRITICAL above 2 incidents", command: 'check_camunda_definition', args: ['--url', open.url, '-k', 'invoice', '-k', 'order', '--incidents-critical', '2'] },
    { title: 'Every deployed definition, WARNING on any failed job', command: 'check_camunda_definition', args: ['--url', open.url, '--failed-jobs-warning', '0'] },
    { title: 'Count queries per key (large database), with open user tasks', command: 'check_camunda_definition', args: ['--url', open.url, '--mode', 'counts', '-k', 'invoice', '-k', 'onboarding', '--tasks', '--tasks-warning', '2'] },
    { title: 'Newest version only: does it run at all?', command: 'check_camunda_definition', args: ['--url', open.url, '-k', 'order', '--latest-only', '--instances-critical', '1:'] },
    { title: 'A definition that is not deployed (after an update)', command: 'check_camunda_definition', args: ['--url', open.url, '-k', 'invoice', '-k', 'invoce'] },
    { title: `SLAs from the BPMN models: a team's definitions, every running version (${slaScenario})`, command: 'check_camunda_sla', args: ['--url', slas.url, '-k', 'invoice', '-k', 'order', '--cache-dir', slaCache, '--cockpit-url', cockpit] },
    { title: 'SLAs from the command line, overriding the model: WARNING on a breach, CRITICAL beyond 2', command: 'check_camunda_sla', args: ['--url', slas.url, '-k', 'invoice', '--sla', 'approve_invoice=PT10H', '--instance-sla', 'P4D', '--at-risk', '90%', '-w', '0', '-c', '2', '--cache-dir', slaCache] },
    { title: 'SLAs for a model without annotations', command: 'check_camunda_sla', args: ['--url', slas.url, '-k', 'plain', '--instance-sla', '90m', '--cache-dir', slaCache] },
    { title: 'SLAs: a malformed duration in the model', command: 'check_camunda_sla', args: ['--url', slas.url, '-k', 'broken', '--cache-dir', slaCache] },
    { title: 'SLAs on an engine that records no history: task SLAs only', command: 'check_camunda_sla', args: ['--url', slas.url, '--engine', 'nohistory', '-k', 'invoice', '--cache-dir', slaCache] },
    { title: `External task workers per topic: a dead worker, a failed task (${workersScenario})`, command: 'check_camunda_external_tasks', args: ['--url', workers.url] },
    { title: "External tasks: one team's topics, a typo among them", command: 'check_camunda_external_tasks', args: ['--url', workers.url, '--topic', 'archive', '--topic', 'sap-bookng', '--expired-locks-warning', '0'] },
    { title: 'Job executor throughput: a stalled executor (nothing executed while jobs waited)', command: 'check_camunda_jobs', args: ['--url', workers.url, '--throughput', '--list', '0'] },
    { title: 'Job executor throughput: busy, its queue full at times', command: 'check_camunda_jobs', args: ['--url', workers.url, '--engine', 'busy', '--throughput', '--jobs-rejected-warning', '10', '--list', '0'] },
    { title: 'Job executor throughput on an engine that writes no metrics', command: 'check_camunda_jobs', args: ['--url', workers.url, '--engine', 'nometrics', '--throughput', '--list', '0'] },
    { title: 'SAP is down: which calls would be suspended (dry run, src/simulator/scenarios/sap-outage.json)', command: 'camunda_action', args: ['suspend', '--url', sap.url, '--system', 'SAP', '--cache-dir', actionCache] },
    { title: 'Suspend the SAP calls', command: 'camunda_action', args: ['suspend', '--url', sap.url, '--system', 'SAP', '--cache-dir', actionCache, '--apply'] },
    { title: 'The same again: nothing to change', command: 'camunda_action', args: ['suspend', '--url', sap.url, '--system', 'SAP', '--cache-dir', actionCache, '--apply'] },
    { title: 'Job execution during the outage: the suspended job definitions', command: 'check_camunda_jobs', args: ['--url', sap.url] },
    { title: 'A loose pattern is refused, nothing changed', command: 'camunda_action', args: ['suspend', '--url', sap.url, '--activity-match', '.', '--max-affected', '3', '--cache-dir', actionCache, '--apply'] },
    { title: 'Event handler on a SOFT DOWN of the SAP host: nothing', command: 'camunda_action', args: ['event', '--url', sap.url, '--system', 'SAP', '--state', 'DOWN', '--state-type', 'SOFT', '--attempt', '1', '--apply'] },
    { title: 'Event handler on the HARD UP: resume and retry the failed calls', command: 'camunda_action', args: ['event', '--url', sap.url, '--system', 'SAP', '--state', 'UP', '--state-type', 'HARD', '--last-state', 'DOWN', '--last-state-type', 'HARD', '--cache-dir', actionCache, '--apply'] },
    { title: 'Incidents after the recovery', command: 'check_camunda_incidents', args: ['--url', sap.url] },
    { title: 'SAP is back, its calls run as external tasks: the failed ones of SAP (dry run, src/simulator/scenarios/sap-workers.json)', command: 'camunda_action', args: ['retry', '--url', sapWorkers.url, '--system', 'SAP', '--cache-dir', actionCache] },
    { title: 'Retry them: their incidents resolve', command: 'camunda_action', args: ['retry', '--url', sapWorkers.url, '--system', 'SAP', '--cache-dir', actionCache, '--apply'] },
    { title: 'The SAP workers after the retry: fetchable again, none failed', command: 'check_camunda_external_tasks', args: ['--url', sapWorkers.url, '--topic', 'sap-delivery'] },
    { title: 'Emergency stop of a process definition (dry run)', command: 'camunda_action', args: ['stop', '--url', sap.url, '-k', 'orderToCash'] },
  ];
  for (const demo of demos) await run(demo);
} finally {
  await permissions.close();
  rmSync(secrets, { recursive: true, force: true });
  rmSync(slaCache, { recursive: true, force: true });
  rmSync(actionCache, { recursive: true, force: true });
  await Promise.all([open.close(), secured.close(), hanging.close(), proxy.close(), previous.close(), slas.close(), workers.close(), sap.close(), sapWorkers.close(), locks.close()]);
}
