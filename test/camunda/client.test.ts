import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient, MAX_RESPONSE_BYTES, toSearchParams, type ClientContext } from '../../src/camunda/client';
import { connectionSecrets, type ConnectionOptions } from '../../src/camunda/connection';
import { CamundaError } from '../../src/camunda/errors';
import { arrayOf, countResult, incident } from '../../src/camunda/shapes';
import { createLogger, createRedactor, type Logger } from '../../src/plugin/log';
import { State } from '../../src/plugin/state';
import { createThrowawayPki, type ThrowawayPki } from '../support/tls';

const ORIGIN = 'http://camunda.test:8080';
const URL_ = `${ORIGIN}/engine-rest`;
const PASSWORD = 'correct-horse-battery';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.secret-token-value';
const BASIC = Buffer.from(`monitor:${PASSWORD}`).toString('base64');
const SECRETS = [PASSWORD, TOKEN, BASIC];

interface Captured extends Logger {
  readonly lines: string[];
}

function capturingLogger(): Captured {
  const lines: string[] = [];
  return { level: 3, lines, log: (level, message) => level <= 3 && lines.push(message) };
}

function connection(overrides: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return { url: URL_, tls: { insecure: false }, ...overrides };
}

const basic: ConnectionOptions['auth'] = { kind: 'basic', username: 'monitor', password: PASSWORD };
const bearer: ConnectionOptions['auth'] = { kind: 'bearer', token: TOKEN };

function context(log: Logger = capturingLogger(), ms = 2000, signal = new AbortController().signal): ClientContext {
  return { log, signal, deadline: Date.now() + ms, timeoutSeconds: ms / 1000 };
}

/** The CamundaError a request fails with; fails the test if it succeeds or throws anything else. */
async function failure(promise: Promise<unknown>): Promise<CamundaError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CamundaError);
    const camunda = error as CamundaError;
    expect(camunda.state).toBe(State.UNKNOWN);
    // One sentence: one line, no markup, no secret.
    expect(camunda.message).not.toMatch(/[\r\n<>]/);
    for (const secret of SECRETS) expect(camunda.message).not.toContain(secret);
    return camunda;
  }
  throw new Error('the request did not fail');
}

function expectNoSecretsIn(lines: readonly string[]): void {
  for (const line of lines) for (const secret of SECRETS) expect(line).not.toContain(secret);
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost') || host.includes('nonexistent.invalid'));
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, 'every mocked request was made').toEqual([]);
});
afterAll(() => {
  nock.enableNetConnect();
});

describe('toSearchParams', () => {
  it('joins lists with commas and leaves out undefined values and empty lists', () => {
    const params = toSearchParams({ a: 'x', b: undefined, c: [], d: ['k1', 'k2'], e: 0, f: false, g: '' });
    expect([...params]).toEqual([
      ['a', 'x'],
      ['d', 'k1,k2'],
      ['e', '0'],
      ['f', 'false'],
      ['g', ''],
    ]);
  });
});

