import nock from 'nock';
import { afterEach, beforeAll, expect } from 'vitest';

/** For a test file that mocks the engine with nock: no real connection, and every mocked request must have been made. */
export function useStrictNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every mocked request was made').toEqual([]);
  });
}
