import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { engineCheck } from '../../src/checks/engine';
import { processDefinitionDto } from '../support/fixtures';
import { useStrictNock } from '../support/nock';
import { expectUsageError, runInProcess, expectCutStatus, fullStatus } from '../support/run-plugin';

const NODE1 = 'http://node1.test:8080';
const NODE2 = 'http://node2.test:8080';
const NODE3 = 'http://node3.test:8080';
const rest = (node: string) => `${node}/engine-rest`;
type Query = Record<string, string>;

useStrictNock();

const run = (...args: string[]) => runInProcess(engineCheck, ['--url', rest(NODE1), ...args]);

/** `prefix`: the engine's base below the REST root, e.g. /engine/batch. */
function mockVersion(node: string, version: string | null, prefix = ''): void {
  nock(node).get(`/engine-rest${prefix}/version`).reply(200, { version });
}

function mockDown(node: string): void {
  nock(node).get('/engine-rest/version').replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
}

interface Load {
  instances?: number;
  suspendedDefinitions?: number;
  suspendedInstances?: number;
  /** null: the list is not asked for (--list 0). */
  suspended?: Record<string, unknown>[] | null;
}

/** The four load requests on one node (under `prefix`, e.g. /engine/second), each query recorded. */
function mockLoad(node: string, load: Load = {}, seen: Record<string, Query[]> = {}, prefix = ''): void {
  const record = (path: string) => (q: object) => ((seen[path] ??= []).push(q as Query), true);
  nock(node)
    .get(`/engine-rest${prefix}/process-instance/count`)
    .times(2)
    .query(record('/process-instance/count'))
    .reply(function () {
      const suspended = new URL(this.req.path, node).searchParams.get('suspended') === 'true';
      return [200, { count: suspended ? (load.suspendedInstances ?? 0) : (load.instances ?? 0) }];
    });
  nock(node).get(`/engine-rest${prefix}/process-definition/count`).query(record('/process-definition/count')).reply(200, { count: load.suspendedDefinitions ?? 0 });
  if (load.suspended !== null) nock(node).get(`/engine-rest${prefix}/process-definition`).query(record('/process-definition')).reply(200, load.suspended ?? []);
}

function mockSchema(node: string, entries: { version: string; timestamp?: string }[] | number, seen: Query[] = []): void {
  const scope = nock(node).get('/engine-rest/schema/log').query((q) => (seen.push(q as Query), true));
  if (typeof entries === 'number') scope.reply(entries, { type: 'AuthorizationException', message: 'not allowed' });
  else scope.reply(200, entries.map((e, i) => ({ id: String(i), timestamp: e.timestamp ?? '2026-11-01T10:00:00.000+0000', version: e.version })));
}

