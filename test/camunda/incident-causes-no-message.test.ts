import { describe, expect, it } from 'vitest';
import { CAUSE_BUDGET, findIncidentCauses } from '../../src/camunda/incident-causes';
import { incidentQueries, type IncidentFilter } from '../../src/camunda/incidents';
import { countPerQuery } from '../../src/camunda/queries';
import type { IncidentDto } from '../../src/camunda/types';
import { incidentStore, openIncidents } from '../support/incident-store';
import { incidentsCheck } from '../../src/checks/incidents';
import { MOCK_REST_URL, mockedEngineClient, useStrictNock } from '../support/nock';
import { runInProcess } from '../support/run-plugin';

/*
 * A call activity whose own job fails without message (an asynchronous continuation on it that
 * throws a NullPointerException) and that also holds calling levels' copies of failures in the
 * called instances: both are incidents without message, of the same type, with the call activity as
 * activity and failed activity (IncidentEntity.java:82-111 createRecursiveIncidents copies the type
 * and sets no message). The API cannot count them apart (no filter for a null message, none for
 * causeIncidentId ≠ id): the place is counted once, and the cause says that copies are among them.
 */

useStrictNock();

const NONE: IncidentFilter = { processDefinitionKeys: [], incidentTypes: [], tenantIds: [], activityIds: [] };
const now = new Date();
const NEW_SINCE = new Date(now.getTime() - 15 * 60_000);

async function causesOf(incidents: readonly IncidentDto[], filter: IncidentFilter) {
  const seen = incidentStore(incidents);
  const client = mockedEngineClient();
  const open = await countPerQuery(client, '/incident/count', incidentQueries(filter));
  const before = seen.length;
  const result = await findIncidentCauses(client, filter, open, NEW_SINCE, CAUSE_BUDGET);
  return { result, open: open.reduce((a, b) => a + b, 0), requests: seen.slice(before) };
}

/** `order` calls `payment` at CallActivity_Pay: three failures in payment, their copies in order, and two NPEs of the call activity's own job. */
function callActivityIncidents(others: number): IncidentDto[] {
  const roots = openIncidents({ count: 3, prefix: 'pay', definitionId: 'payment:1:p', activityId: 'ServiceTask_Charge', message: (n) => `Payment API 503, request ${n}`, ageSeconds: (n) => 300 + n, now });
  const copies = roots.map((root) => ({ ...root, id: `copy-${root.id}`, causeIncidentId: root.id, processDefinitionId: 'order:1:o', processInstanceId: `pi-copy-${root.id}`, activityId: 'CallActivity_Pay', failedActivityId: 'CallActivity_Pay', incidentMessage: null }));
  const npes = openIncidents({ count: 2, prefix: 'npe', definitionId: 'order:1:o', activityId: 'CallActivity_Pay', message: () => null, ageSeconds: (n) => 400 + n, now });
  const busy = openIncidents({ count: others, prefix: 'mail', definitionId: 'order:1:o', activityId: 'ServiceTask_Mail', message: (n) => `Mail server down, attempt ${n}`, ageSeconds: (n) => 60 + n, now });
  return [...roots, ...copies, ...npes, ...busy];
}

const sum = (counts: readonly { count: number }[]) => counts.reduce((a, c) => a + c.count, 0);

describe('incidents without message at a call activity: its own and calling levels\' copies', () => {
  describe.each([
    ['counted by the engine (150 more incidents)', 150],
    ['counted in the newest page (every incident)', 5],
  ])('under a key filter that leaves the root causes out, %s', (_how, others) => {
    it('counts the place once: never more than the open incidents', async () => {
      const { result, open } = await causesOf(callActivityIncidents(others), { ...NONE, processDefinitionKeys: ['order'] });
      expect(open).toBe(others + 5);
      // Before: a `called` cause and a `no-message` cause, each counted as all five incidents there.
      expect(result.causes.map((c) => [c.kind, c.place.activityId, c.count, c.copiesAmong ?? false])).toEqual([
        ['message', 'ServiceTask_Mail', others, false],
        ['no-message', 'CallActivity_Pay', 5, true],
      ]);
      expect(sum(result.causes)).toBe(open);
      expect([result.withoutMessage, result.unassignedWithoutMessage]).toEqual([5, 0]);
    });
  });

  it('says without filter that the count of the place holds the copies seen there too', async () => {
    const { result, open } = await causesOf(callActivityIncidents(150), NONE);
    const atCall = result.causes.find((c) => c.place.activityId === 'CallActivity_Pay')!;
    expect([atCall.kind, atCall.count, atCall.copiesAmong]).toEqual(['no-message', 5, true]);
    // Every incident once, but the three failures behind the copies twice: at their root cause too.
    expect(sum(result.causes)).toBe(open);
    expect(result.causes.find((c) => c.place.key === 'payment')!.count).toBe(3);
  });

  it('counts every incident once without filter when the newest page holds them all', async () => {
    const { result, open } = await causesOf(callActivityIncidents(5), NONE);
    const atCall = result.causes.find((c) => c.place.activityId === 'CallActivity_Pay')!;
    expect([atCall.kind, atCall.count, atCall.copiesAmong ?? false]).toEqual(['no-message', 2, false]);
    expect(sum(result.causes)).toBe(open - 3);
  });
});

describe('check_camunda_incidents on such a call activity', () => {
  it('describes the cause by its own incident and says that copies are counted with it', async () => {
    incidentStore(callActivityIncidents(150));
    const run = await runInProcess(incidentsCheck, ['--url', MOCK_REST_URL, '-k', 'order', '--list', '5']);
    const line = run.details.find((d) => d.includes('CallActivity_Pay'))!;
    expect(line).toMatch(/^5 × failedJob in order \(v1\) at CallActivity_Pay since 6m \(new\): \(no message\) \(calling levels' copies at this call activity counted with it\)/);
    expect(run.details.join('\n')).not.toContain('in called payment');
  });
});
