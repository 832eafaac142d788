import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Fault, type RunningSimulator } from '../../src/simulator';
import { validateResponse } from '../support/openapi';
import { clock, get, getOk, scenario } from './fixture';

const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('engines and routing', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ scenario, now: clock });
  });
  afterAll(() => sim.close());

  it('lists the engines at the root only, and the version at the root and below /engine/{name}', async () => {
    expect(await getOk(sim, '/engine')).toEqual([{ name: 'default' }, { name: 'second' }]);
    expect((await get(sim, '/engine/default/engine')).status).toBe(404);
    expect(await getOk(sim, '/version')).toEqual({ version: '7.15.0' });
    // NamedProcessEngineRestServiceImpl.java:254-256 maps /{name}/version; VersionRestService.java:39
    // answers the package version without looking the engine up, so any name answers.
    expect(await getOk(sim, '/engine/default/version')).toEqual({ version: '7.15.0' });
    expect(await getOk(sim, '/engine/nonexistent/version')).toEqual({ version: '7.15.0' });
  });

  it('addresses the default engine with and without /engine/default', async () => {
    expect(await getOk(sim, '/incident/count')).toEqual({ count: 5 });
    expect(await getOk(sim, '/engine/default/incident/count')).toEqual({ count: 5 });
  });

  it('addresses a named engine', async () => {
    expect(await getOk(sim, '/engine/second/incident')).toEqual([]);
    expect((await getOk<{ key: string }[]>(sim, '/engine/second/process-definition')).map((d) => d.key)).toEqual(['calm']);
    expect(await getOk(sim, '/engine/second/process-instance/count')).toEqual({ count: 2 });
  });

  it.each(['/incident', '/incident/count', '/process-definition', '/process-definition/statistics', '/job/count', '/job-definition', '/task/count', '/process-instance/count'])(
    'answers an unknown engine with 400 like AbstractRestProcessEngineAware: %s',
    async (path) => {
      const answer = await get(sim, `/engine/nonexistent${path}`);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toBe('application/json');
      expect(answer.body).toEqual({ type: 'InvalidRequestException', message: 'No process engine available' });
      expect(validateResponse('get', path, 400, answer.body)).toEqual([]);
    },
  );

  it('checks query parameters before it looks for the engine, like the engine does', async () => {
    expect((await get(sim, '/engine/nonexistent/incident?sortBy=nope&sortOrder=asc')).body).toMatchObject({ message: "Cannot set query parameter 'sortBy' to value 'nope'" });
    // ...but the sorting pair only when building the query, after the engine lookup.
    expect((await get(sim, '/engine/nonexistent/incident?sortBy=incidentId')).body).toMatchObject({ message: 'No process engine available' });
  });

  it('answers unknown resources with 404 and other methods with 405', async () => {
    expect(await get(sim, '/incidents')).toMatchObject({ status: 404, body: { type: 'NotFoundException', message: 'HTTP 404 Not Found' } });
    expect((await get(sim, '/engine/nonexistent/nothing-here')).status).toBe(404);
    expect((await get(sim, '/engine/default')).status).toBe(404);
    const post = await get(sim, '/incident', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(post).toMatchObject({ status: 405, body: { type: 'NotAllowedException' } });
  });

  it('answers paths outside the REST application like a servlet container', async () => {
    const response = await fetch(sim.url.replace('/engine-rest', '/camunda/app/'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    await response.text();
  });

  it('supports HEAD', async () => {
    const response = await fetch(`${sim.url}/incident/count`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});

describe('request recording', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ scenario, now: clock });
  });
  afterAll(() => sim.close());

  it('records method, path without prefixes, engine, decoded query, status and ignored parameters', async () => {
    await get(sim, '/incident?incidentMessageLike=%25SAP%20%7C%25&sortBy=incidentId&sortOrder=asc');
    await get(sim, '/engine/second/incident/count?processDefinitionKeyIn=a%2Cb&bogus=1&incidentType=x&incidentType=y');
    await get(sim, '/engine/nonexistent/job');
    await get(sim, '/nothing');
    await fetch(sim.url.replace('/engine-rest', '/other?x=1')).then((r) => r.text());
    expect(sim.requests).toEqual([
      { method: 'GET', path: '/incident', engine: undefined, query: { incidentMessageLike: '%SAP |%', sortBy: 'incidentId', sortOrder: 'asc' }, status: 200, ignored: [] },
      { method: 'GET', path: '/incident/count', engine: 'second', query: { processDefinitionKeyIn: 'a,b', bogus: '1', incidentType: 'x' }, status: 200, ignored: ['bogus'] },
      { method: 'GET', path: '/job', engine: 'nonexistent', query: {}, status: 400, ignored: [] },
      { method: 'GET', path: '/nothing', engine: undefined, query: {}, status: 404, ignored: [] },
      { method: 'GET', path: '/other', engine: undefined, query: { x: '1' }, status: 404, ignored: [] },
    ]);
  });

  it('keeps parameter names that collide with object internals as plain data', async () => {
    expect(await getOk(sim, '/incident/count?constructor=1&__proto__=2&toString=3')).toEqual({ count: 5 });
    const last = sim.requests.at(-1)!;
    expect(Object.keys(last.query)).toEqual(['constructor', '__proto__', 'toString']);
    expect(last.ignored).toEqual(['constructor', '__proto__', 'toString']);
  });
});

