import type { ProxySettings } from './proxy';

/** How to reach one Camunda engine's REST API; built from the command line by `src/cli/connection.ts`. */
export interface ConnectionOptions {
  /** Base URL of the REST API, e.g. `http://camunda:8080/engine-rest`, without trailing slash. */
  readonly url: string;
  /** The command-line option that gave `url`, named in the hints of error messages; default `--url`. */
  readonly urlOption?: string | undefined;
  /** Named engine (`/engine/{name}/...`); undefined means the default engine. */
  readonly engine?: string | undefined;
  readonly auth?: BasicAuth | BearerAuth | undefined;
  readonly tls: TlsOptions;
  /** HTTP proxies (--proxy, HTTPS_PROXY, …); undefined: every request goes directly. */
  readonly proxy?: ProxySettings | undefined;
}

export interface BasicAuth {
  readonly kind: 'basic';
  readonly username: string;
  readonly password: string;
}

export interface BearerAuth {
  readonly kind: 'bearer';
  readonly token: string;
}

export interface TlsOptions {
  /** PEM contents, already read from the files the operator named. */
  readonly ca?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly insecure: boolean;
}

export function authorizationHeader(auth: ConnectionOptions['auth']): string | undefined {
  if (!auth) return undefined;
  if (auth.kind === 'bearer') return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

/** Every value derived from a credential, for redaction of logs and messages. */
export function connectionSecrets(options: ConnectionOptions): string[] {
  const header = authorizationHeader(options.auth);
  const secrets = header ? [header, header.replace(/^\w+ /, '')] : [];
  if (options.auth?.kind === 'basic') secrets.push(options.auth.password);
  if (options.auth?.kind === 'bearer') secrets.push(options.auth.token);
  if (options.tls.key) secrets.push(options.tls.key);
  for (const proxy of new Set([options.proxy?.http, options.proxy?.https])) {
    if (!proxy || proxy instanceof Error) continue;
    if (proxy.authorization) secrets.push(proxy.authorization, proxy.authorization.replace(/^\w+ /, ''));
    if (proxy.password) secrets.push(proxy.password, encodeURIComponent(proxy.password));
  }
  return secrets;
}

export function engineBaseUrl(options: ConnectionOptions): string {
  const base = options.url.replace(/\/+$/, '');
  return options.engine === undefined ? base : `${base}/engine/${encodeURIComponent(options.engine)}`;
}
