import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { CAUSE_BUDGET, requestBound } from '../../src/camunda/incident-causes';
import { runBuilt, type ProcessRun } from '../support/executables';
import { declaredCauses, declaredFor, loadCauseScenario, requestsOf, type DeclaredCause } from '../support/incident-causes';
import { validateQuery } from '../support/openapi';
import { perfValue } from '../support/run-plugin';

/*
 * check_camunda_incidents, built, run as a process against the cause scenarios of issue 15
 * (src/simulator/scenarios/incident-*.json): the exact count of every cause it shows, the causes
 * and new_causes perfdata, the states with the cause thresholds, and the requests each run costs,
 * from the simulator's request log. What a cause should count comes from the scenario files
 * (test/support/incident-causes.ts), not from the check's own masking.
 */

const CHECK = 'check_camunda_incidents';

interface CauseLine {
  readonly count: number;
  readonly type: string;
  readonly key: string;
  readonly versions: string;
  readonly activity: string;
  readonly age: string;
  readonly message: string;
}

/** `2400 × failedJob in invoice (v2, v3) at ServiceTask_PostToSAP since 2h 2m (newest 1m ago): Posting …`. */
function causeLines(run: ProcessRun): CauseLine[] {
  const start = run.details.indexOf('Causes, largest first:');
  if (start < 0) return [];
  const lines: CauseLine[] = [];
  for (const line of run.details.slice(start + 1)) {
    const match = /^(\d+) × (\S+) in (\S+)(?: \(([^)]*)\))? at (\S+) (.+?): (.*)$/.exec(line);
    if (!match) break;
    const [, count, type, key, versions = '', activity, age, message] = match;
    lines.push({ count: Number(count), type: type!, key: key!, versions, activity: activity!, age: age!, message: message! });
  }
  return lines;
}

/** The declared cause a shown line stands for (a called cause's message after its `in called … at …: `). */
const declaredForLine = (line: CauseLine, declared: readonly DeclaredCause[]) =>
  declaredFor({ ...line, message: line.message.replace(/^in called \S+ \([^)]*\) at \S+: /, '') }, declared);

/** The scenario with every incident series `factor` times smaller (at least one incident). */
function scaledDown(scenario: Scenario, factor: number): Scenario {
  const [engine] = scenario.engines;
  const incidents = (engine!.incidents ?? []).map((i) => ('count' in i ? { ...i, count: Math.max(1, Math.round(i.count / factor)), every: undefined } : i));
  return { ...scenario, engines: [{ ...engine!, incidents }] };
}

const scenarios = { outage: loadCauseScenario('outage'), mixedDay: loadCauseScenario('mixedDay'), newCause: loadCauseScenario('newCause') };
const sims: Partial<Record<keyof typeof scenarios, RunningSimulator>> = {};
beforeAll(async () => {
  for (const name of Object.keys(scenarios) as (keyof typeof scenarios)[]) sims[name] = await startSimulator({ scenario: scenarios[name] });
});
afterAll(() => Promise.all(Object.values(sims).map((sim) => sim!.close())));

/** Shown cause lines with the declared cause each stands for; every count must be that cause's. */
function expectExactCounts(lines: readonly CauseLine[], declared: readonly DeclaredCause[]): DeclaredCause[] {
  return lines.map((line) => {
    const cause = declaredForLine(line, declared);
    expect(cause, `a declared cause for: ${line.count} × ${line.type} in ${line.key} at ${line.activity}: ${line.message}`).toBeDefined();
    expect(line.count, `${line.key} ${line.activity}: ${line.message}`).toBe(cause!.count);
    return cause!;
  });
}

