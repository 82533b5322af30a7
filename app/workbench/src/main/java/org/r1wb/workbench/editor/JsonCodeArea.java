package org.r1wb.workbench.editor;

import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.LineNumberFactory;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A RichTextFX code area for JSON with line numbers and highlighting of keys, strings, numbers and literals.
 * {@link #show(String)} replaces the text without counting as a user edit.
 */
public final class JsonCodeArea extends CodeArea {

    private static final Pattern TOKENS = Pattern.compile(
            "(?<key>\"(?:[^\"\\\\]|\\\\.)*\"(?=\\s*:))|(?<string>\"(?:[^\"\\\\]|\\\\.)*\")"
                    + "|(?<number>-?\\b\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?\\b)|(?<literal>\\b(?:true|false|null)\\b)"
                    + "|(?<brace>[{}\\[\\]])");
    private static final List<String> GROUPS = List.of("key", "string", "number", "literal", "brace");

    private boolean showing;

    public JsonCodeArea() {
        getStyleClass().add("json-area");
        setParagraphGraphicFactory(LineNumberFactory.get(this));
        textProperty().addListener((obs, old, text) -> setStyleSpans(0, highlight(text)));
    }

    /** Replaces the whole text programmatically (a sync from the graph, not a user edit). */
    public void show(String text) {
        if (text.equals(getText())) {
            return;
        }
        showing = true;
        try {
            replaceText(text);
        } finally {
            showing = false;
        }
    }

    /** True while {@link #show(String)} is replacing the text. */
    public boolean isShowing() {
        return showing;
    }

    static StyleSpans<Collection<String>> highlight(String text) {
        StyleSpansBuilder<Collection<String>> spans = new StyleSpansBuilder<>();
        Matcher m = TOKENS.matcher(text);
        int last = 0;
        while (m.find()) {
            String style = GROUPS.stream().filter(g -> m.group(g) != null).findFirst().orElse("plain");
            spans.add(Collections.emptyList(), m.start() - last);
            spans.add(List.of("json-" + style), m.end() - m.start());
            last = m.end();
        }
        spans.add(Collections.emptyList(), text.length() - last);
        return spans.create();
    }
}
