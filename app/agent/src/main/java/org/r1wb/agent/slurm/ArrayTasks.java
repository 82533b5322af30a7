package org.r1wb.agent.slurm;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the tasks of a Slurm array job stand, counted by state from {@code scontrol show job}: one record per task
 * that has started, and one for the tasks still pending together ({@code ArrayTaskId=3-7%2}).
 *
 * @param byState how many tasks are in each state; tasks no tool remembers are missing
 */
public record ArrayTasks(Map<JobState, Integer> byState) {

    private static final Pattern RECORD = Pattern.compile("ArrayTaskId=(\\S+)[\\s\\S]*?JobState=([A-Z_]+)");

    public ArrayTasks {
        EnumMap<JobState, Integer> copy = new EnumMap<>(JobState.class);
        copy.putAll(byState);
        byState = Collections.unmodifiableMap(copy);
    }

    /** Counts the task records of {@code scontrol show job ARRAY_ID}'s output; no record gives no tasks. */
    public static ArrayTasks parse(String scontrol) {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        for (String block : scontrol.split("\\n\\s*\\n")) {
            Matcher task = RECORD.matcher(block);
            if (task.find()) {
                counts.merge(JobState.parse(task.group(2)), size(task.group(1)), Integer::sum);
            }
        }
        return new ArrayTasks(counts);
    }

    /** How many tasks are in {@code state}. */
    public int count(JobState state) {
        return byState.getOrDefault(state, 0);
    }

    /** Tasks that ended well. */
    public int completed() {
        return count(JobState.COMPLETED);
    }

    /** Tasks that ended without success (failed, cancelled, out of time or memory, lost node …). */
    public int failed() {
        return byState.entrySet().stream().filter(e -> e.getKey().isFinal() && e.getKey() != JobState.COMPLETED
                && e.getKey() != JobState.UNKNOWN).mapToInt(Map.Entry::getValue).sum();
    }

    /** Tasks running now. */
    public int running() {
        return count(JobState.RUNNING) + count(JobState.COMPLETING);
    }

    /** The number of tasks an {@code ArrayTaskId} names: {@code 4}, {@code 1-3}, {@code 0,2-5}, {@code 1-9:2}, {@code 3-7%2}. */
    static int size(String ids) {
        int n = 0;
        for (String part : ids.split("%", 2)[0].split(",")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                n++;
                continue;
            }
            String[] endAndStep = part.substring(dash + 1).split(":", 2);
            int step = endAndStep.length > 1 ? Integer.parseInt(endAndStep[1]) : 1;
            n += (Integer.parseInt(endAndStep[0]) - Integer.parseInt(part.substring(0, dash))) / step + 1;
        }
        return n;
    }
}
