import type { ProcessDefinition } from './model';

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The attributes of every element named `local` (any namespace prefix), in document order. */
function elementAttributes(xml: string, local: string): string[] {
  const tag = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${local}(\\s[^>]*)?/?>`, 'g');
  return [...xml.matchAll(tag)].map((m) => m[1] ?? '');
}

const idOf = (attributes: string) => /(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(attributes)?.slice(1).find((v) => v !== undefined);

/**
 * What is wrong with a version's model settings, or undefined. A string check rather than
 * an XML parser: enough to catch a scenario pointing at the wrong file.
 */
export function versionModelError(version: { bpmnXml?: unknown; properties?: unknown }, key: string): string | undefined {
  if (version.bpmnXml === undefined) return undefined;
  if (typeof version.bpmnXml !== 'string') return '"bpmnXml": expected a string';
  if (version.properties !== undefined) return '"properties" belong to the generated model; put them into the BPMN file';
  const processes = elementAttributes(version.bpmnXml, 'process').map(idOf);
  if (!processes.includes(escapeXml(key))) {
    return `the BPMN model has no bpmn:process with id '${key}' (${processes.length === 0 ? 'no process at all' : `found: ${processes.join(', ')}`})`;
  }
  return undefined;
}

/** The id of the process's start event that instances begin with, as the history records it. */
export function startActivityId(d: ProcessDefinition): string | null {
  if (d.modelXml === null) return 'StartEvent_1';
  const [first] = elementAttributes(d.modelXml, 'startEvent');
  return first === undefined ? null : (idOf(first) ?? null);
}

/**
 * The definition's BPMN 2.0 document: the scenario's own file, or a minimal but valid
 * model carrying its `camunda:properties` - what `/process-definition/{id}/xml` serves,
 * and where checks read per-process settings such as SLAs from.
 */
export function bpmnXml(d: ProcessDefinition): string {
  if (d.modelXml !== null) return d.modelXml;
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
