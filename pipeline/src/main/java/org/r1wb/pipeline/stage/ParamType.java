package org.r1wb.pipeline.stage;

/** The kinds of stage parameter values (a property editor picks its widget from this). */
public enum ParamType {
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    /** One of {@link ParamSpec#choices()}. */
    CHOICE,
    /** A list of strings. */
    STRING_LIST,
    /** A file or folder, relative to the workspace root unless absolute. */
    PATH
}
