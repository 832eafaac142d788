import { State } from './state';

/**
 * An error the runner reports as one line with the given state (UNKNOWN unless said otherwise).
 * The message is shown to operators: it says what went wrong and what to check, and it must
 * never contain a secret.
 */
export class PluginError extends Error {
  constructor(
    message: string,
    readonly state: State = State.UNKNOWN,
    /** Long output lines under the message (the usage after a wrong option). */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'PluginError';
  }
}

/** Wrong command line: bad option, bad range, bad duration, missing argument. */
export class UsageError extends PluginError {
  constructor(message: string, details: readonly string[] = []) {
    super(message, State.UNKNOWN, details);
    this.name = 'UsageError';
  }
}
