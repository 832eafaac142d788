import type { Argv, Options } from 'yargs';
import type yargsParser from 'yargs-parser';
import { UsageError } from '../plugin/errors';
import { parseDuration } from '../plugin/duration';
import { DEFAULT_TIMEOUT_SECONDS, type Invocation } from '../plugin/run';
import { lastString, optionKey, type Args } from './args';
import { VERSION } from '../version';

/** What a check contributes to its command line; the standard plugin options come from here. */
export interface CommandLine<O> {
  readonly command: string;
  readonly description: string;
  readonly examples: readonly (readonly [command: string, explanation: string])[];
  /** Text after the option list: perfdata labels, threshold notes. */
  readonly epilogue: string;
  options(argv: Argv): Argv;
  /** Builds the check's typed options; throws UsageError for wrong values. */
  toOptions(args: Args): O;
  /** Values of the options that must never be printed. */
  secrets(options: O): string[];
}

const PLUGIN_GROUP = 'Plugin options:';
/** A check that may run for an hour is a misconfiguration; Node timers also end at about 24 days. */
export const MAX_TIMEOUT_SECONDS = 3600;

function standardOptions(argv: Argv): Argv {
  return argv
    .option('help', { alias: 'h', type: 'boolean', group: PLUGIN_GROUP, describe: 'Show this help and exit' })
    .option('version', { alias: 'V', type: 'boolean', group: PLUGIN_GROUP, describe: 'Show the plugin version and exit' })
    .option('verbose', {
      alias: 'v',
      type: 'count',
      group: PLUGIN_GROUP,
      describe: 'More detail on stderr: -v requests, -vv connection and timings, -vvv response bodies and stack traces',
    })
    .option('timeout', {
      alias: 't',
      type: 'string',
      requiresArg: true,
      group: PLUGIN_GROUP,
      describe: `Hard limit for the whole run; the check ends with UNKNOWN when it passes (seconds, or 30s, 1m; at most ${MAX_TIMEOUT_SECONDS})`,
      defaultDescription: `${DEFAULT_TIMEOUT_SECONDS}`,
    });
}

/**
 * yargs names an unknown dashed option in camel case (`fooBar` for --foo-bar, since keys are stripped of
 * dashes); the operator should read the option as typed.
 */
function namedAsTyped(message: string, argv: readonly string[]): string {
  const match = /^(Unknown arguments?: )(.*)$/.exec(message);
  if (!match) return message;
  const typed = new Map<string, string>();
  for (const token of argv) {
    const name = /^--([^=]+)/.exec(token)?.[1];
    if (name) typed.set(optionKey(name), name);
  }
  return match[1] + match[2]!.split(', ').map((name) => typed.get(name) ?? name).join(', ');
}

/** Examples as command line, then explanation: long command lines stay copyable instead of wrapped into a column. */
function formatExamples(command: string, examples: CommandLine<unknown>['examples'], width: number): string {
  const lines = examples.map(([example, explanation]) => `  ${example.replace(/\$0/g, command)}\n${wrapText(`      ${explanation}`, width)}`);
  return `Examples:\n${lines.join('\n')}`;
}

/**
 * Wraps each line longer than `width` at spaces; continuation lines are indented like the text of a
 * table row (`  label   text`) or like the line itself. Lines that fit are left exactly as written.
 */
