package org.r1wb.workbench.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.spec.LayerKind;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.SpecValidator;
import org.r1wb.resources.SampleWorkspace;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The layer edits without a window, on the sample model (4 layers, H 4, MHA, the first layer dense). */
class LayerBlocksTest {

    private static ModelSpec sample(Path dir) throws Exception {
        SampleWorkspace.create(dir);
        return ModelSpecs.load(dir.resolve(SampleWorkspace.MODEL));
    }

    @Test
    void rangesAddDuplicateAndRemoveKeepTheOldFieldsWhenTheyCanSayIt(@TempDir Path dir) throws Exception {
        ModelSpec original = sample(dir);
        // layers 0–3 MoE: dense-first still holds, so no list, denseLayers 0
        ModelSpec allMoe = apply(LayerBlocks.place(original, 0, 3, LayerBlocks.Block.ffn(LayerKind.Ffn.MOE)));
        assertThat(allMoe.layerKinds()).isNull();
        assertThat(allMoe.denseLayers()).isZero();

        // MQA on layers 1–3 only: the list appears; MQA on layer 0 too: every layer agrees again, the list goes
        ModelSpec mixed = apply(LayerBlocks.place(allMoe, 1, 3, LayerBlocks.Block.attention(4, 1)));
        assertThat(mixed.layerKinds()).extracting(LayerKind::kvHeads).containsExactly(4, 1, 1, 1);
        assertThat(ModelPresets.denseTwin(mixed).layerKinds()).as("the dense twin keeps each attention")
                .containsExactly(LayerKind.dense(4), LayerKind.dense(1), LayerKind.dense(1), LayerKind.dense(1));
        ModelSpec mqa = apply(LayerBlocks.attention(mixed, 0, 0, 1));
        assertThat(mqa.layerKinds()).isNull();
        assertThat(mqa.kvHeads()).isEqualTo(1);

        ModelSpec five = apply(LayerBlocks.add(mqa));
        assertThat(five.layers()).isEqualTo(5);
        ModelSpec withDense = apply(LayerBlocks.ffn(five, 2, 2, LayerKind.Ffn.DENSE));
        ModelSpec six = apply(LayerBlocks.duplicate(withDense, 2));
        assertThat(LayerBlocks.kinds(six)).extracting(LayerKind::ffn).containsExactly(LayerKind.Ffn.MOE,
                LayerKind.Ffn.MOE, LayerKind.Ffn.DENSE, LayerKind.Ffn.DENSE, LayerKind.Ffn.MOE, LayerKind.Ffn.MOE);
        assertThat(apply(LayerBlocks.remove(six, 3))).isEqualTo(withDense);
    }

    @Test
    void aMoveShiftsTheLayersBetweenAndMovingBackRestoresTheSpec(@TempDir Path dir) throws Exception {
        ModelSpec original = sample(dir);
        ModelSpec gqa = apply(LayerBlocks.attention(original, 3, 3, 2));
        ModelSpec moved = apply(LayerBlocks.move(gqa, 3, 1));
        assertThat(LayerBlocks.kinds(moved)).containsExactly(LayerKind.dense(4), LayerKind.moe(2), LayerKind.moe(4),
                LayerKind.moe(4));
        assertThat(apply(LayerBlocks.move(moved, 1, 3))).isEqualTo(gqa);
        ModelSpec denseLast = apply(LayerBlocks.move(original, 0, 3));
        assertThat(denseLast.layerKinds()).as("a dense layer after MoE ones needs the list").hasSize(4);
        assertThat(SpecValidator.validate(denseLast)).isEmpty();
    }

    @Test
    void refusalsSayWhy(@TempDir Path dir) throws Exception {
        ModelSpec original = sample(dir);
        assertThat(LayerBlocks.attention(original, 0, 0, 3).label())
                .isEqualTo("Layer 0: GQA (3 kv heads): 3 kv heads do not divide 4 query heads");
        assertThat(LayerBlocks.move(original, 2, 2).refused()).isTrue();
        assertThat(LayerBlocks.place(original, 2, 5, LayerBlocks.Block.ffn(LayerKind.Ffn.DENSE)).label())
                .isEqualTo("layers 2–5 are not in 0–3");
        ModelSpec noMoe = new ModelSpec(original.vocabSize(), original.dModel(), 2, 4, 4, 32, 10_000, 64, 1e-5, 0.0,
                true, 2, 64, null);
        assertThat(LayerBlocks.ffn(noMoe, 0, 0, LayerKind.Ffn.MOE).label()).contains("this model has no MoE settings");
        ModelSpec one = apply(LayerBlocks.remove(noMoe, 0));
        assertThat(LayerBlocks.remove(one, 0).label()).isEqualTo("a model needs at least one layer");
    }

    private static ModelSpec apply(LayerBlocks.Change change) {
        assertThat(change.refused()).as(change.label()).isFalse();
        assertThat(SpecValidator.validate(change.spec())).as(change.label()).isEmpty();
        return change.spec();
    }
}
