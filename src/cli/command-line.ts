import yargs, { type Argv } from 'yargs';
import { UsageError } from '../plugin/errors';
import { parseDuration } from '../plugin/duration';
import { DEFAULT_TIMEOUT_SECONDS, type Invocation } from '../plugin/run';
import { lastString, type Args } from './args';
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
/** Option groups of --help that several checks share. */
export const THRESHOLD_GROUP = 'Thresholds (Nagios ranges: 10, 10:, ~:10, 10:20, @10:20; an empty value switches a default off):';
export const FILTER_GROUP = 'Filters (repeat an option for several values):';
export const OUTPUT_GROUP = 'Output:';
/** The last line of every check's --help. */
export const EXIT_CODES_HELP = 'Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (engine unreachable, authentication failed, bad option, timeout).';
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

/** Examples as command line, then explanation: long command lines stay copyable instead of wrapped into a column. */
function formatExamples(command: string, examples: CommandLine<unknown>['examples']): string {
  const lines = examples.map(([example, explanation]) => `  ${example.replace(/\$0/g, command)}\n      ${explanation}`);
  return `Examples:\n${lines.join('\n')}`;
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

export function commandLineParser<O>(commandLine: CommandLine<O>): (argv: readonly string[]) => Promise<Invocation<O>> {
  return async (argv) => {
    // yargs' own help and version handling would print and exit by itself; the runner decides instead.
    const base = yargs([...argv]).help(false).version(false);
    const parser = commandLine
      .options(standardOptions(base))
      .scriptName(commandLine.command)
      .usage(`Usage: $0 [options]\n\n${commandLine.description}`)
      .epilogue(`${formatExamples(commandLine.command, commandLine.examples)}\n\n${commandLine.epilogue}`)
      .strict()
      .exitProcess(false)
      .parserConfiguration({ 'strip-aliased': true, 'strip-dashed': true })
      .wrap(Math.min(110, process.stdout.columns || 100))
      .fail((message, error) => {
        throw new UsageError(`invalid command line: ${message ?? error?.message ?? 'unknown error'} (see --help)`);
      });

    const args = (await parser.parseAsync()) as Args;
    if (args.help) return { kind: 'info', text: await parser.getHelp() };
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
