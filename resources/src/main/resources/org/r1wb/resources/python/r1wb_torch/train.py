"""Trains a ``run.json`` with PyTorch, alone or as one rank under ``torchrun`` (DDP: gloo on CPU, NCCL on GPU).

    /usr/bin/python3 -m r1wb_torch.train WORKSPACE/runs/RUN_ID [--init FOLDER] [--resume]
    torchrun --nproc_per_node=N -m r1wb_torch.train WORKSPACE/runs/RUN_ID

It does what the DJL trainer does (same windows for a seed, same AdamW, schedule, clipping and balancing), so with
the same starting weights (``--init``, a safetensors folder exported by the DJL engine) its losses follow the DJL
run's. Every rank draws the whole global batch of ``batchSize`` windows and trains on its slice, so N ranks take
the same steps as one process; rank 0 alone writes ``events.jsonl``, ``agent.pid`` and checkpoints.
"""

import argparse
import contextlib
import fcntl
import json
import math
import os
import shutil
import signal
import sys
import tempfile
import time

import torch
import torch.distributed as dist

from . import safetensors_io, weights
from .journal import EventJournal, NullJournal
from .model import MoeTransformer, init_weights, next_token_loss
from .optim import AdamW, LrSchedule
from .sampler import WindowSampler
from .shards import TokenShards
from .spec import load_run_spec

CHECKPOINTS = "checkpoints"
OPTIMIZER = "optimizer.safetensors"
META = "meta.json"
FINAL = "final"


class Distributed:
    """This process's place in the job: rank, world size, device; a world of one needs no process group."""

    def __init__(self, device):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        if device == "cuda":
            if not torch.cuda.is_available():
                raise RuntimeError(f"--device cuda, but this PyTorch ({torch.__version__}) sees no CUDA device: "
                                   f"install a CUDA build of PyTorch and the NVIDIA driver, or train on the CPU")
            torch.cuda.set_device(local)
            self.device = torch.device("cuda", local)
        else:
            self.device = torch.device("cpu")
        if self.world > 1:
            dist.init_process_group("nccl" if device == "cuda" else "gloo")

    def sum(self, tensor):
        if self.world > 1:
            dist.all_reduce(tensor)
        return tensor

    def any(self, flag):
        """Whether ``flag`` is true on any rank, so that all ranks stop at the same step."""
        tensor = torch.tensor([1.0 if flag else 0.0], device=self.device)
        return float(self.sum(tensor)) > 0

    def mean(self, value):
        tensor = torch.tensor([float(value)], dtype=torch.float64, device=self.device)
        return float(self.sum(tensor)) / self.world

    def close(self):
        if self.world > 1:
            dist.destroy_process_group()


