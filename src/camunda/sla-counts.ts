import type { CamundaClient, Query } from './client';
import { formatCamundaDate, parseCamundaDate } from './dates';
import { tenantScope } from './definitions';
import { unreadableDateError } from './errors';
import { countOf, countPerQuery } from './queries';
import { arrayOf, historicActivityInstance, historicProcessInstance, task, type Shape } from './shapes';
import type { SlaCount, SlaTarget } from './sla';

/** How many items are outside an SLA, and the oldest of those past it. */
export interface SlaFigures {
  readonly breached: number;
  /** Past the at-risk age but not yet past the SLA. */
  readonly atRisk: number;
  /** The oldest breached item, when it was read: its start (task creation) and process instance. */
  readonly oldest: { readonly since: Date; readonly processInstanceId: string | null } | undefined;
}

/** Where each kind of item is counted, and how its age is asked for. */
interface Endpoint {
  readonly path: string;
  /** The parameter naming the flow node, if the SLA is one's. */
  readonly elementParameter?: string;
  /** The upper bound on the start (or creation) date. */
  readonly before: string;
  readonly sortBy: string;
  readonly condition: Query;
  readonly list: Shape<readonly object[]>;
  /** The fields of a listed item holding its start and its process instance. */
  readonly startField: string;
  readonly instanceField: string;
}

const ENDPOINTS: Record<SlaTarget, Endpoint> = {
  task: {
    path: '/task',
    elementParameter: 'taskDefinitionKey',
    before: 'createdBefore',
    sortBy: 'created',
    condition: {},
    list: arrayOf(task),
    startField: 'created',
    instanceField: 'processInstanceId',
  },
  activity: {
    path: '/history/activity-instance',
    elementParameter: 'activityId',
    before: 'startedBefore',
    sortBy: 'startTime',
    condition: { unfinished: true },
    list: arrayOf(historicActivityInstance),
    startField: 'startTime',
    instanceField: 'processInstanceId',
  },
  instance: {
    path: '/history/process-instance',
    before: 'startedBefore',
    sortBy: 'startTime',
    condition: { unfinished: true },
    list: arrayOf(historicProcessInstance),
    startField: 'startTime',
    instanceField: 'id',
  },
};

/** The queries of one SLA count, without the age bound: one over the key, or one per version. */
export function slaQueries(count: SlaCount): Query[] {
  const endpoint = ENDPOINTS[count.target];
  const element = endpoint.elementParameter && count.element ? { [endpoint.elementParameter]: count.element.id } : {};
  if (count.byKey) return [{ processDefinitionKey: count.key, ...tenantScope(count.tenantId), ...element, ...endpoint.condition }];
  return count.versions.map((version) => ({ processDefinitionId: version.id, ...element, ...endpoint.condition }));
}

/** Count requests an SLA needs at most: past the at-risk age when there is one, and past the SLA. */
export function countRequests(count: SlaCount): number {
  return slaQueries(count).length * (count.atRiskSeconds === undefined ? 1 : 2);
}

/**
 * Counts the items of one SLA: those started before now − SLA are breached; those started before
 * now − at-risk age, less the breached, are at risk. The wider at-risk count goes first: where it
 * finds nothing, nothing is breached either, and most SLAs on a healthy engine cost one request.
 * The oldest breached item is read (one item per query with breached items, oldest first) while
 * `mayList` grants the requests.
 */
export async function countSla(client: CamundaClient, count: SlaCount, now: Date, mayList: (requests: number) => boolean): Promise<SlaFigures> {
  const endpoint = ENDPOINTS[count.target];
  const queries = slaQueries(count);
  const before = (seconds: number) => ({ [endpoint.before]: formatCamundaDate(new Date(now.getTime() - seconds * 1000)) });
  const countPath = `${endpoint.path}/count`;
  const pastRisk = count.atRiskSeconds === undefined ? undefined : await countPerQuery(client, countPath, queries, before(count.atRiskSeconds));
  const breachedPerQuery = await Promise.all(
    queries.map((query, i) => (pastRisk?.[i] === 0 ? 0 : countOf(client, countPath, { ...query, ...before(count.slaSeconds) }))),
  );
  const breached = sum(breachedPerQuery);
  // Two counts are two moments: an item may pass the SLA in between; never report fewer than 0.
  const atRisk = pastRisk === undefined ? 0 : Math.max(0, sum(pastRisk) - breached);
  const withBreaches = queries.filter((_query, i) => breachedPerQuery[i]! > 0);
  if (withBreaches.length === 0 || !mayList(withBreaches.length)) return { breached, atRisk, oldest: undefined };
  const firsts = await Promise.all(
    withBreaches.map(async (query) => {
      const page = await client.get(endpoint.path, { ...query, ...before(count.slaSeconds), sortBy: endpoint.sortBy, sortOrder: 'asc', firstResult: 0, maxResults: 1 }, endpoint.list);
      const item = page[0] as Readonly<Record<string, string | null | undefined>> | undefined;
      if (!item) return undefined;
      const started = item[endpoint.startField];
      const since = parseCamundaDate(started);
      if (!since) throw unreadableDateError(`the ${endpoint.startField} of an item of ${endpoint.path}`, started);
      return { since, processInstanceId: item[endpoint.instanceField] ?? null };
    }),
  );
  const oldest = firsts.reduce<SlaFigures['oldest']>((first, item) => (item && (!first || item.since < first.since) ? item : first), undefined);
  return { breached, atRisk, oldest };
}

const sum = (counts: readonly number[]): number => counts.reduce((total, count) => total + count, 0);

/**
 * Whether the engine records history: a version with running instances has historic process
 * instances at every history level but `none`. (Finished or not, so an instance that ends between
 * two requests cannot mislead.) Activity and process SLAs cannot be counted without history.
 */
export async function recordsHistory(client: CamundaClient, runningVersionId: string): Promise<boolean> {
  return (await countOf(client, '/history/process-instance/count', { processDefinitionId: runningVersionId })) > 0;
}
