import { describe, expect, it } from 'vitest';
import { MAX_OUTPUT_BYTES, MAX_STATUS_CHARS, renderOutput, withoutSemicolons } from '../../src/plugin/output';
import { parseRange } from '../../src/plugin/range';
import { State } from '../../src/plugin/state';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const perfdata = [
  { label: 'incidents', value: 5, warning: parseRange('0'), critical: parseRange('10'), min: 0 },
  { label: 'new_incidents', value: 3, min: 0 },
];
const PERF = 'incidents=5;0;10;0 new_incidents=3;;;0';

/** Lines of the output without the final newline. */
const linesOf = (output: string) => output.replace(/\n$/, '').split('\n');

describe('renderOutput', () => {
  it('writes PREFIX STATE - summary | perfdata and a final newline', () => {
    expect(renderOutput('CAMUNDA INCIDENTS', { state: State.WARNING, summary: '5 open incidents (warning)', perfdata })).toBe(
      `CAMUNDA INCIDENTS WARNING - 5 open incidents (warning) | ${PERF}\n`,
    );
  });

  it.each([
    [State.OK, 'OK'],
    [State.WARNING, 'WARNING'],
    [State.CRITICAL, 'CRITICAL'],
    [State.UNKNOWN, 'UNKNOWN'],
  ])('names state %d as %s', (state, name) => {
    expect(renderOutput('P', { state, summary: 's' })).toBe(`P ${name} - s\n`);
  });

  it('leaves out the bar without perfdata, also for an empty list', () => {
    expect(renderOutput('P', { state: State.OK, summary: 'fine' })).toBe('P OK - fine\n');
    expect(renderOutput('P', { state: State.OK, summary: 'fine', perfdata: [] })).toBe('P OK - fine\n');
  });

  it('puts long output lines after the status line', () => {
    expect(renderOutput('P', { state: State.CRITICAL, summary: 'bad', perfdata, details: ['first', 'second'] })).toBe(
      `P CRITICAL - bad | ${PERF}\nfirst\nsecond\n`,
    );
  });

  it('keeps newlines and bars in summary and details from breaking the format', () => {
    const output = renderOutput('P', {
      state: State.WARNING,
      summary: 'two\nlines | and a bar\r\nthird',
      perfdata,
      details: ['detail with | bar', 'detail\nwith newline', 'cr\ronly', 'x||y'],
    });
    const lines = linesOf(output);
    expect(lines).toHaveLength(1 + 4);
    expect(output.indexOf('|')).toBe(lines[0]!.indexOf(' | ') + 1);
    expect(lines[0]).toBe(`P WARNING - two lines ¦ and a bar third | ${PERF}`);
    expect(lines.slice(1)).toEqual(['detail with ¦ bar', 'detail with newline', 'cr only', 'x¦¦y']);
    expect(output.split('|')).toHaveLength(2);
  });

  it('has a limit of 8191 bytes', () => {
    expect(MAX_OUTPUT_BYTES).toBe(8191);
  });

  describe('with 500 long detail lines', () => {
    // Multibyte characters: "ä" is 2 bytes, "事" 3, "🔥" 4.
    const details = Array.from({ length: 500 }, (_, i) => `incident ${String(i).padStart(3, '0')} ä事🔥 ${'x'.repeat(60 + (i % 7))}`);
    const output = renderOutput('CAMUNDA INCIDENTS', { state: State.CRITICAL, summary: '500 open incidents (critical)', perfdata, details });
    const lines = linesOf(output);
    const shown = lines.slice(1, -1);
    const last = lines[lines.length - 1]!;

    it('stays within 8191 bytes counted in UTF-8', () => {
      expect(bytes(output)).toBeLessThanOrEqual(8191);
      // It uses the room: a further line would not have fitted.
      expect(bytes(output) + bytes(details[shown.length]!) + 1).toBeGreaterThan(8191);
    });

    it('keeps the status line and its perfdata whole', () => {
      expect(lines[0]).toBe(`CAMUNDA INCIDENTS CRITICAL - 500 open incidents (critical) | ${PERF}`);
    });

    it('shows the first lines whole and in order', () => {
      expect(shown.length).toBeGreaterThan(50);
      expect(shown).toEqual(details.slice(0, shown.length));
    });

    it('ends with a note giving exactly the number of dropped lines', () => {
      const dropped = 500 - shown.length;
      expect(last).toBe(`… and ${dropped} more lines not shown (output limit)`);
      expect(output.endsWith(`${last}\n`)).toBe(true);
    });
  });

  it('needs no note when everything fits, even right at the limit', () => {
    const status = 'P OK - s';
    const line = 'y'.repeat(100);
    const limit = bytes(status) + 1 + 2 * (line.length + 1);
    const output = renderOutput('P', { state: State.OK, summary: 's', details: [line, line] }, limit);
    expect(output).toBe(`${status}\n${line}\n${line}\n`);
    expect(bytes(output)).toBe(limit);
  });

  it('says "1 more line" when only the last line is dropped', () => {
    const status = 'P OK - s';
    const note = '… and 1 more line not shown (output limit)';
    const first = 'a'.repeat(bytes(note) + 10);
    const limit = bytes(status) + 1 + first.length + 1 + bytes(note) + 1;
    const output = renderOutput('P', { state: State.OK, summary: 's', details: [first, 'b'.repeat(bytes(note) + 20)] }, limit);
    expect(output).toBe(`${status}\n${first}\n${note}\n`);
    expect(bytes(output)).toBeLessThanOrEqual(limit);
  });

  it('counts the note line into the limit for every possible limit', () => {
    const details = Array.from({ length: 30 }, (_, i) => `line ${i} ${'ü'.repeat(i)}`);
    for (let limit = 60; limit < 700; limit++) {
      const output = renderOutput('P', { state: State.OK, summary: 'summary', perfdata, details }, limit);
      expect(bytes(output), `limit ${limit}`).toBeLessThanOrEqual(limit);
      const lines = linesOf(output);
      const last = lines[lines.length - 1]!;
      const match = /^… and (\d+) more lines? not shown \(output limit\)$/.exec(last);
      const shown = lines.length - 1 - (match ? 1 : 0);
      expect(lines.slice(1, 1 + shown), `limit ${limit}`).toEqual(details.slice(0, shown));
      if (match) expect(Number(match[1]), `limit ${limit}`).toBe(30 - shown);
      else if (shown < 30) {
        // Only when not even the note fits after the status line are lines dropped without it.
        expect(shown, `limit ${limit}`).toBe(0);
        expect(bytes(output) + bytes(`… and 30 more lines not shown (output limit)`) + 1, `limit ${limit}`).toBeGreaterThan(limit);
      }
      // A further line would not have fitted, with the note its absence needs.
      if (shown < 30) {
        const notes = 30 - shown - 1 > 0 ? bytes(`… and ${30 - shown - 1} more lines not shown (output limit)`) + 1 : 0;
        expect(bytes(lines.slice(0, 1 + shown).join('\n')) + 1 + bytes(details[shown]!) + 1 + notes, `limit ${limit}`).toBeGreaterThan(limit);
      }
    }
  });

  it('shortens a huge summary to the status line bound, keeps all perfdata and says the whole did not fit', () => {
    const summary = 'ö'.repeat(20000);
    const output = renderOutput('CAMUNDA INCIDENTS', { state: State.WARNING, summary, perfdata, details: ['dropped'] });
    expect(bytes(output)).toBeLessThanOrEqual(8191);
    const lines = linesOf(output);
    expect(lines[0]).toBe(`CAMUNDA INCIDENTS WARNING - ${'ö'.repeat(MAX_STATUS_CHARS - 'CAMUNDA INCIDENTS WARNING - '.length - 1)}… | ${PERF}`);
    expect(output).not.toContain('\ufffd');
    // The whole summary (40 000 bytes) and the detail do not fit the 8 KiB: counted, not cut.
    expect(lines.slice(1)).toEqual(['… and 2 more lines not shown (output limit)']);
  });

  it('shortens a huge summary of emoji without splitting one', () => {
    const output = renderOutput('P', { state: State.OK, summary: '🔥'.repeat(5000) });
    expect(bytes(output)).toBeLessThanOrEqual(8191);
    const status = linesOf(output)[0]!;
    expect(status).toMatch(/^P OK - (🔥)+…$/u);
    expect(Array.from(status)).toHaveLength(MAX_STATUS_CHARS);
  });

  it('cuts the status line of a big perfdata to the bytes left, keeping every perfdata value', () => {
    const many = Array.from({ length: 248 }, (_, i) => ({ label: `definition_${String(i).padStart(3, '0')}_instances`, value: i, min: 0 }));
    const output = renderOutput('P', { state: State.OK, summary: 'a few words '.repeat(15).trim(), perfdata: many });
    expect(bytes(output)).toBeLessThanOrEqual(8191);
    const [head, perf] = linesOf(output)[0]!.split(' | ');
    expect(perf!.split(' ')).toHaveLength(248);
    expect(perf).toContain('definition_247_instances=247;;;0');
    expect(head).toMatch(/^P OK - a few .*…$/);
  });

  describe('a status line over MAX_STATUS_CHARS characters', () => {
    const words = Array.from({ length: 40 }, (_, i) => `item${i} (warning)`).join(', ');
    const output = renderOutput('CAMUNDA DEFINITION', { state: State.WARNING, summary: words, perfdata, details: ['first detail', 'second detail'] });
    const lines = linesOf(output);
    const [status, perf] = lines[0]!.split(' | ');

    it('is cut at a word boundary with … within the bound', () => {
      expect(MAX_STATUS_CHARS).toBe(200);
      expect(Array.from(status!).length).toBeLessThanOrEqual(MAX_STATUS_CHARS);
      expect(status).toMatch(/^CAMUNDA DEFINITION WARNING - item0 \(warning\), item1 .* item\d+ \(warning\)…$/);
      // What stands before the … is a prefix of the whole line, ending at a whole word.
      const kept = status!.slice(0, -1);
      expect(`CAMUNDA DEFINITION WARNING - ${words}`.startsWith(kept)).toBe(true);
      expect(`CAMUNDA DEFINITION WARNING - ${words}`[kept.length]).toBe(',');
      // Not cut more than one word early.
      expect(kept.length).toBeGreaterThan(MAX_STATUS_CHARS - ' item12 (warning),'.length - 1);
    });

    it('keeps the perfdata complete and untouched', () => {
      expect(perf).toBe(PERF);
    });

    it('puts the whole summary first in the long output, before the details', () => {
      expect(lines.slice(1)).toEqual([words, 'first detail', 'second detail']);
    });
  });

  it('leaves a status line of exactly MAX_STATUS_CHARS characters whole', () => {
    const summary = 'x'.repeat(MAX_STATUS_CHARS - 'P OK - '.length);
    expect(renderOutput('P', { state: State.OK, summary })).toBe(`P OK - ${summary}\n`);
    const longer = renderOutput('P', { state: State.OK, summary: summary + 'y' });
    // One long word: cut inside it rather than nowhere.
    expect(linesOf(longer)).toEqual([`P OK - ${'x'.repeat(MAX_STATUS_CHARS - 'P OK - '.length - 1)}…`, summary + 'y']);
  });

  it('writes no ; in the status line, which Nagios would turn into : (in a URL: %3B)', () => {
    const output = renderOutput('P', {
      state: State.CRITICAL,
      summary: 'invoice: 2 incidents; see http://cockpit/app;jsessionid=1?a=b;c=d now;',
      perfdata,
      details: ['detail; with a semicolon', 'http://x/a;b'],
    });
    const lines = linesOf(output);
    expect(lines[0]).toBe(`P CRITICAL - invoice: 2 incidents, see http://cockpit/app%3Bjsessionid=1?a=b%3Bc=d now, | ${PERF}`);
    // The long output is not rewritten by Nagios and stays as it is, the perfdata needs its ;.
    expect(lines.slice(1)).toEqual(['detail; with a semicolon', 'http://x/a;b']);
    expect(withoutSemicolons('a;b')).toBe('a,b');
  });
});
