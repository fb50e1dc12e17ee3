package io.medseg.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read as asked, with the file and the problem in the message. */
public final class ImageFileException extends IOException {
    private final transient Path file;

    public ImageFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ImageFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
