#!/usr/bin/env bash
# Pipeline benchmark (issue 5): builds a ~50 MB corpus of real text from this machine's man pages and changelogs,
# then prints pipeline MB/s end to end (streamed, and over whole inputs), BPE encode throughput (ours vs HF tokenizers
# on the same tokenizer.json), BPE training time (ours vs SentencePiece BPE) at vocab 8k and 32k, and MinHash and
# language-ID docs/s on one thread.
# Usage: bench/pipeline/run.sh [WORKDIR]   (default /tmp/r1wb-bench-pipeline)
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-/tmp/r1wb-bench-pipeline}
SIZE=$((50 * 1024 * 1024))
mkdir -p "$WORK"

if ! command -v spm_train >/dev/null; then
  apt-get install -y sentencepiece >/dev/null
fi

CORPUS=$WORK/corpus.txt
if [ ! -s "$CORPUS" ]; then
  { find /usr/share/man -name '*.gz' | LC_ALL=C sort | xargs zcat 2>/dev/null
    find /usr/share/doc -name 'changelog*.gz' | LC_ALL=C sort | xargs zcat 2>/dev/null
  } | iconv -f UTF-8 -t UTF-8 -c | head -c $SIZE > "$CORPUS" || true
fi
echo "corpus: $CORPUS $(stat -c %s "$CORPUS") bytes sha256 $(sha256sum "$CORPUS" | cut -d' ' -f1)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

./mvnw -B -o -q -pl pipeline test-compile
CP_FILE=$WORK/classpath.txt
./mvnw -B -o -q -pl pipeline dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
CP=pipeline/target/classes:pipeline/target/test-classes:$(cat "$CP_FILE")
rm -rf "$WORK/workspace" "$WORK/workspace-whole"

java -Xmx12g -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -cp "$CP" \
  org.r1wb.pipeline.bench.PipelineBenchmark "$CORPUS" "$WORK" 8192 32768

for VOCAB in 8192 32768; do
  START=$(date +%s.%N)
  spm_train --input="$CORPUS" --model_prefix="$WORK/spm-$VOCAB" --vocab_size=$VOCAB --model_type=bpe \
    --hard_vocab_limit=false --minloglevel=2 > "$WORK/spm-$VOCAB.log" 2>&1
  END=$(date +%s.%N)
  printf 'bpe-train vocab %d: sentencepiece %.1f s (spm_train --model_type=bpe, default --num_threads)\n' \
    "$VOCAB" "$(echo "$END - $START" | bc)"
done
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
