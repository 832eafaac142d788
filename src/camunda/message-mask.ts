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
/**
 * The engine keeps the first 666 characters of a job's exception message and of an external
 * task's error message (StringUtil.DB_MAX_STRING_LENGTH, JobEntity.java:522-523;
 * ExternalTaskEntity.java:67, :305-310), the incident's message (JobEntity.java:383,
 * ExternalTaskEntity.java:459). Where that cut falls in the text after a variable part depends on
 * the variable part's length, so what follows the last one is dropped from such a message's text
 * when the cut lies within the pattern's bound.
 */
export const ENGINE_MESSAGE_LENGTH = 666;
/** Only this much of the first line is read (INCIDENT_MSG_ is a varchar(4000): activiti.postgres.create.engine.sql:264). */
const MAX_SCANNED = 10_000;

/**
 * Letters, roughly: ASCII ones and every character from U+00C0 on except general punctuation,
 * symbols and arrows (U+2000-U+2BFF) and the specials (U+FFF0-): Unicode property classes
 * (`\p{L}`) would cost about a millisecond of start-up each time they occur in the expression
 * below. Control and format characters are masked before the scan (CONTROL), so that none of them
 * is kept inside a "word".
 */
const LETTER = String.raw`A-Za-z\u00C0-\u1FFF\u2C00-\uFFEF`;
const W = `${LETTER}0-9_`; // word characters
const NOT_AFTER_WORD = `(?<![${W}])`;
const NOT_BEFORE_WORD = `(?![${W}])`;
const HEX = '[0-9a-fA-F]';

/** Control and format characters, line separators, lone surrogates and a literal `…`: each run one placeholder. */
const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029\u2026]+/gu;

/** Kept as they are: exception classes, error codes, SQL states, HTTP status codes. */
const KEPT = [
  // Java class names, qualified (org.h2.jdbc.JdbcSQLException, Outer$Inner) or ending in Exception/Error.
  String.raw`(?<![${W}$.])(?:[a-z_][${W}$]*\.)+[A-Z][${W}$]*`,
  String.raw`${NOT_AFTER_WORD}[A-Z][${W}$]*(?:Exception|Error)(?:\$[${W}]+)*`,
  // Camunda's and Oracle's error codes: ENGINE-03005, ORA-00060, PLS-00201, TNS-12541.
  String.raw`${NOT_AFTER_WORD}(?:ENGINE|ORA|PLS|TNS)-\d{3,5}(?![0-9])`,
  // SQL states and vendor error codes: SQLState: 40001, SQL state [23505], error code [1213].
  String.raw`${NOT_AFTER_WORD}(?:SQLSTATE|[Ss][Qq][Ll] ?[Ss]tate|[Ee]rror ?[Cc]ode)[ :=[]{0,3}[A-Za-z0-9]{1,5}${NOT_BEFORE_WORD}`,
  // HTTP status codes: HTTP 503, HTTP/1.1 503, status code: 502, 500 Internal Server Error.
  String.raw`${NOT_AFTER_WORD}(?:HTTP(?:\/\d(?:\.\d)?)?|[Ss]tatus(?: [Cc]ode)?)[: ]{1,2}[1-5]\d\d${NOT_BEFORE_WORD}`,
  String.raw`${NOT_AFTER_WORD}[1-5]\d\d(?= [A-Z][a-z])`,
];

/** Each becomes one placeholder. */
const MASKED = [
  // E-mail addresses.
  String.raw`(?<![${W}.+-])[${W}.+-]+@[${W}-]+(?:\.[${W}-]+)+`,
  // Java object identities: the hash of Order@1a2b3c.
  String.raw`(?<=[${W}$]@)${HEX}{1,16}${NOT_BEFORE_WORD}`,
  // UUIDs, also those with a segment without digits.
  String.raw`${NOT_AFTER_WORD}${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}${NOT_BEFORE_WORD}`,
  // java.util.Date's toString (Thu May 02 10:15:30 CEST 2024) and C's asctime (SAP JCo: Thu May  2 10:15:30 2024);
  // day and month as any capitalised three-letter words, which costs less to compile than naming them.
  String.raw`${NOT_AFTER_WORD}[A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d (?:[A-Z]{2,5} )?\d{4}${NOT_BEFORE_WORD}`,
  // Any word with a digit, and runs of them joined by . : / + , - (dates, times, IPs, host:port, versions).
  String.raw`${NOT_AFTER_WORD}[${LETTER}_]*[0-9][${W}]*(?:[.:/+,-][${LETTER}_]*[0-9][${W}]*)*`,
];

/**
 * One scan, leftmost match first; at one position the first alternative wins. Group 1 (kept)
 * stays; group 2 (a URL) keeps scheme, host and path (their numbers masked) and loses query and
 * fragment; group 3 (a quoted value, its quote in group 4) is judged by its content; every other
 * match becomes one placeholder. Numbered groups: named ones cost an object per match.
 */
