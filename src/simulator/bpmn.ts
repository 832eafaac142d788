import type { ProcessDefinition } from './model';

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A minimal but valid BPMN 2.0 document for a definition, carrying its
 * `camunda:properties` - what `/process-definition/{id}/xml` serves, and where
 * checks read per-process settings such as SLAs from.
 */
export function bpmnXml(d: ProcessDefinition): string {
  const attributes = [
    `id="${escapeXml(d.key)}"`,
    d.name === null ? '' : `name="${escapeXml(d.name)}"`,
    'isExecutable="true"',
    d.versionTag === null ? '' : `camunda:versionTag="${escapeXml(d.versionTag)}"`,
    d.historyTimeToLive === null ? '' : `camunda:historyTimeToLive="${d.historyTimeToLive}"`,
  ].filter(Boolean);
  const properties = Object.entries(d.properties);
  const extensions =
    properties.length === 0
      ? ''
      : [
          '    <bpmn:extensionElements>',
          '      <camunda:properties>',
          ...properties.map(([name, value]) => `        <camunda:property name="${escapeXml(name)}" value="${escapeXml(value)}" />`),
          '      </camunda:properties>',
          '    </bpmn:extensionElements>',
        ].join('\n') + '\n';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" ' +
    `id="Definitions_${escapeXml(d.key)}" targetNamespace="${escapeXml(d.category)}">\n` +
    `  <bpmn:process ${attributes.join(' ')}>\n` +
    extensions +
    '    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>\n' +
    '    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="EndEvent_1" />\n' +
    '    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>Flow_1</bpmn:incoming></bpmn:endEvent>\n' +
    '  </bpmn:process>\n' +
    '</bpmn:definitions>\n'
  );
}
