import type { EngineModel } from '../model';
import type { QueryResource } from '../query';

/** Prints a date the way the engine does (Camunda format, configured offset). */
export type DateFormatter = (date: Date | null) => string | null;

/**
 * A queryable collection exposed as `<path>` (list, unless countOnly) and
 * `<path>/count`, both answering with the engine's DTOs.
 */
export interface CollectionResource<E> {
  path: string;
  query: QueryResource<E>;
  entities(model: EngineModel): readonly E[];
  /** Collections the simulator serves only as `/count`. */
  countOnly?: boolean;
  toDto?(entity: E, date: DateFormatter): unknown;
}
