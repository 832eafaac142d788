import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient, type CamundaClient } from '../../src/camunda/client';
import { describeDefinition, keyAndVersionOfId, keysAndVersionsById, undeployedKeys, type KeyAndVersion } from '../../src/camunda/definitions';
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

describe('keyAndVersionOfId', () => {
  it.each([
    ['invoice:2:c3a63aaa-2046-11e7-8f94-34f39ab71d4e', { key: 'invoice', version: 2 }],
    ['Process_0x1a-b.c:17:42', { key: 'Process_0x1a-b.c', version: 17 }],
  ])('reads key and version from the engine form %s', (id, expected) => {
    expect(keyAndVersionOfId(id)).toEqual(expected);
  });

  it.each([
    ['a bare UUID (key too long for the 64 characters)', 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e'],
    ['a bare sequence number', '4711'],
    ['a non-numeric version', 'a:b:c'],
    ['version 0', 'invoice:0:x'],
    ['a version with a leading zero', 'invoice:02:x'],
    ['a signed version', 'invoice:+2:x'],
    ['a version beyond safe integers', 'invoice:9007199254740993:x'],
    ['extra colons', 'invoice:2:x:y'],
    ['two parts', 'invoice:2'],
    ['an empty key', ':2:x'],
    ['an empty generated id', 'invoice:2:'],
    ['an empty id', ''],
  ])('rejects %s', (_what, id) => {
    expect(keyAndVersionOfId(id)).toBeUndefined();
  });
});

describe('keysAndVersionsById', () => {
  const ref = (processDefinitionId: string | null, processDefinitionKey?: string | null) => ({ processDefinitionId, processDefinitionKey });

  it('reads ids of the engine form without any request', async () => {
    const map = await keysAndVersionsById(client(), [ref('a:1:x'), ref('b:2:y', 'b'), ref('a:1:x'), ref(null)]);
    expect(Object.fromEntries(map)).toEqual({ 'a:1:x': { key: 'a', version: 1 }, 'b:2:y': { key: 'b', version: 2 } });
  });

  it('asks once for all distinct ids not of that form and maps them', async () => {
    const seen: string[] = [];
    nock(ORIGIN)
      .get('/engine-rest/process-definition')
      .query((q) => (seen.push(String(q.processDefinitionIdIn)), q.maxResults === '3'))
      .reply(200, [
        processDefinitionDto({ id: 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e', key: 'a-very-long-key' }),
        processDefinitionDto({ id: 'a:b:c', key: 'custom', version: 4 }),
        processDefinitionDto({ id: 'x:1:y:z', key: 'x:1', version: 3 }),
      ]);
    const map = await keysAndVersionsById(client(), [
      ref('c3a63aaa-2046-11e7-8f94-34f39ab71d4e'),
      ref('a:b:c'),
      ref('x:1:y:z'),
      ref('c3a63aaa-2046-11e7-8f94-34f39ab71d4e'),
      ref('invoice:2:u'),
    ]);
    expect(seen).toEqual(['c3a63aaa-2046-11e7-8f94-34f39ab71d4e,a:b:c,x:1:y:z']);
    expect(map.get('c3a63aaa-2046-11e7-8f94-34f39ab71d4e')).toMatchObject({ key: 'a-very-long-key', version: 1 });
    expect(map.get('a:b:c')).toMatchObject({ key: 'custom', version: 4 });
    expect(map.get('x:1:y:z')).toMatchObject({ key: 'x:1', version: 3 });
    expect(map.get('invoice:2:u')).toEqual({ key: 'invoice', version: 2 });
  });

  it('asks for an id whose key disagrees with the key carried beside it, even when another reference agrees', async () => {
    const seen: string[] = [];
    nock(ORIGIN)
      .get('/engine-rest/process-definition')
      .query((q) => (seen.push(String(q.processDefinitionIdIn)), true))
      .reply(200, [processDefinitionDto({ id: 'order:7:x', key: 'shipping', version: 2 })]);
    const map = await keysAndVersionsById(client(), [ref('order:7:x', 'order'), ref('order:7:x', 'shipping'), ref('order:7:x')]);
    expect(seen).toEqual(['order:7:x']);
    expect(map.get('order:7:x')).toMatchObject({ key: 'shipping', version: 2 });
  });

  it('splits many ids into requests of 40, so no request line grows beyond what servers accept', async () => {
    // 64 characters, the engine's limit for ids, and no ':' as in generated ids.
    const ids = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(3, '0')}-${'c3a63aaa-2046-11e7-8f94-34f39ab71d4e'.padEnd(60, 'f')}`);
    const sizes: number[] = [];
    nock(ORIGIN)
      .get('/engine-rest/process-definition')
      .times(3)
      .query((q) => (sizes.push(String(q.processDefinitionIdIn).split(',').length), true))
      .reply(200, (uri) => {
        const url = new URL(uri, ORIGIN);
        expect(url.pathname.length + url.search.length).toBeLessThan(4096);
        return url.searchParams.get('processDefinitionIdIn')!.split(',').map((id) => processDefinitionDto({ id, key: `key-${id.slice(0, 3)}` }));
      });
    const map = await keysAndVersionsById(client(), ids.map((id) => ref(id)));
    expect(sizes.sort((a, b) => a - b)).toEqual([20, 40, 40]);
    expect(map.size).toBe(100);
  });

  it('makes no request without ids', async () => {
    expect((await keysAndVersionsById(client(), [ref(null)])).size).toBe(0);
  });
});

describe('describeDefinition', () => {
  it('names a definition the same whether its key and version were read from the id or asked for', async () => {
    const id = 'invoice:2:c3a63aaa-2046-11e7-8f94-34f39ab71d4e';
    const incident = { processDefinitionId: id, tenantId: 'acme' };
    const read = await keysAndVersionsById(client(), [incident]);
    const asked = new Map([[id, processDefinitionDto({ id, key: 'invoice', version: 2 }) as unknown as KeyAndVersion]]);
    expect(describeDefinition(incident, read)).toBe('invoice (v2) [tenant acme]');
    expect(describeDefinition(incident, asked)).toBe(describeDefinition(incident, read));
  });

  it('falls back to the carried key, then to the bare id, when the engine did not resolve it', () => {
    const id = 'c3a63aaa-2046-11e7-8f94-34f39ab71d4e';
    expect(describeDefinition({ processDefinitionId: id, processDefinitionKey: 'invoice', tenantId: null }, new Map())).toBe('invoice');
    expect(describeDefinition({ processDefinitionId: id, tenantId: null }, new Map())).toBe(id);
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

  it('counts a shared definition (without tenant) as deployed for every tenant', async () => {
    // Instances of a shared definition run for the tenant a TenantIdProvider gives them
    // (ExecutionEntity.java:470-493), and their incidents and jobs carry it: tenant acme has data
    // of 'invoice' although no definition of acme has that key. includeProcessDefinitionsWithoutTenantId
    // widens tenantIdIn by `or TENANT_ID_ is null` (ProcessDefinition.xml:338-352).
    const asked: Record<string, string | null>[] = [];
    nock(ORIGIN)
      .get('/engine-rest/process-definition/count')
      .query(true)
      .reply(200, (uri) => {
        const q = new URL(uri, ORIGIN).searchParams;
        asked.push({ key: q.get('key'), tenantIdIn: q.get('tenantIdIn'), include: q.get('includeProcessDefinitionsWithoutTenantId') });
        return { count: q.get('includeProcessDefinitionsWithoutTenantId') === 'true' ? 1 : 0 };
      });
    expect(await undeployedKeys(client(), ['invoice'], ['acme'])).toEqual([]);
    expect(asked).toEqual([{ key: 'invoice', tenantIdIn: 'acme', include: 'true' }]);
  });

  it('asks without any tenant parameter when no tenant is selected', async () => {
    nock(ORIGIN)
      .get('/engine-rest/process-definition/count')
      .query((q) => q.key === 'invoice' && Object.keys(q).length === 1)
      .reply(200, { count: 1 });
    expect(await undeployedKeys(client(), ['invoice'], [])).toEqual([]);
  });
});
