#!/usr/bin/env bash
# Cached-rerun speed-up of `r1wb eval`: the bundled `sample` suite on the demo's checkpoint, once with an
# empty evaluation store (every request computed), then again (served from the cache). Prints both wall
# times and their ratio. Usage: bench/eval/run.sh [LIMIT]   (documents per task, default 40)
# R1WB overrides the launcher (e.g. "java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -jar app/agent/target/r1wb-agent.jar").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
R1WB=${R1WB:-"$ROOT/r1wb"}
WS=${WS:-/tmp/r1wb-bench-eval}
LIMIT=${1:-40}

if ! ls "$WS/runs" 2>/dev/null | grep -q '^demo-'; then
  echo "training the demo model once into $WS (about 90 s) ..."
  $R1WB demo -w "$WS" > "$WS.demo.log"
fi
RUN=$(ls "$WS/runs" | grep '^demo-' | head -1)
rm -f "$WS/r1wb.db" "$WS/r1wb.db-wal" "$WS/r1wb.db-shm"

now() { date +%s.%N; }
t0=$(now)
$R1WB eval "$RUN" -w "$WS" --suite sample --limit "$LIMIT" | tee "$WS.first.log"
t1=$(now)
$R1WB eval "$RUN" -w "$WS" --suite sample --limit "$LIMIT" | tee "$WS.second.log"
t2=$(now)
grep -q "all results served from the cache" "$WS.second.log" || { echo "second run was not served from the cache" >&2; exit 1; }

# the JVM start is the same in both runs; report the whole command and the evaluation inside it
first=$(echo "$t1 - $t0" | bc -l)
second=$(echo "$t2 - $t1" | bc -l)
e1=$(sed -n 's/^evaluation time \([0-9.]*\) s.*/\1/p' "$WS.first.log")
e2=$(sed -n 's/^evaluation time \([0-9.]*\) s.*/\1/p' "$WS.second.log")
printf 'evaluation only: %.3f s → %.3f s, speed-up %.0fx\n' "$e1" "$e2" "$(echo "$e1 / $e2" | bc -l)"
printf 'first run (empty store): %.2f s\nsecond run (cached):     %.2f s\nspeed-up (whole command, JVM start included): %.1fx\n' \
  "$first" "$second" "$(echo "$first / $second" | bc -l)"
