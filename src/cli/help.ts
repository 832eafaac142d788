import type { Options } from 'yargs';

/*
 * The help of a command, from the options it declares: the text of --help, the short usage of a
 * wrong command line and the man page are three renderings of one Manual, so they cannot drift.
 * Within 80 columns, as the Monitoring Plugins guidelines ask: an option on its own line with its
 * value named (` -w, --warning=RANGE`), its description indented below, as the C plugins print it.
 */

/** Help lines are at most this wide. */
export const HELP_WIDTH = 79;

export interface OptionDoc {
  readonly name: string;
  readonly short?: string | undefined;
  /** What the value is (`RANGE`, `FILE`); undefined for a flag. */
  readonly value?: string | undefined;
  readonly describe: string;
  readonly defaultText?: string | undefined;
  readonly group: string;
  /** A filter or list option that may be given several times. */
  readonly repeatable: boolean;
}

export interface Manual {
  readonly command: string;
  readonly version: string;
  readonly description: string;
  readonly options: readonly OptionDoc[];
  readonly examples: readonly (readonly [command: string, explanation: string])[];
  readonly epilogue: string;
}

/** Names of values by the option's name: `--overdue-warning=RANGE`, `--ca-file=FILE`, `--key=KEY`. */
const VALUE_NAMES: readonly [RegExp, string][] = [
  [/(^|-)(warning|critical)$/, 'RANGE'],
  [/-file$|^client-(cert|key)$/, 'FILE'],
  [/-dir$/, 'DIR'],
  [/(^|-)(url|node)$/, 'URL'],
  [/^timeout$/, 'SECONDS'],
  [/(^|-)(window|after|interval)$|^(instance-sla|stale)$/, 'DURATION'],
  [/^proxy$/, 'URL'],
  [/^no-proxy$/, 'HOSTS'],
  [/^sla$/, 'ID=DURATION'],
  [/(^|-)(list|max-[a-z-]+|limit)$/, 'N'],
  [/^at-risk$/, 'PERCENT'],
  [/^username$/, 'USER'],
  [/(^|-)state$/, 'STATE'],
  [/(^|-)version$/, 'VERSION'],
  [/^(engine|property)$/, 'NAME'],
];

export function valueName(option: string): string {
  return VALUE_NAMES.find(([pattern]) => pattern.test(option))?.[1] ?? option.split('-').pop()!.toUpperCase();
}

/** The documentation of the options as a check declares them (`.option(name, settings)`). */
export function optionDocs(recorded: readonly (readonly [string, Options])[]): OptionDoc[] {
  return recorded
    .filter(([, settings]) => !settings.hidden)
    .map(([name, settings]) => {
      const short = [settings.alias ?? []].flat().find((alias) => alias.length === 1);
      const flag = settings.type === 'boolean' || settings.type === 'count';
      const group = settings.group ?? 'Options:';
      const defaultText = settings.defaultDescription ?? ('default' in settings && settings.default !== undefined && settings.default !== false ? String(settings.default) : undefined);
      return {
        name,
        short,
        value: flag ? undefined : valueName(name),
        describe: settings.describe ?? settings.description ?? settings.desc ?? '',
        defaultText,
        group,
        repeatable: settings.type === 'count' || settings.type === 'array' || (!flag && /\brepeat/i.test(group)),
      };
    });
}

/** `-w RANGE`, `--url URL`, `-v` as the synopsis writes an option. */
function synopsisItem(option: OptionDoc): string {
  const name = option.short ? `-${option.short}` : `--${option.name}`;
  return `[${name}${option.value ? ` ${option.value}` : ''}]${option.repeatable ? '...' : ''}`;
}

/**
 * The synopsis: --url and the options with a short name (the ones a command line uses most), the
 * check's before the plugin's (-t, -v), then `[OPTION]...` for the rest; with `info`, the lines
 * for help and version too.
 */
export function usage(manual: Manual, width = HELP_WIDTH, label = 'Usage: ', info = true): string {
  const first = `${label}${manual.command} `;
  const main = manual.options.filter((o) => (o.short || o.name === 'url') && !['help', 'version'].includes(o.name));
  const standard = (o: OptionDoc) => o.name === 'timeout' || o.name === 'verbose';
  const items = [...main.filter((o) => !standard(o)), ...main.filter(standard)].map(synopsisItem);
  const lines: string[] = [];
  let line = first.trimEnd();
  for (const item of [...items, '[OPTION]...']) {
    if (line.length + 1 + item.length > width) {
      lines.push(line);
      line = ' '.repeat(first.length - 1);
    }
    line += ` ${item}`;
  }
  lines.push(line);
  if (info) lines.push(`${' '.repeat(label.length)}${manual.command} -h`, `${' '.repeat(label.length)}${manual.command} -V`);
  return lines.join('\n');
}

