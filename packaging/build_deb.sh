#!/usr/bin/env bash
# `make deb`: the Debian package (Debian 12, and the Kylin and UOS desktops
# built on it) from the one-folder bundle of `make package`:
#   /opt/station-app/                the bundle
#   /usr/bin/station-app             the command (a launcher of the bundle's)
#   /usr/share/applications/         the desktop entry (Chinese, Tibetan names)
#   /usr/share/icons/hicolor/        the icon, SVG and PNGs
# Depends: the system libraries the bundle links against and does not carry
# (found with ldd, their packages with dpkg -S on this Debian machine).
# Recommends: fonts-hanazono, for rare name characters of CJK Extension B.
# No maintainer scripts: the icon and desktop caches are Debian's triggers;
# the users' data (their own data folders) is never the package's, so removal
# and purge leave it, and an upgrade's schema migration (with its backup) runs
# at the program's next start.
#     packaging/build_deb.sh [VERSION]   (default: pyproject's version)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bundle=$top/dist/station-app
icons=$top/build/icons
[[ -x $bundle/station-app ]] || { echo "no bundle in $bundle: run make package" >&2; exit 2; }
[[ -f $icons/station-app-256.png ]] || { echo "no icons in $icons: run make package" >&2; exit 2; }

version=${1:-$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$top/pyproject.toml")}
arch=$(dpkg --print-architecture)
name=station-app_${version}_${arch}
root=$top/build/deb/$name
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/doc/station-app"

cp -a "$bundle" "$root/opt/station-app"
cat > "$root/usr/bin/station-app" <<'LAUNCHER'
#!/bin/sh
exec /opt/station-app/station-app "$@"
LAUNCHER
chmod 0755 "$root/usr/bin/station-app"
install -m 0644 "$top/packaging/station-app.desktop" "$root/usr/share/applications/station-app.desktop"
install -m 0644 "$top/resources/icons/station-app.svg" "$root/usr/share/icons/hicolor/scalable/apps/station-app.svg"
for png in "$icons"/station-app-*.png; do
    size=$(basename "$png" .png); size=${size#station-app-}
    mkdir -p "$root/usr/share/icons/hicolor/${size}x${size}/apps"
    install -m 0644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/station-app.png"
done
cat > "$root/usr/share/doc/station-app/copyright" <<COPYRIGHT
Station app: desk, patrol and supplies records of the relief stations.
License: GPL-3.0-or-later. The bundled fonts keep their own licences, in
/opt/station-app/_internal/station_app/_data/resources/fonts/.
COPYRIGHT

# The libraries the bundle needs from the system: every ELF file's
# dependencies, resolved as the bundle's program resolves them (its own
# folders first), that lie outside the bundle, mapped to their packages.
internal=$root/opt/station-app/_internal
export LD_LIBRARY_PATH=$internal:$internal/PySide6/Qt/lib:$internal/PySide6:$internal/shiboken6
depends=$(
    find "$root/opt/station-app" -type f \( -name '*.so*' -o -perm -u+x \) -print0 |
    xargs -0 file -N --mime-type | awk -F': ' '$2 ~ /x-(sharedlib|executable|pie-executable)/ {print $1}' |
    xargs -r ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' |
    grep -v "^$root" | sort -u |
    while read -r lib; do dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true; done |
    cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g'
)
[[ -n $depends ]] || { echo "no dependencies found (ldd, dpkg -S)" >&2; exit 1; }
missing=$(find "$root/opt/station-app" -type f -name '*.so*' -print0 | xargs -0 -r ldd 2>/dev/null |
    awk '$3 == "not" {print $1}' | sort -u | paste -sd' ')
[[ -z $missing ]] || echo "note: libraries not on this machine, left out of Depends: $missing"
unset LD_LIBRARY_PATH
installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)

cat > "$root/DEBIAN/control" <<CONTROL
Package: station-app
Version: $version
Architecture: $arch
Maintainer: Station app developers <station-app@localhost>
Installed-Size: $installed_kb
Depends: $depends
Recommends: fonts-hanazono
Section: misc
Priority: optional
Homepage: https://example.invalid/station-app
Description: relief station records: desk, street patrols, supplies, printing
 The desktop application of the county relief stations (救助管理站) of
 Garzê Tibetan Autonomous Prefecture: walk-in help requests from
 registration to departure, street-patrol rescues, supplies, the monthly
 safety log and statistics, and printed forms in Chinese and Tibetan.
 Screens in Chinese, Tibetan and English.
CONTROL

mkdir -p "$top/dist"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "$top/dist/$name.deb" >/dev/null
rm -rf "$root"
echo "built dist/$name.deb ($(du -m "$top/dist/$name.deb" | cut -f1) MB); Depends: $depends"
