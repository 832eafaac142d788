import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { parseCliArgs } from '../../src/simulator/cli';
import { checkScenario } from '../../src/simulator/scenario';
import { validateQuery } from '../support/openapi';
import { clock, get, getOk } from './fixture';

/** GET /schema/log: the rows the create and update scripts wrote, sorted and paged like SchemaLogQueryDto does. */

const updated: Scenario = {
  camundaVersion: '7.22.0',
  engines: [
    {
      name: 'default',
      schemaLog: [
        { version: '7.20.0', ago: '400d' },
        { version: '7.21.0', ago: '200d' },
        { version: '7.21.1', ago: '150d' },
        { version: '7.22.0', ago: '2d' },
      ],
    },
    { name: 'hidden', schemaLog: [] },
    { name: 'fresh' },
  ],
};

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: updated, now: clock });
});
afterAll(() => sim.close());

describe('GET /schema/log', () => {
  it('lists every row, by id unless sorted', async () => {
    const rows = await getOk<{ id: string; version: string; timestamp: string }[]>(sim, '/schema/log');
    expect(rows.map((r) => `${r.id} ${r.version}`)).toEqual(['0 7.20.0', '1 7.21.0', '2 7.21.1', '3 7.22.0']);
    expect(rows[3]!.timestamp).toBe('2024-02-28T12:00:00.000+0000');
  });

  it('sorts by timestamp, pages, and filters by version', async () => {
    const query = { sortBy: 'timestamp', sortOrder: 'desc', firstResult: '0', maxResults: '2' };
    expect(validateQuery('GET', '/schema/log', query)).toEqual([]);
    const newest = await getOk<{ version: string }[]>(sim, `/schema/log?${new URLSearchParams(query)}`);
    expect(newest.map((r) => r.version)).toEqual(['7.22.0', '7.21.1']);
    expect((await getOk<{ id: string }[]>(sim, '/schema/log?version=7.21.0')).map((r) => r.id)).toEqual(['1']);
  });

  it('answers a sorting it does not know with 400, as the engine does', async () => {
    const answer = await get(sim, '/schema/log?sortBy=version&sortOrder=desc');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ type: 'InvalidRequestException', message: "Cannot set query parameter 'sortBy' to value 'version'" });
  });

  it('is per engine: empty for a user outside camunda-admin, one row for a database created on camundaVersion', async () => {
    expect(await getOk(sim, '/engine/hidden/schema/log')).toEqual([]);
    expect((await getOk<{ version: string }[]>(sim, '/engine/fresh/schema/log')).map((r) => r.version)).toEqual(['7.22.0']);
    expect((await get(sim, '/engine/nonexistent/schema/log')).status).toBe(400);
  });

  it('rejects a schema log row without a version', () => {
    expect(() => checkScenario({ engines: [{ name: 'default', schemaLog: [{ ago: '1d' }] }] })).toThrow('engines[0].schemaLog[0].version: expected a non-empty string');
  });
});

describe('--camunda-version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulator-version-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(updated));

  it('overrides the scenario version, so several processes on one file play the nodes of one cluster', () => {
    expect(parseCliArgs(['--scenario', file]).scenario.camundaVersion).toBe('7.22.0');
    expect(parseCliArgs(['--scenario', file, '--camunda-version', '7.21.0']).scenario.camundaVersion).toBe('7.21.0');
    expect(() => parseCliArgs(['--scenario', file, '--camunda-version', ' '])).toThrow('--camunda-version: empty value');
  });
});