describe('options', () => {
  it('prints every date in the configured offset and parses dates in any offset', async () => {
    const sim = await startSimulator({ scenario, now: clock, timezoneOffset: '+0100' });
    try {
      const incidents = await getOk<{ incidentTimestamp: string }[]>(sim, '/incident?sortBy=incidentTimestamp&sortOrder=asc');
      expect(incidents.map((i) => i.incidentTimestamp)).toEqual([
        '2024-02-29T13:00:00.000+0100',
        '2024-03-01T11:00:00.000+0100',
        '2024-03-01T11:00:00.000+0100',
        '2024-03-01T12:30:00.000+0100',
        '2024-03-01T12:50:00.000+0100',
      ]);
      expect(await getOk(sim, '/incident/count?incidentTimestampAfter=2024-03-01T06:45:00.000-0500')).toEqual({ count: 1 });
      const jobs = await getOk<{ dueDate: string | null }[]>(sim, '/job?timers=true&sortBy=jobDueDate&sortOrder=asc');
      expect(jobs.map((j) => j.dueDate)).toEqual(['2024-03-01T12:50:00.000+0100', '2024-03-01T15:00:00.000+0100']);
    } finally {
      await sim.close();
    }
  });

  it('can be closed twice', async () => {
    const sim = await startSimulator({ scenario });
    await Promise.all([sim.close(), sim.close()]);
    await expect(sim.close()).resolves.toBeUndefined();
    await expect(fetch(`${sim.url}/engine`)).rejects.toThrow();
  });

  it('rejects a malformed offset', async () => {
    await expect(startSimulator({ scenario, timezoneOffset: '+01:00' })).rejects.toThrow(/invalid timezone offset/);
  });

  it('serves under another base path', async () => {
    const sim = await startSimulator({ scenario, now: clock, basePath: '/rest/' });
    try {
      expect(sim.url).toBe(`http://127.0.0.1:${sim.port}/rest`);
      expect(await getOk(sim, '/engine/second/incident/count')).toEqual({ count: 0 });
      expect((await fetch(`http://127.0.0.1:${sim.port}/engine-rest/incident`)).status).toBe(404);
      expect(sim.requests.at(-1)).toMatchObject({ path: '/engine-rest/incident', engine: undefined, status: 404 });
    } finally {
      await sim.close();
    }
  });

  it('reports scenario mistakes at start-up, naming the entry', async () => {
    const broken = { engines: [{ name: 'default', processDefinitions: [{ key: 'a', versions: [{ version: 1 }] }], instances: [{ ref: 'x', definition: 'b' }] }] };
    await expect(startSimulator({ scenario: broken })).rejects.toThrow("scenario engine 'default': instances[0]: no process definition with key 'b'");
  });
});

