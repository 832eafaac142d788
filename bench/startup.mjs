// Start-up benchmark: a monitoring server starts every check as a new process, so the time and
// memory a check needs around its few HTTP requests is the product's main cost. Runs every check
// of package.json "bin" as installed against the simulator, alternating round by round with the
// Node floor (a minimal node:http probe of the same endpoint), `node -e 0` and, when installed,
// the C check_http, and prints medians and the ratios to the probe taken in the same run.
//
//   npm run bench [-- --runs 30] [-- --node /path/to/node] [-- --compare DIR]
//
// --compare DIR adds the checks of another build (its dist/ directory) as rows of their own, for
// before-and-after figures taken in one run.
// --node runs the checks and the probes with another Node.js binary (first on PATH, so the
// checks' `#!/usr/bin/env node` finds it). Wall time is taken here around each process; CPU
// (user + system) and peak RSS come from the kernel's accounting of the child through
// /usr/bin/time, whose own fork and exec (well under a millisecond) every row pays alike. CPU is
// reported in steps of 10 ms there, so its mean over the runs is shown, wall and RSS as medians.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulatorProcess } from './simulator-process.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
}
const runs = Number(option('runs', '30'));
const warmup = 3;
const node = option('node', process.execPath);
const compare = option('compare', undefined);

/**
 * What a check needs beyond --url to make its ordinary run against the demo scenario; a check not
 * named here runs with --url alone. Its first status line is printed, so a wrong entry shows.
 */
const CHECK_ARGS = {
  check_camunda_incidents: [],
};

/**
 * check_camunda_sla needs models with SLAs: it runs against a second simulator on the SLA scenario
 * (test/fixtures/sla.json), warm (its model cache filled by the first run, as on a monitoring
 * server) and cold (no usable cache: every run reads and parses the BPMN models).
 */
const SLA_CHECK = 'check_camunda_sla';
const SLA_ARGS = ['-k', 'invoice', '-k', 'order'];
/** One team's definition with two SLAs: four requests (statistics, history check, two lists). */
const SLA_ARGS_ONE = ['-k', 'order', '--tenant-id', 'globex'];

/**
 * check_camunda_external_tasks measures the topics of the external task scenario (three topics with
 * tasks: 2 + 3 × 5 counts and pages + 3 oldest-task pages = 20 requests); the jobs check's --throughput
 * row runs against the same scenario (its metrics: 4 sums, the interval query, 2 counts more).
 */
const WORKERS_CHECK = 'check_camunda_external_tasks';
const WORKERS_SCENARIO = 'src/simulator/scenarios/external-tasks.json';

const TIME = '/usr/bin/time';
const CHECK_HTTP = ['/usr/lib/nagios/plugins/check_http', '/usr/lib/monitoring-plugins/check_http'].find(existsSync);


