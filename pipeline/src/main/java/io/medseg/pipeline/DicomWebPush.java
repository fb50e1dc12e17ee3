package io.medseg.pipeline;

import io.medseg.io.dicom.SegmentationReader;
import io.medseg.io.dicomweb.DicomWebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DICOM SEGs stored on a DICOMweb server with STOW-RS, each at most once: a SEG's SOP Instance UID is
 * derived from its content, so one already on the server (from an earlier run, or from this run
 * resumed with {@code --continue}) is found with QIDO-RS and not sent again.
 */
public final class DicomWebPush {
    /** SEGs stored, SEGs the server already held, and SEGs that could not be stored (and why). */
    public record Result(List<Path> stored, List<Path> alreadyThere, Map<Path, String> failed) {}

    private DicomWebPush() {}

    public static Result push(DicomWebClient client, List<Path> segs, Progress progress) {
        List<Path> stored = new ArrayList<>();
        List<Path> there = new ArrayList<>();
        Map<Path, String> failed = new LinkedHashMap<>();
        progress.start("push", segs.size(), "SEGs");
        try {
            int done = 0;
            for (Path seg : segs) {
                try {
                    SegmentationReader.Identity id = SegmentationReader.identify(seg);
                    if (client.holds(id.studyUid(), id.seriesUid(), id.sopInstanceUid())) {
                        there.add(seg);
                        progress.message("not pushed " + seg.getFileName() + ": " + client.address()
                                + " already holds it (instance " + id.sopInstanceUid() + ")");
                    } else {
                        client.store(List.of(Files.readAllBytes(seg)));
                        stored.add(seg);
                        progress.message("pushed " + seg.getFileName() + " to " + client.address());
                    }
                } catch (IOException e) {
                    failed.put(seg, e.getMessage());
                    progress.message("failed to push " + seg.getFileName() + ": " + e.getMessage());
                }
                progress.update(++done, segs.size(), seg.getFileName().toString());
            }
        } finally {
            progress.finish();
        }
        return new Result(stored, there, failed);
    }
}
