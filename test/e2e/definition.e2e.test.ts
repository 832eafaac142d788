import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario, startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { runBuilt } from '../support/executables';
import { extraLines, fullStatus } from '../support/run-plugin';
import { validateQuery } from '../support/openapi';

/*
 * The built check_camunda_definition executable against the embedded simulator: both modes
 * agree on the same engine, and the cost in requests does not grow with deployed versions.
 */

const CHECK = 'check_camunda_definition';

const scenario: Scenario = {
  engines: [
    {
      name: 'default',
      processDefinitions: [
        { key: 'invoice', name: 'Invoice Receipt', versions: [{ version: 1 }, { version: 2 }, { version: 3 }] },
        { key: 'invoice', name: 'Invoice Receipt', tenantId: 'acme', versions: [{ version: 1 }] },
        { key: 'order', name: 'Order', category: 'http://example.com/orders', versions: [{ version: 1 }] },
      ],
      instances: [
        { ref: 'inv-old', definition: 'invoice', tenantId: null, version: 1, started: '40d' },
        { ref: 'inv-new', definition: 'invoice', tenantId: null, version: 2, started: '1h' },
        { definition: 'invoice', tenantId: null, version: 2, count: 4 },
        { ref: 'inv-acme', definition: 'invoice', tenantId: 'acme' },
        { ref: 'order-1', definition: 'order' },
      ],
      incidents: [
        { instance: 'inv-old', type: 'failedJob', activityId: 'ServiceTask_Archive', message: 'Connection refused', ago: '10h' },
        { instance: 'inv-new', type: 'failedJob', activityId: 'ServiceTask_Book', message: 'SAP said no', ago: '5m' },
        { instance: 'inv-new', type: 'failedExternalTask', activityId: 'Task_Scan', message: 'Worker timeout', ago: '2m' },
        { instance: 'inv-acme', type: 'failedJob', activityId: 'ServiceTask_Book', message: 'acme SAP down', ago: '1m' },
      ],
      tasks: [
        { instance: 'inv-new', taskDefinitionKey: 'UserTask_Approve' },
        { instance: 'inv-old', taskDefinitionKey: 'UserTask_Approve' },
        { instance: 'order-1', taskDefinitionKey: 'UserTask_Pack' },
      ],
    },
  ],
};

let engine: RunningSimulator;

beforeAll(async () => {
  engine = await startSimulator({ scenario });
});
afterAll(() => engine?.close());

