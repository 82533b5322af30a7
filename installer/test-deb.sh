#!/usr/bin/env bash
# Builds the .deb with jpackage, installs it on this machine (root, Debian), runs the installed CLI's
# headless demo with a tiny step count and checks its summary. Used by .ci/run; needs fakeroot + dpkg-deb.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# dpkg-deb's default xz at level 6 takes minutes on 300 MB; gzip -1 keeps CI fast (the release build may differ).
export DPKG_DEB_COMPRESSOR_TYPE="${DPKG_DEB_COMPRESSOR_TYPE:-gzip}" DPKG_DEB_COMPRESSOR_LEVEL="${DPKG_DEB_COMPRESSOR_LEVEL:-1}"
rm -rf installer/target/jpackage
./mvnw -B -q -pl installer ${INSTALLER_AM:--am} install -Pinstaller -DskipTests
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

WS="$(mktemp -d)"
OUT="$(/opt/r1wb/bin/r1wb-cli demo --workspace "$WS/ws" --steps 8 --eval-problems 3 --trainer-heap 1g)"
echo "$OUT" | tail -12
echo "$OUT" | grep -q "== R1 Workbench demo: summary ==" || { echo "FAIL: no summary"; exit 1; }
echo "$OUT" | grep -q "(trained now)" || { echo "FAIL: the installed launcher did not train"; exit 1; }
echo "$OUT" | grep -q "exact_match" || { echo "FAIL: no evaluation"; exit 1; }
rm -rf "$WS"
echo "installer: 1 passed, 0 failed"
