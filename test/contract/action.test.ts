import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actionPlugin } from '../../src/actions/camunda-action';
import { privateCacheDir } from '../support/cache-dir';
import { CONTRACT_BASE_PATH, CONTRACT_ENGINE, CONTRACT_URL, contractViolations, endpointsOf, type RecordedRequest } from '../support/contract';
import { jobDefinitionDto, jobDto, processDefinitionDto } from '../support/fixtures';
import { stripEnginePrefix, validateResponse } from '../support/openapi';
import { validateRequestBody } from '../support/openapi-bodies';
import { fullStatus, runInProcess } from '../support/run-plugin';

/*
 * The contract of camunda_action with Camunda's REST API: every query uses only parameters the API
 * defines (OpenAPI 7.15 plus the recorded facts), every body it writes fits the documented request
 * schema exactly (test/support/openapi-bodies.ts), and every answer the engine stand-in gives fits
 * the documented response. Then the reports of failures the simulator cannot stage: a write that
 * fails part way, one that gets no answer, and a job that is gone meanwhile.
 */

const cacheDir = privateCacheDir('action-contract-');
const MODEL = readFileSync('src/simulator/scenarios/sap-outage/order-to-cash.bpmn', 'utf8');
const V1 = 'orderToCash:1:c3a63aaa-2046-11e7-8f94-34f39ab71d4e';
const V2 = 'orderToCash:2:c3a63aaa-2046-11e7-8f94-34f39ab71d4e';
const JOB_DEFINITIONS = [
  jobDefinitionDto({ id: 'jd-post-1', processDefinitionId: V1, processDefinitionKey: 'orderToCash', activityId: 'ServiceTask_PostOrder', suspended: false }),
  jobDefinitionDto({ id: 'jd-credit-2', processDefinitionId: V2, processDefinitionKey: 'orderToCash', activityId: 'ServiceTask_CheckCredit', suspended: false }),
  jobDefinitionDto({ id: 'jd-post-2', processDefinitionId: V2, processDefinitionKey: 'orderToCash', activityId: 'ServiceTask_PostOrder', suspended: true }),
  jobDefinitionDto({ id: 'jd-stock-2', processDefinitionId: V2, processDefinitionKey: 'orderToCash', activityId: 'ServiceTask_ReserveStock#multiInstanceBody', suspended: false }),
];
const FAILED_JOBS = [jobDto({ id: 'job-1', jobDefinitionId: 'jd-post-2', processDefinitionId: V2, processDefinitionKey: 'orderToCash', retries: 0, exceptionMessage: 'JCO_ERROR_COMMUNICATION' })];
const EXTERNAL_TASK = {
  activityId: 'ServiceTask_ReserveStock',
  activityInstanceId: 'ServiceTask_ReserveStock:1',
  errorMessage: 'SAP gateway down',
  executionId: 'e1',
  id: 'et-1',
  lockExpirationTime: null,
  processDefinitionId: V2,
  processDefinitionKey: 'orderToCash',
  processDefinitionVersionTag: null,
  processInstanceId: 'p1',
  tenantId: null,
  retries: 0,
  suspended: false,
  workerId: 'w1',
  topicName: 'sap-stock',
  priority: 0,
  businessKey: null,
};
const DEFINITIONS = [processDefinitionDto({ key: 'orderToCash', version: 1 }), processDefinitionDto({ key: 'orderToCash', version: 2, suspended: true })];

/** The engine stand-in: schema-valid answers for every GET the action sends; 204 for writes. */
function answer(method: string, path: string, query: URLSearchParams): [number, unknown] {
  if (method === 'PUT') return [204, ''];
  const failedOf = (jobDefinitionId: string | null) => FAILED_JOBS.filter((j) => j.jobDefinitionId === jobDefinitionId);
  if (path === '/job/count' && query.get('noRetriesLeft')) return [200, { count: failedOf(query.get('jobDefinitionId')).length }];
  if (path.endsWith('/count')) return [200, { count: { '/job-definition/count': JOB_DEFINITIONS.length, '/external-task/count': 1, '/process-definition/count': DEFINITIONS.length }[path] ?? 2 }];
  if (path === '/job-definition') return [200, JOB_DEFINITIONS];
  if (/^\/process-definition\/[^/]+\/xml$/.test(path)) return [200, { id: decodeURIComponent(path.split('/')[2]!), bpmn20Xml: MODEL }];
  if (path === '/process-definition') return [200, DEFINITIONS];
  if (path === '/job') return [200, failedOf(query.get('jobDefinitionId'))];
  if (path === '/external-task') return [200, [EXTERNAL_TASK]];
  return [404, { type: 'NotFoundException', message: 'HTTP 404 Not Found' }];
}

