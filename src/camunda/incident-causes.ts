import { mapConcurrently } from '../plugin/concurrency';
import type { CamundaClient, Query } from './client';
import { parseCamundaDate } from './dates';
import { keysAndVersionsById, type KeyAndVersion } from './definitions';
import { chainFailure, MAX_CALL_LEVELS, type Failure } from './failures';
import { incidentQueries, type DatedIncident, type IncidentFilter } from './incidents';
import { likeMatches, likeToRegExp } from './like';
import { maskMessage } from './message-mask';
import { countOf, countPerQuery } from './queries';
import { arrayOf, incident } from './shapes';

/*
 * Incidents grouped by cause: where (root-cause definition key, activity, failed activity), what
 * (incident type) and why (the message with its variable parts masked, src/camunda/message-mask.ts).
 * The causes are found in bounded samples of the open incidents and then each is counted exactly
 * by the engine, with the filters GET /incident/count has for it (7.15: processDefinitionKeyIn,
 * activityId, failedActivityId, incidentType, incidentMessageLike), so that the number of requests
 * is a constant of the options, never of the number of incidents.
 *
 * Engine facts relied on (camunda/camunda-bpm-platform):
 * - incidentMessageLike goes verbatim into `RES.INCIDENT_MSG_ like #{incidentMessageLike} ESCAPE
 *   ${escapeChar}` (engine/src/main/resources/org/camunda/bpm/engine/impl/mapping/entity/Incident.xml:152-154),
 *   the escape character being a backslash (DbSqlSessionFactory.java:119, :217); `null like x` is
 *   never true, so a pattern counts incidents with a message only, and `%` counts all of those.
 * - A calling level's copy of a failure in a called instance has no message, the calling
 *   definition and the call activity as activity and failed activity (IncidentEntity.java:82-111:
 *   createRecursiveIncidents sets no message); a root incident is its own cause and root cause
 *   (IncidentEntity.java:163-164). So a count with a message pattern counts root causes only.
 * - incidentTimestampAfter is `>` (Incident.xml:161-162).
 */

/** How much a run may look at and count. */
export interface CauseBudget {
  /** Causes counted exactly, at most: each costs one to four requests (see requestBound). */
  readonly maxCounted: number;
  /** Newest and oldest page per filter combination (`maxResults`). */
  readonly pageSize: number;
  /** Further small pages per combination at offsets spread over the incidents between those two. */
  readonly spreadPages: number;
  readonly spreadPageSize: number;
  /**
   * Small first pages per combination sorted by message and by activity, ascending and descending
   * (at most 4, ORDERED_PAGES), when the newest page is not every incident: a cause at the far end
   * of either order is seen however few its incidents are, and so are incidents without message
   * (the databases sort NULL first or last, never in between).
   */
  readonly orderedPages: number;
  /** Call chains read for the causes described (top-level instance of a failure in a called instance). */
  readonly described: number;
  /** Whether causes are dated: the oldest page, and a cause's first incident when no sample holds it. */
  readonly dated: boolean;
}

export const DEFAULT_MAX_CAUSES = 25;
export const MAX_MAX_CAUSES = 100;
export const CAUSE_BUDGET: CauseBudget = { maxCounted: DEFAULT_MAX_CAUSES, pageSize: 100, spreadPages: 4, spreadPageSize: 25, orderedPages: 4, described: 10, dated: true };
/** Requests in flight at a time when counting causes: no burst of a hundred queries on the engine's database. */
export const COUNTS_IN_FLIGHT = 10;

/**
 * The most requests findIncidentCauses and describeCauses send for `combinations` filter
 * combinations (incidentQueries), not counting definition lookups: per combination with incidents
 * the `%` count, the newest page, the oldest page (when dated), the spread and the ordered pages; per counted cause at most
 * four (its count; a second count for a cause without message; its first incident when no sample
 * that must hold it does; the call chain of calling levels' copies under a scope filter); and one
 * call chain per described cause whose chain the samples do not hold. Definition lookups come on
 * top only for definition ids without the engine's `<key>:<version>:<id>` form: one request per 40
 * such ids (keysAndVersionsById), once for the samples and once for the chains. An upper bound:
 * when every newest page is shorter than pageSize (a small engine), it is one page per combination
 * with incidents and the call chains of `called` causes only (causesFromWholePages).
 */
export function requestBound(combinations: number, budget: CauseBudget): number {
  const pages = (budget.dated ? 3 : 2) + budget.spreadPages + Math.min(budget.orderedPages, ORDERED_PAGES.length);
  return combinations * pages + (budget.dated ? 4 : 3) * budget.maxCounted + budget.described;
}

