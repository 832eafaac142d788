// bpmn-moddle ships types for its element classes only, not for its entry point: the part the reader uses.
declare module 'bpmn-moddle' {
  export interface ModdleElement {
    readonly $type: string;
    $instanceOf(type: string): boolean;
    readonly [property: string]: unknown;
  }
  export interface ParseResult {
    readonly rootElement: ModdleElement;
    readonly warnings: readonly { readonly message: string }[];
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}
