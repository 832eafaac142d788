import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { runBuilt } from '../support/executables';
import { perfValue } from '../support/run-plugin';

/*
 * The built check_camunda_engine against a cluster of two nodes: two simulator processes
 * (dist/simulator.mjs) on one scenario file, started with different --camunda-version as
 * during a rolling update from 7.21 to 7.22. One node is stopped mid-suite.
 */

const CHECK = 'check_camunda_engine';
const SIMULATOR = fileURLToPath(new URL('../../dist/simulator.mjs', import.meta.url));

const scenario: Scenario = {
  engines: [
    {
      name: 'default',
      processDefinitions: [{ key: 'invoice', versions: [{ version: 1 }, { version: 2 }] }],
      instances: [{ definition: 'invoice', count: 5 }],
      // The database was updated to 7.22 first, as a rolling update requires.
      schemaLog: [
        { version: '7.21.0', ago: '200d' },
        { version: '7.22.0', ago: '1h' },
      ],
    },
    {
      name: 'batch',
      processDefinitions: [
        { key: 'archive', versions: [{ version: 1, suspended: true }, { version: 2 }] },
        { key: 'reindex', versions: [{ version: 3, suspended: true }] },
      ],
      instances: [
        { definition: 'archive', version: 2, count: 2 },
        { definition: 'archive', version: 2, suspended: true },
      ],
    },
  ],
};

interface SimulatorProcess {
  readonly child: ChildProcess;
  readonly url: string;
}

const work = mkdtempSync(join(tmpdir(), 'engine-e2e-'));
const scenarioFile = join(work, 'cluster.json');
const children: ChildProcess[] = [];

/** Starts dist/simulator.mjs as its own process and waits for its "listening on" line. */
function startNode(camundaVersion: string): Promise<SimulatorProcess> {
  if (!existsSync(SIMULATOR)) throw new Error(`${SIMULATOR} is missing: run "npm run build" (npm test does) before the end-to-end tests`);
  const child = spawn(process.execPath, [SIMULATOR, '--scenario', scenarioFile, '--port', '0', '--camunda-version', camundaVersion], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^listening on (\S+)\n/.exec(stdout);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once('exit', (code) => reject(new Error(`simulator on ${camundaVersion} exited with ${code}: ${stderr}`)));
  });
}

/** Ends one simulator process we started, and waits until it is gone. */
function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

let node22: SimulatorProcess;
let node21: SimulatorProcess;
let port22: string;
let port21: string;

beforeAll(async () => {
  writeFileSync(scenarioFile, JSON.stringify(scenario));
  [node22, node21] = await Promise.all([startNode('7.22.0'), startNode('7.21.0')]);
  port22 = new URL(node22.url).port;
  port21 = new URL(node21.url).port;
});

afterAll(async () => {
  // Every child, even when a test or the start-up failed: no simulator outlives the suite.
  await Promise.all(children.map(stopNode));
  rmSync(work, { recursive: true, force: true });
});

