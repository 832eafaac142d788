import { describe, expect, it } from 'vitest';
import { parseQuickly, parseSimply, parseWithYargs, recordOptions, type CommandLine } from '../../src/cli/command-line';
import { connectionOptions } from '../../src/cli/connection';
import { UsageError } from '../../src/plugin/errors';

/*
 * The run path parses with yargs-parser alone and leaves everything else to full yargs. Whatever
 * it accepts must come out exactly as full yargs gives it; whatever yargs rejects it must leave to yargs.
 */

const commandLine: CommandLine<unknown> = {
  command: 'check_quick',
  description: 'A check with every kind of option the quick path knows.',
  examples: [],
  epilogue: '',
  options: (argv) =>
    connectionOptions(argv)
      .option('warning', { type: 'string', requiresArg: true, alias: 'w', group: 'Thresholds:', describe: 'w' })
      .option('critical', { type: 'string', requiresArg: true, alias: 'c', defaultDescription: 'none' })
      .option('process-definition-key', { type: 'string', requiresArg: true, alias: 'k' })
      .option('list', { type: 'number', describe: 'how many' })
      .option('with-default', { type: 'string', default: 'x' })
      .option('names', { type: 'array', alias: 'n' })
      .option('dry', { type: 'boolean', hidden: true }),
  toOptions: (args) => args,
  secrets: () => [],
};

const accepted = [
  [],
  ['--url', 'http://camunda:8080/engine-rest'],
  ['--url=http://camunda:8080/engine-rest', '-w', '5', '-c', '10:'],
  ['-w', '~:3', '--critical', '@1:2'],
  ['-w', '-1'],
  ['-k', 'a', '-k', 'b', '--process-definition-key', 'c'],
  ['-v'],
  ['-vvv', '--verbose'],
  ['-v', '-v', '-t', '30s'],
  ['--timeout', '5', '--timeout', '7'],
  ['-t5'],
  ['-V'],
  ['--version'],
  ['--insecure', '--ca-file', '/x/ca.pem'],
  ['--list', '3'],
  ['--list', 'abc'],
  ['--with-default', 'y'],
  ['-n', 'a', 'b', '--names', 'c'],
  ['--dry'],
  ['--username', 'monitor', '--password-file', '/x/pw', '--engine', 'other'],
  ['--password', 'secret', '--token', 'tok', '--token-file', '/x/t'],
  ['--client-cert', '/x/c', '--client-key', '/x/k'],
  ['-w', ''],
  ['--url', ''],
];

// Without boolean negation --no-insecure is an option of its own, which this check does not have; a
// dashed unknown option must be caught although yargs-parser makes up a camel-case alias for it.
const rejected = [
  ['--bogus'], ['extra'], ['-x'], ['--url'], ['-w'], ['-t'], ['--url', 'u', 'positional'], ['--passwordfile', 'p'], ['--no-bogus'], ['-vx'],
  ['--no-insecure'], ['--bogus-option', 'x'], ['--incident-type', 'failedJob'],
];

/** Only the option types and settings of ordinary checks: the simple reader takes their command lines. */
const plainCommandLine: CommandLine<unknown> = {
  ...commandLine,
  options: (argv) =>
    connectionOptions(argv)
      .option('warning', { type: 'string', requiresArg: true, alias: 'w', group: 'Thresholds:', describe: 'w' })
      .option('critical', { type: 'string', requiresArg: true, alias: 'c', defaultDescription: 'none' })
      .option('process-definition-key', { type: 'string', requiresArg: true, alias: 'k' })
      .option('new-window', { type: 'string', requiresArg: true })
      .option('dry', { type: 'boolean', hidden: true })
      .option('window', { type: 'string', requiresArg: true, default: '15m' })
      .option('color', { type: 'boolean', default: false }),
};

const plainAccepted = [
  ['--window', '1h', '--color'],
  ['--window', '1h', '--window', '2h'],
  [],
  ['--url', 'http://camunda:8080/engine-rest'],
  ['--url=http://camunda:8080/engine-rest', '-w', '5', '-c', '10:'],
  ['--url=', '--critical=@1:2', '--url=-x', '--new-window=a=b'],
  ['-w', '~:3', '--critical', '@1:2'],
  ['-k', 'a', '-k', 'b', '--process-definition-key', 'c'],
  ['-v'],
  ['-vvv', '--verbose'],
  ['-v', '-v', '-t', '30s'],
  ['--timeout', '5', '--timeout', '7', '--timeout', '9'],
  ['-V'],
  ['--version', '-V'],
  ['--insecure', '--ca-file', '/x/ca.pem', '--insecure'],
  ['--username', 'monitor', '--password-file', '/x/pw', '--engine', 'other', '--new-window', '2h'],
  ['--password', 'secret', '--token', 'tok', '--token-file', '/x/t', '--dry'],
  ['--client-cert', '/x/c', '--client-key', '/x/k'],
  ['-w', '', '--url', ''],
  ['-w', 'a b|c', '--url', 'ü'],
];

/** Left to yargs-parser (and maybe yargs), which read them in ways the simple reader does not try to copy. */
const plainUnusual = [
  ['-w', '-1'],
  ['-t5'],
  ['-vV'],
  ['-ww', '5'],
  ['--no-insecure'],
  ['--insecure', 'true'],
  ['--insecure=false'],
  ['--verbose=2'],
  ['--passwordFile', 'x'],
  ['--w', '5'],
  ['-w=5'],
  ['--url'],
  ['extra'],
  ['--bogus'],
  ['-'],
];

