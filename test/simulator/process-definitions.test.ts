import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { validateQuery } from '../support/openapi';
import { clock, get, getOk, query, scenario, UUID } from './fixture';

interface DefinitionDto {
  id: string;
  key: string;
  version: number;
  tenantId: string | null;
  [field: string]: unknown;
}

interface StatisticsDto {
  id: string;
  instances: number;
  failedJobs: number;
  incidents: { incidentType: string; incidentCount: number }[];
  definition: DefinitionDto;
}

let sim: RunningSimulator;
let all: DefinitionDto[];
const label = (d: DefinitionDto) => `${d.key}:${d.version}${d.tenantId ? `@${d.tenantId}` : ''}`;
const byLabel = (name: string) => all.find((d) => label(d) === name)!;

async function labels(params: Record<string, string>): Promise<string[]> {
  const list = await getOk<DefinitionDto[]>(sim, `/process-definition${query(params)}`);
  const count = await getOk<{ count: number }>(sim, `/process-definition/count${query(params)}`);
  expect(count.count, 'count agrees with the list').toBe(list.length);
  return list.map(label).sort();
}

beforeAll(async () => {
  sim = await startSimulator({ scenario, now: clock });
  all = await getOk<DefinitionDto[]>(sim, '/process-definition');
});
afterAll(() => sim.close());

describe('GET /process-definition', () => {
  it('lists every version of every definition as ProcessDefinitionDto', () => {
    expect(all.map(label).sort()).toEqual(['invoice:1', 'invoice:2', 'onboarding:1@acme', 'onboarding:1@globex', 'order:1', 'order:2']);
    expect(byLabel('invoice:2')).toEqual({
      id: expect.stringMatching(/^invoice:2:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      key: 'invoice',
      category: 'http://bpmn.io/schema/bpmn',
      description: null,
      name: 'Invoice Receipt',
      version: 2,
      resource: 'invoice.bpmn',
      deploymentId: expect.stringMatching(UUID),
      diagram: null,
      suspended: false,
      tenantId: null,
      versionTag: '2.0',
      historyTimeToLive: 180,
      startableInTasklist: true,
    });
    expect(byLabel('order:1')).toMatchObject({ suspended: true, category: 'http://example.com/orders', historyTimeToLive: null, versionTag: null });
    expect(byLabel('onboarding:1@globex')).toMatchObject({ tenantId: 'globex', startableInTasklist: false });
    expect(byLabel('invoice:1').deploymentId).not.toBe(byLabel('invoice:2').deploymentId);
  });

  it('keeps the same ids across restarts of the same scenario', async () => {
    const again = await startSimulator({ scenario, now: clock });
    try {
      expect((await getOk<DefinitionDto[]>(again, '/process-definition')).map((d) => d.id)).toEqual(all.map((d) => d.id));
    } finally {
      await again.close();
    }
  });
});

describe('process definition filters', () => {
  const cases: [string, () => Record<string, string>, string[]][] = [
    ['key', () => ({ key: 'invoice' }), ['invoice:1', 'invoice:2']],
    ['keysIn', () => ({ keysIn: 'invoice,order' }), ['invoice:1', 'invoice:2', 'order:1', 'order:2']],
    ['keyLike', () => ({ keyLike: '%board%' }), ['onboarding:1@acme', 'onboarding:1@globex']],
    ['keyLike prefix', () => ({ keyLike: 'inv%' }), ['invoice:1', 'invoice:2']],
    ['processDefinitionId', () => ({ processDefinitionId: byLabel('order:2').id }), ['order:2']],
    ['processDefinitionIdIn', () => ({ processDefinitionIdIn: `${byLabel('order:2').id},${byLabel('invoice:1').id}` }), ['invoice:1', 'order:2']],
    ['category', () => ({ category: 'http://example.com/orders' }), ['order:1', 'order:2']],
    ['latestVersion', () => ({ latestVersion: 'true' }), ['invoice:2', 'onboarding:1@acme', 'onboarding:1@globex', 'order:2']],
    ['latestVersion=false does not restrict', () => ({ latestVersion: 'false' }), ['invoice:1', 'invoice:2', 'onboarding:1@acme', 'onboarding:1@globex', 'order:1', 'order:2']],
    ['latestVersion with key', () => ({ latestVersion: 'true', key: 'order' }), ['order:2']],
    ['tenantIdIn', () => ({ tenantIdIn: 'acme' }), ['onboarding:1@acme']],
    ['tenantIdIn with definitions without tenant', () => ({ tenantIdIn: 'acme', includeProcessDefinitionsWithoutTenantId: 'true' }), ['invoice:1', 'invoice:2', 'onboarding:1@acme', 'order:1', 'order:2']],
    ['withoutTenantId', () => ({ withoutTenantId: 'true' }), ['invoice:1', 'invoice:2', 'order:1', 'order:2']],
    ['suspended', () => ({ suspended: 'true' }), ['order:1']],
    ['active', () => ({ active: 'true' }), ['invoice:1', 'invoice:2', 'onboarding:1@acme', 'onboarding:1@globex', 'order:2']],
    ['version', () => ({ version: '2' }), ['invoice:2', 'order:2']],
    ['name', () => ({ name: 'Onboarding' }), ['onboarding:1@acme', 'onboarding:1@globex']],
    ['versionTag', () => ({ versionTag: '2.0' }), ['invoice:2']],
    ['withoutVersionTag', () => ({ withoutVersionTag: 'true', key: 'invoice' }), ['invoice:1']],
    ['deploymentId', () => ({ deploymentId: byLabel('invoice:1').deploymentId as string }), ['invoice:1']],
  ];
  it.each(cases)('%s', async (_name, params, expected) => {
    expect(validateQuery('get', '/process-definition', params())).toEqual([]);
    expect(await labels(params())).toEqual(expected);
  });

  it('rejects values that do not convert', async () => {
    expect(await get(sim, '/process-definition?version=two')).toMatchObject({
      status: 400,
      body: { type: 'InvalidRequestException', message: "Cannot set query parameter 'version' to value 'two': Cannot convert value two to java type java.lang.Integer" },
    });
    expect(await get(sim, '/process-definition/count?latestVersion=yes')).toMatchObject({
      status: 400,
      body: { type: 'InvalidRequestException', message: "Cannot set query parameter 'latestVersion' to value 'yes': Cannot convert value yes to java type java.lang.Boolean" },
    });
  });

  it('refuses latestVersion together with a version, as the engine does', async () => {
    const answer = await get(sim, '/process-definition?latestVersion=true&version=1');
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ type: 'ProcessEngineException', message: expect.stringContaining('Calling latest() can only be used') });
  });
});

