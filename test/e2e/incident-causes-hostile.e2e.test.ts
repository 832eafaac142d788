import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSearchParams } from '../../src/camunda/client';
import { maskMessage } from '../../src/camunda/message-mask';
import { startSimulator, type IncidentScenario, type RunningSimulator, type Scenario } from '../../src/simulator';
import { runBuilt, type ProcessRun } from '../support/executables';

/*
 * The grouping by cause against hostile incidents, end to end: the built checks as processes
 * against the simulator, whose incidents hold every kind of text the engine can store in
 * INCIDENT_MSG_ (varchar(4000), activiti.postgres.create.engine.sql:264; a custom incident's
 * message is not trimmed, IncidentEntity.java:118, while a job's and an external task's are cut to
 * 666 characters, JobEntity.java:522-523, ExternalTaskEntity.java:305-310).
 */

const LONG_4000 = `Custom failure ${'abcdefghij'.repeat(400)}`.slice(0, 4000);

/** Messages, each the cause of `n` incidents at the same place. */
const MESSAGES: readonly [message: string | null, n: number][] = [
  ['Quota at 100% of 5% reserve (% sign)', 2],
  ['column my_col_name is null', 2],
  ['File C:\\temp\\in\\x.txt not found \\', 2],
  ['Array index [idx] out of bounds [abc] ]][[', 2],
  [`He said 'hello and "bye`, 2],
  ['1234567890', 3],
  ['%', 2],
  ['_', 2],
  ['\\', 2],
  ['%%__\\\\%_', 1],
  [LONG_4000, 2],
  ['ctl\u0001\u0002\u0007 bell \u001b[31mred\u001b[0m done', 2],
  ['nul\u0000byte', 2],
  ['first line\r\nsecond line', 2],
  ['a | b=1;2;3 | c', 2],
  ['<b>bold</b> <script>alert(1)</script> &amp;', 2],
  ['abc\u202Eevil\u202Dxyz', 2],
  ['boom 🔥💥 failed', 2],
  ['lone \uD800 surrogate \uDC00 here', 2],
  ['Connection refused', 3],
  ['CONNECTION REFUSED', 2],
  ['connection Refused', 1],
  // A message that is literally another cause's LIKE pattern.
  ['Timeout after 30s', 3],
  ['Timeout after %', 2],
  ['Rate limit_x hit at 30%', 2],
  [maskMessage('Rate limit_x hit at 30%').pattern!, 1],
  [null, 4],
];

const HOSTILE_KEY = 'key|with;semi=eq';
const HOSTILE_ACTIVITY = "act|1;'x'=<b>\u202E";

