"""Reads and writes the safetensors format without the ``safetensors`` package.

Layout: an unsigned little-endian 64-bit header length N, N bytes of JSON (``{name: {"dtype", "shape",
"data_offsets": [begin, end]}, "__metadata__": {str: str}}``, padded with spaces to a multiple of 8), then the
tensors' bytes, little-endian and row-major, offsets counted from the end of the header.
"""

import json
import os
import struct
import tempfile

import torch

_DTYPES = {
    "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}
_NAMES = {dtype: name for name, dtype in _DTYPES.items()}
_MAX_HEADER = 100 * 1024 * 1024


def save(tensors, path, metadata=None):
    """Writes ``{name: tensor}`` atomically (temp file, then rename), names in sorted order."""
    header = {}
    offset = 0
    ordered = []
    for name in sorted(tensors):
        tensor = tensors[name].detach().to("cpu").contiguous()
        if tensor.dtype not in _NAMES:
            raise ValueError(f"{name}: dtype {tensor.dtype} has no safetensors name")
        size = tensor.numel() * tensor.element_size()
        header[name] = {"dtype": _NAMES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + size]}
        ordered.append(tensor)
        offset += size
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(struct.pack("<Q", len(text)))
            out.write(text)
            for tensor in ordered:
                out.write(_to_bytes(tensor))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _to_bytes(tensor):
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.view(torch.int16)
    data = tensor.numpy().tobytes()
    return data if struct.pack("=H", 1) == struct.pack("<H", 1) else tensor.numpy().byteswap().tobytes()


def load(path):
    """``(tensors, metadata)`` of a safetensors file; a malformed file fails with its path and what is wrong."""
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) < 8:
            raise ValueError(f"{path}: too short for a safetensors header")
        (length,) = struct.unpack("<Q", raw)
        if length > _MAX_HEADER:
            raise ValueError(f"{path}: header length {length} is implausible (not a safetensors file?)")
        try:
            header = json.loads(f.read(length).decode("utf-8"))
        except ValueError as e:
            raise ValueError(f"{path}: header is not JSON: {e}") from e
        data = f.read()
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, entry in header.items():
        dtype = _DTYPES.get(entry.get("dtype"))
        if dtype is None:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {entry.get('dtype')}")
        begin, end = entry["data_offsets"]
        shape = entry["shape"]
        element = torch.empty((), dtype=dtype).element_size()
        count = 1
        for dim in shape:
            count *= dim
        if end - begin != count * element or end > len(data) or begin < 0:
            raise ValueError(f"{path}: tensor {name} has offsets [{begin}, {end}) that do not fit shape {shape} "
                             f"of {entry['dtype']} in {len(data)} data bytes")
        chunk = bytearray(data[begin:end])
        storage_dtype = torch.int16 if dtype == torch.bfloat16 else dtype
        tensor = torch.frombuffer(chunk, dtype=storage_dtype) if count else torch.empty(0, dtype=storage_dtype)
        tensors[name] = tensor.view(dtype).reshape(shape).clone()
    return tensors, metadata
