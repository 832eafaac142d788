import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { runBuilt } from '../support/executables';
import { expectCutStatus } from '../support/run-plugin';

/*
 * Secured and multi-tenant engines, end to end: the built checks against the simulator's secured
 * scenario (src/simulator/scenarios/secured.json), whose users see what the engine's SQL lets them
 * see (src/simulator/authorization.ts cites the sources). Camunda never refuses a query for missing
 * permissions or tenants (AuthorizationManager.java:359-375, TenantManager.java:77-82): a check that
 * does not ask what its user may see passes on a partial view.
 */

const SECURED = 'src/simulator/scenarios/secured.json';
const PASSWORD = { CAMUNDA_PASSWORD: 'demo-secret' };

describe('a monitoring user that may not see everything', () => {
  let engine: RunningSimulator;
  beforeAll(async () => {
    engine = await startSimulator({ scenario: loadScenario(SECURED) });
  });
  afterAll(() => engine?.close());
  const run = (check: string, user: string, ...args: string[]) => runBuilt(check, ['--url', engine.url, '--username', user, ...args], PASSWORD);

  it('check_camunda_engine names the definition without READ_INSTANCE and the tenant the user is not a member of', async () => {
    const result = await run('check_camunda_engine', 'partial');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expectCutStatus(result, 
      'CAMUNDA ENGINE WARNING - 127.0.0.1 runs 7.15.0, no READ_INSTANCE on process definition payment: its process instances, incidents, jobs and external tasks are not seen (warning), not a member of tenant globex: its rows are not seen (warning)',
    );
    expect(result.details.at(-1)).toMatch(/^Access \(user 'partial', 13 requests\): READ, READ_TASK, READ_HISTORY on all process definitions; member of tenant acme$/);
  });

  it('check_camunda_engine names a missing tenant membership alone (TenantManager.java:77-82: checked even with every permission)', async () => {
    const result = await run('check_camunda_engine', 'acme-monitor');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - 127.0.0.1 runs 7.15.0, not a member of tenant globex: its rows are not seen (warning)');
    expect(result.perfdata.instances).toBe('4;;;0');
  });

  it.each(['monitor', 'admin'])('check_camunda_engine is OK for %s, who sees everything', async (user) => {
    const result = await run('check_camunda_engine', user);
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA ENGINE OK - 127.0.0.1 runs 7.15.0');
    expect(result.perfdata.instances).toBe('8;;;0');
  });

  it('the other checks count what the user sees, and say so in their long output', async () => {
    const partial = await run('check_camunda_incidents', 'partial');
    const full = await run('check_camunda_incidents', 'monitor');
    // payment's incident needs READ_INSTANCE, the globex ones membership in globex.
    expect(partial.perfdata.incidents).toBe('0;0;;0');
    expect(full.perfdata.incidents).toBe('3;0;;0');
    expect(partial.details.at(-1)).toBe(
      "Seen as user 'partial': Camunda leaves out what it may not read and other tenants' rows; check_camunda_engine checks this access (docs/permissions.md)",
    );
  });
});

describe('credentials sent to a REST API without its authentication filter (a proxy checks them)', () => {
  let engine: RunningSimulator;
  beforeAll(async () => {
    engine = await startSimulator({ scenario: loadScenario('src/simulator/scenarios/demo.json') });
  });
  afterAll(() => engine?.close());

  it('check_camunda_engine is OK: the engine authenticates nobody, so it filters nothing', async () => {
    const result = await runBuilt('check_camunda_engine', ['--url', engine.url, '--username', 'monitor'], PASSWORD);
    expect(result.code).toBe(1); // the demo's suspended definitions, nothing about access
    expect(result.status).not.toMatch(/access|tenant|READ/);
    expect(result.details.at(-1)).toMatch(/^Access: the engine authenticates nobody/);
  });
});

describe('shared definitions whose instances run for tenants (a TenantIdProvider)', () => {
  let engine: RunningSimulator;
  beforeAll(async () => {
    engine = await startSimulator({ scenario: loadScenario(SECURED) });
  });
  afterAll(() => engine?.close());
  const definition = (...args: string[]) => runBuilt('check_camunda_definition', ['--url', engine.url, '--username', 'admin', ...args], PASSWORD);

  it('counts mode finds the failed jobs and tasks statistics mode finds (JobDeclaration.java:162, TaskEntity.java:228)', async () => {
    const statistics = await definition('-k', 'invoice', '--tasks', '--mode', 'statistics');
    const counts = await definition('-k', 'invoice', '--tasks', '--mode', 'counts');
    expect(statistics.perfdata).toMatchObject({ invoice_instances: '5;;;0', invoice_failed_jobs: '1;;;0', invoice_tasks: '2;;;0' });
    expect(counts.perfdata).toEqual(statistics.perfdata);
  });
});

describe('check_camunda_sla on a shared definition whose instances run for a tenant', () => {
  let engine: RunningSimulator;
  const cacheDir = privateCacheDir();
  beforeAll(async () => {
    const scenario: Scenario = loadScenario('test/fixtures/sla.json');
    const [first] = scenario.engines;
    for (const instance of first!.instances ?? []) if (instance.definition === 'invoice') instance.executionTenantId = 'acme';
    engine = await startSimulator({ scenario });
  });
  afterAll(() => engine?.close());

  it('counts the instances over the key, whatever tenant they run for', async () => {
    // One process SLA for every version: counted over the key in one query (groupSlas).
    const result = await runBuilt('check_camunda_sla', ['--url', engine.url, '--cache-dir', cacheDir(), '-k', 'invoice', '--instance-sla', '2d', '--at-risk', '100%']);
    expect(result.stderr).toBe('');
    expect(result.details).toContain('  process instances, all versions: SLA 2d: 4 breached (oldest 7d), 0 at risk');
    expect(result.code).toBe(2);
  });
});