/** The hostile incidents, and with `outage` > 0 that many more of one cause amid them, so that the samples are not every incident. */
function hostileScenario(outage = 0): Scenario {
  const incidents: IncidentScenario[] = [];
  const instances: { ref: string; definition: string; started: string }[] = [];
  let n = 0;
  const add = (definition: string, incident: Omit<IncidentScenario, 'instance' | 'ago'>, ago = `${(n % 90) + 1}m`) => {
    const ref = `i${n++}`;
    instances.push({ ref, definition, started: '3h' });
    incidents.push({ ...incident, instance: ref, ago });
  };
  for (const [message, count] of MESSAGES) for (let k = 0; k < count; k++) add('invoice', { type: 'failedJob', activityId: 'ServiceTask_Post', message });
  // 100 KB, only over the wire: no database column holds it, the check must still stay small.
  add('order', { type: 'failedExternalTask', activityId: 'Task_Ship', message: 'y'.repeat(100 * 1024) });
  // Null messages at many places.
  for (let k = 0; k < 12; k++) add('order', { type: 'failedJob', activityId: `Task_${k}`, message: null });
  // Hostile keys, activity ids and custom incident types.
  add(HOSTILE_KEY, { type: 'failedJob', activityId: HOSTILE_ACTIVITY, message: 'x' });
  add(HOSTILE_KEY, { type: "custom|type;'%_\\", activityId: HOSTILE_ACTIVITY, message: 'y' });
  add(HOSTILE_KEY, { type: '%', activityId: '%', message: '%' });
  // Many causes that share a long prefix and differ in one word only.
  const prefix = 'com.acme.integration.GatewayException: call to partner system failed after retries exhausted, partner';
  for (const partner of ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta']) add('order', { type: 'failedJob', activityId: 'Task_Partner', message: `${prefix} ${partner} unreachable` });
  for (let k = 0; k < outage; k++) add('invoice', { type: 'failedJob', activityId: 'ServiceTask_SAP', message: `JCoException: Connection refused, request ${4711 + k}` }, `${30 + 7 * k}s`);
  return {
    engines: [
      {
        name: 'default',
        processDefinitions: [
          { key: 'invoice', versions: [{ version: 1 }] },
          { key: 'order', versions: [{ version: 1 }] },
          { key: HOSTILE_KEY, versions: [{ version: 1 }] },
        ],
        instances,
        incidents,
      },
    ],
  };
}

/** The count of each cause by the design (key, activity, type, masked message; root incidents only), largest first. */
function expectedCounts(scenario: Scenario): number[] {
  const causes = new Map<string, number>();
  const keys = new Map(scenario.engines[0]!.instances!.map((i) => [i.ref, i.definition]));
  for (const i of scenario.engines[0]!.incidents!) {
    // This test builds single incidents only, never series.
    if (!('instance' in i)) throw new Error('expectedCounts reads single incidents, not series');
    const id = JSON.stringify([keys.get(i.instance), i.activityId, i.type, maskMessage(i.message).text]);
    causes.set(id, (causes.get(id) ?? 0) + 1);
  }
  return [...causes.values()].sort((a, b) => b - a);
}

/** The counts of the causes listed in the long output, in their order. */
const listedCounts = (run: ProcessRun): number[] => run.details.map((line) => /^(\d+) × /.exec(line)).filter((m) => m !== null).map((m) => Number(m[1]));

const TOMCAT_MAX_HTTP_HEADER_SIZE = 8192;

/** The request line the client sent, rebuilt from the recorded query as the client encodes it (URLSearchParams). */
const requestLine = (path: string, query: Record<string, string>): string => `GET /engine-rest${path}?${toSearchParams(query)} HTTP/1.1`;

function expectWellFormed(run: ProcessRun, prefix: string): void {
  expect(run.stderr).toBe('');
  expect([0, 1, 2, 3]).toContain(run.code);
  expect(Buffer.byteLength(run.stdout)).toBeLessThanOrEqual(8192);
  const [status = '', ...details] = run.stdout.replace(/\n$/, '').split('\n');
  const bar = status.indexOf('|');
  const text = bar < 0 ? status : status.slice(0, bar);
  expect(text.trimEnd().length, text).toBeLessThanOrEqual(200);
  expect(text).toMatch(new RegExp(`^${prefix} (OK|WARNING|CRITICAL|UNKNOWN) - `));
  expect(text).not.toMatch(/;/);
  expect(status.split('|').length).toBeLessThanOrEqual(2);
  expect(details.filter((line) => line.includes('|'))).toEqual([]);
  // No control, format (bidi), surrogate or line separator characters, no markup.
  expect(run.stdout.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029<>]/u);
}

/** Every request answered, every pattern one the databases accept, every request line far below Tomcat's limit. */
function expectAcceptableRequests(requests: RunningSimulator['requests']): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    expect(r.status, `${r.path} ${JSON.stringify(r.query)}`).toBe(200);
    expect(r.ignored).toEqual([]);
    const like = r.query.incidentMessageLike;
    if (like === undefined) continue;
    // Oracle (ORA-01424), H2 and DB2 reject an escape before anything but %, _ and itself; SQL Server reads [ as a class.
    expect(like.replace(/\\[%_\\]/g, '')).not.toMatch(/[\\[]/);
    expect(like.length).toBeLessThanOrEqual(200);
  }
  const longest = Math.max(...requests.map((r) => Buffer.byteLength(requestLine(r.path, r.query))));
  expect(longest).toBeLessThan(TOMCAT_MAX_HTTP_HEADER_SIZE / 4);
}

/**
 * A proxy in front of the engine that makes the timestamps of the incidents whose message
 * matches `garble` unreadable, as a broken proxy or a foreign engine might.
 */
