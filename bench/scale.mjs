// Scale benchmark: does a check's cost stay flat when the engine holds a lot? Runs the built checks
// against simulated engines of growing size (src/simulator/generate.ts) and prints, per case, the
// median wall time, CPU (user + system) and peak RSS of the check process, the ratio to the smallest
// engine, and the number of requests per run from the simulator's request log (which must not grow).
//
//   npm run bench:scale [-- --runs 15] [-- --only causes]   (--only: the cases whose name contains the text)
import { execFile, spawn, spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1] : '';

// The simulator runs in this process (its request log is read after each run); the checks are spawned
// asynchronously so that it can answer them.
const variants = join(root, 'bench/.variants');
mkdirSync(variants, { recursive: true });
const simulatorModule = join(variants, 'simulator-lib.mjs');
await build({ entryPoints: [join(root, 'src/simulator/index.ts')], bundle: true, platform: 'node', format: 'esm', outfile: simulatorModule, logLevel: 'error' });
const { generateScenario, startSimulator } = await import(simulatorModule);
// The documented bound of the incidents check's requests when it groups by cause (src/camunda/incident-causes.ts).
const causesModule = join(variants, 'incident-causes-lib.mjs');
await build({ entryPoints: [join(root, 'src/camunda/incident-causes.ts')], bundle: true, platform: 'node', format: 'esm', outfile: causesModule, logLevel: 'error' });
const { CAUSE_BUDGET, requestBound } = await import(causesModule);
/** Counts of open and new incidents and the deployed-key check besides what findIncidentCauses and describeCauses send. */
const causeBound = (list) => requestBound(1, { ...CAUSE_BUDGET, described: list }) + 3;

const check = (name) => join(root, 'dist', name);
const definition = check('check_camunda_definition');
const incidents = check('check_camunda_incidents');

/** Engines: definitions × versions, with as many incidents as versions unless said otherwise. */
const ENGINES = {
  'v10': { definitions: 10, versions: 1, incidents: 10 },
  'v1000': { definitions: 100, versions: 10, incidents: 1000 },
  'v10000': { definitions: 1000, versions: 10, incidents: 10_000 },
  // Incidents grouped by cause (issue 15): sizes by Zipf's law, see src/simulator/README.md.
  'c3-1000': { definitions: 100, versions: 2, incidents: 1000, causes: 3 },
  'c3-10000': { definitions: 100, versions: 2, incidents: 10_000, causes: 3 },
  'c300-1000': { definitions: 100, versions: 2, incidents: 1000, causes: 300 },
  'c300-10000': { definitions: 100, versions: 2, incidents: 10_000, causes: 300 },
};
/** `-k` for the first two generated keys of an engine (their width depends on the number of definitions). */
const teamKeys = (engine) => [1, 2].flatMap((n) => ['-k', `process-${String(n).padStart(String(ENGINES[engine].definitions).length, '0')}`]);

const CASES = [
  ['definition, statistics mode', '10 versions', 'v10', definition, () => []],
  ['definition, statistics mode', '1 000 versions', 'v1000', definition, () => []],
  ['definition, statistics mode', '10 000 versions', 'v10000', definition, () => []],
  ['definition, counts mode, 2 keys', '10 versions', 'v10', definition, (e) => ['--mode', 'counts', ...teamKeys(e)]],
  ['definition, counts mode, 2 keys', '1 000 versions', 'v1000', definition, (e) => ['--mode', 'counts', ...teamKeys(e)]],
  ['definition, counts mode, 2 keys', '10 000 versions', 'v10000', definition, (e) => ['--mode', 'counts', ...teamKeys(e)]],
  // Every generated incident has its own number in the message: one cause per definition (10 and 1 000).
  ['incidents, --list 5', '10 incidents', 'v10', incidents, () => ['--list', '5'], causeBound(5)],
  ['incidents, --list 5', '10 000 incidents', 'v10000', incidents, () => ['--list', '5'], causeBound(5)],
  // Failures counted once across call levels: one statistics request over every version (rootIncidents).
  ['incidents, --list 5 --failures-warning 0', '10 000 incidents', 'v10000', incidents, () => ['--list', '5', '--failures-warning', '0'], causeBound(5) + 1],
  // Causes found from bounded samples and counted one request each (up to --max-causes): bounded by
  // requestBound whatever the number of incidents; within the bound the number depends on which
  // causes the samples show (a cause whose first incident is not in them costs one request more).
  ['incidents, causes: 3 causes', '1 000 incidents', 'c3-1000', incidents, () => ['--list', '5'], causeBound(5)],
  ['incidents, causes: 3 causes', '10 000 incidents', 'c3-10000', incidents, () => ['--list', '5'], causeBound(5)],
  ['incidents, causes: 300 causes', '1 000 incidents', 'c300-1000', incidents, () => ['--list', '5'], causeBound(5)],
  ['incidents, causes: 300 causes', '10 000 incidents', 'c300-10000', incidents, () => ['--list', '5'], causeBound(5)],
].filter(([group]) => group.includes(only));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Runs a command as a child without blocking this process's event loop; resolves with stdout and stderr. */
function runAsync(file, args) {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stdout, stderr }));
  });
}