class Session:
    """One run from its first (or resumed) step to its last."""

    def __init__(self, run_dir, args):
        self.run_dir = run_dir
        self.spec = load_run_spec(os.path.join(run_dir, "run.json"))
        device = args.device or ("cuda" if self.spec.device.startswith("cuda") else "cpu")
        self.dist = Distributed(device)
        self.args = args
        self.journal = (EventJournal(os.path.join(run_dir, "events.jsonl"), self.spec.id)
                        if self.dist.rank == 0 else NullJournal())
        self.checkpoints = os.path.join(run_dir, CHECKPOINTS)
        self.losses = []
        self.val_loss = float("nan")
        self.global_counts = {}
        self.stop_requested = False
        # Slurm's scancel and preemption send SIGTERM: finish the step, checkpoint, stop resumably
        signal.signal(signal.SIGTERM, self._request_stop)

    def _hold_run_lock(self):
        """Takes ``agent.lock`` as the Java agent's ``RunLock`` does (an fcntl lock the OS drops when the process dies),
        so ``r1wb status`` sees a live trainer, never a lost one, and no second trainer can drive the run."""
        self._lock = open(os.path.join(self.run_dir, "agent.lock"), "a+")
        try:
            fcntl.lockf(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            raise RuntimeError(f"another trainer holds {self.run_dir}/agent.lock: it drives this run") from e

    def _request_stop(self, signum, frame):
        self.stop_requested = True

    def _data(self):
        path = self.spec.data["path"]
        if not os.path.isabs(path):
            workspace = self.args.workspace or os.path.dirname(os.path.dirname(os.path.abspath(self.run_dir)))
            path = os.path.join(workspace, path)
        shards = TokenShards(path)
        if shards.vocab_size > self.spec.model.vocabSize:
            raise ValueError(f"the data's vocabulary ({shards.vocab_size} ids) is larger than the model's vocabSize "
                             f"({self.spec.model.vocabSize}): set model.vocabSize to at least {shards.vocab_size}")
        return shards.split("train"), shards.split("val")

    def _slice(self, array):
        """This rank's rows of a global batch."""
        per_rank = array.shape[0] // self.dist.world
        return array[self.dist.rank * per_rank:(self.dist.rank + 1) * per_rank]

    def _tensor(self, array):
        return torch.from_numpy(self._slice(array).copy()).to(self.dist.device)

    def run(self):
        spec = self.spec
        if spec.batchSize % self.dist.world:
            raise ValueError(f"batchSize {spec.batchSize} does not split over {self.dist.world} ranks: "
                             f"choose a multiple of the world size")
        if (spec.batchSize // self.dist.world) % max(1, self.args.accumulate):
            raise ValueError(f"each rank's {spec.batchSize // self.dist.world} windows do not split into "
                             f"{self.args.accumulate} equal micro-batches: choose --accumulate dividing them")
        train, val = self._data()
        model = MoeTransformer(spec.model)
        init_weights(model, spec.seed)
        if self.args.init:
            weights.load_state(model, self.args.init)
        model.to(self.dist.device)
        optimizer = AdamW(model.named_parameters(), spec.optimizer)
        done = 0
        if self.args.resume:
            done = self._restore(model, optimizer)
            if done >= spec.steps:
                self.journal.emit("status", state="finished", message=f"already finished: step {done} of {spec.steps}")
                return 0
        if self.dist.rank == 0:
            self._hold_run_lock()
            with open(os.path.join(self.run_dir, "agent.pid"), "w", encoding="utf-8") as f:
                f.write(f"{os.getpid()}\n")
        engine = model
        if self.dist.world > 1:
            engine = torch.nn.parallel.DistributedDataParallel(
                model, device_ids=[self.dist.device.index] if self.dist.device.type == "cuda" else None,
                broadcast_buffers=False)
        sampler = WindowSampler(train, spec.batchSize, spec.seqLen, spec.seed)
        sampler.skip(done)
        val_batches = self._validation_batches(val)
        schedule = LrSchedule(spec.optimizer, spec.steps)
        verb = "resuming" if done else "training"
        self.journal.emit("status", state="running",
                          message=f"{verb} {spec.id} for {spec.steps} steps with PyTorch {torch.__version__} on "
                                  f"{self.dist.world} rank(s), {self.dist.device.type}")
        for step in range(done + 1, spec.steps + 1):
            loss = self._train_step(model, engine, optimizer, schedule, sampler.next(), step)
            if not math.isfinite(loss):
                self.journal.emit("status", state="failed", message=f"loss became {loss} at step {step}", step=step)
                return 1
            last = step == spec.steps
            if (spec.evalEvery > 0 and step % spec.evalEvery == 0) or last:
                self._emit_routing(model, step)
                self.val_loss = self._validate(model, val_batches)
                self.journal.emit("metric", step=step, val_loss=self.val_loss)
            if spec.checkpointEvery > 0 and step % spec.checkpointEvery == 0 and not last:
                self._checkpoint(model, optimizer, step, f"step-{step}")
            if not last and self.dist.any(self.stop_requested or step == self.args.stop_after):
                if spec.checkpointEvery <= 0 or step % spec.checkpointEvery:
                    self._checkpoint(model, optimizer, step, f"step-{step}")
                self.journal.emit("status", state="cancelled", message=f"stopped after step {step}; "
                                                                       f"--resume continues from its checkpoint")
                return 0
        self._checkpoint(model, optimizer, spec.steps, FINAL)
        first = self.losses[0] if self.losses else float("nan")
        final = sum(self.losses[-10:]) / max(1, len(self.losses[-10:]))
        self.journal.emit("status", state="finished",
                          message=f"finished {spec.steps} steps: loss {first:.4f} → {final:.4f}, val {self.val_loss:.4f}")
        return 0

    def _train_step(self, model, engine, optimizer, schedule, batch, step):
        start = time.perf_counter()
        lr = schedule.at(step)
        torch.manual_seed(self.spec.seed * 31 + step)  # dropout masks as a function of (seed, step)
        inputs, targets = (self._tensor(a) for a in batch)
        accumulate = max(1, self.args.accumulate)
        micro = max(1, inputs.shape[0] // accumulate)
        loss_sum, balance_sum = 0.0, 0.0
        counts = {layer: None for layer, _ in model.moe_layers()}
        pieces = list(range(0, inputs.shape[0], micro))
        for i, begin in enumerate(pieces):
            sync = contextlib.nullcontext() if i == len(pieces) - 1 or engine is model else engine.no_sync()
            with sync, self._autocast():
                logits, balance = engine(inputs[begin:begin + micro])
                cross_entropy = next_token_loss(logits.float(), targets[begin:begin + micro])
                objective = cross_entropy
                if self._uses_aux_loss():
                    objective = cross_entropy + balance * self.spec.model.moe.auxLossWeight
                (objective / len(pieces)).backward()
            loss_sum += float(cross_entropy) / len(pieces)
            balance_sum += float(balance) / len(pieces)
            for layer, moe in model.moe_layers():
                counts[layer] = moe.last_counts if counts[layer] is None else counts[layer] + moe.last_counts
        norm = optimizer.step(lr)
        if not math.isfinite(norm):
            return float("nan")
        self.global_counts = {layer: self.dist.sum(c.clone()) for layer, c in counts.items()}
        moe_spec = self.spec.model.moe
        if moe_spec is not None and moe_spec.balancing == "AUX_FREE":
            for layer, moe in model.moe_layers():
                moe.router.update_bias(self.global_counts[layer], moe_spec.biasUpdateRate)
        loss = self.dist.mean(loss_sum)
        balance = self.dist.mean(balance_sum)
        elapsed = time.perf_counter() - start
        self.losses.append(loss)
        self.journal.emit("metric", step=step, loss=loss, lr=lr, grad_norm=norm,
                          tokens_per_s=self.spec.batchSize * self.spec.seqLen / elapsed, aux_loss=balance)
        return loss

    def _autocast(self):
        if self.args.bf16 and self.dist.device.type == "cuda":
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def _uses_aux_loss(self):
        moe = self.spec.model.moe
        return moe is not None and moe.balancing == "AUX_LOSS"

    def _validation_batches(self, val):
        sampler = WindowSampler(val, self.spec.batchSize, self.spec.seqLen, ~self.spec.seed)
        return [sampler.next() for _ in range(self.spec.evalBatches)]

    @torch.no_grad()
    def _validate(self, model, batches):
        model.eval()
        total = 0.0
        for inputs, targets in batches:
            with self._autocast():
                logits, _ = model(self._tensor(inputs))
            total += float(next_token_loss(logits.float(), self._tensor(targets)))
        model.train()
        return self.dist.mean(total / len(batches))

    def _emit_routing(self, model, step):
        for layer, moe in model.moe_layers():
            counts = self.global_counts[layer].double()
            load = counts / counts.sum()
            cv = float(load.std(unbiased=False) / load.mean())
            entropy = self.dist.mean(float(moe.last_entropy))
            self.journal.emit("routing", step=step, layer=layer, load=load.tolist(), cv=cv, entropy=entropy,
                              bias=moe.router.selection_bias.tolist())

    def _checkpoint(self, model, optimizer, step, name):
        if self.dist.rank != 0:
            return
        os.makedirs(self.checkpoints, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=self.checkpoints)
        try:
            weights.save_model(model, tmp, step=step, seed=self.spec.seed, run_id=self.spec.id)
            safetensors_io.save(optimizer.state_dict(), os.path.join(tmp, OPTIMIZER),
                                {"step_count": optimizer.step_count})
            digest = weights.digest(os.path.join(tmp, weights.WEIGHTS))
            meta = {"formatVersion": 1, "runId": self.spec.id, "step": step, "model": self.spec.model.to_json(),
                    "weightsDigest": digest, "trainLoss": self.losses[-1] if self.losses else None,
                    "valLoss": None if math.isnan(self.val_loss) else self.val_loss, "seed": self.spec.seed}
            with open(os.path.join(tmp, META), "w", encoding="utf-8") as f:
                json.dump(meta, f, indent=2)
            target = os.path.join(self.checkpoints, name)
            if os.path.exists(target):
                shutil.rmtree(target)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                shutil.rmtree(tmp)
        self.journal.emit("checkpoint", step=step, path=f"{CHECKPOINTS}/{name}", digest=digest)
        self.journal.sync()
        self._prune()

    def _prune(self):
        keep = self.spec.keepCheckpoints
        if keep <= 0:
            return
        periodic = sorted((int(n[5:]), n) for n in os.listdir(self.checkpoints)
                          if n.startswith("step-") and n[5:].isdigit())
        for _, name in periodic[:-keep]:
            shutil.rmtree(os.path.join(self.checkpoints, name))

    def _restore(self, model, optimizer):
        """Loads the latest checkpoint (weights, selection biases, AdamW moments); returns its step, 0 if none."""
        best, best_step = None, 0
        if os.path.isdir(self.checkpoints):
            for name in os.listdir(self.checkpoints):
                folder = os.path.join(self.checkpoints, name)
                if name.startswith(".tmp-"):
                    shutil.rmtree(folder, ignore_errors=True)
                elif os.path.isfile(os.path.join(folder, META)) and os.path.isfile(os.path.join(folder, OPTIMIZER)):
                    with open(os.path.join(folder, META), encoding="utf-8") as f:
                        step = json.load(f)["step"]
                    if step > best_step:
                        best, best_step = folder, step
        if best is None:
            return 0
        weights.load_state(model, best)
        state, metadata = safetensors_io.load(os.path.join(best, OPTIMIZER))
        optimizer.load_state_dict(state, int(metadata["step_count"]))
        return best_step


def main(argv=None):
    parser = argparse.ArgumentParser(prog="r1wb_torch.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", help="the run folder, holding run.json")
    parser.add_argument("--workspace", help="folder the run's data path is relative to (default: RUN_DIR/../..)")
    parser.add_argument("--init", help="start from this safetensors folder (model.safetensors + config.json)")
    parser.add_argument("--resume", action="store_true", help="continue from the latest checkpoint, if any")
    parser.add_argument("--device", choices=["cpu", "cuda"], help="override run.json's device")
    parser.add_argument("--accumulate", type=int, default=1, help="micro-batches per rank and step")
    parser.add_argument("--stop-after", type=int, default=0,
                        help="checkpoint and stop after this step, as a preemption would (for tests)")
    parser.add_argument("--bf16", action="store_true", help="bf16 autocast (GPU only)")
    args = parser.parse_args(argv)
    try:
        session = Session(args.run_dir, args)
    except Exception as e:
        # no session, so no journal yet: say why in the run's journal all the same (rank 0), then fail
        if int(os.environ.get("RANK", "0")) == 0 and os.path.isfile(os.path.join(args.run_dir, "run.json")):
            with open(os.path.join(args.run_dir, "run.json"), encoding="utf-8") as f:
                run_id = json.load(f).get("id", os.path.basename(os.path.abspath(args.run_dir)))
            journal = EventJournal(os.path.join(args.run_dir, "events.jsonl"), run_id)
            journal.emit("status", state="failed", message=f"{type(e).__name__}: {e}")
            journal.close()
        raise
    try:
        return session.run()
    except BaseException as e:
        session.journal.emit("status", state="failed", message=f"{type(e).__name__}: {e}")
        raise
    finally:
        session.journal.close()
        session.dist.close()


if __name__ == "__main__":
    sys.exit(main())