describe('check_camunda_engine: nodes and versions', () => {
  it('with --no-load asks each node for its version only, and is OK', async () => {
    mockVersion(NODE1, '7.22.0');
    const result = await run('--no-load');
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA ENGINE OK - node1.test runs 7.22.0');
    expect(Object.keys(result.perfdata)).toEqual(['time', 'nodes_up', 'nodes_down']);
    expect(result.perfdata.time).toMatch(/^\d+(\.\d+)?s;;;0$/);
    expect(result.perfdata.nodes_up).toBe('1;;;0;1');
    expect(result.perfdata.nodes_down).toBe('0;0;0;0;1');
    expect(result.details).toEqual([expect.stringMatching(/^node1\.test \(http:\/\/node1\.test:8080\/engine-rest\): up, 7\.22\.0, answered in \d+(\.\d+)?s$/)]);
  });

  it('reads the load from the engine and says nothing more when all is well', async () => {
    mockVersion(NODE1, '7.22.0');
    const seen: Record<string, Query[]> = {};
    mockLoad(NODE1, { instances: 1834, suspended: [] }, seen);
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA ENGINE OK - node1.test runs 7.22.0');
    expect(result.perfdata).toMatchObject({ instances: '1834;;;0', suspended_definitions: '0;0;;0', suspended_instances: '0;0;;0' });
    expect(seen['/process-instance/count']).toEqual(expect.arrayContaining([{}, { suspended: 'true' }]));
    expect(seen['/process-definition/count']).toEqual([{ suspended: 'true' }]);
    expect(seen['/process-definition']).toEqual([{ suspended: 'true', sortBy: 'key', sortOrder: 'asc', firstResult: '0', maxResults: '10' }]);
    // The unfiltered count is every process instance: Execution.xml:281 (`RES.PARENT_ID_ is null`) keeps
    // instances started by a call activity (SUPER_EXEC_ set) and suspended ones (no suspension filter).
    expect(result.details[1]).toBe('Load (read from node1.test): 1834 process instances (suspended and called ones included), 0 suspended process definitions, 0 suspended process instances');
  });

  it('warns by default on a suspended definition or instance and names the definitions', async () => {
    mockVersion(NODE1, '7.22.0');
    mockLoad(NODE1, {
      instances: 20,
      suspendedDefinitions: 3,
      suspendedInstances: 4,
      suspended: [processDefinitionDto({ key: 'invoice', version: 1, suspended: true }), processDefinitionDto({ key: 'order', version: 4, suspended: true, tenantId: 'acme' })],
    });
    const result = await run('--list', '2');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - node1.test runs 7.22.0, 3 suspended process definitions (warning), 4 suspended process instances (warning)');
    expect(result.details.slice(2)).toEqual([
      'Suspended process definitions, 2 of 3:',
      'invoice (v1)',
      'order (v4) [tenant acme]',
      // Without credentials nothing is asked: the engine then checks neither permissions nor tenants.
      'Access: requests carry no credentials, so the engine checks neither permissions nor tenants: every figure is complete',
    ]);
  });

  it('judges the counts by their thresholds, and an empty threshold switches a default off', async () => {
    mockVersion(NODE1, '7.22.0');
    mockLoad(NODE1, { instances: 60000, suspendedInstances: 2, suspended: null });
    const result = await run('--instances-warning', '50000', '--instances-critical', '100000', '--suspended-instances-warning', '', '--list', '0');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - node1.test runs 7.22.0, 60000 process instances (warning)');
    expect(result.perfdata).toMatchObject({ instances: '60000;50000;100000;0', suspended_instances: '2;;;0' });
  });

  it('shows the nodes and their requests at -vv, on stderr', async () => {
    mockVersion(NODE1, '7.22.0');
    mockVersion(NODE2, '7.22.0');
    const result = await run('--node', rest(NODE2), '--no-load', '-vv');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('nodes: node1.test http://node1.test:8080/engine-rest, node2.test http://node2.test:8080/engine-rest');
    expect(result.stderr).toContain('request: GET http://node2.test:8080/engine-rest/version');
  });

  it('names the version all nodes agree on', async () => {
    mockVersion(NODE1, '7.22.0');
    mockVersion(NODE2, '7.22.0');
    mockVersion(NODE3, '7.22.0');
    const result = await run('--node', rest(NODE2), '--node', rest(NODE3), '--no-load');
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA ENGINE OK - all 3 nodes run 7.22.0');
    expect(result.perfdata.nodes_down).toBe('0;0;2;0;3');
  });

  it('warns during a rolling update and names each node with its version, oldest first', async () => {
    mockVersion(NODE1, '7.22.0');
    mockVersion(NODE2, '7.21.0');
    mockLoad(NODE1, { instances: 1834, suspendedInstances: 3 });
    const result = await run('--node', rest(NODE2), '--suspended-instances-warning', '');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - node2.test runs 7.21.0, node1.test runs 7.22.0 (rolling update in progress)');
    expect(result.stdout).toMatch(/\| time=[\d.]+s;;;0 nodes_up=2;;;0;2 nodes_down=0;0;1;0;2 instances=1834;;;0 suspended_definitions=0;0;;0 suspended_instances=3;;;0\n/);
  });

  it('is CRITICAL when a node is more than one minor version behind the newest', async () => {
    mockVersion(NODE1, '7.22.1');
    mockVersion(NODE2, '7.21.0');
    mockVersion(NODE3, '7.20.0-ee');
    const result = await run('--node', rest(NODE2), '--node', rest(NODE3), '--no-load');
    expect(result.code).toBe(2);
    expect(result.status).toBe(
      'CAMUNDA ENGINE CRITICAL - node3.test runs 7.20.0-ee, node2.test runs 7.21.0, node1.test runs 7.22.1 (rolling update in progress, node3.test more than one minor version behind 7.22.1: critical)',
    );
  });

  it('compares minor versions within a major version only: Camunda 7 beside Operaton 1 is a skew, not a distance', async () => {
    mockVersion(NODE1, '7.23.0');
    mockVersion(NODE2, '1.0.0-beta-4');
    const result = await run('--node', rest(NODE2), '--no-load');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - node2.test runs 1.0.0-beta-4, node1.test runs 7.23.0 (rolling update in progress)');
  });

  it('warns when some nodes are down, counts on a node that answers, and gives each reason', async () => {
    mockDown(NODE1);
    mockVersion(NODE2, '7.22.0');
    mockLoad(NODE2);
    const result = await run('--node', rest(NODE2));
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - 1 of 2 nodes down: node1.test (warning), node2.test runs 7.22.0');
    expect(result.perfdata).toMatchObject({ nodes_up: '1;;;0;2', nodes_down: '1;0;1;0;2' });
    expect(result.details[0]).toBe(
      'node1.test (http://node1.test:8080/engine-rest): down: cannot reach GET /version on http://node1.test:8080/engine-rest: connection refused: check --url and that the engine is running and listening there',
    );
    expect(result.details[2]).toMatch(/^Load \(read from node2\.test\)/);
  });

  it('names --node, not --url, in the hint for a node given with --node', async () => {
    mockVersion(NODE1, '7.22.0');
    mockLoad(NODE1);
    mockDown(NODE2);
    const result = await run('--node', rest(NODE2));
    expect(result.code).toBe(1);
    expect(result.details[1]).toBe(
      'node2.test (http://node2.test:8080/engine-rest): down: cannot reach GET /version on http://node2.test:8080/engine-rest: connection refused: check --node and that the engine is running and listening there',
    );
  });

  it('is CRITICAL when all nodes are down, and leaves out the time it could not measure', async () => {
    mockDown(NODE1);
    nock(NODE2).get('/engine-rest/version').reply(502, '<html><body>502 Bad Gateway</body></html>');
    const result = await run('--node', rest(NODE2));
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA ENGINE CRITICAL - all 2 nodes down (critical)');
    expect(Object.keys(result.perfdata)).toEqual(['nodes_up', 'nodes_down']);
    expect(result.details[1]).toMatch(/^node2\.test \(.*\): down: HTTP 502 Bad Gateway for GET \/version on http:\/\/node2\.test:8080\/engine-rest with an HTML page/);
  });

  it('gives the reason in the status line when the only node is down', async () => {
    mockDown(NODE1);
    const result = await run();
    expect(result.code).toBe(2);
    expectCutStatus(result, 'CAMUNDA ENGINE CRITICAL - node1.test down (critical): cannot reach GET /version on http://node1.test:8080/engine-rest: connection refused: check --url and that the engine is running and listening there');
  });

  it('takes --nodes-down-warning/-critical instead of the defaults', async () => {
    mockDown(NODE1);
    mockVersion(NODE2, '7.22.0');
    mockVersion(NODE3, '7.22.0');
    const critical = await run('--node', rest(NODE2), '--node', rest(NODE3), '--nodes-down-critical', '0', '--no-load');
    expect(critical.code).toBe(2);
    expect(critical.status).toBe('CAMUNDA ENGINE CRITICAL - 1 of 3 nodes down: node1.test (critical), node2.test, node3.test run 7.22.0');
    mockDown(NODE1);
    mockVersion(NODE2, '7.22.0');
    mockVersion(NODE3, '7.22.0');
    const tolerated = await run('--node', rest(NODE2), '--node', rest(NODE3), '--nodes-down-warning', '1', '--no-load');
    expect(tolerated.code).toBe(0);
    expect(tolerated.perfdata.nodes_down).toBe('1;1;2;0;3');
  });

  it('judges the answer time of the slowest node with -w/-c', async () => {
    mockVersion(NODE1, '7.22.0');
    const result = await run('--no-load', '-w', '@0:100', '-c', '200');
    expect(result.code).toBe(1);
    expect(result.status).toMatch(/^CAMUNDA ENGINE WARNING - node1\.test runs 7\.22\.0, slowest answer [\d.]+s from node1\.test \(warning\)$/);
    expect(result.perfdata.time).toMatch(/^[\d.]+s;@100;200;0$/);
  });

  it('names a node that answers past the probe budget as down and still reads the load from the other', async () => {
    mockVersion(NODE1, '7.22.0');
    nock(NODE2).get('/engine-rest/version').delay(5000).reply(200, { version: '7.22.0' });
    mockLoad(NODE1);
    const result = await run('--node', rest(NODE2), '-t', '2');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - 1 of 2 nodes down: node2.test (warning), node1.test runs 7.22.0');
    expect(result.details[1]).toMatch(/^node2\.test .*: down: no answer within the timeout of [\d.]+s for GET \/version/);
  });

  it('adds an UNKNOWN when a node reports no version number, and keeps its text harmless', async () => {
    mockVersion(NODE1, '7.22.0');
    mockVersion(NODE2, 'dev | x=1\n<b>');
    const result = await run('--node', rest(NODE2), '--no-load');
    // The skew is a known problem, and a WARNING ranks above an UNKNOWN.
    expect(result.code).toBe(1);
    expect(result.status).toBe("CAMUNDA ENGINE WARNING - node1.test runs 7.22.0, node2.test runs dev ¦ x=1 ‹b› (rolling update in progress), node2.test reports version 'dev ¦ x=1 ‹b›', which is not a version number (unknown)");
    expect(result.stdout.split('|')).toHaveLength(2);
  });

  it('is UNKNOWN when the counts cannot be read, and still reports the nodes', async () => {
    mockVersion(NODE1, '7.22.0');
    nock(NODE1).get('/engine-rest/process-instance/count').query(true).times(2).reply(500, { type: 'ProcessEngineException', message: 'database down' });
    nock(NODE1).get('/engine-rest/process-definition/count').query(true).reply(200, { count: 0 });
    nock(NODE1).get('/engine-rest/process-definition').query(true).reply(200, []);
    const result = await run();
    expect(result.code).toBe(3);
    expectCutStatus(result, 
      'CAMUNDA ENGINE UNKNOWN - node1.test runs 7.22.0, load not measured: engine error (HTTP 500 ProcessEngineException) for GET /process-instance/count on http://node1.test:8080/engine-rest: database down (unknown)',
    );
    expect(Object.keys(result.perfdata)).toEqual(['time', 'nodes_up', 'nodes_down']);
  });
});

