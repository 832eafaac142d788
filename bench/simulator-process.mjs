// The simulator in a process of its own, as the benchmarks start it: its CPU time is not the
// benchmark's. Resolves once it prints `listening on URL`; `args` are the simulator's options.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export function startSimulatorProcess(args) {
  const child = spawn(process.execPath, [join(root, 'dist/simulator.mjs'), '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
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
