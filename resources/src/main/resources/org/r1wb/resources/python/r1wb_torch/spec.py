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
class LayerKind:
    """One layer of a spec whose layers differ: its FFN (DENSE or MOE) and its attention's key/value heads."""
    ffn: str
    kvHeads: int


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
    layerKinds: Optional[tuple] = None  # of LayerKind; when present it decides every layer (docs/FORMATS.md)

    def is_moe_layer(self, index):
        if self.moe is None:
            return False
        if self.layerKinds is None:
            return index >= self.denseLayers
        return self.layerKinds[index].ffn == "MOE"

    def kv_heads(self, index):
        return self.kvHeads if self.layerKinds is None else self.layerKinds[index].kvHeads

    def moe_layers(self):
        return sum(1 for i in range(self.layers) if self.is_moe_layer(i))

    def to_json(self):
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("moe", "layerKinds")}
        out["moe"] = None if self.moe is None else {f.name: getattr(self.moe, f.name) for f in fields(self.moe)}
        if self.layerKinds is not None:
            out["layerKinds"] = [{"ffn": k.ffn, "kvHeads": k.kvHeads} for k in self.layerKinds]
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
    kinds = values.get("layerKinds")
    if kinds is not None:
        values["layerKinds"] = tuple(_layer_kind(kind, f"{where}.layerKinds[{i}]") for i, kind in enumerate(kinds))
        if len(kinds) != values.get("layers"):
            raise ValueError(f"{where}.layerKinds: has {len(kinds)} entries but layers is {values.get('layers')}; "
                             "give one entry per layer")
    return ModelSpec(**values)


def _layer_kind(values, where):
    kind = LayerKind(**_strict(LayerKind, values, where))
    if kind.ffn not in ("DENSE", "MOE"):
        raise ValueError(f"{where}.ffn: is {kind.ffn!r}; use DENSE or MOE")
    return kind


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
