import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { runBuilt } from '../support/executables';

/*
 * Shared definitions per tenant, and the external tasks and metrics under authorization, end to
 * end: the built checks against the simulator (src/simulator/authorization.ts and
 * external-tasks.ts cite the engine's source).
 */

const PASSWORD = { CAMUNDA_PASSWORD: 'demo-secret' };

describe('-k K --tenant-id T on a shared definition K whose instances run for T (secured.json: invoice runs for globex)', () => {
  let engine: RunningSimulator;
  beforeAll(async () => {
    engine = await startSimulator({ scenario: loadScenario('src/simulator/scenarios/secured.json') });
  });
  afterAll(() => engine?.close());
  const run = (check: string, ...args: string[]) => runBuilt(check, ['--url', engine.url, '--username', 'admin', '-k', 'invoice', '--tenant-id', 'globex', ...args], PASSWORD);

  // Before: each ended "no process definition is deployed with the key 'invoice' for tenant globex" / "invoice: not deployed".
  it('check_camunda_incidents lists globex\'s incident of the shared definition', async () => {
    const result = await run('check_camunda_incidents');
    expect(result.stderr).toBe('');
    expect(result.status).toMatch(/^CAMUNDA INCIDENTS WARNING - 1 open incident/);
    expect(result.details).toContain('1 × failedJob in invoice (v2) [tenant globex] at ServiceTask_Book 4h ago: Booking service refused the request');
  });

  it('check_camunda_jobs counts globex\'s failed job', async () => {
    const result = await run('check_camunda_jobs');
    expect(result.perfdata.failed).toBe('1;0;;0');
  });

  it.each([['counts'], ['statistics']])('check_camunda_definition --mode %s reports invoice@globex with globex\'s figures only', async (mode) => {
    const result = await run('check_camunda_definition', '--mode', mode);
    expect(result.status).toBe('CAMUNDA DEFINITION OK - invoice@globex OK');
    expect(result.perfdata).toEqual({ 'invoice@globex_instances': '3;;;0', 'invoice@globex_incidents': '1;;;0', 'invoice@globex_failed_jobs': '1;;;0' });
  });

  it('check_camunda_external_tasks does not stop at the deployment check, and still names a key that is not deployed', async () => {
    expect((await run('check_camunda_external_tasks')).status).toBe('CAMUNDA EXTERNAL TASKS OK - no external tasks');
    const typo = await runBuilt('check_camunda_external_tasks', ['--url', engine.url, '--username', 'admin', '-k', 'order', '--tenant-id', 'initech'], PASSWORD);
    expect(typo.status).toBe("CAMUNDA EXTERNAL TASKS UNKNOWN - no process definition is deployed with the key 'order' for tenant initech: check --process-definition-key");
  });
});

describe('external tasks and metrics seen by users with partial access (secured-workers.json)', () => {
  let engine: RunningSimulator;
  beforeAll(async () => {
    engine = await startSimulator({ scenario: loadScenario('src/simulator/scenarios/secured-workers.json') });
  });
  afterAll(() => engine?.close());
  const run = (check: string, user: string, ...args: string[]) => runBuilt(check, ['--url', engine.url, '--username', user, ...args], PASSWORD);

  it('check_camunda_external_tasks counts what the user may read (READ_INSTANCE, tenants) and says its view may be partial', async () => {
    const full = await run('check_camunda_external_tasks', 'monitor');
    const partial = await run('check_camunda_external_tasks', 'partial');
    expect(full.perfdata['send-mail_waiting']).toBe('5;;;0');
    expect(full.perfdata['charge-card_waiting']).toBe('1;;;0');
    // payment needs READ_INSTANCE; globex's tasks membership in globex.
    expect(partial.perfdata['send-mail_waiting']).toBe('2;;;0');
    expect(partial.perfdata['charge-card_waiting']).toBeUndefined();
    expect(partial.details.at(-1)).toMatch(/^Seen as user 'partial': Camunda leaves out what it may not read and other tenants' rows/);
  });

  it('check_camunda_engine names the grant the external tasks check lacks', async () => {
    const result = await run('check_camunda_engine', 'partial');
    expect(result.status).toContain('no READ_INSTANCE on process definition payment: its process instances, incidents, jobs and external tasks are not seen (warning)');
  });

  it('check_camunda_jobs --throughput reads the same engine-wide metrics for a user without any grant', async () => {
    const admin = await run('check_camunda_jobs', 'admin', '--throughput');
    const nobody = await run('check_camunda_jobs', 'nobody', '--throughput');
    expect(nobody.perfdata.jobs_successful).toBe(admin.perfdata.jobs_successful);
    expect(Number(nobody.perfdata.jobs_successful!.split(';')[0])).toBeGreaterThan(0);
    expect(nobody.details).toContain(
      'Throughput: sums of the metrics all engine nodes wrote in the last 30m, engine-wide whatever the user may see; they report every 15m, so the newest executions are not counted yet.',
    );
  });
});

describe('check_camunda_sla -k K --tenant-id T on a shared definition (test/fixtures/sla.json, invoice run for acme)', () => {
  let engine: RunningSimulator;
  const cacheDir = privateCacheDir();
  beforeAll(async () => {
    const scenario: Scenario = loadScenario('test/fixtures/sla.json');
    for (const instance of scenario.engines[0]!.instances ?? []) if (instance.definition === 'invoice') instance.executionTenantId = 'acme';
    engine = await startSimulator({ scenario });
  });
  afterAll(() => engine?.close());
  const sla = (tenant: string, ...args: string[]) =>
    runBuilt('check_camunda_sla', ['--url', engine.url, '--cache-dir', cacheDir(), '-k', 'invoice', '--tenant-id', tenant, '--instance-sla', '2d', '--at-risk', '100%', ...args]);

  it("counts the tenant's instances of the shared definition, none of another tenant's", async () => {
    const acme = await sla('acme');
    expect(acme.stderr).toBe('');
    expect(acme.code).toBe(2);
    expect(acme.status).toMatch(/^CAMUNDA SLA CRITICAL - invoice@acme: /);
    expect(acme.details).toContain('  process instances, all versions: SLA 2d: 4 breached (oldest 7d), 0 at risk');
    const globex = await sla('globex');
    expect(globex.status).not.toMatch(/not deployed/);
    expect(globex.code).toBe(0);
    expect(globex.status).toBe("CAMUNDA SLA OK - 1 definition within its SLAs: invoice@globex");
  });
});
