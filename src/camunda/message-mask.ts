/**
 * The cause of an incident, read from its message: the variable parts (numbers, ids, quoted
 * values, times, addresses) masked, the stable part (exception class, sentence, host) kept.
 * Two incidents of one problem then share the masked text, and its SQL LIKE pattern counts
 * them in the database. The rule, with examples, is documented in docs/check_camunda_incidents.md
 * ("How incidents are grouped into causes").
 *
 * Invariants (property-tested): the pattern matches the message; the pattern is a function of the
 * text (same text, same pattern); the pattern escapes nothing but `%`, `_` and `\` (Oracle's
 * ORA-01424 and H2 reject other escapes) and has at most MAX_PATTERN_LENGTH characters.
 */

export interface MaskedMessage {
  /** Grouping key and display form: every variable part replaced by `…` (PLACEHOLDER). */
  readonly text: string;
  /** SQL LIKE pattern (backslash escapes) matching this message and every message with the same text; undefined for a null/empty message. */
  readonly pattern: string | undefined;
}

/** What every masked part becomes in the text; it becomes `%` in the pattern. */
export const PLACEHOLDER = '…';
/** The text of an incident without message (never matched by a LIKE pattern: `null LIKE x` is not true). */
export const NO_MESSAGE = '(no message)';
/** Longest pattern: a longer message gives a prefix ending in `%`, so that request URLs stay short. */
export const MAX_PATTERN_LENGTH = 200;
/** Only this much of the first line is read (Camunda stores at most 4000 characters anyway). */
const MAX_SCANNED = 10_000;

const W = String.raw`\p{L}\p{N}_`; // word characters
const NOT_AFTER_WORD = String.raw`(?<![${W}])`;
const NOT_BEFORE_WORD = String.raw`(?![${W}])`;
const HEX = '[0-9a-fA-F]';

/**
 * One scan, leftmost match first; at the same position the first alternative wins.
 * Groups: `keep` stays as it is, `quoted` is judged by its content, `url` loses its query,
 * every other match becomes one placeholder.
 */
const TOKENS = new RegExp(
  [
    // Kept: Java class names (qualified, or ending in Exception/Error, with inner classes) ...
    String.raw`(?<keep>(?<![${W}$.])(?:[a-z_][${W}$]*\.)+[A-Z][${W}$]*`,
    String.raw`${NOT_AFTER_WORD}[A-Z][${W}$]*(?:Exception|Error)(?:\$[${W}]+)*`,
    // ... error codes of Camunda and Oracle, SQL states and vendor error codes, HTTP status codes.
    String.raw`${NOT_AFTER_WORD}(?:ENGINE|ORA|PLS|TNS)-\d{3,5}(?!\p{N})`,
    String.raw`${NOT_AFTER_WORD}(?:SQLSTATE|[Ss][Qq][Ll] ?[Ss]tate|[Ee]rror ?[Cc]ode)[ :=[]{0,3}[\p{L}\p{N}]{1,5}${NOT_BEFORE_WORD}`,
    String.raw`${NOT_AFTER_WORD}(?:HTTP(?:\/\d(?:\.\d)?)?|[Ss]tatus(?: [Cc]ode)?)[: ]{1,2}[1-5]\d\d${NOT_BEFORE_WORD}`,
    String.raw`${NOT_AFTER_WORD}[1-5]\d\d(?= [A-Z][a-z]))`,
    // Masked: control and format characters, lone surrogates, a literal ellipsis.
    String.raw`[\p{Cc}\p{Cf}\u2028\u2029\u2026\uD800-\uDFFF]+`,
    // URLs: scheme, host and path stay (their numbers masked), query and fragment go.
    String.raw`(?<url>${NOT_AFTER_WORD}[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>]{1,2000})`,
    // Quoted values: kept when a name in code ('customer', "orders_pkey"), else masked.
    String.raw`(?<quoted>${NOT_AFTER_WORD}(?<q>['"])[^\n]{0,200}?\k<q>${NOT_BEFORE_WORD})`,
    // E-mail addresses, Java object identities (Order@1a2b3c), UUIDs, java.util.Date's toString and C's asctime (SAP JCo).
    String.raw`(?<![${W}.+-])[${W}.+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`,
    String.raw`(?<=[${W}$]@)${HEX}{1,16}${NOT_BEFORE_WORD}`,
    String.raw`${NOT_AFTER_WORD}${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}${NOT_BEFORE_WORD}`,
    String.raw`${NOT_AFTER_WORD}(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} \d\d:\d\d:\d\d (?:[A-Z]{2,5} )?\d{4}${NOT_BEFORE_WORD}`,
    // Any word with a digit, and runs of them joined by . : / + , - (dates, times, IPs, host:port, versions).
    String.raw`${NOT_AFTER_WORD}[\p{L}_]*\p{N}[${W}]*(?:[.:/+,-][\p{L}_]*\p{N}[${W}]*)*`,
  ].join('|'),
  'gu',
);

