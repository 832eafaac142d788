import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { incidentsCheck } from '../../src/checks/incidents';
import { parseCamundaDate } from '../../src/camunda/dates';
import { incidentDto, processDefinitionDto } from '../support/fixtures';
import { MOCK_ENGINE, MOCK_REST_URL, useStrictNock } from '../support/nock';
import { expectUsageError, perfValue, runInProcess } from '../support/run-plugin';

const ENGINE = MOCK_ENGINE;
const REST_URL = MOCK_REST_URL;
type Query = Record<string, string>;

useStrictNock();

const run = (...args: string[]) => runInProcess(incidentsCheck, ['--url', REST_URL, ...args]);

/** Mocks the two counts; `newCount` answers the query that carries incidentTimestampAfter. */
function mockCounts(open: number, recent: number, seen: Query[] = []): void {
  nock(ENGINE)
    .get('/engine-rest/incident/count')
    .times(2)
    .query((q) => {
      seen.push(q as Query);
      return true;
    })
    .reply(function () {
      const q = Object.fromEntries(new URL(this.req.path, ENGINE).searchParams);
      return [200, { count: 'incidentTimestampAfter' in q ? recent : open }];
    });
}

/** Answers the deployment check of -k keys: every key is deployed unless listed in `missing`. */
function mockDeployedKeys(times: number, missing: readonly string[] = [], seen: Query[] = []): void {
  nock(ENGINE)
    .get('/engine-rest/process-definition/count')
    .times(times)
    .query((q) => (seen.push(q as Query), true))
    .reply(function () {
      const key = new URL(this.req.path, ENGINE).searchParams.get('key') ?? '';
      return [200, { count: missing.includes(key) ? 0 : 2 }];
    });
}

