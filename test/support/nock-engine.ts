import nock from 'nock';
import { afterEach, beforeAll, expect } from 'vitest';

/** The engine the nock unit tests of the checks pretend to talk to. */
export const MOCK_ENGINE = 'http://camunda.test:8080';
export const MOCK_REST_URL = `${MOCK_ENGINE}/engine-rest`;

/** No real network, and every mocked request must have been made: a check that skips a query fails its test. */
export function guardMockedEngine(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every mocked request was made').toEqual([]);
  });
}