describe('check_camunda_engine: version pin', () => {
  it('warns about nodes not on --expect-version, matching whole components', async () => {
    mockVersion(NODE1, '7.22.3');
    const matching = await run('--expect-version', '7.22', '--no-load');
    expect(matching.code).toBe(0);
    mockVersion(NODE1, '7.220.0');
    const result = await run('--expect-version', '7.22', '--no-load');
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - node1.test runs 7.220.0, not the expected 7.22: node1.test (warning)');
  });

  it('makes a mismatch CRITICAL with --version-state critical', async () => {
    mockVersion(NODE1, '7.21.0');
    const result = await run('--expect-version', '7.22', '--version-state', 'critical', '--no-load');
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA ENGINE CRITICAL - node1.test runs 7.21.0, not the expected 7.22: node1.test (critical)');
  });

  it('compares --min-version numerically, pre-releases before their release', async () => {
    mockVersion(NODE1, '7.10.0');
    mockVersion(NODE2, '7.10.0-SNAPSHOT');
    const result = await run('--node', rest(NODE2), '--min-version', '7.9.2', '--no-load');
    expect(result.status).not.toContain('older than');
    mockVersion(NODE1, '7.10.0');
    mockVersion(NODE2, '7.10.0-SNAPSHOT');
    const stricter = await run('--node', rest(NODE2), '--min-version', '7.10.0', '--no-load');
    expect(stricter.status).toContain('older than the minimum 7.10.0: node2.test (warning)');
  });
});

