import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { builtCheck } from '../support/executables';

/*
 * A Camunda behind Spring Boot compression (gzip for answers of 2 KiB and more, when asked): the
 * built checks give the same answer as from an engine that does not compress, and load node:zlib
 * only when an answer actually came compressed (start-up cost, bench/README.md).
 */

let plain: RunningSimulator;
let compressing: RunningSimulator;
let dir: string;
let preload: string;

beforeAll(async () => {
  const scenario = loadScenario('src/simulator/scenarios/demo.json');
  plain = await startSimulator({ scenario });
  compressing = await startSimulator({ scenario: loadScenario('src/simulator/scenarios/demo.json'), compress: true });
  dir = mkdtempSync(join(tmpdir(), 'compression-'));
  preload = join(dir, 'modules.cjs');
  // Says on stderr, at exit, whether the run loaded zlib.
  writeFileSync(preload, "process.on('exit', () => process.stderr.write(process.moduleLoadList.includes('NativeModule zlib') ? 'zlib loaded\\n' : 'zlib not loaded\\n'));\n");
});
afterAll(async () => {
  await plain?.close();
  await compressing?.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(check: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', preload, builtCheck(check), ...args], { env: { PATH: process.env.PATH ?? '' } }, (_error, stdout, stderr) => resolve({ stdout, stderr }));
  });
}

describe('compressed answers end to end', () => {
  it('check_camunda_definition reads the gzip-compressed statistics to the same result, loading zlib for it', async () => {
    const direct = await run('check_camunda_definition', ['--url', plain.url]);
    const compressed = await run('check_camunda_definition', ['--url', compressing.url, '-v']);
    expect(compressed.stdout.replace(compressing.url, plain.url)).toBe(direct.stdout);
    expect(direct.stderr).toBe('zlib not loaded\n');
    expect(compressed.stderr).toMatch(/GET \S+\/process-definition\/statistics\S* -> HTTP 200, \d+ bytes \(gzip\) in \d+ ms/);
    expect(compressed.stderr).toMatch(/zlib loaded\n$/);
    expect(compressing.requests.some((r) => r.path.endsWith('/process-definition/statistics'))).toBe(true);
  });

  it('check_camunda_incidents asks only for small answers: nothing compressed, zlib never loaded', async () => {
    const result = await run('check_camunda_incidents', ['--url', compressing.url]);
    expect(result.stdout).toMatch(/^CAMUNDA INCIDENTS (OK|WARNING|CRITICAL) - /);
    expect(result.stderr).toBe('zlib not loaded\n');
  });
});
