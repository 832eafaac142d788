import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, loadScenario, startSimulator, type Fault, type RecordedRequest, type RunningSimulator, type Scenario } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { builtCheck, runBuilt, type ProcessRun } from '../support/executables';
import { extraLines, fullStatus, parseOutput, perfValue, type PluginRun } from '../support/run-plugin';

/*
 * The built check_camunda_sla against the SLA scenario (test/fixtures/sla.json, documented in
 * src/simulator/README.md "The SLA scenario"). Ages in the output are whole minutes since the
 * simulator started: every describe block starts its own simulator, and its runs end well within
 * a minute.
 */

const SLA_SCENARIO = 'test/fixtures/sla.json';
const CHECK = 'check_camunda_sla';

/** The requests a run sent: what the simulator recorded while the run lasted. */
async function requestsOf(engine: RunningSimulator, run: () => Promise<ProcessRun>): Promise<{ run: ProcessRun; requests: RecordedRequest[] }> {
  const before = engine.requests.length;
  const result = await run();
  return { run: result, requests: engine.requests.slice(before) };
}

const isModelRequest = (request: RecordedRequest) => /^\/process-definition\/[^/]+\/xml$/.test(request.path);

describe('check_camunda_sla against the documented SLA scenario', () => {
  let engine: RunningSimulator;
  const cacheDir = privateCacheDir();
  const run = (...args: string[]) => runBuilt(CHECK, ['--url', engine.url, '--cache-dir', cacheDir(), ...args]);

  beforeAll(async () => {
    engine = await startSimulator({ scenario: loadScenario(SLA_SCENARIO) });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('-k invoice: the SLAs of each running version, from its own model', async () => {
    const result = await run('-k', 'invoice');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    expect(result.status).toBe(
      "CAMUNDA SLA CRITICAL - invoice: 2 breached at 'Approve invoice' (v2, SLA 4h, oldest 9h), 4 more SLAs breached (critical), 2 at risk (warning)",
    );
    expect(result.perfdata).toEqual({ invoice_breached: '6;;0;0', invoice_at_risk: '2;0;;0' });
    expect(result.details).toEqual([
      'invoice (Invoice Receipt): 6 breached, 2 at risk; running versions 1, 2',
      "  'Approve invoice' (approve_invoice, userTask), v1: SLA 8h, at risk from 6h 24m: 1 breached (oldest 9h), 0 at risk",
      "  'Approve invoice' (approve_invoice, userTask), v2: SLA 4h, at risk from 3h: 2 breached (oldest 9h), 1 at risk",
      "  'Wait for payment' (wait_for_payment, receiveTask), v1, v2: SLA 2d, at risk from 1d 14h 24m: 1 breached (oldest 3d), 0 at risk",
      "  'Review invoice' (review_invoice, userTask), v2: SLA 1h, at risk from 48m: 1 breached (oldest 2h), 0 at risk",
      '  process instances, v2: SLA 5d, at risk from 4d: 1 breached (oldest 6d), 1 at risk',
      "5 SLAs watched; an item is at risk from the age its 'sla-warning' property names, or after 80% of the SLA",
    ]);
  });

  it('-k order: one definition per tenant, activity SLAs counted in the history', async () => {
    const result = await run('-k', 'order');
    expect(result.code).toBe(2);
    expect(result.status).toBe(
      "CAMUNDA SLA CRITICAL - order@acme: 1 breached at 'Ship order' (SLA 2h, oldest 3h), 1 more SLA breached (critical) / order@globex: 1 breached at 'Wait for confirmation' (SLA 30m, oldest 2h) (critical)",
    );
    expect(result.perfdata).toEqual({
      'order@acme_breached': '2;;0;0',
      'order@acme_at_risk': '0;0;;0',
      'order@globex_breached': '1;;0;0',
      'order@globex_at_risk': '0;0;;0',
    });
  });

  it('-k broken: a malformed SLA is UNKNOWN naming the element, not a silent 0', async () => {
    const result = await run('-k', 'broken');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    expect(result.status).toBe("CAMUNDA SLA UNKNOWN - broken: 'Check' (check) in v1: 'sla' '4 hours' is not an ISO-8601 duration such as PT4H, P2D or P1DT12H (unknown)");
    expect(result.perfdata).toEqual({});
  });

  it('an engine without history: task SLAs counted, the others named as not counted instead of 0', async () => {
    const result = await run('--engine', 'nohistory', '-k', 'invoice');
    expect(result.code).toBe(2);
    expect(result.status).toBe("CAMUNDA SLA CRITICAL - invoice: 1 breached at 'Approve invoice' (SLA 4h, oldest 5h) (critical), 2 SLAs not counted without history (unknown)");
    expect(result.perfdata).toEqual({ invoice_breached: '1;;0;0', invoice_at_risk: '0;0;;0' });
    expect(result.details[0]).toBe(
      'Activity and process SLAs not counted: no history of a running version is readable (history level none, or no READ_HISTORY for the user); they need history level activity or higher and READ_HISTORY on the definitions (unknown)',
    );
    expect(result.details).toContain("  'Wait for payment' (wait_for_payment, receiveTask), v1: SLA 2d, at risk from 1d 14h 24m: not counted: no history of a running version is readable (history level none, or no READ_HISTORY for the user)");
    expect(result.details).toContain('  process instances, v1: SLA 5d, at risk from 4d: not counted: no history of a running version is readable (history level none, or no READ_HISTORY for the user)');
  });
});

describe('check_camunda_sla requests: one model per definition id, then counts only', () => {
  /** The SLA scenario with this many more invoice v2 instances, each past the process SLA and waiting for payment for 3 days. */
  function withMoreInstances(count: number): Scenario {
    const scenario = loadScenario(SLA_SCENARIO);
    scenario.engines[0]!.instances!.push({
      definition: 'invoice',
      version: 2,
      businessKey: 'BULK-{n}',
      started: '6d',
      every: '1m',
      count,
      activities: [{ activityId: 'wait_for_payment', activityType: 'receiveTask', name: 'Wait for payment', started: '3d' }],
    });
    return scenario;
  }

  const MORE = 500;
  let documented: RunningSimulator;
  let larger: RunningSimulator;
  let largest: RunningSimulator;
  const cacheDir = privateCacheDir();

  beforeAll(async () => {
    [documented, larger, largest] = await Promise.all([
      startSimulator({ scenario: loadScenario(SLA_SCENARIO) }),
      startSimulator({ scenario: withMoreInstances(MORE) }),
      startSimulator({ scenario: withMoreInstances(4 * MORE) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([documented?.close(), larger?.close(), largest?.close()]);
  });

  /** A cold run on an empty cache, then a warm one, with the requests of each. */
  async function coldThenWarm(engine: RunningSimulator) {
    const cache = mkdtempSync(join(cacheDir(), 'run-'));
    const run = () => runBuilt(CHECK, ['--url', engine.url, '--cache-dir', cache, '-k', 'invoice']);
    const cold = await requestsOf(engine, run);
    const warm = await requestsOf(engine, run);
    return { cold, warm };
  }

  /** Method and path of each request, sorted: what was asked, whatever order the counts went in. */
  const asked = (requests: readonly RecordedRequest[]) => requests.map((r) => `${r.method} ${r.path}`).sort();

  it('a cold run reads each running version\'s model once; a warm run sends no /xml request and the same counts', async () => {
    const { cold, warm } = await coldThenWarm(documented);
    expect(cold.requests.filter(isModelRequest).map((r) => r.path)).toHaveLength(2);
    expect(new Set(cold.requests.filter(isModelRequest).map((r) => r.path)).size).toBe(2);
    expect(warm.requests.filter(isModelRequest)).toEqual([]);
    expect(asked(warm.requests)).toEqual(asked(cold.requests.filter((r) => !isModelRequest(r))));
    expect(warm.run.status).toBe(cold.run.status);
    expect(warm.requests.every((r) => r.status === 200)).toBe(true);
  });

  it(`its number of requests does not grow with ${MORE} more instances, whose breaches it counts`, async () => {
    const small = await coldThenWarm(documented);
    const large = await coldThenWarm(larger);
    const most = await coldThenWarm(largest);
    expect(perfValue(small.warm.run, 'invoice_breached')).toBe(6);
    // Each added instance is past the process SLA (5d) and its wait for payment past 2d.
    expect(perfValue(large.warm.run, 'invoice_breached')).toBe(6 + 2 * MORE);
    expect(perfValue(most.warm.run, 'invoice_breached')).toBe(6 + 8 * MORE);
    // A few items are listed; behind a full list of 25 the counts follow: a little more, once.
    expect(large.warm.requests.length).toBeGreaterThan(small.warm.requests.length);
    expect(asked(most.warm.requests)).toEqual(asked(large.warm.requests));
    expect(most.cold.requests.length).toBe(large.cold.requests.length);
    expect(most.warm.requests.length).toBeLessThanOrEqual(20);
  });
});

describe('check_camunda_sla loads the BPMN reader on a cache miss only', () => {
  /*
   * The build carries the BPMN reader (bpmn-moddle and its metamodels) as the text of a module,
   * compiled with new Function(...) when a run first imports it (scripts/build.mjs). A preload
   * records what the process compiles, so a run shows from outside whether it loaded the reader.
   */
  const PRELOAD = fileURLToPath(new URL('../support/compiled-functions.cjs', import.meta.url));
  let engine: RunningSimulator;
  let directory: string;

  beforeAll(async () => {
    engine = await startSimulator({ scenario: loadScenario(SLA_SCENARIO) });
    directory = mkdtempSync(join(tmpdir(), 'sla-reader-'));
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Runs the built check under `node --require PRELOAD`, returning its output and what it compiled. */
  function runRecorded(name: string, args: readonly string[]): Promise<PluginRun & { compiled: string[] }> {
    const log = join(directory, `${name}.log`);
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['--require', PRELOAD, builtCheck(CHECK), ...args],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', COMPILED_FUNCTIONS_LOG: log }, timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error ? error.code : 0;
          if (typeof code !== 'number') return reject(new Error(`${CHECK} did not exit normally: ${error?.message}\n${stdout}\n${stderr}`));
          const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
          expect(lines[0], 'the preload ran').toBe('loaded');
          resolve({ code, stdout, stderr, ...parseOutput(stdout), compiled: lines.slice(1).map((line) => line.split(' ').at(-1)!) });
        },
      );
    });
  }

  it('compiles it once on a cold cache, not at all on a warm one, with the same status line', async () => {
    const cache = join(directory, 'cache');
    const args = ['--url', engine.url, '--cache-dir', cache, '-k', 'invoice'];
    const cold = await runRecorded('cold', args);
    expect(cold.stderr).toBe('');
    expect(cold.compiled).toEqual(['bpmn-reader']);
    expect(readdirSync(cache)).toHaveLength(2);

    const warm = await runRecorded('warm', args);
    expect(warm.stderr).toBe('');
    expect(warm.compiled).toEqual([]);
    expect(warm.code).toBe(2);
    expect(warm.code).toBe(cold.code);
    expect(warm.stdout.split('\n')[0]).toBe(cold.stdout.split('\n')[0]);
  });

  it('compiles it again when one version is missing from the cache', async () => {
    const cache = join(directory, 'partial');
    const args = ['--url', engine.url, '--cache-dir', cache, '-k', 'invoice'];
    await runRecorded('fill', args);
    const [entry] = readdirSync(cache);
    rmSync(join(cache, entry!));
    const partial = await runRecorded('partial', args);
    expect(partial.compiled).toEqual(['bpmn-reader']);
    expect(partial.code).toBe(2);
  });
});

describe('check_camunda_sla when the engine fails after its first answer', () => {
  /*
   * Behind one URL (the model cache belongs to it): the statistics always come from a healthy
   * simulator, every later request (models, counts) from one with the fault set in `failing`;
   * both serve the same scenario, whose definition ids do not change between starts. With an
   * empty cache the models fail, with a warm one the counts.
   */
  const cacheDir = privateCacheDir();
  let healthy: RunningSimulator;
  const faulty = new Map<Fault, RunningSimulator>();
  let failing: Fault | undefined;
  let proxy: Server;
  let url: string;

  beforeAll(async () => {
    const scenario = loadScenario(SLA_SCENARIO);
    healthy = await startSimulator({ scenario });
    await Promise.all(FAULTS.map(async (fault) => faulty.set(fault, await startSimulator({ scenario, fault }))));
    proxy = createServer((req, res) => {
      const statistics = req.url?.startsWith('/engine-rest/process-definition/statistics');
      const upstream = statistics || failing === undefined ? healthy : faulty.get(failing)!;
      const forwarded = httpRequest({ host: '127.0.0.1', port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forwarded.on('error', () => res.destroy());
      req.pipe(forwarded);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/engine-rest`;
  });
  afterAll(async () => {
    proxy?.closeAllConnections();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    await Promise.all([healthy?.close(), ...[...faulty.values()].map((simulator) => simulator.close())]);
  });

  // -t 1 ends the hanging engine's runs soon; the healthy warm-up has more time, as a busy test
  // machine may need more than a second just to start the check (the timeout counts from process start).
  const run = (cache: string, timeout = '1') => runBuilt(CHECK, ['--url', url, '--cache-dir', cache, '-k', 'invoice', '-t', timeout]);

  it.each(FAULTS)('%s: one clear UNKNOWN line, whether the models or the counts fail', async (fault) => {
    const cold = mkdtempSync(join(cacheDir(), 'cold-'));
    const warm = mkdtempSync(join(cacheDir(), 'warm-'));
    failing = undefined;
    expect((await run(warm, '10')).code).toBe(2);
    failing = fault;
    for (const [stage, cache] of [['models', cold], ['counts', warm]] as const) {
      const result = await run(cache);
      const context = `${fault} at the ${stage}: ${result.stdout}`;
      expect(result.stderr, context).toBe('');
      expect(result.code, context).toBe(3);
      // One status text: the status line, and its whole text when it had to be cut.
      expect(result.status, context).toMatch(/^CAMUNDA SLA UNKNOWN - /);
      expect(extraLines(result), context).toEqual([]);
      expect(fullStatus(result), context).toMatch(stage === 'models' ? /GET \/process-definition\/[^/ ]+\/xml / : /GET \/(task|history\/[\w-]+)\/count /);
      expect(result.stdout, context).not.toMatch(/\bat .*\.(m?js|ts):\d+|Error:/);
    }
  });
});
