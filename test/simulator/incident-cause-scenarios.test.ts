import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { declaredCauses, escapeLike, loadCauseScenario, SCENARIOS, type DeclaredCause } from '../support/incident-causes';
import { clock, getOk, query } from './fixture';

/*
 * The scenarios of issue 15 (incidents grouped by cause) as the checks will see them: per cause an
 * exact /incident/count with processDefinitionKeyIn, activityId, incidentType and incidentMessageLike.
 * The engine passes incidentMessageLike verbatim into `RES.INCIDENT_MSG_ like #{incidentMessageLike}
 * ESCAPE ${escapeChar}` (engine/src/main/resources/org/camunda/bpm/engine/impl/mapping/entity/Incident.xml:152-154),
 * with a backslash as escape character on every database (DbSqlSessionFactory.java:119, :217), and
 * `null LIKE x` is never true: the calling-level copies, which have no message
 * (IncidentEntity.java:82-111), never match.
 */

const sims: Record<string, RunningSimulator> = {};
const scenarios: Record<string, Scenario> = {};
beforeAll(async () => {
  for (const name of Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[]) {
    scenarios[name] = loadCauseScenario(name);
    sims[name] = await startSimulator({ scenario: scenarios[name]!, now: clock });
  }
});
afterAll(() => Promise.all(Object.values(sims).map((sim) => sim.close())));

const count = async (sim: RunningSimulator, params: Record<string, string>) => (await getOk<{ count: number }>(sim, `/incident/count${query(params)}`)).count;
const causeFilter = (cause: DeclaredCause) => ({ processDefinitionKeyIn: cause.key, activityId: cause.activityId, incidentType: cause.type });

/** Every declared cause with a message counted exactly by its pattern; returns the counts. */
async function countEachCause(name: string): Promise<number[]> {
  const counts: number[] = [];
  for (const cause of declaredCauses(scenarios[name]!)) {
    if (cause.pattern === undefined) continue;
    const counted = await count(sims[name]!, { ...causeFilter(cause), incidentMessageLike: cause.pattern });
    expect(counted, `${cause.key} ${cause.activityId}: ${cause.pattern}`).toBe(cause.count);
    counts.push(counted);
  }
  return counts;
}

describe('incident-outage.json', () => {
  it('has 2400 incidents of one cause across invoice v2 and v3 over two hours, and three older ones', async () => {
    const causes = declaredCauses(scenarios.outage!);
    expect(causes.map((c) => [c.count, c.key, c.versions.join(','), c.activityId])).toEqual([
      [2400, 'invoice', '2,3', 'ServiceTask_PostToSAP'],
      [2, 'order', '1,2', 'ServiceTask_SendConfirmation'],
      [1, 'customerOnboarding', '4', 'Task_ScoreCustomer'],
      [1, 'invoice', '1', 'ServiceTask_NotifyApprover'],
    ]);
    expect(await countEachCause('outage')).toEqual([2400, 2, 1, 1]);
    expect(await count(sims.outage!, {})).toBe(2404);
    expect(causes[0]!.firstAgoMs).toBeGreaterThan(parseDurationHours(1.9));
    expect(causes[0]!.firstAgoMs).toBeLessThan(parseDurationHours(2.1));
  });

  it('varies document numbers, times and counters inside the messages of the one cause', async () => {
    const newest = await getOk<{ incidentMessage: string }[]>(sims.outage!, `/incident${query({ activityId: 'ServiceTask_PostToSAP', sortBy: 'incidentTimestamp', sortOrder: 'desc', maxResults: '50' })}`);
    const messages = newest.map((i) => i.incidentMessage);
    expect(new Set(messages).size).toBe(50);
    expect(new Set(messages.map((m) => /invoice (\d+)/.exec(m)![1])).size).toBe(50);
    expect(messages[0]).toMatch(/^Posting of invoice 51000\d{5} to SAP failed: com\.sap\.conn\.jco\.JCoException: \(102\) JCO_ERROR_COMMUNICATION: \nConnect to SAP gateway failed\n/);
    expect(messages[0]).toContain('\nTIME        2024-03-01T11:59:00.000Z\n');
  });
});

