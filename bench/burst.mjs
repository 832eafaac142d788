// Burst and capacity benchmark: Icinga and Nagios start many checks at once after a reload or when
// a satellite reconnects, and run thousands a minute in steady state. This starts the built check
// against the simulator (in a process of its own, optionally answering late), and reports for each
// burst of N checks started at once, and for each steady rate of R checks a minute, how many ended
// correct (the state of a quiet reference run), how many ended by their -t, the wall times (from
// fork to exit, as /usr/bin/time measures them) and the CPU per check.
//
//   npm run build && node bench/burst.mjs [--check check_camunda_incidents] [--timeout 5]
//       [--latency 0] [--bursts 50,100,200] [--rates 300,600] [--duration 30] [--dist DIR]
//       [--compare DIR] [--repeat 1]
//
// --dist DIR runs the checks of another build (its dist/ directory). --compare DIR adds another
// build's bursts as rows of their own, the two builds taking turns burst by burst (--repeat times
// each, first one then the other), so that a busy phase of the machine falls on both alike.
// The figures depend on the machine and on everything else running on it: the load average before
// and after each row is printed with it. Not a test: nothing here asserts a time.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulatorProcess } from './simulator-process.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
}
const check = option('check', 'check_camunda_incidents');
const timeout = Number(option('timeout', '5'));
const latency = Number(option('latency', '0'));
const bursts = option('bursts', '50,100,200').split(',').filter(Boolean).map(Number);
const rates = option('rates', '').split(',').filter(Boolean).map(Number);
const duration = Number(option('duration', '30'));
const dist = option('dist', join(root, 'dist'));
const compare = option('compare', undefined);
const repeat = Number(option('repeat', '1'));
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) throw new Error(`${TIME} is needed for the CPU and wall time of each check`);


const scratch = mkdtempSync(join(tmpdir(), 'bench-burst-'));
let counter = 0;

/** One check as its own process; resolves with its exit code, first line, wall and CPU seconds. */
function runCheck(url, build = dist) {
  const timeFile = join(scratch, `t${++counter}`);
  const child = spawn(TIME, ['-o', timeFile, '-f', '%e %U %S', join(build, check), '--url', url, '-t', String(timeout)], { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const [wall, user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      resolve({ code, line: stdout.split('\n')[0], wall, cpu: user + system });
    });
  });
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

function summary(label, runs, reference, loadBefore) {
  const correct = runs.filter((r) => r.code === reference.code && !/ UNKNOWN - /.test(r.line)).length;
  const inTime = runs.filter((r) => r.wall <= timeout).length;
  const walls = runs.map((r) => r.wall);
  const cpu = runs.reduce((sum, r) => sum + r.cpu, 0) / runs.length;
  const unknown = runs.filter((r) => / UNKNOWN - /.test(r.line));
  const reasons = [...new Set(unknown.map((r) => r.line.replace(/^.* UNKNOWN - /, '').replace(/\d+(\.\d+)?/g, 'N').slice(0, 60)))].slice(0, 2).join(' / ');
  return `| ${label} | ${runs.length} | ${correct} | ${inTime} | ${percentile(walls, 50).toFixed(2)} | ${percentile(walls, 95).toFixed(2)} | ${Math.max(...walls).toFixed(2)} | ${(cpu * 1000).toFixed(0)} | ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)} | ${reasons} |`;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5000));

const simulator = await startSimulatorProcess(['--scenario', join(root, 'src/simulator/scenarios/demo.json'), ...(latency > 0 ? ['--latency', String(latency)] : [])]);
try {
  const reference = await runCheck(simulator.url);
  console.log(`reference run: exit ${reference.code}, ${reference.line.slice(0, 100)}`);
  console.log(
    `\n${new Date().toISOString().slice(0, 16)}Z, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${join(dist, check)} -t ${timeout}, simulator latency ${latency} ms\n`,
  );
  console.log('| run | checks | correct | ended by -t | wall p50 s | wall p95 s | wall max s | CPU/check ms | load 1 min | UNKNOWN reasons |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
  const builds = compare ? [dist, compare] : [dist];
  for (const size of bursts) {
    const runs = new Map(builds.map((build) => [build, []]));
    const loads = new Map(builds.map((build) => [build, []]));
    for (let round = 0; round < repeat; round++) {
      for (const build of round % 2 ? [...builds].reverse() : builds) {
        await settle();
        loads.get(build).push(loadavg()[0]);
        runs.get(build).push(...(await Promise.all(Array.from({ length: size }, () => runCheck(simulator.url, build)))));
      }
    }
    for (const build of builds) {
      const load = loads.get(build).reduce((a, b) => a + b, 0) / repeat;
      console.log(summary(`burst of ${size}${build === dist ? '' : ` (${build})`}${repeat > 1 ? ` ×${repeat}` : ''}`, runs.get(build), reference, load));
    }
  }
  for (const rate of rates) {
    await settle();
    const load = loadavg()[0];
    const total = Math.round((rate * duration) / 60);
    const pending = [];
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 60_000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(runCheck(simulator.url));
    }
    console.log(summary(`${rate}/min for ${duration} s`, await Promise.all(pending), reference, load));
  }
} finally {
  simulator.stop();
  rmSync(scratch, { recursive: true, force: true });
}
