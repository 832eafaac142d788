import { describe, expect, it } from 'vitest';
import { readCommandLine, recordOptions, type CommandLine } from '../../src/cli/command-line';
import { connectionOptions } from '../../src/cli/connection';
import { UsageError } from '../../src/plugin/errors';

/*
 * The command line is read as getopt_long reads it, strictly, with the options a check declares
 * through `.option(name, settings)`: camel-case keys, aliases under their option, repeated values
 * in order, counts from 0, defaults for what is not given.
 */

const commandLine: CommandLine<unknown> = {
  command: 'check_read',
  description: 'A check with every kind of option.',
  examples: [],
  epilogue: '',
  options: (argv) =>
    connectionOptions(argv)
      .option('warning', { type: 'string', requiresArg: true, alias: 'w', group: 'Thresholds:', describe: 'w' })
      .option('critical', { type: 'string', requiresArg: true, alias: 'c', defaultDescription: 'none' })
      .option('process-definition-key', { type: 'string', requiresArg: true, alias: 'k' })
      .option('new-window', { type: 'string', requiresArg: true })
      .option('list', { type: 'number', describe: 'how many' })
      .option('window', { type: 'string', requiresArg: true, default: '15m' })
      .option('names', { type: 'array', alias: 'n' })
      .option('dry', { type: 'boolean', hidden: true }),
  toOptions: (args) => args,
  secrets: () => [],
};
const recorded = recordOptions(commandLine)!;
const read = (argv: readonly string[]) => readCommandLine(recorded, argv);

function usageError(argv: readonly string[]): string {
  try {
    read(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`${JSON.stringify(argv)} was accepted`);
}

describe('readCommandLine', () => {
  it('records every option of a check that uses only .option() with known settings', () => {
    expect(recorded.map(([key]) => key)).toEqual(expect.arrayContaining(['help', 'version', 'verbose', 'timeout', 'url', 'password-file', 'warning', 'names', 'dry']));
  });

  it.each<[string[], Record<string, unknown>]>([
    [[], {}],
    [['--url', 'http://camunda:8080/engine-rest'], { url: 'http://camunda:8080/engine-rest' }],
    [['--url=http://c/engine-rest', '-w', '5', '-c', '10:'], { url: 'http://c/engine-rest', warning: '5', critical: '10:' }],
    [['--url=', '--critical=@1:2', '--new-window=a=b'], { url: '', critical: '@1:2', newWindow: 'a=b' }],
    // A value beginning with '-' is the value of the option before it, as getopt takes it.
    [['-w', '-1', '-c', '-5:-1'], { warning: '-1', critical: '-5:-1' }],
    [['-k', 'a', '-k', 'b', '--process-definition-key', 'c'], { processDefinitionKey: ['a', 'b', 'c'] }],
    [['-kinvoice', '-w5', '-t30s'], { processDefinitionKey: 'invoice', warning: '5', timeout: '30s' }],
    // getopt: in -wc the warning is "c".
    [['-wc'], { warning: 'c' }],
    [['-v'], { verbose: 1 }],
    [['-vvv', '--verbose'], { verbose: 4 }],
    [['-vV'], { verbose: 1, version: true }],
    [['--timeout', '5', '--timeout', '7'], { timeout: ['5', '7'] }],
    [['--insecure', '--ca-file', '/x/ca.pem', '--insecure=false'], { insecure: false, caFile: '/x/ca.pem' }],
    [['--list', '3'], { list: 3 }],
    [['--window', '1h'], { window: '1h' }],
    [['-n', 'a', '--names', 'b'], { names: ['a', 'b'] }],
    [['--dry', '--'], { dry: true }],
    [['-w', '', '--url', ''], { warning: '', url: '' }],
    [['-w', 'a b|c', '--url', 'ü'], { warning: 'a b|c', url: 'ü' }],
  ])('reads %j', (argv, expected) => {
    expect(read(argv)).toEqual({ _: [], verbose: 0, window: '15m', ...expected });
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--no-insecure'], 'unknown option --no-insecure'],
    [['--passwordFile', 'p'], 'unknown option --passwordFile'],
    [['-x'], 'unknown option -x'],
    [['-vx'], 'unknown option -x'],
    [['extra'], "unexpected argument 'extra': every value belongs to an option"],
    [['-'], "unexpected argument '-': every value belongs to an option"],
    [['--url', 'u', 'positional'], "unexpected argument 'positional': every value belongs to an option"],
    [['--', '-w', '1'], "unexpected argument '-w': every value belongs to an option"],
    [['--url'], '--url needs a value'],
    [['-w'], '-w needs a value'],
    [['-w', '--critical', '1'], '-w needs a value'],
    [['-w', '-c', '1'], '-w needs a value'],
    [['--insecure=yes'], '--insecure takes no value: write just --insecure, or leave it out'],
    [['--verbose=2'], '--verbose takes no value'],
    [['--list', 'abc'], "--list: 'abc' is not a number"],
  ])('rejects %j', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });

  it('checks demanded options and choices', () => {
    const strict = recordOptions({
      options: (argv) => argv.option('tenant', { type: 'string', demandOption: true }).option('mode', { type: 'string', choices: ['fast', 'slow'] }),
    })!;
    expect(readCommandLine(strict, ['--tenant', 't', '--mode', 'slow'])).toMatchObject({ tenant: 't', mode: 'slow' });
    expect(() => readCommandLine(strict, ['--mode', 'fast'])).toThrow('--tenant is required');
    expect(() => readCommandLine(strict, ['--tenant', 't', '--mode', 'medium'])).toThrow("--mode: 'medium' is not one of fast, slow");
  });

  it('does not record a check that uses more of yargs than .option() with known settings', () => {
    expect(recordOptions({ options: (argv) => argv.option('mode', { type: 'string', coerce: (v: string) => v }) })).toBeUndefined();
    expect(recordOptions({ options: (argv) => argv.option('a', { type: 'string' }).conflicts('a', 'help') })).toBeUndefined();
    expect(recordOptions({ options: (argv) => argv.option('a', { type: 'string' }) })).toHaveLength(5);
  });
});
