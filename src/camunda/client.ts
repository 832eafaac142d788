import http, { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions } from 'node:http';
import type { Socket } from 'node:net';
import { builtinModule } from '../plugin/builtin';
import type { Logger } from '../plugin/log';
import { createRedactor } from '../plugin/log';
import { authorizationHeader, connectionSecrets, engineBaseUrl, type ConnectionOptions } from './connection';
import { httpStatusError, impossibleNumberError, notJsonError, tooLargeError, transportError, wrongShapeError, type FailedRequest } from './errors';
import { proxyFor, type ProxyServer } from './proxy';
import type { Shape, ShapeFindings } from './shapes';

/** Query parameter values; lists are sent comma-separated as Camunda's `...In` parameters expect. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

export interface CamundaClient {
  get<T>(path: string, query: Query, shape: Shape<T>): Promise<T>;
}

/** A client that also writes: camunda_action's PUT and POST requests with a JSON body. */
export interface CamundaWriteClient extends CamundaClient {
  /** Sends `body` as JSON; resolves on any 2xx (Camunda answers writes with 204), else throws like get. */
  send(method: 'PUT' | 'POST', path: string, body: unknown): Promise<void>;
}

export interface ClientContext {
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly deadline: number;
  readonly timeoutSeconds: number;
}

/** Drops undefined values and empty lists, so a filter the operator did not give is not sent at all. */
export function toSearchParams(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(name, value.join(','));
    } else {
      params.set(name, String(value));
    }
  }
  return params;
}

/**
 * Answers larger than this are not read to the end: the checks ask for bounded pages (maxResults),
 * so anything this big is not the answer they asked for, and reading it would only cost memory.
 */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

interface Answer {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** The errors the client raises itself carry the names and codes that transportError explains. */
function codedError(message: string, name: string, code: string): Error {
  return Object.assign(new Error(message), { name, code });
}

class ResponseTooLarge extends Error {}

type TlsRequestOptions = RequestOptions & { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string };

/**
 * One GET on node:http or node:https, with neither retries nor redirects followed, directly or
 * through an HTTP proxy (absolute URL for http, a CONNECT tunnel for https). It settles once: with
 * the whole body, decoded when the server compressed it, or with the first error (network, TLS,
 * proxy, the time limit, the signal). A client library costs more start-up time than a check's
 * whole budget (bench/README.md); this is the little of one the checks use.
 */
async function getText(url: URL, options: TlsRequestOptions, timeoutMs: number, signal: AbortSignal, proxy: ProxyServer | undefined, body?: string): Promise<Answer> {
  // TLS is loaded only for https URLs: plain http checks do not pay for it at start-up. The module's
  // request is looked up at call time, so that interceptors (nock in the tests) see the request.
  const transport = url.protocol === 'https:' ? (await import('node:https')).default : http;
  return new Promise<Answer>((resolve, reject) => {
    const opened: { destroy(): unknown }[] = [];
    let settled = false;
    const settle = (error: Error | undefined, answer?: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (error) {
        for (const stream of opened) stream.destroy();
        reject(error);
      } else {
        resolve(answer!);
      }
    };
    const receive = (response: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) settle(new ResponseTooLarge());
        else chunks.push(chunk);
      });
      response.on('end', () => {
        try {
          const body = decodedBody(Buffer.concat(chunks), response.headers['content-encoding']);
          settle(undefined, { statusCode: response.statusCode ?? 0, headers: response.headers, body });
        } catch (error) {
          settle(error as Error);
        }
      });
      response.on('error', (error) => settle(error));
      response.on('aborted', () => settle(codedError('the server closed the connection before the answer was complete', 'Error', 'ECONNRESET')));
    };
    /** `viaProxy`: the connection is the proxy's, so are its failures (refused, reset, unknown host). */
    const send = (request: () => ClientRequest, viaProxy = false): void => {
      try {
        const req = request();
        opened.push(req);
        req.on('response', receive);
        req.on('error', (error) => settle(viaProxy ? Object.assign(error, { atProxy: true }) : error));
        req.end(body);
      } catch (error) {
        settle(error as Error);
      }
    };
    const onAbort = (): void => settle(codedError('This operation was aborted.', 'AbortError', 'ERR_ABORTED'));
    const timer = setTimeout(() => settle(codedError(`Timeout awaiting 'request' for ${timeoutMs}ms`, 'TimeoutError', 'ETIMEDOUT')), timeoutMs);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    if (settled) return;

    if (!proxy) send(() => transport.request(url, options));
    // Plain http through a proxy: the request goes to the proxy, naming the whole URL.
    else if (url.protocol === 'http:') send(() => http.request(proxiedRequest(url, options, proxy)), true);
    else {
      openTunnel(url, proxy, options.headers, opened, settle, (socket) => {
        // The engine's TLS runs inside the tunnel, verified against the engine's name as without proxy.
        send(() => transport.request(url, { ...options, createConnection: () => tlsThrough(socket, url, options) }));
      });
    }
  });
}

