import { expect } from 'vitest';
import { MAX_STATUS_CHARS } from '../../src/plugin/output';
import { msSinceStart, runPlugin, type Plugin } from '../../src/plugin/run';

export interface PluginRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** First line of stdout without its perfdata. */
  readonly status: string;
  /** Perfdata of the status line, label → value string (with unit). */
  readonly perfdata: Record<string, string>;
  /** Long output lines. */
  readonly details: string[];
}

/** Parses plugin output the way a monitoring core does: status line, `|`, perfdata, long output. */
export function parseOutput(stdout: string): Pick<PluginRun, 'status' | 'perfdata' | 'details'> {
  const [first = '', ...rest] = stdout.replace(/\n$/, '').split('\n');
  const bar = first.indexOf('|');
  const status = (bar === -1 ? first : first.slice(0, bar)).trim();
  const perfdata: Record<string, string> = {};
  if (bar !== -1) {
    const items = first.slice(bar + 1).trim().match(/('(?:[^']|'')+'|[^\s=]+)=\S+/g) ?? [];
    for (const item of items) {
      const rawLabel = item.startsWith("'") ? item.slice(1, item.lastIndexOf("'")) : item.slice(0, item.indexOf('='));
      const label = rawLabel.replace(/''/g, "'");
      const fields = item.slice(item.startsWith("'") ? item.lastIndexOf("'") + 2 : item.indexOf('=') + 1);
      perfdata[label] = fields;
    }
  }
  return { status, perfdata, details: rest };
}

/** Runs a plugin in-process as a monitoring core would run the executable, and captures what it prints. */
export async function runInProcess<O>(plugin: Plugin<O>, argv: readonly string[]): Promise<PluginRun> {
  let stdout = '';
  let stderr = '';
  const code = await runPlugin(plugin, argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    startedAt: msSinceStart(),
  });
  return { code, stdout, stderr, ...parseOutput(stdout) };
}

/** The value of a perfdata item without unit and thresholds: `incidents=5;0;10;0` → 5. */
export function perfValue(run: PluginRun, label: string): number | undefined {
  const fields = run.perfdata[label];
  if (fields === undefined) return undefined;
  return Number(fields.split(';')[0]!.replace(/[a-zA-Z%]+$/, ''));
}

/** What bad input must end in, for every check: exit 3 and one line `PREFIX UNKNOWN - …message…`. */
export function expectUsageError(run: PluginRun, prefix: string, message: string): void {
  expect(run.code).toBe(3);
  // One status line; a wrong option adds the short usage as long output.
  const [, ...longOutput] = run.stdout.split('\n').filter(Boolean);
  for (const line of longOutput) expect(line).toMatch(/^(Usage: |\s+\[|\S+( \S+)? --help lists every option\.$)/);
  expect(run.status).toContain(`${prefix} UNKNOWN - `);
  expect(run.status).toContain(message);
}

/**
 * A status line longer than MAX_STATUS_CHARS: what the run shows is `full` cut after a whole word
 * with `…`, within the bound, and the whole summary (after `PREFIX STATE - `) is the first long
 * output line.
 */
export function expectCutStatus(run: Pick<PluginRun, 'status' | 'details'>, full: string): void {
  expect(Array.from(full).length, 'the expected line needs no cut').toBeGreaterThan(MAX_STATUS_CHARS);
  expect(Array.from(run.status).length).toBeLessThanOrEqual(MAX_STATUS_CHARS);
  expect(run.status).toMatch(/[^\s,]…$/);
  const kept = run.status.slice(0, -1);
  expect(full.startsWith(kept), `${run.status} is not the start of ${full}`).toBe(true);
  expect(full.charAt(kept.length), 'cut at a word boundary').toMatch(/[\s,:;(]/);
  expect(run.details[0]).toBe(full.slice(full.indexOf(' - ') + 3));
}

/**
 * The whole status text of a run: the status line, or, when it was cut, the long output line that
 * holds it whole (asserting the cut: within the bound, at a word, the start of that line).
 */
export function fullStatus(run: Pick<PluginRun, 'status' | 'details'>): string {
  expect(Array.from(run.status).length).toBeLessThanOrEqual(MAX_STATUS_CHARS);
  if (!run.status.endsWith('…')) return run.status;
  const head = run.status.slice(0, run.status.indexOf(' - ') + 3);
  const full = `${head}${run.details[0]}`;
  expectCutStatus(run, full);
  return full;
}

/** Long output lines a run adds to its status text: none but the whole text of a cut status line. */
export function extraLines(run: Pick<PluginRun, 'status' | 'details'>): string[] {
  return run.status.endsWith('…') ? run.details.slice(1) : run.details;
}