describe('check_camunda_incidents on an outage (incident-outage.json)', () => {
  it('shows 2 400 incidents of one SAP outage as one cause, the three older causes below, all counted exactly, in 17 requests', async () => {
    const sim = sims.outage!;
    const { result, byPath } = await requestsOf(sim, () => runBuilt(CHECK, ['--url', sim.url]));
    expect(result.code).toBe(1);
    expect(result.status).toMatch(/^CAMUNDA INCIDENTS WARNING - 2404 open incidents \(warning\), \d+ new in the last 15m, oldest 8d, 4 causes: largest 2400 × failedJob in invoice at ServiceTask_PostToSAP: Posting of invoice /);
    expect(result.perfdata).toMatchObject({ incidents: '2404;0;;0', causes: '4;;;0', new_causes: '0;;;0' });
    const lines = causeLines(result);
    expect(lines.map((l) => [l.count, l.key, l.versions, l.activity])).toEqual([
      [2400, 'invoice', 'v2, v3', 'ServiceTask_PostToSAP'],
      [2, 'order', 'v1, v2', 'ServiceTask_SendConfirmation'],
      [1, 'customerOnboarding', 'v4', 'Task_ScoreCustomer'],
      [1, 'invoice', 'v1', 'ServiceTask_NotifyApprover'],
    ]);
    expectExactCounts(lines, declaredCauses(scenarios.outage));
    expect(lines[0]!.age).toMatch(/^since 2h \dm \(newest 1m ago\)$/);
    expect(lines[0]!.message).toMatch(/^Posting of invoice 51000\d{5} to SAP failed: com\.sap\.conn\.jco\.JCoException: \(102\) JCO_ERROR_COMMUNICATION: Connect to SAP gateway failed/);
    expect(result.details.filter((line) => /no counted cause|not shown/.test(line))).toEqual([]);
    // Counts: open, new, with a message, 4 causes; lists: newest and oldest page, 4 spread pages by
    // time, 4 small pages by message and by activity. The oldest page holds every cause's first
    // incident, the pages each cause's call chain.
    expect(byPath).toEqual({ '/incident/count': 7, '/incident': 10 });
  });

  it('sends as many requests for 2 404 incidents as for 244', async () => {
    const small = await startSimulator({ scenario: scaledDown(scenarios.outage, 10) });
    try {
      const { result, byPath } = await requestsOf(small, () => runBuilt(CHECK, ['--url', small.url]));
      expect(result.perfdata).toMatchObject({ incidents: '244;0;;0', causes: '4;;;0' });
      expect(causeLines(result).map((l) => l.count)).toEqual([240, 2, 1, 1]);
      expect(byPath).toEqual({ '/incident/count': 7, '/incident': 10 });
    } finally {
      await small.close();
    }
  });

  it('judges the number of causes, not the volume: --causes-warning/--causes-critical, --new-causes-critical', async () => {
    const sim = sims.outage!;
    const critical = await runBuilt(CHECK, ['--url', sim.url, '-w', '', '--causes-warning', '2', '--causes-critical', '3']);
    expect(critical.code).toBe(2);
    expect(critical.status).toMatch(/^CAMUNDA INCIDENTS CRITICAL - 2404 open incidents, \d+ new in the last 15m, oldest 8d, 4 causes \(critical\): largest 2400 × /);
    expect(critical.perfdata.causes).toBe('4;2;3;0');
    const warning = await runBuilt(CHECK, ['--url', sim.url, '-w', '', '--causes-warning', '3', '--causes-critical', '4']);
    expect(warning.code).toBe(1);
    expect(warning.status).toContain(', 4 causes (warning): ');
    // Hundreds of new incidents, but of a cause that began two hours ago: no new kind of problem.
    const calm = await runBuilt(CHECK, ['--url', sim.url, '-w', '', '--new-causes-critical', '0']);
    expect(calm.code).toBe(0);
    expect(perfValue(calm, 'new_incidents')).toBeGreaterThan(200);
    expect(calm.perfdata.new_causes).toBe('0;;0;0');
  });
});

describe('check_camunda_incidents on an outage with one incident of another kind an hour ago', () => {
  /** The case: besides 2 400 incidents of the outage, one of another kind, a little older, in the middle of them. */
  const withOther = (): Scenario => {
    const scenario = structuredClone(scenarios.outage);
    const engine = scenario.engines[0]!;
    engine.instances!.push({ ref: 'order-reserve', definition: 'order', version: 2, businessKey: 'SO-8990', started: '2h' });
    engine.incidents!.push({ instance: 'order-reserve', type: 'failedJob', activityId: 'ServiceTask_ReserveStock', message: 'Stock service answered 409 Conflict for order SO-8990', ago: '1h' });
    return scenario;
  };
  const reserve = (run: ProcessRun) => causeLines(run).filter((l) => l.activity === 'ServiceTask_ReserveStock');

  // Found by the pages sorted by message and by activity (the pages by time miss it).
  it('shows it, counted, in 20 requests', async () => {
    const sim = await startSimulator({ scenario: withOther() });
    try {
      const { result, byPath } = await requestsOf(sim, () => runBuilt(CHECK, ['--url', sim.url]));
      expect(result.perfdata).toMatchObject({ incidents: '2405;0;;0', causes: '5;;;0' });
      expect(result.status).toContain(', 5 causes: largest 2400 × ');
      expectExactCounts(causeLines(result), declaredCauses(withOther()));
      expect(reserve(result).map((l) => [l.count, l.versions, l.age, l.message])).toEqual([[1, 'v2', '1h ago', 'Stock service answered 409 Conflict for order SO-8990']]);
      expect(result.details.filter((line) => line.includes('no counted cause'))).toEqual([]);
      // One count more for the fifth cause; its first incident and its call chain are not in a page by time.
      expect(byPath).toEqual({ '/incident/count': 8, '/incident': 12 });
    } finally {
      await sim.close();
    }
  });
});

