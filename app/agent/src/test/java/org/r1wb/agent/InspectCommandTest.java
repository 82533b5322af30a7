package org.r1wb.agent;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.pipeline.shards.TokenShards;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code r1wb inspect} on a tiny run trained here: probe events in the journal, headless figures, clear errors. */
class InspectCommandTest {

    private static final String PROBE = "The router sends each token to two experts.";

    @TempDir
    static Path ws;
    private static RunFolder run;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void trainATinyRun() throws IOException {
        run = TinyRuns.create(ws, "r-inspect", 8, 4);
        CommandLine line = R1wbCommand.commandLine();
        StringWriter log = new StringWriter();
        line.setOut(new PrintWriter(log, true));
        line.setErr(new PrintWriter(log, true));
        assertThat(line.execute("train", "--device-every", "0", "--run-dir", run.dir().toString())).as(log.toString()).isZero();
    }

    private int inspect(String... args) {
        CommandLine line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 3];
        all[0] = "inspect";
        all[1] = "-w";
        all[2] = ws.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return line.execute(all);
    }

    @Test
    void aProbeAppendsOneAttentionEventPerLayerAndHeadAndOneTokenRoutingPerMoeLayer() throws IOException {
        ModelSpec model = TinyRuns.spec("r-inspect", 8, 4).model();
        int tokens = TokenShards.open(ws.resolve(TinyRuns.DATA)).tokenizer().encode(PROBE).length;
        long before = EventJournal.read(run.events()).size();

        assertThat(inspect("r-inspect", "--probe", PROBE, "--checkpoint", "step-4")).as(err.toString()).isZero();

        List<RunEvent> added = EventJournal.read(run.events()).stream().skip(before).toList();
        List<RunEvent> attention = added.stream().filter(e -> e.type().equals("attention")).toList();
        List<RunEvent> routing = added.stream().filter(e -> e.type().equals("routing_tokens")).toList();
        assertThat(attention).hasSize(model.layers() * model.heads());
        assertThat(routing).hasSize(model.moeLayers());
        assertThat(added).hasSize(attention.size() + routing.size());
        for (RunEvent event : added) {
            assertThat(event.number("step")).isEqualTo(4);
            assertThat((List<?>) event.fields().get("tokens")).hasSize(tokens);
        }
        for (RunEvent event : attention) {
            double[][] weights = EventValues.rows(event, "weights");
            assertThat(weights).hasNumberOfRows(tokens);
            for (int q = 0; q < tokens; q++) {
                assertThat(weights[q]).as("causal row %d has keys 0..%d", q, q).hasSize(q + 1);
                assertThat(sum(weights[q])).isCloseTo(1.0, within(1e-5));
            }
        }
        RunEvent gates = routing.get(0);
        assertThat(gates.number("layer")).isEqualTo(1);
        double[][] weights = EventValues.rows(gates, "weights");
        int[][] chosen = EventValues.intMatrix(gates, "chosen");
        assertThat(weights).hasNumberOfRows(tokens);
        assertThat(chosen).hasNumberOfRows(tokens);
        for (int t = 0; t < tokens; t++) {
            assertThat(weights[t]).hasSize(model.moe().routedExperts());
            assertThat(sum(weights[t])).isCloseTo(1.0, within(1e-5));
            assertThat(chosen[t]).hasSize(model.moe().topK()).doesNotHaveDuplicates();
            for (int e : chosen[t]) {
                assertThat(e).isBetween(0, model.moe().routedExperts() - 1);
            }
        }
    }

    @Test
    void figuresAreWrittenHeadlessWithTheirSizeAndDifferPerLayer() throws IOException {
        assertThat(inspect("r-inspect", "--probe", PROBE)).as(err.toString()).isZero();
        Path routing = ws.resolve("figures/routing.png");
        Path layer0 = ws.resolve("figures/attention-0.png");
        Path layer1 = ws.resolve("figures/attention-1.png");

        assertThat(inspect("r-inspect", "--png", routing.toString(), "--routing", "--layer", "1")).as(err.toString()).isZero();
        assertThat(inspect("r-inspect", "--png", layer0.toString(), "--attention", "--layer", "0")).as(err.toString()).isZero();
        assertThat(inspect("r-inspect", "--png", layer1.toString(), "--attention", "--layer", "1")).as(err.toString()).isZero();

        BufferedImage routingImage = ImageIO.read(routing.toFile());
        assertThat(routingImage.getWidth()).isEqualTo(1200);
        assertThat(routingImage.getHeight()).isEqualTo(600);
        BufferedImage first = ImageIO.read(layer0.toFile());
        BufferedImage second = ImageIO.read(layer1.toFile());
        // 4 heads in one row of 320-px panels, 20-px margins, a 50-px title band (docs/INSPECT.md)
        assertThat(first.getWidth()).isEqualTo(2 * 20 + 4 * 320);
        assertThat(first.getHeight()).isEqualTo(50 + 320 + 20);
        assertThat(second.getWidth()).isEqualTo(first.getWidth());
        assertThat(differingPixels(first, second)).as("layers 0 and 1 attend differently").isGreaterThan(1000);
        assertThat(distinctColours(routingImage)).as("the heatmaps hold more than a few colours").isGreaterThan(20);
    }

    @Test
    void whileATrainerHoldsTheRunTheEventsGoToProbesJsonl() throws IOException {
        long before = EventJournal.read(run.events()).size();
        Optional<RunLock> lock = RunLock.tryAcquire(run);
        assertThat(lock).isPresent();
        try (RunLock held = lock.get()) {
            assertThat(inspect("r-inspect", "--probe", PROBE)).as(err.toString()).isZero();
        }
        assertThat(err.toString()).contains(InspectCommand.PROBES).contains("trainer holds the run");
        assertThat(EventJournal.read(run.events())).as("the journal stays the trainer's").hasSize((int) before);
        List<RunEvent> probes = EventJournal.read(run.dir().resolve(InspectCommand.PROBES));
        assertThat(probes).extracting(RunEvent::type).contains("attention", "routing_tokens");
        Files.delete(run.dir().resolve(InspectCommand.PROBES));
    }

    @Test
    void badInputIsNamedWithWhatWouldBeValid() throws IOException {
        assertThat(inspect("r-inspect", "--probe", "  ")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("probe text is empty");

        assertThat(inspect("r-inspect", "--png", ws.resolve("x.png").toString(), "--attention", "--layer", "5"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("layer 5 is out of range").contains("0–1");

        assertThat(inspect("r-inspect", "--png", ws.resolve("x.png").toString(), "--routing", "--layer", "0"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("layer 0 is a dense layer").contains("MoE layers are 1–1");

        assertThat(inspect("r-inspect", "--probe", PROBE.repeat(8))).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("it must have between 1 and 32");

        assertThat(inspect("r-inspect", "--probe", PROBE, "--checkpoint", "step-999")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("no checkpoint 'step-999'").contains("step-4");

        TinyRuns.create(ws, "r-untrained", 8, 4);
        assertThat(inspect("r-untrained", "--probe", PROBE)).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("has no checkpoint yet");
        assertThat(inspect("r-untrained", "--png", ws.resolve("x.png").toString(), "--attention"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("no attention capture for layer 0").contains("--probe");
        assertThat(ws.resolve("x.png")).doesNotExist();
        assertThat(err.toString()).doesNotContain("Exception");
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }

    private static int differingPixels(BufferedImage a, BufferedImage b) {
        int count = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static long distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
