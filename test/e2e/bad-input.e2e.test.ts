import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { runBuilt, type ProcessRun } from '../support/executables';

/*
 * Wrong command lines against every built check, as an operator types them: each must end in exactly
 * one status line `CAMUNDA X UNKNOWN - ...` naming the option (a wrong option followed by the short usage),
 * exit 3, nothing on stderr, no secret echoed.
 */

const SECRET = 's3cr3t-Pa55word';

interface CheckUnderTest {
  readonly name: string;
  readonly prefix: string;
  /** An option only another check has. */
  readonly foreign: readonly string[];
  /** Options a run against the demo engine needs to print performance data. */
  readonly measuring?: readonly string[];
  /** Reads BPMN models: its runs get a private --cache-dir. */
  readonly cachesModels?: boolean;
}

const CHECKS: readonly CheckUnderTest[] = [
  { name: 'check_camunda_incidents', prefix: 'CAMUNDA INCIDENTS', foreign: ['--mode', 'counts'] },
  { name: 'check_camunda_jobs', prefix: 'CAMUNDA JOBS', foreign: ['--missing-state', 'ok'] },
  { name: 'check_camunda_definition', prefix: 'CAMUNDA DEFINITION', foreign: ['--overdue-after', '5m'] },
  { name: 'check_camunda_engine', prefix: 'CAMUNDA ENGINE', foreign: ['--new-window', '1h'] },
  // The demo models carry no SLA: one from the command line makes it count.
  { name: 'check_camunda_sla', prefix: 'CAMUNDA SLA', foreign: ['--new-window', '1h'], measuring: ['--instance-sla', '1m'], cachesModels: true },
];

let engine: RunningSimulator;
const cacheDir = privateCacheDir();

beforeAll(async () => {
  engine = await startSimulator({ scenario: loadScenario('src/simulator/scenarios/demo.json') });
});

afterAll(async () => {
  await engine?.close();
});

