import { setMaxListeners } from 'node:events';
import { parseDuration } from './duration';
import { PluginError } from './errors';
import { createLogger, createRedactor, type Logger, type Redact } from './log';
import { renderOutput, type PluginOutput } from './output';
import { State } from './state';

export const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * Milliseconds since the process started. The global `performance` would do, but its first use
 * loads perf_hooks and eight internal modules, about a millisecond of every start on Node 22.
 */
export function msSinceStart(): number {
  return process.uptime() * 1000;
}

/** Time kept back from the deadline to print the answer and exit before the caller's timeout kills us. */
const EXIT_MARGIN_MS = 100;

/**
 * A check that waited this long for CPU time (to start, or for its timer to fire) ran on an
 * overloaded host: its timeout says so, since a slower engine would not help anybody there.
 */
const STARVED_MS = 1000;

/**
 * The --timeout of a command line before it is parsed (`-t 5`, `-t5`, `--timeout 5`, `--timeout=5`;
 * the last one wins), so that a check that starts after its time is up ends before parsing.
 */
export function timeoutInArgv(argv: readonly string[]): number | undefined {
  let text: string | undefined;
  argv.forEach((arg, i) => {
    const match = /^(?:-t|--timeout=?)(.*)$/.exec(arg);
    if (match) text = match[1] || argv[i + 1];
  });
  if (text === undefined) return undefined;
  let seconds: number;
  try {
    seconds = parseDuration(text);
  } catch {
    return undefined;
  }
  return seconds > 0 ? seconds : undefined;
}

export interface RunContext {
  readonly log: Logger;
  /** Aborted when the deadline passes, so pending requests stop at once. */
  readonly signal: AbortSignal;
  /** `Date.now()` value by which the check must have answered. */
  readonly deadline: number;
  /** The --timeout the deadline was derived from, for messages. */
  readonly timeoutSeconds: number;
}

export type Invocation<O> =
  | {
      readonly kind: 'check';
      readonly options: O;
      readonly timeoutSeconds: number;
      readonly verbosity: number;
      /** Values that must never be printed (passwords, tokens), also those read from files. */
      readonly secrets: readonly string[];
    }
  | { readonly kind: 'info'; readonly text: string };

export interface Plugin<O> {
  /** Status line prefix, e.g. `CAMUNDA INCIDENTS`. */
  readonly prefix: string;
  /** Secrets visible in the raw command line and environment, known even when parsing fails. */
  rawSecrets(argv: readonly string[]): string[];
  parse(argv: readonly string[]): Promise<Invocation<O>>;
  check(options: O, context: RunContext): Promise<PluginOutput>;
}

export interface RunIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Milliseconds on the msSinceStart() clock at which the run began; 0 for a fresh process. */
  readonly startedAt: number;
}

export const processIO: RunIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  startedAt: 0,
};

/**
 * The one place where a plugin run becomes an exit code. It parses the options, enforces the
 * timeout as a hard deadline counted from process start, and turns every error into a single
 * UNKNOWN line (or the state a PluginError carries). Resolves with the exit code once output
 * has been written exactly once; stack traces go to stderr only, and only at -vvv.
 */
