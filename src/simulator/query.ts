/**
 * One query machinery for every list/count resource, following how Camunda's
 * engine-rest turns query strings into queries:
 *
 * - each known parameter is converted by its type's converter; a value that does
 *   not convert is a 400 "Cannot set query parameter 'X' to value 'Y': ...";
 * - parameters the resource does not know are ignored (JAX-RS), and reported;
 * - boolean flags only restrict when `true` (`suspended=false` means "don't care");
 * - sortBy/sortOrder must come together; the default order is by id;
 * - firstResult/maxResults are JAX-RS `Integer` parameters of list resources,
 *   which answer an unconvertible value with 404.
 * When a parameter is repeated, Camunda uses the first value; so does this.
 */
import { likeToRegExp } from '../camunda/like';
import { parseCamundaDate } from './dates';
import { invalidRequest, jaxRsNotFound } from './errors';

export type Predicate<E> = (entity: E) => boolean;
type SortKey = string | number | Date | boolean | null;

export interface ParamSpec<E> {
  /**
   * Converts the raw value and returns its restriction (undefined = none); throws
   * RestError. The context has the whole query, for parameters that modify each other.
   */
  apply(raw: string, name: string, context: ParamContext): Predicate<E> | undefined;
}

export interface ParamContext {
  query: Readonly<Record<string, string>>;
  /** The simulator's clock, for "now"-relative filters such as executable jobs. */
  now: Date;
}

export interface QueryResource<E> {
  params: Record<string, ParamSpec<E>>;
  /** The valid sortBy values and what they sort on. */
  sortBy: Record<string, (entity: E) => SortKey>;
  id(entity: E): string;
  /** Checks across parameters that the engine makes while building the query. */
  check?(query: Record<string, string>): void;
}

// --- converters (Camunda's StringToTypeConverters) --------------------------

const cannotSet = (name: string, raw: string, reason: string) =>
  invalidRequest(`Cannot set query parameter '${name}' to value '${raw}': ${reason}`);

/** Jackson-parsed JSON literal: only `true` and `false`. */
function toBoolean(raw: string, name: string): boolean {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw cannotSet(name, raw, `Cannot convert value ${raw} to java type java.lang.Boolean`);
}

const JSON_INTEGER = /^-?(0|[1-9]\d*)$/;

function toInteger(raw: string, name: string, javaType: 'java.lang.Integer' | 'java.lang.Long'): number {
  const limit = javaType === 'java.lang.Integer' ? 2 ** 31 : 2 ** 63;
  const n = Number(raw);
  if (JSON_INTEGER.test(raw) && n >= -limit && n < limit) return n;
  throw cannotSet(name, raw, `Cannot convert value ${raw} to java type ${javaType}`);
}

/** Jackson reads the value as a JSON string; an empty one becomes null, i.e. no restriction. */
function toDate(raw: string, name: string): Date | undefined {
  if (raw === '') return undefined;
  const date = parseCamundaDate(raw);
  if (!date) throw cannotSet(name, raw, `Cannot convert value "${raw}" to java type java.util.Date`);
  return date;
}

