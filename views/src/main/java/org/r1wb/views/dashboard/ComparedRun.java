package org.r1wb.views.dashboard;

import java.util.Objects;

/**
 * Another run drawn over a {@link RunDashboard}'s own, for comparison: its series appear in every chart beside
 * the dashboard's, each with its own colour, named after the run in the legend and the hover read-out.
 *
 * @param name the run's name as the legend shows it (its id, usually)
 * @param data its series
 */
public record ComparedRun(String name, DashboardData data) {

    public ComparedRun {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
    }
}
