import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScenario, startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { fillTemplate } from '../../src/simulator/incident-series';
import { clock, getOk, NOW, query, UUID } from './fixture';

interface IncidentDto {
  id: string;
  processInstanceId: string;
  processDefinitionId: string;
  incidentTimestamp: string;
  incidentType: string;
  activityId: string;
  incidentMessage: string | null;
  configuration: string | null;
  rootCauseIncidentId: string;
}

/** 5 JCo failures (2 on v1, 3 on v2), 3 failures in a called billing instance, one single incident. */
const scenario: Scenario = {
  engines: [
    {
      name: 'default',
      processDefinitions: [
        { key: 'invoice', versions: [{ version: 1 }, { version: 2 }] },
        { key: 'billing', versions: [{ version: 4 }] },
        { key: 'order', versions: [{ version: 1 }] },
      ],
      instances: [{ ref: 'single', definition: 'order', started: '2d' }],
      incidents: [
        { instance: 'single', type: 'failedJob', activityId: 'ServiceTask_Mail', message: 'Mail server down', ago: '1d' },
        {
          count: 3, definition: 'invoice', version: 2, businessKey: 'INV-{n:4711}', type: 'failedJob', activityId: 'ServiceTask_PostToSAP',
          message: 'JCO_ERROR_COMMUNICATION: partner {int:1-9}.0.0.1:3300 not reached, TID {HEX:24}, document {n:4500012000}, at {timestamp}', ago: '2m', every: '30s',
        },
        { count: 2, definition: 'invoice', version: 1, type: 'failedJob', activityId: 'ServiceTask_PostToSAP', message: 'JCO_ERROR_COMMUNICATION: document {n:4500011000} {uuid}', ago: '1h', every: '1h' },
        {
          count: 3, definition: 'billing', calledBy: { definition: 'order', activityId: 'CallActivity_Billing' }, type: 'failedExternalTask', activityId: 'Task_Charge',
          message: 'Payment API answered 503 for {hex:8}', ago: '10m', every: '1m',
        },
      ],
    },
  ],
};

let sim: RunningSimulator;
let all: IncidentDto[];
beforeAll(async () => {
  sim = await startSimulator({ scenario, now: clock });
  all = await getOk<IncidentDto[]>(sim, `/incident${query({ sortBy: 'incidentTimestamp', sortOrder: 'desc' })}`);
});
afterAll(() => sim.close());

const at = (agoMs: number) => new Date(NOW.getTime() - agoMs).toISOString().replace('Z', '+0000');

