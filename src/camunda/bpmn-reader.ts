import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import camundaDescriptor from 'camunda-bpmn-moddle/resources/camunda.json';
import { warningProperty, type ModelElementFacts, type ModelReader, type ProcessModelFacts } from './bpmn-model';

/*
 * Parses deployed models with the BPMN ecosystem's own libraries, so that every way a modeler
 * writes a model (namespaces, prefixes, nesting) is read as Camunda reads it. The build loads this
 * module as text and compiles it on a cache miss only (scripts/build.mjs): a warm run of
 * check_camunda_sla never pays for a few hundred kilobytes of XML parser and metamodel.
 */

/** Names are for the long output: enough to recognise an element, never a whole documentation text. */
const MAX_NAME = 200;

const asElements = (value: unknown): ModdleElement[] => (Array.isArray(value) ? (value as ModdleElement[]) : []);
const asText = (value: unknown): string | null => (typeof value === 'string' ? value.slice(0, MAX_NAME) : null);

function propertyValues(element: ModdleElement, name: string): string[] {
  const extensions = element.extensionElements as ModdleElement | undefined;
  const values: string[] = [];
  for (const extension of asElements(extensions?.values)) {
    if (extension.$type !== 'camunda:Properties') continue;
    for (const property of asElements(extension.values)) {
      if (property.name === name) values.push(typeof property.value === 'string' ? property.value : '');
    }
  }
  return values;
}

/** Flow nodes at any depth: subprocesses, event subprocesses and transactions hold flow elements of their own. */
function* flowNodes(container: ModdleElement): Generator<ModdleElement> {
  for (const element of asElements(container.flowElements)) {
    if (element.$instanceOf('bpmn:FlowNode')) yield element;
    if (element.flowElements !== undefined) yield* flowNodes(element);
  }
}

const localType = (type: string): string => {
  const local = type.slice(type.indexOf(':') + 1);
  return local.charAt(0).toLowerCase() + local.slice(1);
};

const readProcessModel: ModelReader = async (xml, processId, property) => {
  let parsed;
  try {
    parsed = await new BpmnModdle({ camunda: camundaDescriptor }).fromXML(xml);
  } catch (error) {
    // moddle's messages carry line and column on further lines.
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new Error(`its BPMN XML cannot be read: ${message}`);
  }
  const process = asElements(parsed.rootElement.rootElements).find((e) => e.$type === 'bpmn:Process' && e.id === processId);
  if (!process) {
    // An id the XML parser refused shows up among its warnings, not as a process.
    const warning = parsed.warnings[0]?.message.split('\n')[0];
    throw new Error(`its BPMN XML has no process with the id '${processId}'${warning ? ` (the parser says: ${warning})` : ''}`);
  }
  const warning = warningProperty(property);
  const elements: ModelElementFacts[] = [];
  for (const node of flowNodes(process)) {
    if (typeof node.id !== 'string') continue;
    elements.push({ id: node.id, name: asText(node.name), type: localType(node.$type), sla: propertyValues(node, property), warning: propertyValues(node, warning) });
  }
  const facts: ProcessModelFacts = {
    processId,
    name: asText(process.name),
    sla: propertyValues(process, property),
    warning: propertyValues(process, warning),
    elements,
  };
  return facts;
};

export default { readProcessModel };
