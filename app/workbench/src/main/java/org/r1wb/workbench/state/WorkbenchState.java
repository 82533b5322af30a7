package org.r1wb.workbench.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.ArrayList;
import java.util.List;

/**
 * What the workbench remembers between starts. Fields missing from an older file read as their defaults.
 *
 * @param recentWorkspaces    workspace folders opened, most recent first
 * @param window              the main window's bounds; {@code null} for the default size, centred
 * @param projectDivider      the project tree's share of the window width
 * @param propertiesDivider   where the Properties window starts, as a share of the width
 * @param toolWindowsDivider  where the bottom tool windows start, as a share of the editor area's height
 * @param propertiesCollapsed whether the Properties window is hidden
 * @param toolWindowsCollapsed whether the bottom tool windows are hidden
 * @param theme               the theme's name ({@code LIGHT}, {@code DARK})
 * @param openFiles           the files open in editor tabs of {@link #lastWorkspace()}, in tab order
 * @param selectedFile        the tab in front; {@code null} for none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkbenchState(List<String> recentWorkspaces, WindowBounds window, Double projectDivider,
                             Double propertiesDivider, Double toolWindowsDivider, Boolean propertiesCollapsed,
                             Boolean toolWindowsCollapsed, String theme, List<String> openFiles,
                             String selectedFile) {

    /** Recent workspaces kept. */
    public static final int MAX_RECENT = 10;

    public WorkbenchState {
        recentWorkspaces = recentWorkspaces == null ? List.of() : List.copyOf(recentWorkspaces);
        projectDivider = projectDivider == null ? 0.21 : projectDivider;
        propertiesDivider = propertiesDivider == null ? 0.8 : propertiesDivider;
        toolWindowsDivider = toolWindowsDivider == null ? 0.78 : toolWindowsDivider;
        propertiesCollapsed = propertiesCollapsed != null && propertiesCollapsed;
        toolWindowsCollapsed = toolWindowsCollapsed != null && toolWindowsCollapsed;
        theme = theme == null ? "LIGHT" : theme;
        openFiles = openFiles == null ? List.of() : List.copyOf(openFiles);
    }

    /** A first start: nothing recent, default layout, light theme. */
    public static WorkbenchState defaults() {
        return new WorkbenchState(null, null, null, null, null, null, null, null, null, null);
    }

    /** The workspace the open files belong to: the most recent one. */
    public String lastWorkspace() {
        return recentWorkspaces.isEmpty() ? null : recentWorkspaces.get(0);
    }

    /** This state with {@code workspace} moved to the front of the recent list. */
    public WorkbenchState withRecent(String workspace) {
        List<String> recent = new ArrayList<>(recentWorkspaces);
        recent.remove(workspace);
        recent.add(0, workspace);
        return new WorkbenchState(recent.subList(0, Math.min(MAX_RECENT, recent.size())), window, projectDivider,
                propertiesDivider, toolWindowsDivider, propertiesCollapsed, toolWindowsCollapsed, theme, openFiles,
                selectedFile);
    }

    /**
     * The main window's position and size.
     *
     * @param maximized when true the other values are the bounds to return to when un-maximized
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WindowBounds(double x, double y, double width, double height, boolean maximized) {
    }
}
