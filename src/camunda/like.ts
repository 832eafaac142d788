/**
 * SQL LIKE as the engine hands `incidentMessageLike` (and the other `…Like` parameters) to the
 * database: `RES.INCIDENT_MSG_ like #{incidentMessageLike} ESCAPE ${escapeChar}`
 * (engine/src/main/resources/org/camunda/bpm/engine/impl/mapping/entity/Incident.xml:152-154),
 * with a backslash as escape character on every database
 * (engine/src/main/java/org/camunda/bpm/engine/impl/db/sql/DbSqlSessionFactory.java:119, :217).
 * `%` is any run of characters (newlines included), `_` any one character, `\x` the character x.
 * Case-sensitive, as PostgreSQL, Oracle, H2 and DB2 compare by default (SQL Server and MySQL
 * usually do not: see docs/check_camunda_incidents.md). Shared by the checks and the simulator.
 */
const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/**
 * The pattern as a regular expression that takes at most about pattern × value steps. The plain
 * translation (`%` as `[\s\S]*`) backtracks through every way of spreading the value over the
 * `%`s when it does not match: seconds for ten `%` and a message of 666 characters, hours for
 * twenty. Here each part between two `%` is taken at its first occurrence, atomically (a lookahead
 * with a back reference, which the engine does not re-enter): the first occurrence is always the
 * best choice, because what follows can use everything a later one would leave (the standard
 * wildcard argument; `_` inside a part changes nothing). The last part is anchored at the end.
 */
export function likeToRegExp(pattern: string): RegExp {
  const parts: string[] = [''];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) parts[parts.length - 1] += pattern[++i]!.replace(REGEXP_SPECIAL, '\\$&');
    else if (c === '%') parts.push('');
    else if (c === '_') parts[parts.length - 1] += '[\\s\\S]';
    else parts[parts.length - 1] += c.replace(REGEXP_SPECIAL, '\\$&');
  }
  if (parts.length === 1) return new RegExp(`^${parts[0]}$`);
  let source = `^${parts[0]}`;
  let group = 0;
  for (const middle of parts.slice(1, -1)) if (middle !== '') source += `(?=([\\s\\S]*?${middle}))\\${++group}`;
  return new RegExp(`${source}[\\s\\S]*${parts[parts.length - 1]}$`);
}

const ANY_RUN = 0;
const ANY_ONE = 1;

/**
 * Whether `value LIKE pattern` holds; `null LIKE …` never does in SQL. Without regular
 * expressions, in at most pattern × value steps whatever the input (a backtracking regular
 * expression with many `%` can take far longer on a long message that does not match).
 */
export function likeMatches(pattern: string, value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  const tokens: (string | typeof ANY_RUN | typeof ANY_ONE)[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) tokens.push(pattern[++i]!);
    else tokens.push(c === '%' ? ANY_RUN : c === '_' ? ANY_ONE : c);
  }
  // Classic wildcard matching: on a mismatch, let the last `%` take one more character.
  let v = 0;
  let t = 0;
  let runAt = -1;
  let runFrom = 0;
  while (v < value.length) {
    const token = tokens[t];
    if (t < tokens.length && (token === ANY_ONE || token === value[v])) {
      v++;
      t++;
    } else if (token === ANY_RUN) {
      runAt = t++;
      runFrom = v;
    } else if (runAt >= 0) {
      t = runAt + 1;
      v = ++runFrom;
    } else return false;
  }
  while (tokens[t] === ANY_RUN) t++;
  return t === tokens.length;
}