describe('check_camunda_engine: database schema', () => {
  const schemaCase = async (nodeVersion: string, entries: { version: string }[]) => {
    mockVersion(NODE1, nodeVersion);
    const seen: Query[] = [];
    mockSchema(NODE1, entries, seen);
    const result = await run('--check-schema', '--no-load');
    expect(seen).toEqual([{ sortBy: 'timestamp', sortOrder: 'desc', firstResult: '0', maxResults: '10' }]);
    return result;
  };

  it('is OK on the schema of the node minor version, and shows it in the long output', async () => {
    const result = await schemaCase('7.22.1', [{ version: '7.22.1' }, { version: '7.22.0' }]);
    expect(result.code).toBe(0);
    expect(result.details[1]).toBe('Database schema: 7.22.1, updated 2026-11-01T10:00:00.000+0000');
  });

  it('takes the highest version among the newest entries, which may share one timestamp', async () => {
    const result = await schemaCase('7.22.0', [{ version: '7.21.0' }, { version: '7.22.0' }, { version: '7.20.0' }]);
    expect(result.code).toBe(0);
    expect(result.details[1]).toMatch(/^Database schema: 7\.22\.0/);
  });

  it('is CRITICAL for a node newer than the schema: the database was not updated', async () => {
    const result = await schemaCase('7.23.0', [{ version: '7.22.0' }]);
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA ENGINE CRITICAL - node1.test runs 7.23.0, database schema 7.22.0 not updated for node1.test (critical)');
  });

  it('warns on a node one minor version behind the schema', async () => {
    const result = await schemaCase('7.21.0', [{ version: '7.22.0' }]);
    expect(result.code).toBe(1);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - node1.test runs 7.21.0, node1.test one minor version behind database schema 7.22.0 (warning)');
  });

  it('is CRITICAL for a node more than one minor version behind the schema', async () => {
    const result = await schemaCase('7.20.3', [{ version: '7.22.0' }]);
    expect(result.code).toBe(2);
    expect(result.status).toBe('CAMUNDA ENGINE CRITICAL - node1.test runs 7.20.3, node1.test more than one minor version behind database schema 7.22.0 (critical)');
  });

  it('does not compare minor versions across major versions, and says so', async () => {
    const result = await schemaCase('1.0.0', [{ version: '7.23.0' }]);
    expect(result.code).toBe(0);
    expect(result.details[1]).toContain("not compared with node1.test (another major version, whose minor versions do not line up with the schema's)");
  });

  it('is UNKNOWN on HTTP 403 or on an empty schema log, naming the group the user needs', async () => {
    mockVersion(NODE1, '7.22.0');
    mockSchema(NODE1, 403);
    const forbidden = await run('--check-schema', '--no-load');
    expect(forbidden.code).toBe(3);
    expectCutStatus(forbidden, 
      'CAMUNDA ENGINE UNKNOWN - node1.test runs 7.22.0, database schema not checked: the database schema version is not readable (HTTP 403 for GET /schema/log): ' +
        'the monitoring user must be a member of the group camunda-admin (or, where the engine has it, hold READ permission on the System resource) (unknown)',
    );
    const hidden = await schemaCase('7.22.0', []);
    expect(hidden.code).toBe(3);
    expect(fullStatus(hidden)).toContain('database schema not checked: the schema log is empty or hidden: the monitoring user must be a member of the group camunda-admin');
  });

  it('keeps a node that is down out of the comparison and lets CRITICAL win over UNKNOWN', async () => {
    mockVersion(NODE1, '7.22.0');
    mockDown(NODE2);
    mockSchema(NODE1, 403);
    const result = await run('--node', rest(NODE2), '--check-schema', '--no-load', '--nodes-down-critical', '0');
    expect(result.code).toBe(2);
  });
});

