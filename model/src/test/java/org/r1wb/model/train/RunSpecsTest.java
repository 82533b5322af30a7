package org.r1wb.model.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.adapt.LoraSpec;
import org.r1wb.model.spec.SpecProblem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunSpecsTest {

    private static final String RUN = """
            {"id": "sample-1",
             "model": {"vocabSize": 512, "dModel": 128, "layers": 4, "heads": 4, "kvHeads": 4, "headDim": 32,
                       "ropeTheta": 10000.0, "maxSeqLen": 128, "normEps": 1e-5, "dropout": 0.0,
                       "tiedEmbeddings": true, "denseLayers": 1, "ffnHidden": 384,
                       "moe": {"routedExperts": 8, "sharedExperts": 1, "topK": %d, "expertHidden": 128,
                               "gate": "SOFTMAX", "balancing": "AUX_FREE", "auxLossWeight": 0.01,
                               "biasUpdateRate": 0.001}},
             "data": {"path": "data/abc", "digest": "abc"},
             "optimizer": {"lr": 3e-3, "minLr": 3e-4, "weightDecay": 0.1, "warmupSteps": 20, "gradClip": 1.0},
             "steps": 300, "batchSize": 16, "seqLen": %d, "seed": 42, "evalEvery": 50, "evalBatches": 4,
             "checkpointEvery": 100, "keepCheckpoints": 2}
            """;

    @Test
    void readsDefaultsAndRoundTrips(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.json");
        Files.writeString(file, RUN.formatted(2, 128));
        RunSpec spec = RunSpecs.load(file);
        assertThat(spec.stage()).isEqualTo("pretrain");
        assertThat(spec.device()).isEqualTo("cpu");
        assertThat(spec.optimizer().beta1()).isEqualTo(0.9);
        assertThat(spec.optimizer().beta2()).isEqualTo(0.95);
        assertThat(spec.init()).isNull();
        assertThat(spec.gradAccumulation()).isEqualTo(1);
        assertThat(RunSpecValidator.validate(spec)).isEmpty();

        Path copy = dir.resolve("copy.json");
        RunSpecs.save(spec, copy);
        assertThat(RunSpecs.load(copy)).isEqualTo(spec);
    }

    @Test
    void anSftRunNamesItsInitCheckpointAndRoundTrips(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.json");
        Files.writeString(file, RUN.formatted(2, 128).replace("\"steps\"",
                "\"stage\": \"sft\", \"init\": \"../base/checkpoints/final\", \"steps\""));
        RunSpec spec = RunSpecs.load(file);
        assertThat(spec.stage()).isEqualTo(RunSpec.SFT);
        assertThat(spec.init()).isEqualTo("../base/checkpoints/final");
        assertThat(RunSpecValidator.validate(spec)).isEmpty();
        RunSpecs.save(spec, dir.resolve("copy.json"));
        assertThat(RunSpecs.load(dir.resolve("copy.json"))).isEqualTo(spec);
        assertThat(RunSpecValidator.validate(spec.withInit(null))).extracting(SpecProblem::path).containsExactly("init");
    }

    @Test
    void gradAccumulationIsReadRoundTripsAndMustBeAtLeastOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.json");
        Files.writeString(file, RUN.formatted(2, 128).replace("\"steps\"", "\"gradAccumulation\": 4, \"steps\""));
        RunSpec spec = RunSpecs.load(file);
        assertThat(spec.gradAccumulation()).isEqualTo(4);
        assertThat(spec.withInit("x").gradAccumulation()).isEqualTo(4);
        RunSpecs.save(spec, dir.resolve("copy.json"));
        assertThat(RunSpecs.load(dir.resolve("copy.json"))).isEqualTo(spec);

        Files.writeString(file, RUN.formatted(2, 128).replace("\"steps\"", "\"gradAccumulation\": 0, \"steps\""));
        List<SpecProblem> problems = RunSpecValidator.validate(RunSpecs.load(file));
        assertThat(problems).extracting(SpecProblem::path).containsExactly("gradAccumulation");
        assertThat(problems.get(0).fix()).contains("micro-batches");
    }

    @Test
    void loraIsReadRoundTripsAndIsCheckedUnderItsPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.json");
        Files.writeString(file, RUN.formatted(2, 128).replace("\"steps\"",
                "\"lora\": {\"rank\": 8, \"alpha\": 16, \"targets\": [\"q_proj\", \"v_proj\"]}, \"steps\""));
        RunSpec spec = RunSpecs.load(file);
        assertThat(spec.lora()).isEqualTo(new LoraSpec(8, 16, List.of("q_proj", "v_proj")));
        assertThat(spec.withInit("x").lora()).isEqualTo(spec.lora());
        assertThat(RunSpecValidator.validate(spec)).isEmpty();
        RunSpecs.save(spec, dir.resolve("copy.json"));
        assertThat(RunSpecs.load(dir.resolve("copy.json"))).isEqualTo(spec);
        assertThat(RunSpecs.load(Files.writeString(file, RUN.formatted(2, 128))).lora()).isNull();

        List<SpecProblem> problems = RunSpecValidator.validate(spec.withLora(new LoraSpec(0, 16, List.of("wq"))));
        assertThat(problems).extracting(SpecProblem::path).containsExactly("lora.rank", "lora.targets[0]");
    }

    @Test
    void validationPrefixesModelProblemsAndChecksTheRunToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.json");
        Files.writeString(file, RUN.formatted(9, 256));
        assertThat(RunSpecValidator.validate(RunSpecs.load(file))).extracting(SpecProblem::path)
                .containsExactlyInAnyOrder("model.moe.topK", "seqLen");
    }

    @Test
    void scheduleWarmsUpThenDecaysToTheFloor() {
        LrSchedule schedule = new LrSchedule(1.0, 0.1, 10, 110);
        assertThat(schedule.at(5)).isEqualTo(0.5);
        assertThat(schedule.at(10)).isEqualTo(1.0);
        assertThat(schedule.at(60)).isCloseTo(0.55, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(schedule.at(110)).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
    }
}
