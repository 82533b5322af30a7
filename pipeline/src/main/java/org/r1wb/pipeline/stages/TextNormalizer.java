package org.r1wb.pipeline.stages;

import java.text.Normalizer;

/**
 * Cleans text: drops control characters (keeping newline and tab) and unpaired surrogates, applies a Unicode
 * normal form, then collapses whitespace runs (a run with line breaks becomes one or two newlines, so paragraphs
 * survive; any other run becomes one space) and trims the ends.
 */
public final class TextNormalizer {

    /** The Unicode normal form to apply, or none. */
    public enum Form {
        NFKC(Normalizer.Form.NFKC),
        NFC(Normalizer.Form.NFC),
        NONE(null);

        private final Normalizer.Form form;

        Form(Normalizer.Form form) {
            this.form = form;
        }
    }

    private final Form form;
    private final boolean collapseWhitespace;

    public TextNormalizer(Form form, boolean collapseWhitespace) {
        this.form = form;
        this.collapseWhitespace = collapseWhitespace;
    }

    /** The cleaned text (possibly empty). */
    public String normalize(String text) {
        String s = stripControl(text);
        if (form.form != null) {
            s = Normalizer.normalize(s, form.form);
        }
        return collapseWhitespace ? collapse(s) : s;
    }

    private static String stripControl(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int type = Character.getType(cp);
            boolean drop = (type == Character.CONTROL && cp != '\n' && cp != '\t') || type == Character.SURROGATE;
            if (!drop) {
                out.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static String collapse(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (!isSpace(cp)) {
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
                continue;
            }
            int newlines = 0;
            while (i < text.length() && isSpace(cp = text.codePointAt(i))) {
                if (cp == '\n') {
                    newlines++;
                }
                i += Character.charCount(cp);
            }
            boolean inside = out.length() > 0 && i < text.length();
            if (inside) {
                out.append(newlines == 0 ? " " : newlines == 1 ? "\n" : "\n\n");
            }
        }
        return out.toString();
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }
}
