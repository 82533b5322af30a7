"""PyTorch eager peer of the model benchmark: the same MoE transformer and training step as ours, written the fast
idiomatic way (experts see only their tokens: sort by expert, index_select, one matmul chain per expert, index_add_
to combine). Prints `peer key value` lines for bench/model/run.sh.  Usage: peer.py MODEL.json STEPS WARMUP"""
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

B, T = 16, 128
torch.set_num_threads(2)
torch.manual_seed(0)


class RmsNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.eps = eps
        self.gain = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.gain


def rotate(x, cos, sin):  # x (B, H, T, hd), rotate-half pairing as ours
    half = x.shape[-1] // 2
    a, b = x[..., :half], x[..., half:]
    return torch.cat((a * cos - b * sin, a * sin + b * cos), dim=-1)


class Attention(nn.Module):
    def __init__(self, s):
        super().__init__()
        d, self.h, self.kv, self.hd = s["dModel"], s["heads"], s["kvHeads"], s["headDim"]
        self.q = nn.Linear(d, self.h * self.hd, bias=False)
        self.k = nn.Linear(d, self.kv * self.hd, bias=False)
        self.v = nn.Linear(d, self.kv * self.hd, bias=False)
        self.o = nn.Linear(self.h * self.hd, d, bias=False)
        pos = torch.arange(s["maxSeqLen"]).float()[:, None]
        inv = s["ropeTheta"] ** (-torch.arange(0, self.hd, 2).float() / self.hd)
        self.register_buffer("cos", torch.cos(pos * inv), persistent=False)
        self.register_buffer("sin", torch.sin(pos * inv), persistent=False)
        self.register_buffer("mask", torch.full((s["maxSeqLen"],) * 2, float("-inf")).triu(1), persistent=False)

    def forward(self, x):
        b, t, _ = x.shape
        q = self.q(x).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        q, k = rotate(q, self.cos[:t], self.sin[:t]), rotate(k, self.cos[:t], self.sin[:t])
        if self.kv != self.h:
            k = k.repeat_interleave(self.h // self.kv, dim=1)
            v = v.repeat_interleave(self.h // self.kv, dim=1)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(self.hd) + self.mask[:t, :t]
        y = att.softmax(-1) @ v
        return self.o(y.transpose(1, 2).reshape(b, t, self.h * self.hd))


class SwiGlu(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.gate = nn.Linear(d, hidden, bias=False)
        self.up = nn.Linear(d, hidden, bias=False)
        self.down = nn.Linear(hidden, d, bias=False)

    def forward(self, x):
        return self.down(F.silu(self.gate(x)) * self.up(x))


class Moe(nn.Module):
    def __init__(self, d, m, dense=False):
        super().__init__()
        self.e, self.k, self.gamma, self.dense = m["routedExperts"], m["topK"], m["biasUpdateRate"], dense
        self.router = nn.Linear(d, self.e, bias=False)
        self.register_buffer("bias", torch.zeros(self.e))
        self.experts = nn.ModuleList(SwiGlu(d, m["expertHidden"]) for _ in range(self.e))
        self.shared = SwiGlu(d, m["sharedExperts"] * m["expertHidden"]) if m["sharedExperts"] else None
        self.load = None

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])                                   # (N, D)
        scores = self.router(x).softmax(-1)                            # (N, E)
        chosen = (scores.detach() + self.bias).topk(self.k, dim=-1).indices  # (N, K)
        weights = scores.gather(-1, chosen)                            # (N, K)
        flat = chosen.reshape(-1)                                      # (N·K)
        self.load = torch.bincount(flat, minlength=self.e)
        if self.dense:
            gate = torch.zeros_like(scores).scatter(1, chosen, weights)
            out = sum(expert(x) * gate[:, i:i + 1] for i, expert in enumerate(self.experts))
        else:
            order = flat.argsort(stable=True)                          # slots sorted by expert
            tokens = order // self.k
            sorted_x = x.index_select(0, tokens)
            parts = [expert(chunk) for expert, chunk in zip(self.experts, sorted_x.split(self.load.tolist()))]
            weighted = torch.cat(parts) * weights.reshape(-1).index_select(0, order)[:, None]
            out = torch.zeros_like(x).index_add_(0, tokens, weighted)
        if self.shared is not None:
            out = out + self.shared(x)
        return out.reshape(shape)

    @torch.no_grad()
    def update_bias(self):
        self.bias += self.gamma * torch.sign(self.load.float().mean() - self.load.float())


class Block(nn.Module):
    def __init__(self, s, layer):
        super().__init__()
        d = s["dModel"]
        self.n1, self.n2 = RmsNorm(d, s["normEps"]), RmsNorm(d, s["normEps"])
        self.attn = Attention(s)
        self.ffn = Moe(d, s["moe"]) if layer >= s["denseLayers"] else SwiGlu(d, s["ffnHidden"])

    def forward(self, x):
        x = x + self.attn(self.n1(x))
        return x + self.ffn(self.n2(x))


class Lm(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.emb = nn.Embedding(s["vocabSize"], s["dModel"])
        self.blocks = nn.ModuleList(Block(s, i) for i in range(s["layers"]))
        self.norm = RmsNorm(s["dModel"], s["normEps"])
        for p in self.parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        x = self.emb(ids)
        for block in self.blocks:
            x = block(x)
        return self.norm(x) @ self.emb.weight.t()


def gemm_peak():
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    best = 0.0
    for _ in range(8):
        start = time.perf_counter()
        a @ b
        best = max(best, 2 * 2048 ** 3 / (time.perf_counter() - start) / 1e9)
    return best


def train(spec, steps, warmup):
    model = Lm(spec)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.95), foreach=True)
    data = torch.randint(0, spec["vocabSize"], (1 << 20,))
    moes = [b.ffn for b in model.blocks if isinstance(b.ffn, Moe)]
    total = 0.0
    cpu = 0.0
    for step in range(warmup + steps):
        start = time.perf_counter()
        cpu_start = time.process_time()
        for group in opt.param_groups:  # warmup 2, then cosine to a tenth, as ours
            s = step + 1
            group["lr"] = 1e-3 * s / 2 if s <= 2 else 1e-4 + 0.45e-3 * (1 + math.cos(math.pi * (s - 2) / (warmup + steps - 2)))
        starts = torch.randint(0, data.numel() - T - 1, (B,))
        window = torch.stack([data[i:i + T + 1] for i in starts.tolist()])
        logits = model(window[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), window[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        for moe in moes:
            moe.update_bias()
        loss.item()
        if step >= warmup:
            total += time.perf_counter() - start
            cpu += time.process_time() - cpu_start
    print(f"peer train_tokens_per_s {steps * B * T / total:.0f}")
    print(f"peer train_cpu_ms_per_step {1000 * cpu / steps:.1f}")
    print(f"peer train_ms_per_step {1000 * total / steps:.1f}")


def dispatch(spec, warmup):
    x0 = torch.randn(B, T, spec["dModel"])
    for dense in (False, True):
        moe = Moe(spec["dModel"], spec["moe"], dense)
        total, reps = 0.0, 10
        for rep in range(warmup + reps):
            start = time.perf_counter()
            x = x0.clone().requires_grad_()
            moe(x).pow(2).mean().backward()
            if rep >= warmup:
                total += time.perf_counter() - start
        print(f"peer moe_{'dense' if dense else 'sparse'}_tokens_per_s {reps * B * T / total:.0f}")


if __name__ == "__main__":
    spec = json.load(open(sys.argv[1]))
    steps, warmup = int(sys.argv[2]), int(sys.argv[3])
    print(f"peer gemm_gflops {gemm_peak():.1f}")
    train(spec, steps, warmup)
    dispatch(spec, warmup)
    print(f"peer peak_rss_mib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    blas = os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    print(f"peer torch {torch.__version__} threads {torch.get_num_threads()} blas {blas}")
