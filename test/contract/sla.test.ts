import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCamundaDate } from '../../src/camunda/dates';
import { LISTED_ITEMS } from '../../src/camunda/sla-counts';
import { slaCheck } from '../../src/checks/sla';
import { bpmnModel } from '../support/bpmn';
import { contractViolations, endpointsOf, parametersOf, recordRequests, type RecordedRequest } from '../support/contract';
import { statisticsRowDto } from '../support/fixtures';
import { validateQuery, validateResponse } from '../support/openapi';

/*
 * The contract with Camunda's REST API for check_camunda_sla: the statistics, the BPMN XML of each
 * running version, and counts and oldest items of open tasks, historic activity instances and
 * historic process instances. Only parameters the API defines, fixtures that fit its schemas.
 */

const ROWS = [
  statisticsRowDto({ key: 'invoice', version: 1, instances: 3 }),
  statisticsRowDto({ key: 'invoice', version: 2, instances: 5 }),
  statisticsRowDto({ key: 'invoice', version: 1, tenantId: 'acme', instances: 1 }),
  statisticsRowDto({ key: 'invoice', version: 2, tenantId: 'acme', instances: 1 }),
  statisticsRowDto({ key: 'order', version: 1, instances: 2, category: 'urn:orders' }),
];

const MODEL = bpmnModel({
  key: 'invoice',
  properties: [['sla', 'P5D']],
  nodes: [
    { type: 'userTask', id: 'approve_invoice', properties: [['sla', 'PT4H'], ['sla-warning', 'PT3H']] },
    { type: 'receiveTask', id: 'wait_for_payment', properties: [['sla', 'P2D']] },
  ],
});
const ORDER_MODEL = bpmnModel({ key: 'order', nodes: [{ type: 'intermediateCatchEvent', id: 'wait', properties: [['sla', 'PT30M']] }] });

const STARTED = formatCamundaDate(new Date(Date.now() - 10 * 86400_000));
const TASKS = [{ id: 't1', taskDefinitionKey: 'approve_invoice', processInstanceId: 'p1', processDefinitionId: ROWS[1]!.id, created: STARTED, name: 'Approve invoice', priority: 50 }];
const ACTIVITIES = [{ id: 'a1', activityId: 'wait_for_payment', activityType: 'receiveTask', processInstanceId: 'p1', processDefinitionId: ROWS[1]!.id, startTime: STARTED, endTime: null }];
const INSTANCES = [{ id: 'p1', processDefinitionId: ROWS[1]!.id, processDefinitionKey: 'invoice', startTime: STARTED, endTime: null, state: 'ACTIVE' }];

const fullPage = <T>(items: readonly T[]): T[] => Array.from({ length: LISTED_ITEMS }, (_, i) => items[i % items.length]!);

function respond(path: string): [number, unknown] | undefined {
  if (path === '/process-definition/statistics') return [200, ROWS];
  const xml = /^\/process-definition\/([^/]+)\/xml$/.exec(path);
  if (xml) {
    const id = decodeURIComponent(xml[1]!);
    return [200, { id, bpmn20Xml: id.startsWith('order:') ? ORDER_MODEL : MODEL }];
  }
  if (/^\/(task|history\/activity-instance|history\/process-instance)\/count$/.test(path)) return [200, { count: 1 }];
  // Full pages, so that the counts which follow a full list are recorded too.
  if (path === '/task') return [200, fullPage(TASKS)];
  if (path === '/history/activity-instance') return [200, fullPage(ACTIVITIES)];
  if (path === '/history/process-instance') return [200, fullPage(INSTANCES)];
  return undefined;
}

/** Option sets that together reach every request shape the SLA check can send. */
const INVOCATIONS: readonly string[][] = [
  ['-k', 'invoice'],
  ['-k', 'invoice', '--tenant-id', 'acme', '--sla', 'approve_invoice=PT1H', '--instance-sla', 'P1D'],
  ['--category', 'urn:orders', '--at-risk', '100%', '--engine', 'second'],
  [],
];

describe('requests check_camunda_sla sends to the Camunda REST API', () => {
  let requests: RecordedRequest[] = [];
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'sla-contract-'));
    const recorded = await recordRequests(slaCheck, INVOCATIONS.map((args) => [...args, '--cache-dir', cacheDir]), respond);
    expect(recorded.codes).toEqual(INVOCATIONS.map(() => 2));
    requests = recorded.requests;
  });
  afterAll(() => rm(cacheDir, { recursive: true, force: true }));

  it('reads statistics, models, the items past their at-risk age and, behind a full list, counts', () => {
    const endpoints = endpointsOf(requests).map((endpoint) => endpoint.replace(/^GET \/process-definition\/[^/]+\/xml$/, 'GET /process-definition/{id}/xml'));
    expect([...new Set(endpoints)].sort()).toEqual([
      'GET /history/activity-instance',
      'GET /history/activity-instance/count',
      'GET /history/process-instance',
      'GET /history/process-instance/count',
      'GET /process-definition/statistics',
      'GET /process-definition/{id}/xml',
      'GET /task',
      'GET /task/count',
    ]);
    for (const name of [
      'processDefinitionId', 'processDefinitionKey', 'tenantIdIn', 'taskDefinitionKey', 'activityId', 'unfinished',
      'createdBefore', 'startedBefore', 'sortBy', 'sortOrder', 'firstResult', 'maxResults',
    ]) {
      expect(parametersOf(requests), name).toContain(name);
    }
  });

  it('reads each model once: later runs take it from the cache', () => {
    const xml = requests.filter((r) => r.path.endsWith('/xml'));
    expect(new Set(xml.map((r) => `${r.engine ?? ''} ${r.path}`)).size).toBe(xml.length);
  });

  it('only sends parameters the API defines, with valid values', () => {
    expect(contractViolations(requests)).toEqual([]);
  });

  it('would catch a parameter an endpoint does not have', () => {
    expect(validateQuery('GET', '/history/activity-instance/count', { processDefinitionKey: 'invoice' })).not.toEqual([]);
    expect(validateQuery('GET', '/task/count', { startedBefore: STARTED })).not.toEqual([]);
    expect(validateQuery('GET', '/history/process-instance/count', { createdBefore: STARTED })).not.toEqual([]);
  });
});

describe('fixtures the SLA tests answer with', () => {
  it('fit the OpenAPI response schemas', () => {
    expect(validateResponse('GET', '/process-definition/statistics', 200, ROWS)).toEqual([]);
    expect(validateResponse('GET', `/process-definition/${encodeURIComponent(ROWS[0]!.id as string)}/xml`, 200, { id: ROWS[0]!.id, bpmn20Xml: MODEL })).toEqual([]);
    expect(validateResponse('GET', '/task', 200, TASKS)).toEqual([]);
    expect(validateResponse('GET', '/history/activity-instance', 200, ACTIVITIES)).toEqual([]);
    expect(validateResponse('GET', '/history/process-instance', 200, INSTANCES)).toEqual([]);
    for (const path of ['/task/count', '/history/activity-instance/count', '/history/process-instance/count']) expect(validateResponse('GET', path, 200, { count: 1 })).toEqual([]);
  });

  it('would be rejected if they did not', () => {
    expect(validateResponse('GET', '/history/activity-instance', 200, [{ ...ACTIVITIES[0], startTime: 5 }])).not.toEqual([]);
    expect(validateResponse('GET', '/process-definition/x/xml', 200, { id: 'x', bpmn20Xml: 5 })).not.toEqual([]);
  });
});