interface Recorded extends RecordedRequest {
  readonly body: unknown;
}

async function record(invocations: readonly (readonly string[])[], respond = answer): Promise<{ requests: Recorded[]; runs: Awaited<ReturnType<typeof runInProcess>>[] }> {
  const requests: Recorded[] = [];
  nock.disableNetConnect();
  const reply = (method: string) =>
    function (this: unknown, uri: string, body: unknown): [number, unknown] {
      const url = new URL(uri, CONTRACT_ENGINE);
      const { engine, path } = stripEnginePrefix(url.pathname, CONTRACT_BASE_PATH);
      requests.push({ host: CONTRACT_ENGINE, engine, method, path, query: Object.fromEntries(url.searchParams), body });
      return respond(method, path, url.searchParams);
    };
  const scope = nock(CONTRACT_ENGINE).persist().get(/.*/).query(true).reply(reply('GET')).put(/.*/).query(true).reply(reply('PUT'));
  const runs = [];
  try {
    for (const args of invocations) {
      const [subcommand = '', ...rest] = args;
      const cache = subcommand === 'stop' || subcommand === 'start' ? [] : ['--cache-dir', cacheDir()];
      runs.push(await runInProcess(actionPlugin, [subcommand, '--url', CONTRACT_URL, ...cache, ...rest]));
    }
  } finally {
    scope.persist(false);
    nock.cleanAll();
    nock.enableNetConnect();
  }
  return { requests, runs };
}

const INVOCATIONS: readonly string[][] = [
  ['suspend', '--system', 'SAP', '--apply'],
  ['resume', '--system', 'SAP', '--retry', '--retries', '3', '--apply'],
  ['retry', '-k', 'orderToCash', '--tenant-id', 'acme', '--activity-id', 'ServiceTask_PostOrder', '--apply'],
  ['retry', '--activity-match', 'stock', '--message-like', '%SAP%', '--apply'],
  ['suspend', '-k', 'orderToCash', '-k', 'order', '--activity-match', 'post', '--engine', 'second', '--apply'],
  ['stop', '-k', 'orderToCash', '--apply'],
  ['start', '-k', 'orderToCash', '--tenant-id', 'acme', '--apply'],
  ['event', '--system', 'SAP', '--state', 'UNREACHABLE', '--state-type', 'HARD', '--apply'],
  ['retry', '-k', 'orderToCash', '-k', 'order', '--only', 'external-tasks', '--retries', '5', '--apply'],
  ['event', '--system', 'SAP', '--state', 'OK', '--state-type', 'HARD', '--last-state', 'CRITICAL', '--apply'],
];