describe('check_camunda_incidents on an outage with failures without message an hour ago', () => {
  // Root incidents without message (a NullPointerException's message is null) never match
  // incidentMessageLike=%: found by the page sorted by message, where NULL sorts at an end.
  it('shows them as a cause of their own, counted', async () => {
    const scenario = structuredClone(scenarios.outage);
    scenario.engines[0]!.incidents!.push({ count: 3, definition: 'order', type: 'failedJob', activityId: 'ServiceTask_ReserveStock', message: null, ago: '1h', every: '10s' });
    const sim = await startSimulator({ scenario });
    try {
      const { result, byPath } = await requestsOf(sim, () => runBuilt(CHECK, ['--url', sim.url]));
      expect(result.perfdata).toMatchObject({ incidents: '2407;0;;0', causes: '5;;;0' });
      expect(causeLines(result).map((l) => [l.count, l.key, l.activity, l.message])).toEqual([
        [2400, 'invoice', 'ServiceTask_PostToSAP', expect.stringMatching(/^Posting of invoice/)],
        [3, 'order', 'ServiceTask_ReserveStock', '(no message)'],
        [2, 'order', 'ServiceTask_SendConfirmation', expect.stringMatching(/^Mail server connection failed/)],
        [1, 'customerOnboarding', 'Task_ScoreCustomer', expect.any(String)],
        [1, 'invoice', 'ServiceTask_NotifyApprover', expect.any(String)],
      ]);
      expect(result.details.filter((line) => line.includes('no counted cause'))).toEqual([]);
      expect(byPath).toEqual({ '/incident/count': 9, '/incident': 12 });
    } finally {
      await sim.close();
    }
  });
});

