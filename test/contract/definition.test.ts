import { beforeAll, describe, expect, it } from 'vitest';
import { definitionCheck } from '../../src/checks/definition';
import { contractViolations, endpointsOf, parametersOf, recordRequests, type RecordedRequest } from '../support/contract';
import { incidentDto, processDefinitionDto, statisticsRowDto } from '../support/fixtures';
import { validateQuery, validateResponse } from '../support/openapi';

/*
 * The contract with Camunda's REST API for check_camunda_definition, in both modes: only
 * parameters the API defines for each endpoint, and fixtures that fit the response schemas.
 */

const STATISTICS_ROWS = [
  statisticsRowDto({ key: 'invoice', version: 1, instances: 3, failedJobs: 1, incidents: { failedJob: 1 } }),
  statisticsRowDto({ key: 'invoice', version: 2, instances: 5, incidents: { failedExternalTask: 2 } }),
  statisticsRowDto({ key: 'invoice', version: 1, tenantId: 'acme', instances: 1 }),
  statisticsRowDto({ key: 'order', version: 1, category: 'urn:orders' }),
];

const LATEST = [
  processDefinitionDto({ key: 'invoice', version: 2, id: 'invoice:2:x' }),
  processDefinitionDto({ key: 'invoice', version: 1, id: 'invoice:1:acme', tenantId: 'acme' }),
  processDefinitionDto({ key: 'order', version: 1, id: 'order:1:x' }),
];

/** Option sets that together reach every request shape the definition check can send. */
const STATISTICS_INVOCATIONS: readonly string[][] = [
  ['-w', '0'],
  ['--mode', 'statistics', '-k', 'invoice', '-k', 'order', '--tasks', '-w', '0'],
  ['-k', 'invoice', '--tasks', '--latest-only', '-w', '0', '--mode', 'statistics'],
  ['--tenant-id', 'acme', '--instances-warning', '0'],
  ['--category', 'urn:orders', '--instances-warning', '@0'],
];
const COUNTS_INVOCATIONS: readonly string[][] = [
  ['--mode', 'counts', '-k', 'invoice', '-k', 'order', '--tasks', '-w', '0'],
  ['--mode', 'counts', '-k', 'invoice', '--latest-only', '--tasks', '-w', '0'],
  ['--mode', 'counts', '-k', 'invoice', '--tenant-id', 'acme', '--category', 'urn:x', '-w', '0', '--engine', 'second'],
];

function respond(path: string): [number, unknown] | undefined {
  if (path === '/process-definition/statistics') return [200, STATISTICS_ROWS];
  if (path === '/process-definition') return [200, LATEST];
  if (/^\/(process-instance|incident|job|task)\/count$/.test(path)) return [200, { count: 2 }];
  // The newest incidents, for the grouping by cause in the long output: a full page of 50
  // (DEFINITION_CAUSE_BUDGET), not provably all, so that the causes are counted with incidentMessageLike.
  if (path === '/incident') {
    const page = Array.from({ length: 49 }, (_, n) => incidentDto({ id: `i-${n}`, processDefinitionId: 'invoice:2:x' }));
    return [200, [...page, incidentDto({ id: 'i2', processDefinitionId: 'invoice:1:acme', tenantId: 'acme', incidentMessage: null })]];
  }
  return undefined;
}

describe('requests check_camunda_definition sends to the Camunda REST API', () => {
  let statistics: RecordedRequest[] = [];
  let counts: RecordedRequest[] = [];

  beforeAll(async () => {
    const recordedStatistics = await recordRequests(definitionCheck, STATISTICS_INVOCATIONS, respond);
    expect(recordedStatistics.codes).toEqual(STATISTICS_INVOCATIONS.map(() => 1));
    statistics = recordedStatistics.requests;
    const recordedCounts = await recordRequests(definitionCheck, COUNTS_INVOCATIONS, respond);
    expect(recordedCounts.codes).toEqual(COUNTS_INVOCATIONS.map(() => 1));
    counts = recordedCounts.requests;
  });

  it('statistics mode: one statistics request per run, plus task counts when asked and the causes of incidents', () => {
    expect(endpointsOf(statistics)).toEqual(['GET /incident', 'GET /incident/count', 'GET /process-definition/statistics', 'GET /task/count']);
    expect(parametersOf(statistics)).toContain('incidentMessageLike');
    expect(statistics.filter((r) => r.path === '/process-definition/statistics')).toHaveLength(STATISTICS_INVOCATIONS.length);
    for (const name of ['failedJobs', 'incidents', 'processDefinitionKey', 'processDefinitionId', 'tenantIdIn']) {
      expect(parametersOf(statistics), name).toContain(name);
    }
  });

  it('counts mode: the latest-version lookup and count endpoints, never statistics', () => {
    expect(endpointsOf(counts)).toEqual(['GET /incident', 'GET /incident/count', 'GET /job/count', 'GET /process-definition', 'GET /process-instance/count', 'GET /task/count']);
    for (const name of [
      'keysIn', 'latestVersion', 'tenantIdIn', 'category', 'firstResult', 'maxResults', 'processDefinitionKey', 'processDefinitionKeyIn',
      'processDefinitionId', 'processDefinitionWithoutTenantId', 'noRetriesLeft',
    ]) {
      expect(parametersOf(counts), name).toContain(name);
    }
  });

  it('only send parameters the API defines, with valid values', () => {
    expect(contractViolations(statistics)).toEqual([]);
    expect(contractViolations(counts)).toEqual([]);
  });

  it('would catch a filter the statistics endpoint does not have', () => {
    expect(validateQuery('GET', '/process-definition/statistics', { key: 'invoice' })).not.toEqual([]);
    expect(validateQuery('GET', '/incident/count', { withoutTenantId: 'true' })).not.toEqual([]);
    expect(validateQuery('GET', '/job/count', { noRetriesLeft: 'yes' })).not.toEqual([]);
  });
});

describe('fixtures the definition unit tests answer with', () => {
  it('fit the OpenAPI response schemas', () => {
    expect(validateResponse('GET', '/process-definition/statistics', 200, STATISTICS_ROWS)).toEqual([]);
    expect(validateResponse('GET', '/process-definition', 200, LATEST)).toEqual([]);
    for (const path of ['/process-instance/count', '/job/count', '/task/count']) expect(validateResponse('GET', path, 200, { count: 2 })).toEqual([]);
  });

  it('would be rejected if they did not', () => {
    expect(validateResponse('GET', '/process-definition/statistics', 200, [{ ...STATISTICS_ROWS[0], instances: '3' }])).not.toEqual([]);
    expect(validateResponse('GET', '/process-definition/statistics', 200, [{ ...STATISTICS_ROWS[0], incidents: [{ incidentType: 'failedJob', incidentCount: 'one' }] }])).not.toEqual([]);
  });
});
