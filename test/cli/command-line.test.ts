import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionOptions } from '../../src/camunda/connection';
import { lastString, type Args } from '../../src/cli/args';
import { commandLineParser, parseTimeout, type CommandLine } from '../../src/cli/command-line';
import { connectionFromArgs, connectionOptions } from '../../src/cli/connection';
import { camundaPlugin } from '../../src/cli/plugin';
import { UsageError } from '../../src/plugin/errors';
import type { Invocation } from '../../src/plugin/run';
import { State } from '../../src/plugin/state';
import { createThrowawayPki } from '../support/tls';

interface FakeOptions {
  readonly name?: string | undefined;
}

const fake: CommandLine<FakeOptions> = {
  command: 'check_fake',
  description: 'Checks whether the fake thing is fine.',
  examples: [['$0 --name widget', 'Check the widget']],
  epilogue: 'Perfdata: fake_things=n',
  options: (argv) => argv.option('name', { type: 'string', requiresArg: true, describe: 'Name of the thing' }),
  toOptions: (args: Args) => {
    const name = lastString(args, 'name');
    if (name === 'bad') throw new UsageError('--name: bad is not allowed');
    return { name };
  },
  secrets: (options) => (options.name ? [`secret-of-${options.name}`] : []),
};

const parse = commandLineParser(fake);

async function check(argv: string[]): Promise<Extract<Invocation<FakeOptions>, { kind: 'check' }>> {
  const invocation = await parse(argv);
  if (invocation.kind !== 'check') throw new Error(`expected a check, got ${JSON.stringify(invocation)}`);
  return invocation;
}

async function usageError(argv: string[]): Promise<UsageError> {
  try {
    await parse(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).state).toBe(State.UNKNOWN);
    return error as UsageError;
  }
  throw new Error('no UsageError was thrown');
}

describe('commandLineParser', () => {
  it('gives the check options with the defaults', async () => {
    expect(await parse(['--name', 'widget'])).toEqual({
      kind: 'check',
      options: { name: 'widget' },
      timeoutSeconds: 10,
      verbosity: 0,
      secrets: ['secret-of-widget'],
    });
    expect(await check([])).toMatchObject({ options: { name: undefined }, secrets: [] });
  });

  it.each([['--help'], ['-h']])('%s gives help text with version, usage, description, options, examples and epilogue', async (flag) => {
    const invocation = await parse([flag]);
    expect(invocation.kind).toBe('info');
    const text = (invocation as { text: string }).text;
    expect(text).toMatch(/^check_fake dev \(camunda-monitoring-plugins\)\n\nUsage: check_fake \[-v\]\.\.\. \[-t SECONDS\] \[OPTION\]\.\.\.\n {7}check_fake -h\n {7}check_fake -V\n\nChecks whether the fake thing is fine\./);
    expect(text).toContain(' --name=NAME\n    Name of the thing\n');
    expect(text).toContain(' -t, --timeout=SECONDS\n');
    expect(text).toContain(' -v, --verbose\n');
    expect(text).toContain('Examples:\n  check_fake --name widget\n      Check the widget');
    expect(text).toContain('Perfdata: fake_things=n');
    expect(text.split('\n').every((line) => line.length <= 80)).toBe(true);
  });

  it('gives help even with options that would be wrong for a check', async () => {
    expect((await parse(['--help', '--name', 'bad'])).kind).toBe('info');
  });

  it.each([['-V'], ['--version']])('%s gives the version line', async (flag) => {
    expect(await parse([flag])).toEqual({ kind: 'info', text: 'check_fake dev (camunda-monitoring-plugins)' });
  });

  it.each([
    [['--bogus'], /^invalid command line: unknown option --bogus$/],
    [['extra'], /^invalid command line: unexpected argument 'extra': every value belongs to an option$/],
    [['-x'], /^invalid command line: unknown option -x$/],
    [['--name'], /^invalid command line: --name needs a value$/],
    [['-t'], /^invalid command line: -t needs a value$/],
  ])('rejects %j as a UsageError with the short usage', async (argv, message) => {
    const error = await usageError(argv);
    expect(error.message).toMatch(message);
    expect(error.details).toEqual(['Usage: check_fake [-v]... [-t SECONDS] [OPTION]...', 'check_fake --help lists every option.']);
  });

  it('passes a UsageError of the check through', async () => {
    expect((await usageError(['--name', 'bad'])).message).toBe('--name: bad is not allowed');
  });

  it.each([
    [[], 0],
    [['-v'], 1],
    [['--verbose'], 1],
    [['-vv'], 2],
    [['-v', '-v'], 2],
    [['-vvv'], 3],
    [['-v', '--verbose', '-v'], 3],
  ])('%j is verbosity %d', async (argv, verbosity) => {
    expect((await check(argv)).verbosity).toBe(verbosity);
  });

  it.each([
    [['-t', '2'], 2],
    [['--timeout', '2'], 2],
    [['--timeout=30s'], 30],
    [['-t', '1m'], 60],
    [['-t', '1.5'], 1.5],
    [['-t', '5', '-t', '7'], 7],
    [[], 10],
  ])('%j is a timeout of %d s', async (argv, seconds) => {
    expect((await check(argv)).timeoutSeconds).toBe(seconds);
  });

  it.each([
    [['-t', '0'], '--timeout: must be more than 0 and at most 3600 seconds'],
    [['-t', '0s'], '--timeout: must be more than 0 and at most 3600 seconds'],
    [['-t', '25d'], '--timeout: must be more than 0 and at most 3600 seconds'],
    [['-t', 'abc'], "--timeout: invalid duration 'abc': use seconds or a number with s, m, h or d (e.g. 90, 15m, 2h, 1d)"],
    [['-t', '-5'], "--timeout: invalid duration '-5': use seconds or a number with s, m, h or d (e.g. 90, 15m, 2h, 1d)"],
  ])('rejects %j', async (argv, message) => {
    expect((await usageError(argv)).message).toBe(message);
  });
});

