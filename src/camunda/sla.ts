import { formatExactDuration, parseIsoDuration } from '../plugin/duration';
import { cleanText } from '../plugin/text';
import { warningProperty, type ModelElementFacts, type ProcessModelFacts } from './bpmn-model';
import { definitionIdentity } from './statistics';

/*
 * Service levels as Camunda advises to keep them: next to the model, as extension properties.
 * This module turns the facts of a version's model (and the operator's command-line SLAs) into
 * the SLAs of that version, and the SLAs of all versions into as few counts as the REST API allows.
 */

/** What is counted for an SLA: open user tasks, waiting activity instances (history), or running process instances (history). */
export type SlaTarget = 'task' | 'activity' | 'instance';

/** A deployed version with running instances, as the statistics name it. */
export interface RunningVersion {
  readonly id: string;
  readonly key: string;
  readonly tenantId: string | null;
  readonly version: number;
  readonly name: string | null;
  readonly instances: number;
}

export interface SlaElement {
  readonly id: string;
  readonly name: string | null;
  readonly type: string;
}

/** One SLA of one version: what to count, and from which age on. */
export interface VersionSla {
  readonly version: RunningVersion;
  readonly target: SlaTarget;
  /** The flow node; undefined for the SLA of the process instance. */
  readonly element: SlaElement | undefined;
  readonly slaSeconds: number;
  /** From this age on an item is at risk; undefined when nothing counts as at risk. */
  readonly atRiskSeconds: number | undefined;
}

/** An SLA that cannot be evaluated (a malformed value, a model that cannot be read): UNKNOWN, naming where. */
export interface SlaDefect {
  readonly version: RunningVersion;
  readonly element: SlaElement | undefined;
  readonly message: string;
}

export interface SlaSettings {
  /** The extension property holding an SLA (`sla`); `<property>-warning` holds the at-risk age. */
  readonly property: string;
  /** --sla ACTIVITY_ID=DURATION: overrides the model's SLA of that flow node, in every version. */
  readonly elementSlas: ReadonlyMap<string, number>;
  /** --instance-sla: overrides the process's own SLA. */
  readonly instanceSla: number | undefined;
  /** Share of the SLA after which an item is at risk (0.8), where no `<property>-warning` says otherwise; undefined: none is. */
  readonly atRiskShare: number | undefined;
}

/** `'Approve invoice'`, or the id when the element has no name. */
export function describeElement(element: SlaElement | undefined): string {
  if (!element) return 'the process instance';
  return `'${cleanText(element.name ?? element.id, 60)}'`;
}

const targetOf = (element: ModelElementFacts): SlaTarget => (element.type === 'userTask' ? 'task' : 'activity');

/** The SLA and at-risk ages of one element (or the process) from its property values, or why they are unusable. */
function readSla(values: readonly string[], warnings: readonly string[], settings: SlaSettings): { sla: number; atRisk: number | undefined } | string | undefined {
  const distinct = [...new Set(values.map((v) => v.trim()))];
  if (distinct.length === 0) return undefined;
  if (distinct.length > 1) return `has ${distinct.length} different '${settings.property}' properties (${distinct.map((v) => cleanText(v, 20)).join(', ')})`;
  let sla: number;
  try {
    sla = parseIsoDuration(distinct[0]!);
  } catch (error) {
    return `'${settings.property}' ${cleanText((error as Error).message, 160)}`;
  }
  if (sla <= 0) return `'${settings.property}' must be longer than 0`;
  const distinctWarnings = [...new Set(warnings.map((v) => v.trim()))];
  const warning = warningProperty(settings.property);
  if (distinctWarnings.length > 1) return `has ${distinctWarnings.length} different '${warning}' properties`;
  if (distinctWarnings.length === 1) {
    let atRisk: number;
    try {
      atRisk = parseIsoDuration(distinctWarnings[0]!);
    } catch (error) {
      return `'${warning}' ${cleanText((error as Error).message, 160)}`;
    }
    if (atRisk <= 0 || atRisk >= sla) return `'${warning}' (${formatExactDuration(atRisk)}) must be shorter than '${settings.property}' (${formatExactDuration(sla)}) and longer than 0`;
    return { sla, atRisk };
  }
  return { sla, atRisk: atRiskOf(sla, settings) };
}

function atRiskOf(sla: number, settings: SlaSettings): number | undefined {
  if (settings.atRiskShare === undefined || settings.atRiskShare >= 1) return undefined;
  return Math.max(1, Math.round(sla * settings.atRiskShare));
}

/**
 * The SLAs of one version: its annotated flow nodes (user tasks count open tasks, every other
 * node its waiting activity instances) and the process itself; a command-line SLA replaces the
 * model's, with the at-risk share of --at-risk.
 */
