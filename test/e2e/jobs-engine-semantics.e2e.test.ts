import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { runBuilt } from '../support/executables';

/*
 * check_camunda_jobs against engines that lock jobs and cascade suspensions as Camunda does:
 *   - an async multi-instance worked off one job at a time: `fanout` has six exclusive jobs
 *     created 30m ago, one of them locked by a job executor (being executed); the job executor
 *     acquires the others only after it (Job.xml:178-257, AtomicExclusiveJobs), so none of them
 *     means a stalled executor. `stuck` is an overdue job in an instance executing nothing.
 *   - `legacy` v1 was suspended: its job definition was suspended with it
 *     (AbstractSetProcessDefinitionStateCmd.java:106-113), nobody forgot a job definition.
 */
const scenario = (camundaVersion: string): Scenario => ({
  camundaVersion,
  engines: [
    {
      name: 'default',
      processDefinitions: [
        { key: 'fanout', versions: [{ version: 1 }] },
        { key: 'legacy', versions: [{ version: 1, suspended: true }, { version: 2 }] },
      ],
      instances: [
        { ref: 'mi', definition: 'fanout', started: '31m' },
        { ref: 'idle', definition: 'fanout', started: '40m' },
        { ref: 'old', definition: 'legacy', version: 1, started: '10d' },
      ],
      jobDefinitions: [{ definition: 'legacy', activityId: 'ServiceTask_Send', jobType: 'async-continuation', jobConfiguration: 'async-before' }],
      jobs: [
        { instance: 'mi', activityId: 'ServiceTask_Item', created: '30m', lockedFor: '4m' },
        ...Array.from({ length: 5 }, () => ({ instance: 'mi', activityId: 'ServiceTask_Item', created: '30m' })),
        { id: 'stuck', instance: 'idle', activityId: 'ServiceTask_Item', created: '35m' },
      ],
    },
  ],
});

let current: RunningSimulator;
let older: RunningSimulator;

beforeAll(async () => {
  [current, older] = await Promise.all([startSimulator({ scenario: scenario('7.24.0') }), startSimulator({ scenario: scenario('7.22.0') })]);
});
afterAll(async () => {
  await Promise.all([current?.close(), older?.close()]);
});

describe('check_camunda_jobs on engines that lock jobs and cascade suspensions', () => {
  it('on 7.24+, leaves out the jobs of an instance executing one, and names the job definition suspended with its process definition', async () => {
    const result = await runBuilt('check_camunda_jobs', ['--url', current.url]);
    expect(result.status).toBe(
      'CAMUNDA JOBS WARNING - 7 executable, 1 overdue (warning), oldest waiting 35m, 0 failed, 0 retrying, 0 suspended job definitions, 1 more with its process definition',
    );
    expect(result.perfdata).toMatchObject({ overdue: '1;0;;0', suspended_job_definitions: '0;0;;0', suspended_with_definition: '1;;;0' });
    expect(result.details).toEqual([
      'Overdue jobs (executable, waiting more than 5m), oldest first:',
      'fanout (v1): job stuck created (no due date) 35m ago, 3 retries left',
      'Not counted as overdue: 6 jobs of process instances executing a job right now (being executed, or exclusive and queued behind it).',
      '1 job definition suspended with its process definition: suspending a process definition suspends its job definitions, activating it activates them (check_camunda_engine reports suspended definitions).',
    ]);
    const acquired = current.requests.filter((r) => r.query.acquired === 'true');
    expect(acquired.map((r) => r.path)).toEqual(['/job']);
    expect(acquired[0]!.ignored).toEqual([]);
  });

  it('before 7.24, counts them all and says that jobs being executed may be among them', async () => {
    const result = await runBuilt('check_camunda_jobs', ['--url', older.url, '--list', '0']);
    expect(result.perfdata).toMatchObject({ overdue: '7;0;;0', suspended_job_definitions: '0;0;;0', suspended_with_definition: '1;;;0' });
    expect(result.details).toContain('Overdue may include jobs being executed: engine 7.22.0 has no job lock filter (Camunda 7.24+ has).');
    expect(older.requests.some((r) => r.query.acquired !== undefined)).toBe(false);
  });

  it('reads the version below /engine/{name} for a named engine', async () => {
    const before = current.requests.length;
    const result = await runBuilt('check_camunda_jobs', ['--url', current.url, '--engine', 'default', '--list', '0']);
    expect(result.perfdata.overdue).toBe('1;0;;0');
    expect(current.requests.slice(before).some((r) => r.path === '/version' && r.engine === 'default' && r.status === 200)).toBe(true);
  });
});
