import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { CAUSE_BUDGET, describeCauses, findIncidentCauses, requestBound, spreadOffsets, type CauseBudget } from '../../src/camunda/incident-causes';
import { incidentQueries, type IncidentFilter } from '../../src/camunda/incidents';
import { countPerQuery } from '../../src/camunda/queries';
import type { IncidentDto } from '../../src/camunda/types';
import { demoIncidents, incidentStore, openIncidents, outageIncidents, word, type StoreRequest, type StoredDefinition } from '../support/incident-store';
import { mockedEngineClient, useStrictNock } from '../support/nock';

/*
 * Causes found in bounded samples and counted exactly, against an engine that holds the incidents
 * (test/support/incident-store.ts answers with the engine's filter semantics, Incident.xml:133-200).
 */

useStrictNock();

const NONE: IncidentFilter = { processDefinitionKeys: [], incidentTypes: [], tenantIds: [], activityIds: [] };
const now = new Date();
const NEW_SINCE = new Date(now.getTime() - 15 * 60_000);
const MINUTE = 60;


async function causesOf(incidents: readonly IncidentDto[], filter: IncidentFilter = NONE, budget: CauseBudget = CAUSE_BUDGET, definitions: StoredDefinition[] = []) {
  const seen = incidentStore(incidents, definitions);
  const client = mockedEngineClient();
  const open = await countPerQuery(client, '/incident/count', incidentQueries(filter));
  const before = seen.length;
  const result = await findIncidentCauses(client, filter, open, NEW_SINCE, budget);
  return { result, requests: seen.slice(before), client, seen };
}


