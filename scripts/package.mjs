// `npm run package`: the Debian package, the RPM and the npm tarball, built offline from the
// bundles in dist/ (run `npm run build` first; `npm run package` does). Everything goes to
// packages/. Every executable of dist/ is packaged (a new check or command needs no change here),
// and so is every Icinga 2 .conf and Nagios .cfg of icinga-templates/.
//
//   Debian: /usr/lib/nagios/plugins (the plugins), /usr/share/icinga2/include/plugins-contrib.d
//   (the CheckCommands: the ITL's `include <plugins-contrib>` reads that directory with
//   include_recursive, so it is all an operator writes), /etc/nagios-plugins/config (Nagios command
//   definitions, read by Debian's Nagios 4 through cfg_dir), /usr/share/man/man1, and
//   /usr/share/doc/camunda-monitoring-plugins (README, docs, examples).
//   RPM: /usr/lib64/nagios/plugins (EPEL's nagios-plugins and Icinga's PluginDir there),
//   /usr/share/icinga2/include/plugins-contrib.d, /etc/nagios/conf.d (EPEL's Nagios cfg_dir), man, doc.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const NAME = pkg.name;
const VERSION = pkg.version;
const MIN_NODE = /^>=(\d+)/.exec(pkg.engines.node)[1];
const MAINTAINER = 'camunda-monitoring-plugins maintainers <camunda-monitoring-plugins@users.noreply.github.com>';
const SUMMARY = 'Nagios/Icinga check plugins for Camunda 7 through its REST API';
const DESCRIPTION = [
  'Monitoring plugins that watch Camunda 7 (and its forks Operaton and CIB seven)',
  'through the engine REST API: open incidents, job execution, engine nodes and',
  'versions, process definitions and service levels. Standard plugin output,',
  'performance data and Nagios threshold ranges; Icinga 2 CheckCommands and',
  'Nagios command definitions included.',
];
// A reproducible build: every file dated by the version's commit, or a fixed date outside git.
const EPOCH = Number(process.env.SOURCE_DATE_EPOCH ?? (gitEpoch() || 1700000000));

