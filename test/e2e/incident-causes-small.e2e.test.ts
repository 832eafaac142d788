import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { runBuilt } from '../support/executables';

/*
 * On a small engine (the demo scenario: 7 open incidents in 6 causes) the newest page is every
 * incident, so the built checks group and count the causes in it (src/camunda/incident-causes.ts,
 * causesFromWholePages): no count per cause, no `%` count, no oldest page.
 */

let engine: RunningSimulator;

beforeAll(async () => {
  engine = await startSimulator({ scenario: loadScenario('src/simulator/scenarios/demo.json') });
});

afterAll(async () => {
  await engine?.close();
});

const requestsOf = async (run: () => Promise<unknown>) => {
  const before = engine.requests.length;
  await run();
  return engine.requests.slice(before).map((r) => `${r.path}${r.query.maxResults ? ` ${r.query.maxResults}` : ''}`);
};

describe('the cause grouping on a small engine, as processes', () => {
  it('check_camunda_incidents: 6 causes of the 7 incidents, exact, in 3 requests', async () => {
    let status = '';
    const requests = await requestsOf(async () => {
      const result = await runBuilt('check_camunda_incidents', ['--url', engine.url]);
      status = result.status;
      expect(result.details.slice(1).map((line) => line.split(' × ')[0])).toEqual(['1', '1', '1', '1', '1', '1']);
    });
    expect(status).toMatch(/^CAMUNDA INCIDENTS WARNING - 7 open incidents \(warning\), 2 new in the last 15m, oldest 3d 4h, 6 causes, 2 new causes: /);
    expect(requests).toEqual(['/incident/count', '/incident/count', '/incident 100']);
  });

  it('check_camunda_definition: every cause under its definition, no "not listed" note, one request for the causes', async () => {
    let details: string[] = [];
    const requests = await requestsOf(async () => {
      details = (await runBuilt('check_camunda_definition', ['--url', engine.url])).details;
    });
    expect(details.filter((line) => line.startsWith('  '))).toHaveLength(6);
    expect(details.some((line) => line.startsWith('Causes:'))).toBe(false);
    expect(requests).toEqual(['/process-definition/statistics', '/incident 50']);
  });
});