describe('requests camunda_action sends to the Camunda REST API', () => {
  let requests: Recorded[] = [];
  beforeAll(async () => {
    const recorded = await record(INVOCATIONS);
    requests = recorded.requests;
    expect(recorded.runs.map((r) => [r.code, r.status])).toEqual(INVOCATIONS.map(() => [0, expect.stringMatching(/^CAMUNDA ACTION OK - /)]));
  });

  it('reach the endpoints of every subcommand', () => {
    const template = (path: string) => path.replace(/^\/(job-definition|job|external-task|process-definition)\/(?!count$)[^/]+\//, '/$1/{id}/');
    expect(endpointsOf(requests.map((r) => ({ ...r, path: template(r.path) })))).toEqual([
      'GET /external-task',
      'GET /external-task/count',
      'GET /job',
      'GET /job-definition',
      'GET /job-definition/count',
      'GET /job/count',
      'GET /process-definition',
      'GET /process-definition/count',
      'GET /process-definition/{id}/xml',
      'GET /process-instance/count',
      'PUT /external-task/{id}/retries',
      'PUT /job-definition/{id}/suspended',
      'PUT /job/{id}/retries',
      'PUT /process-definition/{id}/suspended',
    ]);
  });

  it('use only documented query parameters with valid values', () => {
    expect(contractViolations(requests.filter((r) => r.method === 'GET'))).toEqual([]);
    expect(requests.filter((r) => r.method !== 'GET' && Object.keys(r.query).length > 0)).toEqual([]);
  });

  it('write bodies that fit the documented request schema exactly', () => {
    const writes = requests.filter((r) => r.method === 'PUT');
    expect(writes.length).toBeGreaterThan(5);
    expect(writes.flatMap((r) => validateRequestBody(r.method, r.path, r.body).map((e) => `${r.path}: ${e}`))).toEqual([]);
    expect(new Set(writes.map((r) => JSON.stringify(r.body)))).toEqual(
      new Set([
        JSON.stringify({ suspended: true, includeJobs: true, executionDate: null }),
        JSON.stringify({ suspended: false, includeJobs: true, executionDate: null }),
        JSON.stringify({ retries: 3 }),
        JSON.stringify({ retries: 1 }),
        JSON.stringify({ retries: 5 }),
        JSON.stringify({ suspended: true, includeProcessInstances: true, executionDate: null }),
        JSON.stringify({ suspended: false, includeProcessInstances: true, executionDate: null }),
      ]),
    );
  });

  it('retry external tasks by id with a RetriesDto, reading the failed ones per key', () => {
    const retries = requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/external-task/'));
    expect(new Set(retries.map((r) => r.path))).toEqual(new Set(['/external-task/et-1/retries']));
    expect(retries.flatMap((r) => validateRequestBody(r.method, r.path, r.body))).toEqual([]);
    expect(new Set(retries.map((r) => JSON.stringify(r.body)))).toEqual(new Set([JSON.stringify({ retries: 1 }), JSON.stringify({ retries: 3 }), JSON.stringify({ retries: 5 })]));
    const reads = requests.filter((r) => r.path === '/external-task/count' && r.query.processDefinitionKey !== undefined);
    expect(reads.map((r) => r.query.processDefinitionKey)).toEqual(expect.arrayContaining(['orderToCash', 'order']));
    expect(reads.every((r) => r.query.noRetriesLeft === 'true')).toBe(true);
    expect(validateRequestBody('PUT', '/external-task/x/retries', { retries: 1, dueDate: null })).not.toEqual([]);
  });

  it('the body checker rejects what the document does not define', () => {
    expect(validateRequestBody('PUT', '/job/x/retries', { retries: 'one' })).not.toEqual([]);
    expect(validateRequestBody('PUT', '/job-definition/x/suspended', { suspended: true, includeJobs: true, cascade: true })).not.toEqual([]);
    expect(validateRequestBody('PUT', '/process-definition/x/suspended', { suspended: true, includeInstances: true })).not.toEqual([]);
  });

  it('the stand-in answers with documented bodies', () => {
    expect(validateResponse('get', '/external-task', 200, [EXTERNAL_TASK], { exact: true })).toEqual([]);
    expect(validateResponse('get', '/job', 200, FAILED_JOBS)).toEqual([]);
    expect(validateResponse('get', '/process-definition', 200, DEFINITIONS)).toEqual([]);
  });

  it('selects by the model: the CRM activity is left out, a multi-instance body is found by its element', () => {
    const suspended = requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/job-definition/')).map((r) => r.path.split('/')[2]);
    expect(new Set(suspended)).toEqual(new Set(['jd-post-1', 'jd-post-2', 'jd-stock-2']));
  });
});

describe('reports of failures', () => {
  afterEach(() => nock.cleanAll());

  it('a write that fails part way: CRITICAL, what was applied, what failed, what was not attempted', async () => {
    let puts = 0;
    const { runs } = await record([['stop', '-k', 'orderToCash', '--apply']], (method, path, query) => {
      if (method === 'PUT' && ++puts === 2) return [500, { type: 'ProcessEngineException', message: 'deadlock detected' }];
      if (path === '/process-definition') return [200, [1, 2, 3, 4, 5, 6].map((version) => processDefinitionDto({ key: 'orderToCash', version }))];
      if (path === '/process-definition/count') return [200, { count: 6 }];
      return answer(method, path, query);
    });
    const [run] = runs;
    expect(run!.code).toBe(2);
    const summary = /^CAMUNDA ACTION CRITICAL - stop failed part way of process definition orderToCash: stopped (\d) of 6 process definition versions \(1 failed(?:, (\d) not attempted)?\), engine error \(HTTP 500 ProcessEngineException\) .*deadlock detected$/.exec(fullStatus(run!));
    expect(summary, run!.status).not.toBeNull();
    // The first alone, then four at a time: the second fails while others are under way; those not yet sent are not sent.
    const lines = (state: string) => run!.details.filter((line) => line.startsWith(`${state}: `)).length;
    expect(lines('stopped')).toBe(Number(summary![1]));
    expect(lines('FAILED')).toBe(1);
    expect(lines('not attempted')).toBe(Number(summary![2] ?? 0));
    expect(lines('stopped') + lines('FAILED') + lines('not attempted')).toBe(6);
    // After the whole status text (the status line is cut): what was applied, then what failed.
    expect(run!.status).toMatch(/…$/);
    expect(run!.details.slice(1, 3).map((line) => line.split(':')[0])).toEqual(['stopped', 'FAILED']);
  });

  it('a job gone between reading and writing is reported as such, not as a failure', async () => {
    const { runs } = await record([['retry', '--activity-id', 'ServiceTask_PostOrder', '--only', 'jobs', '--apply']], (method, path, query) =>
      method === 'PUT' ? [500, { type: 'InvalidRequestException', message: "ENGINE-13053 No job found with id 'job-1'.'" }] : answer(method, path, query),
    );
    expect(runs[0]!.code).toBe(0);
    expect(runs[0]!.status).toBe('CAMUNDA ACTION OK - retried 0 of 1 failed job (1 gone meanwhile (ran or ended)) of activity ServiceTask_PostOrder');
  });

  it('an external task gone between reading and writing (404, ExternalTaskResourceImpl#setRetries) is reported as such', async () => {
    const { runs } = await record([['retry', '-k', 'orderToCash', '--only', 'external-tasks', '--apply']], (method, path, query) =>
      method === 'PUT' ? [404, { type: 'RestException', message: 'External task with id et-1 does not exist' }] : answer(method, path, query),
    );
    expect(runs[0]!.code, runs[0]!.status).toBe(0);
    expect(runs[0]!.status).toBe('CAMUNDA ACTION OK - retried 0 of 1 failed external task (1 gone meanwhile (ran or ended)) in process definition orderToCash');
    expect(runs[0]!.details[0]).toMatch(/^gone meanwhile: external task et-1 of ServiceTask_ReserveStock \(topic sap-stock\) in orderToCash \(v2\)/);
  });

  it('a write without answer may have been made: CRITICAL, said so, before the timeout', async () => {
    nock.disableNetConnect();
    const scope = nock(CONTRACT_ENGINE)
      .persist()
      .get(/.*/)
      .query(true)
      .reply((uri) => {
        const { path } = stripEnginePrefix(new URL(uri, CONTRACT_ENGINE).pathname, CONTRACT_BASE_PATH);
        return answer('GET', path, new URL(uri, CONTRACT_ENGINE).searchParams);
      })
      .put(/.*/)
      .delay(10_000)
      .reply(204);
    try {
      const run = await runInProcess(actionPlugin, ['stop', '--url', CONTRACT_URL, '-k', 'orderToCash', '--apply', '-t', '3']);
      expect(run.code).toBe(2);
      expect(fullStatus(run)).toMatch(/^CAMUNDA ACTION CRITICAL - stop failed part way .*: stopped 0 of 2 process definition versions \(1 without answer \(may be applied\), 1 not attempted\), no answer within the timeout/);
      // The status line is cut (its whole text comes first in the long output); then the versions.
      expect(run.status).toMatch(/…$/);
      expect(run.details[1]).toMatch(/^NO ANSWER, may be applied: orderToCash \(v1\)/);
    } finally {
      scope.persist(false);
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });
});
