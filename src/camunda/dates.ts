/**
 * Camunda's REST API exchanges dates as `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g.
 * `2013-01-23T14:42:45.000+0200`: always milliseconds, an offset without colon, and no `Z`.
 * The engine rejects RFC 3339 strings such as `2013-01-23T12:42:45.000Z` in query parameters,
 * so the checks send UTC written as `+0000`. The simulator prints and parses with the same
 * functions, in the offset its scenario gives.
 */
const EXACT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})([+-]\d{4})$/;
const OFFSET = /^([+-])(\d{2})(\d{2})$/;

/** Offset like `+0100` in minutes east of UTC; throws on anything else. */
export function offsetMinutes(offset: string): number {
  const m = OFFSET.exec(offset);
  if (!m || Number(m[2]) > 23 || Number(m[3]) > 59) {
    throw new Error(`invalid timezone offset '${offset}', expected e.g. +0100 or -0530`);
  }
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Formats `date` as the engine prints and expects it, in the given offset (default UTC). */
export function formatCamundaDate(date: Date, offset = '+0000'): string {
  const shifted = new Date(date.getTime() + offsetMinutes(offset) * 60_000);
  return (
    `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}` +
    `T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}` +
    `.${pad(shifted.getUTCMilliseconds(), 3)}${offset}`
  );
}

/** Parses exactly Camunda's format, as the engine does; undefined for any other shape or an impossible date. */
export function parseExactCamundaDate(value: string): Date | undefined {
  const m = EXACT.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second, millis] = m.slice(1, 8).map(Number) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || hour! > 23 || minute! > 59 || second! > 59) return undefined;
  let offset: number;
  try {
    offset = offsetMinutes(m[8]!);
  } catch {
    return undefined;
  }
  const utc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, millis!);
  if (new Date(utc).getUTCDate() !== day) return undefined; // 31 April and the like
  return new Date(utc - offset * 60_000);
}

const LENIENT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a date from a Camunda answer. Besides the default format this accepts the ISO
 * variants an engine configured with a custom date format (or a fork) may print; a date
 * without offset is read as UTC. Returns undefined for anything else.
 */
export function parseCamundaDate(text: string | null | undefined): Date | undefined {
  if (!text) return undefined;
  const exact = parseExactCamundaDate(text);
  if (exact) return exact;
  const match = LENIENT.exec(text);
  if (!match) return undefined;
  const offset = match[2] ?? 'Z';
  const iso = `${match[1]}${offset === 'Z' ? 'Z' : offset.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2')}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
