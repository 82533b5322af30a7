package org.r1wb.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Adding stages to a registry: new ids join it, a taken id is refused by name, the original stays as it was. */
class StageRegistryTest {

    @Test
    void plusAddsNewIdsAndRefusesTakenOnes() {
        StageRegistry builtIn = StageRegistry.builtIn();
        Stage normalize = builtIn.find("normalize").orElseThrow();
        Stage renamed = new Renamed(normalize, "plugin.normalize");

        StageRegistry more = builtIn.plus(List.of(renamed));

        assertThat(more.find("plugin.normalize")).containsSame(renamed);
        assertThat(more.all()).hasSize(builtIn.all().size() + 1);
        assertThat(builtIn.find("plugin.normalize")).isEmpty();
        assertThatThrownBy(() -> more.plus(List.of(new Renamed(normalize, "normalize"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'normalize'");
    }

    /** A built-in under another id. */
    private record Renamed(Stage stage, String id) implements Stage {
        @Override
        public int version() {
            return stage.version();
        }

        @Override
        public String description() {
            return stage.description();
        }

        @Override
        public List<Port> inputs() {
            return stage.inputs();
        }

        @Override
        public List<Port> outputs() {
            return stage.outputs();
        }

        @Override
        public List<ParamSpec> params() {
            return stage.params();
        }

        @Override
        public void execute(StageContext context) throws java.io.IOException {
            stage.execute(context);
        }
    }
}
