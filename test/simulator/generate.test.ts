import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../src/simulator/cli';
import { generateScenario, parseGenerateSpec, startSimulator, type IncidentSeriesScenario } from '../../src/simulator';
import { causeSizes } from '../../src/simulator/generate';
import { templatePattern } from '../support/incident-causes';
import { getOk } from './fixture';

interface Row {
  id: string;
  instances: number;
  failedJobs: number;
  incidents: { incidentType: string; incidentCount: number }[];
  definition: { key: string; version: number };
}

describe('generated engines', () => {
  it('have N definitions × M versions, instances on every version and K incidents spread over them', () => {
    const scenario = generateScenario({ definitions: 12, versions: 3, incidents: 30, instancesPerVersion: 2 });
    const [engine] = scenario.engines;
    expect(engine!.processDefinitions).toHaveLength(12);
    expect(engine!.processDefinitions!.every((d) => d.versions.length === 3)).toBe(true);
    expect(engine!.processDefinitions![0]!.key).toBe('process-01');
    expect(engine!.incidents).toHaveLength(30);
    expect(engine!.instances!.reduce((n, p) => n + (p.count ?? 1), 0)).toBe(12 * 3 * 2 + 30);
  });

  it('serve exact statistics rows: every version, failed jobs of failedJob incidents, incidents per type', async () => {
    const sim = await startSimulator({ scenario: generateScenario({ definitions: 4, versions: 5, incidents: 6 }) });
    try {
      const rows = await getOk<Row[]>(sim, '/process-definition/statistics?failedJobs=true&incidents=true');
      expect(rows).toHaveLength(20);
      const total = (pick: (row: Row) => number) => rows.reduce((n, row) => n + pick(row), 0);
      expect(total((row) => row.instances)).toBe(20 + 6);
      expect(total((row) => row.failedJobs)).toBe(3);
      expect(total((row) => row.incidents.reduce((n, i) => n + i.incidentCount, 0))).toBe(6);
      // Incident i sits on definition i % 4, version floor(i / 4) % 5 + 1.
      const first = rows.find((row) => row.definition.key === 'process-1' && row.definition.version === 1)!;
      expect(first.incidents).toEqual([{ incidentType: 'failedJob', incidentCount: 1 }]);
      const second = rows.find((row) => row.definition.key === 'process-1' && row.definition.version === 2)!;
      expect(second.incidents).toEqual([{ incidentType: 'failedJob', incidentCount: 1 }]);
      expect(rows.find((row) => row.definition.key === 'process-2' && row.definition.version === 1)!.incidents).toEqual([
        { incidentType: 'failedExternalTask', incidentCount: 1 },
      ]);
    } finally {
      await sim.close();
    }
  });

  it('build 10 000 versions with 10 000 incidents', async () => {
    const sim = await startSimulator({ scenario: generateScenario({ definitions: 1000, versions: 10, incidents: 10_000 }) });
    try {
      const { count } = await getOk<{ count: number }>(sim, '/incident/count');
      expect(count).toBe(10_000);
      expect(await getOk<unknown[]>(sim, '/process-definition/statistics')).toHaveLength(10_000);
    } finally {
      await sim.close();
    }
  });

  it('parse from the command line', () => {
    expect(parseGenerateSpec('definitions=1000,versions=10,incidents=10000')).toEqual({ definitions: 1000, versions: 10, incidents: 10000 });
    expect(parseCliArgs(['--generate', 'definitions=3']).scenario.engines[0]!.processDefinitions).toHaveLength(3);
  });

  it.each([
    ['versions=3', 'definitions=N is required'],
    ['definitions=3,colour=red', "'colour=red' is not one of definitions=N"],
    ['definitions=0', 'definitions must be a whole number from 1 to 100000'],
    ['definitions=2,versions=5000', 'versions must be a whole number from 1 to 1000'],
  ])('refuse %s', (spec, message) => {
    expect(() => parseCliArgs(['--generate', spec])).toThrow(UsageError);
    expect(() => parseCliArgs(['--generate', spec])).toThrow(message);
  });

  it('exclude a scenario file', () => {
    expect(() => parseCliArgs(['--generate', 'definitions=1', '--scenario', 'x.json'])).toThrow('--scenario and --generate exclude each other');
  });
});

