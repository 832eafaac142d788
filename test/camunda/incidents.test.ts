import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { CamundaError } from '../../src/camunda/errors';
import { countIncidents, incidentQueries, listIncidents, type IncidentFilter } from '../../src/camunda/incidents';
import { useStrictNock, mockedEngineClient, mockGet } from '../support/nock';

const NONE: IncidentFilter = { processDefinitionKeys: [], incidentTypes: [], tenantIds: [], activityIds: [] };

useStrictNock();

describe('incidentQueries', () => {
  it('makes one unrestricted query without filters', () => {
    expect(incidentQueries(NONE)).toEqual([{ processDefinitionKeyIn: [], tenantIdIn: [], incidentType: undefined, activityId: undefined }]);
  });

  it('keeps keys and tenants as lists in one query', () => {
    expect(incidentQueries({ ...NONE, processDefinitionKeys: ['invoice', 'order'], tenantIds: ['acme', 'globex'] })).toEqual([
      { processDefinitionKeyIn: ['invoice', 'order'], tenantIdIn: ['acme', 'globex'], incidentType: undefined, activityId: undefined },
    ]);
  });

  it('expands incident types × activities, each with the lists', () => {
    const queries = incidentQueries({
      processDefinitionKeys: ['invoice'],
      incidentTypes: ['failedJob', 'failedExternalTask'],
      tenantIds: ['acme'],
      activityIds: ['Task_A', 'Task_B', 'Task_C'],
    });
    expect(queries).toHaveLength(6);
    expect(queries.map((q) => `${q.incidentType}/${q.activityId}`)).toEqual([
      'failedJob/Task_A',
      'failedJob/Task_B',
      'failedJob/Task_C',
      'failedExternalTask/Task_A',
      'failedExternalTask/Task_B',
      'failedExternalTask/Task_C',
    ]);
    for (const query of queries) {
      expect(query.processDefinitionKeyIn).toEqual(['invoice']);
      expect(query.tenantIdIn).toEqual(['acme']);
    }
  });

  it('expands types alone and activities alone', () => {
    expect(incidentQueries({ ...NONE, incidentTypes: ['a', 'b'] }).map((q) => [q.incidentType, q.activityId])).toEqual([
      ['a', undefined],
      ['b', undefined],
    ]);
    expect(incidentQueries({ ...NONE, activityIds: ['x', 'y'] }).map((q) => [q.incidentType, q.activityId])).toEqual([
      [undefined, 'x'],
      [undefined, 'y'],
    ]);
  });
});

describe('countIncidents', () => {
  it('asks once without filters and sends no filter parameters', async () => {
    const seen = mockGet('/incident/count', () => ({ count: 4 }), 1);
    await expect(countIncidents(mockedEngineClient(), NONE)).resolves.toBe(4);
    expect(seen).toEqual([{}]);
  });

  it('sums the counts of every type × activity combination', async () => {
    const counts: Record<string, number> = { 'failedJob/A': 1, 'failedJob/B': 2, 'custom/A': 30, 'custom/B': 400 };
    const seen = mockGet('/incident/count', (q) => ({ count: counts[`${q.incidentType}/${q.activityId}`] }), 4);
    const filter = { processDefinitionKeys: ['invoice', 'order'], incidentTypes: ['failedJob', 'custom'], tenantIds: [], activityIds: ['A', 'B'] };
    await expect(countIncidents(mockedEngineClient(), filter)).resolves.toBe(433);
    expect(seen).toHaveLength(4);
    expect(seen.map((q) => `${q.incidentType}/${q.activityId}`).sort()).toEqual(['custom/A', 'custom/B', 'failedJob/A', 'failedJob/B']);
    for (const query of seen) {
      expect(query.processDefinitionKeyIn).toBe('invoice,order');
      expect(query).not.toHaveProperty('tenantIdIn');
      expect(query).not.toHaveProperty('incidentTimestampAfter');
    }
  });

  it('restricts every combination to incidents created after the given date', async () => {
    const seen = mockGet('/incident/count', () => ({ count: 2 }), 2);
    const after = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    await expect(countIncidents(mockedEngineClient(), { ...NONE, tenantIds: ['acme'], incidentTypes: ['a', 'b'] }, after)).resolves.toBe(4);
    expect(seen).toEqual([
      { tenantIdIn: 'acme', incidentType: 'a', incidentTimestampAfter: '2024-01-02T03:04:05.000+0000' },
      { tenantIdIn: 'acme', incidentType: 'b', incidentTimestampAfter: '2024-01-02T03:04:05.000+0000' },
    ]);
  });

  it('fails as a whole when one combination fails', async () => {
    mockGet('/incident/count', (q) => (q.incidentType === 'b' ? { count: 'many' } : { count: 1 }), 2);
    await expect(countIncidents(mockedEngineClient(), { ...NONE, incidentTypes: ['a', 'b'] })).rejects.toBeInstanceOf(CamundaError);
  });
});

