package org.r1wb.workbench;

import javafx.scene.control.Tab;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.resources.SampleWorkspace;
import org.r1wb.views.palette.PaletteEntry;
import org.r1wb.workbench.action.Action;
import org.r1wb.workbench.model.ModelEditor;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Search everywhere on the sample workspace, driven with the keyboard as a user would. */
@ExtendWith(ApplicationExtension.class)
class SearchEverywhereTest {

    @TempDir
    Path ws;

    private WorkbenchWindow window;

    @Start
    void start(Stage stage) throws IOException {
        SampleWorkspace.create(ws);
        window = new WorkbenchWindow(stage);
        window.openWorkspace(ws);
        window.show();
    }

    @Test
    void ctrlShiftAOpensItAndEnterSwitchesTheTheme(FxRobot robot) {
        assertThat(window.palette().isOpen()).isFalse();
        robot.clickOn(window.projectTree());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A).release(KeyCode.A, KeyCode.SHIFT, KeyCode.CONTROL);
        assertThat(window.palette().isOpen()).isTrue();
        assertThat(window.palette().query().isFocused()).isTrue();

        robot.write("dark");
        assertThat(titles()).first().isEqualTo("Theme: Dark");
        robot.type(KeyCode.ENTER);

        assertThat(window.palette().isOpen()).isFalse();
        assertThat(window.theme()).isEqualTo(Theme.DARK);
    }

    @Test
    void ctrlKOpensItTooAndEscCloses(FxRobot robot) {
        robot.clickOn(window.projectTree());
        robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
        assertThat(window.palette().isOpen()).isTrue();
        robot.type(KeyCode.ESCAPE);
        assertThat(window.palette().isOpen()).isFalse();
    }

    @Test
    void doubleShiftOpensIt(FxRobot robot) {
        robot.clickOn(window.projectTree());
        // the two taps must fall within 400 ms; a robot on a loaded machine may be slower, so it may take a few pairs
        for (int pair = 0; pair < 5 && !window.palette().isOpen(); pair++) {
            robot.press(KeyCode.SHIFT).release(KeyCode.SHIFT).press(KeyCode.SHIFT).release(KeyCode.SHIFT);
        }
        assertThat(window.palette().isOpen()).isTrue();
        assertThat(window.palette().query().isFocused()).isTrue();
    }

    @Test
    void everyMenuActionIsListedWithItsShortcut(FxRobot robot) {
        robot.interact(() -> window.palette().open());
        List<PaletteEntry> all = window.palette().results();
        for (Action action : window.actions().all()) {
            if (!action.id().equals("view.search")) {
                assertThat(all).filteredOn(e -> e.category().equals("Action")
                                && e.title().equals(action.label().replace("…", "")))
                        .singleElement().extracting(PaletteEntry::shortcut).isEqualTo(action.shortcutText());
            }
        }
        // the files of the workspace and the settings are there too
        assertThat(all).extracting(PaletteEntry::detail)
                .contains("pipelines/sample.pipeline.json", "models/sample.model.json");
        assertThat(all).extracting(PaletteEntry::category).contains("Setting");
        robot.interact(() -> window.palette().close());
    }

    @Test
    void titleMatchesRankAboveDetailMatchesAndArrowsMove(FxRobot robot) {
        robot.interact(() -> window.palette().open());
        robot.write("eval");
        List<PaletteEntry> results = window.palette().results();
        // the Evaluations action and the Evaluations results entry match in their title; eval files only by path
        assertThat(results.subList(0, 2)).extracting(PaletteEntry::title).containsOnly("Evaluations");
        int lastTitleMatch = lastIndex(results, true);
        int firstPathOnly = results.indexOf(results.stream().filter(e -> !matchesTitle(e, "eval")).findFirst()
                .orElseThrow());
        assertThat(lastTitleMatch).isLessThan(firstPathOnly);
        assertThat(results.size()).isGreaterThan(5);

        assertThat(window.palette().selected()).isSameAs(results.get(0));
        robot.type(KeyCode.DOWN).type(KeyCode.DOWN);
        assertThat(window.palette().selected()).isSameAs(results.get(2));
        robot.type(KeyCode.UP);
        assertThat(window.palette().selected()).isSameAs(results.get(1));
        robot.type(KeyCode.ESCAPE);
    }

    @Test
    void enterOpensTheFileFound(FxRobot robot) {
        robot.interact(() -> window.palette().open());
        robot.write("sample.model");
        assertThat(window.palette().results()).first().extracting(PaletteEntry::detail)
                .isEqualTo("models/sample.model.json");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();

        Tab front = window.editors().getSelectionModel().getSelectedItem();
        assertThat(front.getContent()).isInstanceOf(ModelEditor.class);
        assertThat(front.getText()).isEqualTo("sample.model.json");
    }

    private List<String> titles() {
        return window.palette().results().stream().map(PaletteEntry::title).toList();
    }

    private static int lastIndex(List<PaletteEntry> results, boolean titleMatch) {
        int last = -1;
        for (int i = 0; i < results.size(); i++) {
            if (matchesTitle(results.get(i), "eval") == titleMatch) {
                last = i;
            }
        }
        return last;
    }

    /** An independent check: the query's letters in order in the title. */
    private static boolean matchesTitle(PaletteEntry entry, String query) {
        String title = entry.title().toLowerCase(Locale.ROOT);
        int at = 0;
        for (char c : query.toCharArray()) {
            at = title.indexOf(c, at);
            if (at < 0) {
                return false;
            }
            at++;
        }
        return true;
    }
}
