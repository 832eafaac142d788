import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitionCheck } from '../../src/checks/definition';
import { MAX_OUTPUT_BYTES } from '../../src/plugin/output';
import { processDefinitionDto, statisticsRowDto } from '../support/fixtures';
import { useStrictNock, MOCK_ENGINE, MOCK_REST_URL } from '../support/nock';
import { perfValue, runInProcess } from '../support/run-plugin';

const ENGINE = MOCK_ENGINE;
const REST_URL = MOCK_REST_URL;
type Query = Record<string, string>;

useStrictNock();

/*
 * The incidents behind the figures, for the grouping by cause in the long output (three requests
 * at most here): none unless a test holds some (incident-causes tests cover the grouping).
 */
beforeEach(() => {
  nock(ENGINE).persist().get('/engine-rest/incident').query(true).optionally().reply(200, []);
  nock(ENGINE).persist().get('/engine-rest/incident/count').query((q) => q.incidentMessageLike !== undefined).optionally().reply(200, { count: 0 });
});

const run = (...args: string[]) => runInProcess(definitionCheck, ['--url', REST_URL, ...args]);

/** Answers the one statistics request with these rows and records its query. */
function mockStatistics(rows: Record<string, unknown>[], seen: Query[] = []): void {
  nock(ENGINE)
    .get('/engine-rest/process-definition/statistics')
    .query((q) => (seen.push(q as Query), true))
    .reply(200, rows);
}

const INVOICE_AND_ORDER = [
  statisticsRowDto({ key: 'invoice', version: 1, instances: 20, failedJobs: 2, incidents: { failedJob: 2 } }),
  statisticsRowDto({ key: 'invoice', version: 2, instances: 15, failedJobs: 1, incidents: { failedJob: 1, failedExternalTask: 1 } }),
  statisticsRowDto({ key: 'invoice', version: 3, instances: 0 }),
  statisticsRowDto({ key: 'order', version: 1, instances: 12, name: 'Order' }),
  statisticsRowDto({ key: 'reminder', version: 1, instances: 3 }),
];