/** Where and what: the part of a cause that a count filters on exactly. */
export interface CausePlace {
  /** Root-cause definition key; undefined when the definition could not be resolved (then `definitionId` counts). */
  readonly key: string | undefined;
  readonly definitionId: string;
  readonly activityId: string | null;
  readonly failedActivityId: string | null;
  readonly incidentType: string;
  /**
   * Only for an incident outside any process definition (a failed batch job's: no execution, and a
   * job definition without process definition or activity, BatchJobDeclaration.java:35-37,
   * BatchEntity.java:297-307): its job definition, the one filter that selects it (`jobDefinitionIdIn`).
   */
  readonly jobDefinitionId?: string | undefined;
}

export type CauseKind =
  /** Incidents with a message of the same masked text. */
  | 'message'
  /** Root incidents without message at one place (e.g. a NullPointerException, whose message is null). */
  | 'no-message'
  /** Calling levels' copies whose root cause lies outside the filter: the failure as the filter sees it. */
  | 'called';

export interface IncidentCause {
  readonly place: CausePlace;
  readonly kind: CauseKind;
  /** The masked message (display form); empty without message. */
  readonly text: string;
  /** Open incidents of this cause, exact at the time of counting. */
  readonly count: number;
  /** The newest sampled incident of this cause: message, link, call chain. */
  readonly newest: DatedIncident;
  /** True when `newest` is the cause's newest open incident (it was in the newest page). */
  readonly newestKnown: boolean;
  /** Time of the cause's first open incident; undefined when unreadable. */
  readonly firstAt: Date | undefined;
  readonly isNew: boolean;
  /** Versions and tenants seen among the sampled incidents of the cause. */
  readonly versions: readonly number[];
  readonly tenants: readonly string[];
  /** For `called`: the root cause incident behind the newest copy, when it could be read. */
  readonly rootCause?: DatedIncident | undefined;
  /** The whole call chain of `newest`'s failure when the samples or a read hold it. */
  readonly chain?: readonly DatedIncident[] | undefined;
  /**
   * For `no-message`: calling levels' copies at the same place (a call activity whose own job failed
   * without message) are in `count` too, since the API cannot count them apart (no filter for a null
   * message, none for causeIncidentId ≠ id). Their failures are counted at their root cause as well
   * where the filter holds it (always without scope filter). Set when the samples showed copies there.
   */
  readonly copiesAmong?: boolean | undefined;
}

/** What a check says after the message of a cause with copiesAmong. */
export const COPIES_AMONG_NOTE = " (calling levels' copies at this call activity counted with it)";

export interface IncidentCauses {
  /** Counted causes, largest first. */
  readonly causes: readonly IncidentCause[];
  /** Causes seen in the samples but not counted (beyond maxCounted). */
  readonly uncounted: number;
  /** Open incidents with a message (`incidentMessageLike=%`). */
  readonly withMessage: number;
  /** Of those, incidents in no counted cause: in causes not counted or not seen. */
  readonly unassigned: number;
  /** Open incidents without message: calling levels' copies and root causes without message. */
  readonly withoutMessage: number;
  /** Of those, in no counted cause; see `copiesAmongUnassigned`. */
  readonly unassignedWithoutMessage: number;
  /**
   * Whether calling levels' copies (counted at their root cause, not as a cause of their own) may
   * be among `unassignedWithoutMessage`: the engine's API cannot count them apart (no filter for
   * `id = rootCauseIncidentId`), so unless the samples are every incident, it is not known.
   */
  readonly copiesAmongUnassigned: boolean;
  /**
   * The samples were every open incident matching the filter (newest pages shorter than their
   * maxResults): every cause was found and counted in them, none left out but `called` causes
   * beyond maxCounted (`uncounted`).
   */
  readonly everyIncident: boolean;
  /** The oldest open incident (for its age). */
  readonly oldest: DatedIncident | undefined;
  /** Key and version of every definition id seen. */
  readonly definitions: ReadonlyMap<string, KeyAndVersion>;
  /** Incidents sampled (distinct). */
  readonly sampled: number;
}

/** One combination's samples: pages sorted by the engine, so prefixes tell what they must hold. */
interface Samples {
  readonly newest: readonly DatedIncident[];
  readonly oldest: readonly DatedIncident[];
  readonly spread: readonly DatedIncident[];
  /** The newest page is every open incident of the combination. */
  readonly whole: boolean;
}

const dated = (dto: Omit<DatedIncident, 'createdAt'>): DatedIncident => ({ ...dto, createdAt: parseCamundaDate(dto.incidentTimestamp) });
const time = (i: DatedIncident): number | undefined => i.createdAt?.getTime();
const isCopy = (i: DatedIncident): boolean => (i.rootCauseIncidentId ?? i.id) !== i.id;

