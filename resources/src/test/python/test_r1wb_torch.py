"""Unit tests of the PyTorch backend (``/usr/bin/python3 -m unittest discover -s resources/src/test/python``)."""

import json
import math
import os
import struct
import tempfile
import unittest

import torch

from r1wb_torch import estimate, safetensors_io, shards, train, weights
from r1wb_torch.journal import EventJournal
from r1wb_torch.model import MoeTransformer, init_weights, next_token_loss
from r1wb_torch.optim import AdamW, LrSchedule
from r1wb_torch.sampler import SplittableRandom
from r1wb_torch.spec import OptimizerSpec, model_spec, run_spec

TINY = {"vocabSize": 64, "dModel": 32, "layers": 2, "heads": 4, "kvHeads": 2, "headDim": 8, "ropeTheta": 10000.0,
        "maxSeqLen": 32, "normEps": 1e-5, "dropout": 0.0, "tiedEmbeddings": True, "denseLayers": 1, "ffnHidden": 64,
        "moe": {"routedExperts": 4, "sharedExperts": 1, "topK": 2, "expertHidden": 16, "gate": "SIGMOID",
                "balancing": "AUX_FREE", "auxLossWeight": 0.01, "biasUpdateRate": 0.001}}


# layer 1 dense between MoE layers, GQA (1 kv head) only on layer 0
LAYER_KINDS = {**TINY, "layers": 3, "kvHeads": 4, "denseLayers": 0,
               "layerKinds": [{"ffn": "MOE", "kvHeads": 1}, {"ffn": "DENSE", "kvHeads": 4}, {"ffn": "MOE", "kvHeads": 4}]}


def tiny_model(seed=3):
    model = MoeTransformer(model_spec(TINY))
    init_weights(model, seed)
    return model


