import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentsCheck } from '../../src/checks/incidents';
import { incidentDto, processDefinitionDto } from '../support/fixtures';
import { stripEnginePrefix, validateQuery, validateResponse } from '../support/openapi';
import { runInProcess } from '../support/run-plugin';

/*
 * The contract with Camunda's REST API: every request any check sends uses only query
 * parameters the API defines for that endpoint (OpenAPI 7.15 plus the recorded facts in
 * test/support/openapi.ts), with values of the right type; every fixture the unit tests answer
 * with fits the documented response schema. A check that works only against our mocks fails here.
 */

const ENGINE = 'http://contract.test:8080';
const BASE_PATH = '/engine-rest';

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
}

/** Answers every endpoint with schema-valid bodies and records each request. */
function recordingEngine(recorded: RecordedRequest[]): void {
  nock(ENGINE)
    .persist()
    .get(/.*/)
    .query(true)
    .reply(function (uri) {
      const url = new URL(uri, ENGINE);
      const { path } = stripEnginePrefix(url.pathname, BASE_PATH);
      recorded.push({ method: 'GET', path, query: Object.fromEntries(url.searchParams) });
      if (path === '/incident/count') return [200, { count: 25 }];
      if (path === '/incident') return [200, [incidentDto({ ageSeconds: 60 }), incidentDto({ ageSeconds: 7200, processDefinitionId: 'order:3:x' })]];
      if (path === '/process-definition') return [200, [processDefinitionDto(), processDefinitionDto({ key: 'order', version: 3, id: 'order:3:x' })]];
      if (path === '/process-definition/count') return [200, { count: 2 }];
      return [404, ''];
    });
}

/** Option sets that together reach every request shape the incidents check can send. */
const INCIDENT_INVOCATIONS: readonly string[][] = [
  [],
  ['--list', '0'],
  ['--list', '100', '--new-window', '1d'],
  ['--list', '1'],
  ['-k', 'invoice', '-k', 'order', '--tenant-id', 'acme', '--tenant-id', 'globex'],
  ['--incident-type', 'failedJob', '--incident-type', 'failedExternalTask', '--activity-id', 'ServiceTask_1'],
  ['--engine', 'second', '--cockpit-url', 'https://camunda/camunda/app/cockpit/second'],
];

describe('requests sent to the Camunda REST API', () => {
  const recorded: RecordedRequest[] = [];

  beforeAll(async () => {
    nock.disableNetConnect();
    recordingEngine(recorded);
    for (const args of INCIDENT_INVOCATIONS) {
      const result = await runInProcess(incidentsCheck, ['--url', `${ENGINE}${BASE_PATH}`, ...args]);
      expect(result.code, result.stdout).toBe(1);
    }
  });
  afterAll(() => nock.cleanAll());

  it('reach the endpoints the incidents check needs', () => {
    const endpoints = new Set(recorded.map((r) => `${r.method} ${r.path}`));
    expect([...endpoints].sort()).toEqual(['GET /incident', 'GET /incident/count', 'GET /process-definition', 'GET /process-definition/count']);
  });

  it('use every filter the incidents check offers', () => {
    const names = new Set(recorded.flatMap((r) => Object.keys(r.query)));
    for (const name of [
      'processDefinitionKeyIn', 'tenantIdIn', 'incidentType', 'activityId', 'incidentTimestampAfter',
      'sortBy', 'sortOrder', 'firstResult', 'maxResults', 'processDefinitionIdIn', 'key',
    ]) {
      expect(names, name).toContain(name);
    }
  });

  it('only send parameters the API defines, with valid values', () => {
    const violations = recorded.flatMap((r) =>
      validateQuery(r.method, r.path, r.query).map((error) => `${r.method} ${r.path}?${new URLSearchParams(r.query)}: ${error}`),
    );
    expect(violations).toEqual([]);
  });

  it('would catch a parameter the API does not define', () => {
    // The contract check itself must be able to fail.
    expect(validateQuery('GET', '/incident/count', { processDefinitionKey: 'invoice' })).not.toEqual([]);
    expect(validateQuery('GET', '/incident', { sortBy: 'createTime', sortOrder: 'desc' })).not.toEqual([]);
    expect(validateQuery('GET', '/incident/count', { incidentTimestampAfter: '2024-01-01T00:00:00Z' })).not.toEqual([]);
  });
});

describe('fixtures the unit tests answer with', () => {
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
