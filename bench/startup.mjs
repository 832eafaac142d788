// Start-up benchmark: every check run is a new process, so start-up CPU is the product's main
// cost. Runs each command against the same simulated endpoint with hyperfine (or, without it, a
// wall-clock loop) and prints absolute times and the ratio to the bare `node` floor measured in
// the same run — absolute figures differ between machines, ratios taken together do not.
//
//   npm run bench [-- --runs 30]
import { spawn, spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;

function startSimulator() {
  const child = spawn(process.execPath, [join(root, 'dist/simulator.mjs'), '--scenario', join(root, 'src/simulator/scenarios/demo.json'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve({ url: match[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
}

// Variants that show what the shipped shape buys: the same entry point with the dependencies
// left in node_modules (resolved at every start), and bundled without leaving out got's unused modules.
const variants = join(root, 'bench/.variants');
mkdirSync(variants, { recursive: true });
const entry = join(root, 'bin/check_camunda_incidents.ts');
await build({ entryPoints: [entry], bundle: true, packages: 'external', platform: 'node', format: 'esm', outfile: join(variants, 'unbundled.mjs'), logLevel: 'error' });
await build({
  entryPoints: [entry], bundle: true, minify: true, platform: 'node', format: 'cjs', outfile: join(variants, 'complete-got.cjs'), logLevel: 'error',
  define: { 'import.meta.url': '__importMetaUrl' }, banner: { js: 'var __importMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
});

const sim = await startSimulator();
const url = new URL(sim.url);
const node = process.execPath;
const checkHttp = ['/usr/lib/nagios/plugins/check_http', '/usr/lib/monitoring-plugins/check_http'].find(existsSync);

const commands = [
  ['node (empty script, the floor)', `${node} -e 0`],
  ['node:http probe (one GET)', `${node} ${join(root, 'bench/http-probe.mjs')} ${sim.url}/incident/count`],
  ['check_camunda_incidents --version', `${join(root, 'dist/check_camunda_incidents')} --version`],
  ['check_camunda_incidents (full check)', `${join(root, 'dist/check_camunda_incidents')} --url ${sim.url}`],
  ['  variant: bundled, got complete', `${node} ${join(variants, 'complete-got.cjs')} --url ${sim.url}`],
  ['  variant: deps from node_modules', `${node} ${join(variants, 'unbundled.mjs')} --url ${sim.url}`],
  ...(checkHttp ? [['check_http (C, Monitoring Plugins)', `${checkHttp} -H ${url.hostname} -p ${url.port} -u ${url.pathname}/incident/count`]] : []),
];

try {
  if (spawnSync('hyperfine', ['--version']).status === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    const exportFile = join(dir, 'result.json');
    const args = ['--warmup', '3', '--runs', String(runs), '-N', '-i', '--export-json', exportFile, '--style', 'none'];
    for (const [name, command] of commands) args.push('-n', name, command);
    spawnSync('hyperfine', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const { results } = JSON.parse(readFileSync(exportFile, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    const floor = results[0].user + results[0].system;
    console.log(`${runs} runs each, Node ${process.version}, hyperfine; CPU = user + system of the process`);
    console.log('command'.padEnd(40), 'wall ms'.padStart(9), 'CPU ms'.padStart(9), 'CPU / node floor'.padStart(18));
    for (const r of results) {
      const cpu = r.user + r.system;
      console.log(r.command.padEnd(40), (r.mean * 1000).toFixed(1).padStart(9), (cpu * 1000).toFixed(1).padStart(9), (cpu / floor).toFixed(2).padStart(18));
    }
  } else {
    console.log(`hyperfine not found (apt-get install hyperfine): wall clock only, ${runs} runs each`);
    const times = commands.map(([name, command]) => {
      const [file, ...args] = command.split(' ');
      const started = process.hrtime.bigint();
      for (let i = 0; i < runs; i++) spawnSync(file, args, { stdio: 'ignore' });
      return [name, Number(process.hrtime.bigint() - started) / 1e6 / runs];
    });
    for (const [name, ms] of times) console.log(name.padEnd(40), `${ms.toFixed(1)} ms`.padStart(10), `${(ms / times[0][1]).toFixed(2)}x`.padStart(8));
  }
} finally {
  sim.stop();
  rmSync(variants, { recursive: true, force: true });
}