describe('check_camunda_engine against two simulator processes', () => {
  it('is OK for one node, and names its version', async () => {
    const result = await runBuilt(CHECK, ['--url', node22.url]);
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA ENGINE OK - 127.0.0.1 runs 7.22.0');
    expect(perfValue(result, 'instances')).toBe(5);
    expect(result.perfdata).toMatchObject({ nodes_up: '1;;;0;1', nodes_down: '0;0;0;0;1', suspended_definitions: '0;0;;0', suspended_instances: '0;0;;0' });
    expect(result.perfdata.time).toMatch(/^\d+(\.\d+)?s;;;0$/);
  });

  it('warns during the rolling update, naming each node with its version', async () => {
    const result = await runBuilt(CHECK, ['--url', node22.url, '--node', node21.url]);
    expect(result.code).toBe(1);
    expect(result.status).toBe(`CAMUNDA ENGINE WARNING - 127.0.0.1:${port21} runs 7.21.0, 127.0.0.1:${port22} runs 7.22.0 (rolling update in progress)`);
    expect(result.perfdata).toMatchObject({ nodes_up: '2;;;0;2', nodes_down: '0;0;1;0;2' });
  });

  it('compares each node with the database schema', async () => {
    const result = await runBuilt(CHECK, ['--url', node22.url, '--node', node21.url, '--check-schema', '--no-load']);
    expect(result.code).toBe(1);
    expect(result.status).toContain(`127.0.0.1:${port21} one minor version behind database schema 7.22.0 (warning)`);
    expect(result.details).toContainEqual(expect.stringMatching(/^Database schema: 7\.22\.0, updated \d{4}-\d\d-\d\dT/));
  });

  it('is CRITICAL for a node off the pinned version with --version-state critical', async () => {
    const result = await runBuilt(CHECK, ['--url', node22.url, '--node', node21.url, '--expect-version', '7.22', '--version-state', 'critical', '--no-load']);
    expect(result.code).toBe(2);
    expect(result.status).toContain(`not the expected 7.22: 127.0.0.1:${port21} (critical)`);
  });

  it('reads a named engine: suspended definitions and instances are WARNING and listed', async () => {
    const result = await runBuilt(CHECK, ['--url', node21.url, '--engine', 'batch']);
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - 127.0.0.1 runs 7.21.0, 2 suspended process definitions (warning), 1 suspended process instance (warning)');
    expect(result.details.slice(-4)).toEqual([
      'Suspended process definitions:',
      'archive (v1)',
      'reindex (v3)',
      'Access: requests carry no credentials, so the engine checks neither permissions nor tenants: every figure is complete',
    ]);
  });

  it('is CRITICAL for an engine that does not exist, naming those that do', async () => {
    const result = await runBuilt(CHECK, ['--url', node22.url, '--engine', 'bach', '--no-load']);
    expect(result.code).toBe(2);
    // The node answers, without that engine: no version of it to read, and no "down".
    expect(result.status).toBe("CAMUNDA ENGINE CRITICAL - engine 'bach' does not exist on 127.0.0.1 (critical, engines there: default, batch)");
    expect(result.details[0]).toMatch(/: up, version unknown \(no such engine\), answered in [\d.]+s, engines default, batch$/);
  });

  it('rejects a node given twice with UNKNOWN', async () => {
    const result = await runBuilt(CHECK, ['--url', node22.url, '--node', `${node22.url}/`]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(`CAMUNDA ENGINE UNKNOWN - --node: ${node22.url} is given twice (it is the --url): every node is checked once\n`);
  });

  describe('after one node was stopped', () => {
    beforeAll(async () => {
      await stopNode(node21.child);
    });

    it('warns with the node down, and still counts on the node that answers', async () => {
      const result = await runBuilt(CHECK, ['--url', node21.url, '--node', node22.url]);
      expect(result.code).toBe(1);
      expect(result.status).toBe(`CAMUNDA ENGINE WARNING - 1 of 2 nodes down: 127.0.0.1:${port21} (warning), 127.0.0.1:${port22} runs 7.22.0`);
      expect(result.perfdata).toMatchObject({ nodes_up: '1;;;0;2', nodes_down: '1;0;1;0;2' });
      expect(perfValue(result, 'instances')).toBe(5);
      expect(result.details[0]).toMatch(/: down: cannot reach GET \/version on .*: connection refused/);
      expect(result.details).toContain(`Load (read from 127.0.0.1:${port22}): 5 process instances (suspended and called ones included), 0 suspended process definitions, 0 suspended process instances`);
    });

    it('is CRITICAL with --nodes-down-critical 0, and when the only node is down', async () => {
      const strict = await runBuilt(CHECK, ['--url', node22.url, '--node', node21.url, '--nodes-down-critical', '0', '--no-load']);
      expect(strict.code).toBe(2);
      expect(perfValue(strict, 'nodes_down')).toBe(1);
      const alone = await runBuilt(CHECK, ['--url', node21.url]);
      expect(alone.code).toBe(2);
      expect(alone.status).toMatch(/^CAMUNDA ENGINE CRITICAL - 127\.0\.0\.1 down \(critical\): cannot reach GET \/version on .*: connection refused/);
      expect(alone.perfdata).toEqual({ nodes_up: '0;;;0;1', nodes_down: '1;0;0;0;1' });
    });
  });
});

describe('check_camunda_engine --engine behind the authentication filter, on a node without an engine "default"', () => {
  const PASSWORD = 'e2e-Engine-Pa55';
  let secured: RunningSimulator;
  beforeAll(async () => {
    secured = await startSimulator({ scenario: { camundaVersion: '7.22.0', engines: [scenario.engines[1]!] }, auth: { username: 'monitor', password: PASSWORD } });
  });
  afterAll(async () => {
    await secured?.close();
  });

  it("reads the named engine's version: the root's /version goes to the missing default engine (404)", async () => {
    const from = secured.requests.length;
    const result = await runBuilt(CHECK, ['--url', secured.url, '--engine', 'batch', '--username', 'monitor', '--no-load'], { CAMUNDA_PASSWORD: PASSWORD });
    expect(result.status).toBe('CAMUNDA ENGINE OK - 127.0.0.1 runs 7.22.0');
    const asked = secured.requests.slice(from).map((r) => `${r.engine ?? '(root)'} ${r.path} ${r.status}`);
    expect(asked.sort()).toEqual(['(root) /engine 200', 'batch /version 200']);
  });
});
