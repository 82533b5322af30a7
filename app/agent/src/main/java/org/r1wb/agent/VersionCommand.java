package org.r1wb.agent;

import org.r1wb.gpu.EngineChoice;
import org.r1wb.gpu.EngineSelector;
import org.r1wb.gpu.NodeFacts;
import org.r1wb.plugins.api.SpiVersion;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code r1wb version}: this build, the plugin SPI it offers, the JVM, and the compute it found and the engine it would train with. */
@Command(name = "version", description = "Print versions and the compute this machine offers.")
public final class VersionCommand extends BaseCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        out().println("r1wb " + R1wbCommand.version());
        out().println("plugin SPI " + SpiVersion.CURRENT);
        out().println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        NodeFacts facts = NodeFacts.probeLocal();
        out().println("compute " + facts.devices().summary());
        EngineChoice engine = EngineSelector.forThisBuild().choose(facts);
        out().println("engine  " + engine.engine() + ": " + engine.reason());
        return ExitCodes.OK;
    }
}
