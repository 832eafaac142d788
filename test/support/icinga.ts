import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/*
 * A real Icinga 2 daemon for end-to-end tests: private configuration and state under a temporary
 * directory (no systemd, nothing under /etc or /var), the REST API on 127.0.0.1 with an ApiUser,
 * the project's CheckCommands with PluginDir = dist/, and an InfluxdbWriter pointed at a loopback
 * listener: the metric writers are where Icinga shows the performance data it parsed (the API only
 * has the raw strings). The InfluxdbWriter posts each point at once (flush_threshold 1) over a new
 * connection and names the unit; the GraphiteWriter would drop results until its first reconnect.
 */

export const TEMPLATES = fileURLToPath(new URL('../../icinga-templates/', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> };

/** Every check the package installs, with the CheckCommand named after it: check_camunda_x -> camunda-x. */
export const CHECKS = Object.keys(PACKAGE.bin).filter((plugin) => plugin.startsWith('check_')).map((plugin) => ({ plugin, command: plugin.replace(/^check_/, '').replaceAll('_', '-') }));

/** Icinga is installed where `icinga2 --version` runs (Debian: icinga2, or icinga2-bin + icinga2-common). */
export function icingaInstalled(): boolean {
  return spawnSync('icinga2', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Icinga drops its privileges to ICINGA2_USER/ICINGA2_GROUP (the packages default to nagios);
 * the current user keeps every private file readable, root included (CI runs as root).
 */
export function currentUserAndGroup(): { user: string; group: string } {
  const group = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
  return { user: userInfo().username, group };
}

/** An Icinga 2 DSL literal for a JSON-like value: strings, numbers, booleans, arrays, dictionaries. */
export function icingaValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value).replace(/\$/g, '$$$$');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[ ${value.map(icingaValue).join(', ')} ]`;
  if (value !== null && typeof value === 'object') {
    return `{\n${Object.entries(value).map(([key, item]) => `  ${JSON.stringify(key)} = ${icingaValue(item)}`).join('\n')}\n}`;
  }
  throw new Error(`no Icinga literal for ${String(value)}`);
}

/**
 * The start of a main configuration file: the constants the ITL expects, the ITL with its plugin
 * commands, and the given files of icinga-templates/.
 */
export function icingaPreamble(pluginDir: string, templates: readonly string[]): string[] {
  return [
    `const PluginDir = ${icingaValue(pluginDir)}`,
    'const PluginContribDir = "/usr/lib/nagios/plugins"',
    'const ManubulonPluginDir = "/usr/lib/nagios/plugins"',
    'const NodeName = "localhost"',
    'const ZoneName = "localhost"',
    'const TicketSalt = ""',
    'include <itl>',
    'include <plugins>',
    ...templates.map((file) => `include ${icingaValue(join(TEMPLATES, file))}`),
  ];
}

/** `vars.name = value` lines for an object body. */
export function icingaVars(vars: Record<string, unknown>): string[] {
  return Object.entries(vars).map(([name, value]) => `vars.${name} = ${icingaValue(value)}`);
}

/** What Icinga stores as `last_check_result` (the attributes the tests read). */
export interface IcingaCheckResult {
  readonly state: number;
  readonly exit_status: number;
  readonly output: string;
  /** The raw perfdata items as Icinga split them off the status line (not parsed). */
  readonly performance_data?: readonly string[];
  /** The command line Icinga ran, as an argument vector. */
  readonly command: readonly string[];
  readonly execution_start: number;
  readonly execution_end: number;
}

/** One performance data item as the InfluxdbWriter sent it: proof that Icinga parsed it. */
export interface ParsedPerfdata {
  value?: number;
  warn?: number;
  crit?: number;
  min?: number;
  max?: number;
  /** Icinga's name of the unit: `seconds`, `bytes`, `percent`, … (values are normalised to it). */
  unit?: string;
}

export interface RunningIcinga {
  /** Private directory of configuration, state, logs. */
  readonly dir: string;
  /**
   * Forces a check of every listed service at once (reschedule-check with force) and waits
   * until each has a result that started after the request; keyed by `host!service`.
   */
  checkNow(services: readonly { host: string; service: string }[], timeoutMs?: number): Promise<Map<string, IcingaCheckResult>>;
  /** The performance data Icinga parsed for this check result of a service, label → fields, as its InfluxdbWriter sent it. */
  parsedPerfdata(host: string, service: string, result: IcingaCheckResult, labels: readonly string[], timeoutMs?: number): Promise<Record<string, ParsedPerfdata>>;
  /** Icinga's own log so far (stdout and stderr of the foreground daemon). */
  log(): string;
  /** A request to Icinga's REST API (`/v1/...`) as the test's ApiUser: status and parsed JSON body. */
  api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Stops Icinga (SIGTERM to its process group, SIGKILL after a grace period) and removes its directory. */
  stop(): Promise<void>;
}

export interface IcingaOptions {
  /** Object definitions: hosts, services, anything else; the CheckCommands are already included. */
  readonly objects: string;
  /** Template files of icinga-templates/ to include, camunda-connection.conf first. */
  readonly templates: readonly string[];
  /** Milliseconds to wait for the API after start. */
  readonly startTimeoutMs?: number;
}

const API_USER = 'e2e';
const API_PASSWORD = 'e2e-api-Secret';

/** A port on 127.0.0.1 that was free a moment ago (bind, note, close). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One line of InfluxDB's line protocol: `measurement,tag=v field=1,unit="seconds" 1700000000`. */
export interface InfluxPoint {
  readonly measurement: string;
  readonly tags: Record<string, string>;
  readonly fields: Record<string, number | string | boolean>;
  readonly timestamp: number;
}

/** Splits at `separator` outside double quotes, honouring backslash escapes. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      current += char + text[++i];
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string): string => text.replace(/\\(.)/g, '$1');

function fieldValue(text: string): number | string | boolean {
  if (text.startsWith('"')) return unescape(text.slice(1, -1));
  if (text === 'true' || text === 'false') return text === 'true';
  return Number(text.replace(/i$/, ''));
}

export function parseInfluxLine(line: string): InfluxPoint {
  const [series = '', fields = '', timestamp = ''] = splitUnescaped(line, ' ');
  const [measurement = '', ...tags] = splitUnescaped(series, ',');
  const pair = (item: string): [string, string] => {
    const [key = '', ...value] = splitUnescaped(item, '=');
    return [unescape(key), value.join('=')];
  };
  return {
    measurement: unescape(measurement),
    tags: Object.fromEntries(tags.map(pair).map(([key, value]) => [key, unescape(value)])),
    fields: Object.fromEntries(splitUnescaped(fields, ',').map(pair).map(([key, value]) => [key, fieldValue(value)])),
    timestamp: Number(timestamp),
  };
}

/** A loopback HTTP server in the role of InfluxDB: collects what Icinga's InfluxdbWriter writes. */
async function startInfluxListener(): Promise<{ port: number; points: InfluxPoint[]; close(): Promise<void> }> {
  const points: InfluxPoint[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.startsWith('/write')) points.push(...body.split('\n').filter(Boolean).map(parseInfluxLine));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    points,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts Icinga 2 in the foreground of a new process group with a private configuration.
 * Certificates for the API come from `icinga2 api setup`, written into the private DataDir.
 */
export async function startIcinga(options: IcingaOptions): Promise<RunningIcinga> {
  const dir = mkdtempSync(join(tmpdir(), 'icinga-e2e-'));
  const dirs = Object.fromEntries(['data', 'log', 'cache', 'spool', 'run', 'setup'].map((name) => [name, join(dir, name)]));
  for (const path of Object.values(dirs)) mkdirSync(path, { recursive: true });
  const { user, group } = currentUserAndGroup();
  const env = {
    // Icinga runs the checks with its own environment: node must be on PATH for the bundles' shebang.
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    ICINGA2_USER: user,
    ICINGA2_GROUP: group,
  };
  const constants = [
    `-DDataDir=${dirs.data}`,
    `-DLogDir=${dirs.log}`,
    `-DCacheDir=${dirs.cache}`,
    `-DSpoolDir=${dirs.spool}`,
    `-DInitRunDir=${dirs.run}`,
    `-DPidPath=${join(dirs.run!, 'icinga2.pid')}`,
  ];
  let daemon: ChildProcess | undefined;
  let influx: Awaited<ReturnType<typeof startInfluxListener>> | undefined;
  let output = '';

  const stop = async (): Promise<void> => {
    if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
      const exited = new Promise<void>((resolve) => daemon!.once('exit', () => resolve()));
      // The daemon forks a process spawn helper and its check processes: signal the whole group.
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-daemon!.pid!, name);
        } catch {
          /* the group is gone already */
        }
      };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await influx?.close();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // The CA and a certificate for NodeName "localhost" (its setup side effects stay in dirs.setup).
    await promisify(execFile)('icinga2', ['api', 'setup', '--cn', 'localhost', ...constants, `-DConfigDir=${dirs.setup}`], { env });
    influx = await startInfluxListener();
    const apiPort = await unusedPort();
    const config = join(dir, 'icinga2.conf');
    writeFileSync(
      config,
      [
        ...icingaPreamble(DIST.replace(/\/$/, ''), options.templates),
        'object Endpoint NodeName { }',
        'object Zone ZoneName { endpoints = [ NodeName ] }',
        `object ApiListener "api" {\n  bind_host = "127.0.0.1"\n  bind_port = ${apiPort}\n}`,
        `object ApiUser ${icingaValue(API_USER)} {\n  password = ${icingaValue(API_PASSWORD)}\n  permissions = [ "*" ]\n}`,
        'object CheckerComponent "checker" { }',
        [
          'object InfluxdbWriter "perfdata" {',
          '  host = "127.0.0.1"',
          `  port = ${influx.port}`,
          '  database = "icinga2"',
          '  flush_threshold = 1',
          '  enable_send_thresholds = true',
          '  host_template = { measurement = "$host.check_command$"; tags = { hostname = "$host.name$" } }',
          '  service_template = { measurement = "$service.check_command$"; tags = { hostname = "$host.name$"; service = "$service.name$" } }',
          '}',
        ].join('\n'),
        options.objects,
      ].join('\n'),
    );
    const ca = readFileSync(join(dirs.data!, 'certs', 'ca.crt'));

    daemon = spawn('icinga2', ['daemon', '-c', config, ...constants], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Whatever ends the test run, the daemon and its checks do not outlive it.
    const killOnExit = () => {
      try {
        process.kill(-daemon!.pid!, 'SIGKILL');
      } catch {
        /* gone already */
      }
    };
    process.once('exit', killOnExit);
    daemon.once('exit', () => process.off('exit', killOnExit));
    daemon.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    daemon.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => daemon!.once('exit', () => resolve()));

    const api = <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          {
            host: '127.0.0.1',
            port: apiPort,
            // Icinga's certificate is for NodeName "localhost", signed by the private CA: fully verified.
            servername: 'localhost',
            ca,
            method,
            path,
            auth: `${API_USER}:${API_PASSWORD}`,
            headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json' } : {}) },
            timeout: 5_000,
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => {
              try {
                resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T });
              } catch {
                reject(new Error(`Icinga API ${method} ${path}: HTTP ${res.statusCode} ${text.slice(0, 500)}`));
              }
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error(`Icinga API ${method} ${path}: no answer within 5 s`)));
        req.on('error', reject);
        req.end(payload);
      });

    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      const ready = await Promise.race([
        api<unknown>('GET', '/v1/status/IcingaApplication').then(
          (answer) => answer.status === 200,
          () => false,
        ),
        exited.then(() => {
          throw new Error(`icinga2 daemon exited with ${daemon!.exitCode ?? daemon!.signalCode}:\n${output}`);
        }),
      ]);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`Icinga's API did not answer on 127.0.0.1:${apiPort} within the start timeout:\n${output}`);
      await sleep(200);
    }

    const latestResult = async (host: string, service: string): Promise<IcingaCheckResult | undefined> => {
      const name = encodeURIComponent(`${host}!${service}`);
      const answer = await api<{ results?: { attrs: { last_check_result: IcingaCheckResult | null } }[] }>('GET', `/v1/objects/services/${name}?attrs=last_check_result`);
      if (answer.status !== 200) throw new Error(`Icinga has no service ${host}!${service} (HTTP ${answer.status}):\n${output}`);
      return answer.body.results?.[0]?.attrs.last_check_result ?? undefined;
    };

    return {
      dir,
      log: () => output,
      api,
      stop,
      async checkNow(services, timeoutMs = 30_000) {
        const requested = Date.now() / 1000;
        await Promise.all(
          services.map(({ host, service }) =>
            api<{ results: { code: number; status: string }[] }>('POST', '/v1/actions/reschedule-check', {
              type: 'Service',
              filter: 'host.name == h && service.name == s',
              filter_vars: { h: host, s: service },
              force: true,
            }).then((result) => {
              if (result.status !== 200) throw new Error(`reschedule-check of ${host}!${service}: HTTP ${result.status} ${JSON.stringify(result.body)}`);
            }),
          ),
        );
        const results = new Map<string, IcingaCheckResult>();
        const until = Date.now() + timeoutMs;
        while (results.size < services.length) {
          for (const { host, service } of services) {
            const key = `${host}!${service}`;
            if (results.has(key)) continue;
            const result = await latestResult(host, service);
            if (result && result.execution_start >= requested) results.set(key, result);
          }
          if (results.size === services.length) break;
          if (Date.now() > until) {
            const missing = services.map(({ host, service }) => `${host}!${service}`).filter((key) => !results.has(key));
            throw new Error(`no check result from Icinga within ${timeoutMs} ms for ${missing.join(', ')}:\n${output}`);
          }
          await sleep(100);
        }
        return results;
      },
      async parsedPerfdata(host, service, result, labels, timeoutMs = 10_000) {
        // Points carry the result's time in whole seconds: older results of the service are left out.
        const since = Math.floor(result.execution_start);
        const until = Date.now() + timeoutMs;
        for (;;) {
          const parsed: Record<string, ParsedPerfdata> = {};
          for (const point of influx!.points) {
            if (point.tags.hostname !== host || point.tags.service !== service || point.timestamp < since) continue;
            const { metric } = point.tags;
            if (metric !== undefined) parsed[metric] = point.fields as ParsedPerfdata;
          }
          if (labels.every((label) => parsed[label]?.value !== undefined)) return parsed;
          if (Date.now() > until) {
            const missing = labels.filter((label) => parsed[label]?.value === undefined);
            throw new Error(`Icinga's InfluxdbWriter sent no value for ${missing.join(', ')} of ${host}!${service}; it sent:\n${JSON.stringify(influx!.points)}\n${output}`);
          }
          await sleep(100);
        }
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
