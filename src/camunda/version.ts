/**
 * Version strings as Camunda 7 and its forks report them in `GET /version` and in the schema
 * log: `7.22.0`, `7.21.0-ee` (enterprise edition), `7.24.0-SNAPSHOT`, `7.22.0-alpha1`,
 * Operaton `1.0.0-beta-4`, CIB seven `1.1.0`. Compared numerically (7.9 < 7.10), with
 * pre-releases before their release as Maven orders them.
 */
export interface Version {
  /** As reported, trimmed. */
  readonly text: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** What follows `-`, e.g. `ee`, `SNAPSHOT`, `beta-4`; '' for none. */
  readonly qualifier: string;
}

const VERSION = /^(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?(?:-([0-9A-Za-z][0-9A-Za-z.-]{0,39}))?$/;

export function parseVersion(text: string | null | undefined): Version | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  const match = VERSION.exec(trimmed);
  if (!match) return undefined;
  return { text: trimmed, major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0), qualifier: match[4] ?? '' };
}

/**
 * Rank of a qualifier's first word among Maven's: alpha < beta < milestone < rc < snapshot <
 * release. Editions and unknown words (`ee`, `final`) are releases: 7.21.0-ee is 7.21.0.
 */
const PRE_RELEASE: Readonly<Record<string, number>> = { alpha: 1, a: 1, beta: 2, b: 2, milestone: 3, m: 3, rc: 4, cr: 4, snapshot: 5 };
const RELEASE = 6;

function qualifierKey(qualifier: string): { rank: number; number: number } {
  const match = /^([a-z]*)[-.]?(\d*)/.exec(qualifier.toLowerCase());
  const word = match?.[1] ?? '';
  const rank = qualifier === '' ? RELEASE : (PRE_RELEASE[word] ?? RELEASE);
  return { rank, number: Number(match?.[2] || 0) };
}

/** Negative when a is older than b, 0 when they are the same release, positive when newer. */
export function compareVersions(a: Version, b: Version): number {
  const numeric = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (numeric !== 0) return numeric;
  const qa = qualifierKey(a.qualifier);
  const qb = qualifierKey(b.qualifier);
  return qa.rank - qb.rank || qa.number - qb.number;
}

/**
 * A version pattern as operators write it: `7.22` matches every 7.22.x, `7.22.3` only that
 * patch (and its editions, `7.22.3-ee`), `7.22.3-ee` only the enterprise edition. Components
 * match whole: `7.2` does not match `7.22.0`.
 */
export interface VersionPattern {
  readonly text: string;
  readonly components: readonly number[];
  readonly qualifier: string;
}

export function parseVersionPattern(text: string): VersionPattern | undefined {
  const match = /^(\d{1,9}(?:\.\d{1,9}){0,2})(?:-([0-9A-Za-z][0-9A-Za-z.-]{0,39}))?$/.exec(text.trim());
  if (!match) return undefined;
  const components = match[1]!.split('.').map(Number);
  const qualifier = match[2] ?? '';
  // A qualifier belongs to a full version: `7.22-ee` would be ambiguous.
  if (qualifier && components.length < 3) return undefined;
  return { text: text.trim(), components, qualifier };
}

export function matchesPattern(version: Version, pattern: VersionPattern): boolean {
  const actual = [version.major, version.minor, version.patch];
  if (!pattern.components.every((component, i) => actual[i] === component)) return false;
  return pattern.qualifier === '' || pattern.qualifier.toLowerCase() === version.qualifier.toLowerCase();
}

/** The newest version a pattern matches, for comparisons: `7.22` stands for 7.22.∞. */
export function newestMatching(pattern: VersionPattern): Version {
  const [major = 0, minor = Number.POSITIVE_INFINITY, patch = Number.POSITIVE_INFINITY] = pattern.components;
  return { text: pattern.text, major, minor, patch, qualifier: pattern.qualifier };
}

/** How many minor versions `older` is behind `newer`; undefined across major versions, whose minors do not line up. */
export function minorsBehind(older: Version, newer: Version): number | undefined {
  return older.major === newer.major ? newer.minor - older.minor : undefined;
}
