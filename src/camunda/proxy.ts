/**
 * HTTP proxies, chosen as curl (and libcurl-based check_curl) chooses them: `--proxy`, else the
 * environment, `https_proxy`/`HTTPS_PROXY` for https URLs and `http_proxy`/`HTTP_PROXY` for http
 * URLs (lower case first), `all_proxy`/`ALL_PROXY` for both; `--no-proxy`, else
 * `no_proxy`/`NO_PROXY`, names the hosts reached directly. https goes through a CONNECT tunnel, so
 * the proxy sees neither the requests nor the credentials for the engine. Pure string work on the
 * environment: a run without proxy loads nothing for it.
 */

import { UsageError } from '../plugin/errors';
import { hideCredentials } from '../plugin/text';

/** One proxy server; `url` is what messages show: scheme, host and port, never credentials. */
export interface ProxyServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** `Basic …` for `http://user:password@proxy`, sent as Proxy-Authorization. */
  readonly authorization?: string | undefined;
  /** The decoded password, for redaction. */
  readonly password?: string | undefined;
  /** Where it came from, named in messages: `--proxy`, `HTTPS_PROXY`, … */
  readonly source: string;
}

export interface ProxySettings {
  /** The proxy for http URLs; an error when the setting cannot be used. */
  readonly http?: ProxyServer | ProxyUrlError | undefined;
  readonly https?: ProxyServer | ProxyUrlError | undefined;
  /** Host patterns reached directly (NO_PROXY entries, lower case); `*` means every host. */
  readonly noProxy: readonly string[];
  /** Where `noProxy` came from, for -vv. */
  readonly noProxySource?: string | undefined;
}

/** curl's default port for a proxy URL without one. */
const DEFAULT_PROXY_PORT = 1080;

/** A proxy setting that cannot be used: raised when a URL would go through it, so an unused variable harms nothing. */
export class ProxyUrlError extends UsageError {}

/**
 * A proxy URL as curl takes it: `http://[user:password@]host[:port]`, the scheme optional. Only
 * plain http proxies: an https or SOCKS proxy is refused with a message rather than bypassed.
 */
export function parseProxyUrl(text: string, source: string): ProxyServer {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ProxyUrlError(`${source}: '${hideCredentials(text)}' is not a proxy URL; expected http://proxy.example:3128`);
  }
  if (url.protocol !== 'http:') {
    throw new ProxyUrlError(`${source}: only http:// proxies are supported, not ${url.protocol.replace(':', '')}:// (the tunnel to an https engine is encrypted end to end all the same)`);
  }
  if (!url.hostname) throw new ProxyUrlError(`${source}: '${hideCredentials(text)}' names no proxy host`);
  // The URL parser drops a port that is the scheme's default (:80): curl's default is 1080, so read the text.
  const written = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*)(?::(\d+))?/i.exec(withScheme)?.[1];
  const port = written ? Number(written) : DEFAULT_PROXY_PORT;
  const user = decode(url.username);
  const password = decode(url.password);
  const authorization = url.username || url.password ? `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` : undefined;
  return { url: `http://${url.hostname}:${port}`, host: url.hostname.replace(/^\[|\]$/g, ''), port, authorization, password: password || undefined, source };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** The first variable of `names` set to something other than blank, with its name. */
function fromEnv(env: Env, names: readonly string[]): [name: string, value: string] | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return [name, value];
  }
  return undefined;
}

/** `a.example, .b.example ,10.0.0.0/8` → its entries, lower case; blank entries dropped. */
export function noProxyList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * The proxies a run uses, or undefined when none is set: the client then connects directly, as
 * before. `proxyOption` is --proxy (for both schemes; '' for none), `noProxyOption` --no-proxy (instead of NO_PROXY).
 */
