package org.r1wb.agent.remote;

/**
 * A run on a node, as the workbench remembers it to re-attach: the node, the agent folder there (absolute), the
 * distribution that runs it, and the run id. Holds no secret.
 *
 * @param node      the node's spec
 * @param home      the node's agent folder, absolute
 * @param dist      the distribution folder on the node, absolute
 * @param runId     the run's id (its folder under {@code home/workspace/runs/})
 */
public record RemoteRun(NodeSpec node, String home, String dist, String runId) {

    /** The node-side workspace. */
    public String workspace() {
        return home + "/" + RemoteNode.WORKSPACE;
    }

    /** The node-side run folder. */
    public String runDir() {
        return workspace() + "/runs/" + runId;
    }
}
