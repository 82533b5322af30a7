package org.r1wb.model.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.pipeline.PipelineListener;
import org.r1wb.pipeline.PipelineResult;
import org.r1wb.pipeline.PipelineRunner;
import org.r1wb.pipeline.shards.TokenShards;
import org.r1wb.pipeline.shards.TokenSplit;
import org.r1wb.resources.SampleWorkspace;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample model on the sample corpus (the sample workspace through its pipeline): in a bounded number of steps
 * the validation loss falls below half the unigram cross-entropy of the validation split, the best any model
 * that ignores context can reach. Beating it by a wide margin means the model uses the context.
 */
class SampleCorpusTest {

    private static final int STEPS = 150;

    @Test
    void validationLossFallsWellBelowTheUnigramBound(@TempDir Path dir) throws Exception {
        Path workspace = SampleWorkspace.create(dir.resolve("ws"));
        PipelineResult data = new PipelineRunner().run(workspace, workspace.resolve(SampleWorkspace.PIPELINE),
                PipelineListener.NONE, () -> false);
        TokenShards shards = TokenShards.open(data.outputDir());
        TokenSource train = source(shards.split("train"), shards.vocabSize());
        TokenSource val = source(shards.split("val"), shards.vocabSize());
        double unigram = unigramCrossEntropy(shards.split("train"), shards.split("val"), shards.vocabSize());

        ModelSpec model = ModelSpecs.load(workspace.resolve(SampleWorkspace.MODEL));
        RunSpec spec = new RunSpec("sample", model, new DataRef("data", data.digest()), null,
                new OptimizerSpec(3e-3, 3e-4, 0.1, 0, 0, 15, 1.0), STEPS, 8, 64, 1, 0, 4, 0, 0, null);
        TrainResult result = new Trainer().train(spec, train, val, dir.resolve("run"), EventSink.NONE, () -> false);
        System.out.printf("sample corpus: unigram bound %.3f nats, val loss %.3f after %d steps (%.0f tokens/s)%n",
                unigram, result.finalValLoss(), result.steps(), result.tokensPerSecond());

        assertThat(result.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(result.initialLoss()).as("starts near uniform").isGreaterThan(Math.log(model.vocabSize()) - 0.5);
        assertThat(result.finalValLoss()).as("val loss vs the unigram bound %.3f", unigram).isLessThan(0.5 * unigram);
    }

    /** Cross-entropy (nats) of the validation tokens under the training split's add-one-smoothed unigram frequencies. */
    private static double unigramCrossEntropy(TokenSplit train, TokenSplit val, int vocab) {
        double[] counts = new double[vocab];
        java.util.Arrays.fill(counts, 1);
        for (long i = 0; i < train.length(); i++) {
            counts[train.get(i)]++;
        }
        double total = train.length() + vocab;
        double sum = 0;
        for (long i = 0; i < val.length(); i++) {
            sum -= Math.log(counts[val.get(i)] / total);
        }
        return sum / val.length();
    }

    private static TokenSource source(TokenSplit split, int vocab) {
        return new TokenSource() {
            @Override
            public long length() {
                return split.length();
            }

            @Override
            public void read(long offset, int[] dst) {
                split.read(offset, dst);
            }

            @Override
            public int vocabSize() {
                return vocab;
            }
        };
    }
}
