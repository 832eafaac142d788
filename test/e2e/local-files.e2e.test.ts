import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCheck } from '../support/executables';

/*
 * Local files that could stop a check before it ends: a named pipe as password, token or PEM file.
 * Opening a pipe for reading blocks until a writer comes, before any timer of the check runs; the
 * checks must refuse it at once with one UNKNOWN line. Run as the user of the test and, when that is
 * root (whom no permission stops), once more as nobody, as a monitoring daemon runs its checks.
 */

const CHECKS = [
  ['check_camunda_incidents', 'CAMUNDA INCIDENTS'],
  ['check_camunda_jobs', 'CAMUNDA JOBS'],
  ['check_camunda_definition', 'CAMUNDA DEFINITION'],
  ['check_camunda_engine', 'CAMUNDA ENGINE'],
  ['check_camunda_sla', 'CAMUNDA SLA'],
] as const;

let dir: string;
let fifo: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-files-'));
  chmodSync(dir, 0o755);
  fifo = join(dir, 'secret.fifo');
  execFileSync('mkfifo', ['-m', '0666', fifo]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const asRoot = process.getuid?.() === 0;
const canDropPrivileges = asRoot && spawnSync('setpriv', ['--version']).status === 0;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built check, as this user or as nobody; killed by the test only if it hangs past 20 s. */
function run(check: string, args: readonly string[], asNobody: boolean): Promise<Run> {
  const command = asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', builtCheck(check)] : [builtCheck(check)];
  return new Promise((resolve) => {
    execFile(command[0]!, [...command.slice(1), ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeout: 20_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, signal: error?.signal ?? null, stdout, stderr });
    });
  });
}

const users = [['this user', false], ...(canDropPrivileges ? [['nobody', true] as const] : [])] as const;

describe.each(users)('a named pipe as a secret or PEM file, run as %s', (_user, asNobody) => {
  it.each(CHECKS)('%s refuses it at once with one UNKNOWN line', async (check, prefix) => {
    for (const args of [
      ['--username', 'monitor', '--password-file', fifo],
      ['--token-file', fifo],
      ['--ca-file', fifo],
    ]) {
      const result = await run(check, ['--url', 'http://127.0.0.1:9/engine-rest', ...args, '-t', '3'], asNobody);
      expect(result.signal, `${check} ${args.join(' ')} ended by itself`).toBeNull();
      expect(result.code).toBe(3);
      expect(result.stdout).toBe(`${prefix} UNKNOWN - ${args.at(-2)}: '${fifo}' is not a regular file (a named pipe or device could block the check)\n`);
      expect(result.stderr).toBe('');
    }
  });
});

it.skipIf(!canDropPrivileges)('runs as nobody for real: a file only root may read is refused as such', async () => {
  const secret = join(dir, 'root-only');
  execFileSync('sh', ['-c', `umask 077; echo secret > '${secret}'`]);
  const result = await run('check_camunda_incidents', ['--username', 'u', '--password-file', secret], true);
  expect(result.stdout).toBe(`CAMUNDA INCIDENTS UNKNOWN - --password-file: cannot read '${secret}' (permission denied)\n`);
});
