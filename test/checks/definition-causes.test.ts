import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { DEFINITION_CAUSE_BUDGET, definitionCheck } from '../../src/checks/definition';
import { requestBound } from '../../src/camunda/incident-causes';
import { statisticsRowDto } from '../support/fixtures';
import { incidentStore, openIncidents } from '../support/incident-store';
import { MOCK_ENGINE, MOCK_REST_URL, useStrictNock } from '../support/nock';
import { runInProcess } from '../support/run-plugin';

/*
 * check_camunda_definition lists the causes of each definition's open incidents under its line,
 * found with a small budget (src/camunda/incident-causes.ts): a few requests whatever the number
 * of definitions and incidents.
 */

useStrictNock();

const now = new Date();
const run = (...args: string[]) => runInProcess(definitionCheck, ['--url', MOCK_REST_URL, '--mode', 'statistics', ...args]);

const ROWS = [
  statisticsRowDto({ key: 'invoice', version: 2, instances: 70, incidents: { failedJob: 60 } }),
  statisticsRowDto({ key: 'invoice', version: 3, instances: 70, incidents: { failedJob: 60 } }),
  statisticsRowDto({ key: 'order', version: 1, instances: 12, incidents: { failedJob: 2 } }),
  statisticsRowDto({ key: 'reminder', version: 1, instances: 3 }),
];

function incidents() {
  return [
    ...[2, 3].flatMap((version) =>
      openIncidents({ count: 60, prefix: `sap${version}`, definitionId: `invoice:${version}:x`, activityId: 'ServiceTask_PostToSAP', message: (n) => `JCoException: Connection refused: request ${n}`, ageSeconds: (n) => 60 + 2 * n + version, now }),
    ),
    ...openIncidents({ count: 2, prefix: 'mail', definitionId: 'order:1:o', activityId: 'ServiceTask_Mail', message: (n) => `MailSendException: attempt ${n}`, ageSeconds: (n) => 30 + n, now }),
  ];
}

describe('check_camunda_definition by cause', () => {
  it('lists the causes under each definition, each counted exactly, in a few requests', async () => {
    nock(MOCK_ENGINE).get('/engine-rest/process-definition/statistics').query(true).reply(200, ROWS);
    const seen = incidentStore(incidents());
    const result = await run('-k', 'invoice', '-k', 'order', '-k', 'reminder', '--incidents-warning', '10');
    expect(result.code).toBe(1);
    expect(result.details).toEqual([
      'Selection: keys invoice, order, reminder',
      'invoice (Invoice Receipt): 140 instances, 120 incidents (warning) [failedJob 120], 0 failed jobs; 2 versions, latest 3',
      '  120 × failedJob at ServiceTask_PostToSAP (v2, v3): JCoException: Connection refused: request 0',
      'order (Invoice Receipt): 12 instances, 2 incidents [failedJob 2], 0 failed jobs; 1 version, latest 1',
      '  2 × failedJob at ServiceTask_Mail (v1): MailSendException: attempt 0',
      'reminder (Invoice Receipt): 3 instances, 0 incidents, 0 failed jobs; 1 version, latest 1',
    ]);
    // The newest 50 incidents, the % count, one count per cause.
    expect(seen.map((r) => r.path).sort()).toEqual(['/incident', '/incident/count', '/incident/count', '/incident/count']);
    expect(seen.find((r) => r.path === '/incident')!.query).toMatchObject({ processDefinitionKeyIn: 'invoice,order', maxResults: '50' });
    expect(seen.length).toBeLessThanOrEqual(requestBound(1, DEFINITION_CAUSE_BUDGET));
  });

  it('says what the newest incidents did not show, never guesses', async () => {
    nock(MOCK_ENGINE).get('/engine-rest/process-definition/statistics').query(true).reply(200, ROWS);
    // The mail failures are older than the newest 50 SAP failures.
    incidentStore(incidents().map((i) => (i.id!.startsWith('mail') ? { ...i, incidentTimestamp: '2020-01-01T00:00:00.000+0000' } : i)));
    const result = await run('-k', 'invoice', '-k', 'order');
    expect(result.details).toContain('  120 × failedJob at ServiceTask_PostToSAP (v2, v3): JCoException: Connection refused: request 0');
    expect(result.details.at(-1)).toBe(
      'Causes: 2 of the 122 open incidents with a message are in causes not listed (read: the newest 50, at most 3 causes counted; check_camunda_incidents -k KEY lists them all)',
    );
  });

  it('asks nothing about causes when no definition has incidents', async () => {
    nock(MOCK_ENGINE).get('/engine-rest/process-definition/statistics').query(true).reply(200, [ROWS[3]]);
    const seen = incidentStore([]);
    const result = await run('-k', 'reminder');
    expect(result.code).toBe(0);
    expect(seen).toEqual([]);
  });
});
