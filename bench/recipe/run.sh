#!/usr/bin/env bash
# The R1 recipe's benchmarks (issue 10), on the sample workspace's arithmetic word problems:
#  1. R1-Zero in miniature (R1ZeroBenchmark): pretrain the sample MoE, a short cold-start SFT, then GRPO with the
#     accuracy and format rewards; held-out greedy exact match on the 200 held-out problems before GRPO and every
#     tenth of it, against GRPO's training seconds (evaluation time excluded). Curve in WORKDIR/curve.csv, the GRPO
#     run's rollouts in WORKDIR/runs/grpo/rollouts.jsonl (open them in the workbench's Rollout Browser).
#  2. Distillation (DistillBenchmark): a small dense student trace-distilled from that GRPO teacher vs the same student
#     trained on the raw corpus for the same steps; each scored on the held-out problems in its own format.
# Usage: bench/recipe/run.sh [WORKDIR] [GRPO_STEPS] [DISTILL_STEPS]   (defaults: 240 and 400; cold start 47 SFT steps)
# GRPO settings can be changed with JOPTS="-Dr1z.lr=5e-5 -Dr1z.temperature=1.0 -Dr1z.batch=16 -Dr1z.group=8 ..."
# (see R1ZeroBenchmark). Set SKIP_DISTILL=1 to run only the first part. A finished stage is passed over on a rerun
# in the same WORKDIR (delete WORKDIR/runs/grpo to run GRPO again).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-/tmp/r1wb-bench-recipe}
GRPO_STEPS=${2:-240}
DISTILL_STEPS=${3:-400}
mkdir -p "$WORK"

./mvnw -B -o -q -pl model -am install -DskipTests
./mvnw -B -o -q -pl model test-compile
CP_FILE=$WORK/classpath.txt
./mvnw -B -o -q -pl model dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
CP=model/target/classes:model/target/test-classes:$(cat "$CP_FILE")
JAVA=(java -Xmx6g ${JOPTS:-} -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=2
      -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP")
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
echo "machine: $(nproc) cores, load average before $(cut -d' ' -f1-3 /proc/loadavg)"
"${JAVA[@]}" org.r1wb.model.bench.R1ZeroBenchmark "$WORK" "$GRPO_STEPS" 2>&1 | grep -v -e WARN -e LegacyTypeDispatch
if [ -z "${SKIP_DISTILL:-}" ]; then
  "${JAVA[@]}" org.r1wb.model.bench.DistillBenchmark "$WORK" "$DISTILL_STEPS" 2>&1 | grep -v -e WARN -e LegacyTypeDispatch
fi
echo "machine: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
