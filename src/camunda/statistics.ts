import type { CamundaClient } from './client';
import { compareDefinitions, type DefinitionFigures, type DefinitionSelection } from './definitions';
import { arrayOf, processDefinitionStatistics } from './shapes';
import type { ProcessDefinitionStatisticsResultDto } from './types';

/**
 * One request for every deployed version of every definition: running instances, failed jobs
 * (retries 0) and open incidents per type. The endpoint has no key, tenant or category filter;
 * the selection is applied here.
 */
export function readDefinitionStatistics(client: CamundaClient): Promise<ProcessDefinitionStatisticsResultDto[]> {
  return client.get('/process-definition/statistics', { failedJobs: true, incidents: true }, arrayOf(processDefinitionStatistics));
}

type Row = ProcessDefinitionStatisticsResultDto & { readonly definition: NonNullable<ProcessDefinitionStatisticsResultDto['definition']> & { key: string } };

/**
 * Sums the rows per definition (key and tenant) over the versions the selection covers. The
 * latest version is the highest of its key and tenant, whatever the category filter, as the
 * engine's `latestVersion` means it; a definition none of whose versions is selected is left out.
 */
export function groupStatistics(rows: readonly ProcessDefinitionStatisticsResultDto[], selection: DefinitionSelection): DefinitionFigures[] {
  const keys = new Set(selection.keys);
  const tenants = new Set(selection.tenantIds);
  const groups = new Map<string, Row[]>();
  for (const row of rows as readonly Row[]) {
    const { key, tenantId = null } = row.definition;
    if (keys.size > 0 && !keys.has(key)) continue;
    if (tenants.size > 0 && (tenantId === null || !tenants.has(tenantId))) continue;
    const id = tenantId === null ? key : `${key}\u0000${tenantId}`;
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }

  const figures: DefinitionFigures[] = [];
  for (const versions of groups.values()) {
    const latest = versions.reduce((a, b) => ((b.definition.version ?? 0) > (a.definition.version ?? 0) ? b : a));
    const covered = (selection.latestOnly ? [latest] : versions).filter(
      (row) => selection.category === undefined || row.definition.category === selection.category,
    );
    if (covered.length > 0) figures.push(sum(latest, covered));
  }
  return figures.sort(compareDefinitions);
}

function sum(latest: Row, rows: readonly Row[]): DefinitionFigures {
  const byType = new Map<string, number>();
  let instances = 0;
  let failedJobs = 0;
  for (const row of rows) {
    instances += row.instances;
    failedJobs += row.failedJobs;
    for (const { incidentType, incidentCount } of row.incidents ?? []) {
      const type = incidentType ?? 'unknown';
      byType.set(type, (byType.get(type) ?? 0) + incidentCount);
    }
  }
  const incidentsByType = [...byType.entries()].filter(([, count]) => count > 0).sort(([ta, a], [tb, b]) => b - a || (ta < tb ? -1 : 1));
  return {
    key: latest.definition.key,
    tenantId: latest.definition.tenantId ?? null,
    name: latest.definition.name ?? null,
    latestId: latest.definition.id ?? latest.id ?? '',
    latestVersion: latest.definition.version ?? 0,
    versions: rows.length,
    instances,
    incidents: incidentsByType.reduce((total, [, count]) => total + count, 0),
    incidentsByType,
    failedJobs,
  };
}