describe('createCamundaClient', () => {
  it('reads a count', async () => {
    nock(ORIGIN).get('/engine-rest/incident/count').reply(200, { count: 7 });
    const client = createCamundaClient(connection(), context());
    await expect(client.get('/incident/count', {}, countResult)).resolves.toEqual({ count: 7 });
  });

  it('asks for JSON and sends no Authorization header without credentials', async () => {
    let headers: Record<string, unknown> = {};
    nock(ORIGIN)
      .get('/engine-rest/incident/count')
      .reply(function () {
        headers = this.req.headers;
        return [200, { count: 0 }];
      });
    await createCamundaClient(connection(), context()).get('/incident/count', {}, countResult);
    expect(headers.accept).toBe('application/json');
    expect(headers.authorization).toBeUndefined();
  });

  it('encodes the query exactly: lists comma-joined, nothing for undefined or empty, + in dates as %2B', async () => {
    let path = '';
    nock(ORIGIN)
      .get((uri) => ((path = uri), uri.startsWith('/engine-rest/incident/count?')))
      .reply(200, { count: 1 });
    const client = createCamundaClient(connection(), context());
    await client.get(
      '/incident/count',
      {
        processDefinitionKeyIn: ['invoice', 'order process'],
        tenantIdIn: [],
        incidentType: undefined,
        activityId: 'Task_1',
        incidentTimestampAfter: '2024-01-02T03:04:05.000+0000',
        maxResults: 10,
      },
      countResult,
    );
    expect(path).toBe(
      '/engine-rest/incident/count?processDefinitionKeyIn=invoice%2Corder+process&activityId=Task_1&incidentTimestampAfter=2024-01-02T03%3A04%3A05.000%2B0000&maxResults=10',
    );
    const sent = new URL(path, ORIGIN).searchParams;
    expect(sent.get('incidentTimestampAfter')).toBe('2024-01-02T03:04:05.000+0000');
    expect(sent.get('processDefinitionKeyIn')).toBe('invoice,order process');
    expect(sent.has('tenantIdIn')).toBe(false);
    expect(sent.has('incidentType')).toBe(false);
  });

  it('sends no query string when every parameter is left out', async () => {
    let path = '';
    nock(ORIGIN)
      .get((uri) => ((path = uri), true))
      .reply(200, { count: 1 });
    await createCamundaClient(connection(), context()).get('/incident/count', { a: undefined, b: [] }, countResult);
    expect(path).toBe('/engine-rest/incident/count');
  });

  it('sends requests for a named engine to /engine/{name}', async () => {
    nock(ORIGIN).get('/engine-rest/engine/other/incident/count').reply(200, { count: 3 });
    const client = createCamundaClient(connection({ engine: 'other' }), context());
    await expect(client.get('/incident/count', {}, countResult)).resolves.toEqual({ count: 3 });
  });

  it('encodes an engine name that needs it', async () => {
    let path = '';
    nock(ORIGIN)
      .get((uri) => ((path = uri), true))
      .reply(200, { count: 3 });
    await createCamundaClient(connection({ engine: 'my engine/ä?#' }), context()).get('/incident/count', {}, countResult);
    expect(path).toBe('/engine-rest/engine/my%20engine%2F%C3%A4%3F%23/incident/count');
  });

  it('tolerates a trailing slash in the URL', async () => {
    nock(ORIGIN).get('/engine-rest/incident/count').reply(200, { count: 2 });
    const client = createCamundaClient(connection({ url: `${URL_}/` }), context());
    await expect(client.get('/incident/count', {}, countResult)).resolves.toEqual({ count: 2 });
  });

  it('sends HTTP Basic authentication', async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Basic ${BASIC}` } })
      .get('/engine-rest/incident/count')
      .reply(200, { count: 1 });
    const client = createCamundaClient(connection({ auth: basic }), context());
    await expect(client.get('/incident/count', {}, countResult)).resolves.toEqual({ count: 1 });
    expect(Buffer.from(BASIC, 'base64').toString()).toBe('monitor:correct-horse-battery');
  });

  it('encodes a non-ASCII password as UTF-8 in Basic authentication', async () => {
    const encoded = Buffer.from('mönitor:pässwört', 'utf8').toString('base64');
    nock(ORIGIN, { reqheaders: { authorization: `Basic ${encoded}` } })
      .get('/engine-rest/incident/count')
      .reply(200, { count: 1 });
    const client = createCamundaClient(connection({ auth: { kind: 'basic', username: 'mönitor', password: 'pässwört' } }), context());
    await expect(client.get('/incident/count', {}, countResult)).resolves.toEqual({ count: 1 });
  });

  it('sends a Bearer token', async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/engine-rest/incident/count')
      .reply(200, { count: 4 });
    const client = createCamundaClient(connection({ auth: bearer }), context());
    await expect(client.get('/incident/count', {}, countResult)).resolves.toEqual({ count: 4 });
  });

  it('checks every item of a list', async () => {
    nock(ORIGIN)
      .get('/engine-rest/incident')
      .reply(200, [{ id: 'a', incidentType: 'failedJob' }, { id: 'b', incidentType: null }]);
    const client = createCamundaClient(connection(), context());
    await expect(client.get('/incident', {}, arrayOf(incident))).resolves.toHaveLength(2);
    nock(ORIGIN)
      .get('/engine-rest/incident')
      .reply(200, [{ id: 'a' }, { id: 42 }]);
    const error = await failure(client.get('/incident', {}, arrayOf(incident)));
    expect(error.message).toBe(
      `GET /incident on ${URL_} answered with JSON of an unexpected shape (expected a list of incidents): is --url the Camunda 7 REST API?`,
    );
  });

  it('logs the request and the answer with verbosity, but no credentials', async () => {
    const log = capturingLogger();
    nock(ORIGIN).get('/engine-rest/incident/count').query(true).reply(200, { count: 1 });
    await createCamundaClient(connection({ auth: basic }), context(log)).get('/incident/count', { incidentType: 'failedJob' }, countResult);
    expect(log.lines[0]).toBe(`request: GET ${URL_}/incident/count?incidentType=failedJob`);
    expect(log.lines[1]).toMatch(new RegExp(`^GET ${URL_}/incident/count\\?incidentType=failedJob -> HTTP 200, 11 bytes in \\d+ ms$`));
    expect(log.lines[2]).toBe('response body: {"count":1}');
    expectNoSecretsIn(log.lines);
  });

  describe('HTTP errors', () => {
    async function statusFailure(
      reply: (scope: nock.Interceptor) => nock.Scope,
      options: Partial<ConnectionOptions> = {},
    ): Promise<{ message: string; log: string[] }> {
      const log = capturingLogger();
      const path = options.engine === undefined ? '/engine-rest/incident/count' : `/engine-rest/engine/${encodeURIComponent(options.engine)}/incident/count`;
      reply(nock(ORIGIN).get(path));
      const error = await failure(createCamundaClient(connection(options), context(log)).get('/incident/count', {}, countResult));
      expectNoSecretsIn(log.lines);
      return { message: error.message, log: log.lines };
    }

    it('401 without credentials says to give them', async () => {
      const { message } = await statusFailure((s) => s.reply(401, ''));
      expect(message).toBe(
        `the engine requires authentication (HTTP 401) for GET /incident/count on ${URL_}: give --username with --password-file or CAMUNDA_PASSWORD, or --token`,
      );
    });

    it('401 with Basic credentials says to check them, without showing them', async () => {
      const { message } = await statusFailure((s) => s.reply(401, { type: 'AuthenticationException', message: 'bad user or password' }), { auth: basic });
      expect(message).toBe(
        `authentication failed (HTTP 401) for GET /incident/count on ${URL_}: check --username and the password (--password-file or CAMUNDA_PASSWORD) or the --token`,
      );
    });

    it('401 with a token says to check it', async () => {
      const { message } = await statusFailure((s) => s.reply(401, ''), { auth: bearer });
      expect(message).toMatch(/^authentication failed \(HTTP 401\)/);
    });

    it('403 includes the message of Camunda\'s AuthorizationException', async () => {
      const body = {
        type: 'AuthorizationException',
        message: "The user with id 'monitor' does not have 'READ' permission on resource 'ProcessInstance'.",
        userId: 'monitor',
        missingAuthorizations: [{ permissionName: 'READ', resourceName: 'ProcessInstance', resourceId: '*' }],
      };
      const { message } = await statusFailure((s) => s.reply(403, body), { auth: basic });
      expect(message).toBe(
        `not authorized (HTTP 403) for GET /incident/count on ${URL_}: The user with id 'monitor' does not have 'READ' permission on resource 'ProcessInstance'.; grant the monitoring user READ permission on the resources this check reads`,
      );
    });

    it('403 without a Camunda body still explains', async () => {
      const { message } = await statusFailure((s) => s.reply(403, 'Forbidden'));
      expect(message).toBe(
        `not authorized (HTTP 403) for GET /incident/count on ${URL_}; grant the monitoring user READ permission on the resources this check reads`,
      );
    });

    it('404 points at /engine-rest', async () => {
      const { message } = await statusFailure((s) => s.reply(404, '<html><body>Not Found</body></html>'));
      expect(message).toBe(`not found (HTTP 404) for GET /incident/count on ${URL_}: check that --url is the REST API base (usually ending in /engine-rest)`);
    });

    it('404 with a named engine names the engine', async () => {
      const { message } = await statusFailure((s) => s.reply(404, ''), { engine: 'other' });
      expect(message).toBe(
        `not found (HTTP 404) for GET /incident/count on ${URL_}: check that --url is the REST API base (usually ending in /engine-rest) and that an engine named 'other' exists`,
      );
    });

    it('400 "No process engine available" names the engine', async () => {
      const { message } = await statusFailure(
        (s) => s.reply(400, { type: 'InvalidRequestException', message: 'No process engine available' }),
        { engine: 'other' },
      );
      expect(message).toBe(`engine 'other' does not exist on ${URL_} (Camunda: No process engine available); check --engine`);
    });

    it('400 "No process engine available" for the default engine says so', async () => {
      const { message } = await statusFailure((s) => s.reply(400, { type: 'InvalidRequestException', message: 'No process engine available' }));
      expect(message).toBe(`the default engine does not exist on ${URL_} (Camunda: No process engine available); check --engine`);
    });

    it('other 400 answers give the type and message of the exception', async () => {
      const { message } = await statusFailure((s) =>
        s.reply(400, { type: 'InvalidRequestException', message: "Cannot set query parameter 'incidentTimestampAfter' to value 'x'" }),
      );
      expect(message).toBe(
        `engine error (HTTP 400 InvalidRequestException) for GET /incident/count on ${URL_}: Cannot set query parameter 'incidentTimestampAfter' to value 'x'`,
      );
    });

    it('302 to a login page says a login page or proxy is in the way, without the query', async () => {
      const { message } = await statusFailure((s) => s.reply(302, '', { location: 'https://sso.example.com/login?state=abc&token=x' }));
      expect(message).toBe(
        `redirected (HTTP 302) to https://sso.example.com/login for GET /incident/count on ${URL_}: a login page or proxy is in the way; point --url at the REST API itself`,
      );
    });

    it('a redirect without Location still explains', async () => {
      const { message } = await statusFailure((s) => s.reply(307, ''));
      expect(message).toMatch(/^redirected \(HTTP 307\) for GET \/incident\/count on .*: a login page or proxy is in the way/);
    });

    it('500 ProcessEngineException gives type and message', async () => {
      const { message } = await statusFailure((s) =>
        s.reply(500, { type: 'ProcessEngineException', message: 'ENGINE-03004 Exception while executing Database Operation\nwith\ttabs' }),
      );
      expect(message).toBe(
        `engine error (HTTP 500 ProcessEngineException) for GET /incident/count on ${URL_}: ENGINE-03004 Exception while executing Database Operation with tabs`,
      );
    });

    it('500 with a body that is not Camunda\'s says to check the engine log', async () => {
      const { message } = await statusFailure((s) => s.reply(500, 'oops'));
      expect(message).toBe(`HTTP 500 Internal Server Error for GET /incident/count on ${URL_}: check the engine log`);
    });

    it('502 with an HTML proxy page says proxy and HTML, with no HTML in the message', async () => {
      const page = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
      const { message } = await statusFailure((s) => s.reply(502, page, { 'content-type': 'text/html' }));
      expect(message).toBe(
        `HTTP 502 Bad Gateway for GET /incident/count on ${URL_} with an HTML page, not from Camunda: check the proxy or load balancer in front of the engine and that the engine is running behind it`,
      );
      expect(message).not.toMatch(/<|>|nginx|<h1>/);
    });

    it('400 from nginx for plain http on its https port says to use https', async () => {
      const page = '<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head><body><center><h1>400 Bad Request</h1></center><center>The plain HTTP request was sent to HTTPS port</center></body></html>';
      const { message } = await statusFailure((s) => s.reply(400, page, { 'content-type': 'text/html' }));
      expect(message).toBe(`GET /incident/count on ${URL_}: the server expects https on this port; use https:// in --url`);
    });

    it('503 with an HTML page names the status', async () => {
      const { message } = await statusFailure((s) => s.reply(503, '<html>down</html>'));
      expect(message).toMatch(/^HTTP 503 Service Unavailable for .* with an HTML page, not from Camunda: check the proxy/);
    });

    it('200 with an HTML page says HTML instead of JSON', async () => {
      const { message } = await statusFailure((s) => s.reply(200, '<!doctype html><html><body>Camunda Welcome</body></html>'));
      expect(message).toBe(
        `GET /incident/count on ${URL_} answered with an HTML page instead of JSON: --url must point at the REST API (usually ending in /engine-rest), not at a web application or proxy page`,
      );
    });

    it('200 with broken JSON', async () => {
      const { message } = await statusFailure((s) => s.reply(200, '{"count": 1'));
      expect(message).toBe(`GET /incident/count on ${URL_} answered with broken JSON (11 bytes): check the engine and any proxy in front of it`);
    });

    it('200 with an empty body', async () => {
      const { message } = await statusFailure((s) => s.reply(200, ''));
      expect(message).toBe(`GET /incident/count on ${URL_} answered with broken JSON (0 bytes): check the engine and any proxy in front of it`);
    });

    it.each([
      ['a list', '[{"count":1}]'],
      ['a string count', '{"count":"1"}'],
      ['a JSON string', '"x"'],
      ['null', 'null'],
      ['a number', '5'],
      ['no count', '{"total":1}'],
    ])('200 with JSON of the wrong shape (%s)', async (_name, body) => {
      const { message } = await statusFailure((s) => s.reply(200, body, { 'content-type': 'application/json' }));
      expect(message).toBe(
        `GET /incident/count on ${URL_} answered with JSON of an unexpected shape (expected a count object {"count": n}): is --url the Camunda 7 REST API?`,
      );
    });

    // Camunda's counts are Java longs (CountResultDto.java:21): what is no whole number from 0 to 2^53 - 1 is a wrong answer.
    it.each([
      ['1e308', '1e308'],
      ['digits beyond 2^53', '123456789012345678901234567890'],
      ['2^53', '9007199254740992'],
      ['1e400 (Infinity to JSON.parse)', '1e400'],
      ['a negative count', '-1'],
      ['a fractional count', '1.5'],
    ])('200 with an impossible count (%s): one "wrong answer" line naming the request and the value as written', async (_name, written) => {
      const { message } = await statusFailure((s) => s.reply(200, `{"count": ${written}}`, { 'content-type': 'application/json' }));
      expect(message).toBe(
        `wrong answer from GET /incident/count on ${URL_}: count ${written} is not a whole number from 0 to 9007199254740991 as Camunda sends: check the engine and any proxy in front of it`,
      );
    });

    it('names an impossible number inside a list: the first one, as written', async () => {
      nock(ORIGIN).get('/engine-rest/job').reply(200, '[{"id":"a","retries":3},{"id":"b","retries":1e999},{"id":"c","retries":-2}]');
      const { job } = await import('../../src/camunda/shapes');
      const error = await failure(createCamundaClient(connection(), context()).get('/job', {}, arrayOf(job)));
      expect(error.message).toBe(
        `wrong answer from GET /job on ${URL_}: retries 1e999 is not a whole number from 0 to 9007199254740991 as Camunda sends: check the engine and any proxy in front of it`,
      );
    });

    it('sends no request once the run is past its deadline (its timer late on a starved host)', async () => {
      const late: ClientContext = { ...context(), deadline: Date.now() - 10, timeoutSeconds: 5 };
      const error = await failure(createCamundaClient(connection(), late).get('/incident/count', {}, countResult));
      expect(error.message).toBe(`no answer within the timeout of 5s for GET /incident/count on ${URL_}: check that the engine is responsive, or raise --timeout`);
    });

    it('stops reading an answer beyond MAX_RESPONSE_BYTES and says so', async () => {
      const { message, log } = await statusFailure((s) => s.reply(200, `[${'{"id":"x"},'.repeat(MAX_RESPONSE_BYTES / 10)}{}]`));
      expect(message).toBe(
        `GET /incident/count on ${URL_} answered with more than 16 MiB, far more than the check asked for: is --url the Camunda 7 REST API?`,
      );
      expect(log).toContainEqual(expect.stringMatching(/answered with more than 16777216 bytes after \d+ ms$/));
    });

    it('a body that echoes a credential is redacted by the logger the runner gives (connectionSecrets)', async () => {
      const lines: string[] = [];
      const conn = connection({ auth: basic });
      const log = createLogger(3, createRedactor(connectionSecrets(conn)), (line) => lines.push(line));
      nock(ORIGIN)
        .get('/engine-rest/incident/count')
        .reply(200, `<html>you sent Authorization: Basic ${BASIC} for monitor:${PASSWORD}</html>`);
      const error = await failure(createCamundaClient(conn, context(log)).get('/incident/count', {}, countResult));
      expect(error.message).toMatch(/HTML page instead of JSON/);
      expect(lines.join('')).toContain('response body: <html>you sent Authorization: **** for monitor:****</html>');
      expectNoSecretsIn(lines);
    });

    it('removes its own credentials from an answer that echoes them, before any parsing, shortening or logging', async () => {
      const log = capturingLogger();
      const echo = `invalid credentials for ${basic.username}:${basic.password} ${'x'.repeat(280)}`;
      nock(ORIGIN).get('/engine-rest/incident/count').reply(500, { type: 'AuthenticationException', message: `${'y'.repeat(280)}${basic.password}` });
      const cut = await failure(createCamundaClient(connection({ auth: basic }), context(log)).get('/incident/count', {}, countResult));
      // The password stood where the message is shortened: a redaction after shortening would miss its first half.
      expect(cut.message).not.toContain(basic.password.slice(0, 4));
      nock(ORIGIN).get('/engine-rest/incident/count').reply(500, { type: 'X', message: echo });
      const error = await failure(createCamundaClient(connection({ auth: basic }), context(log)).get('/incident/count', {}, countResult));
      expect(error.message).toContain(`invalid credentials for ${basic.username}:****`);
      expectNoSecretsIn([...log.lines, error.message, cut.message]);
    });

    it('never logs or reports a credential by itself', async () => {
      for (const auth of [basic, bearer]) {
        const log = capturingLogger();
        nock(ORIGIN).get('/engine-rest/incident/count').reply(500, { type: 'ProcessEngineException', message: 'boom' });
        const error = await failure(createCamundaClient(connection({ auth }), context(log)).get('/incident/count', {}, countResult));
        expect(error.message).toContain('ProcessEngineException');
        expect(log.lines.length).toBeGreaterThanOrEqual(3);
        expectNoSecretsIn(log.lines);
      }
    });
  });

  describe('transport errors', () => {
    let idle: Server | undefined;
    const sockets = new Set<Socket>();

    afterEach(async () => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (idle) await new Promise((resolve) => idle!.close(resolve));
      idle = undefined;
    });

    async function closedPort(): Promise<number> {
      const server = createHttpServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise((resolve) => server.close(resolve));
      return port;
    }

    it('connection refused', async () => {
      const port = await closedPort();
      const url = `http://127.0.0.1:${port}/engine-rest`;
      const log = capturingLogger();
      const error = await failure(createCamundaClient(connection({ url, auth: basic }), context(log)).get('/incident/count', {}, countResult));
      expect(error.message).toBe(
        `cannot reach GET /incident/count on ${url}: connection refused: check --url and that the engine is running and listening there`,
      );
      expect(log.lines.some((line) => line.includes('failed after'))).toBe(true);
      expectNoSecretsIn(log.lines);
    });

    it('DNS failure', async () => {
      const url = 'http://nonexistent.invalid:8080/engine-rest';
      const error = await failure(createCamundaClient(connection({ url, auth: bearer }), context()).get('/incident/count', {}, countResult));
      expect(error.message).toMatch(/^cannot reach GET \/incident\/count on http:\/\/nonexistent\.invalid:8080\/engine-rest: host name (not found|lookup failed temporarily) \(DNS\)/);
    });

    it('timeout of a server that accepts but never answers', async () => {
      idle = createHttpServer(() => {});
      idle.on('connection', (socket) => sockets.add(socket));
      await new Promise<void>((resolve) => idle!.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(idle.address() as AddressInfo).port}/engine-rest`;
      const log = capturingLogger();
      const started = Date.now();
      const ctx = { ...context(log, 300), timeoutSeconds: 7 };
      const error = await failure(createCamundaClient(connection({ url, auth: basic }), ctx).get('/incident/count', {}, countResult));
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(error.message).toBe(
        `no answer within the timeout of 7s for GET /incident/count on ${url}: check that the engine is responsive, or raise --timeout`,
      );
      expectNoSecretsIn(log.lines);
    });

    it('timeout of a slow answer (nock delay)', async () => {
      nock(ORIGIN).get('/engine-rest/incident/count').delay(1000).reply(200, { count: 1 });
      const started = Date.now();
      const error = await failure(createCamundaClient(connection(), context(capturingLogger(), 300)).get('/incident/count', {}, countResult));
      expect(Date.now() - started).toBeLessThan(900);
      expect(error.message).toMatch(/^no answer within the timeout of 0\.3s for GET \/incident\/count on http:\/\/camunda\.test:8080\/engine-rest/);
    });

    it('a deadline already passed still makes one short attempt and fails with the timeout', async () => {
      idle = createHttpServer(() => {});
      idle.on('connection', (socket) => sockets.add(socket));
      await new Promise<void>((resolve) => idle!.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(idle.address() as AddressInfo).port}/engine-rest`;
      const error = await failure(createCamundaClient(connection({ url }), context(capturingLogger(), -50)).get('/incident/count', {}, countResult));
      expect(error.message).toMatch(/^no answer within the timeout/);
    });

    it('a request Node refuses to make fails with a CamundaError and leaves nothing running', async () => {
      const auth = { kind: 'bearer', token: 'line\nbreak' } as const;
      const error = await failure(createCamundaClient(connection({ auth }), context(capturingLogger(), 150)).get('/incident/count', {}, countResult));
      expect(error.message).toMatch(/^request failed for GET \/incident\/count on http:\/\/camunda\.test:8080\/engine-rest: .*\(ERR_INVALID_CHAR\)$/);
      // Past the time limit: a timer left armed would fire now and fail the run.
      await new Promise((resolve) => setTimeout(resolve, 250));
    });

    it('an aborted signal stops the request with a CamundaError', async () => {
      idle = createHttpServer(() => {});
      idle.on('connection', (socket) => sockets.add(socket));
      await new Promise<void>((resolve) => idle!.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(idle.address() as AddressInfo).port}/engine-rest`;
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = Date.now();
      const error = await failure(createCamundaClient(connection({ url }), context(capturingLogger(), 5000, controller.signal)).get('/incident/count', {}, countResult));
      expect(error.message).toMatch(/^request failed for GET \/incident\/count on http:\/\/127\.0\.0\.1:\d+\/engine-rest: This operation was aborted\. \(ERR_ABORTED\)$/);
      expect(Date.now() - started).toBeLessThan(1000);
    });
  });

  describe('TLS', () => {
    let pki: ThrowawayPki;
    let server: Server;
    let plain: Server;
    let pem: { ca: string; cert: string; key: string; otherCert: string; otherKey: string };
    let httpsUrl: string;
    let plainUrl: string;

    beforeAll(async () => {
      pki = createThrowawayPki();
      pem = { ca: pki.pem.ca, cert: pki.pem.serverCert, key: pki.pem.serverKey, otherCert: pki.pem.otherCert, otherKey: pki.pem.otherKey };

      server = createHttpsServer({ cert: pem.cert, key: pem.key }, (request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ count: request.url?.includes('/engine-rest/incident/count') ? 12 : -1 }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      httpsUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`;
      plain = createHttpServer((_request, response) => response.end('{"count":1}'));
      await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
      plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/engine-rest`;
    });

    afterAll(async () => {
      server.closeAllConnections();
      plain.closeAllConnections();
      await Promise.all([new Promise((resolve) => server.close(resolve)), new Promise((resolve) => plain.close(resolve))]);
      pki.remove();
    });

    it('fails verification without --ca-file and says to give the CA', async () => {
      const error = await failure(createCamundaClient(connection({ url: httpsUrl }), context()).get('/incident/count', {}, countResult));
      expect(error.message).toBe(
        `cannot reach GET /incident/count on ${httpsUrl}: TLS certificate cannot be verified: give the issuing CA with --ca-file`,
      );
    });

    it('succeeds with the CA', async () => {
      const client = createCamundaClient(connection({ url: httpsUrl, tls: { ca: pem.ca, insecure: false } }), context());
      await expect(client.get('/incident/count', {}, countResult)).resolves.toEqual({ count: 12 });
    });

    it('succeeds with insecure', async () => {
      const client = createCamundaClient(connection({ url: httpsUrl, tls: { insecure: true } }), context());
      await expect(client.get('/incident/count', {}, countResult)).resolves.toEqual({ count: 12 });
    });

    it('rejects a certificate for another host name even with the right CA', async () => {
      const other = createHttpsServer({ cert: pem.otherCert, key: pem.otherKey }, (_request, response) => response.end('{"count":1}'));
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      try {
        const url = `https://127.0.0.1:${(other.address() as AddressInfo).port}/engine-rest`;
        const error = await failure(createCamundaClient(connection({ url, tls: { ca: pem.ca, insecure: false } }), context()).get('/incident/count', {}, countResult));
        expect(error.message).toBe(`cannot reach GET /incident/count on ${url}: TLS certificate does not match the host name in --url`);
      } finally {
        other.closeAllConnections();
        await new Promise((resolve) => other.close(resolve));
      }
    });

    it('https against a plain http port says so', async () => {
      const url = plainUrl.replace('http:', 'https:');
      const error = await failure(createCamundaClient(connection({ url }), context()).get('/incident/count', {}, countResult));
      expect(error.message).toMatch(new RegExp(`^cannot reach GET /incident/count on ${url}: TLS .*https for a plain http port`));
    });

    it('plain http against an https port says so', async () => {
      const url = httpsUrl.replace('https:', 'http:');
      const error = await failure(createCamundaClient(connection({ url }), context()).get('/incident/count', {}, countResult));
      expect(error.message).toBe(
        `cannot reach GET /incident/count on ${url}: connection reset by the server: does the port expect https? Otherwise check the engine and any proxy or firewall between`,
      );
    });
  });
});