export function slasOfVersion(version: RunningVersion, facts: ProcessModelFacts, settings: SlaSettings): { slas: VersionSla[]; defects: SlaDefect[] } {
  const slas: VersionSla[] = [];
  const defects: SlaDefect[] = [];
  const add = (element: SlaElement | undefined, target: SlaTarget, result: ReturnType<typeof readSla>) => {
    if (result === undefined) return;
    if (typeof result === 'string') defects.push({ version, element, message: result });
    else slas.push({ version, target, element, slaSeconds: result.sla, atRiskSeconds: result.atRisk });
  };
  for (const element of facts.elements) {
    const node = { id: element.id, name: element.name, type: element.type };
    const override = settings.elementSlas.get(element.id);
    if (override !== undefined) add(node, targetOf(element), { sla: override, atRisk: atRiskOf(override, settings) });
    else add(node, targetOf(element), readSla(element.sla, element.warning, settings));
  }
  if (settings.instanceSla !== undefined) add(undefined, 'instance', { sla: settings.instanceSla, atRisk: atRiskOf(settings.instanceSla, settings) });
  else add(undefined, 'instance', readSla(facts.sla, facts.warning, settings));
  return { slas, defects };
}

/** The --sla activity ids that name no flow node of any version read: a typo would otherwise watch nothing, for ever. */
export function unknownElementSlas(settings: SlaSettings, models: Iterable<ProcessModelFacts>): string[] {
  const known = new Set<string>();
  for (const facts of models) for (const element of facts.elements) known.add(element.id);
  return [...settings.elementSlas.keys()].filter((id) => !known.has(id));
}

/**
 * One count of items outside an SLA: the versions of a definition whose SLA for the same element
 * is the same. `byKey`: counted over the key (and tenant) in one query, because every running
 * version that has the element has this SLA; otherwise one query per version.
 */
export interface SlaCount {
  readonly key: string;
  readonly tenantId: string | null;
  readonly target: SlaTarget;
  readonly element: SlaElement | undefined;
  readonly slaSeconds: number;
  readonly atRiskSeconds: number | undefined;
  /** Ascending by version number. */
  readonly versions: readonly RunningVersion[];
  readonly byKey: boolean;
}

/**
 * Merges equal SLAs of the versions of a definition into one count. Open tasks can be counted by
 * definition key, as can historic process instances; historic activity instances only by
 * definition id. A key-wide count is only right when no running version outside the group could
 * hold such items: every running version of the definition must have been read (`running`), and
 * each of them that has the element must have this very SLA.
 */
export function groupSlas(slas: readonly VersionSla[], models: ReadonlyMap<string, ProcessModelFacts>, running: readonly RunningVersion[]): SlaCount[] {
  const groups = new Map<string, { sla: VersionSla; versions: RunningVersion[] }>();
  for (const sla of slas) {
    const { key, tenantId } = sla.version;
    const identity = [definitionIdentity(key, tenantId), sla.target, sla.element?.id ?? '', sla.slaSeconds, sla.atRiskSeconds ?? ''].join('\u0000');
    const group = groups.get(identity);
    if (group) group.versions.push(sla.version);
    else groups.set(identity, { sla, versions: [sla.version] });
  }
  const runningByDefinition = new Map<string, RunningVersion[]>();
  for (const version of running) {
    const identity = definitionIdentity(version.key, version.tenantId);
    const versions = runningByDefinition.get(identity);
    if (versions) versions.push(version);
    else runningByDefinition.set(identity, [version]);
  }
  return [...groups.values()].map(({ sla, versions }) => {
    const { key, tenantId } = sla.version;
    const allRunning = runningByDefinition.get(definitionIdentity(key, tenantId)) ?? [];
    const holding = allRunning.filter((v) => {
      const facts = models.get(v.id);
      return sla.element === undefined || facts === undefined || facts.elements.some((e) => e.id === sla.element!.id);
    });
    // One version alone is counted by its id: the same request, and it says precisely what it counts.
    // The key-wide queries filter on the rows' tenant, which for a shared definition (without
    // tenant) is whichever tenant its instances run for (ExecutionEntity.java:470-493): they count
    // it over the whole key, unless a tenant runs a definition of that key of its own.
    const byKey =
      sla.target !== 'activity' &&
      (tenantId !== null || !running.some((v) => v.key === key && v.tenantId !== null)) &&
      versions.length > 1 &&
      allRunning.every((v) => models.has(v.id)) &&
      holding.every((v) => versions.some((grouped) => grouped.id === v.id));
    return {
      key,
      tenantId,
      target: sla.target,
      element: sla.element,
      slaSeconds: sla.slaSeconds,
      atRiskSeconds: sla.atRiskSeconds,
      versions: [...versions].sort((a, b) => a.version - b.version),
      byKey,
    };
  });
}

/** `v2`, `v1, v3`: the versions an SLA count covers. */
export function describeVersions(versions: readonly RunningVersion[]): string {
  return versions.map((v) => `v${v.version}`).join(', ');
}
