import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOutput, type PluginRun } from './run-plugin';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Path of a built check; fails loudly when `npm run build` has not run (npm test builds first). */
export function builtCheck(name: string): string {
  const path = `${DIST}${name}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" (npm test does) before the end-to-end tests`);
  return path;
}

export interface ProcessRun extends PluginRun {
  readonly elapsedMs: number;
}

/**
 * Runs a built check as its own process, as Icinga or Nagios would, with a clean environment.
 * With `node`, the bundle runs under that Node.js binary instead of the one on PATH.
 */
export function runBuilt(name: string, args: readonly string[], env: Record<string, string> = {}, node?: string): Promise<ProcessRun> {
  const file = builtCheck(name);
  const [command, commandArgs] = node ? [node, [file, ...args]] : [file, [...args]];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0;
      if (code === undefined) {
        reject(new Error(`${name} did not exit normally: ${error?.message}\n${stdout}\n${stderr}`));
        return;
      }
      resolve({ code, stdout, stderr, elapsedMs: Date.now() - started, ...parseOutput(stdout) });
    });
  });
}
