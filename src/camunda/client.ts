import http, { type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import type { Logger } from '../plugin/log';
import { createRedactor } from '../plugin/log';
import { authorizationHeader, connectionSecrets, engineBaseUrl, type ConnectionOptions } from './connection';
import { httpStatusError, impossibleNumberError, notJsonError, tooLargeError, transportError, wrongShapeError, type FailedRequest } from './errors';
import type { Shape, ShapeFindings } from './shapes';

/** Query parameter values; lists are sent comma-separated as Camunda's `...In` parameters expect. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

export interface CamundaClient {
  get<T>(path: string, query: Query, shape: Shape<T>): Promise<T>;
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
async function getText(url: URL, options: RequestOptions, timeoutMs: number, signal: AbortSignal): Promise<Answer> {
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
    req.end();
  });
}

/** The digits of `"field": number` as the answer wrote them (JSON.parse rounds 2^70 and turns 1e400 into Infinity). */
function numberAsWritten(body: string, field: string, value: number): string | undefined {
  const pattern = new RegExp(`"${field}"\\s*:\\s*(-?\\d[\\d.eE+-]*)`, 'g');
  for (const match of body.matchAll(pattern)) if (Number(match[1]) === value) return match[1];
  return undefined;
}

export function createCamundaClient(connection: ConnectionOptions, context: ClientContext): CamundaClient {
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

  return {
    async get<T>(path: string, query: Query, shape: Shape<T>): Promise<T> {
      const searchParams = toSearchParams(query);
      // A little before the run's deadline, so the message can name the request that hung.
      const remainingMs = Math.max(1, context.deadline - Date.now() - 50);
      const request: FailedRequest = {
        endpoint: `GET ${path}`,
        url: connection.url,
        urlOption: connection.urlOption ?? '--url',
        engine: connection.engine,
        authenticated: authorization !== undefined,
        timeoutSeconds: context.timeoutSeconds,
      };
      const shown = `${base}${path}${searchParams.size ? `?${searchParams}` : ''}`;
      const started = Date.now();
      log.log(2, `request: GET ${shown}`);

      let response: Answer;
      try {
        response = await getText(new URL(shown), requestOptions, remainingMs, context.signal);
      } catch (error) {
        if (error instanceof ResponseTooLarge) {
          log.log(1, `GET ${shown} answered with more than ${MAX_RESPONSE_BYTES} bytes after ${Date.now() - started} ms`);
          throw tooLargeError(MAX_RESPONSE_BYTES, request);
        }
        log.log(1, `GET ${shown} failed after ${Date.now() - started} ms: ${(error as Error)?.message}`);
        throw transportError(error, request);
      }
      // An engine or proxy that echoes our credentials (error pages do) must not hand them on to messages or output.
      const body = redactCredentials(response.body);
      log.log(1, `GET ${shown} -> HTTP ${response.statusCode}, ${body.length} bytes in ${Date.now() - started} ms`);
      log.log(3, `response body: ${body.length > 2000 ? `${body.slice(0, 2000)}…` : body}`);

      if (response.statusCode !== 200) {
        throw httpStatusError(response.statusCode, body, request, response.headers.location);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw notJsonError(body, request);
      }
      const found: ShapeFindings = {};
      if (!shape.check(parsed, found)) {
        const { impossible } = found;
        if (impossible) throw impossibleNumberError(impossible.field, impossible.value, numberAsWritten(body, impossible.field, impossible.value), request);
        throw wrongShapeError(shape.describe, request);
      }
      return parsed;
    },
  };
}