/** Offsets of the spread pages: evenly between the newest and the oldest page. */
export function spreadOffsets(open: number, budget: CauseBudget): number[] {
  const inner = open - 2 * budget.pageSize;
  if (inner <= 0 || budget.spreadPages <= 0) return [];
  const last = open - budget.pageSize - budget.spreadPageSize;
  const offsets = new Set<number>();
  for (let k = 1; k <= budget.spreadPages; k++) {
    const offset = budget.pageSize + Math.floor((k * inner) / (budget.spreadPages + 1)) - Math.floor(budget.spreadPageSize / 2);
    offsets.add(Math.max(budget.pageSize, Math.min(offset, Math.max(budget.pageSize, last))));
  }
  return [...offsets];
}

async function page(client: CamundaClient, query: Query, order: 'asc' | 'desc', firstResult: number, maxResults: number, sortBy = 'incidentTimestamp'): Promise<DatedIncident[]> {
  const dtos = await client.get('/incident', { ...query, sortBy, sortOrder: order, firstResult, maxResults }, arrayOf(incident));
  return dtos.map(dated);
}

/**
 * Every other spread page is sorted by message instead of time: incidents that come in bursts
 * (a generator, a timer starting many instances at once) fill a time-sorted page with one burst,
 * while a message-sorted page at an even offset lands in the causes in proportion to their size.
 */
const SPREAD_ORDERS = ['incidentTimestamp', 'incidentMessage'] as const;

/** The orders of the ordered pages (CauseBudget.orderedPages), in the order they are taken. */
const ORDERED_PAGES: readonly (readonly [sortBy: string, order: 'asc' | 'desc'])[] = [
  ['incidentMessage', 'asc'],
  ['incidentMessage', 'desc'],
  ['activityId', 'asc'],
  ['activityId', 'desc'],
];

/** Whether the count, read a round before the samples, says the newest page will hold every incident (then no other page is read with it). */
const expectsWhole = (open: number, budget: CauseBudget): boolean => open < budget.pageSize;

/**
 * The newest page and, unless the count says it will be every incident, the other pages with it.
 * Only a newest page shorter than its maxResults proves that it is every open incident matching
 * the query: the engine answered one SELECT with fewer rows than the limit. The count comes from
 * an earlier request with the same filter, so incidents created or resolved in between may make
 * the page longer or shorter than the count: a shorter page is still every incident (the causes
 * then describe the moment of the page, the count the moment before); a full page that the count
 * said would be short (a burst in between) is no proof, and the other pages follow in one more
 * round, as for a large engine. A page of exactly `pageSize` incidents proves nothing either.
 */
async function sample(client: CamundaClient, query: Query, open: number, budget: CauseBudget): Promise<Samples> {
  if (open <= 0) return { newest: [], oldest: [], spread: [], whole: true };
  const [newest, rest] = await Promise.all([page(client, query, 'desc', 0, budget.pageSize), expectsWhole(open, budget) ? undefined : otherPages(client, query, open, budget)]);
  const whole = newest.length < budget.pageSize;
  // Pages read with a newest page that proved whole are left aside: it alone is every incident, at one moment.
  const others = whole ? { oldest: [], spread: [] } : (rest ?? (await otherPages(client, query, budget.pageSize + 1, budget)));
  return { newest, ...others, whole };
}

/** The oldest page (when dated), the spread pages and the ordered pages of a combination with `open` incidents. */
async function otherPages(client: CamundaClient, query: Query, open: number, budget: CauseBudget): Promise<Pick<Samples, 'oldest' | 'spread'>> {
  const [oldest, ...spread] = await Promise.all([
    !budget.dated ? Promise.resolve([]) : page(client, query, 'asc', 0, budget.pageSize),
    ...spreadOffsets(open, budget).map((offset, k) => page(client, query, 'desc', offset, budget.spreadPageSize, SPREAD_ORDERS[k % SPREAD_ORDERS.length])),
    ...ORDERED_PAGES.slice(0, budget.orderedPages).map(([sortBy, order]) => page(client, query, order, 0, budget.spreadPageSize, sortBy)),
  ]);
  return { oldest: oldest!, spread: spread.flat() };
}

/**
 * The counts a cause needs, by its place; `like` restricts to a message pattern. A key never holds
 * processDefinitionKeyIn's separator `,`: process ids are XML NCNames, validated against the BPMN
 * schema on deployment (BpmnParse.java:324).
 */
function placeQuery(place: CausePlace, filter: IncidentFilter, like?: string): Query {
  return {
    ...(place.key !== undefined ? { processDefinitionKeyIn: [place.key] } : place.definitionId ? { processDefinitionId: place.definitionId } : { jobDefinitionIdIn: place.jobDefinitionId ? [place.jobDefinitionId] : undefined }),
    activityId: place.activityId ?? undefined,
    failedActivityId: place.failedActivityId ?? undefined,
    incidentType: place.incidentType,
    incidentMessageLike: like,
    tenantIdIn: filter.tenantIds,
  };
}