describe('check_camunda_definition as a process', () => {
  it('sums every version per definition and names the one in trouble first', async () => {
    const result = await runBuilt(CHECK, ['--url', engine.url, '--mode', 'statistics', '-k', 'invoice', '-k', 'order', '--incidents-critical', '2', '--tasks']);
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA DEFINITION CRITICAL - invoice: 3 incidents (critical) / invoice@acme, order OK');
    expect(result.perfdata).toEqual({
      invoice_instances: '6;;;0',
      invoice_incidents: '3;;2;0',
      invoice_failed_jobs: '2;;;0',
      invoice_tasks: '2;;;0',
      'invoice@acme_instances': '1;;;0',
      'invoice@acme_incidents': '1;;2;0',
      'invoice@acme_failed_jobs': '1;;;0',
      'invoice@acme_tasks': '0;;;0',
      order_instances: '1;;;0',
      order_incidents: '0;;2;0',
      order_failed_jobs: '0;;;0',
      order_tasks: '1;;;0',
    });
    expect(result.details).toContain('invoice (Invoice Receipt): 6 instances, 3 incidents (critical) [failedJob 2, failedExternalTask 1], 2 failed jobs, 2 open tasks; 3 versions, latest 3');
  });

  it.each([
    [['-k', 'invoice', '-k', 'order', '--tasks', '-w', '1']],
    [['-k', 'invoice', '-k', 'order', '--latest-only', '--tasks']],
    [['-k', 'invoice', '--tenant-id', 'acme']],
    [['-k', 'invoice', '-k', 'order', '--category', 'http://example.com/orders']],
  ])('counts mode reports the same figures as statistics mode (%j)', async (args) => {
    const statistics = await runBuilt(CHECK, ['--url', engine.url, '--mode', 'statistics', ...args]);
    const counts = await runBuilt(CHECK, ['--url', engine.url, '--mode', 'counts', ...args]);
    expect(counts.code).toBe(statistics.code);
    expect(counts.perfdata).toEqual(statistics.perfdata);
    expect(counts.status).toBe(statistics.status);
  });

  it('by default (--mode auto) counts per key for a few keys instead of aggregating every deployed version', async () => {
    const before = engine.requests.length;
    const result = await runBuilt(CHECK, ['--url', engine.url, '-k', 'invoice', '-k', 'order']);
    expect(result.details[0]).toBe('Selection: keys invoice, order; count queries per key');
    const paths = engine.requests.slice(before).map((r) => r.path);
    expect(paths).not.toContain('/process-definition/statistics');
    const mark = engine.requests.length;
    const everything = await runBuilt(CHECK, ['--url', engine.url]);
    expect(everything.code).not.toBe(3);
    expect(engine.requests.slice(mark).map((r) => r.path)).toContain('/process-definition/statistics');
  });

  it('reports a key that is not deployed, with the state the operator chose', async () => {
    const critical = await runBuilt(CHECK, ['--url', engine.url, '-k', 'invoice', '-k', 'invoce']);
    expect(critical.code).toBe(2);
    expect(critical.status).toBe('CAMUNDA DEFINITION CRITICAL - invoce: not deployed (critical) / invoice, invoice@acme OK');
    const warning = await runBuilt(CHECK, ['--url', engine.url, '--mode', 'counts', '-k', 'invoce', '--missing-state', 'warning']);
    expect(warning.code).toBe(1);
    expect(warning.status).toBe('CAMUNDA DEFINITION WARNING - invoce: not deployed (warning)');
  });

  it('sends only requests Camunda defines', () => {
    expect(engine.requests.length).toBeGreaterThan(20);
    const violations = engine.requests.flatMap((r) => validateQuery(r.method, r.path, r.query).map((e) => `${r.path}: ${e}`));
    expect(violations).toEqual([]);
    expect(engine.requests.flatMap((r) => r.ignored)).toEqual([]);
  });

  it('ends UNKNOWN with one line on a wrong answer or a hanging engine', async () => {
    const faulty = await startSimulator({ scenario, fault: 'wrong-shape' });
    const hanging = await startSimulator({ scenario, fault: 'hang' });
    try {
      const wrong = await runBuilt(CHECK, ['--url', faulty.url]);
      expect(wrong.code).toBe(3);
      // One status text: the status line, and its whole text when it had to be cut.
      expect(fullStatus(wrong)).toMatch(/^CAMUNDA DEFINITION UNKNOWN - GET \/process-definition\/statistics on .* unexpected shape/);
      expect(extraLines(wrong)).toEqual([]);
      const hung = await runBuilt(CHECK, ['--url', hanging.url, '-t', '2', '--mode', 'counts', '-k', 'invoice']);
      expect(hung.code).toBe(3);
      expect(hung.stdout).toMatch(/^CAMUNDA DEFINITION UNKNOWN - no answer within the timeout of 2s/);
    } finally {
      await Promise.all([faulty.close(), hanging.close()]);
    }
  });
});

describe('check_camunda_definition help', () => {
  it('prints help and version like the C plugins, with exit 3', async () => {
    const help = await runBuilt(CHECK, ['--help']);
    expect(help.code).toBe(3);
    for (const text of ['--key', '--mode', '--missing-state', 'LABEL_failed_jobs', 'key@tenant']) expect(help.stdout).toContain(text);
    const version = await runBuilt(CHECK, ['-V']);
    expect(version.code).toBe(3);
    expect(version.stdout).toMatch(/^check_camunda_definition \d+\.\d+\.\d+ /);
  });
});

describe('check_camunda_definition at scale', () => {
  const requestsPerRun = async (definitions: number, versions: number, args: string[]) => {
    const big = await startSimulator({ scenario: generateScenario({ definitions, versions, incidents: Math.max(definitions, 100) }) });
    try {
      const result = await runBuilt(CHECK, ['--url', big.url, ...args]);
      expect(result.code, result.stdout).toBe(2);
      expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(8191);
      return big.requests.length;
    } finally {
      await big.close();
    }
  };

  it('sends as many requests for 10 000 definition versions as for 10', async () => {
    // One statistics request, and for the causes of the incidents in the long output the newest 50
    // of 100 or more incidents, the count of those with a message and one count for each of 3 causes.
    const statistics = ['-c', '0'];
    expect(await requestsPerRun(10, 1, statistics)).toBe(1 + 2 + 3);
    expect(await requestsPerRun(1000, 10, statistics)).toBe(1 + 2 + 3);
    const counts = ['--mode', 'counts', '-k', 'process-0001', '-k', 'process-0002', '-c', '0'];
    const few = await requestsPerRun(10, 1, counts.map((a) => a.replace('process-000', 'process-0')));
    expect(await requestsPerRun(1000, 10, counts)).toBe(few);
    // The lookup, three counts per key, and the causes of the two keys' incidents: fewer than 50,
    // so the newest page is all of them and the causes are counted in it.
    expect(few).toBe(1 + 2 * 3 + 1);
  });
});