export function proxySettings(env: Env, proxyOption?: string, noProxyOption?: string): ProxySettings | undefined {
  let http: ProxyServer | ProxyUrlError | undefined;
  let https: ProxyServer | ProxyUrlError | undefined;
  // As curl's --proxy "": an empty value means no proxy at all, whatever the environment says.
  if (proxyOption !== undefined && proxyOption.trim() === '') return undefined;
  if (proxyOption !== undefined) {
    http = https = parseProxyUrl(proxyOption, '--proxy');
  } else {
    const all = fromEnv(env, ['all_proxy', 'ALL_PROXY']);
    const httpEnv = fromEnv(env, ['http_proxy', 'HTTP_PROXY']) ?? all;
    const httpsEnv = fromEnv(env, ['https_proxy', 'HTTPS_PROXY']) ?? all;
    // An https_proxy of socks5:// set for other tools must not fail the checks of an http engine.
    http = httpEnv && parsedOrError(httpEnv[1], httpEnv[0]);
    https = httpsEnv && parsedOrError(httpsEnv[1], httpsEnv[0]);
  }
  if (!http && !https) return undefined;
  const noProxy = noProxyOption !== undefined ? (['--no-proxy', noProxyOption] as const) : fromEnv(env, ['no_proxy', 'NO_PROXY']);
  return { http, https, noProxy: noProxy ? noProxyList(noProxy[1]) : [], noProxySource: noProxy?.[0] };
}

function parsedOrError(text: string, source: string): ProxyServer | ProxyUrlError {
  try {
    return parseProxyUrl(text, source);
  } catch (error) {
    if (error instanceof ProxyUrlError) return error;
    throw error;
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function ipv4Number(address: string): number | undefined {
  if (!IPV4.test(address)) return undefined;
  const parts = address.split('.').map(Number);
  if (parts.some((part) => part > 255)) return undefined;
  return parts.reduce((sum, part) => sum * 256 + part, 0);
}

/** IPv6 address as 8 groups of 16 bits, for prefix comparison; undefined when not one. */
function ipv6Groups(address: string): number[] | undefined {
  if (!address.includes(':') || !/^[0-9a-f:.]+$/i.test(address)) return undefined;
  const [head = '', tail] = address.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function inCidr(host: string, entry: string): boolean {
  const [network = '', bits = ''] = entry.split('/');
  const prefix = Number(bits);
  const hostV4 = ipv4Number(host);
  const netV4 = ipv4Number(network);
  if (hostV4 !== undefined && netV4 !== undefined) {
    if (!(prefix >= 0 && prefix <= 32)) return false;
    const size = 2 ** (32 - prefix);
    return Math.floor(hostV4 / size) === Math.floor(netV4 / size);
  }
  const hostV6 = ipv6Groups(host);
  const netV6 = ipv6Groups(network);
  if (!hostV6 || !netV6 || !(prefix >= 0 && prefix <= 128)) return false;
  for (let bit = 0; bit < prefix; bit++) {
    const group = Math.floor(bit / 16);
    const mask = 1 << (15 - (bit % 16));
    if ((hostV6[group]! & mask) !== (netV6[group]! & mask)) return false;
  }
  return true;
}

/**
 * Whether NO_PROXY lets `url` go directly, as curl reads it: `*` alone matches every host; a name
 * matches itself and its subdomains (a leading dot changes nothing); an IP address matches itself,
 * and `address/bits` a network; an entry with `:port` only that port. Case does not matter.
 */
export function bypassesProxy(url: URL, noProxy: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.some((raw) => {
    if (raw === '*') return true;
    let entry = raw;
    const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
    if (portMatch && !entry.startsWith('[') && (entry.match(/:/g) ?? []).length === 1) {
      if (portMatch[2] !== port) return false;
      entry = portMatch[1]!;
    }
    entry = entry.replace(/^\[|\]$/g, '');
    if (entry.includes('/')) return inCidr(host, entry);
    const name = entry.replace(/^\*?\./, '').replace(/\.$/, '');
    return name !== '' && (host === name || host.endsWith(`.${name}`));
  });
}

/** The proxy for one URL, or undefined for a direct connection; throws when its setting cannot be used. */
export function proxyFor(url: URL, settings: ProxySettings | undefined): ProxyServer | undefined {
  if (!settings) return undefined;
  const proxy = url.protocol === 'https:' ? settings.https : settings.http;
  if (!proxy || bypassesProxy(url, settings.noProxy)) return undefined;
  if (proxy instanceof ProxyUrlError) throw proxy;
  return proxy;
}
