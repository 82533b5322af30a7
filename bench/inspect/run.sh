#!/usr/bin/env bash
# Inspection views benchmark (issue 8): heatmap redraws per second at 64 experts x 4096 tokens (goal >= 60), the
# metric chart's redraw time at 10 series x 100 000 points, and the dashboard's with 100 000 points per series.
# Headless (Monocle), software renderer, as in CI. Writes chart.png and dashboard.png into the work folder.
# Usage: bench/inspect/run.sh [work folder, default /tmp/r1wb-bench-inspect]
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-/tmp/r1wb-bench-inspect}
mkdir -p "$WORK"
./mvnw -B -o -q -pl views test-compile
./mvnw -B -o -q -pl views dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" -Dmdep.includeScope=test
CP=views/target/classes:views/target/test-classes:$(cat "$WORK/classpath.txt")
echo "machine: $(nproc) cores, load average before $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g -Djava.awt.headless=true -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw \
  -Dprism.text=t2k -Dheadless.geometry=1600x1000-32 -cp "$CP" org.r1wb.views.dashboard.InspectBenchmark "$WORK" 2>&1 | grep -v 'WARNING\|^\s*at '
echo "machine: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
