#!/usr/bin/env bash
# Installs the Debian package of `npm run package` on this machine, as an operator would, and
# proves it: Icinga 2's stock configuration (/etc/icinga2, which already has
# `include <plugins-contrib>`) plus the packaged Icinga 2 examples as they are validates with
# `icinga2 daemon -C`; Nagios 4's stock configuration (which reads /etc/nagios-plugins/config) plus
# the packaged Nagios examples validates with `nagios4 -v`; a check runs from
# /usr/lib/nagios/plugins against the simulator; the package is removed and leaves nothing behind.
# Also inspects the RPM (rpm -qpl) and installs the npm tarball with npm install -g into a
# temporary prefix. Needs root, dpkg, and the built dist/ (for the simulator). Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

deb=$(ls packages/camunda-monitoring-plugins_*_all.deb)
commands=$(cd dist && find . -maxdepth 1 -type f -perm -u+x ! -name '*.*' -printf '%P\n' | sort)

doc=/usr/share/doc/camunda-monitoring-plugins
work=$(mktemp -d)
simulator=
installed=
cleanup() {
  [ -n "$simulator" ] && kill "$simulator" 2>/dev/null || true
  # A failed step leaves no package behind either.
  [ -n "$installed" ] && dpkg --purge camunda-monitoring-plugins >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The RPM holds every command in the RPM distributions' plugin directory.
if command -v rpm >/dev/null && ls packages/camunda-monitoring-plugins-*.noarch.rpm >/dev/null 2>&1; then
  rpm_files=$(rpm -qpl packages/camunda-monitoring-plugins-*.noarch.rpm)
  for command in $commands; do grep -qx "/usr/lib64/nagios/plugins/$command" <<<"$rpm_files"; done
  echo "rpm -qpl: $(wc -l <<<"$rpm_files") files, every command in /usr/lib64/nagios/plugins"
fi

# npm install -g of the tarball puts every command on PATH, runnable without node_modules.
npm install -g --prefix "$work/npm" --no-audit --no-fund "$PWD"/packages/camunda-monitoring-plugins-*.tgz >/dev/null
for command in $commands; do
  { "$work/npm/bin/$command" -V || true; } | grep -q "^$command "
done
# ... and --help says where the templates are.
{ "$work/npm/bin/check_camunda_incidents" --help || true; } | grep -q "/lib/node_modules/camunda-monitoring-plugins/icinga-templates"
echo "npm install -g: $(echo $commands | wc -w) commands on PATH"

# The .deb is clean under lintian: errors and warnings fail (about 9 s), as Debian's own checks would.
if command -v lintian >/dev/null; then
  lintian --fail-on error,warning "$deb"
  echo "lintian: no errors or warnings"
else
  echo "WARNING: no lintian: the Debian package is not checked by it"
fi

installed=yes
dpkg -i "$deb" >/dev/null
echo "installed: $(dpkg-query -W camunda-monitoring-plugins)"

if command -v icinga2 >/dev/null && [ -f /etc/icinga2/icinga2.conf ]; then
  # A copy of the stock configuration: includes are relative to the including file.
  cp -a /etc/icinga2/. "$work/icinga2/" 2>/dev/null || { mkdir -p "$work/icinga2" && cp -a /etc/icinga2/. "$work/icinga2/"; }
  grep -q '^include <plugins-contrib>' "$work/icinga2/icinga2.conf"
  cp "$doc"/examples/icinga2/*.conf "$doc"/examples/icinga2/action/*.conf "$work/icinga2/conf.d/"
  # The daemon drops to its own user, who must be able to read the copy.
  chmod -R a+rX "$work"
  icinga2 daemon -C -c "$work/icinga2/icinga2.conf" >"$work/icinga2.log" 2>&1 || { cat "$work/icinga2.log"; exit 1; }
  grep -q 'Finished validating the configuration' "$work/icinga2.log"
  echo "icinga2 daemon -C: stock configuration with the packaged CheckCommands and examples is valid"
fi

if command -v nagios4 >/dev/null && [ -f /etc/nagios4/nagios.cfg ]; then
  grep -q '^cfg_dir=/etc/nagios-plugins/config' /etc/nagios4/nagios.cfg
  cp /etc/nagios4/nagios.cfg "$work/nagios.cfg"
  for example in "$doc"/examples/nagios/*.cfg "$doc"/examples/nagios/action/*.cfg; do echo "cfg_file=$example" >>"$work/nagios.cfg"; done
  nagios4 -v "$work/nagios.cfg" >"$work/nagios.log" 2>&1 || { cat "$work/nagios.log"; exit 1; }
  echo "nagios4 -v: stock configuration with the packaged commands and examples is valid"
fi

# A check from the installed path, against the simulator with the demo scenario.
port_file="$work/port"
node dist/simulator.mjs --scenario src/simulator/scenarios/demo.json --port 0 >"$port_file" 2>&1 &
simulator=$!
for _ in $(seq 50); do grep -qo 'http://[^ ]*' "$port_file" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*engine-rest' "$port_file" | head -1)
set +e
/usr/lib/nagios/plugins/check_camunda_incidents --url "$url" >"$work/out"
code=$?
set -e
cat "$work/out" | head -1
[ "$code" -le 2 ] && grep -q '^CAMUNDA INCIDENTS ' "$work/out"
man -w check_camunda_incidents >/dev/null 2>&1 || [ -f /usr/share/man/man1/check_camunda_incidents.1.gz ]

dpkg --purge camunda-monitoring-plugins >/dev/null
installed=
left=$(ls /usr/lib/nagios/plugins/check_camunda_* /usr/share/icinga2/include/plugins-contrib.d/camunda-* /etc/nagios-plugins/config/camunda-* "$doc" 2>/dev/null || true)
[ -z "$left" ] || { echo "left behind after purge: $left"; exit 1; }
echo "removed cleanly"