describe('check_camunda_engine: named engine', () => {
  // Without the authentication filter the REST API answers an unknown engine name so (the simulator's README).
  const noSuchEngine = { type: 'InvalidRequestException', message: 'No process engine available' };

  it('is CRITICAL when the engine does not exist, naming those that do', async () => {
    nock(NODE1).get('/engine-rest/engine/bach/version').reply(400, noSuchEngine);
    nock(NODE1).get('/engine-rest/engine').reply(200, [{ name: 'default' }, { name: 'batch' }]);
    const result = await run('--engine', 'bach');
    expect(result.code).toBe(2);
    expect(result.status).toBe("CAMUNDA ENGINE CRITICAL - engine 'bach' does not exist on node1.test (critical, engines there: default, batch)");
    expect(result.details[0]).toMatch(/^node1\.test \(.*\): up, version unknown \(no such engine\), answered in [\d.]+s, engines default, batch$/);
  });

  it('reads the counts of the named engine from a node that has it', async () => {
    nock(NODE1).get('/engine-rest/engine/batch/version').reply(400, noSuchEngine);
    nock(NODE1).get('/engine-rest/engine').reply(200, [{ name: 'default' }]);
    mockVersion(NODE2, '7.22.0', '/engine/batch');
    nock(NODE2).get('/engine-rest/engine').reply(200, [{ name: 'default' }, { name: 'batch' }]);
    mockLoad(NODE2, { instances: 7 }, {}, '/engine/batch');
    const result = await run('--node', rest(NODE2), '--engine', 'batch');
    expect(result.code).toBe(2);
    expect(result.status).toBe("CAMUNDA ENGINE CRITICAL - engine 'batch' does not exist on node1.test (critical, engines there: default), node2.test runs 7.22.0");
    expect(result.perfdata.instances).toBe('7;;;0');
  });

  it("asks the named engine's version, not the root's, which the authentication filter sends to a default engine", async () => {
    // ProcessEngineAuthenticationFilter.java:130-137, 226-236: a path outside /engine/{name} is the engine "default".
    nock(NODE1).get('/engine-rest/version').optionally().reply(404, { type: 'InvalidRequestException', message: 'Process engine default not available' });
    mockVersion(NODE1, '7.22.0', '/engine/batch');
    nock(NODE1).get('/engine-rest/engine').reply(200, [{ name: 'batch' }]);
    const result = await run('--engine', 'batch', '--no-load');
    expect(result.status).toBe('CAMUNDA ENGINE OK - node1.test runs 7.22.0');
    expect(result.details[0]).toMatch(/: up, 7\.22\.0, answered in [\d.]+s, engines batch$/);
  });

  it('tells a node that does not answer from a node without the engine', async () => {
    const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    nock(NODE1).get('/engine-rest/engine/batch/version').replyWithError(refused());
    nock(NODE1).get('/engine-rest/engine').replyWithError(refused());
    const result = await run('--engine', 'batch', '--no-load');
    expect(result.code).toBe(2);
    expect(fullStatus(result)).toMatch(/^CAMUNDA ENGINE CRITICAL - node1\.test down \(critical\): cannot reach GET \/engine on http:\/\/node1\.test:8080\/engine-rest: connection refused/);
    expect(fullStatus(result)).not.toContain('does not exist');
  });

  it('reports a node that lists the engine but cannot give its version as down, with the reason', async () => {
    nock(NODE1).get('/engine-rest/engine/batch/version').reply(401, { type: 'AuthenticationException', message: 'not authenticated' });
    nock(NODE1).get('/engine-rest/engine').reply(200, [{ name: 'batch' }]);
    const result = await run('--engine', 'batch', '--no-load');
    expect(result.code).toBe(2);
    expect(fullStatus(result)).toBe(
      'CAMUNDA ENGINE CRITICAL - node1.test down (critical): the engine requires authentication (HTTP 401) for GET /version on http://node1.test:8080/engine-rest: give --username with --password-file or CAMUNDA_PASSWORD, or --token',
    );
  });
});

