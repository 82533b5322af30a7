package org.r1wb.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.export.ModelExport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code r1wb export}: a trained tiny run written as safetensors, int8-quantized, with perplexity before and after. */
class ExportCommandTest {

    private static final Pattern PERPLEXITY = Pattern.compile("checkpoint ([0-9.]+), export ([0-9.]+)");

    @TempDir
    Path ws;

    private final Cli cli = new Cli();

    @Test
    void exportsInt8WithThePerplexityBeforeAndAfterAndRefusesBadInput() throws Exception {
        RunFolder run = TinyRuns.create(ws, "x", 30, 0);
        assertThat(cli.run("train", "--run-dir", run.dir().toString())).as(cli.err.toString()).isZero();
        Path checkpoint = run.checkpoints().resolve("final");
        Path out = ws.resolve("export/x-int8");

        int exit = cli.run("export", checkpoint.toString(), "--out", out.toString(), "--quantize", "int8",
                "--data", ws.resolve(TinyRuns.DATA).toString(), "--windows", "16");
        assertThat(exit).as(cli.err.toString()).isZero();
        assertThat(new ObjectMapper().readTree(out.resolve(ModelExport.CONFIG).toFile()).path("quantization").asText())
                .isEqualTo("int8");
        Matcher figures = PERPLEXITY.matcher(cli.out.toString());
        assertThat(figures.find()).as(cli.out.toString()).isTrue();
        double before = Double.parseDouble(figures.group(1));
        double after = Double.parseDouble(figures.group(2));
        assertThat(Math.abs(after / before - 1)).as(cli.out.toString()).isLessThan(0.01);

        assertThat(cli.run("export", checkpoint.toString(), "--out", out.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.err.toString()).contains("exists already");
        assertThat(cli.run("export", checkpoint.toString(), "--out", ws.resolve("export/fp8").toString(), "--quantize", "fp8"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.err.toString()).contains("use int8, q4 or q4:<group>");
        // the tiny model's experts have 16 hidden units: groups of 32 do not fit, and nothing is left behind
        Path q4 = ws.resolve("export/q4");
        assertThat(cli.run("export", checkpoint.toString(), "--out", q4.toString(), "--quantize", "q4:32"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.err.toString()).contains("choose a group size that divides it");
        try (var left = Files.list(ws.resolve("export"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("x-int8");
        }
    }
}
