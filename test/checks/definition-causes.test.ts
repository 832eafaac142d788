import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { DEFINITION_CAUSE_BUDGET, definitionCheck } from '../../src/checks/definition';
import { requestBound } from '../../src/camunda/incident-causes';
import { statisticsRowDto } from '../support/fixtures';
import { demoIncidents, incidentStore, openIncidents, word } from '../support/incident-store';
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

  describe('when the newest 50 are every incident of the selected definitions', () => {
    const DEMO_ROWS = [
      statisticsRowDto({ key: 'invoice', version: 1, instances: 4, incidents: { failedJob: 1 } }),
      statisticsRowDto({ key: 'invoice', version: 2, instances: 11, incidents: { failedJob: 2 } }),
      statisticsRowDto({ key: 'onboarding', version: 1, instances: 6, incidents: { kycCheckFailed: 1 } }),
      statisticsRowDto({ key: 'order', version: 2, instances: 3, incidents: { failedJob: 1 } }),
      statisticsRowDto({ key: 'order', version: 3, instances: 10, incidents: { failedExternalTask: 1, kycCheckFailed: 1 } }),
    ];

    it('lists every cause of the demo under its definition, counted in the page: one request, no note', async () => {
      nock(MOCK_ENGINE).get('/engine-rest/process-definition/statistics').query(true).reply(200, DEMO_ROWS);
      const seen = incidentStore(demoIncidents(now));
      const result = await run();
      expect(result.details.filter((line) => line.startsWith('  ')).map((line) => line.split(': ')[0])).toEqual([
        '  1 × failedJob at ServiceTask_PostToSAP (v2)',
        '  1 × failedJob at ServiceTask_PostToSAP (v2)',
        '  1 × failedJob at ServiceTask_ArchiveInvoice (v1)',
        '  1 × kycCheckFailed at Task_VerifyIdentity (v1)',
        '  1 × failedExternalTask at Task_ReserveStock (v3)',
        '  1 × failedJob at ServiceTask_SendConfirmation (v2)',
      ]);
      expect(result.details.some((line) => line.startsWith('Causes:'))).toBe(false);
      expect(seen.map((r) => [r.path, r.query.maxResults])).toEqual([['/incident', '50']]);
    });

    it('lists at most five causes per definition and counts the rest, each exact', async () => {
      nock(MOCK_ENGINE).get('/engine-rest/process-definition/statistics').query(true).reply(200, [statisticsRowDto({ key: 'invoice', version: 1, instances: 30, incidents: { failedJob: 28 } })]);
      const incidents = Array.from({ length: 7 }, (_, cause) =>
        openIncidents({ count: 7 - cause, prefix: `c${cause}`, definitionId: 'invoice:1:x', activityId: `Task_${'ABCDEFG'[cause]}`, message: (n) => `Failure ${n}`, ageSeconds: (n) => 60 + n, now }),
      ).flat();
      const seen = incidentStore(incidents);
      const result = await run('-k', 'invoice');
      expect(result.details.slice(2)).toEqual([
        '  7 × failedJob at Task_A (v1): Failure 0',
        '  6 × failedJob at Task_B (v1): Failure 0',
        '  5 × failedJob at Task_C (v1): Failure 0',
        '  4 × failedJob at Task_D (v1): Failure 0',
        '  3 × failedJob at Task_E (v1): Failure 0',
        '  2 more causes',
      ]);
      expect(seen).toHaveLength(1);
    });

    it('keeps within 8 KiB when 49 definitions each list a cause with a long hostile message', async () => {
      const keys = Array.from({ length: 49 }, (_, n) => `process-${word(n)}`);
      nock(MOCK_ENGINE).get('/engine-rest/process-definition/statistics').query(true).reply(200, keys.map((key) => statisticsRowDto({ key, instances: 1, incidents: { failedJob: 1 } })));
      const hostile = (n: number) => `<script>alert(${n})</script> ${'Ä\u0007|'.repeat(300)} ${'x'.repeat(3000)}`;
      incidentStore(keys.flatMap((key, n) => openIncidents({ count: 1, prefix: key, definitionId: `${key}:1:x`, message: () => hostile(n), ageSeconds: () => 60 + n, now })));
      const result = await run('-w', '0');
      expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(8191);
      expect(result.details.filter((line) => line.startsWith('  1 × failedJob at ServiceTask_1 (v1): ')).length).toBeGreaterThan(5);
      expect(result.details.at(-1)).toMatch(/^… and \d+ more lines not shown \(output limit\)$/);
      expect(result.stdout).not.toMatch(/<script>|\u0007/);
    });
  });
});
