package io.medseg.workbench;

import io.medseg.io.dicomweb.Credentials;
import io.medseg.io.dicomweb.DicomWebAddress;
import io.medseg.io.dicomweb.DicomWebClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --credentials} and {@code --timeout}, shared by the commands that talk to a DICOMweb server. */
final class DicomWebOptions {
    @Option(names = "--credentials", paramLabel = "FILE", description = "file holding USER:PASSWORD for the DICOMweb "
            + "server (default: the environment variable MEDSEG_DICOMWEB_CREDENTIALS); never printed")
    Path credentialsFile;
    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS", description = "how long one DICOMweb "
            + "request may take, its answer included. Default: ${DEFAULT-VALUE}")
    int timeoutSeconds;

    /**
     * Checks the timeout and reads the credentials, so a missing or malformed file is said before any work.
     *
     * @throws IllegalArgumentException naming the option or file
     */
    Credentials credentials() throws IOException {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
        }
        return Credentials.find(credentialsFile, System.getenv(Credentials.ENVIRONMENT));
    }

    /** A client for the server of a dicomweb:// address. */
    DicomWebClient client(String address) throws IOException {
        return new DicomWebClient(DicomWebAddress.parse(address).root(), credentials(), Duration.ofSeconds(timeoutSeconds));
    }
}