async function garblingProxy(target: string, garble: RegExp): Promise<{ url: string; close: () => Promise<void> }> {
  const base = new URL(target);
  const server = createServer((req, res) => {
    const upstream = httpRequest({ host: base.hostname, port: base.port, path: req.url, method: req.method, headers: { ...req.headers, 'accept-encoding': 'identity' } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        let body = Buffer.concat(chunks).toString('utf8');
        if (/^\/engine-rest\/incident(\?|$)/.test(req.url ?? '') && answer.statusCode === 200) {
          const list = JSON.parse(body) as { incidentMessage: string | null; incidentTimestamp: string }[];
          body = JSON.stringify(list.map((i) => (garble.test(i.incidentMessage ?? '') ? { ...i, incidentTimestamp: 'yesterday-ish' } : i)));
        }
        res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    upstream.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/engine-rest`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const small = hostileScenario();
const large = hostileScenario(400);
let smallEngine: RunningSimulator;
let largeEngine: RunningSimulator;

beforeAll(async () => {
  [smallEngine, largeEngine] = await Promise.all([startSimulator({ scenario: small }), startSimulator({ scenario: large })]);
});

afterAll(async () => {
  await Promise.all([smallEngine?.close(), largeEngine?.close()]);
});

async function runAgainst(engine: RunningSimulator, check: string, args: readonly string[], url = engine.url): Promise<{ run: ProcessRun; requests: RunningSimulator['requests'] }> {
  const before = engine.requests.length;
  const run = await runBuilt(check, ['--url', url, '-t', '10', ...args]);
  return { run, requests: engine.requests.slice(before) };
}

describe('check_camunda_incidents against hostile incident messages, every incident in the samples', () => {
  let run: ProcessRun;
  let requests: RunningSimulator['requests'];
  beforeAll(async () => {
    ({ run, requests } = await runAgainst(smallEngine, 'check_camunda_incidents', ['--list', '100', '--max-causes', '100']));
  });

  it('prints one well-formed status line, within 8 KiB and -t', () => {
    expectWellFormed(run, 'CAMUNDA INCIDENTS');
    expect(run.code).toBe(1);
    expect(run.elapsedMs).toBeLessThan(10_000);
  });

  it('sends only requests the engine and its databases accept', () => {
    expectAcceptableRequests(requests);
  });

  it('counts every cause exactly, also a message that is another cause’s LIKE pattern', () => {
    const expected = expectedCounts(small);
    expect(listedCounts(run)).toEqual(expected);
    expect(run.perfdata.causes).toBe(`${expected.length};;;0`);
    expect(run.details.filter((line) => / of the \d+ open incidents/.test(line))).toEqual([]);
  });
});

describe('check_camunda_incidents against hostile incident messages amid an outage', () => {
  let run: ProcessRun;
  let requests: RunningSimulator['requests'];
  beforeAll(async () => {
    ({ run, requests } = await runAgainst(largeEngine, 'check_camunda_incidents', ['--list', '100', '--max-causes', '100']));
  });

  it('prints one well-formed status line naming the outage, within 8 KiB and -t', () => {
    expectWellFormed(run, 'CAMUNDA INCIDENTS');
    expect(run.status).toContain('largest 400 × failedJob in invoice at ServiceTask_SAP');
    expect(run.elapsedMs).toBeLessThan(10_000);
  });

  it('sends only requests the engine and its databases accept', () => {
    expectAcceptableRequests(requests);
  });

  it('accounts for every incident once: the listed counts and the incidents said to be in no counted cause', () => {
    const open = Number(run.perfdata.incidents!.split(';')[0]);
    const unassigned = run.details.map((line) => /^(\d+) of the \d+ open incidents/.exec(line)).reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0);
    expect(listedCounts(run).reduce((a, b) => a + b, 0) + unassigned).toBe(open);
    expect(open).toBe(large.engines[0]!.incidents!.length);
  });
});

describe('check_camunda_incidents when incident timestamps are unreadable', () => {
  it.each([
    ['some causes', /^(Timeout|Connection)/i],
    ['every incident', /^/],
  ])('stays well-formed with unreadable times of %s', async (_what, garble) => {
    const proxy = await garblingProxy(smallEngine.url, garble);
    try {
      const { run } = await runAgainst(smallEngine, 'check_camunda_incidents', ['--list', '100'], proxy.url);
      expectWellFormed(run, 'CAMUNDA INCIDENTS');
      if (run.code === 3) expect(run.status).toMatch(/time/i);
    } finally {
      await proxy.close();
    }
  });
});

describe('check_camunda_definition against hostile incident messages', () => {
  it.each([
    [['-k', 'invoice']],
    [['-k', HOSTILE_KEY, '-k', 'order']],
    [[]],
  ])('prints a well-formed answer with causes for %j', async (args) => {
    for (const engine of [smallEngine, largeEngine]) {
      const { run, requests } = await runAgainst(engine, 'check_camunda_definition', args);
      expectWellFormed(run, 'CAMUNDA DEFINITION');
      expectAcceptableRequests(requests);
    }
  });
});
