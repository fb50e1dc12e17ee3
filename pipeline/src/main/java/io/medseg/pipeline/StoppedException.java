package io.medseg.pipeline;

/** Work stopped because the user asked; every output finished before that is complete and kept. */
public class StoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoppedException(String what) {
        super(what);
    }
}
