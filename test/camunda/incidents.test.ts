import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { CamundaError } from '../../src/camunda/errors';
import { countIncidents, incidentQueries, type IncidentFilter } from '../../src/camunda/incidents';
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
