import { gzipSync } from 'node:zlib';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { formatCamundaDate, offsetMinutes } from './dates';
import { invalidRequest, jaxRsMethodNotAllowed, jaxRsNotFound, RestError } from './errors';
import { accessOf, UNCHECKED, type Access } from './authorization';
import { buildEngine, type EngineModel } from './model';
import { splitEnginePath } from './paths';
import { matchRoute, type RequestContext } from './routes';
import { buildSchemaLog } from './resources/schema-log';
import { matchWriteRoute, notAuthorized } from './writes';
import type { Scenario } from './scenario';

export type Fault = 'hang' | 'proxy-502' | 'broken-json' | 'wrong-shape' | 'server-error';
export const FAULTS: readonly Fault[] = ['hang', 'proxy-502', 'broken-json', 'wrong-shape', 'server-error'];

export type SimulatorAuth = { username: string; password: string } | { token: string };

export interface SimulatorOptions {
  scenario: Scenario;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default `/engine-rest`. */
  basePath?: string;
  /**
   * Require HTTP Basic credentials, or a Bearer token, on every engine request. This user is in
   * camunda-admin unless the scenario declares it; the users a scenario declares authenticate too.
   */
  auth?: SimulatorAuth;
  /**
   * Misbehave on every request, for error-path tests:
   * - `hang`: accept the request and never answer;
   * - `proxy-502`: an nginx "502 Bad Gateway" HTML page;
   * - `broken-json`: 200 application/json, the real body cut in half;
   * - `wrong-shape`: 200 application/json with a JSON string instead of the DTO;
   * - `server-error`: 500 with an ExceptionDto of type ProcessEngineException.
   */
  fault?: Fault;
  /** Clock for "now" (start-up time of the scenario, executable jobs). Default: real time. */
  now?: () => Date;
  /** Offset of every date the simulator prints, e.g. `+0100`. Default `+0000`. */
  timezoneOffset?: string;
  /**
   * Compress answers of at least 2 KiB with gzip when the request accepts it, as Spring Boot does
   * with `server.compression.enabled` (its default `min-response-size` is 2 KB).
   */
  compress?: boolean;
  /** Answer every request this many milliseconds late, as a loaded engine does. */
  latencyMs?: number;
  /** Serve https with this PEM certificate and key; with `clientCa`, require a client certificate signed by it (mutual TLS). */
  tls?: { cert: string; key: string; clientCa?: string };
  /** Answer every write (PUT) with the engine's 403 AuthorizationException, as for a read-only monitoring user. */
  denyWrites?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path without base path and `/engine/{name}` prefix (the full path if outside the base path). */
  path: string;
  /** Name from `/engine/{name}/...`; undefined for the default-engine paths. */
  engine: string | undefined;
  /** Decoded query; the first value of a repeated parameter, as Camunda uses. */
  query: Record<string, string>;
  /** Response status; 0 while unanswered (fault `hang`). */
  status: number;
  /** Query parameters the simulator did not apply (unknown to the resource or not simulated). */
  ignored: string[];
  /** The JSON body of a write, once parsed. */
  body?: unknown;
}

export interface RunningSimulator {
  /** E.g. `http://127.0.0.1:40123/engine-rest`. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Stops listening and ends every open connection, hanging ones included. */
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json';

/** What nginx sends when the engine behind it is down. */
const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** A servlet container's page for a path outside the REST application. */
const CONTAINER_404 = '<!doctype html><html lang="en"><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1></body></html>';

const SERVER_ERROR = {
  type: 'ProcessEngineException',
  message:
    '### Error querying database.  Cause: java.sql.SQLTransientConnectionException: HikariPool-1 - ' +
    'Connection is not available, request timed out after 30000ms.',
};

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const jsonReply = (status: number, value: unknown): Reply => ({
  status,
  headers: { 'Content-Type': JSON_TYPE },
  body: JSON.stringify(value),
});

/** The authenticated user id, or undefined when the credentials are missing or wrong. */
function authenticatedUser(auth: SimulatorAuth | undefined, engine: EngineModel, header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (auth && 'token' in auth) return scheme?.toLowerCase() === 'bearer' && value === auth.token ? 'token' : undefined;
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  const declared = engine.identity.users.get(username);
  if (declared) return declared.password === password ? username : undefined;
  return auth && username === auth.username && password === auth.password ? username : undefined;
}

/** The user of HTTP Basic credentials, as the engine's AuthorizationException names them; null without. */
function basicUser(header: string | undefined): string | null {
  const [scheme, value = ''] = (header ?? '').split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'basic') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : null;
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const clock = options.now ?? (() => new Date());
  const offset = options.timezoneOffset ?? '+0000';
  offsetMinutes(offset); // reject a bad offset now rather than on the first request
  const basePath = (options.basePath ?? '/engine-rest').replace(/\/+$/, '');
  const startedAt = clock();
  const engines = new Map<string, EngineModel>(options.scenario.engines.map((e) => [e.name, buildEngine(e, startedAt)]));
  const camundaVersion = options.scenario.camundaVersion ?? '7.15.0';
  const schemaLogs = new Map(options.scenario.engines.map((e) => [e.name, buildSchemaLog(e, camundaVersion, startedAt)]));
  const requests: RecordedRequest[] = [];

