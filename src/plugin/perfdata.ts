import { fnv1a } from './text';
import type { Range } from './range';

/** Units of measurement the guidelines allow; `c` marks a continuous counter. */
export const UNITS = ['', 's', 'ms', 'us', '%', 'B', 'KB', 'MB', 'GB', 'TB', 'c'] as const;
export type Unit = (typeof UNITS)[number];

export interface Perfdata {
  readonly label: string;
  readonly value: number;
  readonly unit?: Unit;
  readonly warning?: Range | undefined;
  readonly critical?: Range | undefined;
  readonly min?: number;
  readonly max?: number;
}

/**
 * A label needs quotes when it contains anything beyond a conservative character set.
 * `=` ends a label in every parser and `|` ends the output line, so both are replaced; a
 * single quote is doubled inside quotes as the guidelines prescribe.
 */
const PLAIN_LABEL = /^[A-Za-z0-9_.:/\-]+$/;

export function formatLabel(label: string): string {
  // Control, line separator and format characters (\p{Cf}: right-to-left override, zero width space)
  // would make a label display other than it reads in a graph or in Icinga Web.
  const safe = label.replace(/[\p{Cc}\p{Cf}\u2028\u2029=|]/gu, '_');
  if (safe === '') throw new Error('a perfdata label must not be empty');
  return PLAIN_LABEL.test(safe) ? safe : `'${safe.replace(/'/g, "''")}'`;
}

/**
 * Graphing add-ons store each label in a file name (PNP4Nagios: one RRD per label), where names of
 * 255 bytes and more fail. A longer label part keeps its beginning plus a hash of the whole, so it
 * stays readable, unique and the same on every run.
 */
export function boundedLabelPart(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, maxChars - 9).join('')}~${fnv1a(text)}`;
}

/**
 * Decimal notation only: perfdata parsers do not understand exponents such as `1e-7` or `1e+21`.
 * Fractions keep at most 6 decimals, so a value below 0.0000005 is written as 0 (never `-0`).
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`perfdata value ${value} is not a finite number`);
  if (Number.isInteger(value)) return integerDigits(value);
  const text = value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

/** `String()` switches to exponent notation from 1e21 on; this writes the same digits out in full. */
function integerDigits(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e\+(\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', first = '', rest = '', exponent = '0'] = match;
  return sign + first + rest + '0'.repeat(Number(exponent) - rest.length);
}

export function formatPerfdata(item: Perfdata): string {
  const unit = item.unit ?? '';
  if (!(UNITS as readonly string[]).includes(unit)) throw new Error(`unit '${unit}' is not allowed in perfdata`);
  const fields = [
    formatNumber(item.value) + unit,
    item.warning ? formatRange(item.warning) : '',
    item.critical ? formatRange(item.critical) : '',
    item.min === undefined ? '' : formatNumber(item.min),
    item.max === undefined ? '' : formatNumber(item.max),
  ];
  while (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
  return `${formatLabel(item.label)}=${fields.join(';')}`;
}

/**
 * A threshold in the canonical form of the guidelines, whatever spelling the operator used
 * (`:5`, `+5` and `5.` are all `5`), so graphers and parsers see one form.
 */
export function formatRange(range: Range): string {
  const end = range.end === Number.POSITIVE_INFINITY ? '' : formatNumber(range.end);
  const start = range.start === Number.NEGATIVE_INFINITY ? '~' : formatNumber(range.start);
  const body = range.start === 0 && end !== '' ? end : `${start}:${end}`;
  return `${range.inside ? '@' : ''}${body}`;
}

/** All items space-separated; a label used twice is a programming error, not something to print. */
export function formatPerfdataList(items: readonly Perfdata[]): string {
  const seen = new Set<string>();
  return items
    .map((item) => {
      const label = formatLabel(item.label);
      if (seen.has(label)) throw new Error(`duplicate perfdata label ${label}`);
      seen.add(label);
      return formatPerfdata(item);
    })
    .join(' ');
}

/**
 * Room reserved for every value when deciding what fits: the values' own widths would let a count
 * growing from 9 to 10 push the last group's perfdata out, and its graphs would come and go.
 */
const WIDEST_VALUE = 999_999_999;

/** The perfdata of as many whole groups (a definition's metrics) as fit `budget` bytes, in the order given, whatever their values. */
export function wholeGroupsWithin(groups: readonly (readonly Perfdata[])[], budget: number): { perfdata: Perfdata[]; groups: number } {
  const perfdata: Perfdata[] = [];
  let used = 0;
  let count = 0;
  for (const group of groups) {
    const size = group.reduce((total, p) => total + Buffer.byteLength(formatPerfdata({ ...p, value: WIDEST_VALUE })) + 1, 0);
    if (used + size > budget) break;
    used += size;
    count++;
    perfdata.push(...group);
  }
  return { perfdata, groups: count };
}
