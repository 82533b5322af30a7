package org.r1wb.agent;

import picocli.CommandLine.Command;

/** {@code r1wb remote …}: runs on remote nodes over SSH, directly or through a Slurm cluster's login node. */
@Command(name = "remote", description = "Start, follow and cancel runs on remote nodes and Slurm clusters over SSH; evaluate there.",
        subcommands = {RemoteStartCommand.class, RemoteFollowCommand.class, RemoteCancelCommand.class, RemotePipelineCommand.class,
                RemoteEvalCommand.class})
public final class RemoteCommand {
}
