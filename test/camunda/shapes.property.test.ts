import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient } from '../../src/camunda/client';
import { CamundaError } from '../../src/camunda/errors';
import {
  arrayOf,
  countResult,
  incident,
  job,
  jobDefinition,
  metricsSum,
  processDefinition,
  processDefinitionStatistics,
  type Shape,
  type ShapeFindings,
} from '../../src/camunda/shapes';
import { createLogger } from '../../src/plugin/log';
import { cleanText } from '../../src/plugin/text';

/*
 * Property-based tests of the client's shape validation: whatever JSON an engine or a proxy sends,
 * the shapes never throw, accept only what the checks can count with (every count a whole number
 * from 0 to 2^53 - 1), and the client ends every request with a value or with one CamundaError line.
 */

const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Numbers as JSON can carry them: small and huge, negative, fractional, beyond 2^53. */
const anyNumber = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true }),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(Number),
  fc.constantFrom(0, -0, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e308, -1, 0.5, Infinity, -Infinity),
);

/** A field value as an answer may hold it: the right type most of the time, anything else sometimes. */
const fieldValue = fc.oneof(anyNumber, fc.string(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 1 }));

const COUNT_FIELDS: Record<string, readonly string[]> = {
  processDefinition: ['version'],
  job: ['retries'],
};

describe('count shapes', () => {
  it('countResult accepts exactly the counts that are whole numbers from 0 to 2^53 - 1, and names any other number', () => {
    fc.assert(
      fc.property(anyNumber, (count) => {
        const found: ShapeFindings = {};
        const accepted = countResult.check({ count }, found);
        expect(accepted).toBe(isCount(count));
        expect(found.impossible).toEqual(accepted ? undefined : { field: 'count', value: count });
      }),
    );
  });

  it('metricsSum accepts a count or null as its result (a SUM over no rows), never a missing one, and names any other number', () => {
    fc.assert(
      fc.property(anyNumber, (result) => {
        const found: ShapeFindings = {};
        expect(metricsSum.check({ result }, found)).toBe(isCount(result));
        expect(found.impossible).toEqual(isCount(result) ? undefined : { field: 'result', value: result });
      }),
    );
    expect(metricsSum.check({ result: null })).toBe(true);
    expect(metricsSum.check({})).toBe(false);
  });

  it.each([
    ['processDefinition', processDefinition],
    ['job', job],
  ] as const)('%s: every count field of an accepted object is a count; a rejected number is named', (name, shape: Shape<unknown>) => {
    const fields = COUNT_FIELDS[name]!;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fields, 'id', 'key', 'other'), fieldValue), (object) => {
        const found: ShapeFindings = {};
        if (shape.check(object, found)) {
          for (const field of fields) expect(object[field] === undefined || object[field] === null || isCount(object[field])).toBe(true);
        } else if (found.impossible) {
          expect(fields).toContain(found.impossible.field);
          expect(isCount(found.impossible.value)).toBe(false);
          expect(object[found.impossible.field]).toBe(found.impossible.value);
        }
      }),
    );
  });

  it('statistics rows: instances, failed jobs and incident counts of an accepted row are counts', () => {
    const row = fc.record(
      {
        id: fc.oneof(fc.string(), fc.constant(null)),
        instances: fc.oneof(fc.nat(), anyNumber),
        failedJobs: fc.oneof(fc.nat(), anyNumber),
        incidents: fc.array(fc.record({ incidentType: fc.oneof(fc.string(), fc.constant(null)), incidentCount: fc.oneof(fc.nat(), anyNumber) })),
        definition: fc.record({ id: fc.string(), key: fc.string(), version: fc.oneof(fc.nat(), anyNumber) }),
      },
      { requiredKeys: ['instances', 'failedJobs', 'definition'] },
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 5 }), (rows) => {
        const found: ShapeFindings = {};
        const accepted = arrayOf(processDefinitionStatistics).check(rows, found);
        const allCounts = rows.every(
          (r) => isCount(r.instances) && isCount(r.failedJobs) && isCount(r.definition.version) && (r.incidents ?? []).every((i) => isCount(i.incidentCount)),
        );
        expect(accepted).toBe(allCounts);
        expect(found.impossible !== undefined).toBe(!allCounts);
      }),
    );
  });

  it('no shape throws, whatever JSON it is given, and a list is accepted exactly when each item is', () => {
    const shapes: Shape<unknown>[] = [countResult, incident, job, jobDefinition, processDefinition, processDefinitionStatistics];
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), (value, list) => {
        for (const shape of shapes) {
          expect(() => shape.check(value)).not.toThrow();
          expect(arrayOf(shape).check(list)).toBe(list.every((item) => shape.check(item)));
        }
      }),
    );
  });
});

describe('the client on arbitrary answers', () => {
  let server: Server;
  let body = '';
  let url = '';
  beforeAll(async () => {
    server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () =>
    createCamundaClient(
      { url, tls: { insecure: false } },
      { log: createLogger(0, (text) => text, () => undefined), signal: new AbortController().signal, deadline: Date.now() + 5000, timeoutSeconds: 5 },
    );

  it('a count written with any number of digits is taken exactly when it is a count; otherwise the line names it as written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.bigInt({ min: 0n, max: 2n ** 54n })), async (count) => {
        body = `{"count": ${count}}`;
        const result = await client()
          .get('/incident/count', {}, countResult)
          .then((value) => value.count, (error: unknown) => error);
        if (count >= 0n && count <= BigInt(Number.MAX_SAFE_INTEGER)) expect(result).toBe(Number(count));
        else {
          expect(result).toBeInstanceOf(CamundaError);
          // Shortened like any text from the engine: a number of a thousand digits must not fill the status line.
          expect((result as CamundaError).message).toContain(`: count ${cleanText(String(count), 40)} is not a whole number from 0 to 9007199254740991`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('any body ends in a value of the shape or in one CamundaError line, never in another error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify([v]))), async (text) => {
        body = text;
        try {
          const value = await client().get('/job', {}, arrayOf(job));
          for (const item of value) expect(item.retries === undefined || item.retries === null || isCount(item.retries)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(CamundaError);
          expect((error as Error).message).not.toMatch(/[\r\n]/);
        }
      }),
      { numRuns: 60 },
    );
  });
});
