package io.medseg.nnunet;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint or model folder that cannot be used, in one line that names the file. */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