/** Java's String.split(","): trailing empty strings are dropped. */
export function splitList(raw: string): string[] {
  if (raw === '') return [''];
  const parts = raw.split(',');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export { likeToRegExp } from '../camunda/like';

// --- parameter kinds ----------------------------------------------------------

type Getter<E, T> = (entity: E) => T;

/** Exact string match. */
export const eq = <E>(get: Getter<E, string | null>): ParamSpec<E> => ({
  apply: (raw) => (e) => get(e) === raw,
});

/** Comma-separated list, matches any. */
export const anyOf = <E>(get: Getter<E, string | null>): ParamSpec<E> => ({
  apply: (raw) => {
    const values = splitList(raw);
    return (e) => values.includes(get(e) as string);
  },
});

/** SQL LIKE. */
export const like = <E>(get: Getter<E, string | null>): ParamSpec<E> => ({
  apply: (raw) => {
    const regex = likeToRegExp(raw);
    return (e) => {
      const value = get(e);
      return value !== null && regex.test(value);
    };
  },
});

/** A flag that restricts to `holds` when true and is ignored when false. */
export const flag = <E>(holds: (entity: E, now: Date) => boolean): ParamSpec<E> => ({
  apply: (raw, name, { now }) => (toBoolean(raw, name) ? (e) => holds(e, now) : undefined),
});

export const int = <E>(get: Getter<E, number | null>, javaType: 'java.lang.Integer' | 'java.lang.Long' = 'java.lang.Integer', compare: (actual: number, wanted: number) => boolean = (a, w) => a === w): ParamSpec<E> => ({
  apply: (raw, name) => {
    const wanted = toInteger(raw, name, javaType);
    return (e) => {
      const actual = get(e);
      return actual !== null && compare(actual, wanted);
    };
  },
});

/**
 * Before (`before`) or after (`after`) the given date: strictly, as the engine's `<` / `>`, or
 * `inclusive`ly for the queries whose SQL compares with `<=` / `>=` (the history's startedBefore...).
 */
export const date = <E>(get: Getter<E, Date | null>, direction: 'before' | 'after', { inclusive = false }: { inclusive?: boolean } = {}): ParamSpec<E> => ({
  apply: (raw, name) => {
    const bound = toDate(raw, name);
    if (!bound) return undefined;
    return (e) => {
      const value = get(e);
      if (value === null) return false;
      const difference = direction === 'before' ? bound.getTime() - value.getTime() : value.getTime() - bound.getTime();
      return inclusive ? difference >= 0 : difference > 0;
    };
  },
});

/**
 * `gt_DATE,lt_DATE` lists (job dueDates/createTimes). `label` is the phrase in the
 * engine's messages, e.g. "due date".
 */
export const dateConditions = <E>(
  get: Getter<E, Date | null>,
  label: string,
  { lowerThanInclusive = false }: { lowerThanInclusive?: boolean } = {},
): ParamSpec<E> => ({
  apply: (raw, name) => {
    const predicates = splitList(raw).map((expression) => {
      const parts = expression.split('_');
      if (parts.length !== 2) {
        throw cannotSet(name, raw, 'condition query parameter has to have format OPERATOR_VALUE.');
      }
      const [operator, value] = parts as [string, string];
      const bound = parseCamundaDate(value);
      if (!bound) {
        throw invalidRequest(`Invalid ${label} format: Cannot convert value "${value}" to java type java.util.Date`);
      }
      if (operator !== 'gt' && operator !== 'lt') throw invalidRequest(`Invalid ${label} comparator specified: ${operator}`);
      return (e: E) => {
        const actual = get(e);
        if (actual === null) return false;
        if (operator === 'gt') return actual.getTime() > bound.getTime();
        return lowerThanInclusive ? actual.getTime() <= bound.getTime() : actual.getTime() < bound.getTime();
      };
    });
    return (e) => predicates.every((p) => p(e));
  },
});

/**
 * Tenant restriction shared by all resources: `tenantIdIn`, `withoutTenantId`, and
 * the resource's `include...WithoutTenantId` flag, which widens `tenantIdIn` to
 * entities without a tenant (and does nothing on its own).
 */
export function tenantParams<E>(get: Getter<E, string | null>, includeWithoutName?: string): Record<string, ParamSpec<E>> {
  const params: Record<string, ParamSpec<E>> = {
    tenantIdIn: {
      apply: (raw, _name, { query }) => {
        const tenants = splitList(raw);
        const widened = includeWithoutName !== undefined && query[includeWithoutName] === 'true';
        return (e) => tenants.includes(get(e) as string) || (widened && get(e) === null);
      },
    },
    withoutTenantId: flag<E>((e) => get(e) === null),
  };
  if (includeWithoutName) params[includeWithoutName] = flag<E>(() => true);
  return params;
}

// --- running a query -----------------------------------------------------------

export interface ParsedQuery<E> {
  predicates: Predicate<E>[];
  sortBy?: string;
  sortOrder?: 'asc' | 'desc';
  firstResult?: number;
  maxResults?: number;
  /** Parameter names the resource does not know (ignored, as JAX-RS does). */
  ignored: string[];
}

/** JAX-RS converts `@QueryParam Integer` with Integer.valueOf and answers failures with 404. */
function jaxRsInteger(raw: string): number {
  if (!/^[+-]?\d+$/.test(raw) || Math.abs(Number(raw)) >= 2 ** 31) throw jaxRsNotFound();
  return Number(raw);
}

/**
 * Converts and checks the parameters. `paged` = a list resource (firstResult and
 * maxResults exist); count resources ignore them.
 */
export function parseQuery<E>(
  resource: QueryResource<E>,
  query: Record<string, string>,
  options: { paged: boolean; now: Date },
): ParsedQuery<E> {
  const parsed: ParsedQuery<E> = { predicates: [], ignored: [] };

  // JAX-RS converts method parameters before the resource method runs.
  if (options.paged) {
    if (query.firstResult !== undefined) parsed.firstResult = jaxRsInteger(query.firstResult);
    if (query.maxResults !== undefined) parsed.maxResults = jaxRsInteger(query.maxResults);
  }

  for (const [name, raw] of Object.entries(query)) {
    if (name === 'sortBy') {
      // The setter's own exception surfaces through reflection, without a reason suffix.
      if (!Object.hasOwn(resource.sortBy, raw)) throw invalidRequest(`Cannot set query parameter 'sortBy' to value '${raw}'`);
      parsed.sortBy = raw;
    } else if (name === 'sortOrder') {
      if (raw !== 'asc' && raw !== 'desc') throw invalidRequest(`Cannot set query parameter 'sortOrder' to value '${raw}'`);
      parsed.sortOrder = raw;
    } else if (options.paged && (name === 'firstResult' || name === 'maxResults')) {
      continue;
    } else if (Object.hasOwn(resource.params, name)) {
      const predicate = resource.params[name]!.apply(raw, name, { query, now: options.now });
      if (predicate) parsed.predicates.push(predicate);
    } else {
      parsed.ignored.push(name);
    }
  }
  resource.check?.(query);
  return parsed;
}

/** Raised after the engine lookup, as in AbstractQueryDto#toQuery. */
function checkSorting(parsed: ParsedQuery<unknown>): void {
  if ((parsed.sortBy === undefined) !== (parsed.sortOrder === undefined)) {
    throw invalidRequest('Only a single sorting parameter specified. sortBy and sortOrder required');
  }
}

function compareKeys(a: SortKey, b: SortKey): number {
  // Nulls first in ascending order, as H2 (Camunda Run's default database) sorts them.
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

function filterAndSort<E>(resource: QueryResource<E>, parsed: ParsedQuery<E>, entities: readonly E[]): E[] {
  checkSorting(parsed as ParsedQuery<unknown>);
  const matching = entities.filter((e) => parsed.predicates.every((p) => p(e)));
  const byId = (a: E, b: E) => compareKeys(resource.id(a), resource.id(b));
  matching.sort(byId);
  if (parsed.sortBy !== undefined) {
    const key = resource.sortBy[parsed.sortBy]!;
    const sign = parsed.sortOrder === 'desc' ? -1 : 1;
    matching.sort((a, b) => sign * compareKeys(key(a), key(b)));
  }
  return matching;
}

export function listQuery<E>(resource: QueryResource<E>, parsed: ParsedQuery<E>, entities: readonly E[]): E[] {
  const sorted = filterAndSort(resource, parsed, entities);
  if (parsed.firstResult === undefined && parsed.maxResults === undefined) return sorted;
  const first = Math.max(0, parsed.firstResult ?? 0);
  const max = parsed.maxResults ?? 2 ** 31 - 1;
  return max <= 0 ? [] : sorted.slice(first, first + max);
}

export function countQuery<E>(resource: QueryResource<E>, parsed: ParsedQuery<E>, entities: readonly E[]): number {
  return filterAndSort(resource, parsed, entities).length;
}
