import type { CamundaClient, Query } from './client';
import { formatCamundaDate, parseCamundaDate } from './dates';
import { unreadableDateError } from './errors';
import { countOf } from './queries';
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
  // A tenant's definition runs for its tenant only; a shared one for any (groupSlas made sure no tenant runs the key itself).
  // A shared version counted for a selected tenant (rowsForSelectedTenants) needs the tenant by id too.
  const tenant = count.tenantId === null ? {} : { tenantIdIn: [count.tenantId] };
  if (count.byKey) return [{ processDefinitionKey: count.key, ...tenant, ...element, ...endpoint.condition }];
  return count.versions.map((version) => ({ processDefinitionId: version.id, ...tenant, ...element, ...endpoint.condition }));
}

/**
 * Items read per query: the items past an at-risk age are few on a working engine, and listing
 * them oldest first answers the counts and the oldest item in one request. Only where this many or
 * more are past it do counts follow.
 */
export const LISTED_ITEMS = 25;

/** Requests an SLA needs at most: per query a list, and where it is full, a count past the SLA and one past the at-risk age. */
export function countRequests(count: SlaCount): number {
  return slaQueries(count).length * (count.atRiskSeconds === undefined ? 2 : 3);
}

interface QueryFigures {
  readonly breached: number;
  readonly pastRisk: number;
  readonly oldest: SlaFigures['oldest'];
}

/**
 * Counts the items of one SLA: those started before now − SLA are breached; those started before
 * now − at-risk age, less the breached, are at risk. Per query, the items past the at-risk age (or
 * the SLA) are listed oldest first, at most LISTED_ITEMS: a shorter list is all of them, so the
 * counts come from its dates and the oldest breached item is its first. A full list is followed by
 * the counts; its first item is still the oldest.
 */
export async function countSla(client: CamundaClient, count: SlaCount, now: Date): Promise<SlaFigures> {
  const endpoint = ENDPOINTS[count.target];
  const bound = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  const before = (seconds: number) => ({ [endpoint.before]: formatCamundaDate(bound(seconds)) });
  const slaBound = bound(count.slaSeconds).getTime();
  const widest = count.atRiskSeconds ?? count.slaSeconds;

  const perQuery = await Promise.all(
    slaQueries(count).map(async (query): Promise<QueryFigures> => {
      const page = (await client.get(
        endpoint.path,
        { ...query, ...before(widest), sortBy: endpoint.sortBy, sortOrder: 'asc', firstResult: 0, maxResults: LISTED_ITEMS },
        endpoint.list,
      )) as readonly Readonly<Record<string, string | null | undefined>>[];
      const starts = page.map((item) => {
        const since = parseCamundaDate(item[endpoint.startField]);
        if (!since) throw unreadableDateError(`the ${endpoint.startField} of an item of ${endpoint.path}`, item[endpoint.startField]);
        return since;
      });
      let breached: number;
      let pastRisk: number;
      if (page.length < LISTED_ITEMS) {
        breached = starts.filter((since) => since.getTime() <= slaBound).length;
        pastRisk = page.length;
      } else {
        const countPath = `${endpoint.path}/count`;
        [breached, pastRisk] = await Promise.all([
          countOf(client, countPath, { ...query, ...before(count.slaSeconds) }),
          count.atRiskSeconds === undefined ? Promise.resolve(-1) : countOf(client, countPath, { ...query, ...before(count.atRiskSeconds) }),
        ]);
        if (pastRisk < 0) pastRisk = breached;
      }
      const oldest = breached > 0 && page[0] ? { since: starts[0]!, processInstanceId: page[0][endpoint.instanceField] ?? null } : undefined;
      return { breached, pastRisk, oldest };
    }),
  );
  const breached = sum(perQuery.map((q) => q.breached));
  // Counts are moments apart: an item may pass the SLA in between; never report fewer than 0.
  const atRisk = count.atRiskSeconds === undefined ? 0 : Math.max(0, sum(perQuery.map((q) => q.pastRisk)) - breached);
  const oldest = perQuery.reduce<SlaFigures['oldest']>((first, q) => (q.oldest && (!first || q.oldest.since < first.since) ? q.oldest : first), undefined);
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
