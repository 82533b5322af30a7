package org.r1wb.pipeline.clean;

import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in text with placeholders: e-mail addresses, IPv6 and IPv4 addresses, phone numbers.
 * Kinds are scrubbed in that order, so the digits of an address are never mistaken for a phone number. Phone
 * numbers are matched only in unambiguous shapes (an international prefix {@code +CC} or {@code 00CC}, an area
 * code in parentheses, or the North American 3-3-4 grouping), trading some recall for not eating dates, versions
 * and plain numbers. Thread-safe.
 */
public final class PiiScrubber {

    /** A kind of personal data and the placeholder that replaces it. */
    public enum Kind {
        EMAIL("<EMAIL>"),
        IPV6("<IP>"),
        IPV4("<IP>"),
        PHONE("<PHONE>");

        private final String placeholder;

        Kind(String placeholder) {
            this.placeholder = placeholder;
        }

        /** The text that replaces a match. */
        public String placeholder() {
            return placeholder;
        }
    }

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\\.[A-Za-z]{2,24}(?![\\w-])");
    /** Candidates only: hex digits and colons, validated by {@link #isIpv6}. */
    private static final Pattern IPV6_CANDIDATE = Pattern.compile("(?<![\\w:.])[0-9A-Fa-f:]{2,39}+(?![\\w:])");
    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\w.])" + OCTET + "(?:\\." + OCTET + "){3}(?!\\w|\\.\\d)");
    private static final Pattern PHONE = Pattern.compile("(?<![\\w+])(?:"
            + "(?:\\+|00)[1-9]\\d{0,2}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){2,4}"
            + "|\\(\\d{3}\\)[ .-]?\\d{3}[ .-]?\\d{4}"
            + "|\\d{3}[.-]\\d{3}[.-]\\d{4}"
            + "|\\d{3} \\d{3} \\d{4}"
            + ")(?!\\w)");

    /**
     * The scrubbed text and how many of each kind were replaced.
     *
     * @param text   the text with placeholders
     * @param counts replacements by kind (kinds with none are absent)
     */
    public record Result(String text, Map<Kind, Integer> counts) {
    }

    /** Scrubs every kind. */
    public Result scrub(String text) {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        String s = text;
        if (s.indexOf('@') >= 0) {
            s = replace(EMAIL, s, Kind.EMAIL, counts, false);
        }
        if (s.indexOf(':') >= 0) {
            s = replace(IPV6_CANDIDATE, s, Kind.IPV6, counts, true);
        }
        if (s.indexOf('.') >= 0) {
            s = replace(IPV4, s, Kind.IPV4, counts, false);
        }
        if (digits(s) >= 7) {
            s = replace(PHONE, s, Kind.PHONE, counts, false);
        }
        return new Result(s, counts);
    }

    private static String replace(Pattern pattern, String text, Kind kind, Map<Kind, Integer> counts, boolean ipv6) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String found = m.group();
            if ((ipv6 && !isIpv6(found)) || (kind == Kind.PHONE && !plausiblePhone(found))) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start()).append(kind.placeholder());
            last = m.end();
            counts.merge(kind, 1, Integer::sum);
        }
        if (out == null) {
            return text;
        }
        return out.append(text, last, text.length()).toString();
    }

    /** True for the full and {@code ::}-compressed forms of an IPv6 address (at least one hex digit). */
    static boolean isIpv6(String s) {
        int compressed = s.indexOf("::");
        if (compressed >= 0 && s.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        if (compressed < 0) {
            return groups(s) == 8;
        }
        String left = s.substring(0, compressed);
        String right = s.substring(compressed + 2);
        int l = left.isEmpty() ? 0 : groups(left);
        int r = right.isEmpty() ? 0 : groups(right);
        return l >= 0 && r >= 0 && l + r <= 7 && l + r >= 1;
    }

    /** The number of colon-separated groups of 1–4 hex digits, or -1 if any group is malformed. */
    private static int groups(String s) {
        int count = 0;
        int length = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == ':') {
                if (length == 0 || length > 4) {
                    return -1;
                }
                count++;
                length = 0;
            } else {
                length++;
            }
        }
        return count;
    }

    private static boolean plausiblePhone(String s) {
        int d = digits(s);
        return d >= 7 && d <= 15;
    }

    private static int digits(String s) {
        int d = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                d++;
            }
        }
        return d;
    }
}
