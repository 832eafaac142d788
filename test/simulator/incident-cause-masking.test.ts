import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskMessage } from '../../src/camunda/message-mask';
import { generateScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { causeSizes } from '../../src/simulator/generate';
import { declaredCauses, loadCauseScenario, SCENARIOS } from '../support/incident-causes';
import { clock, query } from './fixture';

/*
 * The masking rule (src/camunda/message-mask.ts) on the cause scenarios: grouping every root
 * incident by definition key, activity, type and masked message gives exactly the causes the
 * scenario declares, and each cause's pattern counts exactly its incidents.
 */

interface IncidentDto {
  id: string;
  rootCauseIncidentId: string;
  processDefinitionId: string;
  activityId: string;
  incidentType: string;
  incidentMessage: string | null;
}

const sims: Partial<Record<keyof typeof SCENARIOS, RunningSimulator>> = {};
beforeAll(async () => {
  for (const name of Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[]) sims[name] = await startSimulator({ scenario: loadCauseScenario(name), now: clock });
});
afterAll(() => Promise.all(Object.values(sims).map((sim) => sim!.close())));

const fetchJson = async <T>(sim: RunningSimulator, path: string) => (await (await fetch(`${sim.url}${path}`)).json()) as T;

/** Root incidents grouped by key, activity, type and masked message: group sizes by a sample member. */
function causesByMask(all: IncidentDto[]): Map<string, { incident: IncidentDto; count: number }> {
  const groups = new Map<string, { incident: IncidentDto; count: number }>();
  for (const incident of all.filter((i) => i.id === i.rootCauseIncidentId)) {
    const id = [keyOf(incident), incident.activityId, incident.incidentType, maskMessage(incident.incidentMessage).text].join('\u0000');
    const group = groups.get(id);
    groups.set(id, { incident, count: (group?.count ?? 0) + 1 });
  }
  return groups;
}
const keyOf = (i: IncidentDto) => i.processDefinitionId.split(':')[0]!;

describe.each(Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[])('%s, masked', (name) => {
  it('groups into the declared causes, and each masked pattern counts its cause exactly', async () => {
    const sim = sims[name]!;
    const all = await fetchJson<IncidentDto[]>(sim, '/incident');
    const groups = causesByMask(all);
    const declared = declaredCauses(loadCauseScenario(name));
    const sizes = (list: { key: string; activityId: string; count: number }[]) => list.map((c) => `${c.key} ${c.activityId} ${c.count}`).sort();
    expect(sizes([...groups.values()].map(({ incident, count }) => ({ key: keyOf(incident), activityId: incident.activityId, count })))).toEqual(sizes(declared));

    for (const { incident, count } of groups.values()) {
      const { pattern } = maskMessage(incident.incidentMessage);
      if (pattern === undefined) continue;
      const params = { processDefinitionKeyIn: keyOf(incident), activityId: incident.activityId, incidentType: incident.incidentType, incidentMessageLike: pattern };
      expect((await fetchJson<{ count: number }>(sim, `/incident/count${query(params)}`)).count, pattern).toBe(count);
    }
  });
});

describe('generated causes=N, masked', () => {
  it('are N causes of the generated sizes, whose messages differ also where their places would not', async () => {
    const sim = await startSimulator({ scenario: generateScenario({ definitions: 20, versions: 2, incidents: 3000, causes: 300 }) });
    try {
      const groups = causesByMask(await fetchJson<IncidentDto[]>(sim, '/incident'));
      expect([...groups.values()].map((g) => g.count).sort((a, b) => b - a)).toEqual(causeSizes(3000, 300));
      expect(new Set([...groups.keys()].map((id) => id.split('\u0000')[3])).size).toBe(300);
    } finally {
      await sim.close();
    }
  });
});
