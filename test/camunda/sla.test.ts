import { describe, expect, it } from 'vitest';
import type { ModelElementFacts, ProcessModelFacts } from '../../src/camunda/bpmn-model';
import { groupSlas, slasOfVersion, unknownElementSlas, type RunningVersion, type SlaCount, type SlaSettings } from '../../src/camunda/sla';
import { slaQueries } from '../../src/camunda/sla-counts';

const SETTINGS: SlaSettings = { property: 'sla', elementSlas: new Map(), instanceSla: undefined, atRiskShare: 0.8 };

const version = (v: number, key = 'invoice', tenantId: string | null = null, instances = 5): RunningVersion => ({
  id: `${key}:${v}:${tenantId ?? 'x'}`,
  key,
  tenantId,
  version: v,
  name: 'Invoice',
  instances,
});

const element = (id: string, type: string, sla: string[] = [], warning: string[] = []): ModelElementFacts => ({ id, name: id.replace('_', ' '), type, sla, warning });

const model = (elements: ModelElementFacts[], sla: string[] = [], warning: string[] = []): ProcessModelFacts => ({ processId: 'invoice', name: 'Invoice', sla, warning, elements });

describe('slasOfVersion', () => {
  it('counts user tasks as tasks, every other flow node as activity instances, the process as instances', () => {
    const v = version(2);
    const { slas, defects } = slasOfVersion(
      v,
      model([element('approve', 'userTask', ['PT4H'], ['PT3H']), element('wait', 'receiveTask', ['P2D']), element('start', 'startEvent')], ['P5D']),
      SETTINGS,
    );
    expect(defects).toEqual([]);
    expect(slas.map((s) => [s.target, s.element?.id, s.slaSeconds, s.atRiskSeconds])).toEqual([
      ['task', 'approve', 4 * 3600, 3 * 3600],
      ['activity', 'wait', 2 * 86400, Math.round(2 * 86400 * 0.8)],
      ['instance', undefined, 5 * 86400, 4 * 86400],
    ]);
  });

  it('has no at-risk age when --at-risk is switched off, unless the model names one', () => {
    const { slas } = slasOfVersion(version(1), model([element('a', 'userTask', ['PT1H']), element('b', 'userTask', ['PT1H'], ['PT50M'])]), { ...SETTINGS, atRiskShare: undefined });
    expect(slas.map((s) => s.atRiskSeconds)).toEqual([undefined, 3000]);
  });

  it('lets command-line SLAs replace the model, with the at-risk share', () => {
    const settings = { ...SETTINGS, elementSlas: new Map([['approve', 7200]]), instanceSla: 86400 };
    const { slas } = slasOfVersion(version(1), model([element('approve', 'userTask', ['PT4H'], ['PT3H']), element('other', 'userTask')], ['P5D']), settings);
    expect(slas.map((s) => [s.element?.id, s.slaSeconds, s.atRiskSeconds])).toEqual([
      ['approve', 7200, 5760],
      [undefined, 86400, 69120],
    ]);
  });

  it.each([
    [['4 hours'], [], "'sla' '4 hours' is not an ISO-8601 duration such as PT4H"],
    [['P1M'], [], 'years and months have no fixed length'],
    [['PT0S'], [], "'sla' must be longer than 0"],
    [['PT1H', 'PT2H'], [], "has 2 different 'sla' properties (PT1H, PT2H)"],
    [['PT1H'], ['PT2H'], "'sla-warning' (2h) must be shorter than 'sla' (1h)"],
    [['PT1H'], ['soon'], "'sla-warning' 'soon' is not an ISO-8601 duration"],
  ])('reports sla %j, warning %j as a defect of the element', (sla, warning, message) => {
    const { slas, defects } = slasOfVersion(version(3), model([element('check_it', 'userTask', sla, warning)]), SETTINGS);
    expect(slas).toEqual([]);
    expect(defects).toHaveLength(1);
    expect(defects[0]!.element).toEqual({ id: 'check_it', name: 'check it', type: 'userTask' });
    expect(defects[0]!.version.version).toBe(3);
    expect(defects[0]!.message).toContain(message);
  });

  it('takes the same value given twice as one', () => {
    const { slas, defects } = slasOfVersion(version(1), model([element('a', 'userTask', ['PT1H', ' PT1H'])]), SETTINGS);
    expect(defects).toEqual([]);
    expect(slas).toHaveLength(1);
  });

  it('uses the property name of the settings in its messages', () => {
    const { defects } = slasOfVersion(version(1), model([], ['x']), { ...SETTINGS, property: 'maxWait' });
    expect(defects[0]!.message).toContain("'maxWait' 'x' is not an ISO-8601 duration");
    expect(defects[0]!.element).toBeUndefined();
  });
});