describe('incident-mixed-day.json', () => {
  it('has 32 causes over a day, from 230 incidents down to single ones, in 9 definitions', async () => {
    const causes = declaredCauses(scenarios.mixedDay!);
    expect(causes).toHaveLength(32);
    expect(causes.map((c) => c.count)).toEqual([230, 140, 85, 64, 40, 31, 30, 25, 19, 18, 15, 12, 12, 11, 9, 9, 7, 6, 6, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 1, 1, 1]);
    expect(new Set(causes.map((c) => c.key)).size).toBe(9);
    expect(new Set(causes.map((c) => c.type))).toEqual(new Set(['failedJob', 'failedExternalTask', 'missingDocument']));
    expect(Math.max(...causes.map((c) => c.firstAgoMs))).toBeLessThanOrEqual(parseDurationHours(24));
    // 31 causes with a message, counted exactly; one (reporting's NullPointerException) has none.
    const counts = await countEachCause('mixedDay');
    expect(counts).toHaveLength(31);
    expect(await count(sims.mixedDay!, { incidentMessageLike: '%' })).toBe(counts.reduce((a, b) => a + b, 0));
  });

  it('tells causes apart at one place by their message, and one message at several places', async () => {
    const at = (key: string, activityId: string) => declaredCauses(scenarios.mixedDay!).filter((c) => c.key === key && c.activityId === activityId).map((c) => c.count);
    expect(at('invoice', 'ServiceTask_PostToSAP')).toEqual([12, 12]); // logon failure and gateway down
    expect(at('dunning', 'ServiceTask_SendReminder')).toEqual([9, 2]); // connection refused and authentication
    const mail = declaredCauses(scenarios.mixedDay!).filter((c) => c.template?.startsWith('Mail server connection failed'));
    expect(mail.map((c) => [c.key, c.count])).toEqual([['dunning', 9], ['invoice', 3]]);
    expect(await count(sims.mixedDay!, { activityId: 'ServiceTask_SendReminder', incidentMessageLike: escapeLike('Mail server connection failed;') + '%' })).toBe(12);
  });

  it('counts failures in called instances once: the calling-level copies carry no message and never match a pattern', async () => {
    for (const [caller, callActivity, failures] of [['orderToCash', 'CallActivity_CollectPayment', 18], ['customerOnboarding', 'CallActivity_CreditCheck', 85]] as const) {
      expect(await count(sims.mixedDay!, { processDefinitionKeyIn: caller, activityId: callActivity })).toBe(failures);
      expect(await count(sims.mixedDay!, { processDefinitionKeyIn: caller, activityId: callActivity, incidentMessageLike: '%' })).toBe(0);
      expect(await count(sims.mixedDay!, { processDefinitionKeyIn: caller, incidentMessageLike: '%' })).toBe(
        declaredCauses(scenarios.mixedDay!).filter((c) => c.key === caller).reduce((n, c) => n + c.count, 0),
      );
    }
    // Every incident: the declared ones, the 103 copies; only the 3 without message and the copies lack one.
    expect(await count(sims.mixedDay!, {})).toBe(809 + 103);
    expect(await count(sims.mixedDay!, { incidentMessageLike: '%' })).toBe(809 - 3);
  });

  it('matches % and _ in a message only when escaped with a backslash, [ literally', async () => {
    const search = { processDefinitionKeyIn: 'orderToCash', activityId: 'Task_SearchCustomer' };
    expect(await count(sims.mixedDay!, { ...search, incidentMessageLike: '%?q=M\\%C3\\%BCller\\_GmbH&%' })).toBe(6);
    expect(await count(sims.mixedDay!, { ...search, incidentMessageLike: '%?q=M\\%D%' })).toBe(0);
    // Unescaped, % and _ are wildcards: the same text matches, and so does another.
    expect(await count(sims.mixedDay!, { ...search, incidentMessageLike: '%?q=M%C3%BCller_GmbH&%' })).toBe(6);
    expect(await count(sims.mixedDay!, { incidentMessageLike: '%tablespace USERS\\_DATA' })).toBe(1);
    expect(await count(sims.mixedDay!, { incidentMessageLike: '%tablespace USERS\\_DAT' })).toBe(0);
    expect(await count(sims.mixedDay!, { incidentMessageLike: '404 Not Found: [{"error":"customer %' })).toBe(7);
  });
});

describe('incident-new-cause.json', () => {
  it('has four old causes and one whose first incident is 6 minutes old', async () => {
    const causes = declaredCauses(scenarios.newCause!);
    expect(causes.map((c) => [c.count, c.key, c.activityId, c.firstAgoMs / 60_000])).toEqual([
      [34, 'orderToCash', 'ServiceTask_PostOrder', 2 * 24 * 60 + 3 * 6 * 60],
      [12, 'claimHandling', 'ServiceTask_LoadClaim', 5 * 60 + 55],
      [7, 'claims', 'Task_Score', 2 * 24 * 60 + 18 * 60],
      [3, 'claims', 'Task_Score', 6],
      [3, 'dunning', 'ServiceTask_SendReminder', 24 * 60 + 4 * 60],
    ]);
    // The old SAP cause had an incident a minute ago: recent, but not new.
    expect(causes[0]!.newestAgoMs).toBe(60_000);
    expect(await countEachCause('newCause')).toEqual([34, 12, 7, 3, 3]);
    const fresh = await count(sims.newCause!, { incidentTimestampAfter: '2024-03-01T11:45:00.000+0000' });
    expect(fresh).toBe(4); // the new cause's 3 and the old SAP cause's newest
  });
});

describe('the scenarios as the engine stores them', () => {
  it('keep every message within the 666 characters the engine stores (StringUtil.java:47 DB_MAX_STRING_LENGTH)', async () => {
    for (const sim of Object.values(sims)) {
      const messages = (await getOk<{ incidentMessage: string | null }[]>(sim, '/incident')).map((i) => i.incidentMessage ?? '');
      expect(Math.max(...messages.map((m) => m.length))).toBeLessThanOrEqual(666);
    }
  });
});

function parseDurationHours(hours: number): number {
  return hours * 3_600_000;
}
