import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { incidentsCheck } from '../../src/checks/incidents';
import { parseCamundaDate } from '../../src/camunda/dates';
import { incidentDto } from '../support/fixtures';
import { incidentStore, openIncidents } from '../support/incident-store';
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
    expect(result.perfdata).toEqual({ incidents: '0;0;;0', new_incidents: '0;;;0', oldest_incident_age: '0s;;;0', causes: '0;;;0', new_causes: '0;;;0' });
    expect(seen).toHaveLength(2);
    expect(seen.every((q) => q.processDefinitionKeyIn === undefined && q.incidentType === undefined)).toBe(true);
    expect(result.details).toEqual([]);
  });

  it('warns on any open incident by default and lists the causes with definition key, version and Cockpit link', async () => {
    // invoice's id has the engine's <key>:<version>:<generated id> form; order's key was too long for it.
    const orderId = 'b7e0c1d2-2046-11e7-8f94-34f39ab71d4e';
    const now = new Date();
    const seen = incidentStore(
      [
        incidentDto({ now, ageSeconds: 120, id: 'i2', processInstanceId: 'pi-2', incidentMessage: 'Connection refused', processDefinitionId: 'invoice:2:x' }),
        incidentDto({ now, ageSeconds: 36000, id: 'i1', processInstanceId: 'pi-1', incidentType: 'failedExternalTask', activityId: 'Task_Archive', failedActivityId: 'Task_Archive', incidentMessage: 'Worker timeout', processDefinitionId: orderId, tenantId: 'acme' }),
      ],
      [{ id: orderId, key: 'order', version: 1, tenantId: 'acme' }],
    );

    const result = await run('--cockpit-url', 'https://camunda.test/camunda/app/cockpit/default/');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA INCIDENTS WARNING - 2 open incidents (warning), 1 new in the last 15m, oldest 10h, 2 causes, 1 new cause: largest 1 × failedJob in invoice at ServiceTask_1: Connection refused');
    expect(result.perfdata).toMatchObject({ incidents: '2;0;;0', new_incidents: '1;;;0', causes: '2;;;0', new_causes: '1;;;0' });
    expect(perfValue(result, 'oldest_incident_age')).toBeGreaterThanOrEqual(36000);
    expect(perfValue(result, 'oldest_incident_age')).toBeLessThan(36005);
    // All incidents fit into the newest page: no oldest page; each cause counted; the bare id asked for once.
    expect(seen.filter((r) => r.path === '/incident').map((r) => r.query)).toEqual([{ sortBy: 'incidentTimestamp', sortOrder: 'desc', firstResult: '0', maxResults: '100' }]);
    expect(seen.filter((r) => r.path === '/process-definition').map((r) => r.query)).toEqual([{ processDefinitionIdIn: orderId, firstResult: '0', maxResults: '1' }]);
    expect(result.details).toEqual([
      'Causes, largest first:',
      '1 × failedJob in invoice (v2) at ServiceTask_1 2m ago (new): Connection refused https://camunda.test/camunda/app/cockpit/default/#/process-instance/pi-2/runtime?tab=incidents-tab',
      '1 × failedExternalTask in order (v1) [tenant acme] at Task_Archive 10h ago: Worker timeout https://camunda.test/camunda/app/cockpit/default/#/process-instance/pi-1/runtime?tab=incidents-tab',
    ]);
  });

  it('is CRITICAL beyond -c and names each metric in trouble', async () => {
    const now = new Date();
    incidentStore(openIncidents({ count: 12, prefix: 'i', message: () => 'Connection refused', ageSeconds: (n) => (n < 3 ? 60 : 1200), now }));
    const result = await run('-w', '5', '-c', '10', '--new-warning', '2', '--oldest-critical', '86400');
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA INCIDENTS CRITICAL - 12 open incidents (critical), 3 new in the last 15m (warning), oldest 20m, 1 cause: 12 × failedJob in invoice at ServiceTask_1: Connection refused');
    expect(result.perfdata.incidents).toBe('12;5;10;0');
    expect(result.perfdata.new_incidents).toBe('3;2;;0');
    expect(result.perfdata.oldest_incident_age).toMatch(/^120\ds;;86400;0$/);
  });

  it('goes critical on new incidents with --new-critical even when the open count is tolerated', async () => {
    incidentStore([incidentDto({ ageSeconds: 30 })]);
    const result = await run('-w', '5', '--new-critical', '0');
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA INCIDENTS CRITICAL - 1 open incident, 1 new in the last 15m (critical), oldest 30s, 1 cause, 1 new cause: 1 × failedJob in invoice at ServiceTask_1: Connection refused');
  });

  it('shows --list causes, largest first, and says how many more there are', async () => {
    const now = new Date();
    const incidents = ['Alpha', 'Beta', 'Gamma', 'Delta'].flatMap((name, cause) =>
      openIncidents({ count: 10 * (cause + 1), prefix: name, activityId: `Task_${name}`, message: (n) => `${name} failed for order ${n}`, ageSeconds: (n) => 3 * 86400 - cause * 3600 - n * 60, now }),
    );
    incidentStore(incidents);
    const result = await run('--list', '2');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA INCIDENTS WARNING - 100 open incidents (warning), 0 new in the last 15m, oldest 3d, 4 causes: largest 40 × failedJob in invoice at Task_Delta: Delta failed for order 39');
    expect(result.details.map((line) => line.split(':')[0])).toEqual([
      'Causes, largest first',
      '40 × failedJob in invoice (v1) at Task_Delta since 2d 21h (newest 2d 20h ago)',
      '30 × failedJob in invoice (v1) at Task_Gamma since 2d 22h (newest 2d 21h ago)',
      '2 more causes not shown (--list 2)',
    ]);
  });

  it('with --list 0 prints no list but still measures the oldest incident', async () => {
    const now = new Date();
    incidentStore(openIncidents({ count: 4, prefix: 'i', message: () => 'x', ageSeconds: (n) => 7200 - n, now }));
    const result = await run('--list', '0');
    expect(result.code).toBe(1);
    expect(result.details).toEqual([]);
    expect(perfValue(result, 'oldest_incident_age')).toBeGreaterThanOrEqual(7200);
    expect(perfValue(result, 'causes')).toBe(1);
  });

  it('sends key and tenant filters as lists, and one query per incident type and activity', async () => {
    const now = new Date();
    // 1 + 2 + 3 + 4 over the four type × activity combinations.
    const incidents = [
      ['failedJob', 'A', 1],
      ['failedJob', 'B', 2],
      ['failedExternalTask', 'A', 3],
      ['failedExternalTask', 'B', 4],
    ].flatMap(([type, activity, count]) =>
      openIncidents({ count: count as number, prefix: `${type}${activity}`, incidentType: type as string, activityId: activity as string, tenantId: 't1', definitionId: 'order:1:o', message: () => 'Broken', ageSeconds: () => 3600, now }),
    );
    const seen = incidentStore(incidents, [{ id: 'invoice:1:i', key: 'invoice', version: 1 }]);
    const result = await run(
      '-k', 'invoice', '-k', 'order', '--tenant-id', 't1',
      '--incident-type', 'failedJob', '--incident-type', 'failedExternalTask',
      '--activity-id', 'A', '--activity-id', 'B', '--list', '0',
    );
    expect(perfValue(result, 'incidents')).toBe(1 + 2 + 3 + 4);
    expect(perfValue(result, 'causes')).toBe(4);
    const counts = seen.filter((r) => r.path === '/incident/count').map((r) => r.query);
    const combos = counts.filter((q) => !q.incidentTimestampAfter && !q.incidentMessageLike).map((q) => `${q.incidentType}/${q.activityId}`).sort();
    expect(combos).toEqual(['failedExternalTask/A', 'failedExternalTask/B', 'failedJob/A', 'failedJob/B']);
    const combinationQueries = counts.filter((q) => q.incidentMessageLike !== 'Broken');
    expect(new Set(combinationQueries.map((q) => q.processDefinitionKeyIn))).toEqual(new Set(['invoice,order']));
    expect(new Set(counts.map((q) => q.tenantIdIn))).toEqual(new Set(['t1']));
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
    incidentStore(
      [
        incidentDto({
          incidentMessage: 'boom | x=1\nsecond line <script>alert(1)</script>' + 'y'.repeat(500),
          activityId: 'A|B',
          failedActivityId: null,
          processDefinitionId: 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e',
        }),
      ],
      [{ key: "in'voice\n<b>", id: 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e', version: 1 }],
    );
    const result = await run();
    expect(result.stdout.split('|')).toHaveLength(2);
    expect(result.stdout).not.toMatch(/[<>]/);
    const line = result.details.find((l) => l.startsWith('1 × '))!;
    expect(line.length).toBeLessThan(400);
    expect(line).toContain('boom ¦ x=1 second line ‹script›');
    expect(line).toContain("failedJob in in'voice ‹b› (v1) at A¦B");
    expect(result.status.length).toBeLessThanOrEqual(200);
  });

  it('stays within 8 KiB with a hundred hostile causes, whole lines only', async () => {
    const now = new Date();
    const hostile = (n: number) => `${'\u202e<img src=x onerror=alert(1)>|;'.repeat(50)} ${String.fromCharCode(65 + (n % 26))}${String.fromCharCode(65 + Math.floor(n / 26))} \n${'z'.repeat(3000)}`;
    const incidents = Array.from({ length: 100 }, (_, n) =>
      openIncidents({ count: 1, prefix: `h${n}`, activityId: `Task_${'|<>'.repeat(40)}${n}`, definitionId: `k${'x'.repeat(60)}:1:${n}`, message: () => hostile(n), ageSeconds: () => 60 + n, now })[0]!,
    );
    incidentStore(incidents);
    const result = await run('--list', '100', '--max-causes', '100', '--cockpit-url', 'https://c.test/cockpit');
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(8191);
    expect(result.stdout.split('\n')[0]!.split(' | ')[0]!.length).toBeLessThanOrEqual(200);
    expect(result.stdout).not.toMatch(/[<>\u202e]/);
    expect(result.stdout.split('|')).toHaveLength(2);
    expect(result.details.at(-1)).toMatch(/^… and \d+ more lines not shown \(output limit\)$/);
  });

  it('shows the definition id when the definition cannot be resolved', async () => {
    incidentStore([incidentDto({ processDefinitionId: 'd0d0d0d0-2046-11e7-8f94-34f39ab71d4e' })]);
    const result = await run();
    expect(result.details[1]).toMatch(/^1 × failedJob in d0d0d0d0-2046-11e7-8f94-34f39ab71d4e at ServiceTask_1/);
  });

  it('names definitions from ids of the engine form without asking for them', async () => {
    const now = new Date();
    const seen = incidentStore([
      incidentDto({ now, id: 'i3', processDefinitionId: 'invoice:12:c3a63aaa-2046-11e7-8f94-34f39ab71d4e', incidentMessage: 'one' }),
      incidentDto({ now, ageSeconds: 700, id: 'i2', processDefinitionId: 'order:3:4711', tenantId: 'acme', incidentMessage: 'two' }),
      incidentDto({ now, ageSeconds: 800, id: 'i1', processDefinitionId: 'invoice:11:c3a63aaa-2046-11e7-8f94-34f39ab71d4e', incidentMessage: 'one' }),
    ]);
    const result = await run();
    expect(seen.filter((r) => r.path.startsWith('/process-definition'))).toEqual([]);
    expect(result.code).toBe(1);
    expect(result.details.slice(1).map((line) => line.split(' at ')[0])).toEqual(['2 × failedJob in invoice (v11, v12)', '1 × failedJob in order (v3) [tenant acme]']);
  });

  it('asks once for just the ids not of the engine form: bare ids, non-numeric versions, extra colons', async () => {
    const ids = ['c3a63aaa-2046-11e7-8f94-34f39ab71d4e', 'a:b:c', 'x:1:y:z'];
    const now = new Date();
    const seen = incidentStore(
      [...ids, 'invoice:2:c3a63aaa-2046-11e7-8f94-34f39ab71d4e'].map((processDefinitionId, i) => incidentDto({ id: `i${i}`, processDefinitionId, now, ageSeconds: 600 + i })),
      ids.map((id, i) => ({ id, key: `custom${i}`, version: 5 })),
    );
    const result = await run();
    expect(seen.filter((r) => r.path === '/process-definition').map((r) => r.query)).toEqual([{ processDefinitionIdIn: ids.join(','), firstResult: '0', maxResults: '3' }]);
    expect(result.details.slice(1).map((line) => line.split(' at ')[0])).toEqual([
      '1 × failedJob in custom0 (v5)',
      '1 × failedJob in custom1 (v5)',
      '1 × failedJob in custom2 (v5)',
      '1 × failedJob in invoice (v2)',
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
    const seen = incidentStore(openIncidents({ count: 3, prefix: 'i', message: () => 'x', ageSeconds: () => 60, now: new Date() }));
    const result = await run('--incident-type', 'failedJob', '--incident-type', 'failedJob', '-k', 'invoice', '-k', 'invoice', '--list', '2');
    expect(perfValue(result, 'incidents')).toBe(3);
    const counts = seen.filter((r) => r.path === '/incident/count' && !r.query.incidentMessageLike).map((r) => r.query);
    expect(counts).toHaveLength(2);
    expect(counts.every((q) => q.processDefinitionKeyIn === 'invoice' && q.incidentType === 'failedJob')).toBe(true);
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
    incidentStore(openIncidents({ count: 5, prefix: 'i', message: () => 'x', ageSeconds: () => 60, now: new Date() }));
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
    incidentStore([incidentDto({ incidentTimestamp: '24.11.2026 10:00' })]);
    const result = await run('--oldest-critical', '3600');
    expect(result.code).toBe(3);
    expect(result.status).toBe(
      "CAMUNDA INCIDENTS UNKNOWN - the oldest incident's time '24.11.2026 10:00' is not in Camunda's date format (yyyy-MM-dd'T'HH:mm:ss.SSSZ): check the engine's date format configuration",
    );
  });

  it('an empty -w switches the default warning off', async () => {
    incidentStore([incidentDto()]);
    const result = await run('-w', '');
    expect(result.code).toBe(0);
    expect(result.perfdata.incidents).toBe('1;;;0');
  });
});