describe('check_camunda_incidents on a mixed day (incident-mixed-day.json)', () => {
  const declared = declaredCauses(scenarios.mixedDay);

  it('shows the causes it finds with exact counts and accounts for the incidents of the others', async () => {
    const sim = sims.mixedDay!;
    const { result, total } = await requestsOf(sim, () => runBuilt(CHECK, ['--url', sim.url, '--list', '40']));
    expect(result.code).toBe(1);
    expect(result.status).toMatch(/^CAMUNDA INCIDENTS WARNING - 912 open incidents \(warning\), \d+ new in the last 15m, oldest 23h 30m, (at least )?\d+ causes: largest 230 × failedJob in shipping at ServiceTask_BookShipment/);
    const lines = causeLines(result);
    const shown = expectExactCounts(lines, declared);
    expect(new Set(shown).size).toBe(shown.length);
    expect(lines.map((l) => l.count)).toEqual([...lines.map((l) => l.count)].sort((a, b) => b - a));
    expect(lines.slice(0, 3).map((l) => [l.count, l.key, l.versions])).toEqual([[230, 'shipping', 'v2'], [140, 'orderToCash', 'v6, v7'], [85, 'creditCheck', 'v2']]);
    // A failure in a called instance counts once, at its root cause, with the top-level instance; never a copy as a cause.
    expect(lines.filter((l) => l.activity.startsWith('CallActivity_'))).toEqual([]);
    expect(lines[2]!.message).toMatch(/; called \(1 call level\) from customerOnboarding \(v9\), top-level instance [0-9a-f-]{36}$/);
    // Causes the samples did not show: their incidents with a message are said to be in no counted cause.
    const missing = declared.filter((c) => !shown.includes(c));
    const missingWithMessage = missing.filter((c) => c.pattern !== undefined).reduce((n, c) => n + c.count, 0);
    const accounted = result.details.filter((line) => line.includes('open incidents with a message are in no counted cause'));
    if (missingWithMessage === 0) expect(accounted).toEqual([]);
    else expect(accounted).toEqual([expect.stringMatching(new RegExp(`^${missingWithMessage} of the 806 open incidents with a message are in no counted cause .*: at least ${perfValue(result, 'causes')} causes, the counts above are exact$`))]);
    // Without message: the 103 calling-level copies and the 3 NullPointerExceptions, less those shown.
    const withoutMessageShown = lines.filter((l) => l.message === '(no message)').reduce((n, l) => n + l.count, 0);
    expect(result.details.filter((line) => line.includes('open incidents without message'))).toEqual([
      expect.stringMatching(new RegExp(`^${106 - withoutMessageShown} of the 106 open incidents without message are in no counted cause: calling levels' copies`)),
    ]);
    expect(perfValue(result, 'causes')).toBeGreaterThanOrEqual(lines.length);
    expect(perfValue(result, 'causes')).toBeLessThanOrEqual(declared.length);
    // With the budget of this writing: 22 of the 32 causes shown (the samples hold 300 of the 912 incidents), 118
    // incidents with a message in causes not shown, 50 requests (25 counts; 25 lists: 6 sample pages, first
    // incidents, call chains). The assertions hold for any sampling that shows exact counts and says what it misses.
    expect(total).toBeLessThanOrEqual(requestBound(1, { ...CAUSE_BUDGET, described: 40 }) + 3);
  });

  it('finds every cause of each definition with -k, exactly, and a failure in a called instance at the call activity', async () => {
    const sim = sims.mixedDay!;
    const called: Record<string, [string, number]> = { orderToCash: ['CallActivity_CollectPayment', 18], customerOnboarding: ['CallActivity_CreditCheck', 85] };
    for (const key of new Set(declared.map((c) => c.key))) {
      const { result, total } = await requestsOf(sim, () => runBuilt(CHECK, ['--url', sim.url, '-k', key, '--list', '40']));
      const ofKey = declared.filter((c) => c.key === key);
      const lines = causeLines(result);
      const own = lines.filter((l) => l.activity !== called[key]?.[0]);
      expect(new Set(expectExactCounts(own, ofKey)).size, key).toBe(ofKey.length);
      if (called[key]) {
        const [activity, count] = called[key]!;
        const copies = lines.filter((l) => l.activity === activity);
        expect(copies.map((l) => l.count), key).toEqual([count]);
        expect(copies[0]!.message).toMatch(/^in called (paymentCollection \(v3\) at ServiceTask_StorePayment|creditCheck \(v2\) at ServiceTask_QueryCreditAgency): /);
      }
      expect(perfValue(result, 'causes'), key).toBe(ofKey.length + (called[key] ? 1 : 0));
      expect(result.details.filter((line) => /no counted cause/.test(line)), key).toEqual([]);
      expect(total, key).toBeLessThanOrEqual(requestBound(1, { ...CAUSE_BUDGET, described: 40 }) + 3);
    }
  });

  it('shows a cause without message (a NullPointerException) as such, counted', async () => {
    const sim = sims.mixedDay!;
    const result = await runBuilt(CHECK, ['--url', sim.url, '-k', 'reporting']);
    expect(causeLines(result).map((l) => [l.count, l.activity, l.message])).toEqual([
      [3, 'ServiceTask_AggregateKpis', '(no message)'],
      [1, 'ServiceTask_ArchiveEvents', 'ORA-01653: unable to extend table REPORTING.EVENT_LOG by 1024 in tablespace USERS_DATA'],
    ]);
  });

  it('bounds the causes shown with --list', async () => {
    const sim = sims.mixedDay!;
    const result = await runBuilt(CHECK, ['--url', sim.url, '--list', '5']);
    const lines = causeLines(result);
    expect(lines.map((l) => l.count)).toEqual([230, 140, 85, 64, 40]);
    expect(result.details[lines.length + 1]).toMatch(/^\d+ more causes not shown \(--list 5\)$/);
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(8192);
  });
});

