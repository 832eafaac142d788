import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { CAUSE_BUDGET, describeCauses, findIncidentCauses } from '../../src/camunda/incident-causes';
import { formatCamundaDate } from '../../src/camunda/dates';
import { likeMatches } from '../../src/camunda/like';
import { ENGINE_MESSAGE_LENGTH, maskMessage } from '../../src/camunda/message-mask';
import { incidentQueries, type IncidentFilter } from '../../src/camunda/incidents';
import { countPerQuery } from '../../src/camunda/queries';
import type { IncidentDto } from '../../src/camunda/types';
import { incidentStore, openIncidents } from '../support/incident-store';
import { incidentsCheck } from '../../src/checks/incidents';
import { MOCK_ENGINE, MOCK_REST_URL, mockedEngineClient, useStrictNock } from '../support/nock';
import { runInProcess } from '../support/run-plugin';

/*
 * Incidents as the engine source makes them, beyond those of process instances (engine-source
 * audit of issue 15; camunda/camunda-bpm-platform).
 */

useStrictNock();

const NONE: IncidentFilter = { processDefinitionKeys: [], incidentTypes: [], tenantIds: [], activityIds: [] };
const now = new Date();
const NEW_SINCE = new Date(now.getTime() - 15 * 60_000);

async function causesOf(incidents: readonly IncidentDto[]) {
  const seen = incidentStore(incidents);
  const client = mockedEngineClient();
  const open = await countPerQuery(client, '/incident/count', incidentQueries(NONE));
  const before = seen.length;
  const result = await findIncidentCauses(client, NONE, open, NEW_SINCE, CAUSE_BUDGET);
  return { result, requests: seen.slice(before) };
}

/**
 * A failed batch job's incident: a batch job has no execution and its job definition no process
 * definition or activity (BatchJobDeclaration.java:35-37 resolveExecution null; BatchEntity.java:297-307
 * createBatchJobDefinition sets configuration and tenant only), so the incident has neither
 * (JobEntity.java:378-383, createIncidentContext), only the batch's job definition.
 */
function batchIncidents(count: number, jobDefinitionId: string, age: number, message: (n: number) => string): IncidentDto[] {
  return openIncidents({ count, prefix: `batch-${jobDefinitionId}`, message, ageSeconds: (n) => age + n, now }).map((i) => ({
    ...i,
    processDefinitionId: null,
    processInstanceId: null,
    executionId: null,
    activityId: null,
    failedActivityId: null,
    jobDefinitionId,
  }));
}

describe('incidents outside any process definition (failed batch jobs)', () => {
  it('counts them exactly by their job definition, never with an empty processDefinitionId', async () => {
    const process = openIncidents({ count: 300, prefix: 'sap', activityId: 'ServiceTask_Post', message: (n) => `Connection refused, request ${n}`, ageSeconds: (n) => n, now });
    const batchA = batchIncidents(120, 'jd-batch-a', 400, (n) => `Process instance ${n} cannot be migrated: ENGINE-23004 unmapped activity`);
    const batchB = batchIncidents(3, 'jd-batch-b', 3600, (n) => `Process instance ${n} cannot be migrated: ENGINE-23004 unmapped activity`);
    const { result, requests } = await causesOf([...process, ...batchA, ...batchB]);
    expect(result.causes.map((c) => [c.count, c.place.key, c.place.activityId, c.place.jobDefinitionId])).toEqual([
      [300, 'invoice', 'ServiceTask_Post', undefined],
      [120, undefined, null, 'jd-batch-a'],
      [3, undefined, null, 'jd-batch-b'],
    ]);
    expect(result.unassigned).toBe(0);
    expect(requests.filter((r) => r.query.processDefinitionId === '')).toEqual([]);
  });
});

describe('check_camunda_incidents on failed batch jobs', () => {
  it('names the place of incidents without process definition', async () => {
    incidentStore(batchIncidents(2, 'jd-batch-a', 400, (n) => `Process instance ${n} cannot be migrated`));
    const run = await runInProcess(incidentsCheck, ['--url', MOCK_REST_URL]);
    expect(run.status).toContain('2 × failedJob in no process definition at unknown activity');
    expect(run.details[1]).toMatch(/^2 × failedJob in no process definition at unknown activity since 6m/);
  });
});

