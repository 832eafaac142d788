import type { CamundaClient } from './client';
import { compareDefinitions, forSelectedTenants, type DefinitionFigures, type DefinitionSelection } from './definitions';
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

/** The same without incident and failed-job figures, which the engine then does not join: running instances per version only. */
export function readInstanceStatistics(client: CamundaClient): Promise<ProcessDefinitionStatisticsResultDto[]> {
  return client.get('/process-definition/statistics', {}, arrayOf(processDefinitionStatistics));
}

export type StatisticsRow = ProcessDefinitionStatisticsResultDto & {
  readonly definition: NonNullable<ProcessDefinitionStatisticsResultDto['definition']> & { key: string };
};

/**
 * The selection as tests on statistics rows: whether a row's definition (key and tenant) is
 * selected, and whether the version is in the selected category. Rows without definition or key
 * are not the engine's answer and are never selected.
 */
export function selectionTests(selection: DefinitionSelection): { selected(row: ProcessDefinitionStatisticsResultDto): row is StatisticsRow; inCategory(row: StatisticsRow): boolean } {
  const keys = new Set(selection.keys);
  const tenants = new Set(selection.tenantIds);
  const { category } = selection;
  return {
    selected: (row): row is StatisticsRow => {
      const key = row.definition?.key;
      if (typeof key !== 'string' || (keys.size > 0 && !keys.has(key))) return false;
      const tenantId = row.definition?.tenantId ?? null;
      return tenants.size === 0 || (tenantId !== null && tenants.has(tenantId));
    },
    inCategory: (row) => category === undefined || row.definition.category === category,
  };
}

/**
 * Under --tenant-id with --key, the rows of a shared definition (without tenant) once per selected
 * tenant that does not deploy its key itself, carrying that tenant (forSelectedTenants); the
 * instance counts stay those of every tenant, as the statistics cannot split them.
 */
export function rowsForSelectedTenants(rows: readonly ProcessDefinitionStatisticsResultDto[], selection: DefinitionSelection): readonly ProcessDefinitionStatisticsResultDto[] {
  if (selection.tenantIds.length === 0 || selection.keys.length === 0) return rows;
  const keys = new Set(selection.keys);
  const selected = rows.filter((row) => keys.has(row.definition?.key ?? ''));
  const entries = selected.map((row) => ({ key: row.definition?.key, tenantId: row.definition?.tenantId ?? null, row }));
  return forSelectedTenants(entries, selection.tenantIds).map((e) =>
    e.tenantId === (e.row.definition?.tenantId ?? null) ? e.row : { ...e.row, definition: { ...e.row.definition!, tenantId: e.tenantId } },
  );
}

/** Groups a key's versions per tenant: the same key deployed for two tenants is two definitions. */
export const definitionIdentity = (key: string, tenantId: string | null | undefined): string => (tenantId == null ? key : `${key}\u0000${tenantId}`);

type Row = StatisticsRow;

/** Running sums of one definition, built in a single pass over a response of possibly tens of thousands of rows. */
interface Sums {
  latest: Row;
  /** Versions summed so far. */
  versions: number;
  instances: number;
  failedJobs: number;
  incidents: Map<string, number> | undefined;
}

/**
 * Sums the rows per definition (key and tenant) over the versions the selection covers. The
 * latest version is the highest of its key and tenant, whatever the category filter, as the
 * engine's `latestVersion` means it; a definition none of whose versions is selected is left out.
 */
export function groupStatistics(rows: readonly ProcessDefinitionStatisticsResultDto[], selection: DefinitionSelection): DefinitionFigures[] {
  const { latestOnly } = selection;
  const { selected, inCategory } = selectionTests(selection);
  const groups = new Map<string, Sums>();
  for (const row of rows) {
    if (!selected(row)) continue;
    const id = definitionIdentity(row.definition.key, row.definition.tenantId);
    let sums = groups.get(id);
    if (!sums) groups.set(id, (sums = { latest: row, versions: 0, instances: 0, failedJobs: 0, incidents: undefined }));
    else if ((row.definition.version ?? 0) > (sums.latest.definition.version ?? 0)) sums.latest = row;
    if (!latestOnly && inCategory(row)) add(sums, row);
  }

  const figures: DefinitionFigures[] = [];
  for (const sums of groups.values()) {
    if (latestOnly && inCategory(sums.latest)) add(sums, sums.latest);
    if (sums.versions > 0) figures.push(toFigures(sums));
  }
  return figures.sort(compareDefinitions);
}

function add(sums: Sums, row: Row): void {
  sums.versions++;
  sums.instances += row.instances;
  sums.failedJobs += row.failedJobs;
  for (const { incidentType, incidentCount } of row.incidents ?? []) {
    if (incidentCount === 0) continue;
    sums.incidents ??= new Map();
    const type = incidentType ?? 'unknown';
    sums.incidents.set(type, (sums.incidents.get(type) ?? 0) + incidentCount);
  }
}

function toFigures({ latest, versions, instances, failedJobs, incidents }: Sums): DefinitionFigures {
  const incidentsByType = [...(incidents ?? [])].sort(([ta, a], [tb, b]) => b - a || (ta < tb ? -1 : 1));
  return {
    key: latest.definition.key,
    tenantId: latest.definition.tenantId ?? null,
    name: latest.definition.name ?? null,
    latestId: latest.definition.id ?? latest.id ?? '',
    latestVersion: latest.definition.version ?? 0,
    versions,
    instances,
    incidents: incidentsByType.reduce((total, [, count]) => total + count, 0),
    incidentsByType,
    failedJobs,
  };
}
