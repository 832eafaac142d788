import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createCamundaClient, type CamundaClient } from '../../src/camunda/client';
import type { Logger } from '../../src/plugin/log';

/*
 * For unit tests of src/camunda query modules: the real REST client against a nock engine.
 */

export const MOCK_ORIGIN = 'http://camunda.test:8080';
const silentLogger: Logger = { level: 0, log() {} };

/** The real client for `${MOCK_ORIGIN}/engine-rest`, with a 2 s deadline. */
export function mockedEngineClient(): CamundaClient {
  return createCamundaClient(
    { url: `${MOCK_ORIGIN}/engine-rest`, tls: { insecure: false } },
    { log: silentLogger, signal: new AbortController().signal, deadline: Date.now() + 2000, timeoutSeconds: 2 },
  );
}

/** Answers `times` requests to `path` with reply(query) and records their queries. */
export function mockGet(path: string, reply: (query: Record<string, string>) => unknown, times: number): Record<string, string>[] {
  const seen: Record<string, string>[] = [];
  nock(MOCK_ORIGIN)
    .get(`/engine-rest${path}`)
    .query(true)
    .times(times)
    .reply(function () {
      const query = Object.fromEntries(new URL(this.req.path, MOCK_ORIGIN).searchParams);
      seen.push(query);
      return [200, reply(query)];
    });
  return seen;
}

/** Test file hooks: no real network, and every mocked request must have been made. */
export function expectEveryMockUsed(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every mocked request was made').toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());
}
