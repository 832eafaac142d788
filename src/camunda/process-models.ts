import { mapConcurrently } from '../plugin/concurrency';
import type { Logger } from '../plugin/log';
import { cleanText } from '../plugin/text';
import type { ModelReader, ProcessModelFacts } from './bpmn-model';
import type { CamundaClient } from './client';
import type { ModelCache } from './model-cache';
import { processDefinitionDiagram } from './shapes';
import type { RunningVersion } from './sla';

/** Models fetched at a time: each is one request of up to a few hundred kilobytes. */
const FETCHES_IN_FLIGHT = 4;

export interface ModelsRead {
  /** The facts of each version read, by definition id. */
  readonly facts: ReadonlyMap<string, ProcessModelFacts>;
  /** Versions whose model could not be read, with the reason. */
  readonly unreadable: ReadonlyMap<string, string>;
  /** Models fetched from the engine in this run (cache misses). */
  readonly fetched: number;
  /** Cache misses left for later runs, as fetching them would have exceeded `maxFetches`. */
  readonly postponed: number;
}

/** The BPMN reader, compiled on first use only: a run whose models are all cached never loads it. */
async function loadReader(): Promise<ModelReader> {
  return (await import('./bpmn-reader')).default.readProcessModel;
}

/**
 * The facts of each version's model: from the cache, else from the engine (one request per
 * version, most-used versions first, at most `maxFetches`), then cached. Reading the models of a
 * definition's versions again on every run would cost more than all its counts.
 */
export async function readModels(client: CamundaClient, versions: readonly RunningVersion[], cache: ModelCache, maxFetches: number, property: string, log: Logger): Promise<ModelsRead> {
  const facts = new Map<string, ProcessModelFacts>();
  const unreadable = new Map<string, string>();
  const misses: RunningVersion[] = [];
  for (const version of versions) {
    const hit = cache.read(version.id);
    if (hit) facts.set(version.id, hit);
    // The same shared version, counted for two selected tenants, is read once.
    else if (!misses.some((m) => m.id === version.id)) misses.push(version);
  }
  const fetching = [...misses].sort((a, b) => b.instances - a.instances).slice(0, Math.max(0, maxFetches));
  if (fetching.length > 0) log.log(1, `reading ${fetching.length} BPMN model(s) not in the cache${cache.directory ? ` ${cache.directory}` : ''}`);
  let reader: Promise<ModelReader> | undefined;
  await mapConcurrently(fetching, FETCHES_IN_FLIGHT, async (version) => {
    const diagram = await client.get(`/process-definition/${encodeURIComponent(version.id)}/xml`, {}, processDefinitionDiagram);
    reader ??= loadReader();
    try {
      const read = await (await reader)(diagram.bpmn20Xml ?? '', version.key, property);
      facts.set(version.id, read);
      cache.write(version.id, read);
    } catch (error) {
      unreadable.set(version.id, cleanText((error as Error).message, 200));
    }
  });
  return { facts, unreadable, fetched: fetching.length, postponed: misses.length - fetching.length };
}