describe('process definition sorting and paging', () => {
  const order = async (params: Record<string, string>) => (await getOk<DefinitionDto[]>(sim, `/process-definition${query(params)}`)).map(label);

  it('sorts by key, then version', async () => {
    const byKey = await order({ sortBy: 'key', sortOrder: 'asc' });
    expect(byKey.map((l) => l.split(':')[0])).toEqual(['invoice', 'invoice', 'onboarding', 'onboarding', 'order', 'order']);
    expect(await order({ sortBy: 'version', sortOrder: 'desc', key: 'order' })).toEqual(['order:2', 'order:1']);
  });

  it("accepts sortBy=tenantId (the document's enum has a typo) and sorts nulls first", async () => {
    expect(validateQuery('get', '/process-definition', { sortBy: 'tenantId', sortOrder: 'asc' })).toEqual([]);
    expect((await order({ sortBy: 'tenantId', sortOrder: 'asc' })).slice(-2)).toEqual(['onboarding:1@acme', 'onboarding:1@globex']);
    expect((await get(sim, `/process-definition${query({ sortBy: 'tenantId ', sortOrder: 'asc' })}`)).status).toBe(400);
  });

  it('pages', async () => {
    const sorted = await order({ sortBy: 'id', sortOrder: 'asc' });
    expect(await order({ sortBy: 'id', sortOrder: 'asc', firstResult: '2', maxResults: '2' })).toEqual(sorted.slice(2, 4));
  });

  it('rejects half a sorting', async () => {
    expect(await get(sim, '/process-definition?sortOrder=desc')).toMatchObject({
      status: 400,
      body: { type: 'InvalidRequestException', message: 'Only a single sorting parameter specified. sortBy and sortOrder required' },
    });
  });
});

