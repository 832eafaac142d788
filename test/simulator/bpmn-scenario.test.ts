import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScenario, loadScenario, startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { clock, getOk } from './fixture';

/* BPMN files and inline BPMN in scenarios: what /process-definition/{id}/xml serves, and the load-time checks. */
const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

interface DefinitionDto {
  id: string;
  key: string;
  version: number;
  tenantId: string | null;
  resource: string;
}

describe('BPMN files of the SLA scenario', () => {
  let sim: RunningSimulator;
  let definitions: DefinitionDto[];
  const idOf = (key: string, version: number, tenantId: string | null = null) =>
    definitions.find((d) => d.key === key && d.version === version && d.tenantId === tenantId)!.id;
  const xmlOf = async (path: string) => (await getOk<{ id: string; bpmn20Xml: string }>(sim, path)).bpmn20Xml;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: loadScenario(join(FIXTURES, 'sla.json')), now: clock });
    definitions = await getOk<DefinitionDto[]>(sim, '/process-definition');
  });
  afterAll(() => sim.close());

  it('serves each version its own file, byte for byte', async () => {
    expect(await xmlOf(`/process-definition/${idOf('invoice', 1)}/xml`)).toBe(fixture('bpmn/invoice-v1.bpmn'));
    expect(await xmlOf(`/process-definition/${idOf('invoice', 2)}/xml`)).toBe(fixture('bpmn/invoice-v2.bpmn'));
    expect(await getOk(sim, '/process-definition/key/invoice/xml')).toEqual({ id: idOf('invoice', 2), bpmn20Xml: fixture('bpmn/invoice-v2.bpmn') });
    expect(await xmlOf('/process-definition/key/order/tenant-id/acme/xml')).toBe(fixture('bpmn/order.bpmn'));
    expect(await xmlOf(`/process-definition/${idOf('broken', 1)}/xml`)).toBe(fixture('bpmn/broken.bpmn'));
  });

  it('names the file as the deployment resource', () => {
    expect(definitions.map((d) => `${d.key}:${d.version}${d.tenantId ? `@${d.tenantId}` : ''} ${d.resource}`).sort()).toEqual([
      'broken:1 broken.bpmn',
      'invoice:1 invoice-v1.bpmn',
      'invoice:2 invoice-v2.bpmn',
      'order:1@acme order.bpmn',
      'order:1@globex order.bpmn',
      'plain:1 plain.bpmn',
    ]);
  });

  it('generates the model of a version without a file', async () => {
    const xml = await xmlOf(`/process-definition/${idOf('plain', 1)}/xml`);
    expect(xml).toContain('<bpmn:process id="plain" name="Plain process" isExecutable="true"');
    expect(xml).not.toContain('camunda:properties');
  });

  it('lists the running instances per version in the statistics', async () => {
    const rows = await getOk<{ id: string; instances: number }[]>(sim, '/process-definition/statistics');
    const instances = Object.fromEntries(rows.map((row) => [row.id, row.instances]));
    expect(instances).toEqual({
      [idOf('invoice', 1)]: 2,
      [idOf('invoice', 2)]: 8,
      [idOf('order', 1, 'acme')]: 4,
      [idOf('order', 1, 'globex')]: 1,
      [idOf('broken', 1)]: 1,
      [idOf('plain', 1)]: 2,
    });
  });
});

