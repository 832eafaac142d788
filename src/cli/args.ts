import { UsageError } from '../plugin/errors';
import { parseDuration } from '../plugin/duration';
import { optionalRange, type Range } from '../plugin/range';

/** Parsed command line as yargs gives it: option name (camel case) → value(s). */
export type Args = Readonly<Record<string, unknown>>;

/** Every value of a repeatable option, in the order given; blank values are dropped. */
export function stringList(args: Args, name: string): string[] {
  const value = args[name];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map(String).filter((v) => v.trim() !== '');
}

/** A single-valued option given twice keeps the last value, as getopt-based plugins do. */
export function lastString(args: Args, name: string): string | undefined {
  const values = stringList(args, name);
  return values[values.length - 1];
}

export function integerOption(args: Args, name: string, option: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const text = lastString(args, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    const bounds = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${option}: '${text}' is not a whole number ${bounds}`);
  }
  return Number(text);
}

export function rangeOption(args: Args, name: string, option: string): Range | undefined {
  return optionalRange(lastString(args, name), option);
}

/** Like rangeOption, but an option that was not given at all takes the default; given empty, it means no threshold. */
export function rangeOptionOr(args: Args, name: string, option: string, defaultSpec: string): Range | undefined {
  return args[name] === undefined ? optionalRange(defaultSpec, option) : rangeOption(args, name, option);
}

export function durationOption(args: Args, name: string, option: string): number | undefined {
  const text = lastString(args, name);
  return text === undefined ? undefined : parseDuration(text, option);
}
