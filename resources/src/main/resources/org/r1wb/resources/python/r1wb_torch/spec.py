"""The model spec (``*.model.json``) and the run spec (``run.json``), read as the Java records are."""

import json
from dataclasses import dataclass, field, fields
from typing import Optional


@dataclass(frozen=True)
class MoeSpec:
    routedExperts: int
    sharedExperts: int
    topK: int
    expertHidden: int
    gate: str = "SOFTMAX"
    balancing: str = "AUX_FREE"
    auxLossWeight: float = 0.0
    biasUpdateRate: float = 0.0


@dataclass(frozen=True)
class ModelSpec:
    vocabSize: int
    dModel: int
    layers: int
    heads: int
    kvHeads: int
    headDim: int
    ropeTheta: float
    maxSeqLen: int
    normEps: float
    dropout: float
    tiedEmbeddings: bool
    denseLayers: int
    ffnHidden: int
    moe: Optional[MoeSpec] = None

    def is_moe_layer(self, index):
        return self.moe is not None and index >= self.denseLayers

    def moe_layers(self):
        return 0 if self.moe is None else max(0, self.layers - self.denseLayers)

    def to_json(self):
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "moe"}
        out["moe"] = None if self.moe is None else {f.name: getattr(self.moe, f.name) for f in fields(self.moe)}
        return out


@dataclass(frozen=True)
class OptimizerSpec:
    lr: float
    minLr: float
    weightDecay: float
    beta1: float = 0.9
    beta2: float = 0.95
    warmupSteps: int = 0
    gradClip: float = 0.0


@dataclass(frozen=True)
class RunSpec:
    id: str
    model: ModelSpec
    data: dict
    optimizer: OptimizerSpec
    steps: int
    batchSize: int
    seqLen: int
    seed: int
    evalEvery: int = 0
    evalBatches: int = 1
    checkpointEvery: int = 0
    keepCheckpoints: int = 0
    stage: str = "pretrain"
    device: str = "cpu"
    raw: dict = field(default=None, compare=False, repr=False)


def _strict(cls, values, where):
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return values


def model_spec(values, where="model"):
    """A ModelSpec from the JSON object of a model spec."""
    values = dict(_strict(ModelSpec, values, where))
    moe = values.get("moe")
    values["moe"] = None if moe is None else MoeSpec(**_strict(MoeSpec, moe, where + ".moe"))
    return ModelSpec(**values)


def load_model_spec(path):
    with open(path, encoding="utf-8") as f:
        return model_spec(json.load(f), str(path))


def run_spec(values, where="run.json"):
    """A RunSpec from the JSON object of a run.json; unknown fields (newer writers) are kept in ``raw``."""
    optimizer = dict(values["optimizer"])
    # the Java record reads a missing or zero beta as its default
    for beta, default in (("beta1", 0.9), ("beta2", 0.95)):
        if not optimizer.get(beta):
            optimizer[beta] = default
    known = {f.name for f in fields(RunSpec)} - {"model", "optimizer", "raw"}
    rest = {k: v for k, v in values.items() if k in known and v is not None}
    return RunSpec(model=model_spec(values["model"], where + ":model"),
                   optimizer=OptimizerSpec(**_strict(OptimizerSpec, optimizer, where + ":optimizer")),
                   raw=values, **rest)


def load_run_spec(path):
    with open(path, encoding="utf-8") as f:
        return run_spec(json.load(f), str(path))
