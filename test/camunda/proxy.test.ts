import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient, type ClientContext } from '../../src/camunda/client';
import { connectionSecrets, type ConnectionOptions } from '../../src/camunda/connection';
import { CamundaError } from '../../src/camunda/errors';
import { bypassesProxy, parseProxyUrl, proxyFor, proxySettings, ProxyUrlError } from '../../src/camunda/proxy';
import { countResult } from '../../src/camunda/shapes';
import { createLogger, createRedactor } from '../../src/plugin/log';
import { startTestProxy, type TestProxy } from '../support/proxy';
import { createThrowawayPki, type ThrowawayPki } from '../support/tls';

describe('proxySettings: which proxy, as curl chooses it', () => {
  it('is undefined without any proxy setting: the client connects directly', () => {
    expect(proxySettings({})).toBeUndefined();
    expect(proxySettings({ NO_PROXY: 'x', HTTPS_PROXY: '  ' })).toBeUndefined();
  });

  it('takes https_proxy for https and http_proxy for http, lower case before upper case, all_proxy for what is left', () => {
    const settings = proxySettings({ https_proxy: 'http://low:1', HTTPS_PROXY: 'http://up:2', HTTP_PROXY: 'http://plain:3', ALL_PROXY: 'http://all:4' })!;
    expect(settings.https).toMatchObject({ url: 'http://low:1', source: 'https_proxy' });
    expect(settings.http).toMatchObject({ url: 'http://plain:3', source: 'HTTP_PROXY' });
    expect(proxySettings({ all_proxy: 'all:4' })).toMatchObject({ http: { url: 'http://all:4', source: 'all_proxy' }, https: { url: 'http://all:4' } });
  });

  it('--proxy replaces the environment for both schemes; --proxy "" means no proxy at all, as in curl', () => {
    expect(proxySettings({ HTTPS_PROXY: 'http://env:1' }, 'http://opt:2')).toMatchObject({ http: { url: 'http://opt:2', source: '--proxy' }, https: { url: 'http://opt:2', source: '--proxy' } });
    expect(proxySettings({ HTTPS_PROXY: 'http://env:1' }, '')).toBeUndefined();
  });

  it('--no-proxy replaces NO_PROXY (also when empty)', () => {
    expect(proxySettings({ HTTPS_PROXY: 'p:1', NO_PROXY: 'a.example, .b.example' })).toMatchObject({ noProxy: ['a.example', '.b.example'], noProxySource: 'NO_PROXY' });
    expect(proxySettings({ HTTPS_PROXY: 'p:1', no_proxy: 'low', NO_PROXY: 'up' })!.noProxy).toEqual(['low']);
    expect(proxySettings({ HTTPS_PROXY: 'p:1', NO_PROXY: 'a' }, undefined, 'B,c')!.noProxy).toEqual(['b', 'c']);
    expect(proxySettings({ HTTPS_PROXY: 'p:1', NO_PROXY: 'a' }, undefined, '')!.noProxy).toEqual([]);
  });

  it('reads proxy URLs as curl: scheme optional, port 1080 when none is written (also for an explicit :80), credentials decoded but never shown', () => {
    expect(parseProxyUrl('proxy.example', 'HTTPS_PROXY')).toEqual({ url: 'http://proxy.example:1080', host: 'proxy.example', port: 1080, authorization: undefined, password: undefined, source: 'HTTPS_PROXY' });
    expect(parseProxyUrl('http://proxy.example:80/', '--proxy')).toMatchObject({ url: 'http://proxy.example:80', port: 80 });
    expect(parseProxyUrl('http://[::1]:3128', '--proxy')).toMatchObject({ url: 'http://[::1]:3128', host: '::1', port: 3128 });
    const withCredentials = parseProxyUrl('http://mon%40itor:p%3Ass@proxy:3128', '--proxy');
    expect(withCredentials).toMatchObject({ url: 'http://proxy:3128', password: 'p:ss', authorization: `Basic ${Buffer.from('mon@itor:p:ss').toString('base64')}` });
  });

  it.each([
    ['https://proxy:3128', '--proxy: only http:// proxies are supported, not https:// (the tunnel to an https engine is encrypted end to end all the same)'],
    ['socks5://u:secret@proxy:1080', 'HTTPS_PROXY: only http:// proxies are supported, not socks5:// (the tunnel to an https engine is encrypted end to end all the same)'],
    ['http://u:secret@proxy:99999', "HTTPS_PROXY: 'http://****@proxy:99999' is not a proxy URL; expected http://proxy.example:3128"],
  ])('refuses %s with a message that shows no credentials', (text, message) => {
    const source = text.startsWith('https:') ? '--proxy' : 'HTTPS_PROXY';
    expect(() => parseProxyUrl(text, source)).toThrow(ProxyUrlError);
    expect(() => parseProxyUrl(text, source)).toThrow(message);
  });
});

