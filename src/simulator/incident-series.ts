/**
 * Incident series: one scenario entry with `count` for many incidents of one kind, as an outage
 * makes them, each on an instance of its own, their timestamps spread and the variable parts of
 * their messages (ids, document numbers, times) filled in from placeholders. The series is
 * expanded into ordinary instances and incidents before the engine is built, so everything else
 * (failed jobs, external tasks, calling-level copies) follows the rules of single incidents.
 */
import { createHash } from 'node:crypto';
import { parseDuration } from './dates';
import type { EngineScenario, IncidentScenario, InstanceScenario } from './scenario';

/** A scenario incident entry with `count`: `count` incidents, each on a new instance of `definition`. */
export interface IncidentSeriesScenario {
  /** Number of incidents (1 to 1 000 000). */
  count: number;
  /** Key of the definition the new instances run in (`instance` is not allowed). */
  definition: string;
  /** Default: the latest version. */
  version?: number;
  /** Needed only if the key exists for several tenants. */
  tenantId?: string | null;
  /** Of each new instance; placeholders as in `message`. Default null. */
  businessKey?: string | null;
  /**
   * Each new instance is called by a new instance of this definition at this call activity, so
   * that every incident gets its calling-level copy (see IncidentScenario).
   */
  calledBy?: { definition: string; version?: number; activityId: string };
  type: string;
  activityId: string;
  failedActivityId?: string;
  /** With placeholders (SERIES_PLACEHOLDERS); null for incidents without message. */
  message: string | null;
  /** The newest incident was created this long ago. */
  ago: string;
  /** Each further incident this much earlier. Default `1m`. */
  every?: string;
  annotation?: string | null;
}

/** The placeholders of `message` and `businessKey`, for the README and error messages. */
export const SERIES_PLACEHOLDERS = '{n}, {n:START}, {uuid}, {hex:K}, {HEX:K}, {int:MIN-MAX}, {timestamp}';
export const PLACEHOLDER = /\{(n|uuid|timestamp)\}|\{n:(\d+)\}|\{(hex|HEX):(\d+)\}|\{int:(\d+)-(\d+)\}/g;

export const isIncidentSeries = (entry: IncidentScenario | IncidentSeriesScenario): entry is IncidentSeriesScenario =>
  (entry as IncidentSeriesScenario).count !== undefined;

/** An error in a template's placeholders, or undefined. */
export function seriesTemplateError(template: string): string | undefined {
  for (const match of template.matchAll(PLACEHOLDER)) {
    const [text, , , , hexDigits, min, max] = match;
    if (hexDigits !== undefined && (Number(hexDigits) < 1 || Number(hexDigits) > 40)) return `${text}: from 1 to 40 hex digits`;
    if (min !== undefined && Number(min) > Number(max)) return `${text}: MIN exceeds MAX`;
  }
  return undefined;
}

/**
 * Fills the placeholders for incident number `n` (1-based) of a series, created at `timestamp`.
 * Every value derives from `seed`, `n` and the placeholder's position: the same scenario gives the
 * same messages (apart from `{timestamp}`, the incident's time as ISO 8601, which follows the clock).
 */
export function fillTemplate(template: string, n: number, seed: string, timestamp: Date): string {
  let position = 0;
  return template.replace(PLACEHOLDER, (text, plain: string | undefined, start: string | undefined, hex: string | undefined, digits: string | undefined, min: string | undefined, max: string | undefined) => {
    const hash = createHash('sha1').update(`${seed}/${n}/${position++}`).digest('hex');
    if (plain === 'n') return String(n);
    if (plain === 'timestamp') return timestamp.toISOString();
    if (plain === 'uuid') {
      const variant = ((parseInt(hash[16]!, 16) & 0x3) | 0x8).toString(16);
      return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-${variant}${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
    }
    if (start !== undefined) return String(Number(start) + n - 1);
    if (hex !== undefined) return hex === 'HEX' ? hash.slice(0, Number(digits)).toUpperCase() : hash.slice(0, Number(digits));
    if (min !== undefined) return String(Number(min) + (parseInt(hash.slice(0, 12), 16) % (Number(max) - Number(min) + 1)));
    return text;
  });
}

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

/**
 * The engine scenario with every series replaced by its instances (appended to `instances`, a
 * caller before each called one) and its incidents (in the series' place). Refs of the new
 * instances start with `#series`, which no scenario needs.
 */
export function expandIncidentSeries(scenario: EngineScenario, now: Date): EngineScenario & { incidents: IncidentScenario[] } {
  const entries = scenario.incidents ?? [];
  if (!entries.some(isIncidentSeries)) return { ...scenario, incidents: entries as IncidentScenario[] };
  const instances: InstanceScenario[] = [...(scenario.instances ?? [])];
  const incidents: IncidentScenario[] = [];
  entries.forEach((entry, i) => {
    if (!isIncidentSeries(entry)) {
      incidents.push(entry);
      return;
    }
    const newest = parseDuration(entry.ago);
    const step = parseDuration(entry.every ?? '1m');
    const seed = `${scenario.name}/incident-series/${i}`;
    for (let n = 1; n <= entry.count; n++) {
      const ago = newest + (n - 1) * step;
      const ref = `#series/${i}/${n}`;
      const timestamp = new Date(now.getTime() - ago);
      const businessKey = entry.businessKey == null ? null : fillTemplate(entry.businessKey, n, `${seed}/business-key`, timestamp);
      if (entry.calledBy) {
        const { definition, version, activityId } = entry.calledBy;
        instances.push({ ref: `${ref}/caller`, definition, version, businessKey, started: seconds(ago + 90_000) });
        instances.push({ ref, definition: entry.definition, version: entry.version, tenantId: entry.tenantId, started: seconds(ago + 60_000), calledBy: { instance: `${ref}/caller`, activityId } });
      } else {
        instances.push({ ref, definition: entry.definition, version: entry.version, tenantId: entry.tenantId, businessKey, started: seconds(ago + 60_000) });
      }
      incidents.push({
        instance: ref,
        type: entry.type,
        activityId: entry.activityId,
        failedActivityId: entry.failedActivityId,
        message: entry.message === null ? null : fillTemplate(entry.message, n, seed, timestamp),
        ago: seconds(ago),
        annotation: entry.annotation,
      });
    }
  });
  return { ...scenario, instances, incidents };
}