describe('parseTimeout', () => {
  it('reads the camel-case args', () => {
    expect(parseTimeout({ timeout: '90s' })).toBe(90);
    expect(parseTimeout({ timeout: ['1', '1h'] })).toBe(3600);
    expect(parseTimeout({})).toBe(10);
  });
});

describe('connection options through the parser', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-command-line-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const withConnection: CommandLine<{ connection: ConnectionOptions }> = {
    ...fake,
    options: (argv) => connectionOptions(argv),
    toOptions: (args) => ({ connection: connectionFromArgs(args, {}) }),
    secrets: () => [],
  };
  const parseConnection = async (argv: string[]) => {
    const invocation = await commandLineParser(withConnection)(argv);
    if (invocation.kind !== 'check') throw new Error('expected a check');
    return invocation.options.connection;
  };

  it('reads the kebab-case file options from the real command line', async () => {
    const passwordFile = join(dir, 'password');
    const pki = createThrowawayPki();
    const caFile = pki.files.ca;
    writeFileSync(passwordFile, 'from-file\n');
    expect(
      await parseConnection(['--url', 'https://camunda:8443/engine-rest/', '--engine', 'other', '--username', 'monitor', '--password-file', passwordFile, '--ca-file', caFile, '--insecure']),
    ).toEqual({
      url: 'https://camunda:8443/engine-rest',
      engine: 'other',
      auth: { kind: 'basic', username: 'monitor', password: 'from-file' },
      tls: { ca: pki.pem.ca, cert: undefined, key: undefined, insecure: true },
    });
    pki.remove();
  });

  it('reads --token-file and rejects --client-cert alone', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'tok\n');
    expect((await parseConnection(['--token-file', tokenFile])).auth).toEqual({ kind: 'bearer', token: 'tok' });
    await expect(parseConnection(['--client-cert', tokenFile])).rejects.toThrow('--client-cert and --client-key go together');
    await expect(parseConnection(['--password-file', tokenFile])).rejects.toThrow('a password needs --username');
  });
});

describe('camundaPlugin', () => {
  const plugin = camundaPlugin<{ connection: ConnectionOptions }>({
    prefix: 'CAMUNDA FAKE',
    commandLine: { ...fake, options: (argv) => connectionOptions(argv), toOptions: (args) => ({ connection: connectionFromArgs(args, {}) }) },
    check: async () => ({ state: State.OK, summary: 'ok' }),
  });

  it('finds raw secrets in the command line', () => {
    expect(plugin.rawSecrets(['--username', 'u', '--password', 'pw-on-line'])).toContain('pw-on-line');
  });

  it('gives every form of the credentials as secrets of the invocation', async () => {
    const invocation = await plugin.parse(['--username', 'monitor', '--password', 'hunter22']);
    if (invocation.kind !== 'check') throw new Error('expected a check');
    const base64 = Buffer.from('monitor:hunter22').toString('base64');
    expect(invocation.secrets).toEqual(expect.arrayContaining([`Basic ${base64}`, base64, 'hunter22']));
  });
});
