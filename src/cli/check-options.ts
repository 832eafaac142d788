import type { Argv } from 'yargs';

/** Option groups and texts every check's --help shares, so that the checks read alike. */
export const THRESHOLD_GROUP = 'Thresholds (Nagios ranges: 10, 10:, ~:10, 10:20, @10:20; an empty value switches a default off):';
export const FILTER_GROUP = 'Filters (repeat an option for several values):';
export const OUTPUT_GROUP = 'Output:';
export const EXIT_CODES = 'Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (engine unreachable, authentication failed, bad option, timeout).';

/** A string option that needs a value (`-w` alone is a usage error, not an empty threshold). */
export const VALUE = { type: 'string', requiresArg: true } as const;

/** `--list` and `--cockpit-url`: how much the long output lists, and where its links point. */
export function outputOptions(argv: Argv, texts: { listed: string; linked: string; list: number; maxList: number }): Argv {
  return argv
    .option('list', {
      ...VALUE,
      group: OUTPUT_GROUP,
      describe: `How many ${texts.listed} the long output lists (0: none, at most ${texts.maxList})`,
      defaultDescription: String(texts.list),
    })
    .option('cockpit-url', {
      ...VALUE,
      group: OUTPUT_GROUP,
      describe: `Cockpit base URL, e.g. https://camunda/camunda/app/cockpit/default, to link each listed ${texts.linked}`,
    });
}