describe('bypassesProxy: NO_PROXY as curl reads it', () => {
  const url = (text: string) => new URL(text);
  it.each([
    ['http://camunda.example/', ['*'], true],
    ['http://camunda.example/', ['example'], true],
    ['http://camunda.example/', ['.example'], true],
    ['http://camunda.example/', ['camunda.example'], true],
    ['http://CAMUNDA.Example./', ['camunda.example'], true],
    ['http://camunda.example/', ['amunda.example'], false],
    ['http://camunda.example/', ['other.example', 'camunda'], false],
    ['http://camunda.example:8080/', ['camunda.example:8080'], true],
    ['http://camunda.example:8080/', ['camunda.example:9090'], false],
    ['https://camunda.example/', ['camunda.example:443'], true],
    ['http://10.1.2.3:8080/', ['10.0.0.0/8'], true],
    ['http://11.1.2.3:8080/', ['10.0.0.0/8'], false],
    ['http://10.1.2.3/', ['10.1.2.3'], true],
    ['http://[fd00::5]:8080/', ['fd00::/8'], true],
    ['http://[fe80::5]:8080/', ['fd00::/8'], false],
    ['http://[::1]:8080/', ['::1'], true],
    ['http://camunda.example/', [], false],
  ] as const)('%s with %j: %s', (text, list, expected) => {
    expect(bypassesProxy(url(text), list)).toBe(expected);
  });

  it('proxyFor picks the scheme\'s proxy unless NO_PROXY lets the host go directly', () => {
    const settings = proxySettings({ http_proxy: 'http://p1:1', HTTPS_PROXY: 'http://p2:2', NO_PROXY: 'direct.example' });
    expect(proxyFor(url('http://camunda/'), settings)?.url).toBe('http://p1:1');
    expect(proxyFor(url('https://camunda/'), settings)?.url).toBe('http://p2:2');
    expect(proxyFor(url('https://direct.example/'), settings)).toBeUndefined();
    expect(proxyFor(url('http://camunda/'), proxySettings({ HTTPS_PROXY: 'http://p2:2' }))).toBeUndefined();
  });
});

