import nock from 'nock';

export const FAKE_ENGINE = 'http://camunda.test:8080';
export const FAKE_REST_URL = `${FAKE_ENGINE}/engine-rest`;

export interface SeenRequest {
  /** Without `/engine-rest`. */
  readonly path: string;
  readonly query: Record<string, string>;
}

/**
 * A nock engine at FAKE_REST_URL that answers every GET with `respond(path, query)` ([status, body]; 404
 * when undefined) for the rest of the test, and records the requests in the returned list.
 */
export function fakeEngine(respond: (path: string, query: Record<string, string>) => [number, unknown] | undefined): SeenRequest[] {
  const seen: SeenRequest[] = [];
  nock(FAKE_ENGINE)
    .persist()
    .get(/.*/)
    .query(true)
    .reply(function (uri) {
      const url = new URL(uri, FAKE_ENGINE);
      const path = url.pathname.replace('/engine-rest', '');
      const query = Object.fromEntries(url.searchParams);
      seen.push({ path, query });
      return respond(path, query) ?? [404, ''];
    });
  return seen;
}
