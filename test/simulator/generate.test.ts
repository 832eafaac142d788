import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../src/simulator/cli';
import { generateScenario, parseGenerateSpec, startSimulator } from '../../src/simulator';
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