interface Candidate {
  readonly id: string;
  readonly place: CausePlace;
  readonly kind: 'message' | 'no-message';
  readonly text: string;
  readonly pattern: string | undefined;
  readonly members: DatedIncident[];
  /** Members in the newest page, the oldest page, or a page that is every incident of the combination. */
  inNewest: boolean;
  firstFromSamples: Date | undefined;
  /** Calling levels' copies seen at the place (members only under a scope filter). */
  hasCopies: boolean;
  hasRoots: boolean;
}

function placeOf(i: DatedIncident, definitions: ReadonlyMap<string, KeyAndVersion>): CausePlace {
  const definitionId = i.processDefinitionId ?? '';
  return {
    key: definitions.get(definitionId)?.key ?? undefined,
    definitionId,
    activityId: i.activityId,
    failedActivityId: i.failedActivityId ?? null,
    incidentType: i.incidentType ?? '',
    jobDefinitionId: definitionId ? undefined : (i.jobDefinitionId ?? undefined),
  };
}

const placeId = (p: CausePlace): string => JSON.stringify([p.key ?? `#${p.definitionId}`, p.activityId, p.failedActivityId, p.incidentType, p.jobDefinitionId]);

/** The scope filters are those a calling level's copy can escape: it runs in another definition, activity, maybe tenant. */
function isScoped(filter: IncidentFilter): boolean {
  return filter.processDefinitionKeys.length > 0 || filter.tenantIds.length > 0 || filter.activityIds.length > 0;
}

/** Group the samples into candidate causes. Copies count under their root cause unless the filter may hide it. */
function candidatesOf(samples: readonly Samples[], definitions: ReadonlyMap<string, KeyAndVersion>, scoped: boolean): Candidate[] {
  const byId = new Map<string, Candidate>();
  const seen = new Set<string>();
  const copyPlaces = new Set<string>();
  for (const s of samples) {
    const pages: [readonly DatedIncident[], 'newest' | 'oldest' | 'spread'][] = [[s.newest, 'newest'], [s.oldest, 'oldest'], [s.spread, 'spread']];
    for (const [incidents, which] of pages) {
      for (const i of incidents) {
        const copy = isCopy(i);
        const place = placeOf(i, definitions);
        if (copy && !scoped) {
          copyPlaces.add(placeId(place));
          continue;
        }
        // A copy has no message: one candidate with the root incidents without message at its place,
        // which no count can tell from it (countCandidate).
        const masked = maskMessage(copy ? null : i.incidentMessage);
        const kind = masked.pattern === undefined ? 'no-message' : 'message';
        const id = `${placeId(place)}\u0000${kind}\u0000${masked.text}`;
        let candidate = byId.get(id);
        if (!candidate) {
          candidate = { id, place, kind, text: masked.text, pattern: masked.pattern, members: [], inNewest: false, firstFromSamples: undefined, hasCopies: false, hasRoots: false };
          byId.set(id, candidate);
        }
        if (copy) candidate.hasCopies = true;
        else candidate.hasRoots = true;
        if (which === 'newest') candidate.inNewest = true;
        // An ascending prefix (the oldest page, or the newest page when it is all) holds a cause's
        // first incident if it holds any of it.
        const t = time(i);
        if ((which === 'oldest' || (which === 'newest' && s.whole)) && t !== undefined) {
          if (!candidate.firstFromSamples || t < candidate.firstFromSamples.getTime()) candidate.firstFromSamples = new Date(t);
        }
        if (i.id && seen.has(`${id}\u0000${i.id}`)) continue;
        if (i.id) seen.add(`${id}\u0000${i.id}`);
        candidate.members.push(i);
      }
    }
  }
  for (const c of byId.values()) if (c.kind === 'no-message' && copyPlaces.has(placeId(c.place))) c.hasCopies = true;
  return [...byId.values()];
}

/** For each message cause, the other message causes at its place whose sampled messages its pattern matches too: its count includes theirs. */
type Nesting = ReadonlyMap<Candidate, readonly Candidate[]>;

function nesting(candidates: readonly Candidate[]): Nesting {
  const byPlace = new Map<string, Candidate[]>();
  for (const c of candidates) if (c.kind === 'message') byPlace.set(placeId(c.place), [...(byPlace.get(placeId(c.place)) ?? []), c]);
  const nested = new Map<Candidate, Candidate[]>();
  for (const group of byPlace.values()) {
    for (const c of group) {
      const like = likeToRegExp(c.pattern!);
      nested.set(c, group.filter((other) => other !== c && other.members.some((m) => like.test(m.incidentMessage ?? ''))));
    }
  }
  return nested;
}

/**
 * Copies alone at a place under a scope filter: their failure lies elsewhere, maybe outside the
 * filter (a `called` cause, toCause), which the newest copy's call chain tells. Where root incidents
 * without message share the place, it is their cause, the copies counted with them (copiesAmong).
 */
const copiesOnly = (c: Candidate, scoped: boolean): boolean => c.kind === 'no-message' && scoped && c.hasCopies && !c.hasRoots;

