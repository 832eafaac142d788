import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionFromArgs, DEFAULT_URL, rawConnectionSecrets } from '../../src/cli/connection';
import { UsageError } from '../../src/plugin/errors';
import { createThrowawayPki, type ThrowawayPki } from '../support/tls';

let dir: string;
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-connection-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parsed arguments as yargs hands them over: camel-case keys only, plus `_` and `$0`. */
const args = (options: Record<string, unknown> = {}) => ({ _: [], $0: 'check_camunda_incidents', ...options });
const NO_ENV = {};

function usageError(attempt: () => unknown): UsageError {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('no UsageError was thrown');
}


/** Real PEM files: the options check that a file holds a certificate or key. */
let pki: ThrowawayPki;
beforeAll(() => {
  pki = createThrowawayPki();
});
afterAll(() => pki.remove());

describe('connectionFromArgs', () => {
  it('defaults to the local engine without authentication or TLS options', () => {
    expect(DEFAULT_URL).toBe('http://localhost:8080/engine-rest');
    expect(connectionFromArgs(args(), NO_ENV)).toEqual({
      url: 'http://localhost:8080/engine-rest',
      engine: undefined,
      auth: undefined,
      tls: { ca: undefined, cert: undefined, key: undefined, insecure: false },
    });
  });

  it.each([
    ['http://camunda:8080/engine-rest/', 'http://camunda:8080/engine-rest'],
    ['http://camunda:8080/engine-rest///', 'http://camunda:8080/engine-rest'],
    ['https://camunda.example.com/engine-rest', 'https://camunda.example.com/engine-rest'],
    ['http://camunda:8080', 'http://camunda:8080'],
    ['HTTP://Camunda:8080/engine-rest', 'http://camunda:8080/engine-rest'],
  ])('takes --url %s as %s', (url, expected) => {
    expect(connectionFromArgs(args({ url }), NO_ENV).url).toBe(expected);
  });

  it('takes the last of a repeated --url', () => {
    expect(connectionFromArgs(args({ url: ['http://a:1/engine-rest', 'http://b:2/engine-rest'] }), NO_ENV).url).toBe('http://b:2/engine-rest');
  });

  it('rejects credentials in the URL without repeating them', () => {
    for (const url of ['http://admin:s3cr3tpw@camunda:8080/engine-rest', 'http://admin@camunda:8080/engine-rest', 'https://:s3cr3tpw@camunda/']) {
      const error = usageError(() => connectionFromArgs(args({ url }), NO_ENV));
      expect(error.message).toBe('--url: must not contain credentials; use --username with --password-file or CAMUNDA_PASSWORD');
      expect(error.message).not.toContain('s3cr3tpw');
      expect(error.message).not.toContain('admin');
    }
  });

  it.each([
    ['ftp://camunda/engine-rest', "--url: only http and https are supported, not 'ftp'"],
    ['file:///etc/passwd', "--url: only http and https are supported, not 'file'"],
    ['camunda:8080/engine-rest', "--url: 'camunda:8080/engine-rest' lacks the scheme: begin it with http:// or https://, e.g. http://localhost:8080/engine-rest"],
    ['monitor:s3cr3tpw@camunda:8080/engine-rest', "--url: '****@camunda:8080/engine-rest' lacks the scheme: begin it with http:// or https://, e.g. http://localhost:8080/engine-rest"],
    ['not a url', "--url: 'not a url' is not a URL; expected something like http://localhost:8080/engine-rest"],
    ['http://camunda:8080/engine-rest?x=1', '--url: must not contain a query or fragment'],
    ['http://camunda:8080/engine-rest#top', '--url: must not contain a query or fragment'],
    // An unset Nagios macro ('$ARG1$') must not quietly check the default URL.
    ['', '--url: empty value; give the REST API base URL, e.g. http://localhost:8080/engine-rest'],
    [' ', '--url: empty value; give the REST API base URL, e.g. http://localhost:8080/engine-rest'],
  ])('rejects --url %j', (url, message) => {
    expect(usageError(() => connectionFromArgs(args({ url }), NO_ENV)).message).toBe(message);
  });

  it('takes a named engine, and no --engine as the default engine', () => {
    expect(connectionFromArgs(args({ engine: 'other' }), NO_ENV).engine).toBe('other');
    expect(connectionFromArgs(args({}), NO_ENV).engine).toBeUndefined();
  });

  it('rejects an empty --engine instead of quietly checking the default engine', () => {
    expect(usageError(() => connectionFromArgs(args({ engine: '' }), NO_ENV)).message).toBe('--engine: empty value; leave the option out for the default engine');
  });

  describe('Basic authentication', () => {
    it('reads the first line of --password-file without its newline', () => {
      const passwordFile = file('password', 'first line secret\nsecond line\n');
      expect(connectionFromArgs(args({ username: 'monitor', passwordFile }), NO_ENV).auth).toEqual({
        kind: 'basic',
        username: 'monitor',
        password: 'first line secret',
      });
    });

    it('removes a Windows line end and keeps other whitespace', () => {
      const passwordFile = file('password-crlf', ' pw with spaces \r\n');
      expect(connectionFromArgs(args({ username: 'monitor', passwordFile }), NO_ENV).auth).toMatchObject({ password: ' pw with spaces ' });
      const noNewline = file('password-plain', 'plain');
      expect(connectionFromArgs(args({ username: 'monitor', passwordFile: noNewline }), NO_ENV).auth).toMatchObject({ password: 'plain' });
    });

    it('rejects a password file whose first line is empty', () => {
      const passwordFile = file('empty', '\nsecond');
      expect(usageError(() => connectionFromArgs(args({ username: 'u', passwordFile }), NO_ENV)).message).toBe(
        `--password-file: the first line of '${passwordFile}' is empty`,
      );
    });

    it('drops a byte order mark from a password file', () => {
      const passwordFile = file('bom', '\uFEFFs3cret\r\n');
      expect(connectionFromArgs(args({ username: 'u', passwordFile }), NO_ENV).auth).toEqual({ kind: 'basic', username: 'u', password: 's3cret' });
    });

    it('rejects a Bearer token an HTTP header cannot carry, without showing it', () => {
      const error = usageError(() => connectionFromArgs(args({ token: 'tökén-secret' }), NO_ENV));
      expect(error.message).toBe('the Bearer token (--token, --token-file or CAMUNDA_TOKEN) contains characters an HTTP header cannot carry');
    });

    it('takes --password', () => {
      expect(connectionFromArgs(args({ username: 'monitor', password: 'on-the-line' }), NO_ENV).auth).toEqual({
        kind: 'basic',
        username: 'monitor',
        password: 'on-the-line',
      });
    });

    it('takes CAMUNDA_PASSWORD when --username is given', () => {
      expect(connectionFromArgs(args({ username: 'monitor' }), { CAMUNDA_PASSWORD: 'from-env' }).auth).toEqual({
        kind: 'basic',
        username: 'monitor',
        password: 'from-env',
      });
    });

    it('prefers --password-file and --password over CAMUNDA_PASSWORD', () => {
      const passwordFile = file('password-2', 'from-file\n');
      const env = { CAMUNDA_PASSWORD: 'from-env' };
      expect(connectionFromArgs(args({ username: 'u', passwordFile }), env).auth).toMatchObject({ password: 'from-file' });
      expect(connectionFromArgs(args({ username: 'u', password: 'from-arg' }), env).auth).toMatchObject({ password: 'from-arg' });
    });

    it('ignores CAMUNDA_PASSWORD without --username', () => {
      expect(connectionFromArgs(args(), { CAMUNDA_PASSWORD: 'from-env' }).auth).toBeUndefined();
    });

    it('rejects --password with --password-file', () => {
      const passwordFile = file('password-3', 'x\n');
      expect(usageError(() => connectionFromArgs(args({ username: 'u', password: 'p', passwordFile }), NO_ENV)).message).toBe(
        'use only one of --password, --password-file',
      );
    });

    it('rejects --username without a password', () => {
      expect(usageError(() => connectionFromArgs(args({ username: 'monitor' }), NO_ENV)).message).toBe(
        '--username needs a password: give --password-file FILE or set CAMUNDA_PASSWORD',
      );
    });

    it('treats an empty CAMUNDA_PASSWORD as not set', () => {
      expect(usageError(() => connectionFromArgs(args({ username: 'monitor' }), { CAMUNDA_PASSWORD: '' })).message).toBe(
        '--username needs a password: give --password-file FILE or set CAMUNDA_PASSWORD',
      );
    });

    it('rejects a password without --username', () => {
      expect(usageError(() => connectionFromArgs(args({ password: 'p' }), NO_ENV)).message).toBe('a password needs --username');
      const passwordFile = file('password-4', 'x\n');
      expect(usageError(() => connectionFromArgs(args({ passwordFile }), NO_ENV)).message).toBe('a password needs --username');
    });

    it('rejects --username together with a token', () => {
      expect(usageError(() => connectionFromArgs(args({ username: 'u', password: 'p', token: 't' }), NO_ENV)).message).toBe(
        'use either --username with a password or a --token, not both',
      );
      const tokenFile = file('token-0', 'x\n');
      expect(usageError(() => connectionFromArgs(args({ username: 'u', password: 'p', tokenFile }), NO_ENV)).message).toBe(
        'use either --username with a password or a --token, not both',
      );
    });
  });

  describe('Bearer token', () => {
    it('takes --token', () => {
      expect(connectionFromArgs(args({ token: 'tok-arg' }), NO_ENV).auth).toEqual({ kind: 'bearer', token: 'tok-arg' });
    });

    it('reads the first line of --token-file', () => {
      const tokenFile = file('token', 'tok-file\n');
      expect(connectionFromArgs(args({ tokenFile }), NO_ENV).auth).toEqual({ kind: 'bearer', token: 'tok-file' });
    });

    it('trims the spaces a copy and paste leaves around a token (a token never holds whitespace); a blank line stays an error', () => {
      expect(connectionFromArgs(args({ tokenFile: file('token-spaces', ' \ttok-file  \r\n') }), NO_ENV).auth).toEqual({ kind: 'bearer', token: 'tok-file' });
      const blank = file('token-blank', '   \nsecond\n');
      expect(usageError(() => connectionFromArgs(args({ tokenFile: blank }), NO_ENV)).message).toBe(`--token-file: the first line of '${blank}' is empty`);
    });

    it('takes CAMUNDA_TOKEN without --username, but not an empty one', () => {
      expect(connectionFromArgs(args(), { CAMUNDA_TOKEN: 'tok-env' }).auth).toEqual({ kind: 'bearer', token: 'tok-env' });
      expect(connectionFromArgs(args(), { CAMUNDA_TOKEN: '' }).auth).toBeUndefined();
    });

    it('prefers --token-file and --token over CAMUNDA_TOKEN', () => {
      const tokenFile = file('token-2', 'tok-file\n');
      expect(connectionFromArgs(args({ tokenFile }), { CAMUNDA_TOKEN: 'tok-env' }).auth).toEqual({ kind: 'bearer', token: 'tok-file' });
      expect(connectionFromArgs(args({ token: 'tok-arg' }), { CAMUNDA_TOKEN: 'tok-env' }).auth).toEqual({ kind: 'bearer', token: 'tok-arg' });
    });

    it('uses Basic, not CAMUNDA_TOKEN, when --username is given', () => {
      expect(connectionFromArgs(args({ username: 'u' }), { CAMUNDA_TOKEN: 'tok-env', CAMUNDA_PASSWORD: 'pw-env' }).auth).toEqual({
        kind: 'basic',
        username: 'u',
        password: 'pw-env',
      });
    });

    it('rejects --token with --token-file', () => {
      const tokenFile = file('token-3', 'x\n');
      expect(usageError(() => connectionFromArgs(args({ token: 't', tokenFile }), NO_ENV)).message).toBe('use only one of --token, --token-file');
    });
  });

  describe('files that cannot be read', () => {
    const missing = () => join(dir, 'does-not-exist');

    it.each([
      ['passwordFile', '--password-file', { username: 'u' }],
      ['tokenFile', '--token-file', {}],
      ['caFile', '--ca-file', {}],
    ])('%s names the option and the file', (key, option, extra) => {
      const path = missing();
      expect(usageError(() => connectionFromArgs(args({ ...extra, [key]: path }), NO_ENV)).message).toBe(
        `${option}: cannot read '${path}' (no such file)`,
      );
    });

    it('names the client certificate and key files', () => {
      const key = pki.files.clientKey;
      const cert = pki.files.clientCert;
      expect(usageError(() => connectionFromArgs(args({ clientCert: missing(), clientKey: key }), NO_ENV)).message).toBe(
        `--client-cert: cannot read '${missing()}' (no such file)`,
      );
      expect(usageError(() => connectionFromArgs(args({ clientCert: cert, clientKey: missing() }), NO_ENV)).message).toBe(
        `--client-key: cannot read '${missing()}' (no such file)`,
      );
    });

    it('refuses a device that would never end, and a file too large to be a secret or PEM file', () => {
      expect(usageError(() => connectionFromArgs(args({ caFile: '/dev/zero' }), NO_ENV)).message).toBe(
        "--ca-file: '/dev/zero' is not a regular file (a named pipe or device could block the check)",
      );
      const big = join(dir, 'big.pem');
      writeFileSync(big, 'x'.repeat(1024 * 1024 + 1));
      expect(usageError(() => connectionFromArgs(args({ tokenFile: big }), NO_ENV)).message).toBe(`--token-file: '${big}' is larger than 1 MiB, not a password, token or PEM file`);
    });

    // Opening a named pipe for reading blocks until a writer comes: the check would hang before its timer.
    it.each([
      ['passwordFile', '--password-file', { username: 'u' }],
      ['tokenFile', '--token-file', {}],
      ['caFile', '--ca-file', {}],
      ['clientKey', '--client-key', { clientCert: 'unused' }],
    ])('refuses a named pipe as %s at once, without opening it', (key, option, extra) => {
      const fifo = join(dir, `fifo-${key}`);
      execFileSync('mkfifo', [fifo]);
      const given = key === 'clientKey' ? { clientCert: pki.files.clientCert } : extra;
      expect(usageError(() => connectionFromArgs(args({ ...given, [key]: fifo }), NO_ENV)).message).toBe(
        `${option}: '${fifo}' is not a regular file (a named pipe or device could block the check)`,
      );
    });

    it('says when a path is a directory', () => {
      expect(usageError(() => connectionFromArgs(args({ tokenFile: dir }), NO_ENV)).message).toBe(`--token-file: cannot read '${dir}' (EISDIR)`);
    });

    it.skipIf(process.getuid?.() === 0)('says when permission is denied', () => {
      const path = file('locked', 'secret\n');
      chmodSync(path, 0o000);
      expect(usageError(() => connectionFromArgs(args({ username: 'u', passwordFile: path }), NO_ENV)).message).toBe(
        `--password-file: cannot read '${path}' (permission denied)`,
      );
    });
  });

  describe('TLS', () => {
    it('reads the CA, client certificate and key files', () => {
      const { ca: caFile, clientCert, clientKey } = pki.files;
      expect(connectionFromArgs(args({ caFile, clientCert, clientKey, insecure: true }), NO_ENV).tls).toEqual({
        ca: pki.pem.ca,
        cert: pki.pem.clientCert,
        key: pki.pem.clientKey,
        insecure: true,
      });
    });

    it('names the option of a file that holds no PEM certificate or key', () => {
      const garbage = file('garbage.pem', 'not a certificate\n');
      expect(usageError(() => connectionFromArgs(args({ caFile: garbage }), NO_ENV)).message).toBe(`--ca-file: '${garbage}' holds no PEM certificate`);
      expect(usageError(() => connectionFromArgs(args({ clientCert: garbage, clientKey: pki.files.clientKey }), NO_ENV)).message).toBe(
        `--client-cert: '${garbage}' holds no PEM certificate`,
      );
      expect(usageError(() => connectionFromArgs(args({ clientCert: pki.files.clientCert, clientKey: pki.files.ca }), NO_ENV)).message).toBe(
        `--client-key: '${pki.files.ca}' holds no PEM private key (or it is encrypted)`,
      );
    });

    it('rejects a client certificate without key and a key without certificate', () => {
      const pem = file('half.pem', 'PEM');
      expect(usageError(() => connectionFromArgs(args({ clientCert: pem }), NO_ENV)).message).toBe('--client-cert and --client-key go together');
      expect(usageError(() => connectionFromArgs(args({ clientKey: pem }), NO_ENV)).message).toBe('--client-cert and --client-key go together');
    });

    it('verifies certificates unless --insecure is true', () => {
      expect(connectionFromArgs(args({ insecure: false }), NO_ENV).tls.insecure).toBe(false);
      expect(connectionFromArgs(args({ insecure: 'true' }), NO_ENV).tls.insecure).toBe(false);
    });
  });
});

