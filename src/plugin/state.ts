/** Plugin return codes as the Monitoring Plugins Development Guidelines define them. */
export enum State {
  OK = 0,
  WARNING = 1,
  CRITICAL = 2,
  UNKNOWN = 3,
}

export function stateName(state: State): string {
  return State[state];
}

/**
 * Severity order used when results are combined: CRITICAL > WARNING > UNKNOWN > OK.
 *
 * This is the order of the reference implementation's `max_state_alt()`: a problem that is known
 * for certain must not be hidden behind a measurement that could not be taken. The numeric
 * exit codes are not in severity order (UNKNOWN is 3), which is why this table exists.
 */
const SEVERITY: Record<State, number> = {
  [State.OK]: 0,
  [State.UNKNOWN]: 1,
  [State.WARNING]: 2,
  [State.CRITICAL]: 3,
};

export function worst(states: Iterable<State>): State {
  let result = State.OK;
  for (const state of states) {
    if (SEVERITY[state] > SEVERITY[result]) result = state;
  }
  return result;
}

/** Most severe first (CRITICAL, WARNING, UNKNOWN, OK); items of the same state keep their order. */
export function bySeverity<T extends { readonly state: State }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => SEVERITY[b.state] - SEVERITY[a.state]);
}
