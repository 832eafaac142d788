import { readdirSync, readFileSync } from 'node:fs';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json';
import { describe, expect, it } from 'vitest';

/*
 * The BPMN fixtures (test/fixtures/bpmn) are what check_camunda_sla reads from the simulated
 * engines: they must parse with the libraries the check uses, without warnings, and carry the
 * SLA properties the simulator README's table is derived from.
 */
const FIXTURES = new URL('../fixtures/bpmn/', import.meta.url);

interface Element {
  $type: string;
  id: string;
  name?: string;
  flowElements?: Element[];
  rootElements?: Element[];
  extensionElements?: { values: { $type: string; values?: { name: string; value: string }[] }[] };
}
interface Moddle {
  fromXML(xml: string): Promise<{ rootElement: Element; warnings: { message: string }[] }>;
}

// A computed specifier keeps this test independent of how the product declares the library's types.
const LIBRARY = 'bpmn-moddle';
async function parse(file: string) {
  const { BpmnModdle } = (await import(LIBRARY)) as { BpmnModdle: new (packages: Record<string, unknown>) => Moddle };
  return new BpmnModdle({ camunda }).fromXML(readFileSync(new URL(file, FIXTURES), 'utf8'));
}

/** `element id (type)` → its camunda:properties, for the process and every flow node, subprocesses included. */
function properties(process: Element): Record<string, Record<string, string>> {
  const found: Record<string, Record<string, string>> = {};
  const visit = (element: Element) => {
    const entries = (element.extensionElements?.values ?? [])
      .filter((value) => value.$type === 'camunda:Properties')
      .flatMap((value) => value.values ?? []);
    if (entries.length > 0) found[`${element.id} (${element.$type})`] = Object.fromEntries(entries.map((p) => [p.name, p.value]));
    for (const child of element.flowElements ?? []) visit(child);
  };
  visit(process);
  return found;
}

async function processOf(file: string): Promise<Element> {
  const { rootElement } = await parse(file);
  const processes = (rootElement.rootElements ?? []).filter((e) => e.$type === 'bpmn:Process');
  expect(processes).toHaveLength(1);
  return processes[0]!;
}

describe('BPMN fixtures', () => {
  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith('.bpmn')))('%s parses without warnings, exported by Camunda Modeler with a diagram', async (file) => {
    const { rootElement, warnings } = await parse(file);
    expect(warnings.map((w) => w.message)).toEqual([]);
    expect(rootElement).toMatchObject({ $type: 'bpmn:Definitions', exporter: 'Camunda Modeler' });
    expect((rootElement as unknown as { diagrams: unknown[] }).diagrams).toHaveLength(1);
  });

  it('invoice-v1: SLAs on the user task and the receive task, none on the process', async () => {
    const process = await processOf('invoice-v1.bpmn');
    expect(process).toMatchObject({ id: 'invoice', name: 'Invoice Receipt' });
    expect(properties(process)).toEqual({
      'approve_invoice (bpmn:UserTask)': { sla: 'PT8H' },
      'wait_for_payment (bpmn:ReceiveTask)': { sla: 'P2D' },
    });
  });

  it('invoice-v2: tighter task SLA with a warning, a process SLA, a task inside a subprocess, a service task without SLA', async () => {
    const process = await processOf('invoice-v2.bpmn');
    expect(process).toMatchObject({ id: 'invoice', name: 'Invoice Receipt' });
    expect(properties(process)).toEqual({
      'invoice (bpmn:Process)': { sla: 'P5D' },
      'approve_invoice (bpmn:UserTask)': { sla: 'PT4H', 'sla-warning': 'PT3H' },
      'review_invoice (bpmn:UserTask)': { sla: 'PT1H' },
      'wait_for_payment (bpmn:ReceiveTask)': { sla: 'P2D' },
    });
    const archive = process.flowElements!.find((e) => e.id === 'archive');
    expect(archive).toMatchObject({ $type: 'bpmn:ServiceTask', type: 'external', topic: 'archive-invoice' });
  });

  it('order: SLAs on a message catch event and a call activity, none on the user task', async () => {
    const process = await processOf('order.bpmn');
    expect(process).toMatchObject({ id: 'order', name: 'Order fulfilment' });
    expect(properties(process)).toEqual({
      'ship (bpmn:CallActivity)': { sla: 'PT2H' },
      'wait_for_confirmation (bpmn:IntermediateCatchEvent)': { sla: 'PT30M' },
    });
    expect(process.flowElements!.find((e) => e.id === 'pack')).toMatchObject({ $type: 'bpmn:UserTask', name: 'Pack order' });
  });

  it('broken: an SLA that is no ISO-8601 duration', async () => {
    const process = await processOf('broken.bpmn');
    expect(properties(process)).toEqual({ 'check (bpmn:UserTask)': { sla: '4 hours' } });
  });
});
