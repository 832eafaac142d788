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

/**
 * A status line longer than this (prefix and state included, perfdata not) is cut at a word
 * boundary with `…`, and the whole text becomes the first long output line: notifications
 * (mail subjects, chat, SMS) and Icinga Web's list views show the status line only, and the
 * Monitoring Plugins guidelines keep the detail in the long output.
 */
export const MAX_STATUS_CHARS = 200;

/** A line of our own text must not start long output or perfdata where it was not meant to. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '¦');
}

/**
 * The status line keeps no `;`: Nagios turns every `;` of it into `:` (base/checks.c, "replace
 * semicolons in plugin output (but not performance data) with colons"), which reads as another
 * sentence. It becomes `,`, or `%3B` inside a URL, where it means the same to a browser. The long
 * output and the perfdata are left alone: Nagios keeps them as they are, and perfdata needs `;`.
 */
export function withoutSemicolons(text: string): string {
  return text.replace(/\bhttps?:\/\/\S+/gi, (url) => url.replace(/;/g, '%3B')).replace(/;/g, ',');
}

/**
 * Parts of a status line that name different things (definitions, topics): `,` separates the
 * figures within a part, and `;` would become `:` in Nagios.
 */
export const PART_SEPARATOR = ' / ';

/** `text` when it fits `maxChars` characters, else cut after the last whole word that fits, with `…`. */
export function cutAtWord(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  const room = chars.slice(0, maxChars - 1).join('');
  const space = room.lastIndexOf(' ');
  // A word longer than half the room (a URL) is cut inside rather than leaving half a line.
  const kept = space > room.length / 2 ? room.slice(0, space) : room;
  return kept.replace(/[\s,;:(-]+$/, '') + '…';
}

/**
 * Renders `PREFIX STATE - summary | perfdata` followed by the long output lines, within the
 * byte limit. A summary too long for the status line (MAX_STATUS_CHARS) is cut there and
 * repeated whole as the first long output line. Long output is dropped whole lines at a time
 * from the end and replaced by a line saying how many were left out, so nothing is ever cut
 * mid-line.
 */
export function renderOutput(prefix: string, output: PluginOutput, limit = MAX_OUTPUT_BYTES): string {
  const perfdata = output.perfdata?.length ? ` | ${formatPerfdataList(output.perfdata)}` : '';
  const summary = withoutSemicolons(oneLine(output.summary));
  const full = `${prefix} ${stateName(output.state)} - ${summary}`;
  let head = cutAtWord(full, MAX_STATUS_CHARS);
  const headRoom = limit - bytes(perfdata) - 1;
  if (bytes(head) > headRoom) head = truncateToBytes(head, headRoom);
  const statusLine = head + perfdata;

  const details = (output.details ?? []).map(oneLine);
  if (head !== full) details.unshift(summary);
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
