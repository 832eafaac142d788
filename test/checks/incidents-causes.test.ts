import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { incidentsCheck } from '../../src/checks/incidents';
import { CAUSE_BUDGET, requestBound } from '../../src/camunda/incident-causes';
import { answer, demoIncidents, incidentStore, openIncidents, outageIncidents, word } from '../support/incident-store';
import { MOCK_ENGINE, MOCK_REST_URL, useStrictNock } from '../support/nock';
import { expectUsageError, perfValue, runInProcess } from '../support/run-plugin';

/*
 * check_camunda_incidents grouping by cause, against an engine holding the incidents
 * (test/support/incident-store.ts, the engine's filter semantics of Incident.xml:133-200).
 */

useStrictNock();

const COCKPIT = 'https://c.test/cockpit';
const run = (...args: string[]) => runInProcess(incidentsCheck, ['--url', MOCK_REST_URL, ...args]);
const now = new Date();
const MINUTE = 60;


describe('check_camunda_incidents by cause', () => {
  it('makes an outage of 2041 incidents one readable alert: three causes, the new one CRITICAL', async () => {
    const seen = incidentStore(outageIncidents(new Date()));
    const result = await run('--cockpit-url', COCKPIT, '--new-causes-critical', '0');
    expect(result.code).toBe(2);
    expect(result.status).toBe(
      'CAMUNDA INCIDENTS CRITICAL - 2041 open incidents (warning), 222 new in the last 15m, oldest 1d 2h, 3 causes, 1 new cause (critical): largest 2038 × failedJob in invoice at ServiceTask_PostToSAP',
    );
    expect(result.perfdata).toMatchObject({ incidents: '2041;0;;0', causes: '3;;;0', new_causes: '1;;0;0' });
    expect(result.details).toEqual([
      'Causes, largest first:',
      `2038 × failedJob in invoice (v2, v3) at ServiceTask_PostToSAP since 2h 10m (newest 1m ago): com.sap.conn.jco.JCoException: (102) JCO_ERROR_COMMUNICATION: Connection refused: sapgw00, request 4711 ${COCKPIT}/#/process-instance/pi-sap3-0/runtime?tab=incidents-tab`,
      `2 × failedJob in order (v1) at ServiceTask_SendConfirmation since 1d 2h: org.springframework.mail.MailSendException: Mail server connection failed, attempt 1 ${COCKPIT}/#/process-instance/pi-mail-0/runtime?tab=incidents-tab`,
      `1 × failedExternalTask in claims (v4) at Task_Score 6m ago (new): Scoring service answered 500 Internal Server Error ${COCKPIT}/#/process-instance/pi-score-0/runtime?tab=incidents-tab`,
    ]);
    // Two counts; the % count, newest and oldest page, four spread and four ordered pages; three
    // cause counts; the first incident of the cause the oldest page does not hold; no call chain
    // (all in the samples).
    expect(seen).toHaveLength(2 + 11 + 3 + 1);
  });

  it('on a small engine counts the causes in the newest page: the 7 incidents of the demo in 6 causes with 3 requests', async () => {
    const seen = incidentStore(demoIncidents(new Date()));
    const result = await run('--new-causes-critical', '0');
    expect(result.status).toBe(
      'CAMUNDA INCIDENTS CRITICAL - 7 open incidents (warning), 2 new in the last 15m, oldest 3d 4h, 6 causes, 2 new causes (critical): largest 1 × failedExternalTask in order at Task_ReserveStock',
    );
    expect(result.details.map((line) => line.split(': ')[0])).toEqual([
      'Causes, largest first:',
      '1 × failedExternalTask in order (v3) at Task_ReserveStock 6m ago (new)',
      '1 × failedJob in invoice (v2) at ServiceTask_PostToSAP 12m ago (new)',
      '1 × failedJob in invoice (v2) at ServiceTask_PostToSAP 47m ago',
      '1 × kycCheckFailed in onboarding (v1) [tenant acme] at Task_VerifyIdentity 5h ago',
      '1 × failedJob in order (v2) at ServiceTask_SendConfirmation 1d 2h ago',
      '1 × failedJob in invoice (v1) at ServiceTask_ArchiveInvoice 3d 4h ago',
    ]);
    expect(result.details[4]).toMatch(/; called \(1 call level\) from order \(v3\), top-level instance pi-order-new-customer$/);
    // The open and new counts, the newest page: no % count, no cause count, no first incident, no call chain.
    expect(seen.map((r) => (r.path === '/incident' ? `page ${r.query.maxResults}` : `count ${Object.keys(r.query).join(',')}`))).toEqual(['count ', 'count incidentTimestampAfter', 'page 100']);
  });

  it('from 100 incidents on samples and counts each cause as before: a full page is no proof of being all', async () => {
    const incidents = [
      ...openIncidents({ count: 98, prefix: 'sap', message: (n) => `Connection refused, request ${n}`, ageSeconds: (n) => 60 + n, now }),
      ...openIncidents({ count: 2, prefix: 'mail', activityId: 'Task_Mail', message: () => 'Mail server down', ageSeconds: (n) => 3600 + n, now }),
    ];
    const seen = incidentStore(incidents);
    const result = await run();
    expect(result.details.slice(1).map((line) => line.split(' at ')[0])).toEqual(['98 × failedJob in invoice (v1)', '2 × failedJob in invoice (v1)']);
    // Two counts; the % count, newest and oldest page, four ordered pages; two cause counts.
    expect(seen).toHaveLength(2 + 7 + 2);
  });

  it('sends as many requests for 10 000 incidents as for 1000', async () => {
    const sizes: number[] = [];
    for (const count of [999, 9999]) {
      const incidents = [0, 1, 2].flatMap((cause) =>
        openIncidents({ count: count / 3, prefix: `c${cause}`, activityId: `Task_${word(cause)}`, message: (n) => `Failure ${word(cause)} for order ${n}`, ageSeconds: (n) => 60 + n * 2 + cause, now }),
      );
      const seen = incidentStore(incidents);
      const result = await run();
      expect(result.details.slice(1).map((line) => line.split(' at ')[0])).toEqual(Array(3).fill(`${count / 3} × failedJob in invoice (v1)`));
      sizes.push(seen.length);
      nock.cleanAll();
    }
    expect(sizes[0]).toBe(sizes[1]);
    expect(sizes[0]).toBeLessThanOrEqual(2 + requestBound(1, CAUSE_BUDGET));
  });

  it('with more causes than --max-causes shows the largest known and says what is left, within the request bound', async () => {
    const incidents = Array.from({ length: 300 }, (_, cause) =>
      openIncidents({ count: cause < 5 ? 30 : 2, prefix: `k${cause}`, activityId: 'Task_Any', message: (n) => `Service ${word(cause)} unavailable, try ${n}`, ageSeconds: (n) => 20 * MINUTE + cause * 7 + n * 2100, now }),
    ).flat();
    const seen = incidentStore(incidents);
    const result = await run('--list', '5');
    expect(result.details.slice(1, 6).map((line) => line.split(' × ')[0])).toEqual(['30', '30', '30', '30', '30']);
    expect(result.details[6]).toBe('20 more causes not shown (--list 5)');
    const remainder = /^(\d+) of the 740 open incidents with a message are in no counted cause \((\d+) more causes seen beyond --max-causes 25\): at least (\d+) causes, the counts above are exact$/.exec(result.details[7]!);
    expect(remainder).not.toBeNull();
    const [, left, seenMore, total] = remainder!.map(Number);
    expect(left).toBe(740 - 5 * 30 - 20 * 2);
    expect(total).toBe(25 + seenMore!);
    expect(perfValue(result, 'causes')).toBe(total);
    expect(result.status).toMatch(new RegExp(`, at least ${total} causes: largest 30 × failedJob in invoice at Task_Any: Service `));
    expect(seen.length).toBeLessThanOrEqual(2 + requestBound(1, CAUSE_BUDGET));
  });

  it('says how many incidents without message are in no counted cause, and what they may be', async () => {
    const outage = openIncidents({ count: 150, prefix: 'sap', message: (n) => `Connection refused, request ${n}`, ageSeconds: (n) => 60 + n, now });
    const root = openIncidents({ count: 1, prefix: 'root', definitionId: 'payment:1:p', message: () => 'Payment API 503', ageSeconds: () => 130.5, now })[0]!;
    const copy = { ...root, id: 'copy', causeIncidentId: root.id, processDefinitionId: 'order:1:o', activityId: 'CallActivity', failedActivityId: 'CallActivity', incidentMessage: null };
    incidentStore([...outage, root, copy]);
    const result = await run();
    expect(perfValue(result, 'causes')).toBe(2);
    expect(result.details.at(-1)).toBe(
      "1 of the 1 open incidents without message are in no counted cause: calling levels' copies of failures in called instances (each counted once, at its root cause) or failures without message the samples did not show",
    );
  });

  it('keeps the status line within 200 characters when every figure is annotated', async () => {
    incidentStore(outageIncidents(new Date()));
    const result = await run('-c', '10', '--new-critical', '5', '--oldest-critical', '60', '--causes-critical', '1', '--new-causes-critical', '0', '--list', '1');
    expect(result.status).toBe(
      'CAMUNDA INCIDENTS CRITICAL - 2041 open incidents (critical), 222 new in the last 15m (critical), oldest 1d 2h (critical), 3 causes (critical), 1 new cause (critical)',
    );
    expect(result.details[0]).toBe('Causes, largest first:');
  });

  it('judges --causes-warning on the number of causes', async () => {
    incidentStore(outageIncidents(new Date()));
    const result = await run('-w', '', '--causes-warning', '2', '--list', '0');
    expect(result.code).toBe(1);
    expect(result.status).toMatch(/, 3 causes \(warning\), 1 new cause: largest 2038 × /);
    expect(result.perfdata.causes).toBe('3;2;;0');
  });

  it('ends with one UNKNOWN line when a cause count fails partway', async () => {
    const incidents = outageIncidents(new Date());
    nock(MOCK_ENGINE)
      .persist()
      .get(/^\/engine-rest\/incident(\/count)?$/)
      .query(true)
      .reply(function (uri) {
        const url = new URL(uri, MOCK_ENGINE);
        const query = Object.fromEntries(url.searchParams);
        if (query.incidentMessageLike?.startsWith('org.springframework')) return [500, { type: 'ProcessEngineException', message: 'database gone' }];
        return answer(incidents, [], url.pathname.replace('/engine-rest', ''), query)!;
      });
    const result = await run();
    expect(result.code).toBe(3);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(result.status).toBe('CAMUNDA INCIDENTS UNKNOWN - engine error (HTTP 500 ProcessEngineException) for GET /incident/count on http://camunda.test:8080/engine-rest: database gone');
  });

  it.each([
    [['--max-causes', '0'], "--max-causes: '0' is not a whole number from 1 to 100"],
    [['--max-causes', '101'], "--max-causes: '101' is not a whole number from 1 to 100"],
    [['--causes-warning', 'x'], "--causes-warning: invalid threshold range 'x'"],
    [['--new-causes-critical', '5:1'], '--new-causes-critical: invalid threshold range'],
  ])('rejects %j with one UNKNOWN line', async (args, message) => {
    expectUsageError(await run(...args), 'CAMUNDA INCIDENTS', message);
  });
});