export function wrapText(text: string, width: number): string {
  // A hand-wrapped paragraph whose lines are too long for this width is reflowed as a whole.
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length > width && /^\S/.test(line) && !/^\s/.test(last)) lines[lines.length - 1] = `${last} ${line}`;
    else lines.push(line);
  }
  return lines
    .map((line) => {
      if (line.length <= width) return line;
      const indent = ' '.repeat(/^(\s*\S+\s{2,}|\s*)/.exec(line)![0].length);
      const out: string[] = [];
      let current = '';
      for (const word of line.split(/(?<=\S) (?=\S)/)) {
        if (current && current.length + 1 + word.trimStart().length > width) {
          out.push(current);
          current = indent + word.trimStart();
        } else current = current ? `${current} ${word}` : word;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

export function parseTimeout(args: Args): number {
  const text = lastString(args, 'timeout');
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = parseDuration(text, 'timeout');
  if (seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`--timeout: must be more than 0 and at most ${MAX_TIMEOUT_SECONDS} seconds`);
  }
  return seconds;
}

/**
 * yargs' parser settings: option keys in camel case only, aliases dropped (`-w` arrives as `warning`);
 * without boolean negation an option such as --no-load is itself an option, listed in --help as typed.
 */
const PARSER_CONFIGURATION = { 'strip-aliased': true, 'strip-dashed': true, 'boolean-negation': false } as const;

/**
 * The full yargs: usage, help text, validation messages. Loaded only when a run needs it (--help,
 * a command line that is wrong, or a check whose options use more of yargs than the quick path
 * knows), because evaluating yargs costs more than the start-up budget of a check (bench/README.md).
 */
export async function parseWithYargs<O>(commandLine: CommandLine<O>, argv: readonly string[]): Promise<{ args: Args; help: () => Promise<string> }> {
  const { default: yargs } = await import('yargs');
  // yargs' own help and version handling would print and exit by itself; the runner decides instead.
  const base = yargs([...argv]).help(false).version(false);
  const width = Math.min(110, process.stdout.columns || 100);
  const parser = commandLine
    .options(standardOptions(base))
    .scriptName(commandLine.command)
    .usage(`Usage: $0 [options]\n\n${commandLine.description}`)
    .strict()
    .exitProcess(false)
    .parserConfiguration(PARSER_CONFIGURATION)
    .wrap(width)
    .fail((message, error) => {
      throw new UsageError(`invalid command line: ${namedAsTyped(message ?? error?.message ?? 'unknown error', argv)} (see --help)`);
    });
  const args = (await parser.parseAsync()) as Args;
  // yargs' strict mode lets anything after `--` through; no check takes positional arguments.
  const positional = [...[args._ ?? []].flat(), ...[args['--'] ?? []].flat()];
  if (positional.length > 0) {
    throw new UsageError(`invalid command line: unexpected argument '${String(positional[0])}': every value belongs to an option (see --help)`);
  }
  // Examples and epilogue are laid out here, not by yargs: it would re-wrap the hand-wrapped paragraphs
  // and the perfdata tables mid-line, and break example command lines so they no longer paste.
  const epilogue = `${formatExamples(commandLine.command, commandLine.examples, width)}\n\n${wrapText(commandLine.epilogue, width)}`;
  return { args, help: async () => `${await parser.getHelp()}\n\n${epilogue}` };
}

/** The option settings the quick path translates into yargs-parser's terms; any other makes a check use full yargs. */
const QUICK_SETTINGS = new Set([
  'alias', 'type', 'requiresArg', 'default', 'choices', 'demandOption', 'group', 'describe', 'description', 'desc', 'defaultDescription', 'hidden',
]);
const QUICK_TYPES = new Set(['string', 'boolean', 'count', 'number', 'array']);

/**
 * The options a check declares, recorded by running its `options(argv)` against a stand-in for
 * yargs. Undefined when it calls anything but `.option(key, settings)` with settings the quick
 * path knows: such a check is parsed by full yargs on every run, correct if slower.
 */
export function recordOptions(commandLine: Pick<CommandLine<unknown>, 'options'>): [string, Options][] | undefined {
  const recorded: [string, Options][] = [];
  let complete = true;
  const recorder: Argv = new Proxy({} as Argv, {
    get: (_target, method) =>
      (...params: unknown[]) => {
        const [key, settings] = params as [unknown, Options | undefined];
        const known =
          (method === 'option' || method === 'options') &&
          typeof key === 'string' &&
          Object.keys(settings ?? {}).every((name) => QUICK_SETTINGS.has(name)) &&
          (settings?.type === undefined || QUICK_TYPES.has(settings.type));
        if (known) recorded.push([key, settings ?? {}]);
        else complete = false;
        return recorder;
      },
  });
  commandLine.options(standardOptions(recorder));
  return complete ? recorded : undefined;
}

/** yargs-parser options exactly as yargs derives them from `.option()` calls (yargs' option()). */
function parserOptions(recorded: readonly [string, Options][]): yargsParser.Options & { key: Record<string, boolean> } {
  const options = {
    alias: {} as Record<string, string[]>,
    string: [] as string[],
    boolean: [] as string[],
    number: [] as string[],
    array: [] as string[],
    count: [] as string[],
    narg: {} as Record<string, number>,
    default: {} as Record<string, unknown>,
    key: {} as Record<string, boolean>,
    configuration: { 'parse-positional-numbers': false, 'populate--': true, ...PARSER_CONFIGURATION },
  };
  for (const [key, settings] of recorded) {
    options.key[key] = true;
    const aliases = settings.alias === undefined ? [] : [settings.alias].flat();
    if (aliases.length) options.alias[key] = [...(options.alias[key] ?? []), ...aliases];
    if ('default' in settings) options.default[key] = settings.default;
    const type = settings.type;
    if (type === 'count') options.count.push(key);
    else if (type) options[type].push(key, ...aliases);
    if (settings.requiresArg && !options.narg[key]) options.narg[key] = NaN;
  }
  return options;
}

const SIMPLE_TYPES = new Set(['string', 'boolean', 'count']);

/**
 * The command lines of ordinary runs (`--name value`, `--name=value`, `-n value`, `--flag`, `-vvv`
 * with declared string, boolean and count options; defaults of string and boolean options) read without yargs-parser,
 * whose first parse alone costs about 3 ms of every start. Gives what yargs-parser gives for them
 * (a test holds the two to the same result), and undefined for anything else.
 */
export function parseSimply(recorded: readonly [string, Options][], argv: readonly string[]): Args | undefined {
  const byName = new Map<string, { key: string; type: string }>();
  const args: Record<string, unknown> = { _: [] };
  const defaults: [key: string, value: unknown][] = [];
  for (const [name, settings] of recorded) {
    if (!SIMPLE_TYPES.has(settings.type ?? '') || ('default' in settings && settings.type === 'count')) return undefined;
    // yargs-parser's camel case of plain kebab-case names; anything else is left to it.
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) return undefined;
    const option = { key: optionKey(name), type: settings.type! };
    if (option.type === 'count') args[option.key] = 0;
    if ('default' in settings) defaults.push([option.key, settings.default]);
    byName.set(name, option);
    for (const alias of [settings.alias ?? []].flat()) byName.set(alias, option);
  }
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const long = /^--([^=]{2,})(?:=([^]*))?$/.exec(token);
    const short = /^-([^-])\1*$/.exec(token);
    const name = long?.[1] ?? short?.[1];
    const option = name === undefined ? undefined : byName.get(name);
    if (!option) return undefined;
    if (option.type === 'string') {
      if (short && token.length > 2) return undefined;
      const inline = long?.[2];
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('-'))) return undefined;
      const previous = args[option.key];
      args[option.key] = previous === undefined ? value : [previous, value].flat();
    } else if (long?.[2] !== undefined) {
      return undefined;
    } else if (option.type === 'count') {
      args[option.key] = (args[option.key] as number) + (short ? token.length - 1 : 1);
    } else {
      if (short && token.length > 2) return undefined;
      args[option.key] = true;
    }
  }
  for (const [key, value] of defaults) if (args[key] === undefined) args[key] = value;
  return args;
}

