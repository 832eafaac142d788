/**
 * The causes a scenario file declares, derived from its incident entries alone (not from the
 * simulator, not from the checks' masking rule): the expectations of the cause tests.
 */
import { loadScenario, type IncidentScenario, type IncidentSeriesScenario, type RunningSimulator, type Scenario } from '../../src/simulator';
import { PLACEHOLDER } from '../../src/simulator/incident-series';
import { parseDuration } from '../../src/simulator/dates';

export interface DeclaredCause {
  readonly key: string;
  readonly activityId: string;
  readonly type: string;
  /** LIKE pattern (backslash escapes) of the message: placeholders become `%`; undefined for incidents without message. */
  readonly pattern: string | undefined;
  /** A message as declared (placeholders unfilled); null for none. */
  readonly template: string | null;
  readonly count: number;
  readonly versions: readonly number[];
  /** Age of the oldest and the newest incident, ms. */
  readonly firstAgoMs: number;
  readonly newestAgoMs: number;
}

/** `%`, `_` and the escape character itself are escaped, nothing else (Oracle's ORA-01424 rule). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** The LIKE pattern of a message template: literal parts escaped, each placeholder `%`. */
export function templatePattern(template: string): string {
  return template
    .split(PLACEHOLDER)
    .filter((_, i) => i % 7 === 0) // split() interleaves the regex's 6 capture groups
    .map(escapeLike)
    .join('%')
    .replace(/%%+/g, '%');
}

/** Causes of the first engine, largest first (ties by key and activity). */
export function declaredCauses(scenario: Scenario): DeclaredCause[] {
  const [engine] = scenario.engines;
  const instances = new Map((engine!.instances ?? []).filter((p) => p.ref).map((p) => [p.ref!, p]));
  const latest = (key: string) => Math.max(...engine!.processDefinitions!.find((d) => d.key === key)!.versions.map((v) => v.version));
  const causes = new Map<string, DeclaredCause>();
  for (const entry of engine!.incidents ?? []) {
    const series = (entry as IncidentSeriesScenario).count !== undefined ? (entry as IncidentSeriesScenario) : undefined;
    const single = entry as IncidentScenario;
    const key = series?.definition ?? instances.get(single.instance)!.definition;
    const version = (series ? series.version : instances.get(single.instance)!.version) ?? latest(key);
    const count = series?.count ?? 1;
    const newest = parseDuration(entry.ago);
    const first = newest + (count - 1) * parseDuration(series?.every ?? '1m');
    const pattern = entry.message === null ? undefined : templatePattern(entry.message);
    const id = [key, entry.activityId, entry.type, pattern].join('\u0000');
    const known = causes.get(id);
    causes.set(id, {
      key,
      activityId: entry.activityId,
      type: entry.type,
      pattern,
      template: entry.message,
      count: (known?.count ?? 0) + count,
      versions: [...new Set([...(known?.versions ?? []), version])].sort((a, b) => a - b),
      firstAgoMs: Math.max(known?.firstAgoMs ?? 0, first),
      newestAgoMs: Math.min(known?.newestAgoMs ?? Infinity, newest),
    });
  }
  return [...causes.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key) || a.activityId.localeCompare(b.activityId));
}

export const SCENARIOS = {
  outage: 'src/simulator/scenarios/incident-outage.json',
  mixedDay: 'src/simulator/scenarios/incident-mixed-day.json',
  newCause: 'src/simulator/scenarios/incident-new-cause.json',
} as const;

export const loadCauseScenario = (name: keyof typeof SCENARIOS) => loadScenario(SCENARIOS[name]);

/** The literal start of a cause's message as a check's long output shows it (whitespace runs as one space). */
export const literalStart = (template: string | null) =>
  (template ?? '(no message)').split(PLACEHOLDER)[0]!.replace(/\s+/g, ' ').slice(0, 40).trim();

/** The declared cause a shown cause stands for: same key, activity and type, the message starting alike. */
export function declaredFor(
  shown: { readonly key: string; readonly activity: string; readonly type: string; readonly message: string },
  declared: readonly DeclaredCause[],
): DeclaredCause | undefined {
  return declared.find((c) => c.key === shown.key && c.activityId === shown.activity && c.type === shown.type && shown.message.startsWith(literalStart(c.template)));
}

/** Runs `run` and returns its result with the simulator's requests of that run by path, e.g. { '/incident/count': 7 }. */
export async function requestsOf<R>(sim: RunningSimulator, run: () => Promise<R>): Promise<{ result: R; byPath: Record<string, number>; total: number }> {
  const before = sim.requests.length;
  const result = await run();
  const byPath: Record<string, number> = {};
  for (const r of sim.requests.slice(before)) byPath[r.path] = (byPath[r.path] ?? 0) + 1;
  return { result, byPath, total: sim.requests.length - before };
}