describe('findIncidentCauses', () => {
  it('counts an outage of thousands of incidents as one cause, exactly, with its versions and first incident', async () => {
    const { result, requests } = await causesOf(outageIncidents(now));
    expect(result.causes.map((c) => [c.count, c.place.key, c.place.activityId, c.kind, c.isNew])).toEqual([
      [2038, 'invoice', 'ServiceTask_PostToSAP', 'message', false],
      [2, 'order', 'ServiceTask_SendConfirmation', 'message', false],
      [1, 'claims', 'Task_Score', 'message', true],
    ]);
    const [sap] = result.causes;
    expect(sap!.versions).toEqual([2, 3]);
    expect(sap!.text).toBe('com.sap.conn.jco.JCoException: (…) JCO_ERROR_COMMUNICATION: Connection refused: …, request …');
    expect(sap!.newestKnown).toBe(true);
    expect(Math.round((now.getTime() - sap!.firstAt!.getTime()) / 60_000)).toBe(130);
    expect(result.withMessage).toBe(2041);
    expect(result.unassigned).toBe(0);
    expect(result.uncounted).toBe(0);
    expect(result.oldest!.id).toMatch(/^mail-/);
    // The % count, newest and oldest page, four spread pages, four ordered pages, three cause
    // counts, and the first incident of the one cause the oldest page does not hold.
    expect(requests).toHaveLength(1 + 1 + 1 + 4 + 4 + 3 + 1);
    const counts = requests.filter((r) => r.path === '/incident/count' && r.query.incidentMessageLike !== '%');
    expect(counts.map((r) => r.query)).toContainEqual({
      processDefinitionKeyIn: 'invoice',
      activityId: 'ServiceTask_PostToSAP',
      failedActivityId: 'ServiceTask_PostToSAP',
      incidentType: 'failedJob',
      incidentMessageLike: 'com.sap.conn.jco.JCoException: (%) JCO\\_ERROR\\_COMMUNICATION: Connection refused: %, request %',
    });
    expect(requests.filter((r) => r.path === '/incident' && r.query.maxResults === '1')).toEqual([
      { path: '/incident', query: expect.objectContaining({ processDefinitionKeyIn: 'claims', sortOrder: 'asc', activityId: 'Task_Score' }) },
    ]);
  });

  it('sends a constant number of requests whatever the number of incidents', async () => {
    const sizes: number[] = [];
    for (const count of [300, 3000, 9000]) {
      const incidents = [0, 1, 2].flatMap((cause) =>
        openIncidents({ count: count / 3, prefix: `c${cause}`, activityId: `Task_${word(cause)}`, message: (n) => `Failure ${word(cause)} for order ${n}`, ageSeconds: (n) => n * 3 + cause, now }),
      );
      const { requests, result } = await causesOf(incidents);
      expect(result.causes.map((c) => c.count)).toEqual([count / 3, count / 3, count / 3]);
      sizes.push(requests.length);
      nock.cleanAll();
    }
    expect(new Set(sizes).size).toBe(1);
    expect(sizes[0]).toBeLessThanOrEqual(requestBound(1, CAUSE_BUDGET));
  });

  it('finds a large cause that lies between the newest and the oldest page through the spread pages', async () => {
    const incidents = [
      ...openIncidents({ count: 100, prefix: 'new', activityId: 'A', message: () => 'Newest kind', ageSeconds: (n) => n, now }),
      ...openIncidents({ count: 500, prefix: 'mid', activityId: 'B', message: (n) => `Middle kind ${n}`, ageSeconds: (n) => 1000 + n, now }),
      ...openIncidents({ count: 100, prefix: 'old', activityId: 'C', message: () => 'Oldest kind', ageSeconds: (n) => 5000 + n, now }),
    ];
    const { result } = await causesOf(incidents);
    expect(result.causes.map((c) => [c.place.activityId, c.count])).toEqual([
      ['B', 500],
      ['A', 100],
      ['C', 100],
    ]);
    expect(spreadOffsets(700, CAUSE_BUDGET)).toEqual([188, 288, 388, 488]);
  });

  it('sees a lone incident of another kind amid an outage, through the pages sorted by activity and by message', async () => {
    const outage = openIncidents({ count: 2000, prefix: 'sap', activityId: 'ServiceTask_PostToSAP', message: (n) => `Connection refused, request ${n}`, ageSeconds: (n) => 60 + n, now });
    const lone = openIncidents({ count: 1, prefix: 'lone', activityId: 'Task_Archive', message: () => 'Archive full', ageSeconds: () => 1060.5, now });
    const npe = openIncidents({ count: 3, prefix: 'npe', activityId: 'ServiceTask_PostToSAP', message: () => null, ageSeconds: (n) => 700.5 + n, now });
    const { result } = await causesOf([...outage, ...lone, ...npe]);
    expect(result.causes.map((c) => [c.place.activityId, c.kind, c.count])).toEqual([
      ['ServiceTask_PostToSAP', 'message', 2000],
      ['ServiceTask_PostToSAP', 'no-message', 3],
      ['Task_Archive', 'message', 1],
    ]);
    expect([result.unassigned, result.unassignedWithoutMessage]).toEqual([0, 0]);
  });

  it('says how many incidents without message are in no counted cause, and that copies may be among them', async () => {
    const outage = openIncidents({ count: 150, prefix: 'sap', message: (n) => `Connection refused, request ${n}`, ageSeconds: (n) => 60 + n, now });
    const root = openIncidents({ count: 1, prefix: 'root', definitionId: 'payment:1:p', message: () => 'Payment API 503', ageSeconds: () => 130.5, now })[0]!;
    const copies = [1, 2].map((level) => ({ ...root, id: `copy${level}`, causeIncidentId: level === 1 ? root.id : 'copy1', processDefinitionId: `caller${level}:1:c`, activityId: 'CallActivity', failedActivityId: 'CallActivity', incidentMessage: null }));
    const { result } = await causesOf([...outage, root, ...copies]);
    expect(result.causes.map((c) => c.count)).toEqual([150, 1]);
    expect([result.withoutMessage, result.unassignedWithoutMessage, result.copiesAmongUnassigned]).toEqual([2, 2, true]);
    // All in one page: the copies are known to be copies, nothing is left unsaid.
    nock.cleanAll();
    const small = await causesOf([...outage.slice(0, 20), root, ...copies]);
    expect([small.result.withoutMessage, small.result.unassignedWithoutMessage, small.result.copiesAmongUnassigned]).toEqual([2, 0, false]);
  });

  it('subtracts a cause nested in another pattern at the same place from the wider count', async () => {
    // "Timeout after %" also matches "Timeout after 30s on host x": the wider count holds both.
    const incidents = [
      ...openIncidents({ count: 5, prefix: 'plain', message: (n) => `Timeout after ${n + 1}s`, ageSeconds: (n) => 100 + n, now }),
      ...openIncidents({ count: 3, prefix: 'host', message: (n) => `Timeout after ${n + 1}s on host x`, ageSeconds: (n) => 200 + n, now }),
    ];
    // Pages of 5, so that the engine counts (eight incidents in pages of 100 are counted in the page).
    const { result, requests } = await causesOf(incidents, NONE, { ...CAUSE_BUDGET, pageSize: 5 });
    expect(result.everyIncident).toBe(false);
    expect(result.causes.map((c) => [c.text, c.count])).toEqual([
      ['Timeout after …', 5],
      ['Timeout after … on host x', 3],
    ]);
    expect(requests.map((r) => r.query.incidentMessageLike).filter(Boolean).sort()).toEqual(['%', 'Timeout after %', 'Timeout after % on host x']);
    expect(result.unassigned).toBe(0);
  });

  it('counts incidents without message (a NullPointerException has none) at their place, apart from those with one', async () => {
    const incidents = [
      ...openIncidents({ count: 4, prefix: 'npe', activityId: 'Task_X', message: () => null, ageSeconds: (n) => 100 + n, now }),
      ...openIncidents({ count: 2, prefix: 'nf', activityId: 'Task_X', message: (n) => `Order ${n} not found`, ageSeconds: (n) => 300 + n, now }),
    ];
    const { result } = await causesOf(incidents);
    expect(result.causes.map((c) => [c.kind, c.text, c.count])).toEqual([
      ['no-message', '(no message)', 4],
      ['message', 'Order … not found', 2],
    ]);
    expect(result.withMessage).toBe(2);
    expect(result.unassigned).toBe(0);
  });

  describe('with call activities (IncidentEntity.java:82-111: copies without message at the call activity)', () => {
    const root = openIncidents({ count: 1, prefix: 'root', definitionId: 'payment:3:p', activityId: 'ServiceTask_Charge', message: () => 'Payment API 503', ageSeconds: () => 300, now })[0]!;
    const copy = (id: string, cause: string, definitionId: string, activityId: string): IncidentDto => ({
      ...root,
      id,
      causeIncidentId: cause,
      rootCauseIncidentId: root.id,
      processDefinitionId: definitionId,
      processInstanceId: `pi-${id}`,
      activityId,
      failedActivityId: activityId,
      incidentMessage: null,
    });
    const mid = copy('mid', root.id!, 'billing:2:b', 'CallActivity_Pay');
    const top = copy('top', 'mid', 'order:1:o', 'CallActivity_Billing');

    it('counts a failure once, under its root cause, and finds the top-level instance in the samples', async () => {
      const { result, client, requests } = await causesOf([root, mid, top]);
      expect(result.causes.map((c) => [c.kind, c.place.key, c.count])).toEqual([['message', 'payment', 1]]);
      const [failure] = await describeCauses(client, result.causes, 10);
      expect(failure!.top.id).toBe('top');
      expect(failure!.levels).toBe(2);
      expect(requests.some((r) => r.query.rootCauseIncidentId)).toBe(false);
    });

    it('makes the copies its own cause when the filter leaves the root cause out, described by the root cause', async () => {
      const filter = { ...NONE, processDefinitionKeys: ['order'] };
      const { result, requests } = await causesOf([root, mid, top], filter);
      expect(result.causes).toHaveLength(1);
      const [called] = result.causes;
      expect([called!.kind, called!.place.key, called!.place.activityId, called!.count]).toEqual(['called', 'order', 'CallActivity_Billing', 1]);
      expect(called!.rootCause?.incidentMessage).toBe('Payment API 503');
      expect(requests.filter((r) => r.query.rootCauseIncidentId)).toHaveLength(1);
    });

    it('counts the failure at its root cause when the filter holds it too, even two levels up', async () => {
      const filter = { ...NONE, processDefinitionKeys: ['order', 'payment'] };
      const { result } = await causesOf([root, mid, top], filter);
      expect(result.causes.map((c) => [c.kind, c.place.key, c.count])).toEqual([['message', 'payment', 1]]);
    });

    it('counts the failure once, at the lowest calling level the filter holds, when it leaves the root cause out', async () => {
      const filter = { ...NONE, processDefinitionKeys: ['order', 'billing'] };
      const { result } = await causesOf([root, mid, top], filter);
      expect(result.causes.map((c) => [c.kind, c.place.key, c.place.activityId, c.count])).toEqual([['called', 'billing', 'CallActivity_Pay', 1]]);
    });
  });

  it('calls a cause new only when its first incident lies within the window, also beyond the oldest page', async () => {
    const incidents = [
      // Old and still failing: the newest is a minute old, the first two hours.
      ...openIncidents({ count: 150, prefix: 'old', activityId: 'A', message: (n) => `Old trouble ${n}`, ageSeconds: (n) => MINUTE + n * 48, now }),
      ...openIncidents({ count: 3, prefix: 'fresh', activityId: 'B', message: () => 'Fresh trouble', ageSeconds: (n) => 5 * MINUTE + n, now }),
    ];
    const { result } = await causesOf(incidents);
    expect(result.causes.map((c) => [c.place.activityId, c.count, c.isNew])).toEqual([
      ['A', 150, false],
      ['B', 3, true],
    ]);
  });

  it('passes the tenant filter to every cause count', async () => {
    const incidents = [
      ...openIncidents({ count: 2, prefix: 'acme', tenantId: 'acme', message: () => 'Broken', ageSeconds: (n) => n + 10, now }),
      ...openIncidents({ count: 5, prefix: 'globex', tenantId: 'globex', message: () => 'Broken', ageSeconds: (n) => n + 10, now }),
    ];
    const { result, requests } = await causesOf(incidents, { ...NONE, tenantIds: ['acme'] });
    expect(result.causes.map((c) => [c.count, c.tenants])).toEqual([[2, ['acme']]]);
    expect(requests.filter((r) => r.path === '/incident/count').every((r) => r.query.tenantIdIn === 'acme')).toBe(true);
  });

  it('counts the largest known causes when there are more than the budget, and says how many incidents are left', async () => {
    const incidents = Array.from({ length: 300 }, (_, cause) =>
      openIncidents({ count: cause < 10 ? 20 : 2, prefix: `k${cause}`, activityId: 'Task_Any', message: (n) => `Service ${word(cause)} unavailable, try ${n}`, ageSeconds: (n) => 600 + cause * 7 + n * 2100, now }),
    ).flat();
    const { result, requests } = await causesOf(incidents);
    expect(result.causes).toHaveLength(25);
    const counted = result.causes.reduce((sum, c) => sum + c.count, 0);
    expect(result.withMessage).toBe(10 * 20 + 290 * 2);
    expect(result.unassigned).toBe(result.withMessage - counted);
    expect(result.unassigned).toBeGreaterThan(0);
    expect(result.uncounted).toBeGreaterThan(0);
    // The ten big causes are in the samples often enough to be counted first.
    expect(result.causes.slice(0, 10).map((c) => c.count)).toEqual(Array(10).fill(20));
    expect(requests.length).toBeLessThanOrEqual(requestBound(1, CAUSE_BUDGET));
  });

  it('keeps to a small budget without dates, and counts what the samples do not show as unassigned', async () => {
    // Only the newest 50: all SAP (79 SAP incidents are newer than the claims incident).
    const small: CauseBudget = { maxCounted: 3, pageSize: 50, spreadPages: 0, spreadPageSize: 0, orderedPages: 0, described: 0, dated: false };
    const { result, requests } = await causesOf(outageIncidents(now), NONE, small);
    expect(result.causes.map((c) => [c.count, c.firstAt, c.isNew])).toEqual([[2038, undefined, false]]);
    expect([result.withMessage, result.unassigned, result.uncounted]).toEqual([2041, 3, 0]);
    // The newest page, the % count, one cause count: no oldest page and no first incidents.
    expect(requests.map((r) => `${r.path} ${r.query.maxResults ?? r.query.incidentMessageLike?.slice(0, 10)}`).sort()).toEqual(['/incident 50', '/incident/count %', '/incident/count com.sap.co']);
    expect(requests.length).toBeLessThanOrEqual(requestBound(1, small));
  });


  describe('on a small engine, every incident in the newest page: grouped and counted in it', () => {
    /** findIncidentCauses with `open` as the count said it, which may be stale (a race with the page). */
    async function causesWithCount(incidents: readonly IncidentDto[], open: number, filter: IncidentFilter = NONE) {
      const seen = incidentStore(incidents);
      const result = await findIncidentCauses(mockedEngineClient(), filter, [open], NEW_SINCE, CAUSE_BUDGET);
      return { result, requests: seen };
    }
    const countRequests = (requests: readonly StoreRequest[]) => requests.filter((r) => r.path === '/incident/count');

    it('counts the 7 incidents of the demo in 6 causes exactly from the newest page alone: one request', async () => {
      const incidents = demoIncidents(now);
      const { result, requests } = await causesWithCount(incidents, 7);
      expect(requests.map((r) => [r.path, r.query.sortOrder, r.query.maxResults])).toEqual([['/incident', 'desc', '100']]);
      expect(result.causes.map((c) => [c.count, c.place.key, c.place.activityId, c.kind, c.isNew])).toEqual([
        [1, 'order', 'Task_ReserveStock', 'message', true],
        [1, 'invoice', 'ServiceTask_PostToSAP', 'message', true],
        [1, 'invoice', 'ServiceTask_PostToSAP', 'message', false],
        [1, 'onboarding', 'Task_VerifyIdentity', 'message', false],
        [1, 'order', 'ServiceTask_SendConfirmation', 'message', false],
        [1, 'invoice', 'ServiceTask_ArchiveInvoice', 'message', false],
      ]);
      expect(result.causes.map((c) => c.firstAt!.getTime())).toEqual(result.causes.map((c) => c.newest.createdAt!.getTime()));
      // The copy in order counts at its root cause, whose chain the page holds.
      expect(result.causes[3]!.chain!.map((i) => i.id).sort()).toEqual(['kyc-0', 'kyc-copy']);
      expect(result).toMatchObject({ everyIncident: true, withMessage: 6, unassigned: 0, withoutMessage: 1, unassignedWithoutMessage: 0, copiesAmongUnassigned: false, uncounted: 0, sampled: 7 });
      expect(result.oldest!.id).toBe('archive-0');
    });

    it('counts nested patterns and incidents without message apart in the page, with no subtraction and no count', async () => {
      const incidents = [
        ...openIncidents({ count: 5, prefix: 'plain', message: (n) => `Timeout after ${n + 1}s`, ageSeconds: (n) => 100 + n, now }),
        ...openIncidents({ count: 3, prefix: 'host', message: (n) => `Timeout after ${n + 1}s on host x`, ageSeconds: (n) => 200 + n, now }),
        ...openIncidents({ count: 4, prefix: 'npe', message: () => null, ageSeconds: (n) => 300 + n, now }),
        ...openIncidents({ count: 2, prefix: 'empty', message: () => '', ageSeconds: (n) => 400 + n, now }),
      ];
      const { result, requests } = await causesWithCount(incidents, incidents.length);
      expect(requests).toHaveLength(1);
      expect(result.causes.map((c) => [c.text, c.kind, c.count])).toEqual([
        ['(no message)', 'no-message', 6],
        ['Timeout after …', 'message', 5],
        ['Timeout after … on host x', 'message', 3],
      ]);
      expect([result.withMessage, result.unassigned, result.withoutMessage, result.unassignedWithoutMessage]).toEqual([8, 0, 6, 0]);
    });

    it.each([
      ['8: one created since the count', 8],
      ['6: one resolved since the count', 6],
    ])('takes a page shorter than its maxResults as every incident when the count said 7 and the page holds %s', async (_what, inPage) => {
      const incidents = openIncidents({ count: inPage, prefix: 'x', message: (n) => `Order ${n} not found`, ageSeconds: (n) => 60 + n, now });
      const { result, requests } = await causesWithCount(incidents, 7);
      expect(requests).toHaveLength(1);
      expect(result.causes.map((c) => c.count)).toEqual([inPage]);
      expect([result.everyIncident, result.withMessage, result.unassigned]).toEqual([true, inPage, 0]);
    });

    it('reads the other pages and counts as for a large engine when the count said 7 but the page is full (a burst in between)', async () => {
      const old = openIncidents({ count: 2, prefix: 'old', activityId: 'A', message: () => 'Old trouble', ageSeconds: (n) => 3 * 3600 + n, now });
      const burst = openIncidents({ count: 150, prefix: 'burst', activityId: 'B', message: (n) => `Burst ${n}`, ageSeconds: (n) => 60 + n, now });
      const { result, requests } = await causesWithCount([...old, ...burst], 7);
      expect(result.everyIncident).toBe(false);
      expect(result.causes.map((c) => [c.place.activityId, c.count])).toEqual([
        ['B', 150],
        ['A', 2],
      ]);
      // The oldest incident and the old cause's first one come from the oldest page, not from the newest.
      expect(result.oldest!.id).toBe('old-1');
      expect(Math.round((now.getTime() - result.causes[1]!.firstAt!.getTime()) / 1000)).toBe(3 * 3600 + 1);
      expect(result.causes[0]!.isNew).toBe(true);
      // Newest page; then the oldest and the four ordered pages; the % count; two cause counts.
      expect(requests.filter((r) => r.path === '/incident')).toHaveLength(6);
      expect(countRequests(requests).map((r) => r.query.incidentMessageLike).sort()).toEqual(['%', 'Burst %', 'Old trouble']);
      expect(requests.length).toBeLessThanOrEqual(requestBound(1, CAUSE_BUDGET));
    });

    it('from 100 incidents on, samples and counts as before', async () => {
      const incidents = openIncidents({ count: 100, prefix: 'x', message: (n) => `Order ${n} not found`, ageSeconds: (n) => 60 + n, now });
      const { result, requests } = await causesOf(incidents);
      expect(result.everyIncident).toBe(false);
      expect(result.causes.map((c) => c.count)).toEqual([100]);
      expect(countRequests(requests).map((r) => r.query.incidentMessageLike).sort()).toEqual(['%', 'Order % not found']);
    });

    it('under a key filter reads only the call chain of copies whose root cause lies outside it', async () => {
      const { result, requests } = await causesWithCount(demoIncidents(now), 3, { ...NONE, processDefinitionKeys: ['order'] });
      expect(result.causes.map((c) => [c.kind, c.place.activityId, c.count])).toEqual([
        ['message', 'Task_ReserveStock', 1],
        ['called', 'CallActivity_OnboardCustomer', 1],
        ['message', 'ServiceTask_SendConfirmation', 1],
      ]);
      expect(result.causes[1]!.rootCause?.incidentMessage).toBe('Identity document expired: passport valid until 2023-08-31');
      expect(requests.map((r) => (r.query.rootCauseIncidentId ? `chain ${r.query.rootCauseIncidentId}` : `${r.path} ${r.query.maxResults}`))).toEqual(['/incident 100', 'chain kyc-0']);
      expect(result.everyIncident).toBe(true);
    });

    it('under a key filter holding the root cause too, counts the copy there without any request more', async () => {
      const { result, requests } = await causesWithCount(demoIncidents(now), 4, { ...NONE, processDefinitionKeys: ['order', 'onboarding'] });
      expect(result.causes.map((c) => [c.kind, c.place.key, c.count])).toEqual([
        ['message', 'order', 1],
        ['message', 'onboarding', 1],
        ['message', 'order', 1],
      ]);
      expect(requests).toHaveLength(1);
      expect([result.withoutMessage, result.unassignedWithoutMessage]).toEqual([1, 0]);
    });
  });
});
