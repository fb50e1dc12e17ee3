package io.medseg.core.train;

/** The loss left the range a network learns in (NaN, infinite or exploding); the message says where and what helps. */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    TrainingDivergedException(String message) {
        super(message);
    }
}
