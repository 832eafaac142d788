import nock from 'nock';
import type { Plugin } from '../../src/plugin/run';
import { stripEnginePrefix, validateQuery } from './openapi';
import { runInProcess } from './run-plugin';

/*
 * Shared machinery of the contract tests (test/contract/*.test.ts): run a check in-process
 * against a nock engine that answers every endpoint with schema-valid bodies, record every
 * request, and validate each one against the OpenAPI document plus the recorded facts.
 */

export const CONTRACT_ENGINE = 'http://contract.test:8080';
export const CONTRACT_BASE_PATH = '/engine-rest';
export const CONTRACT_URL = `${CONTRACT_ENGINE}${CONTRACT_BASE_PATH}`;
/** A second recording engine, for checks that ask several cluster nodes (pass it in `hosts`). */
export const CONTRACT_NODE_ENGINE = 'http://contract-node.test:8080';
export const CONTRACT_NODE_URL = `${CONTRACT_NODE_ENGINE}${CONTRACT_BASE_PATH}`;

export interface RecordedRequest {
  /** Which recording engine got the request (scheme, host and port). */
  readonly host: string;
  /** The engine named in `/engine/{name}/...`; undefined for the default engine and the root resources. */
  readonly engine: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
}

/** Answers one GET (path without base path and engine prefix); undefined = 404. */
export type Responder = (path: string, query: URLSearchParams) => [number, unknown] | undefined;

/**
 * Runs the check once per invocation against the recording engine (and the further `hosts`,
 * which answer alike); returns every request and each run's exit code.
 */
export async function recordRequests<O>(
  plugin: Plugin<O>,
  invocations: readonly (readonly string[])[],
  respond: Responder,
  hosts: readonly string[] = [],
): Promise<{ requests: RecordedRequest[]; codes: number[] }> {
  const requests: RecordedRequest[] = [];
  const codes: number[] = [];
  nock.disableNetConnect();
  const scopes = [CONTRACT_ENGINE, ...hosts].map((host) =>
    nock(host)
      .persist()
      .get(/.*/)
      .query(true)
      .reply(function (uri) {
        const url = new URL(uri, host);
        const { engine, path } = stripEnginePrefix(url.pathname, CONTRACT_BASE_PATH);
        requests.push({ host, engine, method: 'GET', path, query: Object.fromEntries(url.searchParams) });
        return respond(path, url.searchParams) ?? [404, ''];
      }),
  );
  try {
    for (const args of invocations) {
      const result = await runInProcess(plugin, ['--url', CONTRACT_URL, ...args]);
      codes.push(result.code);
    }
  } finally {
    for (const scope of scopes) scope.persist(false);
    nock.cleanAll();
  }
  return { requests, codes };
}

/** `METHOD /path` of every distinct endpoint, sorted. */
export function endpointsOf(requests: readonly RecordedRequest[]): string[] {
  return [...new Set(requests.map((r) => `${r.method} ${r.path}`))].sort();
}

/** Every query parameter name sent. */
export function parametersOf(requests: readonly RecordedRequest[]): Set<string> {
  return new Set(requests.flatMap((r) => Object.keys(r.query)));
}

/** One line per request that uses a parameter or value the API does not define. */
export function contractViolations(requests: readonly RecordedRequest[]): string[] {
  return requests.flatMap((r) =>
    validateQuery(r.method, r.path, r.query).map((error) => `${r.method} ${r.path}?${new URLSearchParams(r.query)}: ${error}`),
  );
}