describe('GET /process-definition/statistics', () => {
  const rows = async (params: Record<string, string> = {}) => {
    const list = await getOk<StatisticsDto[]>(sim, `/process-definition/statistics${query(params)}`);
    return Object.fromEntries(list.map((row) => [label(row.definition), row]));
  };

  it('has one row per definition version, with its running instances', async () => {
    const list = await getOk<StatisticsDto[]>(sim, '/process-definition/statistics');
    expect(list.map((row) => row.id)).toEqual(all.map((d) => d.id).sort());
    const stats = await rows();
    expect(Object.fromEntries(Object.entries(stats).map(([name, row]) => [name, row.instances]))).toEqual({
      'invoice:1': 1,
      'invoice:2': 5,
      'order:1': 0,
      'order:2': 1,
      'onboarding:1@acme': 1,
      'onboarding:1@globex': 1,
    });
    expect(stats['invoice:2']).toEqual({ id: byLabel('invoice:2').id, instances: 5, failedJobs: 0, incidents: [], definition: byLabel('invoice:2') });
  });

  it('counts failed jobs (retries 0) with failedJobs=true', async () => {
    const stats = await rows({ failedJobs: 'true' });
    expect(stats['invoice:1']!.failedJobs).toBe(1);
    // One failed job behind I1; its copy one calling level up (I4) has no job.
    expect(stats['invoice:2']!.failedJobs).toBe(1);
    expect(stats['order:2']!.failedJobs).toBe(0);
  });

  it('groups incidents by type with incidents=true', async () => {
    const stats = await rows({ incidents: 'true' });
    expect(stats['invoice:2']!.incidents).toEqual([{ incidentType: 'failedJob', incidentCount: 2 }]);
    expect(stats['order:2']!.incidents).toEqual([{ incidentType: 'failedExternalTask', incidentCount: 1 }]);
    expect(stats['onboarding:1@acme']!.incidents).toEqual([{ incidentType: 'documentCheck', incidentCount: 1 }]);
    expect(stats['order:1']!.incidents).toEqual([]);
  });

  it('counts one type with incidentsForType, and root incidents with rootIncidents=true', async () => {
    const forType = await rows({ incidentsForType: 'failedJob' });
    expect(forType['invoice:2']!.incidents).toEqual([{ incidentType: 'failedJob', incidentCount: 2 }]);
    expect(forType['order:2']!.incidents).toEqual([]);
    const roots = await rows({ rootIncidents: 'true' });
    expect(roots['invoice:2']!.incidents).toEqual([{ incidentType: 'failedJob', incidentCount: 1 }]);
  });

  it('treats anything but "true" as false (plain JAX-RS Boolean parameters)', async () => {
    const stats = await rows({ failedJobs: 'yes' });
    expect(stats['invoice:2']!.failedJobs).toBe(0);
  });

  it.each([
    [{ incidents: 'true', incidentsForType: 'failedJob' }, 'Only one of the query parameter includeIncidents or includeIncidentsForType can be set.'],
    [{ incidents: 'false', rootIncidents: 'true' }, 'Only one of the query parameter includeIncidents or includeRootIncidents can be set.'],
    [{ rootIncidents: 'true', incidentsForType: 'failedJob' }, 'Only one of the query parameter includeRootIncidents or includeIncidentsForType can be set.'],
  ])('rejects %o', async (params, message) => {
    expect(await get(sim, `/process-definition/statistics${query(params)}`)).toMatchObject({
      status: 400,
      body: { type: 'InvalidRequestException', message },
    });
  });
});

describe('single process definitions', () => {
  it('are found by id, and by key (latest version without tenant)', async () => {
    const invoice2 = byLabel('invoice:2');
    expect(await getOk(sim, `/process-definition/${encodeURIComponent(invoice2.id)}`)).toEqual(invoice2);
    expect(await getOk(sim, '/process-definition/key/invoice')).toEqual(invoice2);
    expect(await getOk(sim, '/process-definition/key/onboarding/tenant-id/globex')).toEqual(byLabel('onboarding:1@globex'));
  });

  it('answer 404 like Camunda when missing', async () => {
    expect(await get(sim, '/process-definition/nope')).toMatchObject({
      status: 404,
      body: { type: 'InvalidRequestException', message: 'No matching definition with id nope' },
    });
    expect(await get(sim, '/process-definition/key/onboarding')).toMatchObject({
      status: 404,
      body: { type: 'RestException', message: 'No matching process definition with key: onboarding and no tenant-id' },
    });
  });

  it('serve BPMN XML with the camunda:properties of the version', async () => {
    const invoice2 = byLabel('invoice:2');
    const xml = await getOk<{ id: string; bpmn20Xml: string }>(sim, `/process-definition/${invoice2.id}/xml`);
    expect(xml.id).toBe(invoice2.id);
    expect(xml.bpmn20Xml).toContain('<bpmn:process id="invoice" name="Invoice Receipt" isExecutable="true" camunda:versionTag="2.0"');
    expect(xml.bpmn20Xml).toContain('<camunda:property name="sla.maxDuration" value="PT4H" />');
    expect(xml.bpmn20Xml).toContain('<camunda:property name="team" value="R&amp;D &lt;core&gt;" />');
    const byKey = await getOk<{ id: string; bpmn20Xml: string }>(sim, '/process-definition/key/invoice/xml');
    expect(byKey).toEqual(xml);
    const old = await getOk<{ bpmn20Xml: string }>(sim, `/process-definition/${byLabel('invoice:1').id}/xml`);
    expect(old.bpmn20Xml).not.toContain('camunda:properties');
  });
});
