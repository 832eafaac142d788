import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createCamundaClient, type CamundaClient } from '../../src/camunda/client';
import type { Logger } from '../../src/plugin/log';

/*
 * The nock engine of the unit tests: checks run in-process against MOCK_REST_URL, query modules
 * of src/camunda use the real REST client against it.
 */

export const MOCK_ENGINE = 'http://camunda.test:8080';
export const MOCK_REST_URL = `${MOCK_ENGINE}/engine-rest`;

/** Test file hooks: no real network, and every mocked request must have been made (a check that skips a query fails its test). */
export function useStrictNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every mocked request was made').toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());
}

const silentLogger: Logger = { level: 0, log() {} };

/** The real client for MOCK_REST_URL, with a 2 s deadline. */
export function mockedEngineClient(): CamundaClient {
  return createCamundaClient(
    { url: MOCK_REST_URL, tls: { insecure: false } },
    { log: silentLogger, signal: new AbortController().signal, deadline: Date.now() + 2000, timeoutSeconds: 2 },
  );
}

/** Answers `times` requests to `path` with reply(query) and records their queries. */
export function mockGet(path: string, reply: (query: Record<string, string>) => unknown, times: number): Record<string, string>[] {
  const seen: Record<string, string>[] = [];
  nock(MOCK_ENGINE)
    .get(`/engine-rest${path}`)
    .query(true)
    .times(times)
    .reply(function () {
      const query = Object.fromEntries(new URL(this.req.path, MOCK_ENGINE).searchParams);
      seen.push(query);
      return [200, reply(query)];
    });
  return seen;
}
