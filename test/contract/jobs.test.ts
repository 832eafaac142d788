import { beforeAll, describe, expect, it } from 'vitest';
import { jobsCheck } from '../../src/checks/jobs';
import { contractViolations, endpointsOf, parametersOf, recordRequests, type RecordedRequest } from '../support/contract';
import { jobDefinitionDto, jobDto, processDefinitionDto } from '../support/fixtures';
import { validateQuery, validateResponse } from '../support/openapi';

/*
 * The contract with Camunda's REST API for check_camunda_jobs: every request uses only query
 * parameters the API defines for that endpoint (OpenAPI 7.15 for /job, the recorded 7.24 facts for
 * /job-definition, see test/support/openapi.ts), with values of the right type; every fixture the
 * unit tests answer with fits the documented response schema.
 */

/** Option sets that together reach every request shape the jobs check can send. */
const JOB_INVOCATIONS: readonly string[][] = [
  [],
  ['--list', '0'],
  ['--list', '100', '--overdue-after', '1d'],
  ['-k', 'invoice', '-k', 'order', '--tenant-id', 'acme', '--tenant-id', 'globex'],
  ['--activity-id', 'ServiceTask_PostToSAP', '--activity-id', 'Timer_Reminder'],
  ['--job-definition-id', 'f0e0d0c0-0000-11ee-8000-0000000000d1'],
  ['--engine', 'second', '--cockpit-url', 'https://camunda/camunda/app/cockpit/second'],
];

const BARE_ID = 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e';

describe('requests check_camunda_jobs sends to the Camunda REST API', () => {
  let requests: RecordedRequest[] = [];

  beforeAll(async () => {
    const recorded = await recordRequests(jobsCheck, JOB_INVOCATIONS, (path, query) => {
      // Within the instances executing a job (7.24+: acquired) nothing is overdue, so the listing still happens.
      if (path === '/job/count' && query.has('processInstanceIds')) return [200, { count: 0 }];
      if (path === '/job/count') return [200, { count: query.has('createTimes') && query.has('dueDates') ? 1 : 3 }];
      if (path === '/job' && query.has('acquired')) return [200, [jobDto({ id: 'running', processInstanceId: 'f7e6d5c4-0000-11ee-8000-000000000009' })]];
      // Bare generated definition ids (as for keys too long for `<key>:<version>:<id>`) are asked for.
      if (path === '/job') return [200, [jobDto({ dueSecondsAgo: 3600 }), jobDto({ id: 'async', createdSecondsAgo: 7200, processDefinitionId: BARE_ID })]];
      if (path === '/job-definition/count') return [200, { count: 2 }];
      if (path === '/job-definition') return [200, [jobDefinitionDto({ processDefinitionId: BARE_ID })]];
      // No process definition is suspended: the job definitions are suspended by themselves and listed, with their models (system).
      if (path === '/process-definition' && query.has('suspended')) return [200, []];
      if (path === '/process-definition') return [200, [processDefinitionDto({ version: 2, id: BARE_ID })]];
      if (path === '/process-definition/count') return [200, { count: 2 }];
      if (path === '/version') return [200, { version: '7.24.0' }];
      return undefined;
    });
    requests = recorded.requests;
    expect(recorded.codes).toEqual(JOB_INVOCATIONS.map(() => 1));
  });

  it('reach the endpoints the jobs check needs', () => {
    // The model of a listed suspended job definition's version: the system its activity calls.
    expect(endpointsOf(requests.map((r) => ({ ...r, path: r.path.replace(/^\/process-definition\/[^/]+\/xml$/, '/process-definition/{id}/xml') })))).toEqual([
      'GET /job',
      'GET /job-definition',
      'GET /job-definition/count',
      'GET /job/count',
      'GET /process-definition',
      'GET /process-definition/count',
      'GET /process-definition/{id}/xml',
      'GET /version',
    ]);
  });

  it('use every filter the jobs check offers', () => {
    const names = parametersOf(requests);
    for (const name of [
      'executable', 'active', 'noRetriesLeft', 'withException', 'withRetriesLeft', 'dueDates', 'createTimes',
      'processDefinitionKey', 'tenantIdIn', 'activityId', 'jobDefinitionId', 'activityIdIn', 'suspended',
      'sortBy', 'sortOrder', 'firstResult', 'maxResults', 'processDefinitionIdIn', 'key', 'acquired', 'processInstanceIds', 'keysIn',
    ]) {
      expect(names, name).toContain(name);
    }
  });

  it('only send parameters the API defines, with valid values', () => {
    expect(contractViolations(requests)).toEqual([]);
  });

  it('would catch a parameter or value the API does not define', () => {
    expect(validateQuery('GET', '/job/count', { processDefinitionKeyIn: 'invoice' })).not.toEqual([]);
    expect(validateQuery('GET', '/job', { sortBy: 'createTime', sortOrder: 'asc' })).not.toEqual([]);
    expect(validateQuery('GET', '/job-definition/count', { activityId: 'x' })).not.toEqual([]);
    expect(validateQuery('GET', '/job-definition', { sortBy: 'suspended', sortOrder: 'asc' })).not.toEqual([]);
    expect(validateQuery('GET', '/job/count', { executable: 'yes' })).not.toEqual([]);
  });
});

describe('fixtures the jobs unit tests answer with', () => {
  it('fit the OpenAPI response schemas exactly', () => {
    expect(validateResponse('GET', '/job', 200, [jobDto(), jobDto({ dueSecondsAgo: 60, exceptionMessage: 'x', tenantId: 'acme' })], { exact: true })).toEqual([]);
    expect(validateResponse('GET', '/job-definition', 200, [jobDefinitionDto(), jobDefinitionDto({ tenantId: 'acme', overridingJobPriority: 5 })], { exact: true })).toEqual([]);
    expect(validateResponse('GET', '/job/count', 200, { count: 3 })).toEqual([]);
    expect(validateResponse('GET', '/job-definition/count', 200, { count: 3 })).toEqual([]);
  });

  it('would be rejected if they did not', () => {
    expect(validateResponse('GET', '/job', 200, [{ ...jobDto(), retries: 'three' }])).not.toEqual([]);
    expect(validateResponse('GET', '/job', 200, [{ ...jobDto(), createTime: '2024-01-01T00:00:00Z' }])).not.toEqual([]);
    expect(validateResponse('GET', '/job-definition', 200, [{ ...jobDefinitionDto(), suspended: 'yes' }])).not.toEqual([]);
  });
});
