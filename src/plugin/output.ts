import { formatPerfdataList, type Perfdata } from './perfdata';
import { bySeverity, State, stateName } from './state';

/** What a check tells: one state, a one-line summary, performance data and long output lines. */
export interface PluginOutput {
  readonly state: State;
  readonly summary: string;
  readonly perfdata?: readonly Perfdata[];
  readonly details?: readonly string[];
}

/**
 * Nagios reads plugin output into an 8 KiB buffer that also holds the terminating NUL; what
 * does not fit is cut off, perfdata first. Staying below it keeps every monitoring core whole.
 */
export const MAX_OUTPUT_BYTES = 8191;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A line of our own text must not start long output or perfdata where it was not meant to. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '¦');
}

/**
 * Renders `PREFIX STATE - summary | perfdata` followed by the long output lines, within the
 * byte limit. Long output is dropped whole lines at a time from the end and replaced by a
 * line saying how many were left out, so nothing is ever cut mid-line.
 */
export function renderOutput(prefix: string, output: PluginOutput, limit = MAX_OUTPUT_BYTES): string {
  const perfdata = output.perfdata?.length ? ` | ${formatPerfdataList(output.perfdata)}` : '';
  let head = `${prefix} ${stateName(output.state)} - ${oneLine(output.summary)}`;
  const headRoom = limit - bytes(perfdata) - 1;
  if (bytes(head) > headRoom) head = truncateToBytes(head, headRoom);
  const statusLine = head + perfdata;

  const details = (output.details ?? []).map(oneLine);
  const lines = [statusLine];
  let used = bytes(statusLine) + 1;
  for (let i = 0; i < details.length; i++) {
    const line = details[i]!;
    const remaining = details.length - i - 1;
    // Reserve room for the note that would follow this line: "and `remaining` more" (none after the last line).
    const reserve = remaining > 0 ? bytes(moreLine(remaining)) + 1 : 0;
    if (used + bytes(line) + 1 + reserve > limit) {
      const note = moreLine(details.length - i);
      if (used + bytes(note) + 1 <= limit) lines.push(note);
      break;
    }
    lines.push(line);
    used += bytes(line) + 1;
  }
  return lines.join('\n') + '\n';
}

function moreLine(count: number): string {
  return `… and ${count} more line${count === 1 ? '' : 's'} not shown (output limit)`;
}

function truncateToBytes(text: string, maxBytes: number): string {
  let result = '';
  for (const char of text) {
    if (bytes(result + char + '…') > maxBytes) break;
    result += char;
  }
  return result + '…';
}

/**
 * Status line parts for items in trouble (definitions, keys that are not deployed): worst first, at
 * most `limit` named and the rest counted (`3 more in trouble`).
 */
export function troubleSummary(items: readonly { readonly state: State; readonly text: string }[], limit: number): string[] {
  const troubled = bySeverity(items);
  const named = troubled.slice(0, limit).map((item) => item.text);
  return troubled.length > limit ? [...named, `${troubled.length - limit} more in trouble`] : named;
}
