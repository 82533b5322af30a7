"""AdamW and the learning-rate schedule of the DJL trainer, written out so both engines do the same arithmetic."""

import math

import torch

EPS = 1e-8


class LrSchedule:
    """Linear warmup from 0 to ``lr`` over ``warmupSteps``, then cosine decay to ``minLr`` at the last step."""

    def __init__(self, optimizer, total_steps):
        self.lr, self.min_lr = optimizer.lr, optimizer.minLr
        self.warmup, self.total = optimizer.warmupSteps, total_steps

    def at(self, step):
        if step <= self.warmup:
            return self.lr * step / self.warmup
        decay = self.total - self.warmup
        if decay <= 0:
            return self.lr
        progress = min(1.0, (step - self.warmup) / decay)
        return self.min_lr + 0.5 * (self.lr - self.min_lr) * (1 + math.cos(math.pi * progress))


class AdamW:
    """Decoupled weight decay on matrices (two or more axes), none on vectors (norm gains); global-norm clipping
    with ``clip / (norm + 1e-6)``; a missing gradient counts as zero, as in the DJL engine, whose gradient arrays
    always exist."""

    def __init__(self, named_parameters, spec):
        self.spec = spec
        self.slots = [(name, p, torch.zeros_like(p), torch.zeros_like(p), p.dim() >= 2)
                      for name, p in named_parameters if p.requires_grad]
        self.step_count = 0

    @torch.no_grad()
    def grad_norm(self):
        total = None
        for _, p, _, _, _ in self.slots:
            if p.grad is not None:
                squares = p.grad.square().sum()
                total = squares if total is None else total + squares
        return 0.0 if total is None else math.sqrt(float(total))

    @torch.no_grad()
    def step(self, lr):
        """One update at ``lr``; returns the gradient norm before clipping. A non-finite norm changes no weight."""
        spec = self.spec
        norm = self.grad_norm()
        if not math.isfinite(norm):
            self.zero_grad()
            return norm
        scale = spec.gradClip / (norm + 1e-6) if spec.gradClip > 0 and norm > spec.gradClip else 1.0
        self.step_count += 1
        beta1, beta2 = spec.beta1, spec.beta2
        first = 1 - spec.beta1 ** self.step_count
        second = 1 - spec.beta2 ** self.step_count
        for _, p, m, v, decays in self.slots:
            g = p.grad if p.grad is not None else torch.zeros_like(p)
            if scale != 1.0:
                g = g * scale
            m.mul_(beta1).add_(g * (1 - beta1))
            v.mul_(beta2).add_(g.square() * (1 - beta2))
            update = (m / first) / ((v / second).sqrt() + EPS)
            if decays and spec.weightDecay > 0:
                p.mul_(1 - lr * spec.weightDecay)
            p.sub_(update * lr)
        self.zero_grad()
        return norm

    def zero_grad(self):
        for _, p, _, _, _ in self.slots:
            p.grad = None

    def state_dict(self):
        tensors = {}
        for name, _, m, v, _ in self.slots:
            tensors[name + ".m"] = m
            tensors[name + ".v"] = v
        return tensors

    def load_state_dict(self, tensors, step_count):
        for name, _, m, v, _ in self.slots:
            m.copy_(tensors[name + ".m"])
            v.copy_(tensors[name + ".v"])
        self.step_count = step_count