describe('check_camunda_definition, statistics mode', () => {
  // The default (auto) counts for 1 to 5 keys: these tests name the mode they test.
  const run = (...args: string[]) => runInProcess(definitionCheck, ['--url', REST_URL, '--mode', 'statistics', ...args]);

  it('sums every version of each selected key from one statistics request', async () => {
    const seen: Query[] = [];
    mockStatistics(INVOICE_AND_ORDER, seen);
    const result = await run('--key', 'invoice', '-k', 'order', '--incidents-critical', '2');
    expect(seen).toEqual([{ failedJobs: 'true', incidents: 'true' }]);
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA DEFINITION CRITICAL - invoice: 4 incidents (critical) / order OK');
    expect(result.perfdata).toEqual({
      invoice_instances: '35;;;0',
      invoice_incidents: '4;;2;0',
      invoice_failed_jobs: '3;;;0',
      order_instances: '12;;;0',
      order_incidents: '0;;2;0',
      order_failed_jobs: '0;;;0',
    });
    expect(result.details).toEqual([
      'Selection: keys invoice, order',
      'invoice (Invoice Receipt): 35 instances, 4 incidents (critical) [failedJob 3, failedExternalTask 1], 3 failed jobs; 3 versions, latest 3',
      'order (Order): 12 instances, 0 incidents, 0 failed jobs; 1 version, latest 1',
    ]);
  });

  it('counts a selected shared definition per --tenant-id, which the statistics cannot split by tenant', async () => {
    mockStatistics(INVOICE_AND_ORDER);
    const seen: string[] = [];
    nock(ENGINE)
      .persist()
      .get(/^\/engine-rest\/(process-instance|incident|job)\/count/)
      .query(true)
      .reply(function () {
        seen.push(this.req.path);
        return [200, { count: 2 }];
      });
    const result = await run('-k', 'invoice', '--tenant-id', 'acme');
    expect(seen).toHaveLength(3);
    expect(seen.every((path) => path.includes('tenantIdIn=acme'))).toBe(true);
    expect(result.status).toBe('CAMUNDA DEFINITION OK - invoice@acme OK');
    expect(result.details.at(-1)).toBe('invoice@acme (Invoice Receipt): 2 instances, 2 incidents, 2 failed jobs; all versions, latest 3');
    nock.cleanAll();
  });

  it('without --key reports every deployed definition, also those without instances', async () => {
    mockStatistics(INVOICE_AND_ORDER);
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA DEFINITION OK - invoice, order, reminder OK');
    expect(Object.keys(result.perfdata)).toHaveLength(9);
    expect(perfValue(result, 'reminder_instances')).toBe(3);
  });

  it('keeps the definitions of several tenants apart, and labels them key@tenant', async () => {
    mockStatistics([
      statisticsRowDto({ key: 'invoice', version: 1, instances: 1 }),
      statisticsRowDto({ key: 'invoice', version: 1, tenantId: 'acme', instances: 2, incidents: { failedJob: 1 } }),
      statisticsRowDto({ key: 'invoice', version: 2, tenantId: 'acme', instances: 3 }),
      statisticsRowDto({ key: 'invoice', version: 1, tenantId: 'globex', instances: 4 }),
    ]);
    const result = await run('-k', 'invoice', '-w', '0');
    expect(result.status).toBe('CAMUNDA DEFINITION WARNING - invoice@acme: 1 incident (warning) / invoice, invoice@globex OK');
    expect(result.perfdata).toMatchObject({ invoice_instances: '1;;;0', 'invoice@acme_instances': '5;;;0', 'invoice@globex_instances': '4;;;0' });
    expect(result.stdout).toContain("'invoice@acme_instances'=5;;;0");
  });

  it('selects tenants with --tenant-id, leaving out definitions without tenant', async () => {
    mockStatistics([
      statisticsRowDto({ key: 'invoice', version: 1, instances: 1 }),
      statisticsRowDto({ key: 'invoice', version: 1, tenantId: 'acme', instances: 2 }),
      statisticsRowDto({ key: 'order', version: 1, tenantId: 'globex', instances: 4 }),
    ]);
    const result = await run('--tenant-id', 'acme');
    expect(result.status).toBe('CAMUNDA DEFINITION OK - invoice@acme OK');
    expect(Object.keys(result.perfdata)).toEqual(['invoice@acme_instances', 'invoice@acme_incidents', 'invoice@acme_failed_jobs']);
    expect(result.details[0]).toBe('Selection: tenant acme');
  });

  it('with --latest-only counts the highest version of each key and tenant only', async () => {
    mockStatistics([
      ...INVOICE_AND_ORDER,
      statisticsRowDto({ key: 'invoice', version: 7, tenantId: 'acme', instances: 8 }),
      statisticsRowDto({ key: 'invoice', version: 6, tenantId: 'acme', instances: 100 }),
    ]);
    const result = await run('-k', 'invoice', '--latest-only', '--instances-critical', '1:');
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA DEFINITION CRITICAL - invoice: 0 instances (critical) / invoice@acme OK');
    expect(perfValue(result, 'invoice@acme_instances')).toBe(8);
    expect(result.details).toContain('invoice@acme (Invoice Receipt): 8 instances, 0 incidents, 0 failed jobs; version 7 only');
  });

  it('selects versions by --category; the latest version stays the highest of the key', async () => {
    const legacy = 'http://example.com/legacy';
    mockStatistics([
      statisticsRowDto({ key: 'invoice', version: 1, category: legacy, instances: 5 }),
      statisticsRowDto({ key: 'invoice', version: 2, instances: 7 }),
      statisticsRowDto({ key: 'order', version: 1, instances: 9 }),
    ]);
    const result = await run('--category', legacy);
    expect(result.status).toBe('CAMUNDA DEFINITION OK - invoice OK');
    expect(perfValue(result, 'invoice_instances')).toBe(5);
    expect(result.details.at(-1)).toBe('invoice (Invoice Receipt): 5 instances, 0 incidents, 0 failed jobs; 1 version, latest 2');
  });

  it.each([
    [[], 2, 'CRITICAL', 'odrer: not deployed (critical)'],
    [['--missing-state', 'warning'], 1, 'WARNING', 'odrer: not deployed (warning)'],
    [['--missing-state', 'UNKNOWN'], 3, 'UNKNOWN', 'odrer: not deployed (unknown)'],
    [['--missing-state', 'ok'], 0, 'OK', 'odrer: not deployed'],
  ])('reports a selected key that is not deployed by name (%j)', async (args, code, state, text) => {
    mockStatistics(INVOICE_AND_ORDER);
    const result = await run('-k', 'invoice', '-k', 'odrer', ...args);
    expect(result.code).toBe(code);
    expect(result.status).toBe(`CAMUNDA DEFINITION ${state} - ${text} / invoice OK`);
    expect(result.details).toContain(text);
    expect(Object.keys(result.perfdata).some((label) => label.startsWith('odrer'))).toBe(false);
  });

  it('names tenant and category of a key that is not deployed for them', async () => {
    mockStatistics(INVOICE_AND_ORDER);
    const result = await run('-k', 'invoice', '--tenant-id', 'acme', '--category', 'urn:x');
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA DEFINITION CRITICAL - invoice: not deployed for tenant acme in category urn:x (critical)');
    expect(result.stdout).not.toContain('|');
  });

  it('is not OK when nothing matches the selection', async () => {
    mockStatistics(INVOICE_AND_ORDER);
    const result = await run('--category', 'urn:nothing');
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA DEFINITION CRITICAL - no deployed process definition matches the selection (critical)');
  });

  it('applies every threshold to every key, worst state first in the status line', async () => {
    mockStatistics(INVOICE_AND_ORDER);
    const result = await run('--instances-warning', '30', '--instances-critical', '1:', '--failed-jobs-warning', '2', '--failed-jobs-critical', '5');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA DEFINITION WARNING - invoice: 35 instances (warning), 3 failed jobs (warning) / order, reminder OK');
    expect(result.perfdata.invoice_instances).toBe('35;30;1:;0');
    expect(result.perfdata.invoice_failed_jobs).toBe('3;2;5;0');
    const zero = await (async () => {
      mockStatistics([statisticsRowDto({ key: 'idle', instances: 0 }), ...INVOICE_AND_ORDER]);
      return run('--instances-warning', '30', '--instances-critical', '1:');
    })();
    expect(zero.status).toBe('CAMUNDA DEFINITION CRITICAL - idle: 0 instances (critical) / invoice: 35 instances (warning) / 2 definitions OK');
    expect(zero.details.slice(0, 2).map((line) => line.split(' ')[0])).toEqual(['idle', 'invoice']);
  });

  it('counts open tasks per definition with --tasks, one count each', async () => {
    mockStatistics([...INVOICE_AND_ORDER, statisticsRowDto({ key: 'invoice', tenantId: 'acme', instances: 1 })]);
    const tasks: Query[] = [];
    nock(ENGINE)
      .get('/engine-rest/task/count')
      .times(4)
      .query((q) => (tasks.push(q as Query), true))
      .reply(function () {
        const q = new URL(this.req.path, ENGINE).searchParams;
        return [200, { count: q.get('processDefinitionKey') === 'invoice' ? (q.has('tenantIdIn') ? 1 : 251) : 4 }];
      });
    const result = await run('-k', 'invoice', '-k', 'order', '--tasks', '--tasks-warning', '200');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA DEFINITION WARNING - invoice: 250 open tasks (warning) / invoice@acme, order OK');
    expect(result.perfdata).toMatchObject({ invoice_tasks: '250;200;;0', 'invoice@acme_tasks': '1;200;;0', order_tasks: '4;200;;0' });
    expect(tasks.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      // invoice@acme's own, and the key less acme's for the shared invoice (TaskEntity.java:228: tasks carry the execution's tenant).
      { processDefinitionKey: 'invoice', tenantIdIn: 'acme' },
      { processDefinitionKey: 'invoice', tenantIdIn: 'acme' },
      { processDefinitionKey: 'invoice' },
      { processDefinitionKey: 'order' },
    ]);
  });

  it('counts the tasks of the latest version by its id with --latest-only', async () => {
    mockStatistics(INVOICE_AND_ORDER);
    nock(ENGINE).get('/engine-rest/task/count').query({ processDefinitionId: 'invoice:3:c3a63aaa-2046-11e7-8f94-34f39ab71d4e' }).reply(200, { count: 6 });
    const result = await run('-k', 'invoice', '--tasks', '--latest-only');
    expect(perfValue(result, 'invoice_tasks')).toBe(6);
  });

  it('stays within the output limit with hundreds of definitions: summarises, never cuts a line', async () => {
    const rows = Array.from({ length: 400 }, (_, i) =>
      statisticsRowDto({ key: `process-${String(i).padStart(3, '0')}`, instances: i, incidents: i % 40 === 0 ? { failedJob: 3 } : {} }),
    );
    mockStatistics(rows);
    const result = await run('-c', '2');
    expect(result.code).toBe(2);
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    expect(result.status).toBe(
      'CAMUNDA DEFINITION CRITICAL - process-000: 3 incidents (critical) / process-040: 3 incidents (critical) / process-080: 3 incidents (critical) / ' +
        '7 more in trouble / 390 definitions OK',
    );
    const labels = Object.keys(result.perfdata);
    expect(labels.length % 3).toBe(0);
    expect(labels.length).toBeGreaterThan(90);
    expect(labels.length).toBeLessThan(400 * 3);
    expect(labels.slice(0, 3)).toEqual(['process-000_instances', 'process-000_incidents', 'process-000_failed_jobs']);
    expect(result.details[0]).toBe(`Performance data for the first ${labels.length / 3} of 400 definitions only (Nagios' 8 KiB output limit): select fewer with --key, --category or --tenant-id`);
    // Definitions in trouble come first; every line is whole, the last one says how many were left out.
    expect(result.details.slice(1, 11).every((line) => line.includes('(critical)'))).toBe(true);
    expect(result.details.at(-1)).toMatch(/^… and \d+ more lines not shown \(output limit\)$/);
    for (const line of result.details.slice(1, -1)) expect(line).toMatch(/^process-\d{3} \(Invoice Receipt\): \d+ instances?, .*; 1 version, latest 1$/);
  });

  it('prints perfdata for the same definitions whatever their values, so graphs do not come and go', async () => {
    const labelsWith = async (instances: (i: number) => number): Promise<string[]> => {
      mockStatistics(Array.from({ length: 400 }, (_, i) => statisticsRowDto({ key: `process-${String(i).padStart(3, '0')}`, instances: instances(i) })));
      return Object.keys((await run()).perfdata);
    };
    const few = await labelsWith(() => 1);
    const many = await labelsWith((i) => 100_000_000 + i);
    expect(few.length).toBeGreaterThan(90);
    expect(many).toEqual(few);
  });

  it('keeps hostile keys, names and incident types from corrupting status line, perfdata or long output', async () => {
    mockStatistics([
      statisticsRowDto({ key: "in'voice |x=1\nnext <b>", name: 'Name | with\nnewline <script>', incidents: { 'bad|type\n<i>': 2 } }),
      statisticsRowDto({ key: 'a=b', instances: 1 }),
      statisticsRowDto({ key: 'a_b', instances: 2 }),
      statisticsRowDto({ key: 'spaced key', tenantId: "t'1", instances: 3 }),
    ]);
    const result = await run('-c', '1');
    expect(result.code).toBe(2);
    expect(result.stdout.split('\n')[0]!.split('|')).toHaveLength(2);
    expect(result.stdout).not.toMatch(/[<>]/);
    expect(result.status).toBe("CAMUNDA DEFINITION CRITICAL - in'voice ¦x=1 next _b_: 2 incidents (critical) / 3 definitions OK");
    expect(result.perfdata).toMatchObject({
      "in'voice _x_1_next _b__incidents": '2;;1;0',
      a_b_instances: '1;;;0',
      'a_b~2_instances': '2;;;0',
      "spaced key@t'1_instances": '3;;;0',
    });
    expect(result.stdout).toContain("'spaced key@t''1_instances'=3;;;0");
    expect(result.details).toHaveLength(4);
    expect(result.details[0]).toBe("in'voice ¦x=1 next _b_ (Name ¦ with newline ‹script›): 0 instances, 2 incidents (critical) [bad¦type ‹i› 2], 0 failed jobs; 1 version, latest 1");
  });

  it('bounds long keys in perfdata labels (graph file names), stably and uniquely', async () => {
    const long = 'k'.repeat(255);
    const rows = () => [statisticsRowDto({ key: long, instances: 1 }), statisticsRowDto({ key: `${long.slice(0, 254)}x`, instances: 2 })];
    mockStatistics(rows());
    const first = Object.keys((await run()).perfdata);
    mockStatistics(rows());
    const again = Object.keys((await run()).perfdata);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(6);
    for (const label of first) expect(label.length).toBeLessThanOrEqual(100 + '_failed_jobs'.length);
    expect(first[0]).toMatch(/^k{91}~[0-9a-f]{8}_instances$/);
  });

  it('ends UNKNOWN on an answer that is not statistics', async () => {
    nock(ENGINE).get('/engine-rest/process-definition/statistics').query(true).reply(200, [{ id: 'x', instances: 1, failedJobs: 0, incidents: [] }]);
    const result = await run();
    expect(result.code).toBe(3);
    expect(result.status).toMatch(/^CAMUNDA DEFINITION UNKNOWN - GET \/process-definition\/statistics on .* unexpected shape \(expected a list of process definition statistics\)/);
  });
});

