import { describe, expect, it } from 'vitest';
import reader from '../../src/camunda/bpmn-reader';
import { bpmnModel } from '../support/bpmn';

const { readProcessModel } = reader;

describe('readProcessModel', () => {
  it('reads the SLA properties of the process and of flow nodes at any depth', async () => {
    const xml = bpmnModel({
      key: 'invoice',
      name: 'Invoice Receipt',
      properties: [['sla', 'P5D'], ['owner', 'finance']],
      nodes: [
        { type: 'startEvent', id: 'start' },
        { type: 'userTask', id: 'approve_invoice', name: 'Approve invoice', properties: [['sla', 'PT4H'], ['sla-warning', 'PT3H']] },
        { type: 'receiveTask', id: 'wait_for_payment', properties: [['sla', 'P2D']] },
        { type: 'subProcess', id: 'review', children: [{ type: 'userTask', id: 'review_invoice', name: 'Review invoice', properties: [['sla', 'PT1H']] }] },
        { type: 'serviceTask', id: 'archive', properties: [['retries', '3']] },
      ],
    });
    const facts = await readProcessModel(xml, 'invoice', 'sla');
    expect(facts).toEqual({
      processId: 'invoice',
      name: 'Invoice Receipt',
      sla: ['P5D'],
      warning: [],
      elements: [
        { id: 'start', name: null, type: 'startEvent', sla: [], warning: [] },
        { id: 'approve_invoice', name: 'Approve invoice', type: 'userTask', sla: ['PT4H'], warning: ['PT3H'] },
        { id: 'wait_for_payment', name: null, type: 'receiveTask', sla: ['P2D'], warning: [] },
        { id: 'review', name: null, type: 'subProcess', sla: [], warning: [] },
        { id: 'review_invoice', name: 'Review invoice', type: 'userTask', sla: ['PT1H'], warning: [] },
        { id: 'archive', name: null, type: 'serviceTask', sla: [], warning: [] },
      ],
    });
  });

  it('reads the property name it is given, and its -warning companion', async () => {
    const xml = bpmnModel({ key: 'p', nodes: [{ type: 'userTask', id: 't', properties: [['sla', 'PT1H'], ['maxWait', 'PT2H'], ['maxWait-warning', 'PT1H']] }] });
    const facts = await readProcessModel(xml, 'p', 'maxWait');
    expect(facts.elements[0]).toMatchObject({ sla: ['PT2H'], warning: ['PT1H'] });
  });

  it('keeps every value of a property given twice, for the judgement to refuse', async () => {
    const xml = bpmnModel({ key: 'p', nodes: [{ type: 'userTask', id: 't', properties: [['sla', 'PT1H'], ['sla', 'PT2H']] }] });
    expect((await readProcessModel(xml, 'p', 'sla')).elements[0]!.sla).toEqual(['PT1H', 'PT2H']);
  });

  it('takes the process whose id is the definition key, among the pools of a collaboration', async () => {
    const xml = bpmnModel({ key: 'other', nodes: [{ type: 'userTask', id: 'x', properties: [['sla', 'PT1H']] }] }).replace(
      '</bpmn:definitions>',
      '  <bpmn:process id="invoice" isExecutable="true"><bpmn:userTask id="mine"><bpmn:extensionElements><camunda:properties><camunda:property name="sla" value="PT9H" /></camunda:properties></bpmn:extensionElements></bpmn:userTask></bpmn:process>\n</bpmn:definitions>',
    );
    const facts = await readProcessModel(xml, 'invoice', 'sla');
    expect(facts.elements).toEqual([{ id: 'mine', name: null, type: 'userTask', sla: ['PT9H'], warning: [] }]);
  });

  it('says so when the model has no process with the key', async () => {
    await expect(readProcessModel(bpmnModel({ key: 'order', nodes: [] }), 'invoice', 'sla')).rejects.toThrow("its BPMN XML has no process with the id 'invoice'");
  });

  it('says so in one line when the XML cannot be parsed', async () => {
    const error = await readProcessModel('<bpmn:definitions', 'invoice', 'sla').catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^its BPMN XML cannot be read: /);
    expect((error as Error).message).not.toContain('\n');
  });

  it('cuts long names to bound what is cached', async () => {
    const xml = bpmnModel({ key: 'p', name: 'n'.repeat(1000), nodes: [{ type: 'userTask', id: 't', name: 'x'.repeat(1000) }] });
    const facts = await readProcessModel(xml, 'p', 'sla');
    expect(facts.name).toHaveLength(200);
    expect(facts.elements[0]!.name).toHaveLength(200);
  });
});
