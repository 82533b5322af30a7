package org.r1wb.model.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a run's event journal: {@code {"v":1,"seq":N,"run":"…","t":epoch_ms,"type":"…",...}}.
 *
 * <p>The envelope ({@code v, seq, run, t, type}) is fixed; everything else is the event's payload and
 * lives flat beside it on the wire, in {@link #fields()} here. See {@code docs/EVENTS.md}.
 */
public record RunEvent(int v, long seq, String run, long t, String type, Map<String, Object> fields) {

    /** The journal format version written by this build. */
    public static final int VERSION = 1;

    public RunEvent {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The payload value as a number, or {@code NaN} when absent or not numeric. */
    public double number(String key) {
        Object value = fields.get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The payload value as a string, or {@code null} when absent. */
    public String text(String key) {
        Object value = fields.get(key);
        return value == null ? null : value.toString();
    }
}
