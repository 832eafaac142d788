import { describe, expect, it } from 'vitest';
import {
  documentedExamples,
  FACT_KNOWN_WRONG_EXAMPLES,
  isCamundaDate,
  matchSpecPath,
  openApiDocument,
  stripEnginePrefix,
  validateQuery,
  validateResponse,
} from '../support/openapi';

/** The GET operations the plugins and the simulator use. */
const OPERATIONS = [
  '/engine',
  '/version',
  '/incident',
  '/incident/count',
  '/process-definition',
  '/process-definition/count',
  '/process-definition/statistics',
  '/process-definition/{id}',
  '/process-definition/{id}/xml',
  '/process-instance/count',
  '/job',
  '/job/count',
  '/task',
  '/task/count',
  '/history/process-instance',
  '/history/process-instance/count',
  '/history/activity-instance',
  '/history/activity-instance/count',
];

const incident = {
  id: 'anIncidentId',
  processDefinitionId: 'aProcDefId',
  processInstanceId: 'aProcInstId',
  executionId: 'anExecutionId',
  incidentTimestamp: '2014-03-01T08:00:00.000+0200',
  incidentType: 'failedJob',
  activityId: 'serviceTask',
  failedActivityId: 'serviceTask',
  causeIncidentId: 'aCauseIncidentId',
  rootCauseIncidentId: 'aRootCauseIncidentId',
  configuration: 'aConfiguration',
  tenantId: null,
  incidentMessage: 'anIncidentMessage',
  jobDefinitionId: 'aJobDefinitionId',
  annotation: null,
};

describe('the reference document', () => {
  it('is the Camunda 7.15 OpenAPI 3.0 document', () => {
    expect(openApiDocument.openapi).toBe('3.0.2');
    expect(openApiDocument.info.version).toBe('7.15.0');
  });

  it('still has the gaps the recorded facts fill', () => {
    const incidents = openApiDocument.paths['/incident']!.get!;
    expect(incidents.parameters!.map((p) => p.name)).not.toContain('firstResult');
    expect(openApiDocument.paths['/job-definition']).toBeUndefined();
    const count = openApiDocument.paths['/incident/count']!.get!.responses!['200']!.content!['application/json']!.schema!;
    expect(count.type).toBe('array');
  });
});

