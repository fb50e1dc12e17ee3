package io.medseg.files;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/**
 * An output that is already there and was not to be replaced. Front ends say how to replace it
 * (the command line names its flag, a dialog its checkbox); the message here names only the file.
 */
public class OutputExistsException extends FileAlreadyExistsException {
    private static final long serialVersionUID = 1L;

    public OutputExistsException(Path file, String reason) {
        super(file.toString(), null, reason);
    }

    public OutputExistsException(Path file) {
        this(file, "exists");
    }
}
