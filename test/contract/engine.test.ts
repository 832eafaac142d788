import { beforeAll, describe, expect, it } from 'vitest';
import { engineCheck } from '../../src/checks/engine';
import {
  CONTRACT_ENGINE,
  CONTRACT_NODE_ENGINE,
  CONTRACT_NODE_URL,
  contractViolations,
  endpointsOf,
  parametersOf,
  recordRequests,
  type RecordedRequest,
} from '../support/contract';
import { processDefinitionDto } from '../support/fixtures';
import { validateQuery, validateResponse } from '../support/openapi';

/*
 * The contract with Camunda's REST API: every request check_camunda_engine sends, to every
 * node, uses only query parameters the API defines for that endpoint (OpenAPI 7.15 plus the
 * recorded facts in test/support/openapi.ts, FACT 8 for the schema log's sorting), and every
 * body the unit tests answer with fits the documented response schema.
 */

const ENGINE_INVOCATIONS: readonly string[][] = [
  [],
  ['--no-load'],
  ['--node', CONTRACT_NODE_URL, '--check-schema', '--list', '100'],
  ['--list', '0', '--check-schema'],
  ['--engine', 'second', '--node', CONTRACT_NODE_URL, '--expect-version', '7.22'],
];

const VERSION = { version: '7.22.0' };
const ENGINES = [{ name: 'default' }, { name: 'second' }];
const SCHEMA_LOG = [
  { id: '1', timestamp: '2026-10-01T10:00:00.000+0200', version: '7.22.0' },
  { id: '0', timestamp: '2025-04-01T10:00:00.000+0200', version: '7.21.0' },
];
const SUSPENDED = [processDefinitionDto({ key: 'invoice', version: 1, suspended: true })];

describe('requests check_camunda_engine sends to the Camunda REST API', () => {
  let requests: RecordedRequest[] = [];

  beforeAll(async () => {
    const recorded = await recordRequests(
      engineCheck,
      ENGINE_INVOCATIONS,
      (path) => {
        if (path === '/version') return [200, VERSION];
        if (path === '/engine') return [200, ENGINES];
        if (path === '/schema/log') return [200, SCHEMA_LOG];
        if (path === '/process-instance/count' || path === '/process-definition/count') return [200, { count: 0 }];
        if (path === '/process-definition') return [200, []];
        return undefined;
      },
      [CONTRACT_NODE_ENGINE],
    );
    requests = recorded.requests;
    expect(recorded.codes).toEqual(ENGINE_INVOCATIONS.map(() => 0));
  });

  it('reach the endpoints the engine check needs, on every node', () => {
    expect(endpointsOf(requests)).toEqual([
      'GET /engine',
      'GET /process-definition',
      'GET /process-definition/count',
      'GET /process-instance/count',
      'GET /schema/log',
      'GET /version',
    ]);
    expect(new Set(requests.filter((r) => r.path === '/version').map((r) => r.host))).toEqual(new Set([CONTRACT_ENGINE, CONTRACT_NODE_ENGINE]));
  });

  it('ask the engine list at the root, and /version and the resources of --engine below /engine/{name}', () => {
    // The authentication filter sends a path outside /engine/{name} to the engine "default"
    // (ProcessEngineAuthenticationFilter.java:130-137, 226-236); only /engine itself is open.
    expect(requests.filter((r) => r.path === '/engine').every((r) => r.engine === undefined)).toBe(true);
    const named = requests.filter((r) => r.engine !== undefined);
    expect(new Set(named.map((r) => `${r.engine} ${r.path}`))).toEqual(
      new Set(['second /version', 'second /process-instance/count', 'second /process-definition/count', 'second /process-definition']),
    );
    expect(new Set(named.filter((r) => r.path === '/version').map((r) => r.host))).toEqual(new Set([CONTRACT_ENGINE, CONTRACT_NODE_ENGINE]));
    // Counts come from one node, whichever number of nodes is checked.
    expect(new Set(requests.filter((r) => r.path !== '/version' && r.path !== '/engine').map((r) => r.host))).toEqual(new Set([CONTRACT_ENGINE]));
  });

  it('use every parameter the engine check needs', () => {
    expect(parametersOf(requests)).toEqual(new Set(['suspended', 'sortBy', 'sortOrder', 'firstResult', 'maxResults']));
  });

  it('only send parameters the API defines, with valid values', () => {
    expect(contractViolations(requests)).toEqual([]);
  });

  it('would catch a parameter the API does not define', () => {
    expect(validateQuery('GET', '/schema/log', { sortBy: 'version', sortOrder: 'desc' })).not.toEqual([]);
    expect(validateQuery('GET', '/process-instance/count', { suspended: 'yes' })).not.toEqual([]);
    expect(validateQuery('GET', '/version', { engine: 'default' })).not.toEqual([]);
  });
});

describe('bodies the engine unit tests answer with', () => {
  it('fit the OpenAPI response schemas', () => {
    expect(validateResponse('GET', '/version', 200, VERSION)).toEqual([]);
    expect(validateResponse('GET', '/engine', 200, ENGINES)).toEqual([]);
    expect(validateResponse('GET', '/schema/log', 200, SCHEMA_LOG, { exact: true })).toEqual([]);
    expect(validateResponse('GET', '/process-definition', 200, SUSPENDED)).toEqual([]);
    expect(validateResponse('GET', '/process-instance/count', 200, { count: 12 })).toEqual([]);
  });

  it('would be rejected if they did not', () => {
    expect(validateResponse('GET', '/version', 200, { version: 7.22 })).not.toEqual([]);
    expect(validateResponse('GET', '/schema/log', 200, [{ id: '0', timestamp: '2026-10-01T10:00:00Z', version: '7.22.0' }])).not.toEqual([]);
  });
});
