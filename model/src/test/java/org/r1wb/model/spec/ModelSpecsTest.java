package org.r1wb.model.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSpecsTest {

    static Path sample() throws Exception {
        return Paths.get(ModelSpecsTest.class.getResource("/presets/sample.model.json").toURI());
    }

    @Test
    void readsTheSamplePresetAndWritesItBackUnchanged(@TempDir Path dir) throws Exception {
        ModelSpec spec = ModelSpecs.load(sample());
        assertThat(spec.dModel()).isEqualTo(128);
        assertThat(spec.moe().gate()).isEqualTo(GateFunction.SOFTMAX);
        assertThat(spec.moe().balancing()).isEqualTo(Balancing.AUX_FREE);
        assertThat(SpecValidator.validate(spec)).isEmpty();

        Path copy = dir.resolve("copy.model.json");
        ModelSpecs.save(spec, copy);
        assertThat(ModelSpecs.load(copy)).isEqualTo(spec);
        assertThat(Files.readString(copy)).contains("\"routedExperts\"").contains("\"tiedEmbeddings\"");
    }

    @Test
    void malformedFileNamesPathAndLine(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.model.json");
        Files.writeString(bad, "{\n  \"vocabSize\": 512,\n  \"dModel\": oops\n}\n");
        assertThatThrownBy(() -> ModelSpecs.load(bad))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(bad + ":3:");
    }
}