describe('incident series (an incident entry with count)', () => {
  it('makes count incidents, each on an instance of its own, the newest `ago` old and each further one `every` earlier', () => {
    const sap = all.filter((i) => i.activityId === 'ServiceTask_PostToSAP');
    expect(sap).toHaveLength(5);
    expect(new Set(sap.map((i) => i.processInstanceId)).size).toBe(5);
    expect(sap.map((i) => i.incidentTimestamp)).toEqual([at(120_000), at(150_000), at(180_000), at(3_600_000), at(7_200_000)]);
    expect(sap.slice(0, 3).every((i) => i.processDefinitionId.startsWith('invoice:2:'))).toBe(true);
    expect(sap.slice(3).every((i) => i.processDefinitionId.startsWith('invoice:1:'))).toBe(true);
  });

  it('fills the placeholders per incident: numbers from a start, stable hex, UUIDs and integers, the timestamp', () => {
    const [first, second, third] = all.filter((i) => i.processDefinitionId.startsWith('invoice:2:')).map((i) => i.incidentMessage!);
    expect(first).toMatch(/^JCO_ERROR_COMMUNICATION: partner [1-9]\.0\.0\.1:3300 not reached, TID [0-9A-F]{24}, document 4500012000, at 2024-03-01T11:58:00\.000Z$/);
    expect(second).toMatch(/document 4500012001, at 2024-03-01T11:57:30\.000Z$/);
    expect(third).toMatch(/document 4500012002, /);
    expect(new Set([first, second, third].map((m) => /TID (\w+)/.exec(m!)![1])).size).toBe(3);
    const v1 = all.filter((i) => i.processDefinitionId.startsWith('invoice:1:')).map((i) => i.incidentMessage!);
    expect(v1.map((m) => m.split(' ')[2])).toEqual(['4500011000', '4500011001']);
    expect(v1.every((m) => UUID.test(m.split(' ')[3]!))).toBe(true);
  });

  it('is reproducible: the same scenario gives the same ids and messages', async () => {
    const again = await startSimulator({ scenario, now: clock });
    try {
      expect(await getOk<IncidentDto[]>(again, `/incident${query({ sortBy: 'incidentTimestamp', sortOrder: 'desc' })}`)).toEqual(all);
    } finally {
      await again.close();
    }
    expect(fillTemplate('{uuid} {hex:40} {int:5-5}', 7, 'seed', NOW)).toBe(fillTemplate('{uuid} {hex:40} {int:5-5}', 7, 'seed', NOW));
    expect(fillTemplate('{uuid} {uuid}', 1, 'seed', NOW).split(' ')[0]).not.toBe(fillTemplate('{uuid} {uuid}', 1, 'seed', NOW).split(' ')[1]);
    expect(fillTemplate('{"status":{n}} {other} {int:5-5}', 2, 'seed', NOW)).toBe('{"status":2} {other} 5');
  });

  it('gives each instance its business key and makes failed jobs and external tasks as single incidents do', async () => {
    const instances = await getOk<{ businessKey: string }[]>(sim, `/history/process-instance${query({ processDefinitionKey: 'invoice', sortBy: 'businessKey', sortOrder: 'asc' })}`);
    expect(instances.map((p) => p.businessKey).filter((k) => k !== null)).toEqual(['INV-4711', 'INV-4712', 'INV-4713']);
    expect(await getOk(sim, `/job/count${query({ noRetriesLeft: 'true', activityId: 'ServiceTask_PostToSAP' })}`)).toEqual({ count: 5 });
    expect(await getOk(sim, `/external-task/count${query({ noRetriesLeft: 'true' })}`)).toEqual({ count: 3 });
  });

  it('with calledBy, starts each instance from a new caller, so that every failure has its calling-level copy without message', async () => {
    const billing = all.filter((i) => i.activityId === 'Task_Charge');
    const copies = all.filter((i) => i.activityId === 'CallActivity_Billing');
    expect(billing).toHaveLength(3);
    expect(copies).toHaveLength(3);
    expect(copies.every((c) => c.incidentMessage === null && c.configuration === null && c.processDefinitionId.startsWith('order:1:'))).toBe(true);
    expect(copies.map((c) => c.rootCauseIncidentId).sort()).toEqual(billing.map((b) => b.id).sort());
    expect(new Set(copies.map((c) => c.processInstanceId)).size).toBe(3);
  });

  it.each([
    [{ count: 0, definition: 'x' }, 'incidents[0].count: expected a whole number from 1 to 1000000'],
    [{ count: 2, instance: 'a', definition: 'x' }, 'incidents[0].instance: an entry with "count" makes its own instances'],
    [{ count: 2 }, 'incidents[0].definition: expected a non-empty string'],
    [{ count: 2, definition: 'x', job: 'j' }, 'incidents[0].job: not with "count"'],
    [{ count: 2, definition: 'x', every: 'often' }, "incidents[0].every: invalid duration 'often'"],
    [{ count: 2, definition: 'x', message: 'a {int:9-1}' }, 'incidents[0].message: {int:9-1}: MIN exceeds MAX (placeholders: {n}'],
    [{ count: 2, definition: 'x', message: 'a {hex:99}' }, 'incidents[0].message: {hex:99}: from 1 to 40 hex digits'],
    [{ count: 2, definition: 'x', calledBy: { definition: 'y' } }, 'incidents[0].calledBy.activityId: expected a non-empty string'],
  ])('refuses %j', (entry, message) => {
    const engine = { name: 'default', incidents: [{ type: 'failedJob', activityId: 'A', message: 'm', ago: '1m', ...entry }] };
    expect(() => checkScenario({ engines: [engine] })).toThrow(message);
  });
});
