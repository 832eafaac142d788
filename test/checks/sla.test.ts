import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCamundaDate, parseCamundaDate } from '../../src/camunda/dates';
import { slaCheck } from '../../src/checks/sla';
import { bpmnModel, type TestNode } from '../support/bpmn';
import { statisticsRowDto } from '../support/fixtures';
import { MOCK_ENGINE, MOCK_REST_URL, useStrictNock } from '../support/nock';
import { runInProcess, expectCutStatus, fullStatus } from '../support/run-plugin';

useStrictNock();

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'sla-check-'));
});
afterEach(() => rm(cacheDir, { recursive: true, force: true }));

const run = (...args: string[]) => runInProcess(slaCheck, ['--url', MOCK_REST_URL, '--cache-dir', cacheDir, ...args]);

/** A small engine behind nock: versions with their models, and the open tasks, waiting activities and running instances. */
interface Engine {
  rows: Record<string, unknown>[];
  models: Record<string, string>;
  tasks?: { definitionId: string; key: string; taskDefinitionKey: string; tenantId?: string | null; ageMs: number }[];
  activities?: { definitionId: string; activityId: string; ageMs: number }[];
  instances?: { definitionId: string; key: string; tenantId?: string | null; ageMs: number; finished?: boolean }[];
  /** History level none: every history query finds nothing. */
  noHistory?: boolean;
}

type Query = Record<string, string>;
interface Seen {
  path: string;
  query: Query;
}

const idOf = (key: string, version: number, tenantId: string | null = null) => statisticsRowDto({ key, version, tenantId }).id as string;

