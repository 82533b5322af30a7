"""The DJL trainer's window sampler, draw for draw: ``java.util.SplittableRandom`` (SplitMix64) and its bounded
``nextLong``, so a seed picks the same windows in both engines."""

import numpy as np

_MASK = (1 << 64) - 1
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def _signed(value):
    return value - (1 << 64) if value >> 63 else value


class SplittableRandom:
    """The part of ``java.util.SplittableRandom(seed)`` the trainer uses."""

    def __init__(self, seed):
        self.seed = seed & _MASK

    def next_long(self):
        self.seed = (self.seed + _GOLDEN_GAMMA) & _MASK
        z = self.seed
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return _signed(z ^ (z >> 31))

    def next_long_below(self, bound):
        """``nextLong(bound)``: a uniform draw in [0, bound) by rejection, as the JDK does it."""
        m = bound - 1
        r = self.next_long()
        if bound & m == 0:
            return r & m
        u = (r & _MASK) >> 1
        while True:
            r = u % bound
            if _signed((u + m - r) & _MASK) >= 0:
                return r
            u = (self.next_long() & _MASK) >> 1


class WindowSampler:
    """Batches of ``batch_size`` random windows of ``seq_len + 1`` tokens: inputs the first T, targets the last T."""

    def __init__(self, tokens, batch_size, seq_len, seed):
        if len(tokens) < seq_len + 1:
            raise ValueError(f"the token stream has {len(tokens)} tokens, fewer than one window of "
                             f"seqLen + 1 = {seq_len + 1}")
        self.tokens, self.batch_size, self.seq_len = tokens, batch_size, seq_len
        self.random = SplittableRandom(seed)

    def skip(self, batches):
        starts = len(self.tokens) - self.seq_len
        for _ in range(batches * self.batch_size):
            self.random.next_long_below(starts)

    def next(self):
        """(inputs, targets), each an int64 array (B, T)."""
        starts = len(self.tokens) - self.seq_len
        windows = np.empty((self.batch_size, self.seq_len + 1), dtype=np.int64)
        for b in range(self.batch_size):
            start = self.random.next_long_below(starts)
            windows[b] = self.tokens[start:start + self.seq_len + 1]
        return windows[:, :-1], windows[:, 1:]