export function runPlugin<O>(plugin: Plugin<O>, argv: readonly string[], io: RunIO = processIO): Promise<number> {
  return new Promise<number>((resolve) => {
    const rawSecrets = safely(() => plugin.rawSecrets(argv)) ?? [];
    let redact: Redact = createRedactor(rawSecrets);
    let verbosity = countVerbosity(argv);
    let finished = false;
    const controller = new AbortController();
    // Every parallel request listens on this one signal; Node would warn on stderr from the 11th on.
    setMaxListeners(0, controller.signal);
    let timer: NodeJS.Timeout | undefined;
    // How long the process took to get here: milliseconds on a quiet host, seconds on a starved one.
    const startDelay = msSinceStart() - io.startedAt;

    const timeoutMessage = (timeoutSeconds: number, lateMs: number): string => {
      const waited = Math.max(startDelay, lateMs);
      return waited >= STARVED_MS
        ? `no answer within the timeout of ${timeoutSeconds}s: the monitoring host is overloaded (the check waited ${(waited / 1000).toFixed(1)}s for CPU time); start fewer checks at once (Icinga MaxConcurrentChecks, Nagios max_concurrent_checks)`
        : `no answer within the timeout of ${timeoutSeconds}s: check that the monitored service is reachable and responsive, or raise --timeout`;
    };

    const finish = (text: string, code: number): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      controller.abort();
      io.stdout(redact(text));
      resolve(code);
    };
    const fail = (state: State, message: string, details?: readonly string[]): void => {
      finish(renderOutput(plugin.prefix, { state, summary: message, details }), state);
    };
    const armDeadline = (timeoutSeconds: number): number => {
      clearTimeout(timer);
      const remaining = timeoutSeconds * 1000 - (msSinceStart() - io.startedAt) - EXIT_MARGIN_MS;
      // When the timer fires late, the event loop was held up: by a host with no CPU time to give.
      const due = msSinceStart() + Math.max(0, remaining);
      timer = setTimeout(() => fail(State.UNKNOWN, timeoutMessage(timeoutSeconds, msSinceStart() - due)), Math.max(0, remaining));
      return Date.now() + Math.max(0, remaining);
    };

    // Started after its time was up (a burst of checks on a small host): ended at once, before
    // parsing and requests would take CPU time from the checks that can still make it.
    const givenTimeout = timeoutInArgv(argv) ?? DEFAULT_TIMEOUT_SECONDS;
    if (startDelay >= givenTimeout * 1000 - EXIT_MARGIN_MS) {
      fail(State.UNKNOWN, timeoutMessage(givenTimeout, 0));
      return;
    }
    armDeadline(DEFAULT_TIMEOUT_SECONDS);

    const execute = async (): Promise<void> => {
      const invocation = await plugin.parse(argv);
      if (invocation.kind === 'info') {
        // Like the C Monitoring Plugins (check_http -h, -V): no check was made, so the state is UNKNOWN.
        finish(invocation.text.endsWith('\n') ? invocation.text : invocation.text + '\n', State.UNKNOWN);
        return;
      }
      redact = createRedactor([...rawSecrets, ...invocation.secrets]);
      verbosity = invocation.verbosity;
      const deadline = armDeadline(invocation.timeoutSeconds);
      const log = createLogger(verbosity, redact, io.stderr);
      const context = { log, signal: controller.signal, deadline, timeoutSeconds: invocation.timeoutSeconds };
      const output = await plugin.check(invocation.options, context);
      log.log(2, `answered after ${Math.round(msSinceStart() - io.startedAt)} ms (counted from process start)`);
      finish(renderOutput(plugin.prefix, output), output.state);
    };

    execute().catch((error: unknown) => {
      if (finished) return;
      if (verbosity >= 3 && error instanceof Error && error.stack) io.stderr(redact(error.stack) + '\n');
      if (error instanceof PluginError) fail(error.state, error.message, error.details);
      else fail(State.UNKNOWN, `internal error: ${error instanceof Error ? error.message : String(error)} (run with -vvv for details)`);
    });
  });
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** Verbosity before parsing succeeds, so even an option error can show a stack trace at -vvv. */
function countVerbosity(argv: readonly string[]): number {
  let level = 0;
  for (const arg of argv) {
    if (arg === '--verbose') level++;
    else if (/^-v+$/.test(arg)) level += arg.length - 1;
  }
  return level;
}

/**
 * Runs a plugin as the whole process: what the launchers in bin/ call. Node's own warnings
 * (deprecations, experimental features) would land on stderr, which Icinga 2 shows as part of
 * the check output; they are shown at -v only.
 */
export async function runAsProcess<O>(plugin: Plugin<O>): Promise<never> {
  const argv = process.argv.slice(2);
  const verbose = countVerbosity(argv) > 0;
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (verbose) process.stderr.write(`node warning: ${warning.name}: ${warning.message}\n`);
  });
  const code = await runPlugin(plugin, argv, processIO);
  process.exit(code);
}