describe('check_camunda_incidents with a new cause (incident-new-cause.json)', () => {
  it('is CRITICAL with --new-causes-critical 0 on the one cause whose first incident is 6 minutes old, in 3 requests', async () => {
    const sim = sims.newCause!;
    const { result, byPath } = await requestsOf(sim, () => runBuilt(CHECK, ['--url', sim.url, '--new-causes-critical', '0']));
    expect(result.code).toBe(2);
    expect(result.status).toMatch(
      /^CAMUNDA INCIDENTS CRITICAL - 59 open incidents \(warning\), 4 new in the last 15m, oldest 2d 18h, 5 causes, 1 new cause \(critical\): largest 34 × failedJob in orderToCash at ServiceTask_PostOrder/,
    );
    expect(result.perfdata).toMatchObject({ incidents: '59;0;;0', causes: '5;;;0', new_causes: '1;;0;0' });
    const lines = causeLines(result);
    expectExactCounts(lines, declaredCauses(scenarios.newCause));
    expect(lines.map((l) => l.count)).toEqual([34, 12, 7, 3, 3]);
    const fresh = lines.filter((l) => l.age.endsWith('(new)'));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({ count: 3, type: 'failedExternalTask', key: 'claims', versions: 'v4', activity: 'Task_Score', age: 'since 6m (newest 2m ago) (new)' });
    expect(fresh[0]!.message).toMatch(/^Scoring service answered 500 Internal Server Error: feature 'claimHistory' missing in request [0-9a-f-]{36}$/);
    // The old SAP cause had an incident a minute ago: recent, not new.
    expect(lines[0]!.age).toBe('since 2d 18h (newest 1m ago)');
    // 59 incidents fit the newest page (shorter than its 100): the causes are counted in it, so only open and new are counts.
    expect(byPath).toEqual({ '/incident/count': 2, '/incident': 1 });
  });

  it('warns with --new-causes-warning, and a shorter --new-window makes the cause old', async () => {
    const sim = sims.newCause!;
    const warning = await runBuilt(CHECK, ['--url', sim.url, '-w', '', '--new-causes-warning', '0', '--new-causes-critical', '2']);
    expect(warning.code).toBe(1);
    expect(warning.status).toContain(', 5 causes, 1 new cause (warning): ');
    expect(warning.perfdata.new_causes).toBe('1;0;2;0');
    const later = await runBuilt(CHECK, ['--url', sim.url, '-w', '', '--new-window', '5m', '--new-causes-critical', '0']);
    expect(later.code).toBe(0);
    expect(later.perfdata.new_causes).toBe('0;;0;0');
    expect(causeLines(later).filter((l) => l.age.endsWith('(new)'))).toEqual([]);
  });
});

describe('check_camunda_incidents when one cause’s pattern also matches another cause’s messages', () => {
  /*
   * `Timeout after 49s` masks to `Timeout after …`, whose pattern `Timeout after %` also matches
   * `Timeout after 22s: retry 2 of 3` (masked `Timeout after …: retry … of …`) at the same place: the
   * first cause's count includes the second's, which must be subtracted (incident-causes.ts, exactCounts).
   * 300 incidents of the first cause one a minute, 3 of the second, `at` minutes old.
   */
  const nested = (at: string): Scenario => ({
    engines: [{
      name: 'default',
      processDefinitions: [{ key: 'billing', versions: [{ version: 1 }] }],
      incidents: [
        { count: 300, definition: 'billing', type: 'failedJob', activityId: 'ServiceTask_Charge', message: 'Timeout after {int:10-99}s', ago: '1m', every: '1m' },
        { count: 3, definition: 'billing', type: 'failedJob', activityId: 'ServiceTask_Charge', message: 'Timeout after {int:10-99}s: retry 2 of 3', ago: at, every: '1m' },
      ],
    }],
  });
  const run = async (scenario: Scenario) => {
    const sim = await startSimulator({ scenario });
    try {
      return await runBuilt(CHECK, ['--url', sim.url]);
    } finally {
      await sim.close();
    }
  };

  it('subtracts the nested cause when the samples show it', async () => {
    const result = await run(nested('30s'));
    expect(causeLines(result).map((l) => [l.count, l.message.replace(/\d+s/, 'Ns')])).toEqual([[300, 'Timeout after Ns'], [3, 'Timeout after Ns: retry 2 of 3']]);
    expect(result.perfdata.causes).toBe('2;;;0');
  });

  // Between the pages by time (descending offsets 100-102: after the newest page 0-99, before the
  // first spread page at 108) the nested cause is found by the pages by message; were it in no page,
  // the outer count would include it (303), a limit docs/check_camunda_incidents.md names.
  it('subtracts it also when the pages by time miss it', async () => {
    const result = await run(nested('1h40m30s'));
    expect(causeLines(result).map((l) => l.count)).toEqual([300, 3]);
    expect(result.perfdata.causes).toBe('2;;;0');
  });
});

describe('the requests of all these runs', () => {
  it('are requests Camunda 7.15 defines, with no parameter the simulator ignored (every filter was applied)', () => {
    const requests = Object.values(sims).flatMap((sim) => sim!.requests);
    expect(requests.length).toBeGreaterThan(100);
    expect(requests.flatMap((r) => validateQuery(r.method, r.path, r.query).map((e) => `${r.path}: ${e}`))).toEqual([]);
    expect(requests.filter((r) => r.ignored.length > 0).map((r) => `${r.path}: ${r.ignored.join(', ')}`)).toEqual([]);
    expect(requests.filter((r) => r.status !== 200).map((r) => `${r.path} ${r.status}`)).toEqual([]);
  });
});
