import { beforeAll, describe, expect, it } from 'vitest';
import { incidentsCheck } from '../../src/checks/incidents';
import { contractViolations, endpointsOf, parametersOf, recordRequests, type RecordedRequest } from '../support/contract';
import type { IncidentDto } from '../../src/camunda/types';
import { incidentDto, processDefinitionDto, statisticsRowDto } from '../support/fixtures';
import { answer, openIncidents } from '../support/incident-store';
import { validateQuery, validateResponse } from '../support/openapi';

/*
 * The contract with Camunda's REST API: every request check_camunda_incidents sends uses only
 * query parameters the API defines for that endpoint (OpenAPI 7.15 plus the recorded facts in
 * test/support/openapi.ts), with values of the right type; every fixture the unit tests answer
 * with fits the documented response schema. A check that works only against our mocks fails here.
 */

/** Option sets that together reach every request shape the incidents check can send. */
const INCIDENT_INVOCATIONS: readonly string[][] = [
  [],
  ['--list', '0'],
  ['--list', '100', '--new-window', '1d'],
  ['--list', '1'],
  ['-k', 'invoice', '-k', 'order', '--tenant-id', 'acme', '--tenant-id', 'globex'],
  ['--incident-type', 'failedJob', '--incident-type', 'failedExternalTask', '--activity-id', 'ServiceTask_1'],
  ['--engine', 'second', '--cockpit-url', 'https://camunda/camunda/app/cockpit/second'],
  ['--failures-warning', '0', '--incident-type', 'failedJob'],
  // Grouping by cause: spread pages, cause counts with incidentMessageLike, a cause without message,
  // copies whose root cause -k leaves out (call chains), a small budget.
  ['--max-causes', '3', '--list', '2'],
  ['-k', 'order', '--cockpit-url', 'https://camunda/camunda/app/cockpit/default'],
  ['--causes-warning', '5', '--new-causes-critical', '3', '--tenant-id', 'acme'],
];

const ORDER_ID = 'b7e0c1d2-2046-11e7-8f94-34f39ab71d4e';
const now = new Date();

/** Enough incidents for every page the sampling asks for, of several causes, with calling levels' copies. */
function engineIncidents(): IncidentDto[] {
  const outage = openIncidents({ count: 260, prefix: 'sap', definitionId: 'invoice:2:x', message: (n) => `Connection refused for order ${n}`, ageSeconds: (n) => 60 + n * 30, now });
  const npe = openIncidents({ count: 5, prefix: 'npe', definitionId: ORDER_ID, activityId: 'Task_NPE', message: () => null, ageSeconds: (n) => 600 + n, now, tenantId: 'acme' });
  const roots = openIncidents({ count: 3, prefix: 'pay', definitionId: 'payment:3:p', activityId: 'ServiceTask_Charge', message: () => 'Payment API 503', ageSeconds: (n) => 120 + n, now });
  const copies = roots.map((root) => ({ ...root, id: `copy-${root.id}`, causeIncidentId: root.id, processDefinitionId: 'order:1:o', processInstanceId: `pi-copy-${root.id}`, activityId: 'CallActivity_Billing', failedActivityId: 'CallActivity_Billing', incidentMessage: null }));
  return [...outage, ...npe, ...roots, ...copies];
}

describe('requests check_camunda_incidents sends to the Camunda REST API', () => {
  let requests: RecordedRequest[] = [];

  beforeAll(async () => {
    const incidents = engineIncidents();
    const definitions = [{ id: ORDER_ID, key: 'order', version: 3 }];
    const recorded = await recordRequests(incidentsCheck, INCIDENT_INVOCATIONS, (path, query) => {
      if (path === '/process-definition/statistics') return [200, [statisticsRowDto({ key: 'invoice', incidents: { failedJob: 1 } })]];
      if (path === '/process-definition/count') return [200, { count: 2 }];
      // ORDER_ID is a bare generated id (as for keys too long for `<key>:<version>:<id>`): only it is asked for.
      if (path === '/process-definition') return [200, [processDefinitionDto({ key: 'order', version: 3, id: ORDER_ID })]];
      return answer(incidents, definitions, path, Object.fromEntries(query));
    });
    requests = recorded.requests;
    expect(recorded.codes).toEqual(INCIDENT_INVOCATIONS.map(() => 1));
  });

  it('reach the endpoints the incidents check needs', () => {
    expect(endpointsOf(requests)).toEqual(['GET /incident', 'GET /incident/count', 'GET /process-definition', 'GET /process-definition/count', 'GET /process-definition/statistics']);
  });

  it('use every filter the incidents check offers', () => {
    const names = parametersOf(requests);
    for (const name of [
      'processDefinitionKeyIn', 'tenantIdIn', 'incidentType', 'activityId', 'incidentTimestampAfter',
      'sortBy', 'sortOrder', 'firstResult', 'maxResults', 'processDefinitionIdIn', 'key', 'rootCauseIncidentId', 'rootIncidents',
      'incidentMessageLike', 'failedActivityId',
    ]) {
      expect(names, name).toContain(name);
    }
  });

  it('sample pages at spread offsets and count causes with message patterns', () => {
    const offsets = requests.filter((r) => r.path === '/incident' && Number(r.query.firstResult) > 0);
    expect(offsets.length).toBeGreaterThan(0);
    const patterns = requests.filter((r) => r.path === '/incident/count').map((r) => r.query.incidentMessageLike);
    expect(patterns).toContain('%');
    expect(patterns).toContain('Connection refused for order %');
  });

  it('only send parameters the API defines, with valid values', () => {
    expect(contractViolations(requests)).toEqual([]);
  });

  it('would catch a parameter the API does not define', () => {
    // The contract check itself must be able to fail.
    expect(validateQuery('GET', '/incident/count', { processDefinitionKey: 'invoice' })).not.toEqual([]);
    expect(validateQuery('GET', '/incident', { sortBy: 'createTime', sortOrder: 'desc' })).not.toEqual([]);
    expect(validateQuery('GET', '/incident/count', { incidentTimestampAfter: '2024-01-01T00:00:00Z' })).not.toEqual([]);
  });
});

describe('fixtures the incidents unit tests answer with', () => {
  it('fit the OpenAPI response schemas', () => {
    expect(validateResponse('GET', '/incident', 200, [incidentDto(), incidentDto({ tenantId: 'acme', annotation: 'x' })])).toEqual([]);
    expect(validateResponse('GET', '/process-definition', 200, [processDefinitionDto()])).toEqual([]);
    expect(validateResponse('GET', '/incident/count', 200, { count: 3 })).toEqual([]);
    // The incident store of the cause tests (test/support/incident-store.ts) answers with these.
    const incidents = engineIncidents();
    expect(validateResponse('GET', '/incident', 200, incidents.filter((i, n) => n % 20 === 0 || i.incidentMessage === null))).toEqual([]);
    expect(validateResponse('GET', '/process-definition', 200, answer([], [{ id: 'd', key: 'order', version: 3 }], '/process-definition', { processDefinitionIdIn: 'd' })![1])).toEqual([]);
  });

  it('would be rejected if they did not', () => {
    expect(validateResponse('GET', '/incident', 200, [{ ...incidentDto(), id: 42 }])).not.toEqual([]);
    expect(validateResponse('GET', '/incident', 200, [{ ...incidentDto(), incidentTimestamp: '2024-01-01T00:00:00Z' }])).not.toEqual([]);
  });
});
