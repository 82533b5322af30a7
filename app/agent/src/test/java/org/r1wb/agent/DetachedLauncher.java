package org.r1wb.agent;

import java.nio.file.Path;
import java.util.List;

/** A stand-in for the workbench in tests: starts a run detached, then stays up until it is killed. */
public final class DetachedLauncher {

    private DetachedLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Process trainer = new LocalRunLauncher(List.of("-Xmx512m")).startDetached(new RunFolder(Path.of(args[0])));
        System.out.println("trainer " + trainer.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
