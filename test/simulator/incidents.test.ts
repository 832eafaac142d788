import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { validateQuery } from '../support/openapi';
import { clock, get, getOk, query, scenario, UUID } from './fixture';

interface IncidentDto {
  id: string;
  processDefinitionId: string;
  processInstanceId: string;
  executionId: string;
  incidentTimestamp: string;
  incidentType: string;
  activityId: string;
  failedActivityId: string;
  causeIncidentId: string;
  rootCauseIncidentId: string;
  configuration: string | null;
  tenantId: string | null;
  incidentMessage: string | null;
  jobDefinitionId: string | null;
  annotation: string | null;
}

let sim: RunningSimulator;
let all: IncidentDto[];
/** I0..I4 of the fixture, found by type and activity. */
const I: Record<string, IncidentDto> = {};
const LABELS: Record<string, string> = {
  'failedJob@ServiceTask_Archive': 'I0',
  'failedJob@ServiceTask_Post': 'I1',
  'failedExternalTask@Task_Ship': 'I2',
  'documentCheck@Task_Verify': 'I3',
  'failedJob@CallActivity_Sub': 'I4',
};
const label = (i: IncidentDto) => LABELS[`${i.incidentType}@${i.activityId}`]!;

async function labels(params: Record<string, string>): Promise<string[]> {
  const list = await getOk<IncidentDto[]>(sim, `/incident${query(params)}`);
  const count = await getOk<{ count: number }>(sim, `/incident/count${query(params)}`);
  expect(count.count, 'count agrees with the list').toBe(list.length);
  return list.map(label).sort();
}

beforeAll(async () => {
  sim = await startSimulator({ scenario, now: clock });
  all = await getOk<IncidentDto[]>(sim, '/incident');
  for (const incident of all) I[label(incident)] = incident;
});
afterAll(() => sim.close());

