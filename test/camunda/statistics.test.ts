import { describe, expect, it } from 'vitest';
import { compareDefinitions, type DefinitionSelection } from '../../src/camunda/definitions';
import { processDefinitionStatistics } from '../../src/camunda/shapes';
import { groupStatistics, rowsForSelectedTenants } from '../../src/camunda/statistics';
import type { ProcessDefinitionStatisticsResultDto } from '../../src/camunda/types';
import { statisticsRowDto } from '../support/fixtures';

const ALL: DefinitionSelection = { keys: [], tenantIds: [], latestOnly: false };
const rows = (...list: Record<string, unknown>[]) => list as unknown as ProcessDefinitionStatisticsResultDto[];

describe('groupStatistics', () => {
  it('sums versions per key and tenant, in key order with definitions without tenant first', () => {
    const figures = groupStatistics(
      rows(
        statisticsRowDto({ key: 'order', version: 1, instances: 1 }),
        statisticsRowDto({ key: 'invoice', version: 2, tenantId: 'acme', instances: 2, failedJobs: 1, incidents: { failedJob: 1 } }),
        statisticsRowDto({ key: 'invoice', version: 1, instances: 3, incidents: { b: 1, a: 1, failedJob: 0 } }),
        statisticsRowDto({ key: 'invoice', version: 2, instances: 4, incidents: { b: 2 } }),
      ),
      ALL,
    );
    expect(figures.map((f) => [f.key, f.tenantId, f.versions, f.latestVersion, f.instances, f.incidents, f.failedJobs])).toEqual([
      ['invoice', null, 2, 2, 7, 4, 0],
      ['invoice', 'acme', 1, 2, 2, 1, 1],
      ['order', null, 1, 1, 1, 0, 0],
    ]);
    // Largest first, then by name; types counted 0 are left out.
    expect(figures[0]!.incidentsByType).toEqual([['b', 3], ['a', 1]]);
    expect(figures[0]!.latestId).toBe('invoice:2:c3a63aaa-2046-11e7-8f94-34f39ab71d4e');
  });

  it('takes the latest version of all, then the category; a definition left without versions is dropped', () => {
    const list = rows(
      statisticsRowDto({ key: 'invoice', version: 1, category: 'old', instances: 3 }),
      statisticsRowDto({ key: 'invoice', version: 2, instances: 4 }),
    );
    expect(groupStatistics(list, { ...ALL, category: 'old' }).map((f) => [f.instances, f.latestVersion])).toEqual([[3, 2]]);
    expect(groupStatistics(list, { ...ALL, category: 'old', latestOnly: true })).toEqual([]);
    expect(groupStatistics(list, { ...ALL, latestOnly: true }).map((f) => [f.instances, f.versions])).toEqual([[4, 1]]);
  });

  it('selects keys and tenants', () => {
    const list = rows(
      statisticsRowDto({ key: 'invoice' }),
      statisticsRowDto({ key: 'invoice', tenantId: 'acme' }),
      statisticsRowDto({ key: 'order', tenantId: 'acme' }),
    );
    expect(groupStatistics(list, { ...ALL, keys: ['invoice'] }).map((f) => f.tenantId)).toEqual([null, 'acme']);
    expect(groupStatistics(list, { ...ALL, tenantIds: ['acme'] }).map((f) => f.key)).toEqual(['invoice', 'order']);
  });

  it('reads rows whose incidents are null', () => {
    const [figures] = groupStatistics(rows({ ...statisticsRowDto({ instances: 2 }), incidents: null }), ALL);
    expect(figures).toMatchObject({ instances: 2, incidents: 0, incidentsByType: [] });
  });
});

describe('the statistics shape', () => {
  it('accepts rows as Camunda sends them and rejects what cannot be grouped', () => {
    expect(processDefinitionStatistics.check(statisticsRowDto())).toBe(true);
    expect(processDefinitionStatistics.check({ ...statisticsRowDto(), definition: null })).toBe(false);
    expect(processDefinitionStatistics.check({ ...statisticsRowDto(), instances: -1 })).toBe(false);
    expect(processDefinitionStatistics.check({ ...statisticsRowDto(), incidents: [{ incidentType: 'x', incidentCount: 1.5 }] })).toBe(false);
    expect(processDefinitionStatistics.check({ ...statisticsRowDto(), definition: { ...(statisticsRowDto().definition as object), key: null } })).toBe(false);
  });
});

describe('compareDefinitions', () => {
  it('orders by key, then tenant with no tenant first', () => {
    const list = [
      { key: 'b', tenantId: null },
      { key: 'a', tenantId: 'z' },
      { key: 'a', tenantId: null },
      { key: 'a', tenantId: 'm' },
    ];
    expect(list.sort(compareDefinitions)).toEqual([
      { key: 'a', tenantId: null },
      { key: 'a', tenantId: 'm' },
      { key: 'a', tenantId: 'z' },
      { key: 'b', tenantId: null },
    ]);
  });
});

describe('rowsForSelectedTenants', () => {
  // A shared definition's instances run for the tenant a TenantIdProvider gives them
  // (ExecutionEntity.java:470-493), so under --tenant-id T it is T's as long as T does not deploy the key itself.
  const list = rows(
    statisticsRowDto({ key: 'invoice', version: 1, instances: 3 }),
    statisticsRowDto({ key: 'invoice', version: 1, tenantId: 'acme', instances: 1 }),
    statisticsRowDto({ key: 'order', version: 1, instances: 2 }),
  );
  const tenantsOf = (selected: readonly ProcessDefinitionStatisticsResultDto[]) => selected.map((r) => `${r.definition!.key}:${r.instances}@${r.definition!.tenantId ?? '-'}`);

  it('stands a selected key\'s shared rows for each selected tenant without a definition of that key', () => {
    const selection: DefinitionSelection = { keys: ['invoice'], tenantIds: ['acme', 'globex'], latestOnly: false };
    expect(tenantsOf(rowsForSelectedTenants(list, selection))).toEqual(['invoice:3@globex', 'invoice:1@acme']);
  });

  it('leaves the rows alone without --key or without --tenant-id', () => {
    expect(rowsForSelectedTenants(list, { keys: [], tenantIds: ['acme'], latestOnly: false })).toBe(list);
    expect(rowsForSelectedTenants(list, { keys: ['invoice'], tenantIds: [], latestOnly: false })).toBe(list);
  });
});
