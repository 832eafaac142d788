import http, { type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import type { Logger } from '../plugin/log';
import { createRedactor } from '../plugin/log';
import { authorizationHeader, connectionSecrets, engineBaseUrl, type ConnectionOptions } from './connection';
import { httpStatusError, notJsonError, tooLargeError, transportError, wrongShapeError, type FailedRequest } from './errors';
import type { Shape } from './shapes';

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

/**
 * One GET on node:http or node:https, with neither retries nor redirects followed. It settles
 * once: with the whole body, or with the first error (network, TLS, the time limit, the signal).
 * A client library costs more start-up time than a check's whole budget (bench/README.md); this
 * is the little of one the checks use.
 */
async function getText(url: URL, options: RequestOptions, timeoutMs: number, signal: AbortSignal, body?: string): Promise<Answer> {
  // TLS is loaded only for https URLs: plain http checks do not pay for it at start-up. The module's
  // request is looked up at call time, so that interceptors (nock in the tests) see the request.
  const transport = url.protocol === 'https:' ? (await import('node:https')).default : http;
  return new Promise<Answer>((resolve, reject) => {
    // Created first: a request that cannot even be made (a header Node rejects) throws here, with nothing armed yet.
    const req = transport.request(url, options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) settle(new ResponseTooLarge());
        else chunks.push(chunk);
      });
      response.on('end', () =>
        settle(undefined, { statusCode: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', (error) => settle(error));
      response.on('aborted', () => settle(codedError('the server closed the connection before the answer was complete', 'Error', 'ECONNRESET')));
    });
    let settled = false;
    const settle = (error: Error | undefined, answer?: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else {
        resolve(answer!);
      }
    };
    const onAbort = (): void => settle(codedError('This operation was aborted.', 'AbortError', 'ERR_ABORTED'));
    const timer = setTimeout(() => settle(codedError(`Timeout awaiting 'request' for ${timeoutMs}ms`, 'TimeoutError', 'ETIMEDOUT')), timeoutMs);
    req.on('error', (error) => settle(error));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}

export function createCamundaClient(connection: ConnectionOptions, context: ClientContext): CamundaWriteClient {
  const base = engineBaseUrl(connection);
  const authorization = authorizationHeader(connection.auth);
  const redactCredentials = createRedactor(connectionSecrets(connection));
  const { log } = context;
  const requestOptions: RequestOptions & { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string } = {
    method: 'GET',
    headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
    rejectUnauthorized: !connection.tls.insecure,
    ...(connection.tls.ca ? { ca: connection.tls.ca } : {}),
    ...(connection.tls.cert ? { cert: connection.tls.cert } : {}),
    ...(connection.tls.key ? { key: connection.tls.key } : {}),
  };

  const failedRequest = (endpoint: string): FailedRequest => ({
    endpoint,
    url: connection.url,
    urlOption: connection.urlOption ?? '--url',
    engine: connection.engine,
    authenticated: authorization !== undefined,
    timeoutSeconds: context.timeoutSeconds,
  });

  /** One request; resolves with the answer of any status the caller accepts (`ok`), else throws the explained error. */
  async function exchange(method: 'GET' | 'PUT' | 'POST', path: string, query: Query, body: string | undefined, ok: (status: number) => boolean): Promise<Answer> {
    const searchParams = toSearchParams(query);
    // A little before the run's deadline, so the message can name the request that hung.
    const remainingMs = Math.max(1, context.deadline - Date.now() - 50);
    const request = failedRequest(`${method} ${path}`);
    const shown = `${base}${path}${searchParams.size ? `?${searchParams}` : ''}`;
    const started = Date.now();
    log.log(2, `request: ${method} ${shown}${body === undefined ? '' : ` ${body}`}`);
    const options =
      body === undefined
        ? requestOptions
        : { ...requestOptions, method, headers: { ...requestOptions.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } };

    let response: Answer;
    try {
      response = await getText(new URL(shown), options, remainingMs, context.signal, body);
    } catch (error) {
      if (error instanceof ResponseTooLarge) {
        log.log(1, `${method} ${shown} answered with more than ${MAX_RESPONSE_BYTES} bytes after ${Date.now() - started} ms`);
        throw tooLargeError(MAX_RESPONSE_BYTES, request);
      }
      log.log(1, `${method} ${shown} failed after ${Date.now() - started} ms: ${(error as Error)?.message}`);
      throw transportError(error, request);
    }
    // An engine or proxy that echoes our credentials (error pages do) must not hand them on to messages or output.
    const answer = { ...response, body: redactCredentials(response.body) };
    log.log(1, `${method} ${shown} -> HTTP ${answer.statusCode}, ${answer.body.length} bytes in ${Date.now() - started} ms`);
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
      if (!shape.check(parsed)) throw wrongShapeError(shape.describe, failedRequest(`GET ${path}`));
      return parsed;
    },
    async send(method, path, body) {
      await exchange(method, path, {}, JSON.stringify(body), (status) => status >= 200 && status < 300);
    },
  };
}