describe('GET /incident', () => {
  it('lists the scenario incidents with all IncidentDto fields', async () => {
    expect(all.map(label).sort()).toEqual(['I0', 'I1', 'I2', 'I3', 'I4']);
    const jobs = await getOk<{ id: string; retries: number; jobDefinitionId: string; processInstanceId: string }[]>(sim, '/job?noRetriesLeft=true');
    const failedJob = jobs.find((j) => j.processInstanceId === I.I1!.processInstanceId)!;
    expect(I.I1).toEqual({
      id: expect.stringMatching(UUID),
      processDefinitionId: expect.stringMatching(/^invoice:2:[0-9a-f-]{36}$/),
      processInstanceId: expect.stringMatching(UUID),
      executionId: I.I1!.processInstanceId,
      incidentTimestamp: '2024-03-01T10:00:00.000+0000',
      incidentType: 'failedJob',
      activityId: 'ServiceTask_Post',
      failedActivityId: 'ServiceTask_Post',
      causeIncidentId: I.I1!.id,
      rootCauseIncidentId: I.I1!.id,
      configuration: failedJob.id,
      tenantId: null,
      incidentMessage: 'SAP posting failed | period closed',
      jobDefinitionId: failedJob.jobDefinitionId,
      annotation: null,
    });
    expect(I.I2).toMatchObject({ configuration: expect.stringMatching(UUID), jobDefinitionId: null, incidentTimestamp: '2024-03-01T11:30:00.000+0000' });
    expect(I.I3).toMatchObject({ incidentMessage: null, configuration: 'DOC-1', tenantId: 'acme', processDefinitionId: expect.stringMatching(/^onboarding:1:/) });
    expect(I.I0!.incidentTimestamp).toBe('2024-02-29T12:00:00.000+0000');
  });

  it('adds one incident per calling level as the engine does: no message, configuration or job definition, at the call activity', () => {
    // IncidentEntity.createRecursiveIncidents (engine/src/main/java/org/camunda/bpm/engine/impl/
    // persistence/entity/IncidentEntity.java:82-111): type copied, activity and failed activity =
    // the super execution's call activity, cause = the incident below, root cause = the original.
    expect(I.I4).toEqual({
      id: expect.stringMatching(UUID),
      processDefinitionId: I.I1!.processDefinitionId,
      processInstanceId: expect.not.stringMatching(I.I1!.processInstanceId),
      executionId: I.I4!.processInstanceId,
      incidentTimestamp: I.I1!.incidentTimestamp,
      incidentType: 'failedJob',
      activityId: 'CallActivity_Sub',
      failedActivityId: 'CallActivity_Sub',
      causeIncidentId: I.I1!.id,
      rootCauseIncidentId: I.I1!.id,
      configuration: null,
      tenantId: null,
      incidentMessage: null,
      jobDefinitionId: null,
      annotation: null,
    });
  });

  it('returns incidents in id order without sorting parameters', () => {
    const ids = all.map((i) => i.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('counts them', async () => {
    expect(await getOk(sim, '/incident/count')).toEqual({ count: 5 });
  });
});

describe('incident filters', () => {
  const cases: [string, () => Record<string, string>, string[]][] = [
    ['incidentId', () => ({ incidentId: I.I2!.id }), ['I2']],
    ['incidentType', () => ({ incidentType: 'failedJob' }), ['I0', 'I1', 'I4']],
    ['incidentType (custom)', () => ({ incidentType: 'documentCheck' }), ['I3']],
    ['incidentMessage', () => ({ incidentMessage: 'Warehouse API 503' }), ['I2']],
    ['incidentMessageLike prefix', () => ({ incidentMessageLike: 'SAP%' }), ['I1']],
    ['incidentMessageLike suffix', () => ({ incidentMessageLike: '%timed out' }), ['I0']],
    ['incidentMessageLike infix', () => ({ incidentMessageLike: '%API%' }), ['I2']],
    ['incidentMessageLike without wildcard is exact', () => ({ incidentMessageLike: 'SAP' }), []],
    ['incidentMessageLike _ matches one character', () => ({ incidentMessageLike: 'SAP posting faile_ | period closed' }), ['I1']],
    ['processDefinitionId', () => ({ processDefinitionId: I.I1!.processDefinitionId }), ['I1', 'I4']],
    ['processDefinitionKeyIn', () => ({ processDefinitionKeyIn: 'order,onboarding' }), ['I2', 'I3']],
    ['processDefinitionKeyIn single', () => ({ processDefinitionKeyIn: 'invoice' }), ['I0', 'I1', 'I4']],
    ['processInstanceId', () => ({ processInstanceId: I.I0!.processInstanceId }), ['I0']],
    ['executionId', () => ({ executionId: I.I4!.executionId }), ['I4']],
    ['incidentTimestampBefore', () => ({ incidentTimestampBefore: '2024-03-01T11:00:00.000+0000' }), ['I0', 'I1', 'I4']],
    ['incidentTimestampAfter', () => ({ incidentTimestampAfter: '2024-03-01T11:00:00.000+0000' }), ['I2', 'I3']],
    ['incidentTimestampAfter in another offset', () => ({ incidentTimestampAfter: '2024-03-01T12:40:00.000+0100' }), ['I3']],
    ['incidentTimestampAfter is exclusive', () => ({ incidentTimestampAfter: '2024-03-01T11:30:00.000+0000' }), ['I3']],
    ['timestamp window', () => ({ incidentTimestampAfter: '2024-03-01T09:00:00.000+0000', incidentTimestampBefore: '2024-03-01T11:40:00.000+0000' }), ['I1', 'I2', 'I4']],
    ['activityId', () => ({ activityId: 'CallActivity_Sub' }), ['I4']],
    ['failedActivityId', () => ({ failedActivityId: 'ServiceTask_Post' }), ['I1']],
    ['failedActivityId of a calling level', () => ({ failedActivityId: 'CallActivity_Sub' }), ['I4']],
    ['causeIncidentId', () => ({ causeIncidentId: I.I1!.id }), ['I1', 'I4']],
    ['rootCauseIncidentId', () => ({ rootCauseIncidentId: I.I1!.id }), ['I1', 'I4']],
    ['configuration', () => ({ configuration: 'DOC-1' }), ['I3']],
    ['tenantIdIn', () => ({ tenantIdIn: 'acme' }), ['I3']],
    ['tenantIdIn without match', () => ({ tenantIdIn: 'globex' }), []],
    ['jobDefinitionIdIn', () => ({ jobDefinitionIdIn: `${I.I1!.jobDefinitionId},nope` }), ['I1']],
    ['jobDefinitionIdIn of the implied job definition', () => ({ jobDefinitionIdIn: I.I0!.jobDefinitionId! }), ['I0']],
    ['several filters combine', () => ({ incidentType: 'failedJob', processDefinitionKeyIn: 'invoice', incidentTimestampAfter: '2024-03-01T00:00:00.000+0000' }), ['I1', 'I4']],
  ];
  it.each(cases)('%s', async (_name, params, expected) => {
    expect(validateQuery('get', '/incident', params())).toEqual([]);
    expect(await labels(params())).toEqual(expected);
  });
});

describe('incident sorting and paging', () => {
  const order = async (params: Record<string, string>) => (await getOk<IncidentDto[]>(sim, `/incident${query(params)}`)).map(label);

  it('sorts by timestamp both ways', async () => {
    // I1 and its calling level's copy I4 share a timestamp; their order is the database's.
    const asc = await order({ sortBy: 'incidentTimestamp', sortOrder: 'asc' });
    expect([asc[0], [...asc.slice(1, 3)].sort(), ...asc.slice(3)]).toEqual(['I0', ['I1', 'I4'], 'I2', 'I3']);
    const desc = await order({ sortBy: 'incidentTimestamp', sortOrder: 'desc' });
    expect([desc[0], desc[1], [...desc.slice(2, 4)].sort(), desc[4]]).toEqual(['I3', 'I2', ['I1', 'I4'], 'I0']);
  });

  it('sorts by type lexicographically and by tenant with nulls first', async () => {
    expect((await order({ sortBy: 'incidentType', sortOrder: 'asc' })).slice(0, 2)).toEqual(['I3', 'I2']);
    expect((await order({ sortBy: 'tenantId', sortOrder: 'asc' })).at(-1)).toBe('I3');
    expect((await order({ sortBy: 'tenantId', sortOrder: 'desc' }))[0]).toBe('I3');
  });

  it('pages with firstResult and maxResults', async () => {
    const sorted = { sortBy: 'incidentTimestamp', sortOrder: 'asc' };
    expect((await order({ ...sorted, firstResult: '1', maxResults: '2' })).sort()).toEqual(['I1', 'I4']);
    expect(await order({ ...sorted, maxResults: '1' })).toEqual(['I0']);
    expect(await order({ ...sorted, firstResult: '3' })).toEqual(['I2', 'I3']);
    expect(await order({ ...sorted, firstResult: '9' })).toEqual([]);
    expect(await order({ ...sorted, maxResults: '0' })).toEqual([]);
  });

  it('ignores paging on the count resource', async () => {
    expect(await getOk(sim, '/incident/count?firstResult=3&maxResults=1')).toEqual({ count: 5 });
  });
});

describe('incident query errors', () => {
  const single = { type: 'InvalidRequestException', message: 'Only a single sorting parameter specified. sortBy and sortOrder required' };

  it.each(['/incident?sortBy=incidentId', '/incident?sortOrder=asc', '/incident/count?sortBy=incidentType'])('rejects a lone sorting parameter: %s', async (path) => {
    const answer = await get(sim, path);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.body).toEqual(single);
  });

  it('rejects an unknown sortBy and sortOrder', async () => {
    expect(await get(sim, '/incident?sortBy=incidentAge&sortOrder=asc')).toMatchObject({
      status: 400,
      body: { type: 'InvalidRequestException', message: "Cannot set query parameter 'sortBy' to value 'incidentAge'" },
    });
    expect(await get(sim, '/incident?sortBy=incidentId&sortOrder=up')).toMatchObject({
      status: 400,
      body: { type: 'InvalidRequestException', message: "Cannot set query parameter 'sortOrder' to value 'up'" },
    });
  });

  it.each([
    '2024-01-01T00:00:00Z',
    '2024-01-01T00:00:00.000Z',
    '2024-01-01T00:00:00.000+01:00',
    '2024-01-01T00:00:00+0100',
    '2024-01-01',
    '2024-02-30T00:00:00.000+0000',
  ])('rejects the date %s, which is not in Camunda format', async (value) => {
    const answer = await get(sim, `/incident${query({ incidentTimestampBefore: value })}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      type: 'InvalidRequestException',
      message: `Cannot set query parameter 'incidentTimestampBefore' to value '${value}': Cannot convert value "${value}" to java type java.util.Date`,
    });
  });

  it('reads an unencoded + in a query as a space, as servlet containers do', async () => {
    const answer = await get(sim, '/incident?incidentTimestampBefore=2024-01-01T00:00:00.000+0100');
    expect(answer.status).toBe(400);
    expect((answer.body as { message: string }).message).toContain("to value '2024-01-01T00:00:00.000 0100'");
    expect(await getOk(sim, '/incident/count?incidentTimestampBefore=2024-03-01T11:00:00.000%2B0100')).toEqual({ count: 1 });
  });

  it('answers unconvertible paging parameters with 404, as JAX-RS does', async () => {
    for (const params of [{ firstResult: 'abc' }, { maxResults: '1.5' }] as Record<string, string>[]) {
      const answer = await get(sim, `/incident${query(params)}`);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ type: 'NotFoundException', message: 'HTTP 404 Not Found' });
    }
  });

  it('ignores unknown parameters like Camunda, and records them', async () => {
    expect(await labels({ incidentTypo: 'failedJob' })).toHaveLength(5);
    const recorded = sim.requests.filter((r) => r.query.incidentTypo !== undefined);
    expect(recorded.map((r) => [r.path, r.ignored])).toEqual([
      ['/incident', ['incidentTypo']],
      ['/incident/count', ['incidentTypo']],
    ]);
    expect(validateQuery('get', '/incident', { incidentTypo: 'failedJob' })).toHaveLength(1);
  });
});
