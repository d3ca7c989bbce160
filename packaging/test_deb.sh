#!/usr/bin/env bash
# `make test-deb`: the Debian package as a station's PC gets it, as root on a
# Debian machine that may be changed (CI): an older package installed with
# apt and used (the demo station in a user's data folder), this one installed
# over it with apt, the program started offscreen with its desktop entry's
# command and logged in (`--check`), then removed with apt, then purged: the
# program gone, the user's data left as it was.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$top/pyproject.toml")
deb=$top/dist/station-app_${version}_$(dpkg --print-architecture).deb
[[ -f $deb ]] || { echo "no $deb: run make package deb" >&2; exit 2; }
[[ $(id -u) == 0 ]] || { echo "make test-deb installs packages: run it as root" >&2; exit 2; }

work=$(mktemp -d /tmp/station-app-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
export DEBIAN_FRONTEND=noninteractive QT_QPA_PLATFORM=offscreen HOME=$work/home
unset STATION_APP_HOME STATION_DB_URL XDG_DATA_HOME QT_QPA_PLATFORM_PLUGIN_PATH
mkdir -p "$HOME"
data=$HOME/.local/share/station-app/station.sqlite3
fail() { echo "FAILED: $*" >&2; exit 1; }

# An older release: this package relabelled 0.0.1~older.
older=$work/station-app_0.0.1~older.deb
dpkg-deb -R "$deb" "$work/older"
sed -i 's/^Version: .*/Version: 0.0.1~older/' "$work/older/DEBIAN/control"
dpkg-deb --root-owner-group -Zgzip -z1 --build "$work/older" "$older" >/dev/null
rm -rf "$work/older"

apt-get install -y -qq "$older" </dev/null >/dev/null
[[ $(dpkg-query -W -f='${Version}' station-app) == 0.0.1~older ]] || fail "the older package is not installed"
station-app --lang en demo --persons 30 --years 1 >/dev/null
[[ -f $data ]] || fail "no station in the user's data folder $data"
echo "older package installed with apt; the demo station made in $data"

apt-get install -y -qq "$deb" </dev/null >/dev/null
[[ $(dpkg-query -W -f='${Version}' station-app) == "$version" ]] || fail "the upgrade did not install $version"
[[ $(command -v station-app) == /usr/bin/station-app ]] || fail "station-app is not on PATH"
[[ -x /opt/station-app/station-app ]] || fail "no bundle in /opt/station-app"
entry=/usr/share/applications/station-app.desktop
grep -q '^Name\[zh_CN\]=救助管理站$' "$entry" || fail "no Chinese name in $entry"
grep -q '^Name\[bo\]=སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།$' "$entry" || fail "no Tibetan name in $entry"
[[ -f /usr/share/icons/hicolor/scalable/apps/station-app.svg ]] || fail "no icon"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$entry"; fi
echo "upgraded to $version with apt over the older package"

# The desktop entry's command, offscreen, logging in as the demo administrator.
command=$(sed -n 's/^Exec=//p' "$entry")
read -r -a words <<<"$command"
moments=$(echo admin123 | "${words[@]}" --check admin) || fail "the desktop entry's command failed: $moments"
echo "started with the desktop entry's command ($command): $moments"
sum=$(sha256sum "$data" | cut -d' ' -f1)

apt-get remove -y -qq station-app </dev/null >/dev/null
[[ ! -e /opt/station-app/station-app ]] || fail "the bundle is still in /opt/station-app"
hash -r
[[ ! -e /usr/bin/station-app ]] && ! command -v station-app >/dev/null || fail "station-app is still on PATH"
dpkg --purge station-app >/dev/null 2>&1  # nothing left after remove: no conffiles
[[ -f $data && $(sha256sum "$data" | cut -d' ' -f1) == "$sum" ]] || fail "the user's data changed at removal"
echo "removed with apt, then purged: the program gone, the user's data kept ($data)"
echo "the Debian package works: all checks passed"
