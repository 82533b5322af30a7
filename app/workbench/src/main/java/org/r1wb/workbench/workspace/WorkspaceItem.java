package org.r1wb.workbench.workspace;

import java.nio.file.Path;
import java.util.List;

/**
 * One entry of the project tree.
 *
 * @param kind     what it is
 * @param label    the friendly name ("sample" for {@code sample.pipeline.json}, the run id for a run)
 * @param detail   the secondary text shown dimmed: the file name, the count of a group; empty when the label says it all
 * @param path     the file or folder on disk
 * @param children entries below it (groups and the workspace only)
 */
public record WorkspaceItem(ItemKind kind, String label, String detail, Path path, List<WorkspaceItem> children) {

    public WorkspaceItem {
        children = List.copyOf(children);
    }

    /** A leaf entry. */
    public static WorkspaceItem leaf(ItemKind kind, String label, String detail, Path path) {
        return new WorkspaceItem(kind, label, detail, path, List.of());
    }
}