describe('validateResponse', () => {
  const known = (path: string, status: number, name: string) =>
    FACT_KNOWN_WRONG_EXAMPLES.some((k) => k.path === path && k.status === status && k.example === name);

  it.each(OPERATIONS)("accepts the document's own examples of GET %s", (path) => {
    const concrete = path.replace('{id}', 'invoice:1:c3a63aaa-2046-11e7-8f94-34f39ab71d4e');
    expect(documentedExamples(path).length).toBeGreaterThan(0);
    const examples = documentedExamples(path).filter((e) => !known(path, e.status, e.name));
    for (const example of examples) {
      expect(validateResponse('get', concrete, example.status, example.value), `${path} ${example.status} ${example.name}`).toEqual([]);
    }
  });

  it('rejects the examples recorded as wrong, for the recorded reason', () => {
    const [count, job] = FACT_KNOWN_WRONG_EXAMPLES;
    const countExample = documentedExamples(count!.path).find((e) => e.name === count!.example)!;
    expect(validateResponse('get', count!.path, 200, countExample.value)).toEqual(['(root) must be object']);
    const jobExample = documentedExamples(job!.path).find((e) => e.name === job!.example)!;
    expect(validateResponse('get', job!.path, 200, jobExample.value)).toEqual([
      '/0/createTime must match format "date-time"',
      '/1/createTime must match format "date-time"',
    ]);
  });

  it('validates GET /incident/count against the corrected shape (FACT 1)', () => {
    expect(validateResponse('get', '/incident/count', 200, { count: 2 })).toEqual([]);
    expect(validateResponse('get', '/incident/count', 200, [{ count: 2 }])).not.toEqual([]);
  });

  it('rejects an incident with a number id', () => {
    expect(validateResponse('get', '/incident', 200, [{ ...incident, id: 42 }])).toEqual(['/0/id must be string']);
  });

  it('honours nullable', () => {
    expect(validateResponse('get', '/incident', 200, [{ ...incident, incidentMessage: null, tenantId: null }])).toEqual([]);
    expect(validateResponse('get', '/process-definition/statistics', 200, [{ id: 'x', instances: 1, failedJobs: 0, incidents: null }])).toEqual([]);
    // Not nullable in the document: the counts of a statistics row and CountResultDto.count.
    expect(validateResponse('get', '/process-definition/statistics', 200, [{ id: 'x', instances: null }])).toEqual(['/0/instances must be integer']);
    expect(validateResponse('get', '/job/count', 200, { count: null })).toEqual(['/count must be integer']);
  });

  it('accepts null for the nullable enum TaskDto.delegationState, and only the documented values otherwise (FACT 9)', () => {
    const [example] = documentedExamples('/task');
    const task = (example!.value as Record<string, unknown>[])[0]!;
    expect(validateResponse('get', '/task', 200, [{ ...task, delegationState: null }])).toEqual([]);
    expect(validateResponse('get', '/task', 200, [{ ...task, delegationState: 'DONE' }])).toEqual([
      '/0/delegationState must be equal to one of the allowed values (["PENDING","RESOLVED",null])',
    ]);
    const documented = openApiDocument.components.schemas.TaskDto!.properties as Record<string, { enum: unknown[] }>;
    expect(documented.delegationState!.enum, 'the published document stays as it is').toEqual(['PENDING', 'RESOLVED']);
  });

  it("checks dates against Camunda's format, not RFC 3339 (FACT 4)", () => {
    const at = (incidentTimestamp: string) => validateResponse('get', '/incident', 200, [{ ...incident, incidentTimestamp }]);
    expect(at('2013-01-23T14:42:45.000+0200')).toEqual([]);
    expect(at('2013-01-23T14:42:45.000-0530')).toEqual([]);
    for (const wrong of ['2013-01-23T14:42:45.000Z', '2013-01-23T14:42:45.000+02:00', '2013-01-23T14:42:45+0200', '2013-02-30T14:42:45.000+0200']) {
      expect(at(wrong), wrong).toEqual(['/0/incidentTimestamp must match format "date-time"']);
    }
  });

  it('matches concrete paths to templated ones, preferring literal segments', () => {
    expect(matchSpecPath('/process-definition/count')).toBe('/process-definition/count');
    expect(matchSpecPath('/process-definition/statistics')).toBe('/process-definition/statistics');
    expect(matchSpecPath('/process-definition/invoice:1:abc')).toBe('/process-definition/{id}');
    expect(matchSpecPath('/process-definition/key/invoice/xml')).toBe('/process-definition/key/{key}/xml');
    expect(matchSpecPath('/incident/count?x=1')).toBe('/incident/count');
    expect(validateResponse('get', '/process-definition/count', 200, { count: 3 })).toEqual([]);
    expect(validateResponse('get', '/process-definition/invoice:1:abc', 200, { id: 'invoice:1:abc', version: 'one' })).toEqual(['/version must be integer']);
  });

  it('reports unknown operations and undocumented statuses', () => {
    expect(validateResponse('get', '/incidents', 200, [])).toEqual(['no path of the OpenAPI document (or recorded facts) matches /incidents']);
    expect(validateResponse('delete', '/incident/count', 200, {})).toEqual(['DELETE is not documented for /incident/count']);
    expect(validateResponse('get', '/incident', 404, {})[0]).toMatch(/^status 404 is not documented for GET \/incident/);
    expect(validateResponse('get', '/incident/count', 400, { type: 'InvalidRequestException', message: 'x' })).toEqual([]);
  });

  it('knows GET /job-definition from the 7.24 document (FACT 3)', () => {
    // The 7.24 document's example of GET /job-definition?activityIdIn=ServiceTask1,ServiceTask2.
    const example = [
      { id: 'aJobDefId', processDefinitionId: 'aProcDefId', processDefinitionKey: 'aProcDefKey', activityId: 'ServiceTask1', jobType: 'asynchronous-continuation', jobConfiguration: '', suspended: false, overridingJobPriority: 15, tenantId: null, deploymentId: 'aDeploymentId' },
      { id: 'aJobDefId', processDefinitionId: 'aProcDefId', processDefinitionKey: 'aProcDefKey', activityId: 'ServiceTask2', jobType: 'asynchronous-continuation', jobConfiguration: '', suspended: true, overridingJobPriority: null, tenantId: null, deploymentId: 'aDeploymentId' },
    ];
    expect(validateResponse('get', '/job-definition', 200, example)).toEqual([]);
    expect(validateResponse('get', '/job-definition', 200, example, { exact: true })).toEqual([]);
    expect(validateResponse('get', '/job-definition', 200, [{ ...example[0], suspended: 'yes' }])).toEqual(['/0/suspended must be boolean']);
    expect(validateResponse('get', '/job-definition/count', 200, { count: 2 })).toEqual([]);
  });

  describe('exact mode', () => {
    it('requires every documented property and nothing else', () => {
      expect(validateResponse('get', '/incident', 200, [incident], { exact: true })).toEqual([]);
      const { annotation: _annotation, ...withoutAnnotation } = incident;
      expect(validateResponse('get', '/incident', 200, [withoutAnnotation], { exact: true })).toEqual(["/0 must have required property 'annotation'"]);
      expect(validateResponse('get', '/incident', 200, [{ ...incident, severity: 'high' }], { exact: true })).toEqual(['/0 must NOT have additional properties (severity)']);
      expect(validateResponse('get', '/incident', 200, [{ ...incident, severity: 'high' }])).toEqual([]);
    });

    it("allows ProcessDefinitionDto's undocumented description (FACT 6)", () => {
      const [example] = documentedExamples('/process-definition')[0]!.value as Record<string, unknown>[];
      expect(example).toHaveProperty('description', null);
      expect(validateResponse('get', '/process-definition', 200, [example], { exact: true })).toEqual([]);
    });
  });
});