function gitEpoch() {
  try {
    return execFileSync('git', ['log', '-1', '--format=%ct'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** The executables of dist/: every file without an extension that may be executed. */
const executables = readdirSync('dist').filter((file) => !file.includes('.') && statSync(join('dist', file)).isFile() && (statSync(join('dist', file)).mode & 0o111) !== 0);
if (executables.length === 0) throw new Error('dist/ holds no executables: run npm run build first');
const manPages = readdirSync('dist/man').filter((file) => file.endsWith('.1'));
const icingaConfs = readdirSync('icinga-templates').filter((file) => file.endsWith('.conf'));
const nagiosCfgs = readdirSync('icinga-templates/nagios').filter((file) => file.endsWith('.cfg'));
const docs = ['README.md', 'CHANGELOG.md', ...readdirSync('docs').map((file) => `docs/${file}`)];

rmSync('packages', { recursive: true, force: true });
mkdirSync('packages');
const work = join(tmpdir(), `${NAME}-package-${process.pid}`);
rmSync(work, { recursive: true, force: true });

function write(path, content, mode = 0o644) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
}

/** A plugin as installed: the interpreter named directly, as distributions want it. */
function plugin(name) {
  return readFileSync(join('dist', name), 'utf8').replace(/^#!\/usr\/bin\/env node\n/, '#!/usr/bin/node\n');
}

/** The files both system packages install, under `root`, with the plugin and Nagios directories given. */
function installTree(root, { pluginDir, nagiosDir, docDir }) {
  for (const name of executables) write(join(root, pluginDir, name), plugin(name), 0o755);
  for (const conf of icingaConfs) write(join(root, 'usr/share/icinga2/include/plugins-contrib.d', conf), readFileSync(join('icinga-templates', conf)));
  for (const cfg of nagiosCfgs) write(join(root, nagiosDir, cfg), readFileSync(join('icinga-templates/nagios', cfg)));
  for (const page of manPages) write(join(root, 'usr/share/man/man1', `${page}.gz`), gzipSync(readFileSync(join('dist/man', page)), { level: 9 }));
  for (const doc of docs) write(join(root, docDir, doc), readFileSync(doc));
  copyTree('icinga-templates/examples', join(root, docDir, 'examples/icinga2'));
  copyTree('icinga-templates/nagios/examples', join(root, docDir, 'examples/nagios'));
}

/** Every file below `from` (examples come in subdirectories, such as action/), at the same place below `to`. */
function copyTree(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else write(join(to, entry.name), readFileSync(join(from, entry.name)));
  }
}

function date(format) {
  return execFileSync('date', ['-u', '-d', `@${EPOCH}`, format], { encoding: 'utf8' }).trim();
}

function debian() {
  const root = join(work, 'deb');
  const docDir = `usr/share/doc/${NAME}`;
  installTree(root, { pluginDir: 'usr/lib/nagios/plugins', nagiosDir: 'etc/nagios-plugins/config', docDir });
  write(join(root, docDir, 'copyright'), [
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
    `Upstream-Name: ${NAME}`,
    '',
    'Files: *',
    `Copyright: ${date('+%Y')} ${NAME} contributors`,
    'License: Apache-2.0',
    '',
    'License: Apache-2.0',
    ' On Debian systems, the full text of the Apache License, Version 2.0 can be',
    ' found in the file /usr/share/common-licenses/Apache-2.0.',
    '',
  ].join('\n'));
  const changelog = `${NAME} (${VERSION}) unstable; urgency=medium\n\n  * Release ${VERSION}; see /usr/share/doc/${NAME}/CHANGELOG.md.\n\n -- ${MAINTAINER}  ${date('+%a, %d %b %Y %H:%M:%S +0000')}\n`;
  write(join(root, docDir, 'changelog.gz'), gzipSync(changelog, { level: 9 }));
  const installedKb = Math.ceil(Number(execFileSync('du', ['-sk', '--apparent-size', root], { encoding: 'utf8' }).split('\t')[0]));
  write(join(root, 'DEBIAN/control'), [
    `Package: ${NAME}`,
    `Version: ${VERSION}`,
    'Architecture: all',
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${installedKb}`,
    `Depends: nodejs (>= ${MIN_NODE})`,
    'Suggests: icinga2 | nagios4',
    'Section: net',
    'Priority: optional',
    `Description: ${SUMMARY}`,
    ...DESCRIPTION.map((line) => ` ${line}`),
    '',
  ].join('\n'));
  write(join(root, 'DEBIAN/conffiles'), nagiosCfgs.map((cfg) => `/etc/nagios-plugins/config/${cfg}\n`).join(''));
  const sums = execFileSync('find', ['.', '-type', 'f', '!', '-path', './DEBIAN/*', '-printf', '%P\\0'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean).sort();
  write(join(root, 'DEBIAN/md5sums'), execFileSync('md5sum', ['--', ...sums], { cwd: root, encoding: 'utf8' }));
  execFileSync('find', [root, '-exec', 'touch', '-h', '-d', `@${EPOCH}`, '{}', '+']);
  execFileSync('find', [root, '-type', 'd', '-exec', 'chmod', '755', '{}', '+']);
  const file = `packages/${NAME}_${VERSION}_all.deb`;
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', root, file], { stdio: ['ignore', 'ignore', 'inherit'] });
  return file;
}

function rpm() {
  if (!existsSync('/usr/bin/rpmbuild')) {
    console.warn('rpmbuild missing (Debian: apt-get install rpm): no RPM built');
    return undefined;
  }
  const top = join(work, 'rpm');
  const staged = join(top, 'staged');
  const docDir = `usr/share/doc/${NAME}`;
  installTree(staged, { pluginDir: 'usr/lib64/nagios/plugins', nagiosDir: 'etc/nagios/conf.d', docDir });
  write(join(staged, 'usr/share/licenses', NAME, 'LICENSE'), readFileSync('LICENSE'));
  const files = execFileSync('find', ['.', '-type', 'f', '-printf', '/%P\\n'], { cwd: staged, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  const spec = [
    `Name: ${NAME}`,
    `Version: ${VERSION}`,
    'Release: 1',
    `Summary: ${SUMMARY}`,
    'License: Apache-2.0',
    'BuildArch: noarch',
    `Requires: nodejs >= ${MIN_NODE}`,
    '',
    '%description',
    ...DESCRIPTION,
    '',
    '%install',
    `cp -a ${staged}/. %{buildroot}/`,
    '',
    '%files',
    ...files.map((path) => (path.startsWith('/etc/') ? `%config(noreplace) ${path}` : path.startsWith(`/usr/share/licenses/`) ? `%license ${path}` : path)),
    '',
  ].join('\n');
  write(join(top, 'package.spec'), spec);
  execFileSync('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', `_rpmdir ${join(top, 'out')}`, '--define', '_build_id_links none', '--define', '__os_install_post %{nil}', join(top, 'package.spec')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SOURCE_DATE_EPOCH: String(EPOCH) },
  });
  const built = join(top, 'out/noarch', `${NAME}-${VERSION}-1.noarch.rpm`);
  const file = `packages/${basename(built)}`;
  copyFileSync(built, file);
  return file;
}

/** The npm package: the bundles as commands, nothing to build, no dependencies. */
function npmTarball() {
  const root = join(work, 'npm');
  for (const name of executables) write(join(root, 'bin', name), readFileSync(join('dist', name)), 0o755);
  write(join(root, 'bin/package.json'), '{ "type": "commonjs" }\n');
  for (const page of manPages) write(join(root, 'man', page), readFileSync(join('dist/man', page)));
  cpSync('icinga-templates', join(root, 'icinga-templates'), { recursive: true });
  for (const doc of [...docs, 'LICENSE']) write(join(root, doc), readFileSync(doc));
  write(join(root, 'package.json'), `${JSON.stringify({
    name: NAME,
    version: VERSION,
    description: pkg.description,
    license: pkg.license,
    engines: pkg.engines,
    bin: Object.fromEntries(executables.map((name) => [name, `bin/${name}`])),
    man: manPages.map((page) => `man/${page}`),
    files: ['bin', 'man', 'icinga-templates', 'docs', 'CHANGELOG.md'],
  }, null, 2)}\n`);
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', join(process.cwd(), 'packages')], { cwd: root, encoding: 'utf8' }).trim();
  return `packages/${out.split('\n').pop()}`;
}

const built = [debian(), rpm(), npmTarball()].filter(Boolean);
rmSync(work, { recursive: true, force: true });
console.log(`packaged ${executables.join(', ')}:\n${built.map((file) => `  ${file}`).join('\n')}`);
