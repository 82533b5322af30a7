package org.r1wb.model.eval;

/** The evaluation store cannot be opened, read or written; the message names the file and what to do. */
public final class EvalStoreException extends IllegalStateException {

    public EvalStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public EvalStoreException(String message) {
        super(message);
    }
}