describe('validateQuery', () => {
  it('accepts documented parameters with fitting values', () => {
    expect(
      validateQuery('get', '/incident', {
        incidentType: 'failedJob',
        processDefinitionKeyIn: 'invoice,order',
        incidentTimestampAfter: '2013-01-23T14:42:45.000+0200',
        sortBy: 'incidentTimestamp',
        sortOrder: 'desc',
      }),
    ).toEqual([]);
    expect(validateQuery('get', '/process-definition', { latestVersion: 'true', version: '2', keysIn: 'a,b' })).toEqual([]);
  });

  it('rejects a wrong parameter name', () => {
    expect(validateQuery('get', '/incident', { processDefinitionKey: 'invoice' })).toEqual([
      "query parameter 'processDefinitionKey' is not defined for GET /incident",
    ]);
    expect(validateQuery('get', '/job-definition', { processDefinitionKeyIn: 'x' })).toEqual([
      "query parameter 'processDefinitionKeyIn' is not defined for GET /job-definition",
    ]);
  });

  it('rejects a bad enum value', () => {
    expect(validateQuery('get', '/incident', { sortBy: 'incidentAge', sortOrder: 'asc' })).toEqual([
      `query parameter 'sortBy': 'incidentAge' must be equal to one of the allowed values (["incidentId","incidentMessage","incidentTimestamp","incidentType","executionId","activityId","processInstanceId","processDefinitionId","causeIncidentId","rootCauseIncidentId","configuration","tenantId"])`,
    ]);
    expect(validateQuery('get', '/incident', { sortBy: 'incidentId', sortOrder: 'up' })).toHaveLength(1);
  });

  it('uses the engine\'s sortBy "tenantId" for process definitions, not the documented "tenantId " (FACT 5)', () => {
    expect(validateQuery('get', '/process-definition', { sortBy: 'tenantId', sortOrder: 'asc' })).toEqual([]);
    expect(validateQuery('get', '/process-definition', { sortBy: 'tenantId ', sortOrder: 'asc' })).toHaveLength(1);
  });

  it('rejects an RFC 3339 date and accepts the Camunda format', () => {
    expect(validateQuery('get', '/incident', { incidentTimestampBefore: '2024-01-01T00:00:00Z' })).toEqual([
      `query parameter 'incidentTimestampBefore': '2024-01-01T00:00:00Z' must match format "date-time"`,
    ]);
    expect(validateQuery('get', '/incident', { incidentTimestampBefore: '2024-01-01T00:00:00.000+0000' })).toEqual([]);
  });

  it('checks integers and booleans as the engine converts them', () => {
    expect(validateQuery('get', '/process-definition', { version: 'two' })).toEqual(["query parameter 'version': 'two' is not an integer"]);
    expect(validateQuery('get', '/process-definition', { latestVersion: 'yes' })).toEqual(["query parameter 'latestVersion': 'yes' is not true or false"]);
    expect(validateQuery('get', '/process-definition', { latestVersion: 'TRUE' })).toHaveLength(1);
  });

  it('knows the paging parameters of GET /incident (FACT 2) and the job-definition parameters (FACT 3)', () => {
    expect(validateQuery('get', '/incident', { firstResult: '0', maxResults: '50' })).toEqual([]);
    expect(validateQuery('get', '/incident', { maxResults: 'all' })).toEqual(["query parameter 'maxResults': 'all' is not an integer"]);
    expect(validateQuery('get', '/incident/count', { firstResult: '0' })).toHaveLength(1);
    expect(
      validateQuery('get', '/job-definition', {
        activityIdIn: 'a,b',
        jobType: 'async-continuation',
        suspended: 'true',
        sortBy: 'activityId',
        sortOrder: 'asc',
        firstResult: '0',
        maxResults: '10',
      }),
    ).toEqual([]);
    expect(validateQuery('get', '/job-definition/count', { sortBy: 'activityId' })).toHaveLength(1);
    expect(validateQuery('get', '/job-definition', { sortBy: 'jobPriority', sortOrder: 'asc' })).toHaveLength(1);
  });
});

