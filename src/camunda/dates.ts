/**
 * Camunda's REST API exchanges dates as `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g.
 * `2013-01-23T14:42:45.000+0200`: an offset without colon, and no `Z`. The engine rejects
 * ISO strings such as `2013-01-23T12:42:45.000Z` in query parameters, so we always send UTC
 * written as `+0000`.
 */
export function formatCamundaDate(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

const CAMUNDA_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a date from a Camunda answer. Besides the default format this accepts the ISO
 * variants an engine configured with a custom date format (or a fork) may print; a date
 * without offset is read as UTC. Returns undefined for anything else.
 */
export function parseCamundaDate(text: string | null | undefined): Date | undefined {
  if (!text) return undefined;
  const match = CAMUNDA_DATE.exec(text);
  if (!match) return undefined;
  const offset = match[2] ?? 'Z';
  const iso = `${match[1]}${offset === 'Z' ? 'Z' : offset.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2')}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
