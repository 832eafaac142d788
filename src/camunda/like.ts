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

export function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) source += pattern[++i]!.replace(REGEXP_SPECIAL, '\\$&');
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(REGEXP_SPECIAL, '\\$&');
  }
  return new RegExp(`^${source}$`);
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