// The children find the chosen node first on PATH, as a monitoring server's environment would.
const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH}` };
const scratch = mkdtempSync(join(tmpdir(), 'bench-startup-'));
const timeFile = join(scratch, 'time');
const haveTime = existsSync(TIME);
// The probe once more as an ES module, to show what Node's ES module loader adds to a start.
const esmProbe = join(scratch, 'http-probe.mjs');
writeFileSync(esmProbe, readFileSync(join(root, 'bench/http-probe.cjs'), 'utf8').replace("const { get } = require('node:http');", "import { get } from 'node:http';"));

/** One run: wall ms measured here; CPU ms and peak RSS (MiB) from /usr/bin/time; the exit code. */
function runOnce([file, ...args]) {
  const command = haveTime ? [TIME, '-o', timeFile, '-f', '%U %S %M', file, ...args] : [file, ...args];
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { env, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (!haveTime) return { wall, cpu: NaN, rss: NaN, status: result.status, stdout: result.stdout };
  // time appends a line of its own when the command exits with a status other than 0.
  const [user, system, maxKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: (user + system) * 1000, rss: maxKb / 1024, status: result.status, stdout: result.stdout };
}

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const sim = await startSimulatorProcess(['--scenario', join(root, 'src/simulator/scenarios/demo.json')]);
const slaSim = await startSimulatorProcess(['--scenario', join(root, 'test/fixtures/sla.json')]);
const workersSim = await startSimulatorProcess(['--scenario', join(root, WORKERS_SCENARIO)]);
const warmCache = join(scratch, 'sla-cache');
// A file where the cache directory would be: the check reads the models on every run.
const noCache = join(scratch, 'no-cache');
writeFileSync(noCache, '');
/** The command line of a check of package.json bin (or of the --compare build in `dir`). */
const checkCommand = (dir, name, file = join(dir, name)) =>
  name === SLA_CHECK
    ? [file, '--url', slaSim.url, ...SLA_ARGS, '--cache-dir', warmCache]
    : name === WORKERS_CHECK
      ? [file, '--url', workersSim.url]
      : [file, '--url', sim.url, ...(CHECK_ARGS[name] ?? [])];
try {
  const url = new URL(sim.url);
  const PROBE = 'node:http probe (the Node floor)';
  const commands = [
    [PROBE, [node, join(root, 'bench/http-probe.cjs'), `${sim.url}/incident/count`]],
    ['  the same probe as an ES module', [node, esmProbe, `${sim.url}/incident/count`]],
    ['node -e 0 (no request)', [node, '-e', '0']],
    ...Object.entries(pkg.bin).filter(([name]) => name.startsWith("check_")).map(([name, file]) => [name === SLA_CHECK ? `${name} (model cache warm)` : name, checkCommand(root, name, join(root, file))]),
    ...(pkg.bin[SLA_CHECK]
      ? [
          [`  ${SLA_CHECK} (no model cache: reads and parses the models)`, [join(root, pkg.bin[SLA_CHECK]), '--url', slaSim.url, ...SLA_ARGS, '--cache-dir', noCache]],
          [`  ${SLA_CHECK} (one definition, two SLAs, cache warm)`, [join(root, pkg.bin[SLA_CHECK]), '--url', slaSim.url, ...SLA_ARGS_ONE, '--cache-dir', warmCache]],
        ]
      : []),
    ...(pkg.bin.check_camunda_jobs
      ? [['  check_camunda_jobs --throughput (external task scenario)', [join(root, pkg.bin.check_camunda_jobs), '--url', workersSim.url, '--throughput']]]
      : []),
    ...(compare
      ? Object.keys(pkg.bin).filter((name) => name.startsWith("check_"))
          .filter((name) => existsSync(join(compare, name)))
          .map((name) => [`  ${name} of ${compare}`, checkCommand(compare, name)])
      : []),
    ...(CHECK_HTTP ? [['check_http (C, Monitoring Plugins)', [CHECK_HTTP, '-H', url.hostname, '-p', url.port, '-u', `${url.pathname}/incident/count`]]] : []),
  ];

  for (const [name, command] of commands) {
    const first = runOnce(command);
    console.log(`${name}: exit ${first.status}, ${first.stdout.split('\n')[0].slice(0, 110)}`);
  }

  // Round by round, every command once, starting each round at the next command: slow phases of a
  // busy machine fall on all commands alike instead of on the one that ran during them.
  const samples = new Map(commands.map(([name]) => [name, []]));
  for (let round = 0; round < warmup + runs; round++) {
    for (let i = 0; i < commands.length; i++) {
      const [name, command] = commands[(round + i) % commands.length];
      const sample = runOnce(command);
      if (round >= warmup) samples.get(name).push(sample);
    }
  }

  const stats = commands.map(([name]) => {
    const list = samples.get(name);
    return { name, wall: median(list.map((s) => s.wall)), cpu: mean(list.map((s) => s.cpu)), rss: median(list.map((s) => s.rss)) };
  });
  const probe = stats.find((s) => s.name === PROBE);
  const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log('');
  console.log(
    `${new Date().toISOString().slice(0, 10)}, Node ${nodeVersion}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ` +
      `load ${loadavg()[0].toFixed(2)} at the end; ${runs} alternating rounds; median wall and RSS, mean CPU (time reports it in 10 ms steps)${haveTime ? '' : ` (${TIME} missing: wall time only)`}`,
  );
  console.log('');
  console.log('| command | wall ms | CPU ms | peak RSS MiB | wall / probe | CPU / probe | RSS / probe |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const s of stats) {
    const ratio = (value, base) => (Number.isFinite(value / base) ? (value / base).toFixed(2) : '–');
    console.log(
      `| ${s.name} | ${s.wall.toFixed(1)} | ${s.cpu.toFixed(0)} | ${s.rss.toFixed(1)} | ${ratio(s.wall, probe.wall)} | ${ratio(s.cpu, probe.cpu)} | ${ratio(s.rss, probe.rss)} |`,
    );
  }
} finally {
  sim.stop();
  slaSim.stop();
  workersSim.stop();
  rmSync(scratch, { recursive: true, force: true });
}
