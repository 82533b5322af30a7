package org.r1wb.model.spec;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The model presets bundled in {@code resources/} load, validate, and are what their names promise. */
class PresetsTest {

    /** The presets' source folder (tests run in the module's folder), so a new preset is checked before the resources jar is rebuilt. */
    private static final Path PRESETS = Path.of("..", "resources", "src", "main", "resources", "org", "r1wb", "resources", "presets");

    @Test
    void everyPresetLoadsAndValidates() throws Exception {
        List<Path> files;
        try (Stream<Path> entries = Files.list(PRESETS)) {
            files = entries.filter(p -> p.getFileName().toString().endsWith(".model.json")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("tiny.model.json", "sample.model.json",
                "deepseek-v3-small.model.json", "dense-baseline.model.json");
        for (Path file : files) {
            ModelSpec spec = ModelSpecs.load(file);
            assertThat(SpecValidator.validate(spec)).as(file.toString()).isEmpty();
            assertThat(ModelSpecs.parse(ModelSpecs.toJson(spec))).as("%s survives a JSON round trip", file).isEqualTo(spec);
        }
    }

    @Test
    void theSamplePresetIsTheSampleWorkspacesModel() throws Exception {
        Path workspaceModel = Path.of("..", "resources", "src", "main", "resources", "org", "r1wb", "resources", "sample",
                "models", "sample.model.json");
        assertThat(ModelSpecs.load(PRESETS.resolve("sample.model.json"))).isEqualTo(ModelSpecs.load(workspaceModel));
    }

    @Test
    void theDeepSeekStylePresetIsFineGrainedAndItsDenseBaselineMatchesItsActiveParameters() throws Exception {
        ModelSpec moe = ModelSpecs.load(PRESETS.resolve("deepseek-v3-small.model.json"));
        ModelSpec dense = ModelSpecs.load(PRESETS.resolve("dense-baseline.model.json"));
        assertThat(moe.denseLayers()).as("first layers dense").isBetween(1, moe.layers() - 1);
        assertThat(moe.moe().gate()).isEqualTo(GateFunction.SIGMOID);
        assertThat(moe.moe().balancing()).isEqualTo(Balancing.AUX_FREE);
        assertThat(moe.moe().sharedExperts()).isPositive();
        assertThat(moe.moe().routedExperts()).as("fine-grained: many experts").isGreaterThanOrEqualTo(16);
        assertThat(moe.moe().expertHidden()).as("fine-grained: narrow experts").isLessThan(moe.dModel());
        assertThat(dense.moeLayers()).isZero();

        ModelEstimates sparse = ModelEstimates.of(moe);
        ModelEstimates baseline = ModelEstimates.of(dense);
        assertThat(sparse.totalParams()).as("the MoE holds several times more parameters").isGreaterThan(2 * baseline.totalParams());
        double gap = Math.abs(sparse.activeParamsPerToken() - baseline.activeParamsPerToken())
                / (double) baseline.activeParamsPerToken();
        assertThat(gap).as("active parameters differ only by the routers").isLessThan(0.01);
    }
}
