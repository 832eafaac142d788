import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient, type CamundaClient } from '../../src/camunda/client';
import { definitionsById, undeployedKeys } from '../../src/camunda/definitions';
import { createLogger } from '../../src/plugin/log';
import { processDefinitionDto } from '../support/fixtures';

const ORIGIN = 'http://camunda.test:8080';

function client(): CamundaClient {
  return createCamundaClient(
    { url: `${ORIGIN}/engine-rest`, tls: { insecure: false } },
    { log: createLogger(0, (t) => t, () => {}), signal: new AbortController().signal, deadline: Date.now() + 2000, timeoutSeconds: 2 },
  );
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('definitionsById', () => {
  it('asks once for all distinct ids and maps them', async () => {
    const seen: string[] = [];
    nock(ORIGIN)
      .get('/engine-rest/process-definition')
      .query((q) => (seen.push(String(q.processDefinitionIdIn)), q.maxResults === '2'))
      .reply(200, [processDefinitionDto({ id: 'a:1:x', key: 'a' }), processDefinitionDto({ id: 'b:2:y', key: 'b', version: 2 })]);
    const map = await definitionsById(client(), ['a:1:x', 'b:2:y', 'a:1:x', null, undefined]);
    expect(seen).toEqual(['a:1:x,b:2:y']);
    expect(map.get('b:2:y')).toMatchObject({ key: 'b', version: 2 });
  });

  it('splits many ids into requests of 40, so no request line grows beyond what servers accept', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `a-rather-long-process-definition-key-${i}:1:c3a63aaa-2046-11e7-8f94-34f39ab71d4e`);
    const sizes: number[] = [];
    nock(ORIGIN)
      .get('/engine-rest/process-definition')
      .times(3)
      .query((q) => (sizes.push(String(q.processDefinitionIdIn).split(',').length), true))
      .reply(200, (uri) => {
        const url = new URL(uri, ORIGIN);
        expect(url.pathname.length + url.search.length).toBeLessThan(4096);
        return url.searchParams.get('processDefinitionIdIn')!.split(',').map((id) => processDefinitionDto({ id, key: id.split(':')[0]! }));
      });
    const map = await definitionsById(client(), ids);
    expect(sizes.sort((a, b) => a - b)).toEqual([20, 40, 40]);
    expect(map.size).toBe(100);
  });

  it('makes no request without ids', async () => {
    expect((await definitionsById(client(), [null])).size).toBe(0);
  });
});

describe('undeployedKeys', () => {
  it('counts each key for the given tenants and returns those with no version', async () => {
    nock(ORIGIN)
      .get('/engine-rest/process-definition/count')
      .times(2)
      .query(true)
      .reply(200, (uri) => {
        const q = new URL(uri, ORIGIN).searchParams;
        expect(q.get('tenantIdIn')).toBe('acme');
        return { count: q.get('key') === 'invoice' ? 3 : 0 };
      });
    expect(await undeployedKeys(client(), ['invoice', 'invoce'], ['acme'])).toEqual(['invoce']);
  });
});
