package io.medseg.io.dicomweb;

import java.io.IOException;

/** A DICOMweb request that failed: one line naming the address (without credentials) and the problem. */
public final class DicomWebException extends IOException {
    private final int status;

    public DicomWebException(String message, int status) {
        super(message);
        this.status = status;
    }

    public DicomWebException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** The HTTP status, or -1 when there was no answer. */
    public int status() {
        return status;
    }
}
