"""A paper estimate of data-parallel training throughput for a model spec (docs/SCALING.md explains the model).

    /usr/bin/python3 -m r1wb_torch.estimate SPEC.model.json [--mfu 0.4] [--gpus 8 64 512]

Step time = A·c + max(0, r − ⅔·c): A micro-batches of compute c each, then the gradient all-reduce r, of which the
part that fits under the last micro-batch's backward pass (⅔ of its compute) is hidden by DDP's bucketed overlap.
"""

import argparse
import math

from .spec import load_model_spec


def _attention(spec, layer):
    d, hd = spec.dModel, spec.headDim
    return 2 * spec.heads * hd * d + 2 * spec.kv_heads(layer) * hd * d


def _ffn(spec, layer, active):
    """The FFN's parameters of one layer: all of them, or those one token uses (``active``)."""
    d = spec.dModel
    if not spec.is_moe_layer(layer):
        return 3 * d * spec.ffnHidden
    moe = spec.moe
    experts = moe.topK + moe.sharedExperts if active else moe.routedExperts + moe.sharedExperts
    return experts * 3 * d * moe.expertHidden + moe.routedExperts * d


def flops_per_token(spec, seq_len):
    """Training FLOPs per token: 6 × active matmul parameters (head included) + attention scores and mixing."""
    active = spec.vocabSize * spec.dModel
    active += sum(_attention(spec, i) + _ffn(spec, i, True) for i in range(spec.layers))
    return 6 * active + 6 * 2 * spec.layers * seq_len * spec.heads * spec.headDim


def parameters(spec):
    d = spec.dModel
    total = d + spec.vocabSize * d * (1 if spec.tiedEmbeddings else 2)
    total += sum(_attention(spec, i) + 2 * d + _ffn(spec, i, False) for i in range(spec.layers))
    return total


def main(argv=None):
    parser = argparse.ArgumentParser(prog="r1wb_torch.estimate")
    parser.add_argument("spec")
    parser.add_argument("--seq-len", type=int, help="default: the spec's maxSeqLen")
    parser.add_argument("--micro-tokens", type=int, default=16 * 1024, help="tokens per GPU per micro-batch")
    parser.add_argument("--global-tokens", type=float, default=2e6, help="target tokens per optimizer step")
    parser.add_argument("--peak", type=float, default=989e12, help="GPU bf16 dense peak FLOP/s (H100 SXM)")
    parser.add_argument("--mfu", type=float, nargs="+", default=[0.4, 0.2])
    parser.add_argument("--nvlink", type=float, default=350e9, help="all-reduce bus bandwidth within a node, B/s")
    parser.add_argument("--network", type=float, default=40e9, help="all-reduce bus bandwidth per GPU across nodes")
    parser.add_argument("--latency", type=float, default=5e-6, help="per-hop latency of the all-reduce, s")
    parser.add_argument("--gpus", type=int, nargs="+", default=[8, 64, 512])
    args = parser.parse_args(argv)
    spec = load_model_spec(args.spec)
    seq = args.seq_len or spec.maxSeqLen
    flops = flops_per_token(spec, seq)
    grad_bytes = 2 * parameters(spec)  # bf16 gradients
    print(f"{args.spec}: {parameters(spec) / 1e6:.1f}M parameters, {flops / 1e6:.0f} MFLOP per trained token "
          f"at T={seq}; all-reduce of {grad_bytes / 1e6:.0f} MB of bf16 gradients per step")
    print("| GPUs | MFU | accumulation | tokens/step | compute ms | all-reduce ms | exposed ms | efficiency | tokens/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mfu in args.mfu:
        for n in args.gpus:
            compute = args.micro_tokens * flops / (args.peak * mfu)
            bandwidth = args.nvlink if n <= 8 else args.network
            hops = 2 * (n - 1) if n <= 8 else 2 * math.ceil(math.log2(n))  # ring in a node, tree across nodes
            reduce = 2 * (n - 1) / n * grad_bytes / bandwidth + hops * args.latency
            accumulate = max(1, round(args.global_tokens / (n * args.micro_tokens)))
            exposed = max(0.0, reduce - 2 / 3 * compute)
            step = accumulate * compute + exposed
            efficiency = accumulate * compute / step
            tokens = n * accumulate * args.micro_tokens
            print(f"| {n} | {mfu:.0%} | {accumulate} | {tokens / 1e6:.2f}M | {compute * 1e3:.1f} | {reduce * 1e3:.1f} "
                  f"| {exposed * 1e3:.1f} | {efficiency:.0%} | {tokens / step / 1e6:.1f}M |")


if __name__ == "__main__":
    main()
