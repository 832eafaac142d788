import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { runBuilt } from '../support/executables';
import { validateQuery } from '../support/openapi';
import { extraLines, fullStatus, perfValue, type PluginRun } from '../support/run-plugin';

/*
 * The built check_camunda_incidents executable, run as a process against the embedded
 * simulator: exit codes, status lines and perfdata as Icinga would see them.
 */

const CHECK = 'check_camunda_incidents';
const PASSWORD = 'e2e-Secret-Pa55';
/** A bare generated id, as the engine gives a definition whose `<key>:<version>:<id>` would exceed 64 characters. */
const ORDER_ID = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';

const scenario: Scenario = {
  engines: [
    {
      name: 'default',
      processDefinitions: [
        { key: 'invoice', name: 'Invoice Receipt', versions: [{ version: 1 }, { version: 2 }] },
        { key: 'order', name: 'Order', versions: [{ version: 1, id: ORDER_ID }] },
        { key: 'quiet', name: 'No trouble here', versions: [{ version: 1 }] },
      ],
      instances: [
        { ref: 'invoice-old', definition: 'invoice', version: 1, started: '2d' },
        { ref: 'invoice-new', definition: 'invoice', version: 2, started: '1h' },
        { ref: 'order-1', definition: 'order', started: '30m' },
        { definition: 'quiet', count: 5 },
      ],
      incidents: [
        { instance: 'invoice-old', type: 'failedJob', activityId: 'ServiceTask_Archive', message: 'Connection refused', ago: '10h' },
        { instance: 'invoice-new', type: 'failedJob', activityId: 'ServiceTask_Book', message: 'SAP said | no\nreally <b>no</b>', ago: '5m' },
        { instance: 'order-1', type: 'failedExternalTask', activityId: 'Task_Ship', message: 'Worker timeout', ago: '2m' },
      ],
    },
    { name: 'tenant-engine', processDefinitions: [{ key: 'calm', versions: [{ version: 1 }] }], instances: [{ definition: 'calm' }] },
  ],
};

let engine: RunningSimulator;
let secured: RunningSimulator;
let closedPort: number;
let secrets: string;

/** A port on which nothing listens: bind, note, close. */
async function unusedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  engine = await startSimulator({ scenario });
  secured = await startSimulator({ scenario, auth: { username: 'monitor', password: PASSWORD } });
  closedPort = await unusedPort();
  secrets = mkdtempSync(join(tmpdir(), 'e2e-secrets-'));
  writeFileSync(join(secrets, 'password'), `${PASSWORD}\n`, { mode: 0o600 });
  writeFileSync(join(secrets, 'wrong'), 'not-the-password\n', { mode: 0o600 });
});

afterAll(async () => {
  rmSync(secrets, { recursive: true, force: true });
  await Promise.all([engine?.close(), secured?.close()]);
});

