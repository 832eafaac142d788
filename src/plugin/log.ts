/**
 * Verbose diagnostics on stderr, never on stdout where they would become plugin output.
 * Level 1 (-v) shows each request, 2 (-vv) adds options and timings, 3 (-vvv) adds response
 * bodies and stack traces. Every line passes through the redactor so no secret is printed.
 */
export interface Logger {
  readonly level: number;
  log(level: number, message: string): void;
}

export type Redact = (text: string) => string;

/** Secrets shorter than this are not searched for: replacing every "ab" would garble output, and none of our messages contains a secret by construction. */
const MIN_REDACTED_LENGTH = 4;

export function createRedactor(secrets: readonly (string | undefined)[]): Redact {
  // Longest first: a secret inside a longer one (a password inside a token) must not leave the rest of the longer one visible.
  const needles = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= MIN_REDACTED_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (text) => text;
  return (text) => needles.reduce((out, secret) => out.split(secret).join('****'), text);
}

export function createLogger(level: number, redact: Redact, write: (line: string) => void): Logger {
  return {
    level,
    log(messageLevel, message) {
      if (messageLevel <= level) write(redact(message) + '\n');
    },
  };
}