describe('BPMN in scenarios', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulator-bpmn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A scenario file in `dir`/scenarios naming `bpmn` for a definition `key`. */
  const scenarioFile = (name: string, key: string, bpmn: string, extra: Record<string, unknown> = {}) => {
    mkdirSync(join(dir, 'scenarios'), { recursive: true });
    const file = join(dir, 'scenarios', name);
    writeFileSync(file, JSON.stringify({ engines: [{ name: 'default', processDefinitions: [{ key, versions: [{ version: 1, bpmn, ...extra }] }] }] }));
    return file;
  };
  mkdirSync(join(dir, 'models'), { recursive: true });
  copyFileSync(join(FIXTURES, 'bpmn/order.bpmn'), join(dir, 'models/order.bpmn'));

  it('reads the file relative to the scenario file, not the working directory', () => {
    const scenario = loadScenario(scenarioFile('ok.json', 'order', '../models/order.bpmn'));
    expect(scenario.engines[0]!.processDefinitions![0]!.versions[0]!.bpmnXml).toBe(fixture('bpmn/order.bpmn'));
  });

  it('refuses a file whose process has another id, naming the entry and the ids found', () => {
    expect(() => loadScenario(scenarioFile('wrong.json', 'invoice', '../models/order.bpmn'))).toThrow(
      /wrong\.json: engines\[0\]\.processDefinitions\[0\]\.versions\[0\]: the BPMN model has no bpmn:process with id 'invoice' \(found: order\)$/,
    );
  });

  it('refuses a missing file', () => {
    expect(() => loadScenario(scenarioFile('missing.json', 'order', 'nope.bpmn'))).toThrow(
      /missing\.json: engines\[0\]\.processDefinitions\[0\]\.versions\[0\]\.bpmn: cannot read .*scenarios\/nope\.bpmn: ENOENT/,
    );
  });

  it('refuses properties next to a file: they would not be served', () => {
    expect(() => loadScenario(scenarioFile('both.json', 'order', '../models/order.bpmn', { properties: { sla: 'PT1H' } }))).toThrow(
      /versions\[0\]: "properties" belong to the generated model; put them into the BPMN file/,
    );
  });

  it('needs a scenario file for a file name; in code it takes bpmnXml', async () => {
    const withFile = { engines: [{ name: 'default', processDefinitions: [{ key: 'order', versions: [{ version: 1, bpmn: 'order.bpmn' }] }] }] };
    expect(() => checkScenario(withFile)).toThrow('scenario: engines[0].processDefinitions[0].versions[0].bpmn: a file name needs a scenario file to be relative to (loadScenario); in code, set "bpmnXml"');

    const inline: Scenario = { engines: [{ name: 'default', processDefinitions: [{ key: 'order', versions: [{ version: 1, bpmnXml: fixture('bpmn/order.bpmn') }] }] }] };
    const sim = await startSimulator({ scenario: inline, now: clock });
    try {
      expect((await getOk<{ bpmn20Xml: string }>(sim, '/process-definition/key/order/xml')).bpmn20Xml).toBe(fixture('bpmn/order.bpmn'));
    } finally {
      await sim.close();
    }
    const wrong: Scenario = { engines: [{ name: 'default', processDefinitions: [{ key: 'invoice', versions: [{ version: 1, bpmnXml: '<definitions/>' }] }] }] };
    await expect(startSimulator({ scenario: wrong })).rejects.toThrow(
      "scenario engine 'default': processDefinitions[0].versions[0]: the BPMN model has no bpmn:process with id 'invoice' (no process at all)",
    );
  });
});

describe('history entries in scenarios', () => {
  const engine = (fields: Record<string, unknown>) => ({
    engines: [{ name: 'default', processDefinitions: [{ key: 'a', versions: [{ version: 1 }] }], ...fields }],
  });

  it.each([
    [{ historyLevel: 'minimal' }, 'engines[0].historyLevel: expected one of none, activity, audit, full'],
    [{ instances: [{ definition: 'a', activities: [{ activityId: 'x' }] }] }, 'engines[0].instances[0].activities[0].activityType: expected a non-empty string'],
    [{ instances: [{ definition: 'a', activities: [{ activityId: 'x', activityType: 'receiveTask', started: 'yesterday' }] }] }, "engines[0].instances[0].activities[0].started: invalid duration 'yesterday'"],
    [{ finishedInstances: [{ definition: 'a', started: '2d' }] }, 'engines[0].finishedInstances[0].ended: required'],
    [{ finishedInstances: [{ definition: 'a', started: '2d', ended: '1d', state: 'DONE' }] }, 'engines[0].finishedInstances[0].state: expected one of COMPLETED, EXTERNALLY_TERMINATED, INTERNALLY_TERMINATED'],
  ])('checkScenario refuses %o', (fields, message) => {
    expect(() => checkScenario(engine(fields))).toThrow(`scenario: ${message}`);
  });

  it.each([
    [{ instances: [{ definition: 'a', started: '1h', activities: [{ activityId: 'x', activityType: 'receiveTask', started: '2h' }] }] }, 'instances[0].activities[0]: started before its instance'],
    [{ instances: [{ definition: 'a', started: '1h', activities: [{ activityId: 'x', activityType: 'receiveTask', started: '30m', ended: '40m' }] }] }, 'instances[0].activities[0]: ended before it started or after its instance'],
    [{ finishedInstances: [{ definition: 'a', started: '1d', ended: '2d' }] }, 'finishedInstances[0]: ended before it started'],
    [{ finishedInstances: [{ definition: 'a', started: '3d', ended: '2d', activities: [{ activityId: 'x', activityType: 'receiveTask', ended: '1d' }] }] }, 'finishedInstances[0].activities[0]: ended before it started or after its instance'],
    [{ finishedInstances: [{ definition: 'b', started: '3d', ended: '2d' }] }, "finishedInstances[0]: no process definition with key 'b'"],
  ])('the simulator refuses %o', async (fields, message) => {
    await expect(startSimulator({ scenario: checkScenario(engine(fields)) })).rejects.toThrow(`scenario engine 'default': ${message}`);
  });
});