/** A request for `url` sent to an HTTP proxy: absolute URL as its path, the engine as Host. */
function proxiedRequest(url: URL, options: RequestOptions, proxy: ProxyServer): RequestOptions {
  const headers = { ...(options.headers as Record<string, string>), host: url.host, ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}) };
  return { method: options.method ?? 'GET', host: proxy.host, port: proxy.port, path: url.href, headers };
}

/**
 * CONNECT host:port at the proxy; `tunnelled` gets the socket once the proxy answers 200. Any other
 * answer, and any failure before it, is the proxy's: the error says so, for transportError.
 */
function openTunnel(
  url: URL,
  proxy: ProxyServer,
  headers: RequestOptions['headers'],
  opened: { destroy(): unknown }[],
  settle: (error: Error) => void,
  tunnelled: (socket: Socket) => void,
): void {
  const target = `${url.hostname}:${url.port || 443}`;
  const userAgent = (headers as Record<string, string> | undefined)?.['user-agent'];
  const connect = http.request({
    method: 'CONNECT',
    host: proxy.host,
    port: proxy.port,
    path: target,
    agent: false,
    headers: { host: target, ...(userAgent ? { 'user-agent': userAgent } : {}), ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}) },
  });
  opened.push(connect);
  connect.on('connect', (response: IncomingMessage, socket: Socket) => {
    opened.push(socket);
    if (response.statusCode === 200) tunnelled(socket);
    else settle(Object.assign(codedError(`the proxy answered CONNECT ${target} with HTTP ${response.statusCode}`, 'ProxyError', 'EPROXYREFUSED'), { proxyStatus: response.statusCode, target }));
  });
  // A proxy that answers CONNECT as an ordinary request (no tunnel at all) ends here.
  connect.on('response', (response: IncomingMessage) => {
    response.resume();
    settle(Object.assign(codedError(`the proxy answered CONNECT ${target} with HTTP ${response.statusCode}`, 'ProxyError', 'EPROXYREFUSED'), { proxyStatus: response.statusCode, target }));
  });
  connect.on('error', (error) => settle(Object.assign(error, { atProxy: true })));
  connect.end();
}

function tlsThrough(socket: Socket, url: URL, options: TlsRequestOptions): Socket {
  const tls = builtinModule<typeof import('node:tls')>('node:tls');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // SNI carries names only; an address as servername draws a warning from Node.
  const servername = /^[\d.]+$|:/.test(host) ? undefined : host;
  return tls.connect({ socket, host, ...(servername ? { servername } : {}), rejectUnauthorized: options.rejectUnauthorized, ca: options.ca, cert: options.cert, key: options.key });
}

/**
 * The body as text, decoded when the server compressed it (gzip, deflate; the client asks for no
 * other). node:zlib is loaded only here, so a run whose answers come uncompressed never loads it.
 * The decoded body is bounded like a plain one: a small answer that inflates to gigabytes (a zip
 * bomb) is stopped at MAX_RESPONSE_BYTES by zlib itself and ends as "too large".
 */
function decodedBody(raw: Buffer, contentEncoding: string | undefined): string {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity' || raw.length === 0) return raw.toString('utf8');
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
    throw codedError(`the answer is encoded as '${encoding.slice(0, 40)}', which the check did not ask for`, 'EncodingError', 'EUNKNOWNENCODING');
  }
  const zlib = builtinModule<typeof import('node:zlib')>('node:zlib');
  const limit = { maxOutputLength: MAX_RESPONSE_BYTES };
  try {
    if (encoding !== 'deflate') return zlib.gunzipSync(raw, limit).toString('utf8');
    // "deflate" is meant as zlib-wrapped (RFC 9110 8.4.1.2); some servers send raw deflate: the header tells.
    const zlibWrapped = raw.length > 1 && (raw[0]! & 0x0f) === 8 && ((raw[0]! << 8) | raw[1]!) % 31 === 0;
    return (zlibWrapped ? zlib.inflateSync(raw, limit) : zlib.inflateRawSync(raw, limit)).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ResponseTooLarge();
    throw codedError(`the ${encoding} compressed answer cannot be decoded (${(error as NodeJS.ErrnoException).code ?? 'corrupt'})`, 'EncodingError', 'EBADENCODING');
  }
}

/**
 * Whether a request is worth an answer compressed: the statistics (every deployed version, about
 * 550 bytes each: megabytes on a large engine), BPMN XML and long pages. Counts and short pages
 * are smaller than what compressing them saves, and would load zlib for nothing.
 */
function compressionPays(path: string, query: Query): boolean {
  if (/\/(statistics|xml)$/.test(path)) return true;
  return typeof query.maxResults === 'number' && query.maxResults > 100;
}

/** The digits of `"field": number` as the answer wrote them (JSON.parse rounds 2^70 and turns 1e400 into Infinity). */
function numberAsWritten(body: string, field: string, value: number): string | undefined {
  const pattern = new RegExp(`"${field}"\\s*:\\s*(-?\\d[\\d.eE+-]*)`, 'g');
  for (const match of body.matchAll(pattern)) if (Number(match[1]) === value) return match[1];
  return undefined;
}