describe('rawConnectionSecrets', () => {
  it.each([
    [['--password', 'pw-1234'], ['pw-1234']],
    [['--password=pw-1234'], ['pw-1234']],
    [['--token', 'tok-5678'], ['tok-5678']],
    [['--token=tok-5678'], ['tok-5678']],
    [['--url', 'http://x', '--password', 'a', '--token=b', '-v'], ['a', 'b']],
    [['--password=with=equals'], ['with=equals']],
    [['--password-file', '/etc/pw', '--token-file', '/etc/tok'], []],
    [['--password'], []],
    [['--password='], []],
    [['--username', 'monitor'], []],
  ])('finds the secrets in %j', (argv, secrets) => {
    expect(rawConnectionSecrets(argv, NO_ENV)).toEqual(secrets);
  });

  it('includes the environment variables', () => {
    expect(rawConnectionSecrets(['--password', 'arg-pw'], { CAMUNDA_PASSWORD: 'env-pw', CAMUNDA_TOKEN: 'env-tok' })).toEqual([
      'env-pw',
      'env-tok',
      'arg-pw',
    ]);
    expect(rawConnectionSecrets([], { CAMUNDA_PASSWORD: '', CAMUNDA_TOKEN: 'env-tok' })).toEqual(['env-tok']);
  });
});

describe('an unparsable --url with credentials in it', () => {
  it('is rejected without echoing the credentials', () => {
    expect(() => connectionFromArgs({ url: 'http://monitor:s3cret-pw@bad host/engine-rest' }, {})).toThrow(/--url: 'http:\/\/\*\*\*\*@bad host\/engine-rest' is not a URL/);
    try {
      connectionFromArgs({ url: 'http://monitor:s3cret-pw@bad host/engine-rest' }, {});
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret-pw');
    }
  });
});