/** hyperfine for wall time and CPU, spawned asynchronously so the in-process simulator answers. */
function hyperfine(command) {
  const dir = mkdtempSync(join(tmpdir(), 'scale-'));
  const file = join(dir, 'result.json');
  return new Promise((resolve, reject) => {
    const child = spawn('hyperfine', ['--warmup', '2', '--runs', String(runs), '-N', '-i', '--export-json', file, '--style', 'none', command], { stdio: 'ignore' });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`hyperfine exited with ${code}`));
      const [result] = JSON.parse(readFileSync(file, 'utf8')).results;
      rmSync(dir, { recursive: true, force: true });
      resolve({ wall: result.median * 1000, cpu: median(result.user_times ?? [result.user]) * 1000 + median(result.system_times ?? [result.system]) * 1000, times: result.times });
    });
  });
}

/** Peak RSS (KiB) and, without hyperfine, wall and CPU from /usr/bin/time, median over the runs. */
async function timeRuns(file, args, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    const { stderr } = await runAsync('/usr/bin/time', ['-f', 'TIME %U %S %M', file, ...args]);
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    const [, user, system, rss] = /TIME (\S+) (\S+) (\d+)/.exec(stderr) ?? [];
    samples.push({ wall, cpu: (Number(user) + Number(system)) * 1000, rss: Number(rss) });
  }
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)), rss: median(samples.map((s) => s.rss)) };
}

const hasHyperfine = spawnSync('hyperfine', ['--version']).status === 0;
const simulators = {};
try {
  for (const name of new Set(CASES.map(([, , engine]) => engine))) simulators[name] = await startSimulator({ scenario: generateScenario(ENGINES[name]) });
  const results = [];
  for (const [group, size, engine, file, extra, bound] of CASES) {
    const sim = simulators[engine];
    const args = ['--url', sim.url, ...extra(engine)];
    const before = sim.requests.length;
    const probe = await runAsync(file, args);
    const requests = sim.requests.length - before;
    const byPath = {};
    for (const r of sim.requests.slice(before)) byPath[r.path] = (byPath[r.path] ?? 0) + 1;
    const status = probe.stdout.split('\n')[0].replace(/ \|.*/, '');
    const memory = await timeRuns(file, args, hasHyperfine ? 5 : runs);
    const timing = hasHyperfine ? await hyperfine([file, ...args].join(' ')) : memory;
    results.push({ group, size, requests, bound, byPath, wall: timing.wall, cpu: timing.cpu, rss: memory.rss, status, bytes: Buffer.byteLength(probe.stdout) });
  }

  console.log(`${runs} runs each (median), Node ${process.version}, ${cpus().length} CPUs, ${hasHyperfine ? 'hyperfine for wall/CPU, ' : ''}/usr/bin/time for peak RSS`);
  console.log('case'.padEnd(34), 'engine'.padEnd(17), 'requests'.padStart(8), 'wall ms'.padStart(9), 'CPU ms'.padStart(8), 'RSS MiB'.padStart(8), 'wall ×'.padStart(7), 'CPU ×'.padStart(7));
  const baseline = {};
  for (const r of results) {
    baseline[r.group] ??= r;
    const b = baseline[r.group];
    console.log(
      r.group.padEnd(34), r.size.padEnd(17), String(r.requests).padStart(8), r.wall.toFixed(1).padStart(9), r.cpu.toFixed(1).padStart(8),
      (r.rss / 1024).toFixed(1).padStart(8), (r.wall / b.wall).toFixed(2).padStart(7), (r.cpu / b.cpu).toFixed(2).padStart(7),
    );
  }
  console.log('\nStatus lines (and output bytes):');
  for (const r of results) {
    console.log(`  ${r.group}, ${r.size}: ${r.status} (${r.bytes} B)`);
    console.log(`    requests: ${Object.entries(r.byPath).map(([path, n]) => `${path} ×${n}`).join(', ')}${r.bound ? ` (bound ${r.bound})` : ''}`);
  }
  // A group with a bound must stay within it; the others must send the same number for every engine.
  const grown = [...new Set(results.map((r) => r.group))].filter((group) => {
    const rows = results.filter((r) => r.group === group);
    return rows[0].bound ? rows.some((r) => r.requests > r.bound) : new Set(rows.map((r) => r.requests)).size > 1;
  });
  if (grown.length) {
    console.log(`\nREQUESTS GREW WITH THE ENGINE in: ${grown.join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await Promise.all(Object.values(simulators).map((sim) => sim.close()));
  rmSync(variants, { recursive: true, force: true });
}
