package io.medseg.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read as asked, with the file and the problem in the message: the one error
 * type of the readers. The message is always one line; control characters that a file's bytes put
 * into a problem (a VR, a magic string) are written as {@code \xNN}.
 */
public final class ImageFileException extends IOException {
    private final transient Path file;
    private final String problem;

    public ImageFileException(Path file, String problem) {
        super(oneLine(String.valueOf(file)) + ": " + oneLine(problem));
        this.file = file;
        this.problem = oneLine(problem);
    }

    public ImageFileException(Path file, String problem, Throwable cause) {
        super(oneLine(String.valueOf(file)) + ": " + oneLine(problem), cause);
        this.file = file;
        this.problem = oneLine(problem);
    }

    /** What is wrong, without the file: for outputs that must not depend on how a folder was named. */
    public String problem() {
        return problem;
    }

    static String oneLine(String problem) {
        if (problem == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(problem.length());
        for (int i = 0; i < problem.length(); i++) {
            char c = problem.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                b.append(String.format("\\x%02X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    public Path file() {
        return file;
    }
}
