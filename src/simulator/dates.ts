/**
 * Camunda's REST date format `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g.
 * `2013-01-23T14:42:45.000+0200`: always milliseconds, offset without a colon.
 * The engine rejects RFC 3339 variants such as `...Z` or `+02:00`, so the
 * simulator does too.
 */

// The date format is the client's knowledge too: one implementation serves both sides.
export { formatCamundaDate, offsetMinutes, parseExactCamundaDate as parseCamundaDate } from '../camunda/dates';

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
