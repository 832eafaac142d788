/**
 * A small scenario whose every value the simulator tests can derive by hand, and
 * a fetch helper that checks each 200 response against the OpenAPI document.
 * The clock is fixed: "now" is 2024-03-01T12:00:00.000Z.
 */
import { expect } from 'vitest';
import type { RunningSimulator, Scenario } from '../../src/simulator';
import { stripEnginePrefix, validateResponse } from '../support/openapi';

export const NOW = new Date('2024-03-01T12:00:00.000Z');
export const clock = () => NOW;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/*
 * Incidents (timestamps at the fixed clock):
 *   I0 failedJob          @ServiceTask_Archive  inv1  (invoice v1)  2024-02-29T12:00Z
 *   I1 failedJob          @ServiceTask_Post     inv2a (invoice v2)  2024-03-01T10:00Z
 *   I2 failedExternalTask @Task_Ship            ord2  (order v2)    2024-03-01T11:30Z
 *   I3 documentCheck      @Task_Verify          onbA  (onboarding, tenant acme) 11:50Z, message null
 *   I4 failedJob          @CallActivity_Sub     inv2b (invoice v2, suspended)   10:00Z, I1's copy one level up:
 *      inv2b's call activity started inv2a; the engine adds it without message, configuration, job
 */
export const scenario: Scenario = {
  engines: [
    {
      name: 'default',
      processDefinitions: [
        { key: 'invoice', name: 'Invoice Receipt', versions: [{ version: 1 }, { version: 2, versionTag: '2.0', properties: { 'sla.maxDuration': 'PT4H', team: 'R&D <core>' } }] },
        { key: 'order', name: 'Order', category: 'http://example.com/orders', historyTimeToLive: null, versions: [{ version: 1, suspended: true }, { version: 2 }] },
        { key: 'onboarding', name: 'Onboarding', tenantId: 'acme', versions: [{ version: 1 }] },
        { key: 'onboarding', name: 'Onboarding', tenantId: 'globex', startableInTasklist: false, versions: [{ version: 1 }] },
      ],
      instances: [
        { ref: 'inv1', definition: 'invoice', version: 1, businessKey: 'INV-1', started: '2d' },
        { ref: 'inv2b', definition: 'invoice', businessKey: 'INV-3', started: '30m', suspended: true },
        { ref: 'inv2a', definition: 'invoice', businessKey: 'INV-2', started: '3h', calledBy: { instance: 'inv2b', activityId: 'CallActivity_Sub' } },
        { definition: 'invoice', businessKey: 'INV-BULK-{n}', started: '10m', every: '1m', count: 3 },
        { ref: 'ord2', definition: 'order', businessKey: 'ORD-1', started: '1h' },
        { ref: 'onbA', definition: 'onboarding', tenantId: 'acme', started: '20m' },
        { ref: 'onbG', definition: 'onboarding', tenantId: 'globex', started: '15m' },
      ],
      jobDefinitions: [
        { definition: 'invoice', activityId: 'Timer_Remind', jobType: 'timer-intermediate-transition', jobConfiguration: 'DURATION: PT5H' },
        {
          definition: 'invoice',
          version: 2,
          activityId: 'ServiceTask_Post',
          jobType: 'async-continuation',
          jobConfiguration: 'async-before',
          suspended: true,
          overridingJobPriority: 10,
        },
      ],
      jobs: [
        { instance: 'inv2a', activityId: 'Timer_Remind', created: '3h', due: '2h' },
        { instance: 'inv1', activityId: 'Timer_Remind', due: '-10m' },
        { instance: 'ord2', activityId: 'ServiceTask_Mail', created: '50m', due: '1m', retries: 2, exceptionMessage: 'smtp down', priority: 5 },
      ],
      incidents: [
        { instance: 'inv1', type: 'failedJob', activityId: 'ServiceTask_Archive', message: 'java.net.SocketTimeoutException: Read timed out', ago: '1d' },
        { ref: 'I1', instance: 'inv2a', type: 'failedJob', activityId: 'ServiceTask_Post', message: 'SAP posting failed | period closed', ago: '2h' },
        { instance: 'ord2', type: 'failedExternalTask', activityId: 'Task_Ship', message: 'Warehouse API 503', ago: '30m' },
        { instance: 'onbA', type: 'documentCheck', activityId: 'Task_Verify', message: null, configuration: 'DOC-1', ago: '10m' },
      ],
      tasks: [
        { instance: 'inv2a', taskDefinitionKey: 'UserTask_Approve', name: 'Approve', assignee: 'mary', due: '-1h' },
        { instance: 'inv2b', taskDefinitionKey: 'UserTask_Approve', name: 'Approve' },
        { instance: 'onbA', taskDefinitionKey: 'Task_Review', name: 'Review', due: '1d' },
      ],
    },
    {
      name: 'second',
      processDefinitions: [{ key: 'calm', versions: [{ version: 1 }] }],
      instances: [{ definition: 'calm', count: 2 }],
    },
  ],
};

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/**
 * GETs `path` (relative to the simulator's base URL) and, for a 200, asserts the
 * body is exactly the DTO shape the OpenAPI document defines.
 */
export async function get(sim: RunningSimulator, path: string, init?: RequestInit): Promise<Answer> {
  const response = await fetch(`${sim.url}${path}`, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status === 200) {
    const url = new URL(`${sim.url}${path}`);
    const { path: resource } = stripEnginePrefix(url.pathname, new URL(sim.url).pathname);
    expect(validateResponse('get', resource, 200, body, { exact: true }), `${path} answers with the documented DTO`).toEqual([]);
    expect(response.headers.get('content-type')).toBe('application/json');
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** GETs and returns the body of a 200 answer. */
export async function getOk<T = unknown>(sim: RunningSimulator, path: string): Promise<T> {
  const answer = await get(sim, path);
  expect(answer.status, `${path}: ${answer.text}`).toBe(200);
  return answer.body as T;
}

export const query = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;
