import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUBCOMMANDS } from '../../src/actions/command-line';
import { builtCheck } from '../support/executables';

/*
 * The build writes a man page per command from the same Manual as --help (scripts/build.mjs):
 * every command of dist/ has one, with the synopsis and every option --help lists.
 */

const DIST = dirname(builtCheck('check_camunda_incidents'));
const commands = readdirSync(DIST).filter((file) => /^(check_)?camunda_\w+$/.test(file));

describe.each(commands)('man page of %s', (command) => {
  const page = join(DIST, 'man', `${command}.1`);

  it('exists, with name, synopsis, options, examples and exit status', () => {
    expect(existsSync(page)).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text).toMatch(new RegExp(`^\\.TH ${command.toUpperCase()} 1 `));
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXAMPLES', 'EXIT STATUS']) expect(text).toContain(`\n.SH ${section}\n`);
    expect(text).toContain(`\n${command} \\- `);
  });

  it('documents every option --help lists, under the same heading', () => {
    // camunda_action's --help lists its subcommands; each subcommand's help lists its options.
    const helps = command === 'camunda_action' ? SUBCOMMANDS.map((name) => [name, '--help']) : [['--help']];
    const help = helps.map((args) => spawnSync(join(DIST, command), args, { encoding: 'utf8' }).stdout).join('\n');
    const headings = help.split('\n').filter((line) => /^ (-\w, )?--[a-z]/.test(line)).map((line) => line.trim());
    expect(headings.length).toBeGreaterThan(5);
    const text = readFileSync(page, 'utf8');
    for (const heading of headings) expect(text).toContain(`\n.B ${heading.replace(/-/g, '\\-')}\n`);
  });
});
