#!/usr/bin/env bash
# Model training benchmark (issue 4): the same MoE transformer (bench/model/bench.model.json: d 256, 4 layers,
# 4 heads, 8 routed experts top-2 + 1 shared, SwiGLU expert hidden 512, tied byte-level embeddings) trained at
# seq 128 x batch 16 with AdamW on 2 threads by our trainer (DJL/libtorch) and by a PyTorch eager peer
# (bench/model/peer.py), back to back; ours runs twice, with bf16 autocast (the headline) and in fp32. Prints
# tokens/s, process CPU time per step, peak RSS, the ratio, the fp32 GEMM peak and each run's MFU (model FLOPs per
# token x tokens/s / fp32 peak, so bf16 can pass 100 %), and sparse vs dense-dispatch MoE throughput.
# Usage: bench/model/run.sh [STEPS] [WORKDIR]   (default 20 timed steps after 3 warm-up steps)
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-20}
WARMUP=3
WORK=${2:-/tmp/r1wb-bench-model}
MODEL=bench/model/bench.model.json
mkdir -p "$WORK"

# the peer's packages: Debian's PyTorch, and OpenBLAS (without it Debian's torch falls back to the reference BLAS)
PY=/usr/bin/python3 # Debian's python, where python3-torch lives (not a pyenv shim)
if ! $PY -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-openmp >/dev/null 2>&1; then
  apt-get install -y python3-torch libopenblas0-openmp >/dev/null
fi

./mvnw -B -o -q -pl model test-compile
CP_FILE=$WORK/classpath.txt
./mvnw -B -o -q -pl model dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
CP=model/target/classes:model/target/test-classes:$(cat "$CP_FILE")

# both sides' OpenMP threads sleep instead of spinning while they wait: on a shared machine a spinning thread whose
# partner was descheduled burns the core the partner needs (we measured 10-20x slower steps under load without it);
# set OMP_WAIT_POLICY=ACTIVE to measure a quiet machine the default way
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
echo "machine: $(nproc) cores, load average before $(cut -d' ' -f1-3 /proc/loadavg), OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
OUT=$WORK/figures.txt
java -Xmx6g -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=2 \
  -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" org.r1wb.model.bench.ModelBenchmark "$MODEL" "$STEPS" "$WARMUP" "$WORK" | grep '^ours ' | tee "$OUT"
OMP_NUM_THREADS=2 $PY bench/model/peer.py "$MODEL" "$STEPS" "$WARMUP" | tee -a "$OUT"
echo "machine: load average after $(cut -d' ' -f1-3 /proc/loadavg)"

$PY - "$OUT" <<'PY'
import sys
f = {}
for line in open(sys.argv[1]):
    who, key, value = line.split()[:3]
    f[(who, key)] = value
num = lambda who, key: float(f[(who, key)])
peak = max(num("ours", "gemm_gflops"), num("peer", "gemm_gflops"))
flops = num("ours", "flops_per_token")
print(f"fp32 GEMM peak (2048^3, 2 threads): {peak:.0f} GFLOP/s (libtorch in DJL {num('ours','gemm_gflops'):.0f}, "
      f"Debian torch + OpenBLAS {num('peer','gemm_gflops'):.0f}); model {flops / 1e6:.1f} MFLOP per token")
for who in ("ours", "peer"):
    tps = num(who, "train_tokens_per_s")
    label = "ours (bf16 autocast)" if who == "ours" else "peer (fp32)"
    print(f"{label}: {tps:.0f} tokens/s ({num(who, 'train_ms_per_step'):.0f} ms/step), peak RSS {num(who, 'peak_rss_mib'):.0f} MiB, "
          f"MFU {100 * flops * tps / (peak * 1e9):.1f} %; MoE layer fwd+bwd sparse {num(who, 'moe_sparse_tokens_per_s'):.0f} "
          f"vs dense {num(who, 'moe_dense_tokens_per_s'):.0f} tokens/s")
fp32 = num("ours", "fp32_train_tokens_per_s")
print(f"ours (fp32): {fp32:.0f} tokens/s ({num('ours', 'fp32_train_ms_per_step'):.0f} ms/step), "
      f"MFU {100 * flops * fp32 / (peak * 1e9):.1f} %")
print(f"process CPU ms per step (all threads): ours bf16 {num('ours', 'train_cpu_ms_per_step'):.0f}, "
      f"ours fp32 {num('ours', 'fp32_train_cpu_ms_per_step'):.0f}, peer {num('peer', 'train_cpu_ms_per_step'):.0f}")
print(f"ours / peer: {num('ours', 'train_tokens_per_s') / num('peer', 'train_tokens_per_s'):.2f}x (bf16 autocast), "
      f"{fp32 / num('peer', 'train_tokens_per_s'):.2f}x (fp32)")
PY
