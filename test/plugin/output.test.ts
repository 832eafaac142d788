import { describe, expect, it } from 'vitest';
import { MAX_OUTPUT_BYTES, renderOutput } from '../../src/plugin/output';
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

  it('shortens a huge summary but keeps all perfdata', () => {
    const summary = 'ö'.repeat(20000);
    const output = renderOutput('CAMUNDA INCIDENTS', { state: State.WARNING, summary, perfdata, details: ['dropped'] });
    expect(bytes(output)).toBeLessThanOrEqual(8191);
    const lines = linesOf(output);
    expect(lines[0]!.startsWith('CAMUNDA INCIDENTS WARNING - öö')).toBe(true);
    expect(lines[0]!.endsWith(`… | ${PERF}`)).toBe(true);
    expect(output).not.toContain('\ufffd');
    // The status line uses the room it has, to within one character.
    expect(bytes(lines[0]!)).toBeGreaterThan(8191 - 1 - 2);
    // No room was left for the long output.
    expect(lines).toHaveLength(1);
  });

  it('shortens a huge summary of emoji without splitting one', () => {
    const output = renderOutput('P', { state: State.OK, summary: '🔥'.repeat(5000) });
    expect(bytes(output)).toBeLessThanOrEqual(8191);
    expect(output).toMatch(/^P OK - (🔥)+…\n$/u);
  });
});
