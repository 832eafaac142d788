import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { incidentsCheck } from '../../src/checks/incidents';
import { incidentDto, statisticsRowDto } from '../support/fixtures';
import { MOCK_ENGINE, MOCK_REST_URL, useStrictNock } from '../support/nock';
import { expectUsageError, runInProcess } from '../support/run-plugin';

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

const FAILURE_LINE =
  'failedJob in payment (v3) at ServiceTask_Charge, 5m ago: Payment API 503 https://c.test/cockpit/#/process-instance/pi-leaf/runtime?tab=incidents-tab; ' +
  'called (2 call levels) from order (v1), top-level instance pi-top https://c.test/cockpit/#/process-instance/pi-top/runtime';

/** Open incidents, and of them created within --new-window: all but `other`. */
function mockCounts(open: number): void {
  nock(ENGINE)
    .get('/engine-rest/incident/count')
    .query(true)
    .times(2)
    .reply(function () {
      const recent = new URL(this.req.path, ENGINE).searchParams.has('incidentTimestampAfter');
      return [200, { count: recent ? Math.min(open, 3) : open }];
    });
}

function mockList(incidents: unknown[], chains: Query[] = []): void {
  nock(ENGINE)
    .get('/engine-rest/incident')
    .query((q) => q.sortBy === 'incidentTimestamp')
    .reply(200, incidents);
  nock(ENGINE)
    .get('/engine-rest/incident')
    .query((q) => q.rootCauseIncidentId !== undefined && (chains.push(q as Query), true))
    .optionally()
    .reply(200, [root, mid, top]);
}

describe('check_camunda_incidents with call activities', () => {
  it('lists a failure once, at its root cause, and names the top-level instance, from the page alone when it holds the chain', async () => {
    mockCounts(4);
    const chains: Query[] = [];
    mockList([top, mid, root, other], chains);
    const result = await run();
    expect(result.status).toBe('CAMUNDA INCIDENTS WARNING - 4 open incidents (warning), 3 new in the last 15m, oldest 2h');
    expect(result.details).toEqual([
      'Failures at their root cause, newest first:',
      FAILURE_LINE,
      'failedJob in order (v1) at ServiceTask_1, 2h ago: Mail server down https://c.test/cockpit/#/process-instance/pi-x/runtime?tab=incidents-tab',
    ]);
    expect(result.stdout).not.toContain('(no message)');
    expect(chains).toEqual([]);
  });

  it('reads the chain when a filter may hide its levels: -k on the calling definition still finds the root cause', async () => {
    mockCounts(1);
    nock(ENGINE).get('/engine-rest/process-definition/count').query(true).reply(200, { count: 1 });
    const chains: Query[] = [];
    mockList([top], chains);
    const result = await run('-k', 'order');
    expect(chains).toEqual([{ rootCauseIncidentId: 'inc-root', firstResult: '0', maxResults: '50' }]);
    expect(result.details).toEqual(['Filter: process definition order', 'Failures at their root cause, newest first:', FAILURE_LINE]);
  });

  it('judges failures counted once across call levels with --failures-warning, from the root incident statistics (Statistics.xml:193)', async () => {
    mockCounts(4);
    mockList([top, mid, root, other]);
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
    expect(result.status).toBe('CAMUNDA INCIDENTS OK - 4 open incidents, 2 failures, 3 new in the last 15m, oldest 2h');
    expect(result.perfdata.failures).toBe('2;2;;0');
  });

  it('counts no failures, and asks no statistics, unless a failures threshold is given', async () => {
    mockCounts(0);
    const result = await run();
    expect(result.perfdata.failures).toBeUndefined();
  });

  it('refuses --failures-* with --activity-id: the statistics have no activity', async () => {
    expectUsageError(await run('--failures-critical', '5', '--activity-id', 'Task_A'), 'CAMUNDA INCIDENTS', 'cannot be combined with --activity-id');
  });
});
