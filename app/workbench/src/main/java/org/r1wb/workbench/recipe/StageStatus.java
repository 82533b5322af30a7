package org.r1wb.workbench.recipe;

/**
 * Where a recipe stage stands, as its run folder and the recipe's journal tell it.
 *
 * @param state   what became of it
 * @param step    the last optimizer step it reached (0 when none, or when the kind does not train)
 * @param steps   its steps ({@code 0} for kinds without steps)
 * @param message one line for people: the run's last word on the stage, or empty
 */
public record StageStatus(State state, int step, int steps, String message) {

    /** What became of a stage. */
    public enum State {
        /** Nothing in its run folder. */
        NOT_RUN("not run"),
        /** The agent is running it now. */
        RUNNING("running"),
        /** Stopped before its last step (cancelled or killed); a run resumes it. */
        STOPPED("stopped"),
        /** Its final checkpoint (or export, or sample set) is written. */
        FINISHED("finished"),
        /** The last run of it failed; {@link StageStatus#message()} says why. */
        FAILED("failed");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** The word the node shows. */
        public String label() {
            return label;
        }
    }

    /** A stage with nothing in its run folder. */
    public static StageStatus notRun(int steps) {
        return new StageStatus(State.NOT_RUN, 0, steps, "");
    }

    /** The node's status line: "finished · 20 / 20", "running · 7 / 20", "not run". */
    public String line() {
        if (steps <= 0 || state == State.NOT_RUN || state == State.FAILED && step == 0) {
            return state.label();
        }
        return state.label() + " · " + step + " / " + steps;
    }

    /** The fraction of steps done, in [0, 1]; 1 for a finished stage of any kind. */
    public double progress() {
        if (state == State.FINISHED) {
            return 1;
        }
        return steps <= 0 ? 0 : Math.min(1, (double) step / steps);
    }
}
