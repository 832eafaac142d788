import got from 'got';
import type { Logger } from '../plugin/log';
import { createRedactor } from '../plugin/log';
import { authorizationHeader, connectionSecrets, engineBaseUrl, type ConnectionOptions } from './connection';
import { httpStatusError, notJsonError, transportError, wrongShapeError, type FailedRequest } from './errors';
import type { Shape } from './shapes';

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

export function createCamundaClient(connection: ConnectionOptions, context: ClientContext): CamundaClient {
  const base = engineBaseUrl(connection);
  const authorization = authorizationHeader(connection.auth);
  const redactCredentials = createRedactor(connectionSecrets(connection));
  const { log } = context;
  const http = got.extend({
    headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
    https: {
      rejectUnauthorized: !connection.tls.insecure,
      certificateAuthority: connection.tls.ca,
      certificate: connection.tls.cert,
      key: connection.tls.key,
    },
  });

  return {
    async get<T>(path: string, query: Query, shape: Shape<T>): Promise<T> {
      const searchParams = toSearchParams(query);
      // A little before the run's deadline, so the message can name the request that hung.
      const remainingMs = Math.max(1, context.deadline - Date.now() - 50);
      const request: FailedRequest = {
        endpoint: `GET ${path}`,
        url: connection.url,
        engine: connection.engine,
        authenticated: authorization !== undefined,
        timeoutSeconds: context.timeoutSeconds,
      };
      const shown = `${base}${path}${searchParams.size ? `?${searchParams}` : ''}`;
      const started = Date.now();
      log.log(2, `request: GET ${shown}`);

      let response;
      try {
        response = await http.get(`${base}${path}`, {
          searchParams,
          timeout: { request: remainingMs },
          signal: context.signal,
        });
      } catch (error) {
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
      if (!shape.check(parsed)) throw wrongShapeError(shape.describe, request);
      return parsed;
    },
  };
}
