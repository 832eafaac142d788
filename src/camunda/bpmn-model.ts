/**
 * What check_camunda_sla keeps of a deployed BPMN model: its flow nodes and the values of the SLA
 * properties (`camunda:properties`) on them and on the process. A definition's XML never changes
 * for its id, so these facts are cached per definition id (model-cache.ts).
 */
export interface ModelElementFacts {
  readonly id: string;
  readonly name: string | null;
  /** The BPMN element type without namespace: `userTask`, `receiveTask`, `intermediateCatchEvent`... */
  readonly type: string;
  /** Every value of the SLA property on the element, in document order (more than one is an error). */
  readonly sla: readonly string[];
  /** Every value of the at-risk property (`<property>-warning`). */
  readonly warning: readonly string[];
}

export interface ProcessModelFacts {
  readonly processId: string;
  readonly name: string | null;
  /** The process's own SLA property values (instance SLA). */
  readonly sla: readonly string[];
  readonly warning: readonly string[];
  /** Every flow node, also those inside (event) subprocesses, with or without SLA. */
  readonly elements: readonly ModelElementFacts[];
}

/** The property that holds the at-risk age of an element whose SLA is in `property`. */
export const warningProperty = (property: string): string => `${property}-warning`;

/** Reads the facts from a definition's BPMN 2.0 XML; the implementation is loaded on a cache miss only. */
export type ModelReader = (xml: string, processId: string, property: string) => Promise<ProcessModelFacts>;