/**
 * The run path: yargs-parser (the parser inside yargs) with the options yargs would give it, on a
 * command line that needs nothing more. Undefined whenever full yargs must decide: a parse error,
 * an unknown option, a positional argument, `--`, or --help.
 */
export async function parseQuickly(recorded: readonly [string, Options][], argv: readonly string[]): Promise<Args | undefined> {
  if (argv.includes('--')) return undefined;
  const args = parseSimply(recorded, argv) ?? (await parseWithYargsParser(recorded, argv));
  return args && !args.help && passesYargsChecks(recorded, args) ? args : undefined;
}

/**
 * yargs' checks of demanded options and choices, made as yargs makes them: on the key as declared
 * (with strip-dashed, yargs finds a kebab-case key never given and never checks its choices).
 * A command line failing one is left to yargs, for its message.
 */
function passesYargsChecks(recorded: readonly [string, Options][], args: Args): boolean {
  return recorded.every(([name, settings]) => {
    const value = args[name];
    if (settings.demandOption && value === undefined) return false;
    const choices: readonly unknown[] | undefined = settings.choices;
    return !choices || [value].flat().every((given) => given === undefined || choices.includes(given));
  });
}

async function parseWithYargsParser(recorded: readonly [string, Options][], argv: readonly string[]): Promise<Args | undefined> {
  const options = parserOptions(recorded);
  const { default: yargsParser } = await import('yargs-parser');
  const parsed = yargsParser.detailed([...argv], options);
  if (parsed.error) return undefined;
  const { _: positional, ...args } = parsed.argv;
  if (positional.length > 0) return undefined;
  // Known are the declared options only: yargs-parser adds a camel-case alias for every dashed key
  // it meets, declared or not, so its `aliases` would make --any-unknown-option look known.
  const known = new Set<string>(['$0', '--']);
  for (const [key, settings] of recorded) {
    known.add(key).add(optionKey(key));
    for (const alias of [settings.alias ?? []].flat()) known.add(alias);
  }
  if (Object.keys(args).some((key) => !known.has(key))) return undefined;
  return parsed.argv;
}

