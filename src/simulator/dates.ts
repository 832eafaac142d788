/**
 * Camunda's REST date format `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g.
 * `2013-01-23T14:42:45.000+0200`: always milliseconds, offset without a colon.
 * The engine rejects RFC 3339 variants such as `...Z` or `+02:00`, so the
 * simulator does too.
 */

const CAMUNDA_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})([+-])(\d{2})(\d{2})$/;
const OFFSET = /^([+-])(\d{2})(\d{2})$/;

/** Offset like `+0100` in minutes east of UTC; throws on anything else. */
export function offsetMinutes(offset: string): number {
  const m = OFFSET.exec(offset);
  if (!m || Number(m[2]) > 23 || Number(m[3]) > 59) {
    throw new Error(`invalid timezone offset '${offset}', expected e.g. +0100 or -0530`);
  }
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Formats `date` as the engine prints it, in the given offset. */
export function formatCamundaDate(date: Date, offset = '+0000'): string {
  const shifted = new Date(date.getTime() + offsetMinutes(offset) * 60_000);
  return (
    `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}` +
    `T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}` +
    `.${pad(shifted.getUTCMilliseconds(), 3)}${offset}`
  );
}

/** Parses a date in Camunda's format; `undefined` if it is not one (wrong shape or impossible date). */
export function parseCamundaDate(value: string): Date | undefined {
  const m = CAMUNDA_DATE.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second, millis] = m.slice(1, 8).map(Number) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || hour! > 23 || minute! > 59 || second! > 59) return undefined;
  let offset: number;
  try {
    offset = offsetMinutes(`${m[8]}${m[9]}${m[10]}`);
  } catch {
    return undefined;
  }
  const utc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, millis!);
  if (new Date(utc).getUTCDate() !== day) return undefined; // 31 April and the like
  return new Date(utc - offset * 60_000);
}

const DURATION = /^(-)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Milliseconds of a scenario duration such as `90s`, `5m`, `10h`, `3d`, `1d6h`,
 * optionally negative (`-5m`). `0` is allowed.
 */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text);
  if (text === '0' || text === '-0') return 0;
  if (!m || !(m[2] || m[3] || m[4] || m[5])) {
    throw new Error(`invalid duration '${text}', expected e.g. 90s, 5m, 10h, 3d, 1d6h or -5m`);
  }
  const [, minus, d = '0', h = '0', min = '0', s = '0'] = m;
  const ms = ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(s) * 1000;
  return minus ? -ms : ms;
}