describe('the client through a local proxy', () => {
  const PASSWORD = 'engine-Pa55word';
  const PROXY_PASSWORD = 'proxy-S3cret';
  let pki: ThrowawayPki;
  let plain: Server;
  let secure: Server;
  let plainPort = 0;
  let securePort = 0;
  const openProxies: TestProxy[] = [];
  const seenByEngine: string[] = [];

  beforeAll(async () => {
    pki = createThrowawayPki();
    const answer = (request: { url?: string; headers: { authorization?: string } }, response: import('node:http').ServerResponse) => {
      seenByEngine.push(`${request.url} ${request.headers.authorization ? 'with' : 'without'} authorization`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"count":7}');
    };
    plain = createHttpServer(answer);
    // Certificate for other.test: a name only the proxy resolves.
    secure = createHttpsServer({ cert: pki.pem.otherCert, key: pki.pem.otherKey }, answer);
    await new Promise<void>((done) => plain.listen(0, '127.0.0.1', done));
    await new Promise<void>((done) => secure.listen(0, '127.0.0.1', done));
    plainPort = (plain.address() as AddressInfo).port;
    securePort = (secure.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await Promise.all(openProxies.map((proxy) => proxy.close()));
    plain.closeAllConnections?.();
    secure.closeAllConnections?.();
    await new Promise((done) => plain.close(done));
    await new Promise((done) => secure.close(done));
    pki.remove();
  });

  async function proxy(options: Parameters<typeof startTestProxy>[0] = {}): Promise<TestProxy> {
    const started = await startTestProxy({ hosts: { 'camunda.test': '127.0.0.1', 'other.test': '127.0.0.1' }, ...options });
    openProxies.push(started);
    return started;
  }

  function get(connection: ConnectionOptions, lines: string[] = []) {
    const log = createLogger(3, createRedactor(connectionSecrets(connection)), (line) => lines.push(line));
    const context: ClientContext = { log, signal: new AbortController().signal, deadline: Date.now() + 5000, timeoutSeconds: 5 };
    return createCamundaClient(connection, context).get('/incident/count', {}, countResult);
  }

  const engine = { kind: 'basic', username: 'monitor', password: PASSWORD } as const;

  it('sends http requests to the proxy with the whole URL, to a host only the proxy can resolve', async () => {
    const server = await proxy();
    const lines: string[] = [];
    const answer = await get({ url: `http://camunda.test:${plainPort}/engine-rest`, auth: engine, tls: { insecure: false }, proxy: proxySettings({ http_proxy: server.url }) }, lines);
    expect(answer).toEqual({ count: 7 });
    expect(server.seen).toEqual([{ method: 'GET', target: `http://camunda.test:${plainPort}/engine-rest/incident/count`, proxyAuthorization: undefined, sawEngineAuthorization: true }]);
    expect(lines).toContain(`proxy: ${server.url} (from http_proxy)\n`);
  });

  it('tunnels https with CONNECT: the proxy sees host and port only, TLS is verified against the engine\'s name', async () => {
    const server = await proxy({ credentials: `monitor:${PROXY_PASSWORD}` });
    const proxyUrl = `http://monitor:${PROXY_PASSWORD}@127.0.0.1:${server.port}`;
    const lines: string[] = [];
    const connection: ConnectionOptions = { url: `https://other.test:${securePort}/engine-rest`, auth: engine, tls: { ca: pki.pem.ca, insecure: false }, proxy: proxySettings({ HTTPS_PROXY: proxyUrl }) };
    expect(await get(connection, lines)).toEqual({ count: 7 });
    expect(server.seen).toEqual([
      { method: 'CONNECT', target: `other.test:${securePort}`, proxyAuthorization: `Basic ${Buffer.from(`monitor:${PROXY_PASSWORD}`).toString('base64')}`, sawEngineAuthorization: false },
    ]);
    expect(lines).toContain(`proxy: http://127.0.0.1:${server.port} (from HTTPS_PROXY) with credentials, CONNECT tunnel\n`);
    expect(lines.join('\n')).not.toContain(PROXY_PASSWORD);
    // The engine's certificate is still checked: without the CA the tunnelled TLS fails as it would directly.
    const error = await get({ ...connection, tls: { insecure: false } }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`cannot reach GET /incident/count on https://other.test:${securePort}/engine-rest: TLS certificate cannot be verified: give the issuing CA with --ca-file`);
  });

  it('NO_PROXY lets a host go directly: the proxy sees nothing', async () => {
    const server = await proxy();
    expect(await get({ url: `http://127.0.0.1:${plainPort}/engine-rest`, tls: { insecure: false }, proxy: proxySettings({ http_proxy: server.url, NO_PROXY: '127.0.0.0/8' }) })).toEqual({ count: 7 });
    expect(server.seen).toEqual([]);
  });

  async function failure(connection: ConnectionOptions): Promise<string> {
    const lines: string[] = [];
    const error = await get(connection, lines).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CamundaError);
    const { message } = error as CamundaError;
    for (const text of [message, ...lines]) expect(text).not.toContain(PROXY_PASSWORD);
    return message;
  }

  it('says when the proxy wants credentials (HTTP 407), for http and for the CONNECT of https', async () => {
    const server = await proxy({ credentials: `monitor:${PROXY_PASSWORD}` });
    const wrong = `http://monitor:wrong-${PROXY_PASSWORD}@127.0.0.1:${server.port}`;
    expect(await failure({ url: `http://camunda.test:${plainPort}/engine-rest`, tls: { insecure: false }, proxy: proxySettings({ http_proxy: wrong }) })).toBe(
      `the proxy http://127.0.0.1:${server.port} (from http_proxy) requires authentication (HTTP 407) for GET /incident/count on http://camunda.test:${plainPort}/engine-rest: give its user and password in the proxy URL (http://user:password@proxy:port)`,
    );
    expect(await failure({ url: `https://other.test:${securePort}/engine-rest`, tls: { insecure: false }, proxy: proxySettings({}, server.url) })).toBe(
      `the proxy http://127.0.0.1:${server.port} (from --proxy) requires authentication (HTTP 407) for CONNECT other.test:${securePort} (GET /incident/count on https://other.test:${securePort}/engine-rest): give its user and password in the proxy URL (http://user:password@proxy:port)`,
    );
  });

  it('says when the proxy refuses the tunnel', async () => {
    const server = await proxy({ connectStatus: 403 });
    expect(await failure({ url: `https://other.test:${securePort}/engine-rest`, tls: { insecure: false }, proxy: proxySettings({ HTTPS_PROXY: server.url }) })).toBe(
      `the proxy http://127.0.0.1:${server.port} (from HTTPS_PROXY) refused the tunnel to other.test:${securePort} with HTTP 403 (GET /incident/count on https://other.test:${securePort}/engine-rest): check the proxy's rules for this host and port, or reach the engine directly with --no-proxy`,
    );
  });

  it('names the proxy, not the engine, when the proxy cannot be reached', async () => {
    const server = await proxy();
    await server.close();
    const url = `http://monitor:${PROXY_PASSWORD}@127.0.0.1:${server.port}`;
    expect(await failure({ url: `https://other.test:${securePort}/engine-rest`, tls: { insecure: false }, proxy: proxySettings({ HTTPS_PROXY: url }) })).toBe(
      `cannot reach the proxy http://127.0.0.1:${server.port} for GET /incident/count on https://other.test:${securePort}/engine-rest: connection refused: check HTTPS_PROXY and that the proxy is running and listening there`,
    );
    expect(await failure({ url: `http://camunda.test:${plainPort}/engine-rest`, tls: { insecure: false }, proxy: proxySettings({}, url) })).toBe(
      `cannot reach the proxy http://127.0.0.1:${server.port} for GET /incident/count on http://camunda.test:${plainPort}/engine-rest: connection refused: check --proxy and that the proxy is running and listening there`,
    );
  });
});
