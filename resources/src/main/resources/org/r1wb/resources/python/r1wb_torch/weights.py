"""A model folder shared with the DJL engine: ``model.safetensors`` (fp32) plus ``config.json`` (the spec)."""

import hashlib
import json
import os

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


def load_state(model, folder):
    """Copies the folder's tensors into ``model``; every parameter and buffer must be present with its shape."""
    tensors, _ = safetensors_io.load(os.path.join(folder, WEIGHTS))
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
    return load_state(model, folder), config


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