describe('check_camunda_incidents', () => {
  it('is OK without incidents and asks only for the two counts', async () => {
    const seen: Query[] = [];
    mockCounts(0, 0, seen);
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA INCIDENTS OK - no open incidents');
    expect(result.perfdata).toEqual({ incidents: '0;0;;0', new_incidents: '0;;;0', oldest_incident_age: '0s;;;0' });
    expect(seen).toHaveLength(2);
    expect(seen.every((q) => q.processDefinitionKeyIn === undefined && q.incidentType === undefined)).toBe(true);
    expect(result.details).toEqual([]);
  });

  it('warns on any open incident by default and lists them with definition key, version and Cockpit link', async () => {
    // invoice's id has the engine's <key>:<version>:<generated id> form; order's key was too long for it.
    const orderId = 'b7e0c1d2-2046-11e7-8f94-34f39ab71d4e';
    const now = new Date();
    mockCounts(2, 1);
    const listed: Query[] = [];
    nock(ENGINE)
      .get('/engine-rest/incident')
      .query((q) => (listed.push(q as Query), true))
      .reply(200, [
        incidentDto({ now, ageSeconds: 120, id: 'i2', processInstanceId: 'pi-2', incidentMessage: 'Connection refused', processDefinitionId: 'invoice:2:x' }),
        incidentDto({ now, ageSeconds: 36000, id: 'i1', processInstanceId: 'pi-1', incidentType: 'failedExternalTask', activityId: 'Task_Archive', failedActivityId: 'Task_Archive', incidentMessage: 'Worker timeout', processDefinitionId: orderId, tenantId: 'acme' }),
      ]);
    const definitionQueries: Query[] = [];
    nock(ENGINE)
      .get('/engine-rest/process-definition')
      .query((q) => (definitionQueries.push(q as Query), true))
      .reply(200, [processDefinitionDto({ key: 'order', version: 1, id: orderId })]);

    const result = await run('--cockpit-url', 'https://camunda.test/camunda/app/cockpit/default/');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA INCIDENTS WARNING - 2 open incidents (warning), 1 new in the last 15m, oldest 10h');
    expect(perfValue(result, 'incidents')).toBe(2);
    expect(perfValue(result, 'new_incidents')).toBe(1);
    expect(perfValue(result, 'oldest_incident_age')).toBeGreaterThanOrEqual(36000);
    expect(perfValue(result, 'oldest_incident_age')).toBeLessThan(36005);
    // All incidents fit into the list: the oldest comes from it, no second list request.
    expect(listed).toEqual([{ sortBy: 'incidentTimestamp', sortOrder: 'desc', firstResult: '0', maxResults: '2' }]);
    expect(definitionQueries).toEqual([{ processDefinitionIdIn: orderId, firstResult: '0', maxResults: '1' }]);
    expect(result.details).toEqual([
      'Failures at their root cause, newest first:',
      'failedJob in invoice (v2) at ServiceTask_1, 2m ago: Connection refused https://camunda.test/camunda/app/cockpit/default/#/process-instance/pi-2/runtime?tab=incidents-tab',
      'failedExternalTask in order (v1) [tenant acme] at Task_Archive, 10h ago: Worker timeout https://camunda.test/camunda/app/cockpit/default/#/process-instance/pi-1/runtime?tab=incidents-tab',
    ]);
  });

  it('is CRITICAL beyond -c and names each metric in trouble', async () => {
    mockCounts(12, 3);
    nock(ENGINE).get('/engine-rest/incident').query(true).times(2).reply(200, [incidentDto()]);
    const result = await run('-w', '5', '-c', '10', '--new-warning', '2', '--oldest-critical', '86400');
    expect(result.code).toBe(2);
    expect(result.status).toMatch(/^CAMUNDA INCIDENTS CRITICAL - 12 open incidents \(critical\), 3 new in the last 15m \(warning\), oldest 10m$/);
    expect(result.perfdata.incidents).toBe('12;5;10;0');
    expect(result.perfdata.new_incidents).toBe('3;2;;0');
    expect(result.perfdata.oldest_incident_age).toMatch(/^60\ds;;86400;0$/);
  });

  it('goes critical on new incidents with --new-critical even when the open count is tolerated', async () => {
    mockCounts(1, 1);
    nock(ENGINE).get('/engine-rest/incident').query(true).reply(200, [incidentDto({ ageSeconds: 30 })]);
    const result = await run('-w', '5', '--new-critical', '0');
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA INCIDENTS CRITICAL - 1 open incident, 1 new in the last 15m (critical), oldest 30s');
  });

  it('lists only the newest N of many and asks the engine for the oldest separately', async () => {
    const now = new Date();
    mockCounts(57, 0);
    const listed: Query[] = [];
    nock(ENGINE)
      .get('/engine-rest/incident')
      .times(2)
      .query((q) => (listed.push(q as Query), true))
      .reply(function () {
        const order = new URL(this.req.path, ENGINE).searchParams.get('sortOrder');
        if (order === 'asc') return [200, [incidentDto({ now, ageSeconds: 3 * 86400, id: 'old' })]];
        return [200, [1, 2, 3].map((i) => incidentDto({ now, ageSeconds: i * 60, id: `new${i}` }))];
      });
    // The page's oldest incident may have calling levels' copies of the same time beyond the page: its chain is read.
    const chains: Query[] = [];
    nock(ENGINE)
      .get('/engine-rest/incident')
      .query((q) => q.rootCauseIncidentId !== undefined && (chains.push(q as Query), true))
      .reply(200, [incidentDto({ now, ageSeconds: 180, id: 'new3' })]);
    const result = await run('--list', '3');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA INCIDENTS WARNING - 57 open incidents (warning), 0 new in the last 15m, oldest 3d');
    expect(listed.filter((q) => q.sortOrder).map((q) => `${q.sortOrder}:${q.maxResults}`).sort()).toEqual(['asc:1', 'desc:3']);
    expect(chains).toEqual([{ rootCauseIncidentId: 'new3', firstResult: '0', maxResults: '50' }]);
    expect(result.details[0]).toBe('Failures at their root cause, newest first (behind the newest 3 of 57 open incidents):');
    expect(result.details).toHaveLength(4);
  });

  it('with --list 0 prints no list but still measures the oldest incident', async () => {
    mockCounts(4, 0);
    nock(ENGINE)
      .get('/engine-rest/incident')
      .query({ sortBy: 'incidentTimestamp', sortOrder: 'asc', firstResult: '0', maxResults: '1' })
      .reply(200, [incidentDto({ ageSeconds: 7200 })]);
    const result = await run('--list', '0');
    expect(result.code).toBe(1);
    expect(result.details).toEqual([]);
    expect(perfValue(result, 'oldest_incident_age')).toBeGreaterThanOrEqual(7200);
  });

  it('sends key and tenant filters as lists, and one query per incident type and activity', async () => {
    const seen: Query[] = [];
    nock(ENGINE)
      .get('/engine-rest/incident/count')
      .times(8)
      .query((q) => (seen.push(q as Query), true))
      .reply(function () {
        const q = new URL(this.req.path, ENGINE).searchParams;
        // 1 + 2 + 3 + 4 over the four type × activity combinations.
        const count = (q.get('incidentType') === 'failedJob' ? 1 : 3) + (q.get('activityId') === 'A' ? 0 : 1);
        return [200, { count: q.has('incidentTimestampAfter') ? 0 : count }];
      });
    nock(ENGINE).get('/engine-rest/incident').query(true).times(4).reply(200, []);
    mockDeployedKeys(2);
    const result = await run(
      '-k', 'invoice', '-k', 'order', '--tenant-id', 't1',
      '--incident-type', 'failedJob', '--incident-type', 'failedExternalTask',
      '--activity-id', 'A', '--activity-id', 'B', '--list', '0',
    );
    expect(perfValue(result, 'incidents')).toBe(1 + 2 + 3 + 4);
    const combos = seen.filter((q) => !q.incidentTimestampAfter).map((q) => `${q.incidentType}/${q.activityId}`).sort();
    expect(combos).toEqual(['failedExternalTask/A', 'failedExternalTask/B', 'failedJob/A', 'failedJob/B']);
    expect(new Set(seen.map((q) => q.processDefinitionKeyIn))).toEqual(new Set(['invoice,order']));
    expect(new Set(seen.map((q) => q.tenantIdIn))).toEqual(new Set(['t1']));
    expect(result.details[0]).toBe('Filter: process definition invoice, order; type failedJob, failedExternalTask; tenant t1; activity A, B');
  });

  it('counts new incidents since now minus --new-window, in Camunda date format', async () => {
    const seen: Query[] = [];
    mockCounts(0, 0, seen);
    const before = Date.now();
    const result = await run('--new-window', '2h');
    const after = seen.find((q) => q.incidentTimestampAfter)?.incidentTimestampAfter;
    expect(after).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const sent = parseCamundaDate(after)!.getTime();
    expect(sent).toBeGreaterThanOrEqual(before - 2 * 3600_000 - 1000);
    expect(sent).toBeLessThanOrEqual(Date.now() - 2 * 3600_000 + 1000);
    expect(result.code).toBe(0);
  });

  it('keeps untrusted incident text from breaking the output', async () => {
    mockCounts(1, 0);
    nock(ENGINE)
      .get('/engine-rest/incident')
      .query(true)
      .reply(200, [
        incidentDto({
          incidentMessage: 'boom | x=1\nsecond line <script>alert(1)</script>' + 'y'.repeat(500),
          activityId: 'A|B',
          failedActivityId: null,
          processDefinitionId: 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e',
        }),
      ]);
    nock(ENGINE).get('/engine-rest/process-definition').query(true).reply(200, [processDefinitionDto({ key: "in'voice\n<b>", id: 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e' })]);
    const result = await run();
    expect(result.stdout.split('|')).toHaveLength(2);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(result.stdout).not.toMatch(/[<>]/);
    expect(result.details[1]!.length).toBeLessThan(400);
    expect(result.details[1]).toContain('boom ¦ x=1 second line ‹script›');
    expect(result.details[1]).toContain("failedJob in in'voice ‹b› (v1) at A¦B");
  });

  it('shows the definition id when the definition cannot be resolved', async () => {
    mockCounts(1, 0);
    nock(ENGINE).get('/engine-rest/incident').query(true).reply(200, [incidentDto({ processDefinitionId: 'd0d0d0d0-2046-11e7-8f94-34f39ab71d4e' })]);
    nock(ENGINE).get('/engine-rest/process-definition').query(true).reply(200, []);
    const result = await run();
    expect(result.details[1]).toMatch(/^failedJob in d0d0d0d0-2046-11e7-8f94-34f39ab71d4e at ServiceTask_1/);
  });

  it('names definitions from ids of the engine form without asking for them', async () => {
    const paths: string[] = [];
    const record = (req: { path: string }) => paths.push(new URL(req.path, ENGINE).pathname);
    nock.emitter.on('no match', record);
    try {
      mockCounts(3, 0);
      // One clock for all three: the check sorts by time, and a millisecond between them would reorder them.
      const now = new Date();
      nock(ENGINE)
        .get('/engine-rest/incident')
        .query(true)
        .reply(200, [
          incidentDto({ now, id: 'i3', processDefinitionId: 'invoice:12:c3a63aaa-2046-11e7-8f94-34f39ab71d4e' }),
          incidentDto({ now, id: 'i2', processDefinitionId: 'order:3:4711', tenantId: 'acme' }),
          incidentDto({ now, id: 'i1', processDefinitionId: 'invoice:12:c3a63aaa-2046-11e7-8f94-34f39ab71d4e' }),
        ]);
      const result = await run();
      expect(paths).toEqual([]);
      expect(result.code).toBe(1);
      expect(result.details.slice(1).map((line) => line.split(' at ')[0])).toEqual(['failedJob in invoice (v12)', 'failedJob in order (v3) [tenant acme]', 'failedJob in invoice (v12)']);
    } finally {
      nock.emitter.removeListener('no match', record);
    }
  });

  it('asks once for just the ids not of the engine form: bare ids, non-numeric versions, extra colons', async () => {
    const ids = ['c3a63aaa-2046-11e7-8f94-34f39ab71d4e', 'a:b:c', 'x:1:y:z'];
    mockCounts(4, 0);
    // One clock for all four: the check sorts by time, and a millisecond between them would reorder them.
    const now = new Date();
    nock(ENGINE)
      .get('/engine-rest/incident')
      .query(true)
      .reply(200, [...ids, 'invoice:2:c3a63aaa-2046-11e7-8f94-34f39ab71d4e'].map((processDefinitionId, i) => incidentDto({ id: `i${i}`, processDefinitionId, now })));
    const definitionQueries: Query[] = [];
    nock(ENGINE)
      .get('/engine-rest/process-definition')
      .query((q) => (definitionQueries.push(q as Query), true))
      .reply(200, ids.map((id, i) => processDefinitionDto({ id, key: `custom${i}`, version: 5 })));
    const result = await run();
    expect(definitionQueries).toEqual([{ processDefinitionIdIn: ids.join(','), firstResult: '0', maxResults: '3' }]);
    expect(result.details.slice(1).map((line) => line.split(' at ')[0])).toEqual([
      'failedJob in custom0 (v5)',
      'failedJob in custom1 (v5)',
      'failedJob in custom2 (v5)',
      'failedJob in invoice (v2)',
    ]);
  });

  it.each([
    [['-w', 'abc'], "--warning: invalid threshold range 'abc'"],
    [['-c', '10:5'], "--critical: invalid threshold range '10:5': start 10 is greater than end 5"],
    [['--new-warning', '1:2:3'], "--new-warning: invalid threshold range '1:2:3'"],
    [['--new-window', '5x'], "--new-window: invalid duration '5x'"],
    [['--new-window', '0'], '--new-window: must be at least 1 second'],
    [['--new-window', '0.4'], '--new-window: must be at least 1 second'],
    [['-k', ''], '--process-definition-key: empty value, leave the option out to not filter'],
    [['--incident-type', 'a', '--incident-type', ' '], '--incident-type: empty value'],
    [['--engine', 'a/b'], "--engine: 'a/b' is not a process engine name"],
    [['--username', 'me:you'], '--username: must not contain a colon'],
    [[...['a', 'b', 'c', 'd', 'e'].flatMap((t) => ['--incident-type', t]), ...['1', '2', '3', '4', '5'].flatMap((a) => ['--activity-id', a])], '5 --incident-type × 5 --activity-id values need 25 queries'],
    [['--list', '-1'], "--list: '-1' is not a whole number from 0 to 100"],
    [['--list', '101'], "--list: '101' is not a whole number from 0 to 100"],
    [['--list', 'ten'], "--list: 'ten' is not a whole number"],
    [['--cockpit-url', 'ftp://x'], "--cockpit-url: 'ftp://x' is not an http(s) URL"],
    [['--nonsense'], 'invalid command line: unknown option --nonsense'],
    [['-w'], 'invalid command line: -w needs a value'],
  ])('rejects %j with one UNKNOWN line', async (args, message) => {
    expectUsageError(await run(...args), 'CAMUNDA INCIDENTS', message);
  });

  it('ends UNKNOWN naming a --process-definition-key that is not deployed', async () => {
    mockCounts(0, 0);
    const seen: Query[] = [];
    mockDeployedKeys(3, ['invoce', 'odrer'], seen);
    const result = await run('-k', 'invoce', '-k', 'order', '-k', 'odrer', '--tenant-id', 'acme');
    expect(result.code).toBe(3);
    expect(result.status).toBe("CAMUNDA INCIDENTS UNKNOWN - no process definition is deployed with the keys 'invoce', 'odrer' for tenant acme: check --process-definition-key");
    expect(seen.map((q) => q.key).sort()).toEqual(['invoce', 'odrer', 'order']);
    expect(seen.every((q) => q.tenantIdIn === 'acme')).toBe(true);
  });

  it('counts a filter value given twice once', async () => {
    const seen: Query[] = [];
    mockCounts(3, 0, seen);
    nock(ENGINE).get('/engine-rest/incident').query(true).times(2).reply(200, []);
    mockDeployedKeys(1);
    const result = await run('--incident-type', 'failedJob', '--incident-type', 'failedJob', '-k', 'invoice', '-k', 'invoice', '--list', '2');
    expect(perfValue(result, 'incidents')).toBe(3);
    expect(seen).toHaveLength(2);
    expect(seen.every((q) => q.processDefinitionKeyIn === 'invoice' && q.incidentType === 'failedJob')).toBe(true);
  });

  it.each([
    ['90', '90s'],
    ['900', '15m'],
    ['5400', '90m'],
    ['2h', '2h'],
    ['1d', '1d'],
  ])('names --new-window %s as "%s" without rounding', async (window, shown) => {
    mockCounts(0, 0);
    const result = await run('--new-window', window, '--new-warning', '@0');
    expect(result.status).toBe(`CAMUNDA INCIDENTS WARNING - no open incidents, 0 new in the last ${shown} (warning)`);
  });

  it('lets the last of repeated thresholds win, also an empty one', async () => {
    mockCounts(5, 0);
    nock(ENGINE).get('/engine-rest/incident').query(true).times(3).reply(200, [incidentDto()]);
    const result = await run('-c', '3', '-c', '', '--list', '1');
    expect(result.code).toBe(1);
    expect(result.perfdata.incidents).toBe('5;0;;0');
  });

  it('does not judge the age of the oldest incident when there is none', async () => {
    mockCounts(0, 0);
    const result = await run('--oldest-warning', '10:');
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA INCIDENTS OK - no open incidents');
    expect(result.perfdata.oldest_incident_age).toBe('0s;10:;;0');
  });

  it('ends UNKNOWN when the time of the oldest incident cannot be read, instead of calling it 0s old', async () => {
    mockCounts(1, 0);
    nock(ENGINE).get('/engine-rest/incident').query(true).reply(200, [incidentDto({ incidentTimestamp: '24.11.2026 10:00' })]);
    const result = await run('--oldest-critical', '3600');
    expect(result.code).toBe(3);
    expect(result.status).toBe(
      "CAMUNDA INCIDENTS UNKNOWN - the oldest incident's time '24.11.2026 10:00' is not in Camunda's date format (yyyy-MM-dd'T'HH:mm:ss.SSSZ): check the engine's date format configuration",
    );
  });

  it('an empty -w switches the default warning off', async () => {
    mockCounts(3, 0);
    nock(ENGINE).get('/engine-rest/incident').query(true).reply(200, [incidentDto()]);
    const result = await run('-w', '');
    expect(result.code).toBe(0);
    expect(result.perfdata.incidents).toBe('3;;;0');
  });
});