const newestTime = (c: Candidate): number => Math.max(...c.members.map((m) => time(m) ?? 0));
/** The newest of some incidents (one without readable time counts as oldest). */
const newestOf = (incidents: readonly DatedIncident[]): DatedIncident => incidents.reduce((a, b) => ((time(b) ?? 0) > (time(a) ?? 0) ? b : a));

/**
 * Which candidates to count within the budget: a share for causes whose incidents are all
 * recent (a new kind of problem is what the operator must not miss), then the largest in the
 * samples. A cause goes only together with the causes nested in its pattern, which its count
 * includes and which must therefore be counted too.
 */
function chooseCandidates(candidates: readonly Candidate[], nested: Nesting, budget: CauseBudget, newSince: Date): Candidate[] {
  const bySize = [...candidates].sort((a, b) => b.members.length - a.members.length || newestTime(b) - newestTime(a));
  const since = newSince.getTime();
  const recent = bySize.filter((c) => (c.firstFromSamples ? c.firstFromSamples.getTime() > since : c.members.every((m) => (time(m) ?? 0) > since)));
  const reserved = recent.sort((a, b) => newestTime(b) - newestTime(a)).slice(0, Math.ceil(budget.maxCounted / 5));
  const chosen = new Set<Candidate>();
  for (const candidate of [...reserved, ...bySize]) {
    if (chosen.has(candidate)) continue;
    const group = [candidate, ...(nested.get(candidate) ?? [])].filter((c) => !chosen.has(c));
    if (chosen.size + group.length > budget.maxCounted) continue;
    for (const c of group) chosen.add(c);
  }
  return [...chosen];
}

interface Counted {
  readonly candidate: Candidate;
  readonly raw: number;
  readonly firstAt: Date | undefined;
  /** `called` copies: the chain behind the newest copy. */
  readonly chain?: readonly DatedIncident[] | undefined;
}

/** Exact numbers of one chosen candidate: one to four requests. */
async function countCandidate(client: CamundaClient, candidate: Candidate, filter: IncidentFilter, scoped: boolean, askFirst: boolean): Promise<Counted> {
  const newest = newestOf(candidate.members);
  const noMessage = candidate.kind === 'no-message';
  const readChain = copiesOnly(candidate, scoped);
  const [all, withMessage, first, chain] = await Promise.all([
    countOf(client, '/incident/count', placeQuery(candidate.place, filter, noMessage ? undefined : candidate.pattern)),
    noMessage ? countOf(client, '/incident/count', placeQuery(candidate.place, filter, '%')) : Promise.resolve(0),
    candidate.firstFromSamples || !askFirst
      ? Promise.resolve(candidate.firstFromSamples)
      : page(client, placeQuery(candidate.place, filter, noMessage ? undefined : candidate.pattern), 'asc', 0, 1).then((p) => p[0]?.createdAt),
    readChain
      ? callChain(client, newest.rootCauseIncidentId ?? newest.id ?? '')
      : Promise.resolve(undefined),
  ]);
  return { candidate, raw: Math.max(0, all - withMessage), firstAt: first, chain };
}

/** Whether an incident lies within the filter (the engine's own filter, applied to a read incident). */
function withinFilter(i: DatedIncident, filter: IncidentFilter, definitions: ReadonlyMap<string, KeyAndVersion>): boolean {
  const key = definitions.get(i.processDefinitionId ?? '')?.key;
  if (filter.processDefinitionKeys.length && !(key && filter.processDefinitionKeys.includes(key))) return false;
  if (filter.tenantIds.length && !filter.tenantIds.includes(i.tenantId ?? '')) return false;
  if (filter.activityIds.length && !filter.activityIds.includes(i.activityId ?? '')) return false;
  return filter.incidentTypes.length === 0 || filter.incidentTypes.includes(i.incidentType ?? '');
}

/** The incidents below a calling level's copy, down to the root cause, following causeIncidentId through its chain. */
function levelsBelow(copy: DatedIncident, chain: readonly DatedIncident[]): DatedIncident[] {
  const byId = new Map(chain.map((i) => [i.id, i]));
  const below: DatedIncident[] = [];
  for (let next = byId.get(copy.causeIncidentId ?? null); next && below.length < MAX_CALL_LEVELS; next = byId.get(next.causeIncidentId ?? null)) {
    below.push(next);
    if (next.causeIncidentId === next.id) break;
  }
  return below;
}

/**
 * The causes of the open incidents matching `filter`. `open` holds the open incidents of each
 * of incidentQueries(filter), in that order (the check has counted them already).
 */
