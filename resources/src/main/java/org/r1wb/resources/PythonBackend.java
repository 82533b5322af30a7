package org.r1wb.resources;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sources of the PyTorch backend ({@code r1wb_torch}), shipped in this jar so that an agent can put them on a
 * node: a Slurm job runs {@code torchrun -m r1wb_torch.train} with their folder on {@code PYTHONPATH}.
 */
public final class PythonBackend {

    /** The package's name, the folder its files go in. */
    public static final String PACKAGE = "r1wb_torch";

    /** Every file of the package (a test checks this list against the source folder). */
    public static final List<String> FILES = List.of("__init__.py", "estimate.py", "journal.py", "model.py",
            "optim.py", "safetensors_io.py", "sampler.py", "shards.py", "spec.py", "train.py", "weights.py");

    private static final String ROOT = "/org/r1wb/resources/python/" + PACKAGE + "/";

    private PythonBackend() {
    }

    /** Each file's bytes by name, in {@link #FILES} order. */
    public static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : FILES) {
            try (InputStream in = PythonBackend.class.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new IllegalStateException(ROOT + name + " is missing from the resources jar");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
