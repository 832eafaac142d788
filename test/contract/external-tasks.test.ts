import { beforeAll, describe, expect, it } from 'vitest';
import { externalTasksCheck } from '../../src/checks/external-tasks';
import { jobsCheck } from '../../src/checks/jobs';
import { contractViolations, endpointsOf, parametersOf, recordRequests, type RecordedRequest } from '../support/contract';
import { externalTaskDto } from '../support/external-task-fixtures';
import { validateQuery, validateResponse } from '../support/openapi';

/*
 * The contract with Camunda's REST API for check_camunda_external_tasks and the throughput of
 * check_camunda_jobs: every request uses only query parameters the API defines (OpenAPI 7.15 plus
 * FACT 10-12 of test/support/openapi.ts), with values of the right type; the fixtures fit the schemas.
 */

const INVOCATIONS: readonly string[][] = [
  [],
  ['--topic', 'send-mail', '--topic', 'archive', '--stale', '15m'],
  ['-k', 'invoice', '-k', 'order', '--tenant-id', 'acme', '--tenant-id', 'globex'],
  ['--engine', 'second', '--max-topics', '1'],
];

describe('requests check_camunda_external_tasks sends to the Camunda REST API', () => {
  let requests: RecordedRequest[] = [];

  beforeAll(async () => {
    const recorded = await recordRequests(externalTasksCheck, INVOCATIONS, (path, query) => {
      if (path === '/version') return [200, { version: '7.22.0' }];
      if (path === '/external-task/topic-names') return [200, ['send-mail', 'archive']];
      if (path === '/external-task/count') return [200, { count: query.has('notLocked') ? 4 : 0 }];
      if (path === '/external-task') return [200, [externalTaskDto({ createdSecondsAgo: 1800 })]];
      if (path === '/process-definition/count') return [200, { count: 1 }];
      return undefined;
    });
    requests = recorded.requests;
    // No task is locked and the oldest waits 30 minutes: every run finds the worker gone.
    expect(recorded.codes).toEqual(INVOCATIONS.map(() => 2));
  });

  it('reach the endpoints the check needs', () => {
    expect(endpointsOf(requests)).toEqual(['GET /external-task', 'GET /external-task/count', 'GET /external-task/topic-names', 'GET /process-definition/count', 'GET /version']);
  });

  it('use every filter the check offers', () => {
    const names = parametersOf(requests);
    for (const name of [
      'topicName', 'notLocked', 'locked', 'active', 'withRetriesLeft', 'noRetriesLeft', 'lockExpirationBefore', 'lockExpirationAfter',
      'processDefinitionKey', 'tenantIdIn', 'sortBy', 'sortOrder', 'firstResult', 'maxResults',
    ]) {
      expect(names, name).toContain(name);
    }
  });

  it('only send parameters the API defines, with valid values', () => {
    expect(contractViolations(requests)).toEqual([]);
  });

  it('would catch a parameter or value the API does not define', () => {
    expect(validateQuery('GET', '/external-task/count', { withException: 'true' })).not.toEqual([]);
    expect(validateQuery('GET', '/external-task/count', { sortBy: 'createTime', sortOrder: 'asc' })).not.toEqual([]);
    expect(validateQuery('GET', '/external-task', { sortBy: 'created', sortOrder: 'asc' })).not.toEqual([]);
    expect(validateQuery('GET', '/external-task/count', { lockExpirationBefore: '2024-01-01T00:00:00Z' })).not.toEqual([]);
  });
});

describe('requests check_camunda_jobs --throughput adds', () => {
  let requests: RecordedRequest[] = [];

  beforeAll(async () => {
    const recorded = await recordRequests(jobsCheck, [['--throughput'], ['--throughput', '--throughput-window', '2h', '-k', 'invoice']], (path) => {
      if (path.startsWith('/metrics/')) return [200, { result: 7 }];
      if (path === '/metrics') return [200, [{ timestamp: '2024-01-01T00:00:00.000+0000', name: 'job-successful', reporter: 'camunda-1', value: 7 }]];
      if (path === '/process-definition/count') return [200, { count: 1 }];
      if (path === '/job/count' || path === '/job-definition/count') return [200, { count: 0 }];
      return undefined;
    });
    requests = recorded.requests;
    expect(recorded.codes).toEqual([0, 0]);
  });

  it('read the four job executor sums and whether metrics are written', () => {
    expect(endpointsOf(requests).filter((e) => e.includes('/metrics'))).toEqual([
      'GET /metrics',
      'GET /metrics/job-acquired-failure/sum',
      'GET /metrics/job-execution-rejected/sum',
      'GET /metrics/job-failed/sum',
      'GET /metrics/job-successful/sum',
    ]);
  });

  it('only send parameters the API defines, with valid values', () => {
    expect(contractViolations(requests)).toEqual([]);
  });
});

describe('fixtures the external task unit tests answer with', () => {
  it('fit the OpenAPI response schemas exactly', () => {
    const tasks = [externalTaskDto(), externalTaskDto({ lockExpiresInSeconds: 60, retries: 2, errorMessage: 'boom', tenantId: 'acme' }), externalTaskDto({ createdSecondsAgo: null })];
    expect(validateResponse('GET', '/external-task', 200, tasks, { exact: true })).toEqual([]);
    expect(validateResponse('GET', '/external-task/topic-names', 200, ['a', 'b'])).toEqual([]);
    expect(validateResponse('GET', '/metrics/job-successful/sum', 200, { result: 3 })).toEqual([]);
    expect(validateResponse('GET', '/metrics', 200, [{ timestamp: '2024-01-01T00:00:00.000+0000', name: 'job-successful', reporter: 'camunda-1', value: 7 }], { exact: true })).toEqual([]);
  });

  it('would be rejected if they did not', () => {
    expect(validateResponse('GET', '/external-task', 200, [{ ...externalTaskDto(), retries: 'two' }])).not.toEqual([]);
    expect(validateResponse('GET', '/external-task', 200, [{ ...externalTaskDto(), workers: 'x' }], { exact: true })).not.toEqual([]);
  });
});
