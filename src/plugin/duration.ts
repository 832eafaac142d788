import { UsageError } from './errors';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses `90`, `90s`, `15m`, `2h`, `1d` (also decimals such as `1.5h`) into seconds. */
export function parseDuration(text: string, option?: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/i.exec(text.trim());
  if (!match) {
    const where = option ? `--${option}: ` : '';
    throw new UsageError(`${where}invalid duration '${text}': use seconds or a number with s, m, h or d (e.g. 90, 15m, 2h, 1d)`);
  }
  const unit = (match[2] || 's').toLowerCase();
  return Number(match[1]) * UNIT_SECONDS[unit]!;
}

/** Short human form of a duration for status lines and long output: `45s`, `15m`, `10h`, `3d 4h`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) {
    const minutes = Math.floor((seconds % 3600) / 60);
    return `${Math.floor(seconds / 3600)}h${minutes ? ` ${minutes}m` : ''}`;
  }
  const hours = Math.floor((seconds % 86400) / 3600);
  return `${Math.floor(seconds / 86400)}d${hours ? ` ${hours}h` : ''}`;
}

/**
 * A duration as the operator configured it, without rounding: the largest unit that divides it
 * evenly (`90` → `90s`, `900` → `15m`, `5400` → `90m`, `86400` → `1d`).
 */
export function formatExactDuration(totalSeconds: number): string {
  const seconds = Math.round(totalSeconds);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** Every unit of a duration, nothing rounded away: `6h 24m`, `7m 30s`, `1d 14h 24m`, a limit as it will be applied. */
export function formatDurationInFull(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) parts.push(`${Math.floor(rest / size)}${unit}`);
    rest %= size;
  }
  return parts.length ? parts.join(' ') : '0s';
}

/** Whole seconds from `since` to `now`, 0 without a date; never negative, as clocks of engine and monitoring host differ a little. */
export function secondsSince(since: Date | undefined, now: Date): number {
  return since ? Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000)) : 0;
}

/** `PnW` or `PnDTnHnMnS` (seconds may have a fraction), each part optional but one needed, as `java.time.Duration` and Camunda timers read them. */
const ISO_DURATION = /^P(?:(\d+)W|(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?)$/i;

/**
 * An ISO-8601 duration (`PT4H`, `P2D`, `P1DT12H`, `PT90M`, `P1W`) in seconds. Years and months are
 * refused: their length depends on the calendar, and an SLA must mean the same time every day.
 * Throws an Error whose message says what is wrong, for the caller to name where the value came from.
 */
export function parseIsoDuration(text: string): number {
  const value = text.trim();
  const match = ISO_DURATION.exec(value);
  const hasPart = match !== null && match.slice(1).some((part) => part !== undefined);
  if (!match || !hasPart || /T$/i.test(value)) {
    const calendar = /^P(?:\d+Y|(?:\d+Y)?\d+M(?!.*T))/i.test(value) ? ': years and months have no fixed length, use days (P30D)' : '';
    throw new Error(`'${value}' is not an ISO-8601 duration such as PT4H, P2D or P1DT12H${calendar}`);
  }
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part.replace(',', '.'))));
  return weeks! * 604800 + days! * 86400 + hours! * 3600 + minutes! * 60 + seconds!;
}