describe('isCamundaDate', () => {
  it.each([
    ['2013-01-23T14:42:45.000+0200', true],
    ['2024-02-29T00:00:00.000-1200', true],
    ['2023-02-29T00:00:00.000+0000', false],
    ['2013-01-23T24:00:00.000+0200', false],
    ['2013-01-23T14:42:45.000+02:00', false],
    ['2013-01-23T14:42:45.000Z', false],
    ['2013-01-23T14:42:45+0200', false],
    ['2013-01-23 14:42:45.000+0200', false],
  ])('%s -> %s', (value, expected) => {
    expect(isCamundaDate(value)).toBe(expected);
  });
});

describe('stripEnginePrefix', () => {
  it.each([
    ['/engine-rest/incident/count', { engine: undefined, path: '/incident/count' }],
    ['/engine-rest/engine/default/incident', { engine: 'default', path: '/incident' }],
    ['/engine-rest/engine/my%20engine/job/count', { engine: 'my engine', path: '/job/count' }],
    ['/engine-rest/engine', { engine: undefined, path: '/engine' }],
    ['/engine-rest/engine/', { engine: undefined, path: '/engine/' }],
    ['/engine-rest', { engine: undefined, path: '/' }],
  ])('%s', (pathname, expected) => {
    expect(stripEnginePrefix(pathname, '/engine-rest')).toEqual(expected);
  });

  it('handles other base paths and refuses paths outside them', () => {
    expect(stripEnginePrefix('/rest/engine/x/incident', '/rest/')).toEqual({ engine: 'x', path: '/incident' });
    expect(() => stripEnginePrefix('/engine-restful/incident', '/engine-rest')).toThrow(/not below the base path/);
  });
});
