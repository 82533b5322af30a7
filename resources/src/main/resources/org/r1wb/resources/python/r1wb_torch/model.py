"""The DeepSeek-style MoE decoder of a model spec, op for op as the DJL engine computes it.

Module and parameter names follow the DJL block tree (``layer0.attention.q_proj``, ``layer1.moe.router.gate_weight``),
so a ``state_dict`` and the safetensors exported by ``org.r1wb.model.export`` share their keys. Weights are stored
(out, in) as in the Java blocks and applied with ``F.linear``.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

NORMALISE_EPS = 1e-20
ENTROPY_EPS = 1e-12


def _weight(*shape):
    return nn.Parameter(torch.empty(*shape))


class RmsNorm(nn.Module):
    """``x / sqrt(mean(x²) + eps) · gain``; the epsilon sits inside the square root, as in the Java block."""

    def __init__(self, dim, eps):
        super().__init__()
        self.eps = float(eps)
        self.gain = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        rms = x.square().mean(-1, keepdim=True).add(self.eps).sqrt()
        return x.div(rms).mul(self.gain)


class RotaryEmbedding(nn.Module):
    """Rotate-half rotary: pairs (x_i, x_{i+P}) turn by ``pos · θ^(−2i/hd)``; tables in double, stored as float."""

    def __init__(self, head_dim, max_positions, theta):
        super().__init__()
        self.pairs = head_dim // 2
        angles = [[pos / math.pow(theta, 2.0 * i / head_dim) for i in range(self.pairs)]
                  for pos in range(max_positions)]
        angles = torch.tensor(angles, dtype=torch.float64)
        self.register_buffer("cos", angles.cos().float(), persistent=False)
        self.register_buffer("sin", angles.sin().float(), persistent=False)

    def forward(self, x, offset=0):
        t = x.shape[2]
        if offset + t > self.cos.shape[0]:
            raise ValueError(f"positions {offset}..{offset + t - 1} exceed maxSeqLen {self.cos.shape[0]}")
        c = self.cos[offset:offset + t].to(x.dtype)
        s = self.sin[offset:offset + t].to(x.dtype)
        first, second = x[..., :self.pairs], x[..., self.pairs:]
        return torch.cat((first * c - second * s, first * s + second * c), -1)


class CausalSelfAttention(nn.Module):
    """Grouped-query causal attention with rotary positions and no biases."""

    def __init__(self, spec, index):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = spec.heads, spec.kv_heads(index), spec.headDim
        self.dropout = spec.dropout
        d = spec.dModel
        self.q_proj = _weight(self.heads * self.head_dim, d)
        self.k_proj = _weight(self.kv_heads * self.head_dim, d)
        self.v_proj = _weight(self.kv_heads * self.head_dim, d)
        self.out_proj = _weight(d, self.heads * self.head_dim)
        self.rotary = RotaryEmbedding(self.head_dim, spec.maxSeqLen, spec.ropeTheta)

    def _split(self, projected, heads):
        b, t, _ = projected.shape
        return projected.reshape(b, t, heads, self.head_dim).transpose(1, 2)

    def _share(self, kv):
        if self.kv_heads == self.heads:
            return kv
        b, _, s, hd = kv.shape
        group = self.heads // self.kv_heads
        return kv.unsqueeze(2).repeat_interleave(group, 2).reshape(b, self.heads, s, hd)

    def forward(self, x, return_weights=False):
        b, t, _ = x.shape
        q = self.rotary(self._split(F.linear(x, self.q_proj), self.heads))     # (B, H, T, hd)
        k = self.rotary(self._split(F.linear(x, self.k_proj), self.kv_heads))  # (B, KV, T, hd)
        v = self._split(F.linear(x, self.v_proj), self.kv_heads)
        k, v = self._share(k), self._share(v)
        scores = q.matmul(k.transpose(2, 3)).mul(float(1.0 / math.sqrt(self.head_dim)))
        if t > 1:
            mask = torch.full((t, t), float("-inf"), device=x.device, dtype=scores.dtype).triu(1)
            scores = scores + mask
        weights = F.dropout(scores.softmax(-1), self.dropout, self.training)
        context = weights.matmul(v).transpose(1, 2).reshape(b, t, self.heads * self.head_dim)
        out = F.linear(context, self.out_proj)
        return (out, weights) if return_weights else out


class SwiGluMlp(nn.Module):
    """``down(silu(gate(x)) ⊙ up(x))``."""

    def __init__(self, d_model, hidden):
        super().__init__()
        self.gate_proj = _weight(hidden, d_model)
        self.up_proj = _weight(hidden, d_model)
        self.down_proj = _weight(d_model, hidden)

    def forward(self, x):
        g = F.linear(x, self.gate_proj)
        return F.linear(g * torch.sigmoid(g) * F.linear(x, self.up_proj), self.down_proj)


class Router(nn.Module):
    """Top-K routing; ``selection_bias`` (aux-loss-free balancing) only ranks experts, it never weights them."""

    def __init__(self, d_model, moe):
        super().__init__()
        self.experts, self.top_k, self.gate = moe.routedExperts, moe.topK, moe.gate
        self.gate_weight = _weight(self.experts, d_model)
        self.register_buffer("selection_bias", torch.zeros(self.experts))

    def forward(self, x):
        logits = F.linear(x, self.gate_weight)
        raw = logits.softmax(-1) if self.gate == "SOFTMAX" else torch.sigmoid(logits)
        ranking = raw.detach() + self.selection_bias
        chosen = ranking.topk(self.top_k, -1, True, True).indices
        weights = raw.gather(-1, chosen)
        scores = raw
        if self.gate == "SIGMOID":
            weights = weights / (weights.sum(-1, keepdim=True) + NORMALISE_EPS)
            scores = raw / (raw.sum(-1, keepdim=True) + NORMALISE_EPS)
        return weights, chosen, scores

    @torch.no_grad()
    def update_bias(self, tokens_per_expert, rate):
        """``b_i += rate · sign(mean − load_i)``, from the (global) slot counts of the last step."""
        counts = tokens_per_expert.to(torch.float64)
        delta = (counts.mean() - counts).sign() * rate
        self.selection_bias.add_(delta.to(self.selection_bias.dtype))


class MoeLayer(nn.Module):
    """Shared experts plus K routed experts per token; every expert runs (on an empty slice when unused), so
    each parameter has a gradient on every rank, as DDP needs."""

    def __init__(self, d_model, moe):
        super().__init__()
        self.router = Router(d_model, moe)
        for e in range(moe.routedExperts):
            self.add_module(f"expert{e}", SwiGluMlp(d_model, moe.expertHidden))
        self.shared = SwiGluMlp(d_model, moe.sharedExperts * moe.expertHidden) if moe.sharedExperts > 0 else None
        self.last_counts = None
        self.last_entropy = None

    def expert(self, e):
        return getattr(self, f"expert{e}")

    def forward(self, x):
        shape = x.shape
        flat = x.reshape(-1, shape[-1])
        n = flat.shape[0]
        weights, chosen, scores = self.router(flat)
        k, experts = self.router.top_k, self.router.experts
        expert_of_slot = chosen.reshape(-1)
        order = torch.sort(expert_of_slot, stable=True).indices   # slots sorted by expert, token order within
        counts = torch.bincount(expert_of_slot, minlength=experts)
        gathered = flat.index_select(0, order // k)
        bounds = [0] + torch.cumsum(counts, 0).tolist()
        outputs = [self.expert(e)(gathered[bounds[e]:bounds[e + 1]]) for e in range(experts)]
        sorted_out = torch.cat(outputs, 0)
        position_of_slot = torch.empty_like(order)
        position_of_slot[order] = torch.arange(order.numel(), device=order.device)
        slots = sorted_out.index_select(0, position_of_slot).reshape(n, k, -1)
        combined = (slots * weights.unsqueeze(-1)).sum(1)
        if self.shared is not None:
            combined = combined + self.shared(flat)
        fraction = counts.to(scores.dtype) * (experts / (n * k))
        balance = (scores.mean(0) * fraction).sum()
        self.last_counts = counts.detach()
        p = scores.detach()
        self.last_entropy = -(p * (p + ENTROPY_EPS).log()).sum(-1).mean()
        return combined.reshape(shape), balance


class DecoderBlock(nn.Module):
    """Pre-norm layer: ``h = x + attn(norm(x))``, ``out = h + ffn(norm(h))``."""

    def __init__(self, spec, index):
        super().__init__()
        self.dropout = spec.dropout
        self.attention_norm = RmsNorm(spec.dModel, spec.normEps)
        self.attention = CausalSelfAttention(spec, index)
        self.ffn_norm = RmsNorm(spec.dModel, spec.normEps)
        if spec.is_moe_layer(index):
            self.moe = MoeLayer(spec.dModel, spec.moe)
        else:
            self.ffn = SwiGluMlp(spec.dModel, spec.ffnHidden)
            self.moe = None

    def forward(self, x):
        h = x + F.dropout(self.attention(self.attention_norm(x)), self.dropout, self.training)
        normed = self.ffn_norm(h)
        if self.moe is None:
            return h + F.dropout(self.ffn(normed), self.dropout, self.training), None
        out, balance = self.moe(normed)
        return h + F.dropout(out, self.dropout, self.training), balance


class MoeTransformer(nn.Module):
    """Embedding → L decoder blocks → final RMSNorm → head (the embedding itself when tied).

    ``forward(ids)`` returns logits (B, T, V) and the mean balance statistic over MoE layers.
    """

    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        self.embedding = _weight(spec.vocabSize, spec.dModel)
        if not spec.tiedEmbeddings:
            self.lm_head = _weight(spec.vocabSize, spec.dModel)
        for layer in range(spec.layers):
            self.add_module(f"layer{layer}", DecoderBlock(spec, layer))
        self.final_norm = RmsNorm(spec.dModel, spec.normEps)

    def blocks(self):
        return [getattr(self, f"layer{i}") for i in range(self.spec.layers)]

    def moe_layers(self):
        """(layer index, MoeLayer) of every MoE layer."""
        return [(i, block.moe) for i, block in enumerate(self.blocks()) if block.moe is not None]

    def forward(self, ids):
        x = F.dropout(F.embedding(ids.long(), self.embedding), self.spec.dropout, self.training)
        balance = None
        for block in self.blocks():
            x, layer_balance = block(x)
            if layer_balance is not None:
                balance = layer_balance if balance is None else balance + layer_balance
        x = self.final_norm(x)
        logits = F.linear(x, self.embedding if self.spec.tiedEmbeddings else self.lm_head)
        balance = x.new_zeros(()) if balance is None else balance / self.spec.moe_layers()
        return logits, balance


def init_weights(model, seed):
    """The ModelInit recipe (gains 1, biases 0, N(0, 0.02), residual projections N(0, 0.02/√(2L))) drawn from
    torch's generator: the same distribution as the DJL engine's, not the same values. For identical starting
    weights, start from the DJL engine's safetensors export instead."""
    generator = torch.Generator().manual_seed(seed)
    residual_std = 0.02 / math.sqrt(2.0 * model.spec.layers)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            if leaf == "gain":
                parameter.fill_(1.0)
            else:
                std = residual_std if leaf in ("out_proj", "down_proj") else 0.02
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * std)
        for name, buffer in model.named_buffers():
            if name.endswith("selection_bias"):
                buffer.zero_()


def next_token_loss(logits, targets):
    """Mean next-token cross-entropy, as ``log_softmax`` then gather, like the Java NextTokenLoss."""
    return logits.log_softmax(-1).gather(-1, targets.long().unsqueeze(-1)).squeeze(-1).neg().mean()