function tokensOf(): RegExp {
  return new RegExp(
    [
      `(${KEPT.join('|')})`,
      String.raw`(${NOT_AFTER_WORD}[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>]{1,2000})`,
      String.raw`(${NOT_AFTER_WORD}(['"])[^\n]{0,200}?\4${NOT_BEFORE_WORD})`,
      ...MASKED,
    ].join('|'),
    'g',
  );
}

/** A quoted value that is a name in code ('customer', "orders_pkey", 'com.acme.Delegate'): one word without digits. */
const nameOf = (): RegExp => new RegExp(`^[${LETTER}_$][${LETTER}_$.-]{0,63}$`);

/**
 * Built on the first message masked, not when the module loads: a run without incidents (or a
 * check that bundles this module but finds nothing to group) pays nothing for them. The real cost
 * comes at the first exec anyway (V8 compiles a regular expression when it first runs it, and
 * once more to machine code when it runs again: about 2 ms on Node 20 for the first messages).
 */
let TOKENS: RegExp | undefined;
let NAME: RegExp | undefined;

export function maskMessage(message: string | null | undefined): MaskedMessage {
  if (message === null || message === undefined || message === '') return { text: NO_MESSAGE, pattern: undefined };
  const lineEnd = message.search(/[\r\n]/);
  const firstLine = lineEnd < 0 ? message : message.slice(0, lineEnd);
  let scanned = firstLine.slice(0, MAX_SCANNED);
  const more = lineEnd >= 0 || scanned.length < firstLine.length;
  // Printable ASCII, the usual case, has nothing for CONTROL.
  if (/[^\x20-\x7e]/.test(scanned)) scanned = scanned.replace(CONTROL, PLACEHOLDER);
  let text = maskLine(scanned);
  const cut = lineEnd < 0 && message.length === ENGINE_MESSAGE_LENGTH;
  // The cut matters where it falls within the bounded pattern; beyond, bounded() cuts first.
  if (cut && likePattern(text).length < MAX_PATTERN_LENGTH) text = text.slice(0, text.lastIndexOf(PLACEHOLDER) + 1) || text;
  if (more || cut) text += PLACEHOLDER;
  if (text.includes('……')) text = text.replace(/\u2026{2,}/g, PLACEHOLDER);
  // A message that reads "(no message)" must not share the text of incidents without one.
  if (text === NO_MESSAGE) text += PLACEHOLDER;
  return bounded(text);
}

function maskLine(line: string): string {
  let out = '';
  let last = 0;
  const tokens = (TOKENS ??= tokensOf());
  tokens.lastIndex = 0;
  for (let match = tokens.exec(line); match !== null; match = tokens.exec(line)) {
    out += line.slice(last, match.index) + maskToken(match);
    last = tokens.lastIndex;
  }
  return out + line.slice(last);
}

function maskToken(match: RegExpExecArray): string {
  const [, kept, url, quoted, quote] = match;
  if (kept !== undefined) return kept;
  if (url !== undefined) return maskUrl(url);
  if (quoted !== undefined) {
    const content = quoted.slice(1, -1);
    if ((NAME ??= nameOf()).test(content)) return quoted;
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S*$/.test(content)) return quote + maskUrl(content) + quote;
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
  // maskLine uses the one TOKENS scanner: remember where the outer scan stands.
  const resume = TOKENS!.lastIndex;
  const masked = maskLine(rest);
  TOKENS!.lastIndex = resume;
  return base.slice(0, scheme) + masked + (cut < 0 ? '' : url[cut] + PLACEHOLDER);
}

/**
 * The pattern of a text, a function of the text alone (equal texts, equal patterns): `%`, `_` and
 * `\` escaped, `[` as `_` (SQL Server reads `[…]` as a character class; `_` matches the bracket on
 * every database), each placeholder `%`.
 */
function likePattern(text: string): string {
  return text.replace(/[%_\\]/g, '\\$&').replace(/\[/g, '_').replace(/\u2026/g, '%');
}

/** The text, cut (ending in a placeholder) where its pattern would exceed MAX_PATTERN_LENGTH, and its pattern. */
function bounded(text: string): MaskedMessage {
  const full = likePattern(text);
  if (full.length <= MAX_PATTERN_LENGTH) return { text, pattern: full };
  let kept = '';
  let length = 0;
  for (const c of text) {
    // Whole characters only: never an escape or a surrogate pair split.
    length += c === '%' || c === '_' || c === '\\' ? 2 : c.length;
    if (length > MAX_PATTERN_LENGTH - 1) break;
    kept += c;
  }
  // For reading, rather after a space than inside a word (when one lies near).
  const space = kept.lastIndexOf(' ');
  if (space >= 0 && space >= kept.length - 40) kept = kept.slice(0, space + 1);
  const cut = (kept + PLACEHOLDER).replace(/\u2026{2,}/g, PLACEHOLDER);
  return { text: cut, pattern: likePattern(cut) };
}
