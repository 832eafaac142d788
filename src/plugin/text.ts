/**
 * Cleaning of untrusted text (incident messages, names, ids) before it reaches plugin output.
 *
 * Plugin output is a line protocol: a newline starts the long output and a `|` starts the
 * performance data, so either one inside an incident message would corrupt what Icinga parses.
 * Icinga Web and Nagios CGIs render output as HTML, so angle brackets are neutralised too.
 */
// Control characters, line and paragraph separators, and format characters (\p{Cf}) such as
// the right-to-left override that would make a message display other than it reads.
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]+/gu;
const REPLACEMENTS: Record<string, string> = { '|': '¦', '<': '‹', '>': '›' };

export const DEFAULT_TEXT_LIMIT = 200;

export function cleanText(text: unknown, maxLength = DEFAULT_TEXT_LIMIT): string {
  if (text === null || text === undefined) return '';
  const flat = String(text)
    .replace(CONTROL, ' ')
    .replace(/[|<>]/g, (c) => REPLACEMENTS[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
  return shorten(flat, maxLength);
}

/** Shortens to at most `maxLength` characters, marking the cut with an ellipsis and never splitting a surrogate pair. */
export function shorten(text: string, maxLength: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxLength) return text;
  return chars.slice(0, Math.max(0, maxLength - 1)).join('').trimEnd() + '…';
}

/** `Filter: process definition invoice, order; tenant acme` for the filters given, undefined without any. */
export function describeFilters(filters: readonly (readonly [name: string, values: readonly string[]])[]): string | undefined {
  const given = filters.filter(([, values]) => values.length > 0).map(([name, values]) => `${name} ${values.map((v) => cleanText(v, 60)).join(', ')}`);
  return given.length ? `Filter: ${given.join('; ')}` : undefined;
}

/** `1 open incident`, `2 open incidents`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A URL as typed, for messages: whatever stands before an @ may be credentials and is never echoed. */
export function hideCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, '$1****@');
}

/**
 * FNV-1a over the UTF-16 code units, as 8 hex digits; `seed` gives independent hashes of the same
 * text. Stable names for labels and files without loading the crypto module (15 internal modules)
 * at start-up; not for anything an attacker chooses to collide.
 */
export function fnv1a(text: string, seed = 0x811c9dc5): string {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