export async function findIncidentCauses(
  client: CamundaClient,
  filter: IncidentFilter,
  open: readonly number[],
  newSince: Date,
  budget: CauseBudget = CAUSE_BUDGET,
): Promise<IncidentCauses> {
  const queries = incidentQueries(filter);
  const scoped = isScoped(filter);
  const [samples, withMessageCounts] = await Promise.all([
    Promise.all(queries.map((query, i) => sample(client, query, open[i] ?? 0, budget))),
    // A combination whose newest page will be every incident needs no `%` count: withMessageInPages.
    countPerQuery(client, '/incident/count', queries.filter((_q, i) => !expectsWhole(open[i] ?? 0, budget)), { incidentMessageLike: '%' }),
  ]);
  const withMessage = withMessageCounts.reduce((a, b) => a + b, 0) + (await withMessageInPages(client, queries, samples, open, budget));
  const sampledIncidents = samples.flatMap((s) => [...s.newest, ...s.oldest, ...s.spread]);
  const definitions = await keysAndVersionsById(client, sampledIncidents);
  if (samples.every((s) => s.whole)) return causesFromWholePages(client, samples, definitions, filter, newSince, budget);
  const candidates = candidatesOf(samples, definitions, scoped);
  const nested = nesting(candidates);
  const chosen = chooseCandidates(candidates, nested, budget, newSince);
  const counted = await mapConcurrently(chosen, COUNTS_IN_FLIGHT, (c) => countCandidate(client, c, filter, scoped, budget.dated));

  // Chains of copies name definitions the samples may not have named.
  const chainIncidents = counted.flatMap((c) => c.chain ?? []);
  const chainDefinitions = chainIncidents.length ? await keysAndVersionsById(client, chainIncidents) : new Map<string, KeyAndVersion>();
  const allDefinitions = new Map([...definitions, ...chainDefinitions]);

  const exact = exactCounts(counted, nested);
  const causes: IncidentCause[] = [];
  for (const c of counted) {
    const count = exact.get(c.candidate) ?? 0;
    if (count <= 0) continue;
    const cause = toCause(c, count, newSince, filter, allDefinitions, scoped, (rep) => (scoped ? undefined : chainInSamples(rep, samples)));
    if (cause) causes.push(cause);
  }
  const assignedWithoutMessage = causes.filter((c) => c.kind !== 'message').reduce((sum, c) => sum + c.count, 0);
  const withoutMessage = Math.max(0, open.reduce((a, b) => a + b, 0) - withMessage);
  // Samples of every incident went to causesFromWholePages: here they are not, so incidents without message are known by counts only.
  return outcome(causes, samples, allDefinitions, {
    uncounted: candidates.length - chosen.length,
    withMessage,
    withoutMessage,
    unassignedWithoutMessage: Math.max(0, withoutMessage - assignedWithoutMessage),
    everyIncident: false,
    sampled: new Set(sampledIncidents.map((i) => i.id)).size,
  });
}

/** Either way's result (counted, or in whole pages): the causes largest first, and what they leave unassigned. */
function outcome(
  causes: IncidentCause[],
  samples: readonly Samples[],
  definitions: ReadonlyMap<string, KeyAndVersion>,
  figures: Pick<IncidentCauses, 'uncounted' | 'withMessage' | 'withoutMessage' | 'unassignedWithoutMessage' | 'everyIncident' | 'sampled'>,
): IncidentCauses {
  const assigned = causes.filter((c) => c.kind === 'message').reduce((sum, c) => sum + c.count, 0);
  return {
    ...figures,
    causes: causes.sort((a, b) => b.count - a.count || (time(b.newest) ?? 0) - (time(a.newest) ?? 0)),
    unassigned: Math.max(0, figures.withMessage - assigned),
    // Only samples of every incident tell calling levels' copies from root incidents without message.
    copiesAmongUnassigned: !figures.everyIncident,
    oldest: oldestOf(samples),
    definitions,
  };
}

/**
 * Open incidents with a message in the combinations whose count said the newest page would be all
 * (the others have their `%` count): the page's own, as the engine's `%` counts them (any message
 * but null), when the page is every incident; else, incidents having come since the count, the
 * engine's `%` count after all.
 */
