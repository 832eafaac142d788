import type { Argv } from 'yargs';
import type { ConnectionOptions } from '../camunda/connection';
import { builtinModule } from '../plugin/builtin';
import { UsageError } from '../plugin/errors';
import { readSmallRegularFile, type LocalFileError } from '../plugin/files';
import { hideCredentials } from '../plugin/text';
import { lastString, lastValue, nonBlankString, type Args } from './args';
import { proxySettings } from '../camunda/proxy';

export const DEFAULT_URL = 'http://localhost:8080/engine-rest';
export const PASSWORD_ENV = 'CAMUNDA_PASSWORD';
export const TOKEN_ENV = 'CAMUNDA_TOKEN';

const GROUP = 'Connection options:';
/** The variables curl reads proxies from; their passwords are secrets from the start of a run. */
const PROXY_ENV = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'];

export function connectionOptions(argv: Argv): Argv {
  const text = { type: 'string', requiresArg: true, group: GROUP } as const;
  return argv
    .option('url', { ...text, describe: 'Base URL of the Camunda REST API', defaultDescription: DEFAULT_URL })
    .option('engine', { ...text, describe: 'Name of a non-default process engine (requests go to /engine/NAME/...)' })
    .option('username', { ...text, describe: 'User for HTTP Basic authentication' })
    .option('password-file', { ...text, describe: 'File whose first line is the password (preferred: not visible in ps)' })
    .option('password', {
      ...text,
      describe: `Password on the command line: VISIBLE to every user in ps, prefer --password-file or the environment variable ${PASSWORD_ENV}`,
    })
    .option('token', { ...text, describe: `Bearer token for a gateway or proxy (visible in ps; prefer --token-file or ${TOKEN_ENV})` })
    .option('token-file', { ...text, describe: 'File whose first line is the Bearer token' })
    .option('ca-file', { ...text, describe: 'PEM file of the CA(s) that signed the engine certificate' })
    .option('client-cert', { ...text, describe: 'PEM client certificate for mutual TLS' })
    .option('client-key', { ...text, describe: 'PEM private key of the client certificate' })
    .option('insecure', { type: 'boolean', group: GROUP, describe: 'Do not verify the TLS certificate of the engine (testing only)' })
    .option('proxy', {
      ...text,
      describe: "HTTP proxy, http://[user:password@]host[:port] (port 1080 if none; '': no proxy); default: https_proxy, http_proxy, all_proxy as curl reads them",
    })
    .option('no-proxy', { ...text, describe: "Hosts to reach without proxy, comma-separated as NO_PROXY ('*': all); replaces NO_PROXY" });
}

/**
 * First line of a secret file: editors and `echo` add a trailing newline that is not part of the
 * secret. A password keeps every other byte (it may begin or end with a space); a token, which never
 * holds whitespace, is trimmed of what a copy and paste leaves around it.
 */
function readSecretFile(path: string, option: string, trim: boolean): string {
  // Editors on Windows may write a byte order mark, which is no part of the secret either.
  const content = readText(path, option).replace(/^\uFEFF/, '');
  const line = content.split(/\r?\n/, 1)[0] ?? '';
  const firstLine = trim ? line.trim() : line;
  if (firstLine === '') throw new UsageError(`--${option}: the first line of '${path}' is empty`);
  return firstLine;
}

/** PEM files are checked when read, so a wrong file is named by its option and not by OpenSSL's internals. */
function readPem(args: Args, name: string, kind: 'certificate' | 'key'): string | undefined {
  const pem = textFromFile(args, name);
  if (pem === undefined) return undefined;
  // node:crypto is loaded only when a PEM file is given: a check without TLS files does not pay for it at start-up.
  const crypto = builtinModule<typeof import('node:crypto')>('node:crypto');
  try {
    if (kind === 'key') crypto.createPrivateKey(pem);
    else new crypto.X509Certificate(pem);
  } catch {
    throw new UsageError(`--${kebab(name)}: '${lastString(args, name)}' holds no PEM ${kind === 'key' ? 'private key (or it is encrypted)' : 'certificate'}`);
  }
  return pem;
}

/** Secrets and PEM files are small; a larger file (or /dev/zero) is not what the option wants. */
const MAX_FILE_BYTES = 1024 * 1024;

/** A named pipe, device or directory is refused before it is opened: reading it could outlast --timeout. */
function readText(path: string, option: string): string {
  try {
    return readSmallRegularFile(path, MAX_FILE_BYTES);
  } catch (error) {
    const code = (error as LocalFileError).code;
    if (code === 'NOT_REGULAR') throw new UsageError(`--${option}: '${path}' is not a regular file (a named pipe or device could block the check)`);
    if (code === 'TOO_LARGE') throw new UsageError(`--${option}: '${path}' is larger than 1 MiB, not a password, token or PEM file`);
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
    throw new UsageError(`--${option}: cannot read '${path}' (${reason})`);
  }
}

/** yargs hands options over in camel case (`passwordFile`); messages name them as typed (`--password-file`). */
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function exclusive(args: Args, names: string[]): void {
  const given = names.filter((name) => lastString(args, name) !== undefined);
  if (given.length > 1) throw new UsageError(`use only one of ${given.map((n) => `--${kebab(n)}`).join(', ')}`);
}

