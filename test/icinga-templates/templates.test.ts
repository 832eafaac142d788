import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtCheck } from '../support/executables';

/*
 * The drop-in configuration in icinga-templates/: every option a check offers is mapped in its
 * CheckCommand (and nothing else), and the real Icinga 2 and Nagios 4 accept the files.
 * CI installs the Debian packages icinga2 and nagios4; where they are missing the validation
 * tests say so and are skipped.
 */

const TEMPLATES = fileURLToPath(new URL('../../icinga-templates/', import.meta.url));
/** Every check the package installs has a CheckCommand named after it: check_camunda_x -> camunda-x. */
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> };
const CHECKS = Object.keys(PACKAGE.bin).map((plugin) => ({ plugin, command: plugin.replace(/^check_/, '').replaceAll('_', '-') }));

/** Options deliberately not mapped, and why. */
const NOT_MAPPED: Record<string, string> = {
  help: 'prints help instead of checking',
  version: 'prints the version instead of checking',
  password: 'would put the password into the process list; the CheckCommand hands it over in env.CAMUNDA_PASSWORD',
  token: 'would put the token into the process list; the CheckCommand hands it over in env.CAMUNDA_TOKEN',
};

/** Custom variables a service sets in the validated configuration, to exercise arrays and values. */
const SERVICE_VARS: Record<string, string[]> = {
  'camunda-incidents': ['vars.camunda_incidents_process_definition_key = [ "invoice", "order" ]', 'vars.camunda_incidents_critical = "10"'],
  'camunda-definition': ['vars.camunda_definition_key = [ "invoice", "order" ]', 'vars.camunda_definition_tasks = true', 'vars.camunda_definition_incidents_critical = "0"'],
};

/** Long options as --help lists them in its option column (description lines are indented further). */
function helpOptions(plugin: string): Set<string> {
  const help = spawnSync(builtCheck(plugin), ['--help'], { encoding: 'utf8' }).stdout;
  return new Set([...help.matchAll(/^ {2}(?:-\w, | {4})--([a-z][a-z-]*)/gm)].map((m) => m[1]!));
}