  /** Camunda's answer to an engine request, before any fault is applied. */
  function answer(req: IncomingMessage, record: RecordedRequest, split: ReturnType<typeof splitEnginePath>, body: string | undefined): Reply {
    if (!split) return { status: 404, headers: { 'Content-Type': 'text/html;charset=utf-8' }, body: CONTAINER_404 };

    // ProcessEngineAuthenticationFilter: the engine list is open; the engine is looked up before the credentials.
    // The filter is on when the simulator has an `auth` user or the scenario declares users.
    const engineList = split.engine === undefined && /^\/engine\/?$/.test(split.path);
    const engineName = split.engine ?? 'default';
    const secured = options.auth !== undefined || (engines.get(engineName)?.identity.users.size ?? 0) > 0;
    let access: Access = UNCHECKED;
    if (secured && !engineList) {
      const model = engines.get(engineName);
      if (!model) {
        return jsonReply(404, { type: 'InvalidRequestException', message: `Process engine ${engineName} not available` });
      }
      const user = authenticatedUser(options.auth, model, req.headers.authorization);
      if (user === undefined) {
        const challenge = options.auth && 'token' in options.auth ? `Bearer realm="${engineName}"` : `Basic realm="${engineName}"`;
        return { status: 401, headers: { 'WWW-Authenticate': challenge } };
      }
      access = accessOf(model.identity, user);
    }

    const write = req.method === 'PUT' ? matchWriteRoute(split.path) : undefined;
    if (write) {
      const model = engines.get(split.engine ?? 'default');
      if (!model) throw invalidRequest('No process engine available');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body ?? '');
      } catch {
        throw invalidRequest('simulator: the request body is not JSON');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidRequest('simulator: the request body is not a JSON object');
      record.body = parsed;
      const permissions = write.route.permissions(model, write.id);
      if (options.denyWrites && permissions.length > 0) throw notAuthorized(basicUser(req.headers.authorization), permissions);
      write.route.handle(model, write.id, parsed as Record<string, unknown>);
      return { status: 204 };
    }
    const matched = matchRoute(split.path, split.engine === undefined);
    if (!matched) throw jaxRsNotFound();
    if (req.method !== 'GET' && req.method !== 'HEAD') throw jaxRsMethodNotAllowed();

    const context: RequestContext = {
      query: record.query,
      now: clock(),
      date: (d) => (d === null ? null : formatCamundaDate(d, offset)),
      engine() {
        const model = engines.get(split.engine ?? 'default');
        // AbstractRestProcessEngineAware#getProcessEngine
        if (!model) throw invalidRequest('No process engine available');
        return model;
      },
      engineNames: [...engines.keys()],
      camundaVersion,
      schemaLog() {
        // Looked up like every engine resource, so an unknown engine gets the same answer.
        context.engine();
        return schemaLogs.get(split.engine ?? 'default') ?? [];
      },
      ignore: (names) => record.ignored.push(...names),
      access,
    };
    return jsonReply(200, matched.route.handle(context, matched.pathParams));
  }

  function applyFault(reply: Reply): Reply {
    if (reply.status !== 200) return reply;
    switch (options.fault) {
      case 'broken-json':
        return { ...reply, body: reply.body!.slice(0, Math.max(1, Math.floor(reply.body!.length / 2))) };
      case 'wrong-shape':
        return jsonReply(200, 'Service Unavailable');
      case 'server-error':
        return jsonReply(500, SERVER_ERROR);
      default:
        return reply;
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // Concatenated rather than resolved, so that `//x` stays a path and is not read as a host.
    const url = new URL(`http://simulator${req.url?.startsWith('/') ? req.url : '/'}`);
    const split = splitEnginePath(url.pathname, basePath);
    const firstValues = new Map<string, string>();
    for (const [name, value] of url.searchParams) if (!firstValues.has(name)) firstValues.set(name, value);
    // fromEntries defines own properties, so even a parameter named __proto__ stays data.
    const query = Object.fromEntries(firstValues);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: split?.path ?? url.pathname,
      engine: split?.engine,
      query,
      status: 0,
      ignored: [],
    };
    requests.push(record);

    if (options.fault === 'hang') return;
    if (req.method !== 'PUT' && req.method !== 'POST') {
      respond(req, res, record, split, undefined);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => respond(req, res, record, split, Buffer.concat(chunks).toString('utf8')));
  }

  function respond(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, split: ReturnType<typeof splitEnginePath>, body: string | undefined): void {
    let reply: Reply;
    if (options.fault === 'proxy-502') {
      reply = { status: 502, headers: { 'Content-Type': 'text/html', Server: 'nginx' }, body: NGINX_502 };
    } else {
      try {
        reply = applyFault(answer(req, record, split, body));
      } catch (error) {
        reply =
          error instanceof RestError
            ? jsonReply(error.status, error.body)
            : jsonReply(500, { type: 'RestException', message: `simulator bug: ${(error as Error).message}` });
      }
    }
    record.status = reply.status;
    let sent: string | Buffer = reply.body ?? '';
    const headers: Record<string, string> = { ...reply.headers };
    if (options.compress && Buffer.byteLength(sent) >= 2048 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      sent = gzipSync(sent);
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = String(Buffer.byteLength(sent));
    const send = () => {
      res.writeHead(reply.status, headers);
      res.end(sent);
    };
    if (options.latencyMs) setTimeout(send, options.latencyMs);
    else send();
  }

  const tls = options.tls;
  const server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: !!tls.clientCa, rejectUnauthorized: !!tls.clientCa }, handle)
    : createServer(handle);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('simulator: unexpected server address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${address.port}${basePath}`,
    port: address.port,
    requests,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging requests and idle keep-alive connections hold their sockets; end them so close() returns promptly.
        for (const socket of sockets) socket.destroy();
      })),
  };
}