function secretFromFile(args: Args, name: string, trim = false): string | undefined {
  const path = lastString(args, name);
  return path === undefined ? undefined : readSecretFile(path, kebab(name), trim);
}

function textFromFile(args: Args, name: string): string | undefined {
  const path = lastString(args, name);
  return path === undefined ? undefined : readText(path, kebab(name));
}

/** A REST API base URL without trailing slash; `option` names the option in messages. */
export function validatedUrl(text: string, option = 'url'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--${option}: '${hideCredentials(text)}' is not a URL; expected something like ${DEFAULT_URL}`);
  }
  // `camunda:8080/engine-rest` parses as a URL of the scheme "camunda"; what is missing is http://.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new UsageError(`--${option}: '${hideCredentials(text)}' lacks the scheme: begin it with http:// or https://, e.g. ${DEFAULT_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--${option}: only http and https are supported, not '${url.protocol.replace(':', '')}'`);
  }
  // Credentials in the URL would show in ps and in every message that names the URL.
  if (url.username || url.password) {
    throw new UsageError(`--${option}: must not contain credentials; use --username with --password-file or CAMUNDA_PASSWORD`);
  }
  if (url.search || url.hash) throw new UsageError(`--${option}: must not contain a query or fragment`);
  return url.href.replace(/\/+$/, '');
}

export function connectionFromArgs(args: Args, env: NodeJS.ProcessEnv = process.env): ConnectionOptions {
  exclusive(args, ['password', 'passwordFile']);
  exclusive(args, ['token', 'tokenFile']);
  const username = lastString(args, 'username');
  const passwordGiven = lastString(args, 'password') !== undefined || lastString(args, 'passwordFile') !== undefined;
  const tokenGiven = lastString(args, 'token') !== undefined || lastString(args, 'tokenFile') !== undefined;

  let auth: ConnectionOptions['auth'];
  if (username !== undefined) {
    // Basic authentication joins user and password with a colon; the engine would split at the first one.
    if (username.includes(':')) throw new UsageError('--username: must not contain a colon (HTTP Basic authentication cannot carry it)');
    if (tokenGiven) throw new UsageError('use either --username with a password or a --token, not both');
    // An empty variable counts as not set, as for CAMUNDA_TOKEN: an empty password is never meant.
    const password = secretFromFile(args, 'passwordFile') ?? lastString(args, 'password') ?? (env[PASSWORD_ENV] || undefined);
    if (password === undefined) {
      throw new UsageError(`--username needs a password: give --password-file FILE or set ${PASSWORD_ENV}`);
    }
    auth = { kind: 'basic', username, password };
  } else if (passwordGiven) {
    throw new UsageError('a password needs --username');
  } else {
    // The environment variable may be set for every command of a monitoring host; it applies only without --username.
    const token = secretFromFile(args, 'tokenFile', true) ?? lastString(args, 'token') ?? (env[TOKEN_ENV] || undefined);
    // An HTTP header carries visible ASCII only; say so here rather than fail inside the HTTP client.
    if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) {
      throw new UsageError('the Bearer token (--token, --token-file or CAMUNDA_TOKEN) contains characters an HTTP header cannot carry');
    }
    if (token !== undefined) auth = { kind: 'bearer', token };
  }

  if ((lastString(args, 'clientCert') === undefined) !== (lastString(args, 'clientKey') === undefined)) {
    throw new UsageError('--client-cert and --client-key go together');
  }
  const engine = nonBlankString(args, 'engine', 'leave the option out for the default engine');
  // Engine names go into the URL path; a slash or similar would be rejected by the servlet container.
  if (engine !== undefined && !/^[\w.-]+$/.test(engine)) {
    throw new UsageError(`--engine: '${engine}' is not a process engine name (letters, digits, '_', '-', '.')`);
  }
  return {
    proxy: proxySettings(env, lastValue(args, 'proxy'), lastValue(args, 'noProxy')),
    url: validatedUrl(nonBlankString(args, 'url', `give the REST API base URL, e.g. ${DEFAULT_URL}`) ?? DEFAULT_URL),
    engine,
    auth,
    tls: {
      ca: readPem(args, 'caFile', 'certificate'),
      cert: readPem(args, 'clientCert', 'certificate'),
      key: readPem(args, 'clientKey', 'key'),
      insecure: args.insecure === true,
    },
  };
}

/**
 * Secrets visible before parsing: the values after --password/--token and those in the
 * environment. Known even when the command line is wrong, so no error message can echo them.
 */
export function rawConnectionSecrets(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const secrets = [env[PASSWORD_ENV], env[TOKEN_ENV]].filter((s): s is string => !!s);
  const proxyUrls = PROXY_ENV.map((name) => env[name]);
  argv.forEach((arg, i) => {
    const match = /^--(password|token|proxy)(?:=(.*))?$/.exec(arg);
    if (!match) return;
    const value = match[2] ?? argv[i + 1];
    if (match[1] === 'proxy') proxyUrls.push(value);
    else if (value) secrets.push(value);
  });
  // A proxy URL may carry a password (http://user:password@proxy); it is a secret as written and decoded.
  for (const url of proxyUrls) {
    const password = url && /^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/@:]*:([^/@]+)@/i.exec(url)?.[1];
    if (!password) continue;
    secrets.push(password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // not percent-encoded
    }
  }
  return secrets;
}
