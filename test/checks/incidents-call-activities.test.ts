import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { incidentsCheck } from '../../src/checks/incidents';
import { incidentDto, statisticsRowDto } from '../support/fixtures';
import { MOCK_ENGINE, MOCK_REST_URL, useStrictNock } from '../support/nock';
import { incidentStore } from '../support/incident-store';
import { expectUsageError, perfValue, runInProcess } from '../support/run-plugin';

/*
 * A failure in a called process instance, as the engine stores it: IncidentEntity.createRecursiveIncidents
 * (engine/src/main/java/org/camunda/bpm/engine/impl/persistence/entity/IncidentEntity.java:82-111)
 * inserts one incident per calling level, of the same type, at the call activity (activity and
 * failed activity), without message, configuration or job definition, caused by the incident one
 * level down, with the original as root cause; create() (151-166) stamps it in the same transaction.
 *
 *   order v1      pi-top   CallActivity_Billing  inc-top   (copy, cause inc-mid)
 *   billing v2    pi-mid   CallActivity_Pay      inc-mid   (copy, cause inc-root)
 *   payment v3    pi-leaf  ServiceTask_Charge    inc-root  'Payment API 503'
 */
const ENGINE = MOCK_ENGINE;
type Query = Record<string, string>;

useStrictNock();

const run = (...args: string[]) => runInProcess(incidentsCheck, ['--url', MOCK_REST_URL, '--cockpit-url', 'https://c.test/cockpit', ...args]);

const now = new Date();
const copy = { incidentMessage: null, configuration: null, jobDefinitionId: null, rootCauseIncidentId: 'inc-root' } as const;
const root = incidentDto({ now, ageSeconds: 300, id: 'inc-root', processInstanceId: 'pi-leaf', processDefinitionId: 'payment:3:p', activityId: 'ServiceTask_Charge', failedActivityId: 'ServiceTask_Charge', incidentMessage: 'Payment API 503' });
const mid = incidentDto({ now, ageSeconds: 300, id: 'inc-mid', causeIncidentId: 'inc-root', processInstanceId: 'pi-mid', processDefinitionId: 'billing:2:b', activityId: 'CallActivity_Pay', failedActivityId: 'CallActivity_Pay', ...copy });
const top = incidentDto({ now, ageSeconds: 300, id: 'inc-top', causeIncidentId: 'inc-mid', processInstanceId: 'pi-top', processDefinitionId: 'order:1:o', activityId: 'CallActivity_Billing', failedActivityId: 'CallActivity_Billing', ...copy });
const other = incidentDto({ now, ageSeconds: 7200, id: 'inc-other', processInstanceId: 'pi-x', processDefinitionId: 'order:1:o', incidentMessage: 'Mail server down' });

const LINK = 'https://c.test/cockpit/#/process-instance';
const CALLED = `; called (2 call levels) from order (v1), top-level instance pi-top ${LINK}/pi-top/runtime`;

describe('check_camunda_incidents with call activities', () => {
  it('counts a failure once, at its root cause, and names the top-level instance, from the samples alone when they hold the chain', async () => {
    const seen = incidentStore([top, mid, root, other]);
    const result = await run();
    expect(result.status).toBe(
      'CAMUNDA INCIDENTS WARNING - 4 open incidents (warning), 3 new in the last 15m, oldest 2h, 2 causes, 1 new cause: largest 1 × failedJob in payment at ServiceTask_Charge: Payment API 503',
    );
    expect(result.details).toEqual([
      'Causes, largest first:',
      `1 × failedJob in payment (v3) at ServiceTask_Charge 5m ago (new): Payment API 503 ${LINK}/pi-leaf/runtime?tab=incidents-tab${CALLED}`,
      `1 × failedJob in order (v1) at ServiceTask_1 2h ago: Mail server down ${LINK}/pi-x/runtime?tab=incidents-tab`,
    ]);
    expect(result.stdout).not.toContain('(no message)');
    expect(seen.filter((r) => r.query.rootCauseIncidentId)).toEqual([]);
  });

  it('makes the copies its own cause when -k leaves the root cause out, described where the failure happened', async () => {
    const seen = incidentStore([top, mid, root, other]);
    const result = await run('-k', 'order', '--incident-type', 'failedJob');
    // The copies' chain, and the other cause's: -k may hide the calling levels of any failure.
    expect(seen.filter((r) => r.query.rootCauseIncidentId).map((r) => r.query.rootCauseIncidentId).sort()).toEqual(['inc-other', 'inc-root']);
    expect(perfValue(result, 'causes')).toBe(2);
    expect(result.details).toEqual([
      'Filter: process definition order; type failedJob',
      'Causes, largest first:',
      `1 × failedJob in order (v1) at CallActivity_Billing 5m ago (new): in called payment (v3) at ServiceTask_Charge: Payment API 503 ${LINK}/pi-leaf/runtime?tab=incidents-tab${CALLED}`,
      `1 × failedJob in order (v1) at ServiceTask_1 2h ago: Mail server down ${LINK}/pi-x/runtime?tab=incidents-tab`,
    ]);
  });

  it('judges failures counted once across call levels with --failures-warning, from the root incident statistics (Statistics.xml:193)', async () => {
    incidentStore([top, mid, root, other]);
    const statistics: Query[] = [];
    nock(ENGINE)
      .get('/engine-rest/process-definition/statistics')
      .query((q) => (statistics.push(q as Query), true))
      .reply(200, [
        statisticsRowDto({ key: 'payment', version: 3, incidents: { failedJob: 1 } }),
        statisticsRowDto({ key: 'order', version: 1, incidents: { failedJob: 1, failedExternalTask: 2 } }),
        statisticsRowDto({ key: 'billing', version: 2 }),
      ]);
    const result = await run('-w', '', '--failures-warning', '2', '--incident-type', 'failedJob');
    expect(statistics).toEqual([{ rootIncidents: 'true' }]);
    expect(result.code).toBe(0);
    expect(result.status).toMatch(/^CAMUNDA INCIDENTS OK - 4 open incidents, 2 failures, 3 new in the last 15m, oldest 2h, 2 causes, 1 new cause: /);
    expect(result.perfdata.failures).toBe('2;2;;0');
  });

  it('counts no failures, and asks no statistics, unless a failures threshold is given', async () => {
    incidentStore([]);
    const result = await run();
    expect(result.perfdata.failures).toBeUndefined();
  });

  it('refuses --failures-* with --activity-id: the statistics have no activity', async () => {
    expectUsageError(await run('--failures-critical', '5', '--activity-id', 'Task_A'), 'CAMUNDA INCIDENTS', 'cannot be combined with --activity-id');
  });
});