describe('check_camunda_incidents as a process', () => {
  it('warns on the open incidents of every version and lists their causes, largest first', async () => {
    const before = engine.requests.length;
    const result = await runBuilt(CHECK, ['--url', engine.url, '--cockpit-url', 'https://camunda.test/camunda/app/cockpit/default']);
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA INCIDENTS WARNING - 3 open incidents (warning), 2 new in the last 15m, oldest 10h, 3 causes, 2 new causes: largest 1 × failedExternalTask in order at Task_Ship: Worker timeout');
    expect(result.perfdata.incidents).toBe('3;0;;0');
    expect(result.perfdata).toMatchObject({ causes: '3;;;0', new_causes: '2;;;0' });
    expect(result.perfdata.new_incidents).toBe('2;;;0');
    expect(perfValue(result, 'oldest_incident_age')).toBeGreaterThanOrEqual(36000);
    expect(perfValue(result, 'oldest_incident_age')).toBeLessThan(36060);
    expect(result.details).toHaveLength(4);
    expect(result.details[0]).toBe('Causes, largest first:');
    expect(result.details[1]).toMatch(/^1 × failedExternalTask in order \(v1\) at Task_Ship 2m ago \(new\): Worker timeout https:\/\/camunda\.test\/camunda\/app\/cockpit\/default\/#\/process-instance\/[0-9a-f-]+\/runtime\?tab=incidents-tab$/);
    expect(result.details[2]).toMatch(/^1 × failedJob in invoice \(v2\) at ServiceTask_Book 5m ago \(new\): SAP said ¦ no really ‹b›no‹\/b›/);
    expect(result.details[3]).toMatch(/^1 × failedJob in invoice \(v1\) at ServiceTask_Archive 10h ago: Connection refused/);
    expect(result.stdout.split('|')).toHaveLength(2);
    // invoice's ids name key and version themselves; only order's bare id is looked up.
    const lookups = engine.requests.slice(before).filter((r) => r.path === '/process-definition');
    expect(lookups.map((r) => r.query.processDefinitionIdIn)).toEqual([ORDER_ID]);
  });

  it('is CRITICAL on thresholds and counts all versions of one definition', async () => {
    const before = engine.requests.length;
    const result = await runBuilt(CHECK, ['--url', engine.url, '-k', 'invoice', '-c', '1', '--new-warning', '0']);
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA INCIDENTS CRITICAL - 2 open incidents (critical), 1 new in the last 15m (warning), oldest 10h, 2 causes, 1 new cause: largest 1 × failedJob in invoice at ServiceTask_Book');
    expect(perfValue(result, 'incidents')).toBe(2);
    expect(result.details.filter((line) => line.startsWith('1 × failedJob')).map((line) => line.split(' at ')[0])).toEqual(['1 × failedJob in invoice (v2)', '1 × failedJob in invoice (v1)']);
    // Both ids have the engine's <key>:<version>:<id> form: no definition lookup.
    expect(engine.requests.slice(before).filter((r) => r.path === '/process-definition')).toEqual([]);
  });

  it('filters by incident type and activity', async () => {
    const external = await runBuilt(CHECK, ['--url', engine.url, '--incident-type', 'failedExternalTask']);
    expect(perfValue(external, 'incidents')).toBe(1);
    const activities = await runBuilt(CHECK, ['--url', engine.url, '--activity-id', 'ServiceTask_Book', '--activity-id', 'Task_Ship']);
    expect(perfValue(activities, 'incidents')).toBe(2);
    expect(perfValue(activities, 'new_incidents')).toBe(2);
  });

  it('is OK where there is nothing to report', async () => {
    const result = await runBuilt(CHECK, ['--url', engine.url, '-k', 'quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('CAMUNDA INCIDENTS OK - no open incidents | incidents=0;0;;0 new_incidents=0;;;0 oldest_incident_age=0s;;;0 causes=0;;;0 new_causes=0;;;0\nFilter: process definition quiet\n');
    const named = await runBuilt(CHECK, ['--url', engine.url, '--engine', 'tenant-engine']);
    expect(named.code).toBe(0);
  });

  it('sends only requests Camunda defines', () => {
    expect(engine.requests.length).toBeGreaterThan(10);
    const violations = engine.requests.flatMap((r) => validateQuery(r.method, r.path, r.query).map((e) => `${r.path}: ${e}`));
    expect(violations).toEqual([]);
  });
});

describe('check_camunda_incidents when things go wrong', () => {
  const expectUnknown = (result: PluginRun, text: RegExp) => {
    expect(result.code).toBe(3);
    // One status text (the status line, and its whole text when it had to be cut); a wrong option adds only the short usage.
    expect(extraLines(result).filter((line) => !/^(Usage: |\s+\[|\S+ --help lists every option\.$)/.test(line))).toEqual([]);
    expect(result.stdout).toMatch(/^CAMUNDA INCIDENTS UNKNOWN - /);
    expect(fullStatus(result)).toMatch(text);
    expect(result.stdout).not.toMatch(/\n\s+at /);
  };

  it('authenticates with the password from a file or the environment', async () => {
    const fromFile = await runBuilt(CHECK, ['--url', secured.url, '--username', 'monitor', '--password-file', join(secrets, 'password')]);
    expect(fromFile.code).toBe(1);
    const fromEnv = await runBuilt(CHECK, ['--url', secured.url, '--username', 'monitor'], { CAMUNDA_PASSWORD: PASSWORD });
    expect(fromEnv.code).toBe(1);
  });

  it('reports missing and wrong credentials without printing any secret, at every -v level', async () => {
    expectUnknown(await runBuilt(CHECK, ['--url', secured.url]), /requires authentication \(HTTP 401\)/);
    expectUnknown(await runBuilt(CHECK, ['--url', secured.url, '--username', 'monitor', '--password-file', join(secrets, 'wrong')]), /authentication failed \(HTTP 401\)/);
    for (const verbose of ['-v', '-vv', '-vvv']) {
      const wrong = await runBuilt(CHECK, ['--url', secured.url, '--username', 'monitor', '--password', 'wrong-Secret-99', verbose]);
      expect(wrong.code).toBe(3);
      expect(wrong.stdout + wrong.stderr).not.toContain('wrong-Secret-99');
      expect(wrong.stdout + wrong.stderr).not.toContain(Buffer.from('monitor:wrong-Secret-99').toString('base64'));
      const right = await runBuilt(CHECK, ['--url', secured.url, '--username', 'monitor', verbose], { CAMUNDA_PASSWORD: PASSWORD });
      expect(right.code).toBe(1);
      expect(right.stderr).toContain('GET ');
      expect(right.stdout + right.stderr).not.toContain(PASSWORD);
      expect(right.stdout + right.stderr).not.toContain(Buffer.from(`monitor:${PASSWORD}`).toString('base64'));
    }
  });

  it('names an engine that does not exist', async () => {
    expectUnknown(await runBuilt(CHECK, ['--url', engine.url, '--engine', 'nonexistent']), /engine 'nonexistent' does not exist/);
    // With authentication on, Camunda answers 404 before it checks credentials.
    expectUnknown(
      await runBuilt(CHECK, ['--url', secured.url, '--engine', 'nonexistent', '--username', 'monitor'], { CAMUNDA_PASSWORD: PASSWORD }),
      /engine 'nonexistent' does not exist/,
    );
  });

  it('explains a wrong base URL', async () => {
    expectUnknown(await runBuilt(CHECK, ['--url', engine.url.replace('/engine-rest', '/camunda')]), /HTTP 404.*\/engine-rest/);
  });

  it('reports an engine that is not there', async () => {
    expectUnknown(await runBuilt(CHECK, ['--url', `http://127.0.0.1:${closedPort}/engine-rest`]), /connection refused/);
  });

  it('ends a hanging engine at -t 2 with UNKNOWN', async () => {
    const hanging = await startSimulator({ scenario, fault: 'hang' });
    try {
      const result = await runBuilt(CHECK, ['--url', hanging.url, '-t', '2']);
      expectUnknown(result, /timeout of 2s/);
      // Ends by its own deadline, not by the test's 30 s kill.
      expect(result.elapsedMs).toBeLessThan(4000);
    } finally {
      await hanging.close();
    }
  });

  it.each([
    ['proxy-502', /HTTP 502 Bad Gateway .* HTML page, not from Camunda/],
    ['broken-json', /broken JSON/],
    ['wrong-shape', /unexpected shape/],
    ['server-error', /engine error \(HTTP 500 ProcessEngineException\)/],
  ] as const)('turns a %s answer into one clear line', async (fault, text) => {
    const faulty = await startSimulator({ scenario, fault });
    try {
      expectUnknown(await runBuilt(CHECK, ['--url', faulty.url]), text);
    } finally {
      await faulty.close();
    }
  });

  it('rejects bad options before contacting the engine', async () => {
    const before = engine.requests.length;
    expectUnknown(await runBuilt(CHECK, ['--url', engine.url, '-w', '10:5']), /--warning: invalid threshold range '10:5'/);
    expectUnknown(await runBuilt(CHECK, ['--url', engine.url, '--bogus']), /unknown option --bogus/);
    expectUnknown(await runBuilt(CHECK, ['--url', engine.url, '-k', '']), /--process-definition-key: empty value/);
    expect(engine.requests.length).toBe(before);
  });

  it('prints nothing on stderr without -v, even with many parallel requests', async () => {
    const types = ['failedJob', 'failedExternalTask', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const result = await runBuilt(CHECK, ['--url', engine.url, ...types.flatMap((t) => ['--incident-type', t]), '--activity-id', 'Task_Ship', '--activity-id', 'x']);
    expect(result.code).toBe(1);
    expect(perfValue(result, 'incidents')).toBe(1);
    expect(result.stderr).toBe('');
  });

  it('prints help and version like the C plugins, with exit 3', async () => {
    const help = await runBuilt(CHECK, ['--help']);
    expect(help.code).toBe(3);
    expect(help.stdout).toContain('--process-definition-key');
    expect(help.stdout).toContain('oldest_incident_age');
    const version = await runBuilt(CHECK, ['-V']);
    expect(version.code).toBe(3);
    expect(version.stdout).toMatch(/^check_camunda_incidents \d+\.\d+\.\d+ /);
  });
});