/** A quoted value that is a name in code: one word of letters, `_`, `$`, `.`, `-`, without digits. */
const NAME = /^[\p{L}_$][\p{L}_$.-]{0,63}$/u;

export function maskMessage(message: string | null | undefined): MaskedMessage {
  if (message === null || message === undefined || message === '') return { text: NO_MESSAGE, pattern: undefined };
  const lineEnd = message.search(/[\r\n]/);
  const firstLine = lineEnd < 0 ? message : message.slice(0, lineEnd);
  const scanned = firstLine.slice(0, MAX_SCANNED);
  const more = lineEnd >= 0 || scanned.length < firstLine.length;
  let text = (maskLine(scanned) + (more ? PLACEHOLDER : '')).replace(/…{2,}/g, PLACEHOLDER);
  // A message that reads "(no message)" must not share the text of incidents without one.
  if (text === NO_MESSAGE) text += PLACEHOLDER;
  return bounded(text);
}

function maskLine(line: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(TOKENS)) {
    out += line.slice(last, match.index) + maskToken(match);
    last = match.index! + match[0].length;
  }
  return out + line.slice(last);
}

function maskToken(match: RegExpMatchArray): string {
  const groups = match.groups!;
  if (groups.keep !== undefined) return groups.keep;
  if (groups.url !== undefined) return maskUrl(groups.url);
  if (groups.quoted !== undefined) {
    const quote = groups.q!;
    const content = groups.quoted.slice(1, -1);
    if (NAME.test(content)) return groups.quoted;
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(content) && !/\s/.test(content)) return quote + maskUrl(content) + quote;
    return quote + PLACEHOLDER + quote;
  }
  return PLACEHOLDER;
}

/** `https://user:secret@host:8443/orders/4711?id=5#x` → `https://…@host:…/orders/…?…`. */
function maskUrl(url: string): string {
  const cut = url.search(/[?#]/);
  const base = cut < 0 ? url : url.slice(0, cut);
  const scheme = base.indexOf('://') + 3;
  let rest = base.slice(scheme);
  const at = rest.search(/[@/]/);
  if (at >= 0 && rest[at] === '@') rest = PLACEHOLDER + rest.slice(at);
  return base.slice(0, scheme) + maskLine(rest) + (cut < 0 ? '' : url[cut] + PLACEHOLDER);
}

/** The LIKE form of one character of the text. */
function likeChar(c: string): string {
  if (c === PLACEHOLDER) return '%';
  if (c === '%' || c === '_' || c === '\\') return `\\${c}`;
  // SQL Server reads `[…]` as a character class; `_` matches the bracket on every database.
  if (c === '[') return '_';
  return c;
}

/** The pattern of a text: a function of the text alone, so that equal texts give equal patterns. */
function likePattern(text: string): string {
  let pattern = '';
  for (const c of text) pattern += likeChar(c);
  return pattern;
}

/** The text, cut (ending in a placeholder) where its pattern would exceed MAX_PATTERN_LENGTH, and its pattern. */
function bounded(text: string): MaskedMessage {
  const full = likePattern(text);
  if (full.length <= MAX_PATTERN_LENGTH) return { text, pattern: full };
  let kept = '';
  let length = 0;
  for (const c of text) {
    // Whole characters only: never an escape or a surrogate pair split.
    length += likeChar(c).length;
    if (length > MAX_PATTERN_LENGTH - 1) break;
    kept += c;
  }
  // For reading, rather after a space than inside a word (when one lies near).
  const space = kept.lastIndexOf(' ');
  if (space >= 0 && space >= kept.length - 40) kept = kept.slice(0, space + 1);
  const cut = (kept + PLACEHOLDER).replace(/…{2,}/g, PLACEHOLDER);
  return { text: cut, pattern: likePattern(cut) };
}
