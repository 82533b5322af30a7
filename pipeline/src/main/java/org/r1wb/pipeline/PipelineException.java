package org.r1wb.pipeline;

/** A pipeline could not run: bad input data, a failing stage. The message says where (file:line when known). */
public class PipelineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PipelineException(String message) {
        super(message);
    }

    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
