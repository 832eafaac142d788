import { existsSync, realpathSync } from 'node:fs';
import type { Argv, Options } from 'yargs';
import { UsageError } from '../plugin/errors';
import { parseDuration } from '../plugin/duration';
import { DEFAULT_TIMEOUT_SECONDS, type Invocation } from '../plugin/run';
import { lastString, optionKey, type Args } from './args';
import { VERSION } from '../version';
import { HELP_WIDTH, optionDocs, renderHelp, usage, wrapText, type Manual } from './help';

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

export function parseTimeout(args: Args): number {
  const text = lastString(args, 'timeout');
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = parseDuration(text, 'timeout');
  if (seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`--timeout: must be more than 0 and at most ${MAX_TIMEOUT_SECONDS} seconds`);
  }
  return seconds;
}

/** The option settings the command line reader and the help know; a check must use no other. */
const KNOWN_SETTINGS = new Set([
  'alias', 'type', 'requiresArg', 'default', 'choices', 'demandOption', 'group', 'describe', 'description', 'desc', 'defaultDescription', 'hidden',
]);
const KNOWN_TYPES = new Set(['string', 'boolean', 'count', 'number', 'array']);

/**
 * The options a check declares, recorded by running its `options(argv)` against a stand-in for
 * yargs (checks declare them as they did for yargs). Undefined when it calls anything but
 * `.option(key, settings)` with the settings known here.
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
          Object.keys(settings ?? {}).every((name) => KNOWN_SETTINGS.has(name)) &&
          (settings?.type === undefined || KNOWN_TYPES.has(settings.type));
        if (known) recorded.push([key, settings ?? {}]);
        else complete = false;
        return recorder;
      },
  });
  commandLine.options(standardOptions(recorder));
  return complete ? recorded : undefined;
}

/** An option as declared, under each of its names. */
type Declared = readonly [name: string, settings: Options];

function byNames(recorded: readonly Declared[]): Map<string, Declared> {
  const names = new Map<string, Declared>();
  for (const declared of recorded) {
    names.set(declared[0], declared);
    for (const alias of [declared[1].alias ?? []].flat()) names.set(alias, declared);
  }
  return names;
}

const takesValue = (settings: Options): boolean => settings.type !== 'boolean' && settings.type !== 'count';

/**
 * Reads a command line as getopt_long, and so every C plugin and the operator's habit, reads it,
 * strictly: every token belongs to a declared option; an option that takes a value takes the rest
 * of its token (`-kinvoice`, `-w5`; in `-wc 1` the warning is `c`) or the next token (so `-c -1:1`
 * is a range); repeated values are kept in order. Gives the keys in camel case (`--new-window` → `newWindow`), aliases under
 * their option, counts from 0, declared defaults for options not given; UsageError otherwise.
 */