/** The option as its heading line writes it: `-w, --warning=RANGE`. */
export function optionHeading(option: OptionDoc): string {
  const long = `--${option.name}${option.value ? `=${option.value}` : ''}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

function describeWithDefault(option: OptionDoc): string {
  return option.defaultText === undefined ? option.describe : `${option.describe} (default: ${option.defaultText})`;
}

/** Options in the order declared, under their group titles in the order first met. */
function groups(manual: Manual): [title: string, options: OptionDoc[]][] {
  const byGroup = new Map<string, OptionDoc[]>();
  for (const option of manual.options) byGroup.set(option.group, [...(byGroup.get(option.group) ?? []), option]);
  return [...byGroup];
}

/** An example command line, broken with shell line continuations so it still pastes. */
function exampleLines(command: string, indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = indent.slice(0, -2);
  for (const word of command.split(' ')) {
    if (line.trim() && line.length + 1 + word.length + 2 > width) {
      lines.push(`${line} \\`);
      line = `${indent}  ${word}`;
    } else line = line.trim() ? `${line} ${word}` : `${line}${word}`;
  }
  lines.push(line);
  return lines;
}

export function renderHelp(manual: Manual, width = HELP_WIDTH): string {
  const sections = [
    `${manual.command} ${manual.version} (camunda-monitoring-plugins)`,
    usage(manual, width),
    wrapText(manual.description, width),
    ...groups(manual).map(([title, options]) =>
      [wrapText(title, width), ...options.map((o) => ` ${optionHeading(o)}\n${wrapText(`    ${describeWithDefault(o)}`, width)}`)].join('\n'),
    ),
    [
      'Examples:',
      ...manual.examples.map(([example, explanation]) =>
        [...exampleLines(example.replace(/\$0/g, manual.command), '    ', width), wrapText(`      ${explanation}`, width)].join('\n'),
      ),
    ].join('\n'),
    wrapText(manual.epilogue, width),
  ];
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}

/**
 * Wraps each line longer than `width` at spaces; continuation lines are indented like the text of a
 * table row (`  label   text`) or like the line itself. Lines that fit are left exactly as written.
 */
export function wrapText(text: string, width: number): string {
  // A hand-wrapped paragraph whose lines are too long for this width is reflowed as a whole.
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length > width && /^\S/.test(line) && !/^\s/.test(last)) lines[lines.length - 1] = `${last} ${line}`;
    else lines.push(line);
  }
  return lines
    .map((line) => {
      if (line.length <= width) return line;
      const indent = ' '.repeat(Math.min(/^(\s*\S+\s{2,}|\s*)/.exec(line)![0].length, Math.floor(width / 2)));
      const out: string[] = [];
      let current = '';
      for (const word of line.split(/(?<=\S) (?=\S)/)) {
        if (current && current.length + 1 + word.trimStart().length > width) {
          out.push(current);
          // A word too long for the indentation of a table row goes under the row's label.
          const lead = indent.length + word.trimStart().length > width ? indent.slice(0, 4) : indent;
          current = lead + word.trimStart();
        } else current = current ? `${current} ${word}` : word;
      }
      out.push(current);
      // A word too long for its line's indentation keeps what indentation still fits.
      return out.map((part) => (part.length > width ? ' '.repeat(Math.max(0, Math.min(4, width - part.trimStart().length))) + part.trimStart() : part)).join('\n');
    })
    .join('\n');
}

/** Text for roff: backslashes escaped, no line starting with a control character. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

/** The man page (section 1), from the same Manual as --help. */
export function renderManPage(manual: Manual): string {
  const title = manual.command.toUpperCase();
  const summary = (/^[^.?!]*[.?!]/.exec(manual.description)?.[0] ?? manual.description).replace(/\n/g, ' ');
  const out = [
    `.TH ${title} 1 "" "camunda-monitoring-plugins ${manual.version}" "Monitoring plugins"`,
    '.SH NAME',
    `${manual.command} \\- ${roff(summary)}`,
    '.SH SYNOPSIS',
    '.nf',
    roff(usage(manual, 72, '')),
    '.fi',
    '.SH DESCRIPTION',
    roff(manual.description.replace(/\n/g, ' ')),
    '.SH OPTIONS',
  ];
  for (const [title, options] of groups(manual)) {
    out.push('.SS', roff(title.replace(/:$/, '')));
    for (const option of options) out.push('.TP', `.B ${roff(optionHeading(option))}`, roff(describeWithDefault(option)));
  }
  out.push('.SH EXAMPLES');
  for (const [example, explanation] of manual.examples) {
    out.push('.PP', roff(explanation), '.RS 4', '.nf', roff(exampleLines(example.replace(/\$0/g, manual.command), '  ', 68).join('\n')), '.fi', '.RE');
  }
  out.push('.SH NOTES', '.nf', roff(wrapText(manual.epilogue, 72)), '.fi');
  out.push(
    '.SH EXIT STATUS',
    '0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for \\-h, \\-V and a wrong command line).',
    '.SH FILES',
    'Icinga 2 CheckCommands: /usr/share/icinga2/include/plugins\\-contrib.d/camunda.conf (Debian package).',
    'Nagios command definitions: /etc/nagios\\-plugins/config/camunda.cfg (Debian package).',
    'Examples: /usr/share/doc/camunda\\-monitoring\\-plugins/examples.',
    '.SH SEE ALSO',
    'The documentation in /usr/share/doc/camunda\\-monitoring\\-plugins (docs/ of the sources).',
  );
  return `${out.join('\n')}\n`;
}
