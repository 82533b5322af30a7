"""A model folder shared with the DJL engine: ``model.safetensors`` (fp32) plus ``config.json`` (the spec).

A folder whose config.json names a ``quantization`` (``int8``, ``q4:<group>``) stores its projection weights as
integer codes with ``NAME.scale`` (and for q4 ``NAME.zero``) beside them, as ``QuantizedWeight`` in the Java engine
writes them; they are dequantized here, ``w = scale * (code - zero)``, and the model runs in fp32 on them.
"""

import hashlib
import json
import os

import torch

from . import safetensors_io
from .model import MoeTransformer
from .spec import model_spec

ARCHITECTURE = "R1wbMoeTransformer"
WEIGHTS = "model.safetensors"
CONFIG = "config.json"


def read_config(folder):
    with open(os.path.join(folder, CONFIG), encoding="utf-8") as f:
        config = json.load(f)
    if config.get("architecture") != ARCHITECTURE:
        raise ValueError(f"{folder}/{CONFIG}: architecture {config.get('architecture')!r}, expected {ARCHITECTURE!r}")
    return config


def dequantize(tensors, scheme):
    """``tensors`` with every quantized weight (one with a ``.scale`` beside it) turned back into fp32."""
    kind, _, group = scheme.partition(":")
    if kind not in ("int8", "q4") or (kind == "q4") != bool(group):
        raise ValueError(f"quantization {scheme!r} is not int8 or q4:<group>")
    out = {}
    for name, value in tensors.items():
        if name.endswith(".scale") or name.endswith(".zero"):
            continue
        scale = tensors.get(name + ".scale")
        if scale is None:
            out[name] = value
        elif kind == "int8":
            out[name] = value.to(torch.float32) * scale.reshape(-1, 1)
        else:
            codes = value.to(torch.int16)
            # two codes a byte, the even input in the low nibble
            unpacked = torch.stack([codes & 0x0F, (codes >> 4) & 0x0F], dim=-1).reshape(value.shape[0], -1)
            zero = tensors[name + ".zero"].to(torch.int16)
            per_input = int(group)
            levels = (unpacked - zero.repeat_interleave(per_input, dim=1)).to(torch.float32)
            out[name] = levels * scale.repeat_interleave(per_input, dim=1)
    return out


def load_state(model, folder, quantization=None):
    """Copies the folder's tensors into ``model``; every parameter and buffer must be present with its shape."""
    tensors, _ = safetensors_io.load(os.path.join(folder, WEIGHTS))
    if quantization:
        tensors = dequantize(tensors, quantization)
    state = model.state_dict()
    missing = sorted(set(state) - set(tensors))
    unexpected = sorted(set(tensors) - set(state))
    if missing or unexpected:
        raise ValueError(f"{folder}/{WEIGHTS} does not fit the spec: missing {missing}, unexpected {unexpected}")
    for name, value in tensors.items():
        if tuple(value.shape) != tuple(state[name].shape):
            raise ValueError(f"{folder}/{WEIGHTS}: {name} has shape {list(value.shape)}, "
                             f"the spec needs {list(state[name].shape)}")
    model.load_state_dict({k: v.to(state[k].dtype) for k, v in tensors.items()})
    return model


def load_model(folder):
    """The model of ``folder``'s config.json with its weights, and the config."""
    config = read_config(folder)
    model = MoeTransformer(model_spec(config["model"], f"{folder}/{CONFIG}:model"))
    return load_state(model, folder, config.get("quantization")), config


def save_model(model, folder, step=0, seed=0, run_id=None):
    """Writes ``model`` as fp32 safetensors and its config.json (atomically, config last)."""
    os.makedirs(folder, exist_ok=True)
    tensors = {k: v.detach().float() for k, v in model.state_dict().items()}
    safetensors_io.save(tensors, os.path.join(folder, WEIGHTS), {"format": "pt"})
    config = {"format": 1, "architecture": ARCHITECTURE, "dtype": "float32", "step": step, "seed": seed,
              "runId": run_id, "model": model.spec.to_json()}
    tmp = os.path.join(folder, "." + CONFIG + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    os.replace(tmp, os.path.join(folder, CONFIG))
    return config


def digest(path):
    """SHA-256 (hex) of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()