function serve(engine: Engine): Seen[] {
  const seen: Seen[] = [];
  const now = Date.now();
  const started = (ageMs: number) => new Date(now - ageMs);
  const before = (query: Query, name: string, ageMs: number) => {
    const bound = query[name] === undefined ? undefined : parseCamundaDate(query[name]);
    return bound === undefined || started(ageMs) <= bound;
  };
  const tenantMatches = (query: Query, tenantId: string | null | undefined) =>
    (query.tenantIdIn === undefined || query.tenantIdIn.split(',').includes(tenantId ?? '')) && (query.withoutTenantId !== 'true' || !tenantId);
  const definitionMatches = (query: Query, definitionId: string, key?: string) =>
    (query.processDefinitionId === undefined || query.processDefinitionId === definitionId) && (query.processDefinitionKey === undefined || query.processDefinitionKey === key);
  const tasks = (q: Query) =>
    (engine.tasks ?? []).filter(
      (t) => definitionMatches(q, t.definitionId, t.key) && tenantMatches(q, t.tenantId) && (q.taskDefinitionKey === undefined || q.taskDefinitionKey === t.taskDefinitionKey) && before(q, 'createdBefore', t.ageMs),
    );
  const activities = (q: Query) =>
    engine.noHistory
      ? []
      : (engine.activities ?? []).filter((a) => definitionMatches(q, a.definitionId) && (q.activityId === undefined || q.activityId === a.activityId) && before(q, 'startedBefore', a.ageMs));
  const instances = (q: Query) =>
    engine.noHistory
      ? []
      : (engine.instances ?? []).filter(
          (i) => definitionMatches(q, i.definitionId, i.key) && tenantMatches(q, i.tenantId) && (q.unfinished !== 'true' || !i.finished) && before(q, 'startedBefore', i.ageMs),
        );
  const oldestFirst = <T extends { ageMs: number }>(items: T[], q: Query) => [...items].sort((a, b) => b.ageMs - a.ageMs).slice(Number(q.firstResult ?? 0), Number(q.firstResult ?? 0) + Number(q.maxResults ?? 1e9));
  const routes: [RegExp, (q: Query, path: string) => unknown][] = [
    [/^\/process-definition\/statistics$/, () => engine.rows],
    [/^\/process-definition\/([^/]+)\/xml$/, (_q, path) => {
      const id = decodeURIComponent(/^\/process-definition\/([^/]+)\/xml$/.exec(path)![1]!);
      return { id, bpmn20Xml: engine.models[id] };
    }],
    [/^\/task\/count$/, (q) => ({ count: tasks(q).length })],
    [/^\/task$/, (q) => oldestFirst(tasks(q), q).map((t, i) => ({ id: `task-${t.ageMs}-${i}`, taskDefinitionKey: t.taskDefinitionKey, processInstanceId: `pi-${t.ageMs}`, processDefinitionId: t.definitionId, created: formatCamundaDate(started(t.ageMs)) }))],
    [/^\/history\/activity-instance\/count$/, (q) => ({ count: activities(q).length })],
    [/^\/history\/activity-instance$/, (q) => oldestFirst(activities(q), q).map((a) => ({ id: `ai-${a.ageMs}`, activityId: a.activityId, processInstanceId: `pi-${a.ageMs}`, processDefinitionId: a.definitionId, startTime: formatCamundaDate(started(a.ageMs)) }))],
    [/^\/history\/process-instance\/count$/, (q) => ({ count: instances(q).length })],
    [/^\/history\/process-instance$/, (q) => oldestFirst(instances(q), q).map((i) => ({ id: `pi-${i.ageMs}`, processDefinitionId: i.definitionId, startTime: formatCamundaDate(started(i.ageMs)) }))],
  ];
  nock(MOCK_ENGINE)
    .persist()
    .get(/^\/engine-rest\//)
    .query(true)
    .reply(function () {
      const url = new URL(this.req.path, MOCK_ENGINE);
      const path = url.pathname.slice('/engine-rest'.length);
      const query = Object.fromEntries(url.searchParams);
      seen.push({ path, query });
      const route = routes.find(([pattern]) => pattern.test(path));
      return route ? [200, route[1](query, path)] : [404, { type: 'NotFoundException', message: `no ${path}` }];
    });
  return seen;
}

const userTask = (id: string, name: string, sla?: string, warning?: string): TestNode => ({
  type: 'userTask',
  id,
  name,
  properties: [...(sla ? [['sla', sla] as const] : []), ...(warning ? [['sla-warning', warning] as const] : [])],
});

const INVOICE_V1 = bpmnModel({ key: 'invoice', name: 'Invoice Receipt', nodes: [userTask('approve_invoice', 'Approve invoice', 'PT8H')] });
const INVOICE_V2 = bpmnModel({
  key: 'invoice',
  name: 'Invoice Receipt',
  properties: [['sla', 'P5D']],
  nodes: [userTask('approve_invoice', 'Approve invoice', 'PT4H', 'PT3H'), { type: 'receiveTask', id: 'wait_for_payment', name: 'Wait for payment', properties: [['sla', 'P2D']] }],
});

/** invoice v1 (old SLA 8h) and v2 (4h, at risk from 3h; payment 2d; instances 5d), v3 without instances; order without SLA. */
function invoiceEngine(): Engine {
  const v1 = idOf('invoice', 1);
  const v2 = idOf('invoice', 2);
  return {
    rows: [
      statisticsRowDto({ key: 'invoice', version: 1, instances: 2, name: 'Invoice Receipt' }),
      statisticsRowDto({ key: 'invoice', version: 2, instances: 5, name: 'Invoice Receipt' }),
      statisticsRowDto({ key: 'invoice', version: 3, instances: 0, name: 'Invoice Receipt' }),
      statisticsRowDto({ key: 'order', version: 1, instances: 3 }),
    ],
    models: { [v1]: INVOICE_V1, [v2]: INVOICE_V2, [idOf('order', 1)]: bpmnModel({ key: 'order', nodes: [userTask('pack', 'Pack')] }) },
    tasks: [
      ...[9, 5].map((h) => ({ definitionId: v1, key: 'invoice', taskDefinitionKey: 'approve_invoice', ageMs: h * HOUR })),
      ...[9, 5, 3.5, 1].map((h) => ({ definitionId: v2, key: 'invoice', taskDefinitionKey: 'approve_invoice', ageMs: h * HOUR })),
    ],
    activities: [3, 1].map((d) => ({ definitionId: v2, activityId: 'wait_for_payment', ageMs: d * DAY })),
    instances: [
      ...[6, 2, 1].map((d) => ({ definitionId: v2, key: 'invoice', ageMs: d * DAY })),
      { definitionId: v2, key: 'invoice', ageMs: 9 * DAY, finished: true },
      ...[1, 1].map((d) => ({ definitionId: v1, key: 'invoice', ageMs: d * DAY })),
    ],
  };
}

const countsOf = (seen: Seen[]) => seen.filter((s) => s.path.endsWith('/count'));

describe('check_camunda_sla', () => {
  it('counts breached and at-risk items of every SLA of every running version, and names the worst', async () => {
    const seen = serve(invoiceEngine());
    const result = await run('-k', 'invoice');
    expect(result.code).toBe(2);
    expect(result.status).toBe(
      "CAMUNDA SLA CRITICAL - invoice: 2 breached at 'Approve invoice' (v2, SLA 4h, oldest 9h), 3 more SLAs breached (critical), 1 at risk (warning)",
    );
    expect(result.perfdata).toEqual({ invoice_breached: '5;;0;0', invoice_at_risk: '1;0;;0' });
    expect(result.details).toEqual([
      'invoice (Invoice Receipt): 5 breached, 1 at risk; running versions 1, 2',
      "  'Approve invoice' (approve_invoice, userTask), v1: SLA 8h, at risk from 6h 24m: 1 breached (oldest 9h), 0 at risk",
      "  'Approve invoice' (approve_invoice, userTask), v2: SLA 4h, at risk from 3h: 2 breached (oldest 9h), 1 at risk",
      "  'Wait for payment' (wait_for_payment, receiveTask), v2: SLA 2d, at risk from 1d 14h 24m: 1 breached (oldest 3d), 0 at risk",
      '  process instances, v2: SLA 5d, at risk from 4d: 1 breached (oldest 6d), 0 at risk',
      "4 SLAs watched; an item is at risk from the age its 'sla-warning' property names, or after 80% of the SLA",
    ]);
    expect(result.stderr).toBe('');
    // v3 has no running instance: its model is not read.
    expect(seen.filter((s) => s.path.endsWith('/xml')).map((s) => s.path).sort()).toEqual([
      `/process-definition/${encodeURIComponent(idOf('invoice', 1))}/xml`,
      `/process-definition/${encodeURIComponent(idOf('invoice', 2))}/xml`,
    ]);
    expect(seen[0]).toEqual({ path: '/process-definition/statistics', query: {} });
  });

  it('lists the items past the at-risk age per version where SLAs differ, oldest first, and counts nothing when few are', async () => {
    const seen = serve(invoiceEngine());
    const before = Date.now();
    await run('-k', 'invoice');
    const after = Date.now();
    const v1 = idOf('invoice', 1);
    const v2 = idOf('invoice', 2);
    const ageOf = (date: string) => [before - parseCamundaDate(date)!.getTime(), after - parseCamundaDate(date)!.getTime()];
    const listed = (path: string) => seen.filter((c) => c.path === path).map((c) => c.query);
    const tasks = listed('/task');
    expect(tasks.map((q) => [q.processDefinitionId, q.taskDefinitionKey, q.sortBy, q.sortOrder, q.firstResult, q.maxResults]).sort()).toEqual([
      [v1, 'approve_invoice', 'created', 'asc', '0', '25'],
      [v2, 'approve_invoice', 'created', 'asc', '0', '25'],
    ]);
    // Bounds: now − 6h 24m (80% of v1's 8h) and now − 3h (v2's sla-warning), within the run's time.
    const [low1, high1] = ageOf(tasks.find((q) => q.processDefinitionId === v1)!.createdBefore!);
    expect(low1! <= 0.8 * 8 * HOUR + 5 && high1! >= 0.8 * 8 * HOUR - 5).toBe(true);
    const [low2, high2] = ageOf(tasks.find((q) => q.processDefinitionId === v2)!.createdBefore!);
    expect(low2! <= 3 * HOUR + 5 && high2! >= 3 * HOUR - 5).toBe(true);
    expect(listed('/history/activity-instance')).toEqual([
      expect.objectContaining({ processDefinitionId: v2, activityId: 'wait_for_payment', unfinished: 'true', sortBy: 'startTime', sortOrder: 'asc' }),
    ]);
    expect(listed('/history/process-instance')).toEqual([expect.objectContaining({ processDefinitionId: v2, unfinished: 'true', sortBy: 'startTime' })]);
    // Fewer than 25 items each: the lists answer everything; the only count is the history check, without any bound.
    expect(countsOf(seen)).toEqual([{ path: '/history/process-instance/count', query: { processDefinitionId: v2 } }]);
  });

  it('counts where the list is full, and takes the oldest from the list', async () => {
    const engine = invoiceEngine();
    const v2 = idOf('invoice', 2);
    // 30 approvals 5h old (breached) and 10 of 3h 30m (at risk), beside the 9h one.
    engine.tasks = [
      { definitionId: v2, key: 'invoice', taskDefinitionKey: 'approve_invoice', ageMs: 9 * HOUR },
      ...Array.from({ length: 30 }, () => ({ definitionId: v2, key: 'invoice', taskDefinitionKey: 'approve_invoice', ageMs: 5 * HOUR })),
      ...Array.from({ length: 10 }, () => ({ definitionId: v2, key: 'invoice', taskDefinitionKey: 'approve_invoice', ageMs: 3.5 * HOUR })),
    ];
    const seen = serve(engine);
    const result = await run('-k', 'invoice');
    expect(result.details).toContain("  'Approve invoice' (approve_invoice, userTask), v2: SLA 4h, at risk from 3h: 31 breached (oldest 9h), 10 at risk");
    const counts = countsOf(seen).filter((c) => c.path === '/task/count');
    expect(counts.map((c) => c.query.processDefinitionId)).toEqual([v2, v2]);
    expect(seen.filter((c) => c.path === '/task' && c.query.processDefinitionId === v2)).toHaveLength(1);
  });

  it('counts an SLA all running versions share once, over the key', async () => {
    const engine = invoiceEngine();
    engine.models[idOf('invoice', 1)] = INVOICE_V2;
    const seen = serve(engine);
    const result = await run('-k', 'invoice', '--at-risk', '100%');
    const task = seen.filter((c) => c.path === '/task');
    expect(task.map((c) => c.query)).toEqual([
      // A shared definition's tasks carry the tenant they run for (TaskEntity.java:228): the key, no tenant filter.
      { processDefinitionKey: 'invoice', taskDefinitionKey: 'approve_invoice', createdBefore: expect.any(String), sortBy: 'created', sortOrder: 'asc', firstResult: '0', maxResults: '25' },
    ]);
    // The model's sla-warning still sets an at-risk age; --at-risk 100% only drops the share.
    expect(result.details).toEqual([
      'invoice (Invoice Receipt): 6 breached, 1 at risk; running versions 1, 2',
      "  'Approve invoice' (approve_invoice, userTask), all versions: SLA 4h, at risk from 3h: 4 breached (oldest 9h), 1 at risk",
      // Activity instances are counted per version, whatever their SLAs.
      "  'Wait for payment' (wait_for_payment, receiveTask), v1, v2: SLA 2d: 1 breached (oldest 3d), 0 at risk",
      '  process instances, all versions: SLA 5d: 1 breached (oldest 6d), 0 at risk',
      "3 SLAs watched; an item is at risk from the age its 'sla-warning' property names",
    ]);
  });

  it('sends count requests only once the models are cached, and the same answer', async () => {
    serve(invoiceEngine());
    const cold = await run('-k', 'invoice');
    nock.cleanAll();
    const seen = serve(invoiceEngine());
    const warm = await run('-k', 'invoice');
    expect(seen.filter((s) => s.path.endsWith('/xml'))).toEqual([]);
    expect(warm.status).toBe(cold.status);
    expect(warm.perfdata).toEqual(cold.perfdata);
    expect(await readdir(cacheDir)).toHaveLength(2);
  });

  it('is OK within every SLA and lists what it watches', async () => {
    const engine = invoiceEngine();
    engine.tasks = [];
    engine.activities = [];
    engine.instances = [{ definitionId: idOf('invoice', 2), key: 'invoice', ageMs: HOUR }];
    const seen = serve(engine);
    const result = await run('-k', 'invoice');
    expect(result.code).toBe(0);
    // Nothing past an at-risk age: one empty list per SLA and query (4) and the history check.
    expect(seen.filter((s) => s.path !== '/process-definition/statistics' && !s.path.endsWith('/xml')).map((s) => s.path).sort()).toEqual([
      '/history/activity-instance',
      '/history/process-instance',
      '/history/process-instance/count',
      '/task',
      '/task',
    ]);
    expect(result.status).toBe('CAMUNDA SLA OK - 1 definition within its SLAs: invoice');
    expect(result.perfdata).toEqual({ invoice_breached: '0;;0;0', invoice_at_risk: '0;0;;0' });
  });

  it('takes thresholds for breached and at-risk items, -w and -c for breaches', async () => {
    serve(invoiceEngine());
    const result = await run('-k', 'invoice', '-w', '0', '-c', '10', '--at-risk-warning', '', '--at-risk-critical', '5');
    expect(result.code).toBe(1);
    expect(result.perfdata).toEqual({ invoice_breached: '5;0;10;0', invoice_at_risk: '1;;5;0' });
    expect(result.status).toContain('3 more SLAs breached (warning)');
    // Shown, but within its thresholds.
    expect(result.status).toMatch(/\), 1 at risk$/);
  });

  it('counts the breached SLAs it does not name: one more SLA, two more SLAs', async () => {
    serve(invoiceEngine());
    const result = await run('-k', 'invoice', '--instance-sla', '10d');
    expect(result.status).toContain(', 2 more SLAs breached (critical), ');
    const fewer = await run('-k', 'invoice', '--sla', 'approve_invoice=PT100H');
    expect(fewer.status).toContain(', 1 more SLA breached (critical)');
  });

  it('applies command-line SLAs over the model, to every version that has the element', async () => {
    const seen = serve(invoiceEngine());
    const result = await run('-k', 'invoice', '--sla', 'approve_invoice=PT10H', '--instance-sla', '10d', '--at-risk', '50%');
    const task = countsOf(seen).filter((c) => c.path === '/task/count');
    expect(task.every((c) => c.query.processDefinitionKey === 'invoice')).toBe(true);
    expect(result.details).toEqual([
      'invoice (Invoice Receipt): 1 breached, 6 at risk; running versions 1, 2',
      "  'Approve invoice' (approve_invoice, userTask), all versions: SLA 10h, at risk from 5h: 0 breached, 4 at risk",
      "  'Wait for payment' (wait_for_payment, receiveTask), v2: SLA 2d, at risk from 1d: 1 breached (oldest 3d), 1 at risk",
      '  process instances, all versions: SLA 10d, at risk from 5d: 0 breached, 1 at risk',
      "3 SLAs watched; an item is at risk from the age its 'sla-warning' property names, or after 50% of the SLA",
    ]);
  });

  it('ends UNKNOWN when a --sla names no flow node of the running versions', async () => {
    serve(invoiceEngine());
    const result = await run('-k', 'invoice', '--sla', 'aprove_invoice=PT4H');
    expect(result.code).toBe(3);
    expect(result.status).toBe("CAMUNDA SLA UNKNOWN - --sla: no flow node 'aprove_invoice' in the running versions of the selected definitions: check the activity id in the model");
  });

  it('reports a malformed SLA as UNKNOWN, naming the element, and still counts the others', async () => {
    const engine = invoiceEngine();
    engine.models[idOf('invoice', 1)] = bpmnModel({ key: 'invoice', nodes: [userTask('approve_invoice', 'Approve invoice', '4 hours')] });
    serve(engine);
    const result = await run('-k', 'invoice');
    expect(result.code).toBe(2);
    expect(fullStatus(result)).toContain("'Approve invoice' (approve_invoice) in v1: 'sla' '4 hours' is not an ISO-8601 duration such as PT4H, P2D or P1DT12H (unknown)");
    expect(result.details).toContain("  'Approve invoice' (approve_invoice) in v1: 'sla' '4 hours' is not an ISO-8601 duration such as PT4H, P2D or P1DT12H (unknown)");
    expect(result.perfdata.invoice_breached).toBe('4;;0;0');
  });

  it('is UNKNOWN for a model that cannot be read, naming the version', async () => {
    const engine = invoiceEngine();
    engine.models = { [idOf('invoice', 2)]: INVOICE_V2, [idOf('invoice', 1)]: '<bpmn:definitions' };
    serve(engine);
    const result = await run('-k', 'invoice', '-c', '', '--at-risk-warning', '');
    expect(result.code).toBe(3);
    expect(result.status).toMatch(/^CAMUNDA SLA UNKNOWN - invoice: .*the process in v1: its BPMN XML cannot be read: /);
    // Not cached: it is read again on the next run.
    expect(await readdir(cacheDir)).toHaveLength(1);
  });

  it('says that activity and process SLAs need history when the engine records none, and counts user tasks still', async () => {
    const engine = invoiceEngine();
    engine.noHistory = true;
    const seen = serve(engine);
    const result = await run('-k', 'invoice');
    expect(result.code).toBe(2);
    expect(result.status).toContain('2 SLAs not counted without history (unknown)');
    expect(result.details).toContain(
      'Activity and process SLAs not counted: no history of a running version is readable (history level none, or no READ_HISTORY for the user); they need history level activity or higher and READ_HISTORY on the definitions (unknown)',
    );
    expect(countsOf(seen).filter((c) => c.path.startsWith('/history/'))).toHaveLength(1);
    expect(result.perfdata.invoice_breached).toBe('3;;0;0');
  });

  it('reports a --key that is not deployed, UNKNOWN by default', async () => {
    serve(invoiceEngine());
    const result = await run('-k', 'invoice', '-k', 'invoise', '--missing-state', 'critical');
    expect(result.code).toBe(2);
    expect(fullStatus(result)).toMatch(/^CAMUNDA SLA CRITICAL - invoice: .* \/ invoise: not deployed \(critical\)$/);
    expect((await run('-k', 'invoise')).code).toBe(3);
  });

  it('is UNKNOWN for a selected definition without any SLA', async () => {
    serve(invoiceEngine());
    const result = await run('-k', 'order');
    expect(result.code).toBe(3);
    expect(result.status).toBe(
      "CAMUNDA SLA UNKNOWN - order: no SLA in its running versions (property 'sla'): annotate the model or give --sla/--instance-sla (unknown)",
    );
    expect(result.perfdata).toEqual({});
  });

  it('without --key watches every running definition with an SLA and mentions the others', async () => {
    serve(invoiceEngine());
    const result = await run();
    expect(Object.keys(result.perfdata)).toEqual(['invoice_breached', 'invoice_at_risk']);
    expect(result.details).toContain('1 other running definition without SLA');
  });

  it('reports a selected definition without running instances as 0, its models unread', async () => {
    const engine = invoiceEngine();
    engine.rows = engine.rows.map((row) => ({ ...row, instances: 0 }));
    const seen = serve(engine);
    const result = await run('-k', 'invoice');
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA SLA OK - 1 definition within its SLAs: invoice');
    expect(result.perfdata).toEqual({ invoice_breached: '0;;0;0', invoice_at_risk: '0;0;;0' });
    expect(result.details).toEqual(['invoice (Invoice Receipt): 0 breached, 0 at risk; no running instances']);
    expect(seen.map((s) => s.path)).toEqual(['/process-definition/statistics']);
  });

  it('bounds the requests: models beyond --max-requests wait for the next run, counts beyond it are refused', async () => {
    serve(invoiceEngine());
    const first = await run('-k', 'invoice', '--max-requests', '2');
    expect(first.code).toBe(3);
    expect(first.status).toBe('CAMUNDA SLA UNKNOWN - read 1 of 2 BPMN models not yet cached, as --max-requests is 2: the next runs read the rest');
    const second = await run('-k', 'invoice', '--max-requests', '2');
    // Four SLAs of one query each: a list and, should it be full, two counts; and the history check.
    expectCutStatus(
      second,
      'CAMUNDA SLA UNKNOWN - the SLAs may need 13 more requests (lists, counts and a history check), beyond --max-requests 2 with 2 spent: select fewer definitions with --key or --tenant-id, or raise --max-requests',
    );
    const tight = await run('-k', 'invoice', '--max-requests', '14');
    expect(tight.code).toBe(2);
    expect(tight.status).toContain("2 breached at 'Approve invoice' (v2, SLA 4h, oldest 9h)");
    const third = await run('-k', 'invoice', '--max-requests', '13');
    expect(third.status).toContain('the SLAs may need 13 more requests (lists, counts and a history check), beyond --max-requests 13 with 1 spent');
  });

  it('links the oldest breached instance of each SLA into Cockpit', async () => {
    serve(invoiceEngine());
    const result = await run('-k', 'invoice', '--cockpit-url', 'https://camunda.example/camunda/app/cockpit/default');
    expect(result.details).toContain(
      "  'Approve invoice' (approve_invoice, userTask), v2: SLA 4h, at risk from 3h: 2 breached (oldest 9h), 1 at risk; oldest: https://camunda.example/camunda/app/cockpit/default/#/process-instance/pi-32400000/runtime",
    );
  });

  it('labels definitions of tenants key@tenant and counts them apart', async () => {
    const acme = idOf('order', 1, 'acme');
    const engine: Engine = {
      rows: [statisticsRowDto({ key: 'order', version: 1, tenantId: 'acme', instances: 1 }), statisticsRowDto({ key: 'order', version: 1, instances: 1 })],
      models: { [acme]: bpmnModel({ key: 'order', nodes: [userTask('pack', 'Pack', 'PT1H')] }), [idOf('order', 1)]: bpmnModel({ key: 'order', nodes: [userTask('pack', 'Pack', 'PT1H')] }) },
      tasks: [{ definitionId: acme, key: 'order', tenantId: 'acme', taskDefinitionKey: 'pack', ageMs: 2 * HOUR }],
    };
    serve(engine);
    const result = await run('-k', 'order');
    expect(result.perfdata).toEqual({ order_breached: '0;;0;0', order_at_risk: '0;0;;0', 'order@acme_breached': '1;;0;0', 'order@acme_at_risk': '0;0;;0' });
  });

  it.each([
    [['--sla', 'approve'], "--sla: 'approve' is not ACTIVITY_ID=DURATION"],
    [['--sla', '=PT4H'], "--sla: '=PT4H' is not ACTIVITY_ID=DURATION"],
    [['--sla', 'a=PT4H', '--sla', 'a=PT5H'], '--sla: a is given twice'],
    [['--sla', 'a=P1M'], '--sla: '],
    [['--sla', 'a=0'], '--sla: an SLA must be longer than 0'],
    [['--instance-sla', 'soon'], '--instance-sla: invalid duration'],
    [['--at-risk', '0%'], '--at-risk: \'0%\' is not a share of the SLA from 1% to 100%'],
    [['--at-risk', '150'], '--at-risk: \'150\' is not a share'],
    [['--max-requests', '1'], '--max-requests'],
    [['--property', ''], '--property: empty value'],
    [['--cache-dir', ''], '--cache-dir: empty value'],
    [['--cache-dir', 'cache'], "--cache-dir: 'cache' is not an absolute path"],
  ])('refuses %j', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(3);
    expect(result.status).toContain(message);
  });
});