class SafetensorsTest(unittest.TestCase):

    def test_round_trip_keeps_every_dtype_shape_and_value(self):
        tensors = {"w": torch.randn(3, 5), "ids": torch.arange(7, dtype=torch.int64),
                   "half": torch.randn(4).to(torch.bfloat16), "scalar": torch.tensor(2.5), "empty": torch.zeros(0, 3)}
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "t.safetensors")
            safetensors_io.save(tensors, path, {"format": "pt"})
            loaded, metadata = safetensors_io.load(path)
            with open(path, "rb") as f:
                (header_length,) = struct.unpack("<Q", f.read(8))
        self.assertEqual(metadata, {"format": "pt"})
        self.assertEqual(header_length % 8, 0)
        self.assertEqual(set(loaded), set(tensors))
        for name, tensor in tensors.items():
            self.assertEqual(loaded[name].dtype, tensor.dtype, name)
            self.assertEqual(loaded[name].shape, tensor.shape, name)
            self.assertTrue(torch.equal(loaded[name], tensor), name)

    def test_offsets_that_overrun_the_data_are_reported(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bad.safetensors")
            header = json.dumps({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}).encode()
            with open(path, "wb") as f:
                f.write(struct.pack("<Q", len(header)) + header + b"\0" * 8)
            with self.assertRaisesRegex(ValueError, "bad.safetensors: tensor w has offsets"):
                safetensors_io.load(path)

    def test_model_folder_round_trip_gives_the_same_logits(self):
        model = tiny_model()
        model.layer1.moe.router.selection_bias.copy_(torch.tensor([0.1, -0.2, 0.0, 0.05]))
        ids = torch.randint(0, 64, (2, 9), generator=torch.Generator().manual_seed(1))
        with tempfile.TemporaryDirectory() as tmp:
            weights.save_model(model, tmp, step=4, seed=3)
            loaded, config = weights.load_model(tmp)
        self.assertEqual(config["step"], 4)
        self.assertTrue(torch.equal(loaded(ids)[0], model(ids)[0]))


class SamplerTest(unittest.TestCase):

    def test_draws_equal_java_util_splittable_random(self):
        # reference values printed by JDK 17's java.util.SplittableRandom (jshell), not by this code
        r = SplittableRandom(1234)
        self.assertEqual(r.next_long(), -4968325692281840421)
        self.assertEqual(r.next_long_below(1000), 482)
        self.assertEqual(r.next_long_below(1 << 40), 981865604570)
        self.assertEqual(r.next_long_below(7), 4)
        self.assertEqual(r.next_long_below((1 << 63) - 6), 6667986066053046994)
        r = SplittableRandom(~1234)
        self.assertEqual([r.next_long_below(8191), r.next_long_below(8191), r.next_long_below(3)], [2691, 1251, 2])


class ModelTest(unittest.TestCase):

    def test_logits_at_a_position_ignore_later_tokens(self):
        model = tiny_model()
        ids = torch.randint(0, 64, (1, 12), generator=torch.Generator().manual_seed(2))
        changed = ids.clone()
        changed[0, 8:] = (changed[0, 8:] + 1) % 64
        with torch.no_grad():
            a, b = model(ids)[0], model(changed)[0]
        self.assertTrue(torch.allclose(a[0, :8], b[0, :8], atol=1e-6))
        self.assertFalse(torch.allclose(a[0, 8:], b[0, 8:], atol=1e-3))

    def test_selection_bias_chooses_experts_but_never_weights_them(self):
        router = tiny_model().layer1.moe.router
        x = torch.randn(16, 32, generator=torch.Generator().manual_seed(4))
        weights_before, chosen_before, _ = router(x)
        router.selection_bias.copy_(torch.tensor([10.0, 10.0, 0.0, 0.0]))
        weights_after, chosen_after, scores = router(x)
        self.assertTrue(torch.equal(chosen_after.sort(-1).values, torch.tensor([[0, 1]] * 16)))
        raw = torch.sigmoid(torch.nn.functional.linear(x, router.gate_weight))
        expected = raw[:, :2] / raw[:, :2].sum(-1, keepdim=True)
        self.assertTrue(torch.allclose(weights_after.gather(-1, chosen_after.argsort(-1)), expected, atol=1e-6))
        self.assertTrue(torch.allclose(scores.sum(-1), torch.ones(16), atol=1e-6))
        self.assertFalse(torch.equal(chosen_before, chosen_after))

    def test_every_parameter_gets_a_gradient_even_an_unused_expert(self):
        model = tiny_model()
        model.layer1.moe.router.selection_bias.copy_(torch.tensor([0.0, 0.0, -10.0, -10.0]))
        ids = torch.randint(0, 64, (2, 8), generator=torch.Generator().manual_seed(5))
        logits, _ = model(ids)
        next_token_loss(logits, ids).backward()
        missing = [name for name, p in model.named_parameters() if p.grad is None]
        self.assertEqual(missing, [])
        self.assertEqual(float(model.layer1.moe.expert2.gate_proj.grad.abs().sum()), 0.0)


class OptimTest(unittest.TestCase):

    def test_schedule_warms_up_then_decays_to_the_floor(self):
        schedule = LrSchedule(OptimizerSpec(lr=1.0, minLr=0.1, weightDecay=0.0, warmupSteps=4), 20)
        self.assertAlmostEqual(schedule.at(2), 0.5)
        self.assertAlmostEqual(schedule.at(4), 1.0)
        self.assertAlmostEqual(schedule.at(12), 0.55)
        self.assertAlmostEqual(schedule.at(20), 0.1)

    def test_adamw_decays_matrices_only_and_clips(self):
        matrix = torch.nn.Parameter(torch.ones(2, 2))
        vector = torch.nn.Parameter(torch.ones(2))
        optimizer = AdamW([("m", matrix), ("v", vector)],
                          OptimizerSpec(lr=0.1, minLr=0.1, weightDecay=0.5, gradClip=1.0))
        matrix.grad = torch.zeros(2, 2)
        vector.grad = torch.full((2,), 3.0)
        norm = optimizer.step(0.1)
        self.assertAlmostEqual(norm, math.sqrt(18.0), places=5)
        self.assertTrue(torch.allclose(matrix, torch.full((2, 2), 0.95)))
        # first Adam step moves by lr whatever the (clipped) gradient's size
        self.assertTrue(torch.allclose(vector, torch.full((2,), 0.9), atol=1e-6))


class JournalTest(unittest.TestCase):

    def test_a_torn_last_line_is_cut_and_seq_continues(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "events.jsonl")
            journal = EventJournal(path, "run-1")
            journal.emit("status", state="running", message="go")
            journal.emit("metric", step=1, loss=float("nan"))
            journal.close()
            with open(path, "ab") as f:
                f.write(b'{"v":1,"seq":3,"ru')
            journal = EventJournal(path, "run-1")
            journal.emit("status", state="finished", message="done")
            journal.close()
            with open(path, encoding="utf-8") as f:
                events = [json.loads(line) for line in f]
        self.assertEqual([e["seq"] for e in events], [1, 2, 3])
        self.assertIsNone(events[1]["loss"])
        self.assertEqual(events[2]["state"], "finished")


class TrainTest(unittest.TestCase):

    def run_losses(self, tmp, run_id, *flags):
        run_dir = os.path.join(tmp, "runs", run_id)
        os.makedirs(run_dir)
        spec = {"id": run_id, "model": TINY, "data": {"path": "data/tok", "digest": "tok"}, "steps": 4,
                "batchSize": 4, "seqLen": 16, "seed": 9, "evalEvery": 0, "evalBatches": 1,
                "optimizer": {"lr": 0.01, "minLr": 0.001, "weightDecay": 0.1, "warmupSteps": 2, "gradClip": 1.0}}
        with open(os.path.join(run_dir, "run.json"), "w", encoding="utf-8") as f:
            json.dump(spec, f)
        self.assertEqual(train.main([run_dir, *flags]), 0)
        with open(os.path.join(run_dir, "events.jsonl"), encoding="utf-8") as f:
            return [e["loss"] for e in map(json.loads, f) if "loss" in e]

    def test_gradient_accumulation_takes_the_same_steps(self):
        ids = [i % 61 for i in range(0, 3000, 7)] * 3
        with tempfile.TemporaryDirectory() as tmp:
            shards.write(os.path.join(tmp, "data", "tok"), {"train": ids[:1000], "val": ids[1000:]}, 64, 63)
            whole = self.run_losses(tmp, "whole")
            accumulated = self.run_losses(tmp, "accumulated", "--accumulate", "2")
        self.assertEqual(len(whole), 4)
        for a, b in zip(whole, accumulated):
            self.assertAlmostEqual(a, b, delta=1e-5 * a)
        self.assertLess(whole[-1], whole[0])


class EstimateTest(unittest.TestCase):

    def test_parameter_count_is_the_models(self):
        for values in (TINY, {**TINY, "tiedEmbeddings": False, "moe": None}, LAYER_KINDS):
            spec = model_spec(values)
            self.assertEqual(estimate.parameters(spec), sum(p.numel() for p in MoeTransformer(spec).parameters()))


class SpecTest(unittest.TestCase):

    def test_unknown_fields_name_their_path(self):
        with self.assertRaisesRegex(ValueError, r"m.json.moe: unknown field\(s\) topk"):
            model_spec({**TINY, "moe": {**TINY["moe"], "topk": 2}}, "m.json")

    def test_layer_kinds_build_each_layer_and_a_bad_list_names_its_entry(self):
        model = MoeTransformer(model_spec(LAYER_KINDS))
        self.assertEqual([layer for layer, _ in model.moe_layers()], [0, 2])
        self.assertEqual(tuple(model.layer0.attention.k_proj.shape), (8, 32))
        self.assertEqual(tuple(model.layer1.attention.k_proj.shape), (32, 32))
        self.assertEqual(model_spec(model.spec.to_json()), model.spec)
        with self.assertRaisesRegex(ValueError, r"m.json.layerKinds: has 2 entries but layers is 3"):
            model_spec({**LAYER_KINDS, "layerKinds": LAYER_KINDS["layerKinds"][:2]}, "m.json")
        with self.assertRaisesRegex(ValueError, r"m.json.layerKinds\[1\]: unknown field\(s\) kv"):
            model_spec({**LAYER_KINDS, "layerKinds": [{"ffn": "MOE", "kvHeads": 1}, {"ffn": "MOE", "kv": 4},
                                                      {"ffn": "MOE", "kvHeads": 4}]}, "m.json")

    def test_missing_betas_take_the_java_defaults(self):
        spec = run_spec({"id": "r", "model": TINY, "data": {"path": "d"}, "steps": 1, "batchSize": 1, "seqLen": 4,
                         "seed": 1, "optimizer": {"lr": 0.1, "minLr": 0.0, "weightDecay": 0.0}})
        self.assertEqual((spec.optimizer.beta1, spec.optimizer.beta2), (0.9, 0.95))


if __name__ == "__main__":
    unittest.main()
