package org.r1wb.model.run;

import java.util.Map;

/** Where engines report what happens in a run; the journal is the usual implementation. */
@FunctionalInterface
public interface EventSink {

    /** Records one event of the given type with its payload fields. */
    void emit(String type, Map<String, ?> fields);

    /** A sink that drops everything, for tests and probes that don't need a journal. */
    EventSink NONE = (type, fields) -> { };
}