function mappedArguments(...files: string[]): Set<string> {
  const text = files.map((file) => readFileSync(join(TEMPLATES, file), 'utf8')).join('\n');
  return new Set([...text.matchAll(/^\s*"--([a-z][a-z-]*)" = \{/gm)].map((m) => m[1]!));
}

describe.each(CHECKS)('CheckCommand $command', ({ command, plugin }) => {
  it('maps every option the plugin offers, and only those', () => {
    const offered = helpOptions(plugin);
    expect(offered.size).toBeGreaterThan(10);
    const expected = [...offered].filter((option) => !(option in NOT_MAPPED)).sort();
    expect([...mappedArguments('camunda-connection.conf', `${command}.conf`)].sort()).toEqual(expected);
    for (const option of Object.keys(NOT_MAPPED)) expect(offered, `--${option} exists`).toContain(option);
  });
});

const hasIcinga = spawnSync('icinga2', ['--version']).status === 0;
const hasNagios = spawnSync('nagios4', ['--version']).status !== null && spawnSync('sh', ['-c', 'command -v nagios4']).status === 0;
const work = mkdtempSync(join(tmpdir(), 'templates-'));
// Nagios drops its privileges to the nagios user, who must be able to read the configuration.
chmodSync(work, 0o755);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('Icinga 2 accepts the templates', () => {
  if (!hasIcinga) console.warn('icinga2 is not installed (apt-get install icinga2): CheckCommands not validated here; CI installs it');

  it.skipIf(!hasIcinga)('icinga2 daemon -C over the templates, a host and a service per CheckCommand', () => {
    const dirs = Object.fromEntries(['data', 'log', 'cache', 'spool', 'run'].map((d) => [d, join(work, 'icinga', d)]));
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    const config = join(work, 'icinga', 'icinga2.conf');
    writeFileSync(
      config,
      [
        'const PluginDir = "/usr/lib/nagios/plugins"',
        'const PluginContribDir = "/usr/lib/nagios/plugins"',
        'const ManubulonPluginDir = "/usr/lib/nagios/plugins"',
        'const NodeName = "localhost"',
        'const ZoneName = "localhost"',
        'const TicketSalt = ""',
        'include <itl>',
        'include <plugins>',
        `include "${join(TEMPLATES, 'camunda-connection.conf')}"`,
        ...CHECKS.map(({ command }) => `include "${join(TEMPLATES, `${command}.conf`)}"`),
        'object Host "camunda" {',
        '  check_command = "dummy"',
        '  vars.camunda_url = "https://camunda.example.com/engine-rest"',
        '  vars.camunda_username = "monitor"',
        '  vars.camunda_password = "secret"',
        '}',
        ...CHECKS.map(({ command }) =>
          [
            `object Service "${command}" {`,
            '  host_name = "camunda"',
            `  check_command = "${command}"`,
            ...(SERVICE_VARS[command] ?? []).map((line) => `  ${line}`),
            '}',
          ].join('\n'),
        ),
      ].join('\n'),
    );
    const result = spawnSync(
      'icinga2',
      ['daemon', '-C', '-c', config, `-DDataDir=${dirs.data}`, `-DLogDir=${dirs.log}`, `-DCacheDir=${dirs.cache}`, `-DSpoolDir=${dirs.spool}`, `-DInitRunDir=${dirs.run}`, `-DPidPath=${join(dirs.run!, 'icinga2.pid')}`],
      { encoding: 'utf8', env: { ...process.env, ICINGA2_USER: execFileSync('id', ['-un'], { encoding: 'utf8' }).trim(), ICINGA2_GROUP: execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim() } },
    );
    expect(result.stdout + result.stderr).not.toMatch(/critical\/config/);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    // Each service names its CheckCommand: the validation fails unless the template defined it.
    expect(result.stdout).toMatch(/Finished validating the configuration/);
  }, 60_000);
});

describe('Nagios 4 accepts the command definitions', () => {
  if (!hasNagios) console.warn('nagios4 is not installed (apt-get install nagios4): command definitions not validated here; CI installs it');

  it.skipIf(!hasNagios)('nagios4 -v over a minimal main configuration', () => {
    const dir = join(work, 'nagios');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    writeFileSync(
      join(dir, 'objects.cfg'),
      [
        'define timeperiod {\n    timeperiod_name always\n    alias Always\n    monday 00:00-24:00\n}',
        'define contact {\n    contact_name admin\n    service_notification_period always\n    host_notification_period always\n    service_notification_options n\n    host_notification_options n\n    service_notification_commands check_camunda_incidents\n    host_notification_commands check_camunda_incidents\n}',
        'define host {\n    host_name camunda\n    address 127.0.0.1\n    max_check_attempts 1\n    check_period always\n    contacts admin\n    notification_period always\n}',
        ...CHECKS.map(({ plugin }) =>
          `define service {\n    host_name camunda\n    service_description ${plugin}\n    check_command ${plugin}!http://camunda:8080/engine-rest!--password-file /etc/nagios4/camunda.pw\n    max_check_attempts 1\n    check_interval 5\n    retry_interval 1\n    check_period always\n    notification_period always\n    contacts admin\n}`,
        ),
      ].join('\n'),
    );
    const main = join(dir, 'nagios.cfg');
    writeFileSync(
      main,
      [
        `log_file=${dir}/nagios.log`,
        `check_result_path=${dir}`,
        `lock_file=${dir}/nagios.lock`,
        `temp_file=${dir}/nagios.tmp`,
        `status_file=${dir}/status.dat`,
        `resource_file=${dir}/resource.cfg`,
        ...CHECKS.map(({ command }) => `cfg_file=${join(TEMPLATES, 'nagios', `${command}.cfg`)}`),
        `cfg_file=${dir}/objects.cfg`,
      ].join('\n') + '\n',
    );
    writeFileSync(join(dir, 'resource.cfg'), '$USER1$=/usr/lib/nagios/plugins\n');
    const result = spawnSync('nagios4', ['-v', main], { encoding: 'utf8' });
    expect(result.stdout).toMatch(/Total Errors:\s+0/);
    expect(result.status, result.stdout).toBe(0);
  }, 60_000);
});
