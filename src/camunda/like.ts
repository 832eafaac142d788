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

/** Whether `value LIKE pattern` holds; `null LIKE …` never does in SQL. */
export function likeMatches(pattern: string, value: string | null | undefined): boolean {
  return value !== null && value !== undefined && likeToRegExp(pattern).test(value);
}
