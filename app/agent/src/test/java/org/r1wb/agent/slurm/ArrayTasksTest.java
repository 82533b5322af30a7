package org.r1wb.agent.slurm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Counting an array job's tasks from {@code scontrol show job}: started tasks one record each, pending ones folded. */
class ArrayTasksTest {

    /** The shape slurm-wlm 22/23 prints: one block per started task, the pending rest as one block with a range. */
    private static final String SHOWN = """
            JobId=41 ArrayJobId=40 ArrayTaskId=0 JobName=r1wb-pipe-dedup
               UserId=root(0) GroupId=root(0) MCS_label=N/A
               Priority=4294901757 Nice=0 Account=(null) QOS=(null)
               JobState=COMPLETED Reason=None Dependency=(null)
               Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0

            JobId=42 ArrayJobId=40 ArrayTaskId=1 JobName=r1wb-pipe-dedup
               UserId=root(0) GroupId=root(0) MCS_label=N/A
               JobState=FAILED Reason=NonZeroExitCode Dependency=(null)

            JobId=43 ArrayJobId=40 ArrayTaskId=2 JobName=r1wb-pipe-dedup
               JobState=RUNNING Reason=None Dependency=(null)

            JobId=40 ArrayJobId=40 ArrayTaskId=3-6,9%2 JobName=r1wb-pipe-dedup
               JobState=PENDING Reason=JobArrayTaskLimit Dependency=(null)
            """;

    @Test
    void countsEveryTaskByItsState() {
        ArrayTasks tasks = ArrayTasks.parse(SHOWN);
        assertThat(tasks.completed()).isEqualTo(1);
        assertThat(tasks.failed()).isEqualTo(1);
        assertThat(tasks.running()).isEqualTo(1);
        assertThat(tasks.count(JobState.PENDING)).as("3-6 and 9, with a %%2 limit that is not a task count").isEqualTo(5);
    }

    @Test
    void aForgottenJobHasNoTasks() {
        ArrayTasks tasks = ArrayTasks.parse("");
        assertThat(tasks.byState()).isEmpty();
        assertThat(tasks.completed() + tasks.failed() + tasks.running()).isZero();
    }

    @Test
    void taskIdRangesAreSized() {
        assertThat(ArrayTasks.size("7")).isEqualTo(1);
        assertThat(ArrayTasks.size("0-2")).isEqualTo(3);
        assertThat(ArrayTasks.size("0,2-5")).isEqualTo(5);
        assertThat(ArrayTasks.size("1-9:2")).as("1, 3, 5, 7, 9").isEqualTo(5);
    }
}
