import type { Perfdata } from './perfdata';
import { evaluate } from './range';
import { State, stateName } from './state';

/** A measured value with its thresholds: judged by its ranges and printed as perfdata. */
export type Metric = Perfdata;

export function judge(metric: Metric): State {
  return evaluate(metric.value, metric);
}

/** Appends the state to a status line part when it is not OK: `5 open incidents (critical)`. */
export function annotate(text: string, state: State): string {
  return state === State.OK ? text : `${text} (${stateName(state).toLowerCase()})`;
}
