package org.r1wb.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A fake {@code nvidia-smi} for tests: a GPU wherever its folder is on the PATH. */
public final class FakeNvidiaSmi {

    private FakeNvidiaSmi() {
    }

    /**
     * Writes a stand-in for nvidia-smi into {@code dir} and returns the folder (for a PATH). It answers the
     * telemetry query with one GPU whose utilisation is the number of calls so far, and fails on other arguments.
     */
    public static Path install(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path counter = dir.resolve("calls");
        Path script = dir.resolve("nvidia-smi");
        Files.writeString(script, "#!/bin/sh\n"
                + "case \"$*\" in\n"
                + "  *--query-gpu=index,name,memory.total,compute_cap,*--format=csv,noheader,nounits*) ;;\n"
                + "  *) echo \"unexpected arguments: $*\" >&2; exit 2 ;;\n"
                + "esac\n"
                + "n=$(cat '" + counter + "' 2>/dev/null || echo 0)\n"
                + "n=$((n + 1))\n"
                + "echo \"$n\" > '" + counter + "'\n"
                + "echo \"0, Fake GPU, 81559, 8.0, $n, 2048, 41, 99.5\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}
