import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../src/simulator/cli';

const DEMO = fileURLToPath(new URL('../../src/simulator/scenarios/demo.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'simulator-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseCliArgs', () => {
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, 'pa:ss word\n');

  it('reads every option', () => {
    const options = parseCliArgs(['--scenario', DEMO, '--port', '8099', '--host', '0.0.0.0', '--base-path', '/rest', '--fault', 'wrong-shape', '--timezone-offset', '+0200']);
    expect(options).toMatchObject({ port: 8099, host: '0.0.0.0', basePath: '/rest', fault: 'wrong-shape', timezoneOffset: '+0200' });
    expect(options.scenario.engines.map((e) => e.name)).toEqual(['default', 'batch']);
    expect(options.auth).toBeUndefined();
    expect(options.denyWrites).toBeUndefined();
    expect(parseCliArgs(['--scenario', DEMO, '--deny-writes']).denyWrites).toBe(true);
  });

  it('reads the password from a file without its final newline', () => {
    expect(parseCliArgs(['--scenario', DEMO, '--username', 'monitor', '--password-file', passwordFile]).auth).toEqual({ username: 'monitor', password: 'pa:ss word' });
    expect(parseCliArgs(['--scenario', DEMO, '--token', 't0k']).auth).toEqual({ token: 't0k' });
  });

  it.each([
    [[], '--scenario FILE or --generate SPEC is required'],
    [['--scenario', DEMO, '--port', 'http'], "--port: 'http' is not a port number"],
    [['--scenario', DEMO, '--fault', 'slow'], '--fault must be one of hang, proxy-502, broken-json, wrong-shape, server-error'],
    [['--scenario', DEMO, '--username', 'monitor'], '--username and --password-file go together'],
    [['--scenario', DEMO, '--token', 't', '--username', 'u'], '--token cannot be combined with --username/--password-file'],
    [['--scenario', DEMO, '--verbose'], "Unknown option '--verbose'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('the bundled command', () => {
  const bundle = join(dir, 'simulator.mjs');
  beforeAll(async () => {
    await build({ entryPoints: [fileURLToPath(new URL('../../src/simulator/cli.ts', import.meta.url))], bundle: true, platform: 'node', target: 'node20', format: 'esm', outfile: bundle, logLevel: 'silent' });
  });

  it('prints one line when ready, serves the scenario and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bundle, '--scenario', DEMO, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const m = /^listening on (http:\/\/127\.0\.0\.1:\d+\/engine-rest)\n/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    });
    const response = await fetch(`${url}/incident/count`);
    expect(await response.json()).toEqual({ count: 7 });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toBe(`listening on ${url}\n`);
    expect(stderr).toBe('');
  });

  it('exits 2 on a usage error', async () => {
    const child = spawn(process.execPath, [bundle, '--fault', 'slow'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe('simulator: --scenario FILE or --generate SPEC is required\n');
  });
});
