"""The pipeline's token shards (``data/<digest>/``: ``index.json``, ``train.bin``, ``val.bin``), memory-mapped."""

import json
import os

import numpy as np

_DTYPES = {"uint16": np.dtype("<u2"), "int32": np.dtype("<i4")}


class TokenShards:
    """One shard folder; ``split(name)`` is a read-only array of that split's token ids."""

    def __init__(self, folder):
        index = os.path.join(folder, "index.json")
        if not os.path.isfile(index):
            raise FileNotFoundError(f"{folder} has no index.json: the pipeline did not finish writing it")
        with open(index, encoding="utf-8") as f:
            self.index = json.load(f)
        dtype = self.index.get("dtype")
        if dtype not in _DTYPES:
            raise ValueError(f"{index}: dtype {dtype!r}, expected one of {sorted(_DTYPES)}")
        self.folder = folder
        self.dtype = _DTYPES[dtype]
        self.vocab_size = int(self.index["vocabSize"])
        self.eot_id = self.index.get("eotId")

    def split(self, name):
        entry = self.index["splits"].get(name)
        if entry is None:
            raise KeyError(f"{self.folder}/index.json has no split {name!r}; it has {sorted(self.index['splits'])}")
        path = os.path.join(self.folder, entry["file"])
        tokens = np.memmap(path, dtype=self.dtype, mode="r")
        if len(tokens) != int(entry["tokens"]):
            raise ValueError(f"{path} holds {len(tokens)} tokens, index.json says {entry['tokens']}")
        return tokens


def write(folder, splits, vocab_size, eot_id=None):
    """Writes a shard folder (for tests and tools): ``splits`` maps a split name to a sequence of ids."""
    os.makedirs(folder, exist_ok=True)
    dtype = "uint16" if vocab_size <= 65536 else "int32"
    entries = {}
    for name, ids in splits.items():
        array = np.asarray(ids, dtype=_DTYPES[dtype])
        array.tofile(os.path.join(folder, name + ".bin"))
        entries[name] = {"file": name + ".bin", "tokens": int(array.size)}
    index = {"format": 1, "dtype": dtype, "vocabSize": vocab_size, "eotId": eot_id, "splits": entries}
    with open(os.path.join(folder, "index.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, indent=2)
