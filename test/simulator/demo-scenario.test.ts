import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { get, getOk } from './fixture';

/* The scenario `npm run demo` shows: it must stay realistic and current. */
const DEMO = fileURLToPath(new URL('../../src/simulator/scenarios/demo.json', import.meta.url));
const NOW = new Date('2024-11-20T09:00:00.000Z');

interface Incident {
  incidentType: string;
  incidentTimestamp: string;
  incidentMessage: string | null;
  processDefinitionId: string;
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: loadScenario(DEMO), now: () => NOW, timezoneOffset: '+0100' });
});
afterAll(() => sim.close());

describe('the demo scenario', () => {
  it('has a default and a batch engine', async () => {
    expect(await getOk(sim, '/engine')).toEqual([{ name: 'default' }, { name: 'batch' }]);
    expect(await getOk(sim, '/engine/batch/process-instance/count')).toEqual({ count: 2 });
    expect(await getOk(sim, '/engine/batch/incident/count')).toEqual({ count: 0 });
  });

  it('deploys invoice v1-2, order v1-3, onboarding for tenant acme and reminder', async () => {
    const definitions = await getOk<{ key: string; version: number; tenantId: string | null; suspended: boolean }[]>(sim, '/process-definition?sortBy=key&sortOrder=asc');
    expect(definitions.map((d) => `${d.key}:${d.version}${d.tenantId ? `@${d.tenantId}` : ''}${d.suspended ? ' (suspended)' : ''}`).sort()).toEqual([
      'invoice:1',
      'invoice:2',
      'onboarding:1@acme',
      'order:1 (suspended)',
      'order:2',
      'order:3',
      'reminder:1',
    ]);
  });

  it('runs a few dozen instances', async () => {
    // The onboarding instance called by an order counts too, as in Camunda.
    expect(await getOk(sim, '/process-instance/count')).toEqual({ count: 37 });
    expect(await getOk(sim, '/process-instance/count?suspended=true')).toEqual({ count: 1 });
    expect(await getOk(sim, '/process-instance/count?withIncident=true')).toEqual({ count: 7 });
  });

  it('has seven open incidents of three types, on old and newest versions: six failures, one of them called from an order', async () => {
    const incidents = await getOk<Incident[]>(sim, '/incident');
    const perKeyAndType: Record<string, number> = {};
    for (const i of incidents) {
      const [key, version] = i.processDefinitionId.split(':');
      const name = `${key} v${version} ${i.incidentType}`;
      perKeyAndType[name] = (perKeyAndType[name] ?? 0) + 1;
    }
    expect(perKeyAndType).toEqual({
      'invoice v1 failedJob': 1,
      'invoice v2 failedJob': 2,
      'order v2 failedJob': 1,
      'order v3 failedExternalTask': 1,
      'onboarding v1 kycCheckFailed': 1,
      // The KYC check failed in an onboarding called by order v3: the engine adds the calling level's copy.
      'order v3 kycCheckFailed': 1,
    });
  });

  it('spreads incident ages from minutes to days', async () => {
    const incidents = await getOk<Incident[]>(sim, '/incident?sortBy=incidentTimestamp&sortOrder=asc');
    expect(incidents[0]!.incidentTimestamp).toBe('2024-11-17T06:00:00.000+0100'); // 3d4h ago
    expect(incidents.at(-1)!.incidentTimestamp).toBe('2024-11-20T09:54:00.000+0100'); // 6m ago
    expect(await getOk(sim, '/incident/count?incidentTimestampAfter=2024-11-20T09:45:00.000%2B0100')).toEqual({ count: 2 });
  });

  it('has Java exception messages, one with a pipe, a newline and HTML', async () => {
    const incidents = await getOk<Incident[]>(sim, '/incident');
    expect(incidents.filter((i) => /^[a-z]+(\.[a-z]+)+\.[A-Za-z]+(Exception|Error)\b/.test(i.incidentMessage ?? ''))).toHaveLength(5);
    const dirty = incidents.filter((i) => /\|/.test(i.incidentMessage!) && /\n/.test(i.incidentMessage!) && /<b>[^<]+<\/b>/.test(i.incidentMessage!));
    expect(dirty).toHaveLength(1);
    expect(dirty[0]!.processDefinitionId).toMatch(/^invoice:2:/);
  });

  it('suspends one job definition by itself, the SAP connector of invoice v2, and one with its process definition, order v1', async () => {
    const suspended = await getOk<{ activityId: string; processDefinitionId: string; jobType: string }[]>(sim, '/job-definition?suspended=true&sortBy=processDefinitionId&sortOrder=asc');
    expect(suspended).toHaveLength(2);
    expect(suspended[0]).toMatchObject({ activityId: 'ServiceTask_PostToSAP', jobType: 'async-continuation', processDefinitionId: expect.stringMatching(/^invoice:2:/) });
    // AbstractSetProcessDefinitionStateCmd.java:106-113: suspending order v1 suspended its job definitions.
    expect(suspended[1]).toMatchObject({ activityId: 'ServiceTask_SendConfirmation', processDefinitionId: expect.stringMatching(/^order:1:/) });
  });

  it('has timers (one overdue), a job in retry and failed jobs', async () => {
    expect(await getOk(sim, '/job/count?timers=true')).toEqual({ count: 4 });
    expect(await getOk(sim, '/job/count?timers=true&executable=true')).toEqual({ count: 1 });
    expect(await getOk(sim, '/job/count?noRetriesLeft=true')).toEqual({ count: 4 });
    expect(await getOk(sim, '/job/count?withRetriesLeft=true&withException=true')).toEqual({ count: 1 });
  });

  it('has an async continuation without due date that has waited 25 minutes', async () => {
    const jobs = await getOk<{ dueDate: string | null; processDefinitionKey: string }[]>(sim, '/job?executable=true&active=true&messages=true');
    expect(jobs.filter((job) => job.dueDate === null).map((job) => job.processDefinitionKey).sort()).toEqual(['onboarding', 'order']);
  });

  it('has user tasks, some overdue', async () => {
    expect(await getOk(sim, '/task/count')).toEqual({ count: 4 });
    expect(await getOk(sim, '/task/count?dueBefore=2024-11-20T10:00:00.000%2B0100')).toEqual({ count: 2 });
    expect(await getOk(sim, '/task/count?tenantIdIn=acme')).toEqual({ count: 1 });
  });

  it('carries SLA properties on the newest versions', async () => {
    const xml = await getOk<{ bpmn20Xml: string }>(sim, '/process-definition/key/order/xml');
    expect(xml.bpmn20Xml).toContain('<camunda:property name="sla.maxDuration" value="PT4H" />');
  });

  it.each([
    '/engine',
    '/version',
    '/incident',
    '/incident/count',
    '/process-definition',
    '/process-definition/count',
    '/process-definition/statistics?failedJobs=true&incidents=true',
    '/process-definition/statistics?rootIncidents=true',
    '/process-definition/key/invoice',
    '/process-instance/count',
    '/job',
    '/job/count',
    '/job-definition',
    '/job-definition/count',
    '/task/count',
    '/engine/batch/process-definition/statistics',
  ])('answers %s with exactly the documented DTOs', async (path) => {
    // `get` validates every 200 against the OpenAPI document in exact mode.
    expect((await get(sim, path)).status).toBe(200);
  });
});