function expectOneUnknownLine(run: ProcessRun, prefix: string, ...fragments: string[]): void {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(3);
  const [status, ...longOutput] = run.stdout.split('\n');
  expect(status).toMatch(new RegExp(`^${prefix} UNKNOWN - `));
  expect(run.stdout.endsWith('\n')).toBe(true);
  // A wrong option is followed by the short usage, as the C plugins print it; nothing else.
  for (const line of longOutput.filter(Boolean)) expect(line).toMatch(/^(Usage: check_camunda_\w+ |\s+\[|check_camunda_\w+ --help lists every option\.$)/);
  expect(longOutput.every((line) => line.length <= 80)).toBe(true);
  for (const fragment of fragments) expect(run.stdout).toContain(fragment);
  expect(run.stdout).not.toContain(SECRET);
  expect(run.stdout).not.toMatch(/\bat .*\.(m?js|ts):\d+/);
}

/** A run of the check against the demo engine, with a private model cache where it reads models. */
function runAgainstDemo({ name, cachesModels }: CheckUnderTest, args: readonly string[]): Promise<ProcessRun> {
  return runBuilt(name, ['--url', engine.url, ...(cachesModels ? ['--cache-dir', cacheDir()] : []), ...args]);
}

describe.each(CHECKS)('$name with a wrong command line', (check) => {
  const { prefix, foreign } = check;
  const run = (args: readonly string[]): Promise<ProcessRun> => runAgainstDemo(check, args);

  it.each<[string[], ...string[]]>([
    [['--', 'extra'], "unexpected argument 'extra'"],
    [['positional'], "unexpected argument 'positional'"],
    [['--foo-bar', '1'], 'unknown option --foo-bar'],
    [['-t', '0'], '--timeout'],
    [['-t', '3601'], '--timeout'],
    [['-t', 'abc'], "--timeout: invalid duration 'abc'"],
    [['-t'], '-t needs a value'],
    [['-w', '10:5'], 'start 10 is greater than end 5'],
    [['--insecure=yes'], '--insecure takes no value'],
    [['--help=x'], '--help takes no value'],
    [['--version=1'], '--version takes no value'],
    [['--url', 'camunda:8080/engine-rest'], '--url', 'lacks the scheme'],
    [['--url', `monitor:${SECRET}@camunda:8080/engine-rest`], '--url', 'lacks the scheme'],
    [['--url', `http://monitor:${SECRET}@camunda:8080/engine-rest`], '--url: must not contain credentials'],
    [['--url', 'http://camunda:8080/engine-rest?x=1'], '--url: must not contain a query'],
    [['--password', SECRET, '--bogus'], 'unknown option --bogus'],
  ])('%j', async (args, ...fragments) => {
    expectOneUnknownLine(await run(args), prefix, ...fragments);
  });

  it(`rejects ${foreign[0]}, an option of another check`, async () => {
    expectOneUnknownLine(await run(foreign), prefix, `unknown option ${foreign[0]}`, 'Usage: ');
  });

  it('reads -wc 1 as getopt does (warning "c", then a stray 1) instead of dropping the warning threshold', async () => {
    expectOneUnknownLine(await run(['-wc', '1']), prefix);
  });
});

describe('time spans beyond any date the engine can parse', () => {
  it.each([
    ['check_camunda_incidents', 'CAMUNDA INCIDENTS', ['--new-window', '1000000d'], '--new-window: must be at most 3650d'],
    ['check_camunda_incidents', 'CAMUNDA INCIDENTS', ['--new-window', '99999999999999999999'], '--new-window: must be at most 3650d'],
    ['check_camunda_jobs', 'CAMUNDA JOBS', ['--overdue-after', '1000000d'], '--overdue-after: must be at most 3650d'],
  ])('%s (%s) %j is a usage error, not an engine error about a date in year -712', async (check, prefix, args, message) => {
    expectOneUnknownLine(await runBuilt(check, ['--url', engine.url, ...args]), prefix, message);
  });

  it('takes ten years', async () => {
    expect((await runBuilt('check_camunda_incidents', ['--url', engine.url, '--new-window', '3650d'])).code).not.toBe(3);
  });
});

describe.each([
  ['check_camunda_incidents', 'CAMUNDA INCIDENTS'],
  ['check_camunda_jobs', 'CAMUNDA JOBS'],
])('%s --cockpit-url', (check, prefix) => {
  it.each([
    [`https://monitor:${SECRET}@camunda/camunda/app/cockpit/default`, '--cockpit-url: must not contain credentials'],
    [`monitor:${SECRET}@camunda/camunda/app/cockpit/default`, 'is not an http(s) URL'],
    ['https://camunda/camunda/app/cockpit/default?x=1', '--cockpit-url: must not contain a query or fragment'],
    ['javascript:alert(1)', "--cockpit-url: 'javascript:alert(1)' is not an http(s) URL"],
  ])('rejects %s', async (url, message) => {
    expectOneUnknownLine(await runBuilt(check, ['--url', engine.url, '--cockpit-url', url]), prefix, message);
  });

  it('links with quotes and angle brackets percent-encoded, so a link never becomes markup', async () => {
    const run = await runBuilt(check, ['--url', engine.url, '--cockpit-url', 'https://camunda/cockpit/"><script>x</script>/']);
    expect([1, 2]).toContain(run.code);
    expect(run.stdout).not.toMatch(/[<>]/);
    expect(run.stdout).not.toContain('cockpit/"');
    expect(run.stdout).toContain('https://camunda/cockpit/%22%3E%3Cscript%3Ex%3C/script%3E/#/');
  });
});

describe('short options with their value attached, as getopt reads them', () => {
  it.each([
    ['check_camunda_incidents', ['-kinvoice'], ['-k', 'invoice']],
    ['check_camunda_definition', ['-kinvoice', '-w2'], ['-k', 'invoice', '-w', '2']],
    ['check_camunda_jobs', ['-vkinvoice'], ['-v', '-k', 'invoice']],
  ])('%s %j is %j', async (check, attached, separate) => {
    const [joined, apart] = await Promise.all([runBuilt(check, ['--url', engine.url, ...attached]), runBuilt(check, ['--url', engine.url, ...separate])]);
    expect(joined.code).not.toBe(3);
    expect(joined.code).toBe(apart.code);
    expect(joined.status).toBe(apart.status);
    expect(Object.keys(joined.perfdata)).toEqual(Object.keys(apart.perfdata));
  });
});

describe.each(CHECKS)('$name --help', (check) => {
  const { name } = check;
  let help: string;
  beforeAll(async () => {
    const run = await runBuilt(name, ['--help']);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('');
    help = run.stdout;
  });

  it('lists examples as command lines that paste (long ones continued with \), each followed by its explanation', () => {
    const lines = help.slice(help.indexOf('\nExamples:\n') + 11).split('\n\n')[0]!.split('\n');
    const examples: { command: string[]; explanation: string[] }[] = [];
    for (const line of lines) {
      const current = examples[examples.length - 1];
      if (current && current.command[current.command.length - 1]!.endsWith(' \\')) current.command.push(line);
      else if (line.startsWith('  ') && !line.startsWith('   ')) examples.push({ command: [line], explanation: [] });
      else current!.explanation.push(line);
    }
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const { command, explanation } of examples) {
      expect(command[0]).toMatch(new RegExp(`^  (CAMUNDA_\\w+=\\S+ )?${name} `));
      for (const continued of command.slice(1)) expect(continued).toMatch(/^ {6}\S/);
      expect(explanation.length).toBeGreaterThanOrEqual(1);
      for (const line of explanation) expect(line).toMatch(/^ {6}\S/);
    }
  });

  it('stays within 80 columns without leaving a word alone on a line', () => {
    const lines = help.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.filter((line) => /^[a-z]+$/.test(line))).toEqual([]);
  });

  it('begins with the version and a usage synopsis', () => {
    expect(help).toMatch(new RegExp(`^${name} \\S+ \\(camunda-monitoring-plugins\\)\\n\\nUsage: ${name} \\[--url URL\\] [^]*?\\[OPTION\\]\\.\\.\\.\\n`));
    expect(help).toContain(`\n       ${name} -h\n       ${name} -V\n`);
  });

  it('mentions the default of every option with one, and the standard plugin options', () => {
    for (const option of ['-h, --help', '-V, --version', '-v, --verbose', '-t, --timeout=SECONDS', '--url=URL']) expect(help).toContain(` ${option}\n`);
    const flowing = help.replace(/\s+/g, ' ');
    expect(flowing).toContain('(default: 10)');
    expect(flowing).toContain('(default: http://localhost:8080/engine-rest)');
  });

  it('documents every perfdata label a run prints', async () => {
    const run = await runAgainstDemo(check, check.measuring ?? []);
    const labels = Object.keys(run.perfdata);
    expect(labels.length).toBeGreaterThan(0);
    const documented = help.slice(help.indexOf('Performance data'));
    const perKey: Record<string, RegExp> = {
      check_camunda_definition: /^.*_(instances|incidents|failed_jobs|tasks)$/,
      check_camunda_sla: /^.*_(breached|at_risk)$/,
    };
    for (const label of labels) {
      // The labels of the definition and SLA checks are KEY_metric, documented as LABEL_metric.
      const generic = perKey[name] ? label.replace(perKey[name], 'LABEL_$1') : label;
      expect(documented, label).toMatch(new RegExp(`^  ${generic}\\s`, 'm'));
    }
  });
});