describe('check_camunda_engine: bad input', () => {
  it.each([
    [['--node', ''], '--node: empty value, leave the option out for a single node'],
    [['--node', rest(NODE2), '--node', `${rest(NODE2)}/`], '--node: http://node2.test:8080/engine-rest is given twice: every node is checked once'],
    [['--node', rest(NODE1)], '--node: http://node1.test:8080/engine-rest is given twice (it is the --url)'],
    [['--node', 'ftp://node2.test/engine-rest'], "--node: only http and https are supported, not 'ftp'"],
    [['--node', 'http://user:pw@node2.test/engine-rest'], '--node: must not contain credentials'],
    [Array.from({ length: 16 }, (_, i) => ['--node', `http://n${i}.test/engine-rest`]).flat(), '--node: 17 nodes, at most 16'],
    [['--expect-version', 'latest'], "--expect-version: 'latest' is not a version such as 7.22, 7.22.3 or 7.22.3-ee"],
    [['--expect-version', '7.22.x'], "--expect-version: '7.22.x' is not a version"],
    [['--min-version', '7'], "--min-version: '7' is not a version such as 7.21.2 or 1.0.0"],
    [['--expect-version', '7.15', '--min-version', '7.20'], '--expect-version 7.15 is older than --min-version 7.20: no version can satisfy both'],
    [['--expect-version', '7.22.1', '--min-version', '7.22.2'], '--expect-version 7.22.1 is older than --min-version 7.22.2'],
    [['--expect-version', '7', '--min-version', '8.0.0'], '--expect-version 7 is older than --min-version 8.0.0'],
    [['--version-state', 'unknown'], "--version-state: 'unknown' is neither warning nor critical"],
    [['-w', 'fast'], "--time-warning: invalid threshold range 'fast'"],
    [['--nodes-down-critical', '2:1'], "--nodes-down-critical: invalid threshold range '2:1': start 2 is greater than end 1"],
    [['--suspended-definitions-warning', 'x'], "--suspended-definitions-warning: invalid threshold range 'x'"],
    [['--list', '101'], "--list: '101' is not a whole number from 0 to 100"],
    [['--load'], 'invalid command line: unknown option --load'],
    [['--engine', 'a/b'], "--engine: 'a/b' is not a process engine name"],
  ])('rejects %j with one UNKNOWN line', async (args, message) => {
    expectUsageError(await run(...args), 'CAMUNDA ENGINE', message);
  });

  it.each([
    ['7.22', '7.22.3'],
    ['7.22.3', '7.22.3'],
    ['7.22.3-ee', '7.22.3'],
    ['7', '7.24.0'],
  ])('accepts --expect-version %s with --min-version %s, which some version satisfies', async (expect_, min) => {
    mockVersion(NODE1, '7.22.3');
    const result = await run('--expect-version', expect_, '--min-version', min, '--no-load');
    expect(result.code).not.toBe(3);
  });

  it('labels nodes on one host by host and port', async () => {
    const a = 'http://camunda.test:8080';
    const b = 'http://camunda.test:8081';
    mockVersion(a, '7.22.0');
    mockVersion(b, '7.21.0');
    const result = await runInProcess(engineCheck, ['--url', rest(a), '--node', rest(b), '--no-load']);
    expect(result.status).toBe('CAMUNDA ENGINE WARNING - camunda.test:8081 runs 7.21.0, camunda.test:8080 runs 7.22.0 (rolling update in progress)');
  });
});
