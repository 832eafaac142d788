// What compressed answers cost and save: check_camunda_definition in its statistics mode (one
// request for every deployed version, about 550 bytes each) against a generated engine, served
// plain and gzip-compressed as Spring Boot does (simulator --compress), and the bytes on the wire.
// Rows alternate round by round; with --compare DIR the checks of another build (before this
// change: no Accept-Encoding) run as rows of their own.
//
//   npm run build && node bench/compression.mjs [--runs 15] [--generate definitions=1000,versions=10] [--compare DIR]
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulatorProcess } from './simulator-process.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
}
const runs = Number(option('runs', '15'));
const generate = option('generate', 'definitions=1000,versions=10');
const compare = option('compare', undefined);


/** Bytes of the statistics answer on the wire, with and without asking for gzip. */
function wireBytes(url, gzip) {
  return new Promise((resolve, reject) => {
    get(`${url}/process-definition/statistics?failedJobs=true&incidents=true`, { headers: gzip ? { 'accept-encoding': 'gzip, deflate' } : {} }, (response) => {
      let size = 0;
      response.on('data', (chunk) => (size += chunk.length));
      response.on('end', () => resolve({ size, encoding: response.headers['content-encoding'] ?? 'identity' }));
    }).on('error', reject);
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'bench-compression-'));
const timeFile = join(scratch, 'time');
function runOnce(file, url) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', file, '--url', url], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const [user, system, rss] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: (user + system) * 1000, rss: rss / 1024, line: result.stdout.split('\n')[0] };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const plain = await startSimulatorProcess(['--generate', generate]);
const compressing = await startSimulatorProcess(['--generate', generate, '--compress']);
try {
  const sizes = [await wireBytes(plain.url, false), await wireBytes(compressing.url, true)];
  const rows = [
    ['check_camunda_definition, plain answer', join(root, 'dist/check_camunda_definition'), plain.url],
    ['check_camunda_definition, gzip answer', join(root, 'dist/check_camunda_definition'), compressing.url],
    ...(compare ? [['  before (no Accept-Encoding), plain answer', join(compare, 'check_camunda_definition'), plain.url]] : []),
  ];
  const results = rows.map(() => []);
  for (let round = 0; round < runs + 2; round++) {
    rows.forEach(([, file, url], i) => {
      const result = runOnce(file, url);
      if (round >= 2) results[i].push(result);
    });
  }
  console.log(`${new Date().toISOString().slice(0, 16)}Z, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, --generate ${generate}, ${runs} rounds, load ${loadavg()[0].toFixed(1)} at the end`);
  console.log(`statistics answer on the wire: ${sizes[0].size} bytes plain, ${sizes[1].size} bytes ${sizes[1].encoding} (${(sizes[0].size / sizes[1].size).toFixed(1)}×)\n`);
  console.log('| command | wall ms | CPU ms | peak RSS MiB | first line |');
  console.log('|---|---:|---:|---:|---|');
  rows.forEach(([label], i) => {
    const r = results[i];
    console.log(`| ${label} | ${median(r.map((x) => x.wall)).toFixed(0)} | ${(r.reduce((s, x) => s + x.cpu, 0) / r.length).toFixed(0)} | ${median(r.map((x) => x.rss)).toFixed(0)} | ${r[0].line.slice(0, 50)} |`);
  });
} finally {
  plain.stop();
  compressing.stop();
  rmSync(scratch, { recursive: true, force: true });
}