describe('generated engines with causes', () => {
  const seriesOf = (spec: Parameters<typeof generateScenario>[0]) => generateScenario(spec).engines[0]!.incidents as IncidentSeriesScenario[];

  it('share the incidents out by Zipf’s law: a few large causes, many small ones, every cause at least one', () => {
    expect(causeSizes(10_000, 3)).toEqual([5454, 2727, 1819]);
    const sizes = causeSizes(10_000, 300);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(sizes.slice(0, 3)).toEqual([1545, 773, 516]);
    expect(sizes.at(-1)).toBe(6);
    expect(sizes.filter((size) => size >= 100)).toHaveLength(15);
    expect(sizes.every((size, c) => c === 0 || size <= sizes[c - 1]!)).toBe(true);
    expect(sizes.filter((size) => size < 20)).toHaveLength(sizes.length - sizes.findIndex((size) => size < 20));
    expect(causeSizes(7, 7)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('give every cause its own place and message template, spread over the versions of its key', () => {
    const series = seriesOf({ definitions: 4, versions: 3, incidents: 1000, causes: 40 });
    const byActivity = new Map<string, IncidentSeriesScenario[]>();
    for (const s of series) byActivity.set(s.activityId, [...(byActivity.get(s.activityId) ?? []), s]);
    expect(byActivity.size).toBe(40);
    expect(new Set([...byActivity.values()].map((list) => list[0]!.message)).size).toBe(40);
    for (const list of byActivity.values()) {
      expect(new Set(list.map((s) => s.definition)).size).toBe(1);
      expect(new Set(list.map((s) => s.message)).size).toBe(1);
    }
    const largest = byActivity.get('ServiceTask_Billing_1')!;
    expect(largest.map((s) => [s.definition, s.version, s.count])).toEqual([['process-1', 1, 75], ['process-1', 2, 75], ['process-1', 3, 75]]);
    expect(series.reduce((n, s) => n + s.count, 0)).toBe(1000);
    expect(new Set(series.map((s) => s.message)).size).toBe(40);
  });

  it('are reproducible and served with exact counts per cause', async () => {
    const spec = { definitions: 5, versions: 2, incidents: 600, causes: 30 };
    expect(generateScenario(spec)).toEqual(generateScenario(spec));
    const sim = await startSimulator({ scenario: generateScenario(spec) });
    const again = await startSimulator({ scenario: generateScenario(spec) });
    try {
      expect(await getOk<{ count: number }>(sim, '/incident/count')).toEqual({ count: 600 });
      const sizes = causeSizes(600, 30);
      for (const c of [0, 1, 13, 29]) {
        const [first] = seriesOf(spec).filter((s) => s.activityId.endsWith(`_${c + 1}`));
        const params = new URLSearchParams({ processDefinitionKeyIn: first!.definition, activityId: first!.activityId, incidentType: first!.type, incidentMessageLike: templatePattern(first!.message!) });
        expect(await getOk<{ count: number }>(sim, `/incident/count?${params}`)).toEqual({ count: sizes[c] });
      }
      const list = (s: typeof sim) => getOk<{ id: string; incidentMessage: string }[]>(s, '/incident?sortBy=incidentId&sortOrder=asc&maxResults=50');
      const [one, two] = await Promise.all([list(sim), list(again)]);
      expect(one.map((i) => i.id)).toEqual(two.map((i) => i.id));
      // The same messages but for {timestamp}, which follows the clock.
      const timeless = (m: string) => m.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/, 'T');
      expect(one.map((i) => timeless(i.incidentMessage))).toEqual(two.map((i) => timeless(i.incidentMessage)));
      // Ids and numbers vary inside the messages (a cause's {int:…} values may repeat, as real ones do).
      expect(new Set(one.map((i) => i.incidentMessage)).size).toBeGreaterThan(40);
    } finally {
      await Promise.all([sim.close(), again.close()]);
    }
  });

  it('parse causes=N and refuse more causes than incidents', () => {
    expect(parseGenerateSpec('definitions=100,versions=2,incidents=10000,causes=300')).toEqual({ definitions: 100, versions: 2, incidents: 10000, causes: 300 });
    expect(() => generateScenario({ definitions: 1, incidents: 5, causes: 6 })).toThrow('generate: causes must not exceed incidents (5), not 6');
    expect(() => parseCliArgs(['--generate', 'definitions=1,incidents=5,causes=0'])).toThrow('causes must be a whole number from 1 to 100000');
  });
});
