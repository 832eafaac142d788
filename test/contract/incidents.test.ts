import { beforeAll, describe, expect, it } from 'vitest';
import { incidentsCheck } from '../../src/checks/incidents';
import { contractViolations, endpointsOf, parametersOf, recordRequests, type RecordedRequest } from '../support/contract';
import { incidentDto, processDefinitionDto, statisticsRowDto } from '../support/fixtures';
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
];

const ORDER_ID = 'b7e0c1d2-2046-11e7-8f94-34f39ab71d4e';

describe('requests check_camunda_incidents sends to the Camunda REST API', () => {
  let requests: RecordedRequest[] = [];

  beforeAll(async () => {
    const recorded = await recordRequests(incidentsCheck, INCIDENT_INVOCATIONS, (path) => {
      if (path === '/incident/count') return [200, { count: 25 }];
      // The second id is a bare generated one (as for keys too long for `<key>:<version>:<id>`): only it is asked for.
      if (path === '/incident') return [200, [incidentDto({ ageSeconds: 60 }), incidentDto({ ageSeconds: 7200, id: 'c9b1f1a2-0000-11ee-8000-000000000002', processDefinitionId: ORDER_ID })]];
      if (path === '/process-definition/statistics') return [200, [statisticsRowDto({ key: 'invoice', incidents: { failedJob: 1 } })]];
      if (path === '/process-definition') return [200, [processDefinitionDto({ key: 'order', version: 3, id: ORDER_ID })]];
      if (path === '/process-definition/count') return [200, { count: 2 }];
      return undefined;
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
    ]) {
      expect(names, name).toContain(name);
    }
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
  });

  it('would be rejected if they did not', () => {
    expect(validateResponse('GET', '/incident', 200, [{ ...incidentDto(), id: 42 }])).not.toEqual([]);
    expect(validateResponse('GET', '/incident', 200, [{ ...incidentDto(), incidentTimestamp: '2024-01-01T00:00:00Z' }])).not.toEqual([]);
  });
});
