import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient, MAX_RESPONSE_BYTES, type ClientContext } from '../../src/camunda/client';
import { CamundaError } from '../../src/camunda/errors';
import { arrayOf, countResult, processDefinitionStatistics } from '../../src/camunda/shapes';
import type { Logger } from '../../src/plugin/log';

/*
 * Compressed answers: the client asks for gzip or deflate where it pays (the statistics, BPMN XML,
 * long pages), reads what a server compresses anyway, and bounds the decoded body like a plain one,
 * so a zip bomb ends as one UNKNOWN line and not in a full memory.
 */

const ORIGIN = 'http://camunda.test:8080';
const URL_ = `${ORIGIN}/engine-rest`;
const ROWS = Array.from({ length: 300 }, (_, i) => ({
  id: `invoice:${i}:x`,
  instances: i,
  failedJobs: 0,
  incidents: [],
  definition: { id: `invoice:${i}:x`, key: 'invoice', version: i + 1, suspended: false },
}));
const STATISTICS = JSON.stringify(ROWS);

const lines: string[] = [];
const log: Logger = { level: 3, log: (_level, message) => void lines.push(message) };
const context = (): ClientContext => ({ log, signal: new AbortController().signal, deadline: Date.now() + 5000, timeoutSeconds: 5 });
const client = () => createCamundaClient({ url: URL_, tls: { insecure: false } }, context());
const statistics = () => client().get('/process-definition/statistics', {}, arrayOf(processDefinitionStatistics));

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CamundaError);
  return (error as Error).message;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  lines.length = 0;
  expect(pending, 'every mocked request was made').toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('asking for compression', () => {
  it('asks for gzip or deflate for the statistics, BPMN XML and pages of more than 100 items', async () => {
    const asked: (string | undefined)[] = [];
    const scope = nock(ORIGIN)
      .get(/.*/)
      .times(4)
      .reply(function () {
        asked.push(this.req.headers['accept-encoding'] as string | undefined);
        return [200, this.req.path.includes('xml') ? { id: 'a', bpmn20Xml: '<x/>' } : []];
      });
    await statistics();
    await client().get('/process-definition/a/xml', {}, { describe: 'xml', check: (v): v is unknown => typeof v === 'object' });
    await client().get('/process-definition', { maxResults: 1001 }, arrayOf(processDefinitionStatistics));
    await client().get('/incident', { maxResults: 25 }, arrayOf(processDefinitionStatistics));
    scope.done();
    expect(asked).toEqual(['gzip, deflate', 'gzip, deflate', 'gzip, deflate', undefined]);
  });

  it('does not ask for counts: a few bytes, and zlib would be loaded for nothing', async () => {
    nock(ORIGIN, { badheaders: ['accept-encoding'] }).get('/engine-rest/incident/count').reply(200, { count: 3 });
    expect(await client().get('/incident/count', {}, countResult)).toEqual({ count: 3 });
  });
});

describe('reading compressed answers', () => {
  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    [' GZIP ', gzipSync],
  ] as const)('decodes %s (%o)', async (encoding, compress) => {
    nock(ORIGIN).get('/engine-rest/process-definition/statistics').reply(200, compress(STATISTICS), { 'content-encoding': encoding, 'content-type': 'application/json' });
    expect(await statistics()).toEqual(ROWS);
    expect(lines.some((line) => new RegExp(`-> HTTP 200, ${STATISTICS.length} bytes \\(${encoding.trim()}\\)`).test(line))).toBe(true);
  });

  it('decodes a count a server compressed without being asked', async () => {
    nock(ORIGIN).get('/engine-rest/incident/count').reply(200, gzipSync('{"count":42}'), { 'content-encoding': 'gzip' });
    expect(await client().get('/incident/count', {}, countResult)).toEqual({ count: 42 });
  });

  it('ends a zip bomb at the size limit of the decoded body: one UNKNOWN line', async () => {
    // 64 MiB of spaces in about 64 KiB: four times the limit once inflated.
    const bomb = gzipSync(Buffer.alloc(4 * MAX_RESPONSE_BYTES, ' '), { level: 9 });
    expect(bomb.length).toBeLessThan(MAX_RESPONSE_BYTES / 100);
    nock(ORIGIN).get('/engine-rest/process-definition/statistics').reply(200, bomb, { 'content-encoding': 'gzip' });
    expect(await failure(statistics())).toBe(
      `GET /process-definition/statistics on ${URL_} answered with more than 16 MiB, far more than the check asked for: is --url the Camunda 7 REST API?`,
    );
  });

  it('says when a compressed body is broken', async () => {
    nock(ORIGIN).get('/engine-rest/process-definition/statistics').reply(200, gzipSync(STATISTICS).subarray(0, 200), { 'content-encoding': 'gzip' });
    expect(await failure(statistics())).toBe(
      `GET /process-definition/statistics on ${URL_} answered with a body that cannot be read: the gzip compressed answer cannot be decoded (Z_BUF_ERROR); check the engine and any proxy in front of it`,
    );
    nock(ORIGIN).get('/engine-rest/process-definition/statistics').reply(200, Buffer.from('not compressed at all'), { 'content-encoding': 'gzip' });
    expect(await failure(statistics())).toMatch(/answered with a body that cannot be read: the gzip compressed answer cannot be decoded \(Z_DATA_ERROR\)/);
  });

  it('says when the encoding is one it did not ask for', async () => {
    nock(ORIGIN).get('/engine-rest/process-definition/statistics').reply(200, Buffer.from('xx'), { 'content-encoding': 'br' });
    expect(await failure(statistics())).toBe(
      `GET /process-definition/statistics on ${URL_} answered with a body that cannot be read: the answer is encoded as 'br', which the check did not ask for; check the engine and any proxy in front of it`,
    );
  });
});