describe('check_camunda_definition, counts mode', () => {
  /** The latest-version lookup, answering with the given definitions. */
  function mockLatest(definitions: Record<string, unknown>[], seen: Query[] = []): void {
    nock(ENGINE)
      .get('/engine-rest/process-definition')
      .query((q) => (seen.push(q as Query), true))
      .reply(200, definitions);
  }

  /** Every count endpoint; the answer is derived from the query so each request can be told apart. */
  function mockCounts(answer: (path: string, q: URLSearchParams) => number, seen: string[] = []): void {
    nock(ENGINE)
      .persist()
      .get(/^\/engine-rest\/(process-instance|incident|job|task)\/count/)
      .query(true)
      .reply(function () {
        const url = new URL(this.req.path, ENGINE);
        const path = url.pathname.replace('/engine-rest', '');
        seen.push(`${path}?${[...url.searchParams].sort().map(([k, v]) => `${k}=${v}`).join('&')}`);
        return [200, { count: answer(path, url.searchParams) }];
      });
  }
  afterEach(() => nock.cleanAll());

  it('asks indexed counts per definition instead of statistics, the key without tenant minus its tenants for incidents', async () => {
    const lookup: Query[] = [];
    mockLatest(
      [
        processDefinitionDto({ key: 'invoice', version: 4, id: 'invoice:4:x' }),
        processDefinitionDto({ key: 'invoice', version: 2, id: 'invoice:2:acme', tenantId: 'acme' }),
        processDefinitionDto({ key: 'order', version: 1, id: 'order:1:x', name: 'Order' }),
      ],
      lookup,
    );
    const seen: string[] = [];
    mockCounts((path, q) => {
      if (path === '/incident/count') return q.has('tenantIdIn') ? 2 : q.get('processDefinitionKeyIn') === 'invoice' ? 7 : 1;
      if (path === '/job/count') return q.has('tenantIdIn') ? 1 : 4;
      return q.get('processDefinitionKey') === 'invoice' ? 30 : 12;
    }, seen);
    const result = await run('--mode', 'counts', '-k', 'invoice', '-k', 'order', '-k', 'odrer', '--incidents-critical', '4');
    expect(lookup).toEqual([{ keysIn: 'invoice,order,odrer', latestVersion: 'true', firstResult: '0', maxResults: '101' }]);
    expect(seen.sort()).toEqual([
      '/incident/count?processDefinitionKeyIn=invoice',
      '/incident/count?processDefinitionKeyIn=invoice&tenantIdIn=acme',
      '/incident/count?processDefinitionKeyIn=invoice&tenantIdIn=acme',
      '/incident/count?processDefinitionKeyIn=order',
      '/job/count?noRetriesLeft=true&processDefinitionKey=invoice',
      '/job/count?noRetriesLeft=true&processDefinitionKey=invoice&tenantIdIn=acme',
      '/job/count?noRetriesLeft=true&processDefinitionKey=invoice&tenantIdIn=acme',
      '/job/count?noRetriesLeft=true&processDefinitionKey=order',
      '/process-instance/count?processDefinitionKey=invoice&processDefinitionWithoutTenantId=true',
      '/process-instance/count?processDefinitionKey=invoice&tenantIdIn=acme',
      '/process-instance/count?processDefinitionKey=order&processDefinitionWithoutTenantId=true',
    ]);
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA DEFINITION CRITICAL - invoice: 5 incidents (critical) / odrer: not deployed (critical) / 2 definitions OK');
    expect(result.perfdata).toMatchObject({ invoice_incidents: '5;;4;0', 'invoice@acme_incidents': '2;;4;0', order_incidents: '1;;4;0', order_instances: '12;;;0' });
    expect(result.details).toContain('invoice (Invoice Receipt): 30 instances, 5 incidents (critical), 3 failed jobs; all versions, latest 4');
    expect(result.details[0]).toBe('Selection: keys invoice, order, odrer; count queries per key');
  });

  it('counts a shared definition (without tenant) under --tenant-id per selected tenant that does not deploy the key itself', async () => {
    // A TenantIdProvider runs a shared definition's instances for tenants (ExecutionEntity.java:470-493);
    // their incidents and jobs carry that tenant (IncidentEntity.java:124, JobDeclaration.java:162).
    const lookup: Query[] = [];
    mockLatest(
      [processDefinitionDto({ key: 'invoice', version: 4, id: 'invoice:4:x' }), processDefinitionDto({ key: 'invoice', version: 1, id: 'invoice:1:acme', tenantId: 'acme' })],
      lookup,
    );
    const seen: string[] = [];
    mockCounts((_path, q) => (q.get('tenantIdIn') === 'globex' ? 3 : 1), seen);
    const result = await run('-k', 'invoice', '--tenant-id', 'acme', '--tenant-id', 'globex');
    expect(lookup[0]).toMatchObject({ keysIn: 'invoice', tenantIdIn: 'acme,globex', includeProcessDefinitionsWithoutTenantId: 'true' });
    expect(seen.filter((r) => r.includes('globex')).sort()).toEqual([
      '/incident/count?processDefinitionKeyIn=invoice&tenantIdIn=globex',
      '/job/count?noRetriesLeft=true&processDefinitionKey=invoice&tenantIdIn=globex',
      '/process-instance/count?processDefinitionKey=invoice&tenantIdIn=globex',
    ]);
    expect(seen).toHaveLength(6);
    expect(result.status).toBe('CAMUNDA DEFINITION OK - invoice@acme, invoice@globex OK');
    expect(result.perfdata).toMatchObject({ 'invoice@globex_instances': '3;;;0', 'invoice@acme_instances': '1;;;0' });
    expect(result.details).toContain('invoice@globex (Invoice Receipt): 3 instances, 3 incidents, 3 failed jobs; all versions, latest 4');
  });

  it('with --latest-only counts by the latest definition id, tenant and category passed to the lookup', async () => {
    const lookup: Query[] = [];
    mockLatest([processDefinitionDto({ key: 'invoice', version: 4, id: 'invoice:4:x', tenantId: 'acme' })], lookup);
    const seen: string[] = [];
    mockCounts(() => 2, seen);
    const result = await run('--mode', 'counts', '-k', 'invoice', '--latest-only', '--tenant-id', 'acme', '--category', 'urn:c', '--tasks');
    expect(lookup).toEqual([
      { keysIn: 'invoice', tenantIdIn: 'acme', includeProcessDefinitionsWithoutTenantId: 'true', category: 'urn:c', latestVersion: 'true', firstResult: '0', maxResults: '101' },
    ]);
    expect(seen.sort()).toEqual([
      '/incident/count?processDefinitionId=invoice:4:x&tenantIdIn=acme',
      '/job/count?noRetriesLeft=true&processDefinitionId=invoice:4:x&tenantIdIn=acme',
      '/process-instance/count?processDefinitionId=invoice:4:x&tenantIdIn=acme',
      '/task/count?processDefinitionId=invoice:4:x&tenantIdIn=acme',
    ]);
    expect(result.status).toBe('CAMUNDA DEFINITION OK - invoice@acme OK');
    expect(result.details.at(-1)).toBe('invoice@acme (Invoice Receipt): 2 instances, 2 incidents, 2 failed jobs, 2 open tasks; version 4 only');
  });
});

