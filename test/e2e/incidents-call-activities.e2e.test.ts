import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { runBuilt } from '../support/executables';

/*
 * check_camunda_incidents against a call hierarchy as the engine stores its failures: order calls
 * billing, billing calls payment, payment's charge fails. The simulator adds the copies at both
 * call activities (IncidentEntity.java:82-111): four open incidents, two failures.
 */
const scenario: Scenario = {
  engines: [
    {
      name: 'default',
      processDefinitions: [
        { key: 'order', versions: [{ version: 1 }] },
        { key: 'billing', versions: [{ version: 1 }, { version: 2 }] },
        { key: 'payment', versions: [{ version: 3 }] },
      ],
      instances: [
        { ref: 'top', id: 'pi-order', definition: 'order', started: '2h' },
        { ref: 'mid', id: 'pi-billing', definition: 'billing', started: '2h', calledBy: { instance: 'top', activityId: 'CallActivity_Billing' } },
        { ref: 'leaf', id: 'pi-payment', definition: 'payment', started: '2h', calledBy: { instance: 'mid', activityId: 'CallActivity_Pay' } },
        { ref: 'alone', id: 'pi-alone', definition: 'order', started: '3h' },
      ],
      incidents: [
        { instance: 'leaf', type: 'failedJob', activityId: 'ServiceTask_Charge', message: 'Payment API 503', ago: '5m' },
        { instance: 'alone', type: 'failedJob', activityId: 'ServiceTask_Mail', message: 'Mail server down', ago: '2h' },
      ],
    },
  ],
};

const COCKPIT = 'https://c.test/cockpit';
const CALLED = `; called (2 call levels) from order (v1), top-level instance pi-order ${COCKPIT}/#/process-instance/pi-order/runtime`;
const FAILURE = `1 × failedJob in payment (v3) at ServiceTask_Charge 5m ago (new): Payment API 503 ${COCKPIT}/#/process-instance/pi-payment/runtime?tab=incidents-tab${CALLED}`;

let engine: RunningSimulator;
beforeAll(async () => {
  engine = await startSimulator({ scenario });
});
afterAll(async () => {
  await engine?.close();
});

describe('check_camunda_incidents with call activities', () => {
  it('groups each failure once under its root cause with the top-level instance, never a calling level as "(no message)"', async () => {
    const result = await runBuilt('check_camunda_incidents', ['--url', engine.url, '--cockpit-url', COCKPIT]);
    expect(result.status).toBe(
      'CAMUNDA INCIDENTS WARNING - 4 open incidents (warning), 3 new in the last 15m, oldest 2h, 2 causes, 1 new cause: largest 1 × failedJob in payment at ServiceTask_Charge: Payment API 503',
    );
    expect(result.perfdata).toMatchObject({ causes: '2;;;0', new_causes: '1;;;0' });
    expect(result.details).toEqual([
      'Causes, largest first:',
      FAILURE,
      `1 × failedJob in order (v1) at ServiceTask_Mail 2h ago: Mail server down ${COCKPIT}/#/process-instance/pi-alone/runtime?tab=incidents-tab`,
    ]);
    expect(result.stdout).not.toContain('(no message)');
  });

  it('makes the calling level its own cause with -k order, described by the root cause it reads', async () => {
    const before = engine.requests.length;
    const result = await runBuilt('check_camunda_incidents', ['--url', engine.url, '--cockpit-url', COCKPIT, '-k', 'order']);
    expect(result.details).toContain(
      `1 × failedJob in order (v1) at CallActivity_Billing 5m ago (new): in called payment (v3) at ServiceTask_Charge: Payment API 503 ${COCKPIT}/#/process-instance/pi-payment/runtime?tab=incidents-tab${CALLED}`,
    );
    // One chain per cause: -k may hide the calling levels of either failure.
    expect(engine.requests.slice(before).filter((r) => r.query.rootCauseIncidentId !== undefined)).toHaveLength(2);
  });

  it('counts failures once across call levels next to the incidents with --failures-warning', async () => {
    const result = await runBuilt('check_camunda_incidents', ['--url', engine.url, '-w', '', '--failures-warning', '1']);
    expect(result.code).toBe(1);
    expect(result.status).toMatch(/^CAMUNDA INCIDENTS WARNING - 4 open incidents, 2 failures \(warning\), 3 new in the last 15m, oldest 2h, 2 causes, 1 new cause: /);
    expect(result.perfdata).toMatchObject({ incidents: '4;;;0', failures: '2;1;;0' });
  });
});