describe('unknownElementSlas', () => {
  it('names the --sla ids no version has', () => {
    const settings = { ...SETTINGS, elementSlas: new Map([['approve', 60], ['aprove', 60]]) };
    expect(unknownElementSlas(settings, [model([element('approve', 'userTask')])])).toEqual(['aprove']);
  });
});

describe('groupSlas', () => {
  const read = (versions: RunningVersion[], facts: (v: RunningVersion) => ProcessModelFacts) => {
    const models = new Map(versions.map((v) => [v.id, facts(v)]));
    const slas = versions.flatMap((v) => slasOfVersion(v, models.get(v.id)!, SETTINGS).slas);
    return groupSlas(slas, models, versions);
  };

  it('counts equal task and process SLAs of all running versions once, by key', () => {
    const versions = [version(1), version(2)];
    const groups = read(versions, () => model([element('approve', 'userTask', ['PT4H'])], ['P5D']));
    expect(groups.map((g) => [g.target, g.byKey, g.versions.map((v) => v.version)])).toEqual([
      ['task', true, [1, 2]],
      ['instance', true, [1, 2]],
    ]);
  });

  it('counts activity SLAs per version: the history has no key filter for activity instances', () => {
    const versions = [version(1), version(2)];
    const groups = read(versions, () => model([element('wait', 'receiveTask', ['P2D'])]));
    expect(groups.map((g) => [g.target, g.byKey, g.versions.length])).toEqual([['activity', false, 2]]);
  });

  it('counts per version where an old version keeps a different SLA', () => {
    const versions = [version(1), version(2)];
    const groups = read(versions, (v) => model([element('approve', 'userTask', [v.version === 1 ? 'PT8H' : 'PT4H'])]));
    expect(groups.map((g) => [g.slaSeconds / 3600, g.byKey, g.versions.map((x) => x.version)])).toEqual([
      [8, false, [1]],
      [4, false, [2]],
    ]);
  });

  it('still counts by key when the versions without the SLA do not have the element at all', () => {
    const versions = [version(1), version(2), version(3)];
    const groups = read(versions, (v) => model(v.version === 1 ? [element('other', 'userTask')] : [element('approve', 'userTask', ['PT4H'])]));
    expect(groups.map((g) => [g.byKey, g.versions.map((x) => x.version)])).toEqual([[true, [2, 3]]]);
  });

  it('counts per version when a running version has the element without SLA', () => {
    const versions = [version(1), version(2), version(3)];
    const groups = read(versions, (v) => model([element('approve', 'userTask', v.version === 1 ? [] : ['PT4H'])]));
    expect(groups.map((g) => [g.byKey, g.versions.map((x) => x.version)])).toEqual([[false, [2, 3]]]);
  });

  it('counts per version when a running version was not read (another category)', () => {
    const versions = [version(1), version(2)];
    const models = new Map(versions.map((v) => [v.id, model([element('approve', 'userTask', ['PT4H'])])]));
    const slas = versions.flatMap((v) => slasOfVersion(v, models.get(v.id)!, SETTINGS).slas);
    const groups = groupSlas(slas, models, [...versions, version(3)]);
    expect(groups.map((g) => g.byKey)).toEqual([false]);
  });

  it('keeps the definitions of two tenants apart', () => {
    const versions = [version(1, 'invoice', 'acme'), version(1, 'invoice', 'globex')];
    const groups = read(versions, () => model([element('approve', 'userTask', ['PT4H'])]));
    expect(groups.map((g) => [g.tenantId, g.versions.length])).toEqual([
      ['acme', 1],
      ['globex', 1],
    ]);
  });
});

describe('slaQueries for a shared version counted for a tenant', () => {
  // Rows carry the execution's tenant (TaskEntity.java:228; history copies it from the execution),
  // so the tenant filters each query, by key or by version id alike.
  const count = (byKey: boolean): SlaCount => ({
    key: 'invoice',
    tenantId: 'acme',
    target: 'activity',
    element: { id: 'Review', name: 'Review', type: 'userTask' } as SlaCount['element'],
    slaSeconds: 3600,
    atRiskSeconds: undefined,
    versions: [version(1, 'invoice', 'acme')],
    byKey,
  });
  it.each([true, false])('byKey %s sends tenantIdIn', (byKey) => {
    for (const query of slaQueries(count(byKey))) expect(query.tenantIdIn).toEqual(['acme']);
  });
});
