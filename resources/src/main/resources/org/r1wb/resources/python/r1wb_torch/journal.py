"""The run's event journal (``events.jsonl``, format 1 of docs/EVENTS.md), written by one process."""

import json
import math
import os
import time

VERSION = 1


def _clean(value):
    """Standard JSON has no NaN or infinity: such a value is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


class EventJournal:
    """Appends whole lines with one ``write`` each (unbuffered), so a killed trainer loses nothing it reported;
    on open it cuts a torn last line and continues the seq after the last complete event."""

    def __init__(self, path, run_id):
        self.path, self.run_id = path, run_id
        self.last_seq = 0
        if os.path.exists(path):
            self._recover()
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def _recover(self):
        with open(self.path, "rb") as f:
            data = f.read()
        keep = data.rfind(b"\n") + 1
        if keep < len(data):
            with open(self.path, "r+b") as f:
                f.truncate(keep)
        for line in data[:keep].splitlines():
            if line.strip():
                self.last_seq = max(self.last_seq, int(json.loads(line)["seq"]))

    def emit(self, type_, **fields):
        self.last_seq += 1
        event = {"v": VERSION, "seq": self.last_seq, "run": self.run_id, "t": int(time.time() * 1000), "type": type_}
        event.update({k: _clean(v) for k, v in fields.items()})
        os.write(self.fd, (json.dumps(event, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8"))

    def sync(self):
        os.fsync(self.fd)

    def close(self):
        if self.fd is not None:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = None


class NullJournal:
    """What ranks other than 0 write: nothing."""

    def emit(self, type_, **fields):
        pass

    def sync(self):
        pass

    def close(self):
        pass
