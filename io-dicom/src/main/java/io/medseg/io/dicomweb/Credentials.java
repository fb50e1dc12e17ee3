package io.medseg.io.dicomweb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * HTTP basic credentials for a DICOMweb service, from an environment variable or a file the user
 * names ({@code USER:PASSWORD} on its first line), never from the command line; {@link #toString}
 * and every message name only the user.
 */
public final class Credentials {
    /** The environment variable holding {@code USER:PASSWORD}. */
    public static final String ENVIRONMENT = "MEDSEG_DICOMWEB_CREDENTIALS";

    private final String user;
    private final String password;

    private Credentials(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /**
     * The credentials in {@code file} when given, else in {@link #ENVIRONMENT}, else none (null).
     *
     * @throws IllegalArgumentException naming the file or variable (not its content) when it is not USER:PASSWORD
     */
    public static Credentials find(Path file, String environmentValue) throws IOException {
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": no such credentials file");
            }
            String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            return parse(first, file.toString());
        }
        if (environmentValue != null && !environmentValue.isBlank()) {
            return parse(environmentValue, "$" + ENVIRONMENT);
        }
        return null;
    }

    private static Credentials parse(String text, String where) {
        String line = text.strip();
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(where + ": expected USER:PASSWORD");
        }
        return new Credentials(line.substring(0, colon), line.substring(colon + 1));
    }

    String header() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public String user() {
        return user;
    }

    @Override
    public String toString() {
        return "user " + user;
    }
}