describe('check_camunda_definition, counts mode bounds', () => {
  it('ends UNKNOWN instead of counting for more than 100 definitions', async () => {
    const many = Array.from({ length: 101 }, (_, i) => processDefinitionDto({ key: 'invoice', tenantId: `tenant-${i}`, id: `invoice:1:${i}` }));
    nock(ENGINE).get('/engine-rest/process-definition').query(true).reply(200, many);
    const result = await run('--mode', 'counts', '-k', 'invoice');
    expect(result.code).toBe(3);
    expect(result.status).toBe(
      'CAMUNDA DEFINITION UNKNOWN - more than 100 definitions (key and tenant) match the selection: select fewer keys or tenants, or use --mode statistics',
    );
  });
});

describe('check_camunda_definition command line', () => {
  const manyKeys = Array.from({ length: 51 }, (_, i) => ['-k', `key${i}`]).flat();
  it.each([
    [['--mode', 'fast'], "--mode: 'fast' is not one of auto, statistics, counts"],
    [['--mode', 'counts'], '--mode counts needs --key'],
    [['--tasks'], '--tasks needs --key'],
    [['-k', 'a', '--tasks-warning', '5'], '--tasks-warning and --tasks-critical need --tasks'],
    [[...manyKeys, '--tasks'], '51 --key values: --tasks queries each key, at most 50'],
    [[...manyKeys, '--mode', 'counts'], '51 --key values: --mode counts queries each key, at most 50'],
    [['--missing-state', 'bad'], "--missing-state: 'bad' is not one of ok, warning, critical, unknown"],
    [['-w', 'abc'], "--incidents-warning: invalid threshold range 'abc'"],
    [['--instances-critical', '5:1'], "--instances-critical: invalid threshold range '5:1'"],
    [['--failed-jobs-warning', '1:2:3'], "--failed-jobs-warning: invalid threshold range '1:2:3'"],
    [['-k', ''], '--key: empty value'],
    [['--tenant-id', ' '], '--tenant-id: empty value'],
    [['--process-definition-key', 'x'], 'invalid command line: unknown option --process-definition-key'],
  ])('rejects %j with one UNKNOWN line before any request', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(3);
    // One status line; a wrong option adds only the short usage.
    expect(result.stdout.split('\n').filter((line) => line && !/^(Usage: |\s+\[|\S+ --help lists every option\.$)/.test(line))).toHaveLength(1);
    expect(result.status).toContain('CAMUNDA DEFINITION UNKNOWN - ');
    expect(result.status).toContain(message);
  });

  it('accepts 51 keys in statistics mode: they only filter the one answer', async () => {
    mockStatistics(INVOICE_AND_ORDER);
    const result = await run(...manyKeys);
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA DEFINITION CRITICAL - key0: not deployed (critical) / key1: not deployed (critical) / key2: not deployed (critical) / 48 more in trouble');
  });
});

