import { UsageError } from './errors';
import { State } from './state';

/**
 * A threshold range as defined by the Monitoring Plugins Development Guidelines:
 * `[@][start:][end]`, where a missing start means 0, `~` means negative infinity and a missing
 * end after the colon means positive infinity. A value alerts when it is outside the range,
 * or inside it when the range starts with `@`.
 */
export interface Range {
  readonly start: number;
  readonly end: number;
  readonly inside: boolean;
  /** The range as the operator wrote it; perfdata repeats it unchanged. */
  readonly text: string;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function parseNumber(text: string, spec: string, what: string): number {
  if (!NUMBER.test(text)) {
    throw new UsageError(`invalid threshold range '${spec}': ${what} '${text}' is not a number`);
  }
  return Number(text);
}

/**
 * Parses a range. `option` names the command-line option in the error message so the operator
 * knows which of several thresholds is wrong.
 */
export function parseRange(spec: string, option?: string): Range {
  try {
    return parseRangeSpec(spec.trim());
  } catch (error) {
    if (error instanceof UsageError && option) {
      throw new UsageError(`--${option}: ${error.message}`);
    }
    throw error;
  }
}

function parseRangeSpec(spec: string): Range {
  let body = spec;
  const inside = body.startsWith('@');
  if (inside) body = body.slice(1);
  if (body === '') throw new UsageError(`invalid threshold range '${spec}': it is empty`);

  const parts = body.split(':');
  if (parts.length > 2) {
    throw new UsageError(`invalid threshold range '${spec}': more than one ':'`);
  }

  let start = 0;
  let end = Number.POSITIVE_INFINITY;
  if (parts.length === 1) {
    end = parseNumber(parts[0]!, spec, 'end');
  } else {
    const [startText, endText] = parts as [string, string];
    if (startText === '~') start = Number.NEGATIVE_INFINITY;
    else if (startText !== '') start = parseNumber(startText, spec, 'start');
    if (endText !== '') end = parseNumber(endText, spec, 'end');
  }
  if (start > end) {
    throw new UsageError(`invalid threshold range '${spec}': start ${start} is greater than end ${end}`);
  }
  return { start, end, inside, text: spec };
}

/** True when the value must raise an alert under this range. */
export function alerts(range: Range, value: number): boolean {
  const within = value >= range.start && value <= range.end;
  return range.inside ? within : !within;
}

export interface Thresholds {
  readonly warning?: Range | undefined;
  readonly critical?: Range | undefined;
}

/** Judges a value: CRITICAL wins over WARNING, and no range means no alert. */
export function evaluate(value: number, thresholds: Thresholds): State {
  if (thresholds.critical && alerts(thresholds.critical, value)) return State.CRITICAL;
  if (thresholds.warning && alerts(thresholds.warning, value)) return State.WARNING;
  return State.OK;
}

/** Parses an optional threshold option; an empty string means "no threshold" so defaults can be switched off. */
export function optionalRange(spec: string | undefined, option: string): Range | undefined {
  if (spec === undefined || spec.trim() === '') return undefined;
  return parseRange(spec, option);
}
