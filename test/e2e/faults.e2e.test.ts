import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, loadScenario, startSimulator, type Fault, type RunningSimulator } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { runBuilt } from '../support/executables';
import { extraLines, fullStatus } from '../support/run-plugin';

/*
 * Every built check against every way the engine or the network in front of it can fail: one clear
 * line, nothing on stderr, no stack trace. check_camunda_engine reports an unreachable node as down
 * (CRITICAL by its --nodes-down-critical default); the others end UNKNOWN.
 */

const CHECKS = [
  ['check_camunda_incidents', 'CAMUNDA INCIDENTS', 3],
  ['check_camunda_jobs', 'CAMUNDA JOBS', 3],
  ['check_camunda_definition', 'CAMUNDA DEFINITION', 3],
  ['check_camunda_engine', 'CAMUNDA ENGINE', 2],
  ['check_camunda_sla', 'CAMUNDA SLA', 3],
  ['check_camunda_external_tasks', 'CAMUNDA EXTERNAL TASKS', 3],
] as const;

const EXPECTED: Record<Fault | 'refused' | 'tls-to-plain', string> = {
  hang: 'no answer within the timeout',
  'proxy-502': 'HTTP 502 Bad Gateway',
  'broken-json': 'broken JSON',
  'wrong-shape': 'unexpected shape',
  'server-error': 'HTTP 500 ProcessEngineException',
  refused: 'connection refused',
  'tls-to-plain': 'TLS protocol error',
};

const faulty = new Map<string, RunningSimulator>();
let plain: RunningSimulator;
let closedPort: number;
const cacheDir = privateCacheDir();

beforeAll(async () => {
  const scenario = loadScenario('src/simulator/scenarios/demo.json');
  plain = await startSimulator({ scenario });
  await Promise.all(FAULTS.map(async (fault) => faulty.set(fault, await startSimulator({ scenario, fault }))));
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await Promise.all([plain?.close(), ...[...faulty.values()].map((sim) => sim.close())]);
});

function urlFor(fault: keyof typeof EXPECTED): string {
  if (fault === 'refused') return `http://127.0.0.1:${closedPort}/engine-rest`;
  if (fault === 'tls-to-plain') return plain.url.replace(/^http:/, 'https:');
  return faulty.get(fault)!.url;
}

describe.each(CHECKS)('%s', (check, prefix, code) => {
  it.each(Object.keys(EXPECTED) as (keyof typeof EXPECTED)[])('%s ends in one clear line', async (fault) => {
    const cache = check === 'check_camunda_sla' ? ['--cache-dir', cacheDir()] : [];
    const run = await runBuilt(check, ['--url', urlFor(fault), '-t', '1', ...cache]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    expect(run.status).toMatch(new RegExp(`^${prefix} (UNKNOWN|CRITICAL) - `));
    expect(fullStatus(run)).toContain(EXPECTED[fault]);
    // The engine check adds a line per node; the others say everything in the status text.
    expect(extraLines(run).length).toBe(code === 3 ? 0 : 1);
    expect(run.stdout).not.toMatch(/\bat .*\.(m?js|ts):\d+|Error:/);
  });
});
