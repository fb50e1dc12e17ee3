package io.medseg.workbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory from Linux's /proc/self, for the benches. */
final class ProcessMemory {
    private ProcessMemory() {}

    /** Current resident set in bytes (VmRSS). */
    static long residentBytes() throws IOException {
        return status("VmRSS:");
    }

    /** Peak resident set in bytes since start or the last {@link #resetPeak()} (VmHWM). */
    static long peakBytes() throws IOException {
        return status("VmHWM:");
    }

    /** Sets the peak back to the current resident set (Linux ≥ 4.0: "5" to clear_refs). */
    static void resetPeak() throws IOException {
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    }

    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("/proc/self/status has no " + field);
    }
}
