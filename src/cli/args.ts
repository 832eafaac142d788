import { UsageError } from '../plugin/errors';
import { parseDuration } from '../plugin/duration';
import { optionalRange, type Range, type Thresholds } from '../plugin/range';
import { hideCredentials } from '../plugin/text';

/** Parsed command line as yargs gives it: option name (camel case) → value(s). */
export type Args = Readonly<Record<string, unknown>>;

/** The key yargs gives an option (`new-window` → `newWindow`): its camel case, with strip-dashed. */
export function optionKey(option: string): string {
  return option.replace(/-([a-z0-9])/g, (_dash, letter: string) => letter.toUpperCase());
}

function rawValues(args: Args, name: string): string[] {
  const value = args[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * Every distinct value of a repeatable filter option, in the order given. A blank value is an
 * error, not "no filter": an unset custom variable in Icinga would otherwise widen a team's
 * check to the whole engine without anybody noticing. A value given twice counts once.
 */
export function stringList(args: Args, option: string): string[] {
  return [...new Set(stringValues(args, option))];
}

/** Every value of a repeatable option as given, repetitions included; a blank value is an error as in stringList. */
export function stringValues(args: Args, option: string, blankHint = 'leave the option out to not filter'): string[] {
  const values = rawValues(args, optionKey(option));
  if (values.some((v) => v.trim() === '')) throw new UsageError(`--${option}: empty value; ${blankHint}`);
  return values;
}

/** The value a single-valued option was last given, as getopt-based plugins do; '' when given empty. */
export function lastValue(args: Args, name: string): string | undefined {
  const values = rawValues(args, name);
  return values[values.length - 1];
}

/** Like lastValue, but an option given empty counts as not given. */
export function lastString(args: Args, name: string): string | undefined {
  const value = lastValue(args, name);
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * A value that must not be blank when the option is given at all: an empty --url from an unset
 * Nagios macro must not quietly check the default URL.
 */
export function nonBlankString(args: Args, option: string, hint: string): string | undefined {
  const value = lastValue(args, optionKey(option));
  if (value !== undefined && value.trim() === '') throw new UsageError(`--${option}: empty value; ${hint}`);
  return value;
}

export function integerOption(args: Args, option: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const text = lastString(args, optionKey(option));
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    const bounds = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${option}: '${text}' is not a whole number ${bounds}`);
  }
  return Number(text);
}

/** The last value wins, so `-c 3 -c ''` ends with no critical threshold. */
export function rangeOption(args: Args, option: string): Range | undefined {
  return optionalRange(lastValue(args, optionKey(option)), option);
}

/** Like rangeOption, but an option that was not given at all takes the default; given empty, it means no threshold. */
export function rangeOptionOr(args: Args, option: string, defaultSpec: string | undefined): Range | undefined {
  return args[optionKey(option)] === undefined ? optionalRange(defaultSpec, option) : rangeOption(args, option);
}

/**
 * The pair `--<metric>-warning` / `--<metric>-critical` (`--warning` / `--critical` for metric
 * ''), each with its default when not given at all; given empty, it means no threshold.
 */
export function thresholdOptions(args: Args, metric: string, defaults: { readonly warning?: string; readonly critical?: string } = {}): Thresholds {
  const option = (level: string) => (metric ? `${metric}-${level}` : level);
  return { warning: rangeOptionOr(args, option('warning'), defaults.warning), critical: rangeOptionOr(args, option('critical'), defaults.critical) };
}

export function durationOption(args: Args, option: string): number | undefined {
  const text = lastString(args, optionKey(option));
  return text === undefined ? undefined : parseDuration(text, option);
}

/**
 * --cockpit-url: an http(s) base URL without trailing slash, for links in the long output. Written
 * as the URL parser normalises it, so quotes and angle brackets arrive percent-encoded and cannot
 * turn a link into markup; credentials are refused, as every line of the long output would show them.
 */
export function cockpitUrlOption(args: Args): string | undefined {
  const text = lastString(args, 'cockpitUrl');
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:\/\//i.test(text) || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--cockpit-url: '${hideCredentials(text)}' is not an http(s) URL`);
  }
  if (url.username || url.password) throw new UsageError('--cockpit-url: must not contain credentials: every listed link would show them');
  if (url.search || url.hash) throw new UsageError('--cockpit-url: must not contain a query or fragment; give the Cockpit base URL, e.g. https://camunda/camunda/app/cockpit/default');
  return url.href.replace(/\/+$/, '');
}

/** Ten years: reaching further back, the start of the span would be no date the engine can parse (a typo, not a window). */
const MAX_SPAN_DAYS = 3650;

/** A time span of at least one second and at most ten years (a window, a grace period); the default when not given. */
export function spanOption(args: Args, option: string, defaultSpec: string): number {
  const seconds = durationOption(args, option) ?? parseDuration(defaultSpec);
  if (seconds < 1) throw new UsageError(`--${option}: must be at least 1 second`);
  if (seconds > MAX_SPAN_DAYS * 86400) throw new UsageError(`--${option}: must be at most ${MAX_SPAN_DAYS}d (ten years)`);
  return seconds;
}