describe('check_camunda_definition, --mode auto (the default)', () => {
  afterEach(() => nock.cleanAll());

  /** Answers whichever way the check asks: statistics, or the latest-version lookup and counts. */
  function mockEither(): string[] {
    const paths: string[] = [];
    nock(ENGINE)
      .persist()
      .get(/^\/engine-rest\//)
      .query(true)
      .reply(function () {
        const path = new URL(this.req.path, ENGINE).pathname.replace('/engine-rest', '');
        paths.push(path);
        if (path === '/process-definition/statistics') return [200, INVOICE_AND_ORDER];
        if (path === '/process-definition') return [200, [processDefinitionDto({ key: 'invoice', version: 3, id: 'invoice:3:x' })]];
        return [200, { count: 1 }];
      });
    return paths;
  }

  it.each([
    [['-k', 'invoice'], 'counts'],
    [['-k', 'a', '-k', 'b', '-k', 'c', '-k', 'd', '-k', 'invoice'], 'counts'],
    [[], 'statistics'],
    [['-k', 'a', '-k', 'b', '-k', 'c', '-k', 'd', '-k', 'e', '-k', 'invoice'], 'statistics'],
    [['-k', 'invoice', '--mode', 'statistics'], 'statistics'],
  ])('%j asks by %s', async (args, mode) => {
    const paths = mockEither();
    await run(...args);
    expect(paths.includes('/process-definition/statistics')).toBe(mode === 'statistics');
    expect(paths.some((p) => p.endsWith('/count'))).toBe(mode === 'counts');
  });
});
