package org.r1wb.workbench.inspect;

import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.r1wb.views.dashboard.ComparedRun;
import org.r1wb.workbench.run.JournalReader;
import org.r1wb.workbench.run.JournalTail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The other runs drawn over one run's dashboard. Each run compared gets its own {@link InspectionModel}, fed by a
 * {@link JournalTail} from the start of its journal: read off the FX thread, then followed live while the run goes,
 * so a local run and a mirrored remote run compare alike. Call on the FX thread.
 */
public final class RunComparison implements AutoCloseable {

    private static final String JOURNAL = "events.jsonl";

    private final Path runDir;
    private final Duration period;
    private final Executor fxThread;
    private final ObservableList<ComparedRun> runs = FXCollections.observableArrayList();
    private final Map<Path, Followed> followed = new LinkedHashMap<>();

    /**
     * @param runDir   the run whose dashboard shows the comparison; its sibling run folders are the candidates
     * @param period   how often a compared journal is polled
     * @param fxThread where journal batches are applied: {@code Platform::runLater} in the workbench
     */
    public RunComparison(Path runDir, Duration period, Executor fxThread) {
        this.runDir = runDir;
        this.period = period;
        this.fxThread = fxThread;
    }

    /** A comparison polling like the run's own journal, applying on the FX thread. */
    public RunComparison(Path runDir, Duration period) {
        this(runDir, period, Platform::runLater);
    }

    /** The name of the run compared against (its folder name). */
    public String runName() {
        return runDir.getFileName().toString();
    }

    /** The runs compared, in the order added. */
    public ObservableList<ComparedRun> runs() {
        return runs;
    }

    /** The other run folders beside this run that hold a journal, by name. */
    public List<Path> candidates() throws IOException {
        Path parent = runDir.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return List.of();
        }
        Path self = runDir.toAbsolutePath().normalize();
        try (Stream<Path> dirs = Files.list(parent)) {
            return dirs.filter(dir -> !dir.normalize().equals(self) && Files.isRegularFile(dir.resolve(JOURNAL)))
                    .sorted().toList();
        }
    }

    /** Whether {@code otherRunDir} is compared now. */
    public boolean isCompared(Path otherRunDir) {
        return followed.containsKey(key(otherRunDir));
    }

    /** Draws {@code otherRunDir} over the dashboard: its series fill in as its journal is read. */
    public void add(Path otherRunDir) {
        Path key = key(otherRunDir);
        if (followed.containsKey(key)) {
            return;
        }
        InspectionModel model = new InspectionModel();
        ComparedRun run = new ComparedRun(key.getFileName().toString(), model.dashboard());
        JournalTail tail = JournalTail.start(new JournalReader(key.resolve(JOURNAL)), period, fxThread,
                batch -> model.apply(batch.events()));
        followed.put(key, new Followed(run, tail));
        runs.add(run);
    }

    /** Stops drawing {@code otherRunDir}. */
    public void remove(Path otherRunDir) {
        Followed gone = followed.remove(key(otherRunDir));
        if (gone != null) {
            gone.tail().close();
            runs.remove(gone.run());
        }
    }

    /** Stops following every compared run; call when the run's tab closes. */
    @Override
    public void close() {
        followed.values().forEach(f -> f.tail().close());
        followed.clear();
        runs.clear();
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }

    /** A compared run and the tail feeding it. */
    private record Followed(ComparedRun run, JournalTail tail) {
    }
}
