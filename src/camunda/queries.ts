import type { Query } from './client';

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