async function fullYargs(argv: readonly string[], line = commandLine): Promise<Record<string, unknown> | UsageError> {
  try {
    const { $0: _scriptName, ...args } = (await parseWithYargs(line, argv)).args;
    return args;
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
}

describe('quick command-line parsing', () => {
  const recorded = recordOptions(commandLine);

  it('records every option of a check that uses only .option() with known settings', () => {
    expect(recorded?.map(([key]) => key)).toEqual(expect.arrayContaining(['help', 'version', 'verbose', 'timeout', 'url', 'password-file', 'warning', 'names', 'dry']));
  });

  it.each(accepted.map((argv) => [argv]))('takes %j and gives what full yargs gives', async (argv) => {
    const quick = await parseQuickly(recorded!, argv);
    expect(quick).toBeDefined();
    expect(quick).toEqual(await fullYargs(argv));
  });

  it.each(rejected.map((argv) => [argv]))('leaves %j to full yargs, which rejects it', async (argv) => {
    expect(await parseQuickly(recorded!, argv)).toBeUndefined();
    expect(await fullYargs(argv)).toBeInstanceOf(UsageError);
  });

  const plain = recordOptions(plainCommandLine)!;

  it.each(plainAccepted.map((argv) => [argv]))('reads %j of an ordinary check simply, and as full yargs does', async (argv) => {
    const simple = parseSimply(plain, argv);
    expect(simple).toBeDefined();
    expect(simple).toEqual(await fullYargs(argv, plainCommandLine));
    expect(await parseQuickly(plain, argv)).toEqual(simple);
  });

  it.each(plainUnusual.map((argv) => [argv]))('leaves %j to yargs-parser', async (argv) => {
    expect(parseSimply(plain, argv)).toBeUndefined();
    const full = await fullYargs(argv, plainCommandLine);
    if (!(full instanceof UsageError)) expect(await parseQuickly(plain, argv)).toEqual(full);
  });

  describe('demanded options and choices, checked as yargs checks them', () => {
    const withChecks: CommandLine<unknown> = {
      ...commandLine,
      options: (argv) =>
        argv
          .option('tenant', { type: 'string', demandOption: true })
          .option('mode', { type: 'string', choices: ['fast', 'slow'] })
          // With strip-dashed, yargs never sees a kebab-case key under its declared name, so it checks no choices of it.
          .option('dash-mode', { type: 'string', choices: ['a'] }),
    };
    const checked = recordOptions(withChecks)!;

    it.each([
      [['--tenant', 't']],
      [['--tenant', 't', '--mode', 'fast']],
      [['--tenant', 't', '--mode', 'fast', '--mode', 'slow']],
      [['--tenant=t', '--dash-mode', 'zzz']],
    ])('takes %j as full yargs does', async (argv) => {
      const quick = await parseQuickly(checked, argv);
      expect(quick).toBeDefined();
      expect(quick).toEqual(await fullYargs(argv, withChecks));
    });

    it.each([[['--mode', 'fast']], [['--tenant', 't', '--mode', 'medium']], [['--tenant', 't', '--mode', 'fast', '--mode', 'x']]])(
      'leaves %j to full yargs, which rejects it',
      async (argv) => {
        expect(await parseQuickly(checked, argv)).toBeUndefined();
        expect(await fullYargs(argv, withChecks)).toBeInstanceOf(UsageError);
      },
    );
  });

  it('reads nothing simply for a check with number or array options, a count with a default, or names not in kebab case', async () => {
    expect(parseSimply(recordOptions({ options: (argv) => argv.option('level', { type: 'count', default: 1 }) })!, [])).toBeUndefined();
    expect(parseSimply(recorded!, [])).toBeUndefined();
    const camel: CommandLine<unknown> = { ...commandLine, options: (argv) => argv.option('newWarning', { type: 'string' }).option('URL', { type: 'string' }) };
    const camelRecorded = recordOptions(camel)!;
    const argv = ['--newWarning', '1', '--URL', 'u'];
    expect(parseSimply(camelRecorded, argv)).toBeUndefined();
    expect(await parseQuickly(camelRecorded, argv)).toEqual(await fullYargs(argv, camel));
  });

  it('leaves --help and arguments after -- to full yargs', async () => {
    expect(await parseQuickly(recorded!, ['--', '-w', '1'])).toBeUndefined();
    expect(await parseQuickly(recorded!, ['--help'])).toBeUndefined();
    expect(await parseQuickly(recorded!, ['-w', '1', '-h'])).toBeUndefined();
    expect(await parseQuickly(plain, ['-h'])).toBeUndefined();
  });

  it('does not record a check that uses more of yargs: full yargs parses it every time', () => {
    expect(recordOptions({ options: (argv) => argv.option('mode', { type: 'string', coerce: (v: string) => v }) })).toBeUndefined();
    expect(recordOptions({ options: (argv) => argv.option('a', { type: 'string' }).conflicts('a', 'help') })).toBeUndefined();
    expect(recordOptions({ options: (argv) => argv.option('a', { type: 'string' }) })).toHaveLength(5);
  });
});