async function withMessageInPages(client: CamundaClient, queries: readonly Query[], samples: readonly Samples[], open: readonly number[], budget: CauseBudget): Promise<number> {
  const counts = await Promise.all(
    samples.map((s, i) => {
      if (!expectsWhole(open[i] ?? 0, budget)) return 0;
      if (s.whole) return s.newest.filter((incident) => likeMatches('%', incident.incidentMessage)).length;
      return countOf(client, '/incident/count', { ...queries[i]!, incidentMessageLike: '%' });
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** The call chain of a failure: its root cause and the calling levels' copies (rootCauseIncidentId), at most MAX_CALL_LEVELS. */
async function callChain(client: CamundaClient, rootId: string): Promise<DatedIncident[]> {
  const dtos = await client.get('/incident', { rootCauseIncidentId: rootId, firstResult: 0, maxResults: MAX_CALL_LEVELS }, arrayOf(incident));
  return dtos.map(dated);
}

/**
 * The causes when the newest pages are every open incident matching the filter (sample): grouped
 * and counted in the pages, exact as of their reading, with no count and no "oldest" request,
 * every cause counted whatever maxCounted; first incidents and the oldest are in the pages too.
 * Without scope filter a calling level's copy is left to its root cause, which the pages hold.
 * Under one, a copy is counted where the pages hold its root cause or its next level down (both
 * within the filter, so in the pages if they exist); the rest, copies of failures whose root cause
 * lies outside the filter, make `called` causes as in the counted way, and only they cost a
 * request: the call chain of the newest copy (the root cause that describes it, and whether a
 * deeper level lies within the filter after all), for at most maxCounted such causes.
 */
async function causesFromWholePages(
  client: CamundaClient,
  samples: readonly Samples[],
  definitions: ReadonlyMap<string, KeyAndVersion>,
  filter: IncidentFilter,
  newSince: Date,
  budget: CauseBudget,
): Promise<IncidentCauses> {
  const scoped = isScoped(filter);
  const incidents = samples.flatMap((s) => s.newest);
  const ids = new Set(incidents.map((i) => i.id ?? ''));
  const countedBelow = (i: DatedIncident) => isCopy(i) && (ids.has(i.rootCauseIncidentId ?? '') || ids.has(i.causeIncidentId ?? ''));
  const candidates = candidatesOf(samples, definitions, scoped)
    .map((c) => {
      const members = c.members.filter((m) => !countedBelow(m));
      return { ...c, members, hasCopies: members.some(isCopy) };
    })
    .filter((c) => c.members.length > 0);
  const needsChain = (c: Candidate) => copiesOnly(c, scoped);
  const bySize = (a: Candidate, b: Candidate) => b.members.length - a.members.length || newestTime(b) - newestTime(a);
  const chosen = [...candidates.filter((c) => !needsChain(c)), ...candidates.filter(needsChain).sort(bySize).slice(0, budget.maxCounted)];
  const counted: Counted[] = await mapConcurrently(chosen, COUNTS_IN_FLIGHT, async (candidate) => {
    const newest = newestOf(candidate.members);
    const chain = needsChain(candidate) ? await callChain(client, newest.rootCauseIncidentId ?? newest.id ?? '') : undefined;
    return { candidate, raw: candidate.members.length, firstAt: candidate.firstFromSamples, chain };
  });
  const chainIncidents = counted.flatMap((c) => c.chain ?? []);
  const allDefinitions = new Map([...definitions, ...(chainIncidents.length ? await keysAndVersionsById(client, chainIncidents) : [])]);
  const causes = counted
    .map((c) => toCause(c, c.raw, newSince, filter, allDefinitions, scoped, (rep) => (scoped ? undefined : chainInSamples(rep, samples))))
    .filter((c): c is IncidentCause => c !== undefined);
  // Here a message is what makes a cause by message: an empty one is none (maskMessage), unlike for `%`.
  const withMessage = incidents.filter((i) => !isCopy(i) && !!i.incidentMessage).length;
  const chosenIds = new Set(chosen);
  return outcome(causes, samples, allDefinitions, {
    uncounted: candidates.length - chosen.length,
    withMessage,
    withoutMessage: incidents.length - withMessage,
    unassignedWithoutMessage: candidates.filter((c) => !chosenIds.has(c)).reduce((sum, c) => sum + c.members.length, 0),
    everyIncident: true,
    sampled: ids.size,
  });
}

/**
 * A pattern's count includes the causes nested in it (their messages match it too, at the same
 * place): each is subtracted once, the innermost first. Two patterns that match each other's
 * messages both count both; the longer (more specific) one is taken as the nested one.
 */
function exactCounts(counted: readonly Counted[], nesting: Nesting): Map<Candidate, number> {
  const chosen = new Set(counted.map((c) => c.candidate));
  const raw = new Map(counted.map((c) => [c.candidate, c.raw]));
  const mutual = (c: Candidate, n: Candidate) => (nesting.get(n) ?? []).includes(c) && (n.pattern ?? '').length <= (c.pattern ?? '').length;
  const inner = (c: Candidate) => (nesting.get(c) ?? []).filter((n) => chosen.has(n) && !mutual(c, n));
  const exact = new Map<Candidate, number>();
  const resolve = (c: Candidate, depth: number): number => {
    const known = exact.get(c);
    if (known !== undefined) return known;
    const nestedCount = depth > 20 ? 0 : inner(c).reduce((sum, n) => sum + resolve(n, depth + 1), 0);
    const value = Math.max(0, (raw.get(c) ?? 0) - nestedCount);
    exact.set(c, value);
    return value;
  };
  for (const c of chosen) resolve(c, 0);
  return exact;
}

function toCause(
  { candidate, firstAt, chain }: Counted,
  count: number,
  newSince: Date,
  filter: IncidentFilter,
  definitions: ReadonlyMap<string, KeyAndVersion>,
  scoped: boolean,
  sampledChain: (rep: DatedIncident) => DatedIncident[] | undefined,
): IncidentCause | undefined {
  const members = candidate.members;
  // With root incidents among copies, a root describes the cause: the copies' failure lies elsewhere.
  const newest = newestOf(members.filter((m) => !candidate.hasRoots || !isCopy(m)));
  let kind: CauseKind = candidate.kind;
  let rootCause: DatedIncident | undefined;
  if (copiesOnly(candidate, scoped)) {
    // The copies' failure lies outside the filter: it is the cause as this filter sees it. When its
    // root cause is within the filter, it is counted there; a place of copies alone is then none of its own.
    const root = chain?.find((i) => i.id === (newest.rootCauseIncidentId ?? newest.id));
    // A level below (a deeper copy or the root cause) within the filter too: the failure is counted there, once.
    if (levelsBelow(newest, chain ?? []).some((i) => withinFilter(i, filter, definitions))) return undefined;
    kind = 'called';
    rootCause = root;
  }
  const versions = [...new Set(members.map((m) => definitions.get(m.processDefinitionId ?? '')?.version).filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b);
  const tenants = [...new Set(members.map((m) => m.tenantId).filter((t): t is string => !!t))].sort();
  return {
    place: candidate.place,
    kind,
    text: candidate.text,
    count,
    newest,
    newestKnown: candidate.inNewest,
    firstAt,
    isNew: firstAt !== undefined && firstAt.getTime() > newSince.getTime(),
    versions,
    tenants,
    rootCause,
    chain: kind === 'called' ? chain : sampledChain(newest),
    copiesAmong: kind === 'no-message' && candidate.hasRoots && candidate.hasCopies,
  };
}

/** How much later than its root cause a copy may be stamped: far more than one command takes. */
const COPY_STAMP_SLACK_MS = 60_000;

/**
 * The call chain of root incident `rep` when a sample page must hold it whole: the copies of a
 * failure are stamped in the same command, each at or after its root cause (every create reads the
 * clock, IncidentEntity.java:161), so a page of the newest holds every copy of a root it holds
 * unless the root lies at the page's edge; the oldest page only when the root lies well before its
 * edge (COPY_STAMP_SLACK_MS). Only without scope filters (the copies run in other definitions,
 * activities, maybe tenants).
 */
function chainInSamples(rep: DatedIncident, samples: readonly Samples[]): DatedIncident[] | undefined {
  const t = time(rep);
  for (const s of samples) {
    const newestEnd = s.newest.length ? time(s.newest[s.newest.length - 1]!) : undefined;
    const oldestEnd = s.oldest.length ? time(s.oldest[s.oldest.length - 1]!) : undefined;
    const inNewest = s.newest.some((i) => i.id === rep.id);
    const inOldest = s.oldest.some((i) => i.id === rep.id);
    const whole =
      (inNewest && s.whole) ||
      (inNewest && t !== undefined && newestEnd !== undefined && t > newestEnd) ||
      (inOldest && t !== undefined && oldestEnd !== undefined && t < oldestEnd - COPY_STAMP_SLACK_MS);
    if (!whole) continue;
    const chain = new Map<string, DatedIncident>();
    for (const i of [...s.newest, ...s.oldest]) if (i.id && (i.rootCauseIncidentId ?? i.id) === rep.id) chain.set(i.id, i);
    return [...chain.values()];
  }
  return undefined;
}

function oldestOf(samples: readonly Samples[]): DatedIncident | undefined {
  const firsts = samples.map((s) => (s.whole ? s.newest[s.newest.length - 1] : s.oldest[0])).filter((i): i is DatedIncident => i !== undefined);
  // An incident whose time cannot be read is returned as the oldest: the caller must not take it for a young one.
  return firsts.find((i) => !i.createdAt) ?? firsts.sort((a, b) => (time(a) ?? 0) - (time(b) ?? 0))[0];
}

/**
 * The failure behind each cause's newest incident, for the first `limit` causes: root cause and
 * top-level instance. The chain is read from the samples when they must hold it whole
 * (chainInSamples), else with one request per cause, ten at a time.
 */
export async function describeCauses(client: CamundaClient, causes: readonly IncidentCause[], limit: number): Promise<Failure[]> {
  return mapConcurrently(causes.slice(0, limit), COUNTS_IN_FLIGHT, async (cause) => {
    const anchor = cause.rootCause ?? cause.newest;
    const rootId = anchor.rootCauseIncidentId ?? anchor.id ?? '';
    if (cause.chain?.length) return chainFailure(rootId, cause.chain);
    const read = await callChain(client, rootId);
    // Resolved in between: the incident itself is all there is to say.
    return chainFailure(rootId, read.length > 0 ? read : [anchor]);
  });
}
