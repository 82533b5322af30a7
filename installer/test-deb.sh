#!/usr/bin/env bash
# Builds the .deb with jpackage, installs it on this machine (root, Debian), checks the desktop entry and icon,
# runs the installed CLI's headless demo with a tiny step count and checks its summary, and has the installed
# agent load the example plugin. Used by .ci/run; needs fakeroot + dpkg-deb.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# dpkg-deb's default xz at level 6 takes minutes on 300 MB; gzip -1 keeps CI fast (the release build may differ).
export DPKG_DEB_COMPRESSOR_TYPE="${DPKG_DEB_COMPRESSOR_TYPE:-gzip}" DPKG_DEB_COMPRESSOR_LEVEL="${DPKG_DEB_COMPRESSOR_LEVEL:-1}"
rm -rf installer/target/jpackage
# package, not install: the reactor hands the jars over, and the local Maven repository stays as it was
./mvnw -B -q -pl installer ${INSTALLER_AM:--am} package -Pinstaller -DskipTests
DEB="$(ls installer/target/jpackage/r1wb_*_amd64.deb)"
echo "built $DEB ($(du -h "$DEB" | cut -f1))"

# The package's postinst registers a desktop entry with xdg-desktop-menu, which needs the menu folders a
# desktop system has; a bare CI container lacks them.
mkdir -p /usr/share/applications /usr/share/desktop-directories
# apt resolves the package's dependencies (xdg-utils for the desktop entry); a fresh machine needs its lists first
dpkg -s xdg-utils >/dev/null 2>&1 || apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$ROOT/$DEB" >/dev/null
trap 'dpkg -r r1wb >/dev/null 2>&1 || true' EXIT
echo "installed size: $(du -sh /opt/r1wb | cut -f1) in /opt/r1wb"

# jpackage names the workbench's entry <package>-<launcher>.desktop
DESKTOP=/opt/r1wb/lib/r1wb-r1wb.desktop
[ -f "$DESKTOP" ] || { echo "FAIL: no desktop entry $DESKTOP"; exit 1; }
grep -q "^Exec=/opt/r1wb/bin/r1wb$" "$DESKTOP" || { echo "FAIL: $DESKTOP does not start /opt/r1wb/bin/r1wb"; exit 1; }
ICON="$(sed -n 's/^Icon=//p' "$DESKTOP")"
[ -s "$ICON" ] || { echo "FAIL: the desktop entry's icon '$ICON' is missing"; exit 1; }
echo "desktop entry $DESKTOP, icon $ICON"

WS="$(mktemp -d)"
OUT="$(/opt/r1wb/bin/r1wb-cli demo --workspace "$WS/ws" --steps 8 --eval-problems 3 --trainer-heap 1g)"
echo "$OUT" | tail -12
echo "$OUT" | grep -q "== R1 Workbench demo: summary ==" || { echo "FAIL: no summary"; exit 1; }
echo "$OUT" | grep -q "(trained now)" || { echo "FAIL: the installed launcher did not train"; exit 1; }
echo "$OUT" | grep -q "exact_match" || { echo "FAIL: no evaluation"; exit 1; }

# the installed runtime probes and loads a plugin in its child JVM as the development build does
/opt/r1wb/bin/r1wb-cli plugin install --workspace "$WS/ws" plugins/examples/target/r1wb-example-plugins.jar >/dev/null
PLUGINS="$(/opt/r1wb/bin/r1wb-cli plugin list --workspace "$WS/ws")"
echo "$PLUGINS" | tail -2
echo "$PLUGINS" | grep -q "^r1wb-examples .* active " || { echo "FAIL: the installed agent did not load the example plugin"; exit 1; }
rm -rf "$WS"
echo "installer: 2 passed, 0 failed"