export function createCamundaClient(connection: ConnectionOptions, context: ClientContext): CamundaWriteClient {
  const base = engineBaseUrl(connection);
  const authorization = authorizationHeader(connection.auth);
  const redactCredentials = createRedactor(connectionSecrets(connection));
  const { log } = context;
  const requestOptions: TlsRequestOptions = {
    method: 'GET',
    headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
    rejectUnauthorized: !connection.tls.insecure,
    ...(connection.tls.ca ? { ca: connection.tls.ca } : {}),
    ...(connection.tls.cert ? { cert: connection.tls.cert } : {}),
    ...(connection.tls.key ? { key: connection.tls.key } : {}),
  };

  const compressedOptions: TlsRequestOptions = { ...requestOptions, headers: { ...requestOptions.headers, 'accept-encoding': 'gzip, deflate' } };
  const proxy = proxyFor(new URL(base), connection.proxy);
  if (proxy) log.log(2, `proxy: ${proxy.url} (from ${proxy.source})${proxy.authorization ? ' with credentials' : ''}${base.startsWith('https:') ? ', CONNECT tunnel' : ''}`);

  const failedRequest = (endpoint: string): FailedRequest => ({
    endpoint,
    url: connection.url,
    urlOption: connection.urlOption ?? '--url',
    engine: connection.engine,
    authenticated: authorization !== undefined,
    timeoutSeconds: context.timeoutSeconds,
    ...(proxy ? { proxy: { url: proxy.url, source: proxy.source } } : {}),
  });

  /** One request; resolves with the answer of any status the caller accepts (`ok`), else throws the explained error. */
  async function exchange(method: 'GET' | 'PUT' | 'POST', path: string, query: Query, body: string | undefined, ok: (status: number) => boolean): Promise<Answer> {
    const searchParams = toSearchParams(query);
    // A little before the run's deadline, so the message can name the request that hung.
    const remainingMs = Math.max(1, context.deadline - Date.now() - 50);
    const request = failedRequest(`${method} ${path}`);
    const shown = `${base}${path}${searchParams.size ? `?${searchParams}` : ''}`;
    // Past the deadline (the run's timer is late on a host starved of CPU time), neither a new
    // request nor reading an answer would change the outcome: they would only take CPU time.
    const timedOut = () => transportError(codedError('the run is past its deadline', 'TimeoutError', 'ETIMEDOUT'), request);
    if (Date.now() >= context.deadline) throw timedOut();
    const started = Date.now();
    log.log(2, `request: ${method} ${shown}${body === undefined ? '' : ` ${body}`}`);
    const options =
      body !== undefined
        ? { ...requestOptions, method, headers: { ...requestOptions.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }
        : compressionPays(path, query)
          ? compressedOptions
          : requestOptions;

    let response: Answer;
    try {
      response = await getText(new URL(shown), options, remainingMs, context.signal, proxy, body);
    } catch (error) {
      if (error instanceof ResponseTooLarge) {
        log.log(1, `${method} ${shown} answered with more than ${MAX_RESPONSE_BYTES} bytes after ${Date.now() - started} ms`);
        throw tooLargeError(MAX_RESPONSE_BYTES, request);
      }
      log.log(1, `${method} ${shown} failed after ${Date.now() - started} ms: ${(error as Error)?.message}`);
      throw transportError(error, request);
    }
    if (Date.now() >= context.deadline) throw timedOut();
    // An engine or proxy that echoes our credentials (error pages do) must not hand them on to messages or output.
    const answer = { ...response, body: redactCredentials(response.body) };
    const encoding = answer.headers['content-encoding'];
    log.log(1, `${method} ${shown} -> HTTP ${answer.statusCode}, ${answer.body.length} bytes${encoding ? ` (${encoding.slice(0, 20)})` : ''} in ${Date.now() - started} ms`);
    log.log(3, `response body: ${answer.body.length > 2000 ? `${answer.body.slice(0, 2000)}…` : answer.body}`);

    if (!ok(answer.statusCode)) throw httpStatusError(answer.statusCode, answer.body, request, answer.headers.location);
    return answer;
  }

  return {
    async get<T>(path: string, query: Query, shape: Shape<T>): Promise<T> {
      const { body } = await exchange('GET', path, query, undefined, (status) => status === 200);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw notJsonError(body, failedRequest(`GET ${path}`));
      }
      const found: ShapeFindings = {};
      if (!shape.check(parsed, found)) {
        const { impossible } = found;
        if (impossible) throw impossibleNumberError(impossible.field, impossible.value, numberAsWritten(body, impossible.field, impossible.value), failedRequest(`GET ${path}`));
        throw wrongShapeError(shape.describe, failedRequest(`GET ${path}`));
      }
      return parsed;
    },
    async send(method, path, body) {
      await exchange(method, path, {}, JSON.stringify(body), (status) => status >= 200 && status < 300);
    },
  };
}
