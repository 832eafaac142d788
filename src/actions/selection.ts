import type { ModelElementFacts, ProcessModelFacts } from '../camunda/bpmn-model';
import type { CamundaClient } from '../camunda/client';
import type { ConnectionOptions } from '../camunda/connection';
import { describeDefinition, keysAndVersionsById, type KeyAndVersion } from '../camunda/definitions';
import { elementId, modelCacheScope } from '../camunda/job-systems';
import { openModelCache } from '../camunda/model-cache';
import { readModels } from '../camunda/process-models';
import type { DefinitionScope } from '../camunda/actions';
import type { JobDefinitionDto } from '../camunda/types';
import { PluginError } from '../plugin/errors';
import type { Logger } from '../plugin/log';
import { cleanText } from '../plugin/text';

/*
 * Which activities an action is about: the calls to one target system, found by the BPMN
 * extension property on the calling element (`<camunda:property name="system" value="SAP"/>`, read
 * through the model cache that check_camunda_sla uses) or by a naming convention on activity id
 * and name, narrowed to process definition keys and tenants, over every deployed version.
 */

export interface ActivitySelection {
  readonly scope: DefinitionScope;
  /** The value of the property that names the target system. */
  readonly system?: string | undefined;
  /** The extension property holding the system (`system`). */
  readonly property: string;
  /** Matched against activity id and name. */
  readonly activityMatch?: RegExp | undefined;
  readonly activityIds: readonly string[];
}

export interface SelectionSettings {
  readonly connection: ConnectionOptions;
  readonly cacheDirectories: readonly string[];
}

/** Job definitions examined at most (every version of every selected key): beyond that, narrow with -k. */
export const MAX_EXAMINED = 5000;
/** BPMN models read from the engine per run; later runs find them in the cache. */
export const MAX_MODEL_FETCHES = 500;

/** `of system SAP`, `of activities matching /SAP/`, `of activity ServiceTask_PostToSAP`, `of process definition invoice`. */
export function describeSelection(selection: ActivitySelection): string {
  const parts: string[] = [];
  if (selection.system !== undefined) parts.push(`of system ${cleanText(selection.system, 60)}`);
  if (selection.activityMatch) parts.push(`of activities matching /${cleanText(selection.activityMatch.source, 60)}/`);
  if (selection.activityIds.length) parts.push(`of activit${selection.activityIds.length === 1 ? 'y' : 'ies'} ${selection.activityIds.map((a) => cleanText(a, 60)).join(', ')}`);
  if (selection.scope.keys.length) parts.push(`in process definition${selection.scope.keys.length === 1 ? '' : 's'} ${selection.scope.keys.map((k) => cleanText(k, 60)).join(', ')}`);
  if (selection.scope.tenantIds.length) parts.push(`of tenant ${selection.scope.tenantIds.map((t) => cleanText(t, 40)).join(', ')}`);
  return parts.join(' ');
}


/** Answers, for an activity of a process definition version, whether it is selected and what it is called. */
export interface ActivityMatcher {
  matches(processDefinitionId: string | null, activityId: string | null): boolean;
  name(processDefinitionId: string | null, activityId: string | null): string | null;
  /** Versions whose model could not be read: their activities were not examined. */
  readonly unreadable: readonly string[];
  readonly definitions: ReadonlyMap<string, KeyAndVersion>;
}

/**
 * Reads what the selection needs of the models of the given versions (only for --system and
 * --activity-match) and their keys and versions, and answers which activities are selected.
 */
export async function activityMatcher(
  client: CamundaClient,
  selection: ActivitySelection,
  versions: readonly { readonly processDefinitionId: string | null; readonly processDefinitionKey?: string | null; readonly tenantId: string | null }[],
  settings: SelectionSettings,
  log: Logger,
): Promise<ActivityMatcher> {
  const distinct = new Map<string, { id: string; key: string; tenantId: string | null }>();
  for (const v of versions) if (v.processDefinitionId && v.processDefinitionKey) distinct.set(v.processDefinitionId, { id: v.processDefinitionId, key: v.processDefinitionKey, tenantId: v.tenantId });
  const needsModels = selection.system !== undefined || selection.activityMatch !== undefined;
  let facts: ReadonlyMap<string, ProcessModelFacts> = new Map();
  const unreadable: string[] = [];
  const definitions = await keysAndVersionsById(client, versions);
  if (needsModels && distinct.size > 0) {
    const cache = openModelCache(settings.cacheDirectories, modelCacheScope(settings.connection, selection.property), log);
    const running = [...distinct.values()].map((v) => ({ ...v, version: 0, name: null, instances: 0 }));
    const read = await readModels(client, running, cache, MAX_MODEL_FETCHES, selection.property, log);
    if (read.postponed > 0) {
      throw new PluginError(
        `read ${read.fetched} of ${read.fetched + read.postponed} BPMN models not yet cached, at most ${MAX_MODEL_FETCHES} per run: run again (the cache keeps them${cache.directory ? '' : '; none is usable, set --cache-dir'}), or narrow with -k`,
      );
    }
    facts = read.facts;
    for (const [id, reason] of read.unreadable) unreadable.push(`${describeDefinition({ processDefinitionId: id, tenantId: distinct.get(id)?.tenantId ?? null }, definitions)}: ${reason}`);
  }
  const element = (definitionId: string | null, activityId: string | null): ModelElementFacts | undefined =>
    definitionId && activityId ? facts.get(definitionId)?.elements.find((e) => e.id === elementId(activityId)) : undefined;
  const wantedSystem = selection.system?.trim().toLowerCase();
  return {
    unreadable,
    definitions,
    name: (definitionId, activityId) => element(definitionId, activityId)?.name ?? null,
    matches(definitionId, activityId) {
      if (activityId === null) return false;
      if (selection.activityIds.length && !selection.activityIds.includes(activityId) && !selection.activityIds.includes(elementId(activityId))) return false;
      const found = element(definitionId, activityId);
      // The model cache keeps the property's values in the field named for the SLA check's property.
      if (wantedSystem !== undefined && !found?.sla.some((value) => value.trim().toLowerCase() === wantedSystem)) return false;
      if (selection.activityMatch && !selection.activityMatch.test(activityId) && !(found?.name && selection.activityMatch.test(found.name))) return false;
      return true;
    },
  };
}

export interface SelectedJobDefinition {
  readonly dto: JobDefinitionDto & { readonly id: string };
  /** `invoice (v2): ServiceTask_PostToSAP "Post to SAP" (async-continuation, job definition …)`. */
  readonly text: string;
}

export function describeJobDefinition(jd: JobDefinitionDto, matcher: ActivityMatcher): string {
  const name = matcher.name(jd.processDefinitionId, jd.activityId);
  const type = [jd.jobType, jd.jobConfiguration].filter(Boolean).map((t) => cleanText(t, 40)).join(' ');
  return `${describeDefinition(jd, matcher.definitions)}: ${cleanText(jd.activityId ?? '?', 80)}${name ? ` "${cleanText(name, 80)}"` : ''} (${type || 'job'}, job definition ${cleanText(jd.id ?? '?', 60)})`;
}
