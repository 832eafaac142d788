import type { CamundaClient, Query } from './client';
import { countResult } from './shapes';

/**
 * Filters that Camunda takes one value at a time (`incidentType`, `activityId`, a job's
 * `processDefinitionKey`...) become one query per combination of their values. Each entity has
 * exactly one value of each, so the combinations select disjoint sets and their counts add up.
 */
export type SingleValuedFilters = Readonly<Record<string, readonly string[]>>;

export function combinationCount(filters: SingleValuedFilters): number {
  return Object.values(filters).reduce((product, values) => product * Math.max(1, values.length), 1);
}

/** `base` once per combination of the single-valued filters; a filter without values is not sent. */
export function queryPerCombination(base: Query, filters: SingleValuedFilters): Query[] {
  return Object.entries(filters).reduce<Query[]>(
    (queries, [name, values]) => (values.length ? queries.flatMap((query) => values.map((value) => ({ ...query, [name]: value }))) : queries),
    [base],
  );
}

/** The number a count endpoint (`GET /…/count`) answers. */
export async function countOf(client: CamundaClient, path: string, query: Query): Promise<number> {
  return (await client.get(path, query, countResult)).count;
}

/** One count per query, each with `condition` added, all requests in parallel. */
export function countPerQuery(client: CamundaClient, path: string, queries: readonly Query[], condition: Query = {}): Promise<number[]> {
  return Promise.all(queries.map((query) => countOf(client, path, { ...query, ...condition })));
}

/** The total over the disjoint combinations of queryPerCombination. */
export async function sumOfCounts(client: CamundaClient, path: string, queries: readonly Query[], condition: Query = {}): Promise<number> {
  return (await countPerQuery(client, path, queries, condition)).reduce((total, count) => total + count, 0);
}
