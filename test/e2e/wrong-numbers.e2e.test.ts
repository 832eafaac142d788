import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateCacheDir } from '../support/cache-dir';
import { runBuilt } from '../support/executables';
import { expectCutStatus, fullStatus } from '../support/run-plugin';

/*
 * An engine (or a proxy in front of it) that answers with numbers no engine can send: every count
 * 2^96-ish, every statistics row 1e308 instances. Camunda's counts are Java longs and its statistics
 * Integers (engine-rest CountResultDto.java:21, StatisticsResultDto.java:38): each built check must
 * end UNKNOWN with one "wrong answer" line naming the request and the value as written, instead of
 * reporting 1e+308 open incidents or an OK.
 */

const HUGE = '123456789012345678901234567890';
let server: Server;
let url: string;
const cacheDir = privateCacheDir();

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname.replace(/^\/engine-rest/, '');
    let body = '[]';
    if (path.endsWith('/count')) body = `{"count": ${HUGE}}`;
    else if (path === '/process-definition/statistics') body = '[{"id":"a:1:1","instances":1e308,"failedJobs":0,"incidents":[],"definition":{"id":"a:1:1","key":"a","version":1}}]';
    else if (path === '/version') body = '{"version":"7.22.0"}';
    else if (path === '/process-definition') body = '[{"id":"a:1:1","key":"a","version":1,"suspended":false}]';
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const wrong = (request: string, field: string, value: string) =>
  `wrong answer from ${request} on ${url}: ${field} ${value} is not a whole number from 0 to 9007199254740991 as Camunda sends: check the engine and any proxy in front of it`;

describe('impossible numbers from the engine', () => {
  it.each([
    ['check_camunda_incidents', 'CAMUNDA INCIDENTS', [], ['GET /incident/count', 'count', HUGE]],
    ['check_camunda_jobs', 'CAMUNDA JOBS', [], ['GET /job/count', 'count', HUGE]],
    ['check_camunda_definition', 'CAMUNDA DEFINITION', [], ['GET /process-definition/statistics', 'instances', '1e308']],
    ['check_camunda_definition', 'CAMUNDA DEFINITION', ['--mode', 'counts', '-k', 'a'], ['GET /process-instance/count', 'count', HUGE]],
    ['check_camunda_sla', 'CAMUNDA SLA', ['-k', 'a'], ['GET /process-definition/statistics', 'instances', '1e308']],
  ] as const)('%s %j ends UNKNOWN with one wrong-answer line', async (check, prefix, args, [request, field, value]) => {
    const run = await runBuilt(check, ['--url', url, ...args, ...(check === 'check_camunda_sla' ? ['--cache-dir', cacheDir()] : [])]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    // The message is longer than a status line: cut there, whole in the long output, nothing else.
    expectCutStatus(run, `${prefix} UNKNOWN - ${wrong(request, field, value)}`);
    expect(run.details).toHaveLength(1);
  });

  it('check_camunda_engine reports the load it could not measure as UNKNOWN, naming the wrong answer', async () => {
    const run = await runBuilt('check_camunda_engine', ['--url', url]);
    expect(run.code).toBe(3);
    expect(fullStatus(run)).toContain(`load not measured: ${wrong('GET /process-instance/count', 'count', HUGE)}`);
    expect(run.stdout).not.toContain('e+');
  });
});