describe('authentication', () => {
  let basicSim: RunningSimulator;
  let tokenSim: RunningSimulator;
  beforeAll(async () => {
    basicSim = await startSimulator({ scenario, now: clock, auth: { username: 'monitor', password: 's3cr:t' } });
    tokenSim = await startSimulator({ scenario, now: clock, auth: { token: 'tok-123' } });
  });
  afterAll(() => Promise.all([basicSim.close(), tokenSim.close()]));

  it('answers 401 with an empty body and a Basic challenge without credentials', async () => {
    const answer = await get(basicSim, '/incident/count');
    expect(answer.status).toBe(401);
    expect(answer.text).toBe('');
    expect(answer.headers.get('www-authenticate')).toBe('Basic realm="default"');
  });

  it('names the addressed engine as realm', async () => {
    expect((await get(basicSim, '/engine/second/incident/count')).headers.get('www-authenticate')).toBe('Basic realm="second"');
  });

  it('answers 401 for wrong credentials', async () => {
    expect((await get(basicSim, '/incident/count', { headers: basic('monitor', 'wrong') })).status).toBe(401);
    expect((await get(basicSim, '/incident/count', { headers: basic('admin', 's3cr:t') })).status).toBe(401);
    expect((await get(basicSim, '/incident/count', { headers: { Authorization: 'Bearer s3cr:t' } })).status).toBe(401);
  });

  it('lets the right credentials through (passwords may contain colons)', async () => {
    expect(await get(basicSim, '/incident/count', { headers: basic('monitor', 's3cr:t') })).toMatchObject({ status: 200, body: { count: 5 } });
    expect(await get(basicSim, '/engine/second/incident/count', { headers: basic('monitor', 's3cr:t') })).toMatchObject({ status: 200, body: { count: 0 } });
  });

  it('leaves the engine list open, like ProcessEngineAuthenticationFilter', async () => {
    expect(await getOk(basicSim, '/engine')).toEqual([{ name: 'default' }, { name: 'second' }]);
  });

  it('answers an unknown engine before asking for credentials', async () => {
    const answer = await get(basicSim, '/engine/nonexistent/incident');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ type: 'InvalidRequestException', message: 'Process engine nonexistent not available' });
  });

  it('accepts a Bearer token in token mode', async () => {
    const none = await get(tokenSim, '/incident/count');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="default"');
    expect((await get(tokenSim, '/incident/count', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await get(tokenSim, '/incident/count', { headers: basic('tok-123', '') })).status).toBe(401);
    expect(await get(tokenSim, '/incident/count', { headers: { Authorization: 'Bearer tok-123' } })).toMatchObject({ status: 200, body: { count: 5 } });
  });
});

describe('faults', () => {
  const withFault = async <T>(fault: Fault, use: (sim: RunningSimulator) => Promise<T>) => {
    const sim = await startSimulator({ scenario, now: clock, fault });
    try {
      return await use(sim);
    } finally {
      await sim.close();
    }
  };

  it('hang: accepts the request, never answers, and close() still ends it promptly', async () => {
    const sim = await startSimulator({ scenario, now: clock, fault: 'hang' });
    const started = Date.now();
    await expect(fetch(`${sim.url}/incident`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const pending = fetch(`${sim.url}/incident/count`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = Date.now();
    await sim.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    expect(sim.requests.map((r) => [r.path, r.status])).toEqual([
      ['/incident', 0],
      ['/incident/count', 0],
    ]);
  });

  it("proxy-502: nginx's HTML error page", async () => {
    await withFault('proxy-502', async (sim) => {
      const response = await fetch(`${sim.url}/incident`);
      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toBe('text/html');
      expect(response.headers.get('server')).toBe('nginx');
      expect(await response.text()).toContain('<title>502 Bad Gateway</title>');
    });
  });

  it('broken-json: 200 application/json with the real body cut short', async () => {
    const healthy = await startSimulator({ scenario, now: clock });
    const complete = await (await fetch(`${healthy.url}/incident`)).text();
    await healthy.close();
    await withFault('broken-json', async (sim) => {
      const response = await fetch(`${sim.url}/incident`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      const text = await response.text();
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThan(complete.length);
      expect(complete.startsWith(text)).toBe(true);
    });
  });

  it('wrong-shape: 200 JSON that is not the DTO', async () => {
    await withFault('wrong-shape', async (sim) => {
      for (const path of ['/incident', '/incident/count']) {
        const response = await fetch(`${sim.url}${path}`);
        expect(response.status).toBe(200);
        const body: unknown = await response.json();
        expect(typeof body).toBe('string');
        expect(validateResponse('get', path, 200, body)).not.toEqual([]);
      }
    });
  });

  it("server-error: 500 with Camunda's ExceptionDto", async () => {
    await withFault('server-error', async (sim) => {
      const response = await fetch(`${sim.url}/incident/count`);
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/json');
      const body = (await response.json()) as { type: string; message: string };
      expect(body.type).toBe('ProcessEngineException');
      expect(body.message).toContain('SQLTransientConnectionException');
      expect(Object.keys(body).sort()).toEqual(['message', 'type']);
    });
  });

  it('leaves error answers alone', async () => {
    await withFault('broken-json', async (sim) => {
      expect(await get(sim, '/engine/nonexistent/incident')).toMatchObject({ status: 400, body: { message: 'No process engine available' } });
    });
  });
});
