/** BPMN 2.0 XML for unit tests: a process with flow nodes carrying camunda:properties, nested where given. */
export interface TestNode {
  readonly type: string;
  readonly id: string;
  readonly name?: string;
  readonly properties?: readonly (readonly [string, string])[];
  readonly children?: readonly TestNode[];
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function extensions(properties: readonly (readonly [string, string])[] | undefined, indent: string): string {
  if (!properties?.length) return '';
  return (
    `${indent}<bpmn:extensionElements>\n${indent}  <camunda:properties>\n` +
    properties.map(([name, value]) => `${indent}    <camunda:property name="${escape(name)}" value="${escape(value)}" />\n`).join('') +
    `${indent}  </camunda:properties>\n${indent}</bpmn:extensionElements>\n`
  );
}

function node(n: TestNode, indent: string): string {
  const name = n.name === undefined ? '' : ` name="${escape(n.name)}"`;
  return (
    `${indent}<bpmn:${n.type} id="${escape(n.id)}"${name}>\n` +
    extensions(n.properties, `${indent}  `) +
    (n.children ?? []).map((child) => node(child, `${indent}  `)).join('') +
    `${indent}</bpmn:${n.type}>\n`
  );
}

export function bpmnModel(model: { key: string; name?: string; properties?: readonly (readonly [string, string])[]; nodes: readonly TestNode[] }): string {
  const name = model.name === undefined ? '' : ` name="${escape(model.name)}"`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">\n' +
    `  <bpmn:process id="${escape(model.key)}"${name} isExecutable="true">\n` +
    extensions(model.properties, '    ') +
    model.nodes.map((n) => node(n, '    ')).join('') +
    '  </bpmn:process>\n</bpmn:definitions>\n'
  );
}
