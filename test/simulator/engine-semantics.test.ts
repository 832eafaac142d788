import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { checkScenario, loadScenario } from '../../src/simulator/scenario';
import { validateQuery } from '../support/openapi';
import { clock, getOk, query } from './fixture';

/*
 * The simulator where the engine's source says how Camunda stores things: call hierarchies,
 * job locks and suspensions cascading from process definitions to job definitions.
 */
const scenario: Scenario = {
  camundaVersion: '7.24.0',
  engines: [
    {
      name: 'default',
      processDefinitions: [
        { key: 'parent', versions: [{ version: 1, suspended: true }, { version: 2 }] },
        { key: 'child', versions: [{ version: 1 }] },
      ],
      instances: [
        { ref: 'p', id: 'pi-parent', definition: 'parent' },
        { ref: 'c', id: 'pi-child', definition: 'child', calledBy: { instance: 'p', activityId: 'Call_Child' }, suspended: true },
      ],
      jobDefinitions: [
        { definition: 'parent', activityId: 'Task_Send', jobType: 'async-continuation' },
        { definition: 'child', activityId: 'Task_Work', jobType: 'async-continuation', suspended: true },
      ],
      jobs: [
        { id: 'running', instance: 'p', activityId: 'Task_A', lockedFor: '4m' },
        { id: 'expired', instance: 'p', activityId: 'Task_A', lockedFor: '-1m' },
        { id: 'free', instance: 'p', activityId: 'Task_B' },
      ],
    },
  ],
};

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario, now: clock });
});
afterAll(() => sim.close());

describe('simulated engine semantics', () => {
  it('counts called and suspended instances in /process-instance/count, as Execution.xml:281 (PARENT_ID_ is null) does', async () => {
    expect(await getOk(sim, '/process-instance/count')).toEqual({ count: 2 });
    expect(await getOk(sim, '/process-instance/count?superProcessInstance=pi-parent')).toEqual({ count: 1 });
    expect(validateQuery('get', '/process-instance/count', { superProcessInstance: 'pi-parent' })).toEqual([]);
  });

  it('records the call hierarchy in the history: super and root process instance', async () => {
    const [child] = await getOk<{ superProcessInstanceId: string | null; rootProcessInstanceId: string }[]>(sim, `/history/process-instance${query({ processInstanceId: 'pi-child' })}`);
    expect(child).toMatchObject({ superProcessInstanceId: 'pi-parent', rootProcessInstanceId: 'pi-parent' });
    expect(await getOk(sim, '/history/process-instance/count?rootProcessInstances=true')).toEqual({ count: 1 });
  });

  it('selects jobs being executed with acquired=true: a lock expiring in the future (Job.xml:423-428)', async () => {
    const acquired = await getOk<{ id: string }[]>(sim, '/job?acquired=true');
    expect(acquired.map((j) => j.id)).toEqual(['running']);
    expect(await getOk(sim, '/job/count?acquired=false')).toEqual({ count: 3 });
  });

  it('suspends the job definitions of a suspended process definition, not their jobs (AbstractSetProcessDefinitionStateCmd.java:106-113)', async () => {
    const suspended = await getOk<{ processDefinitionId: string; activityId: string }[]>(sim, '/job-definition?suspended=true&sortBy=processDefinitionId&sortOrder=asc');
    expect(suspended.map((jd) => `${jd.processDefinitionId.split(':').slice(0, 2).join(':')} ${jd.activityId}`)).toEqual(['child:1 Task_Work', 'parent:1 Task_Send']);
    expect(await getOk(sim, '/job/count?suspended=true')).toEqual({ count: 0 });
  });

  it('answers /version below /engine/{name} too', async () => {
    expect(await getOk(sim, '/engine/default/version')).toEqual({ version: '7.24.0' });
  });

  it('refuses declared incidents of calling levels: the simulator adds them', () => {
    const declared = { engines: [{ name: 'default', incidents: [{ instance: 'x', type: 'failedJob', activityId: 'A', message: null, ago: '1m', cause: 'y' }] }] };
    expect(() => checkScenario(declared)).toThrow(/engines\[0\]\.incidents\[0\]\.cause: the incidents of calling levels are not declared/);
  });

  it('serves the demo of job locks: one job of the campaign being executed, four queued behind it', async () => {
    const locks = await startSimulator({ scenario: loadScenario('src/simulator/scenarios/job-locks.json') });
    try {
      expect(await getOk(locks, '/job/count?acquired=true')).toEqual({ count: 1 });
      expect(await getOk(locks, '/job/count?executable=true')).toEqual({ count: 6 });
    } finally {
      await locks.close();
    }
  });

  it('checks lockedFor as a signed duration', () => {
    const bad = { engines: [{ name: 'default', jobs: [{ instance: 'x', activityId: 'A', lockedFor: 'soon' }] }] };
    expect(() => checkScenario(bad)).toThrow(/jobs\[0\]\.lockedFor/);
  });
});