describe('listIncidents', () => {
  const at = (minute: number) => `2024-05-01T10:${String(minute).padStart(2, '0')}:00.000+0000`;
  const dto = (id: string, minute: number | null, incidentType = 'failedJob') => ({
    id,
    incidentType,
    incidentTimestamp: minute === null ? null : at(minute),
    processInstanceId: `pi-${id}`,
  });

  it('asks the engine to sort and bound every request', async () => {
    const seen = mockGet('/incident', () => [dto('a', 5)], 1);
    const list = await listIncidents(mockedEngineClient(), { ...NONE, processDefinitionKeys: ['invoice'] }, 'desc', 3);
    expect(seen).toEqual([{ processDefinitionKeyIn: 'invoice', sortBy: 'incidentTimestamp', sortOrder: 'desc', firstResult: '0', maxResults: '3' }]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'a', processInstanceId: 'pi-a' });
    expect(list[0]!.createdAt?.toISOString()).toBe('2024-05-01T10:05:00.000Z');
  });

  it('merges the newest across combinations, newest first, up to the limit', async () => {
    const pages: Record<string, unknown[]> = {
      failedJob: [dto('j9', 59), dto('j5', 30), dto('j1', 1)],
      custom: [dto('c8', 45, 'custom'), dto('c7', 31, 'custom'), dto('c2', 2, 'custom')],
    };
    const seen = mockGet('/incident', (q) => pages[q.incidentType!], 2);
    const list = await listIncidents(mockedEngineClient(), { ...NONE, incidentTypes: ['failedJob', 'custom'] }, 'desc', 3);
    expect(list.map((i) => i.id)).toEqual(['j9', 'c8', 'c7']);
    expect(seen.map((q) => [q.incidentType, q.sortOrder, q.maxResults])).toEqual(
      expect.arrayContaining([
        ['failedJob', 'desc', '3'],
        ['custom', 'desc', '3'],
      ]),
    );
  });

  it('merges the oldest across combinations, oldest first', async () => {
    const pages: Record<string, unknown[]> = {
      A: [dto('a1', 1), dto('a4', 4)],
      B: [dto('b2', 2), dto('b3', 3)],
    };
    mockGet('/incident', (q) => pages[q.activityId!], 2);
    const list = await listIncidents(mockedEngineClient(), { ...NONE, activityIds: ['A', 'B'] }, 'asc', 3);
    expect(list.map((i) => i.id)).toEqual(['a1', 'b2', 'b3']);
  });

  it('returns fewer than the limit when there are fewer', async () => {
    mockGet('/incident', () => [dto('x', 1)], 2);
    const list = await listIncidents(mockedEngineClient(), { ...NONE, incidentTypes: ['a', 'b'] }, 'desc', 10);
    expect(list.map((i) => i.id)).toEqual(['x', 'x']);
  });

  it('puts incidents without a readable timestamp last when newest come first', async () => {
    mockGet('/incident', () => [dto('undated', null), dto('late', 50), dto('early', 10)], 1);
    const list = await listIncidents(mockedEngineClient(), NONE, 'desc', 5);
    expect(list.map((i) => i.id)).toEqual(['late', 'early', 'undated']);
    expect(list[2]!.createdAt).toBeUndefined();
  });

  it('puts incidents without a readable timestamp last when oldest come first, too', async () => {
    mockGet('/incident', () => [dto('undated', null), dto('late', 50), dto('early', 10)], 1);
    const list = await listIncidents(mockedEngineClient(), NONE, 'asc', 5);
    expect(list.map((i) => i.id)).toEqual(['early', 'late', 'undated']);
  });

  it('makes no request for a limit of 0', async () => {
    await expect(listIncidents(mockedEngineClient(), NONE, 'desc', 0)).resolves.toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('rejects a page of the wrong shape', async () => {
    mockGet('/incident', () => ({ id: 'not a list' }), 1);
    await expect(listIncidents(mockedEngineClient(), NONE, 'desc', 5)).rejects.toThrow(/expected a list of incidents/);
  });
});