export function readCommandLine(recorded: readonly Declared[], argv: readonly string[]): Args {
  const names = byNames(recorded);
  const args: Record<string, unknown> = { _: [] };
  for (const [name, settings] of recorded) if (settings.type === 'count') args[optionKey(name)] = 0;

  // The next token is the value unless it is plainly another option: a long one, or a known short one.
  const valueAfter = (i: number, typed: string): string => {
    const next = argv[i + 1];
    const isOption = next !== undefined && (/^--./.test(next) || (/^-[^-\d]$/.test(next) && names.has(next.slice(1))));
    if (next === undefined || isOption) throw new UsageError(`${typed} needs a value`);
    return next;
  };
  const store = ([name, settings]: Declared, typed: string, value: string | boolean): void => {
    const key = optionKey(name);
    if (settings.type === 'count') args[key] = (args[key] as number) + 1;
    else if (settings.type === 'boolean') args[key] = value === true || value === 'true';
    else if (settings.type === 'number') {
      const number = Number(value);
      if (String(value).trim() === '' || !Number.isFinite(number)) throw new UsageError(`${typed}: '${String(value)}' is not a number`);
      args[key] = args[key] === undefined ? number : [args[key], number].flat();
    } else if (settings.type === 'array') args[key] = [...((args[key] as unknown[] | undefined) ?? []), value];
    else args[key] = args[key] === undefined ? value : [args[key], value].flat();
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      if (i + 1 < argv.length) throw new UsageError(`unexpected argument '${argv[i + 1]}': every value belongs to an option`);
      break;
    }
    const long = /^--([^=]+)(?:=([^]*))?$/.exec(token);
    if (long) {
      const [, name = '', inline] = long;
      const declared = names.get(name);
      if (!declared) throw new UsageError(`unknown option --${name}`);
      if (!takesValue(declared[1])) {
        // A flag given a value (`--insecure=yes`) is an error rather than silently off.
        if (inline !== undefined && !/^(true|false)$/.test(inline)) throw new UsageError(`--${name} takes no value: write just --${name}, or leave it out`);
        store(declared, `--${name}`, inline ?? true);
      }
      else if (inline !== undefined) store(declared, `--${name}`, inline);
      else store(declared, `--${name}`, valueAfter(i++, `--${name}`));
      continue;
    }
    if (!/^-./.test(token)) throw new UsageError(`unexpected argument '${token}': every value belongs to an option`);
    // A cluster of short options (-vvv, -vV); one that takes a value takes the rest of the token or the next.
    const letters = [...token.slice(1)];
    for (let at = 0; at < letters.length; at++) {
      const declared = names.get(letters[at]!);
      if (!declared) throw new UsageError(`unknown option -${letters[at]}${/^-\d/.test(token) ? ` (a value beginning with '-' goes right after its option)` : ''}`);
      if (!takesValue(declared[1])) {
        store(declared, `-${letters[at]}`, true);
        continue;
      }
      const rest = letters.slice(at + 1).join('');
      store(declared, `-${letters[at]}`, rest !== '' ? rest : valueAfter(i++, `-${letters[at]}`));
      break;
    }
  }

  for (const [name, settings] of recorded) {
    const key = optionKey(name);
    if (args[key] === undefined && 'default' in settings) args[key] = settings.default;
    if (settings.demandOption && args[key] === undefined) throw new UsageError(`--${name} is required`);
    const choices: readonly unknown[] | undefined = settings.choices;
    const wrong = choices && [args[key] ?? []].flat().find((value) => !choices.includes(value));
    if (wrong !== undefined && wrong !== false) throw new UsageError(`--${name}: '${String(wrong)}' is not one of ${choices!.join(', ')}`);
  }
  return args;
}

/** The Manual of a command line: what --help, the usage of a wrong command line and the man page show. */
export function manualOf(commandLine: Pick<CommandLine<unknown>, 'command' | 'description' | 'examples' | 'epilogue' | 'options'>): Manual {
  return {
    command: commandLine.command,
    version: VERSION,
    description: commandLine.description,
    options: optionDocs(declaredOptions(commandLine)),
    examples: commandLine.examples,
    epilogue: commandLine.epilogue,
  };
}

function declaredOptions(commandLine: Pick<CommandLine<unknown>, 'command' | 'options'>): [string, Options][] {
  const recorded = recordOptions(commandLine);
  // A test holds every check to the supported settings; this names the check that slipped through.
  if (!recorded) throw new Error(`${commandLine.command} declares options other than .option(name, settings) with the settings the command line reader knows`);
  return recorded;
}

/**
 * Where this installation keeps the Icinga 2 CheckCommands and Nagios command definitions, for the
 * end of --help: the Debian package's ITL directory, or icinga-templates/ next to the npm package.
 */
export function templatesLocation(script = process.argv[1]): string | undefined {
  if (existsSync('/usr/share/icinga2/include/plugins-contrib.d/camunda-connection.conf')) {
    return 'Icinga 2 CheckCommands: installed in the ITL, `include <plugins-contrib>` loads them.';
  }
  try {
    const templates = realpathSync(script ?? '').replace(/\/[^/]*\/[^/]*$/, '/icinga-templates');
    if (existsSync(`${templates}/camunda-connection.conf`)) return `Icinga 2 CheckCommands and Nagios commands (nagios/): ${templates}`;
  } catch {
    // No script path (tests): nothing to tell.
  }
  return undefined;
}

/** -h and --help win over everything else on the line: whoever asks for help gets it. */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((token) => token === '--help' || token === '-h');
}

export function commandLineParser<O>(commandLine: CommandLine<O>): (argv: readonly string[]) => Promise<Invocation<O>> {
  // Recorded once per parser.
  let recorded: [string, Options][] | undefined;
  return async (given) => {
    recorded ??= declaredOptions(commandLine);
    if (asksForHelp(given)) {
      const where = templatesLocation();
      return { kind: 'info', text: renderHelp(manualOf(commandLine)) + (where ? `\n${wrapText(where, HELP_WIDTH)}\n` : '') };
    }
    let args: Args;
    try {
      args = readCommandLine(recorded, given);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      // The short usage goes to the long output, as the C plugins print it on a wrong option.
      const synopsis = usage(manualOf(commandLine), undefined, undefined, false).split('\n');
      throw new UsageError(`invalid command line: ${error.message}`, [...synopsis, `${commandLine.command} --help lists every option.`]);
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