/**
 * The command line as getopt, and so every C plugin and the operator's habit, reads it: a short
 * option that takes a value takes the rest of its token (`-kinvoice`, `-w5`; in `-wc 1` the warning
 * is `c`, not an empty -w and a -c), and a flag given a value (`--insecure=yes`, `--help=x`) is an
 * error rather than silently off. yargs-parser would read `-kinvoice` as -k -i -n ... and let an
 * empty -w switch the warning threshold off.
 */
export function asGetoptReadsIt(recorded: readonly [string, Options][], argv: readonly string[]): readonly string[] {
  const takesValue = new Set<string>();
  const flags = new Set<string>();
  for (const [name, settings] of recorded) {
    const names = [name, ...[settings.alias ?? []].flat()];
    for (const alias of names) (settings.type === 'boolean' || settings.type === 'count' ? flags : takesValue).add(alias);
  }
  const result: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      result.push(...argv.slice(i));
      break;
    }
    const long = /^--([^=]+)(=[^]*)?$/.exec(token);
    if (long) {
      const [, name = '', value] = long;
      if (value !== undefined && flags.has(name) && !/^=(true|false)$/.test(value)) {
        throw new UsageError(`--${name} takes no value: write just --${name}, or leave it out`);
      }
      result.push(token);
      if (value === undefined && takesValue.has(name) && i + 1 < argv.length) result.push(argv[++i]!);
      continue;
    }
    const short = /^-([^-\d].*)$/.exec(token)?.[1];
    if (short === undefined) {
      result.push(token);
      continue;
    }
    const at = [...short].findIndex((letter) => takesValue.has(letter));
    if (at === -1) result.push(token);
    else if (at < short.length - 1) result.push(`-${short.slice(0, at + 1)}`, short.slice(at + 1));
    else {
      result.push(token);
      if (i + 1 < argv.length) result.push(argv[++i]!);
    }
  }
  return result;
}

export function commandLineParser<O>(commandLine: CommandLine<O>): (argv: readonly string[]) => Promise<Invocation<O>> {
  // Recorded once per parser; undefined when the check needs full yargs.
  let recorded: [string, Options][] | undefined | null = null;
  return async (given) => {
    let argv = given;
    if (recorded === null) recorded = recordOptions(commandLine);
    if (recorded) argv = asGetoptReadsIt(recorded, argv);
    let args = recorded && (await parseQuickly(recorded, argv));
    if (!args) {
      const full = await parseWithYargs(commandLine, argv);
      if (full.args.help) return { kind: 'info', text: await full.help() };
      args = full.args;
    }
    if (args.version) return { kind: 'info', text: `${commandLine.command} ${VERSION} (camunda-monitoring-plugins)` };

    const options = commandLine.toOptions(args);
    return {
      kind: 'check',
      options,
      timeoutSeconds: parseTimeout(args),
      verbosity: typeof args.verbose === 'number' ? args.verbose : 0,
      secrets: commandLine.secrets(options),
    };
  };
}
