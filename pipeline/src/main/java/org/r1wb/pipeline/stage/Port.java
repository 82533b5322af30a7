package org.r1wb.pipeline.stage;

/**
 * A stage's input or output port.
 *
 * @param name  unique among the stage's inputs (or outputs); edges name it when a stage has several
 * @param type  what flows through it
 * @param many  for inputs: accepts several edges (their values arrive in edge order); otherwise exactly one
 */
public record Port(String name, PortType type, boolean many) {

    /** The conventional name of a stage's only input or output. */
    public static final String MAIN = "main";
}