describe("maskMessage and the engine's cut of a job's message at 666 characters", () => {
  /** A Spring client's message whose URL query grows with the number of ids, cut as JobEntity.setExceptionMessage cuts it. */
  const cut = (ids: number) =>
    `I/O error on POST request for "https://erp.example.com/api/orders?ids=${Array.from({ length: ids }, (_, i) => 4711 + i).join(',')}": Connection refused; nested exception is java.net.ConnectException: Connection refused (Connection refused)`.slice(0, ENGINE_MESSAGE_LENGTH);

  it('gives one cause wherever the cut falls after a variable part', () => {
    const texts = new Set([100, 118, 119, 120, 121].map((ids) => maskMessage(cut(ids)).text));
    expect([...texts]).toEqual(['I/O error on POST request for "https://erp.example.com/api/orders?…']);
    for (const ids of [100, 118, 121]) expect(likeMatches(maskMessage(cut(ids)).pattern!, cut(ids))).toBe(true);
  });

  it('keeps a cut message without variable part whole, marked as cut', () => {
    const message = `Validation failed: ${'field must not be empty; '.repeat(30)}`.slice(0, ENGINE_MESSAGE_LENGTH);
    expect(maskMessage(message).text.endsWith('…')).toBe(true);
    expect(maskMessage(message).text.startsWith('Validation failed: field must not be empty; field')).toBe(true);
    // Shorter messages are not cut by the engine: their text ends where they end.
    expect(maskMessage('Connection refused (Connection refused)').text).toBe('Connection refused (Connection refused)');
  });
});

describe('an engine with queryMaxResultsLimit below the page size', () => {
  it("answers UNKNOWN with the engine's message (AbstractQuery.java:406-410, QueryMaxResultsLimitUtil.java:28-38)", async () => {
    nock(MOCK_ENGINE).persist().get('/engine-rest/incident').query(true).reply(400, { type: 'BadUserRequestException', message: 'Max results limit of 50 exceeded!' });
    incidentStore(openIncidents({ count: 3, prefix: 'x', message: () => 'Connection refused', ageSeconds: (n) => 60 + n, now }));
    const run = await runInProcess(incidentsCheck, ['--url', MOCK_REST_URL]);
    expect(run.code).toBe(3);
    expect(run.status).toContain('Max results limit of 50 exceeded!');
  });
});

describe('call chains read from the oldest page', () => {
  it('are read anew when a copy may lie beyond the page: each level is stamped with its own clock reading (IncidentEntity.java:161)', async () => {
    // 250 incidents of an outage, newer; 99 old ones; then a root cause at the page's edge, whose
    // two calling levels were stamped a millisecond later, like the page's last incident.
    const outage = openIncidents({ count: 250, prefix: 'sap', activityId: 'ServiceTask_SAP', message: (n) => `Connection refused, request ${n}`, ageSeconds: (n) => n, now });
    const old = openIncidents({ count: 98, prefix: 'old', activityId: 'Task_Old', message: (n) => `Old failure ${n}`, ageSeconds: (n) => 5000 + n, now });
    const rootAt = new Date(now.getTime() - 4000_000);
    const at = (ms: number) => formatCamundaDate(new Date(rootAt.getTime() + ms));
    const [root] = openIncidents({ count: 1, prefix: 'root', definitionId: 'payment:1:p', activityId: 'Task_Charge', message: () => 'Payment API 503', ageSeconds: () => 0, now });
    const rootIncident = { ...root!, incidentTimestamp: at(0) };
    const edge = { ...openIncidents({ count: 1, prefix: 'edge', activityId: 'Task_Old', message: () => 'Old failure 1', ageSeconds: () => 0, now })[0]!, incidentTimestamp: at(1) };
    const copies = [1, 2].map((level) => ({
      ...rootIncident,
      id: `zcopy${level}`,
      causeIncidentId: level === 1 ? rootIncident.id : 'zcopy1',
      processDefinitionId: `caller${level}:1:c`,
      processInstanceId: `pi-caller${level}`,
      activityId: 'CallActivity',
      failedActivityId: 'CallActivity',
      incidentMessage: null,
      incidentTimestamp: at(1),
    }));
    const incidents = [...outage, ...old, rootIncident, edge, ...copies];
    incidentStore(incidents);
    const client = mockedEngineClient();
    const open = await countPerQuery(client, '/incident/count', incidentQueries(NONE));
    const { causes } = await findIncidentCauses(client, NONE, open, NEW_SINCE, CAUSE_BUDGET);
    const payment = causes.find((c) => c.place.key === 'payment')!;
    const [failure] = await describeCauses(client, [payment], 1);
    expect(failure!.levels).toBe(2);
    expect(failure!.top.id).toBe('zcopy2');
  });
});

describe("maskMessage and the engine's cut far beyond the pattern's bound", () => {
  it('keeps the words that tell causes apart when the cut lies beyond the bounded pattern', () => {
    const message = (n: number, reason: string) => `Order ${n} rejected: ${reason} ${'because the partner system said so and gave no further details; '.repeat(12)}`.slice(0, ENGINE_MESSAGE_LENGTH);
    const texts = [maskMessage(message(4711, 'credit limit')).text, maskMessage(message(12, 'credit limit')).text, maskMessage(message(4711, 'address invalid')).text];
    expect(texts[0]).toBe(texts[1]);
    expect(texts[0]).not.toBe(texts[2]);
    expect(texts[0]).toMatch(/^Order … rejected: credit limit because/);
  });
});
