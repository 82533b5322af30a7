"""Compares the PyTorch model's logits with the DJL engine's.

    /usr/bin/python3 check_logits.py MODEL_FOLDER EXPECTED.safetensors [--tol 1e-4]

MODEL_FOLDER is a ``model.safetensors`` + ``config.json`` export; EXPECTED holds ``ids`` (I64, B×T), ``logits``
(F32, B×T×V) and ``balance`` (F32 scalar) as the DJL model computed them. Prints the largest differences and exits
1 when one exceeds the tolerance.
"""

import argparse
import sys

import torch

from r1wb_torch import safetensors_io, weights


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("expected")
    parser.add_argument("--tol", type=float, default=1e-4)
    args = parser.parse_args()
    torch.set_grad_enabled(False)
    model, _ = weights.load_model(args.folder)
    model.eval()
    expected, _ = safetensors_io.load(args.expected)
    logits, balance = model(expected["ids"])
    logit_diff = float((logits - expected["logits"]).abs().max())
    balance_diff = abs(float(balance) - float(expected["balance"]))
    print(f"max_abs_diff={logit_diff:.3e} balance_diff={balance_diff:.3e} "
          f"logit_scale={float(expected['logits'].abs().max()):.3f}")
    return 0 if logit_diff <= args.tol and balance_diff <= args.tol else 1


if __name__ == "__main__":
    sys.exit(main())
