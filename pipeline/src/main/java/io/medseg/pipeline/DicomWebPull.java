package io.medseg.pipeline;

import com.google.gson.JsonObject;
import io.medseg.files.AtomicFiles;
import io.medseg.io.dicomweb.DicomWebAddress;
import io.medseg.io.dicomweb.DicomWebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The series of a study on a DICOMweb server, brought to a local folder for a segmentation batch:
 * found with QIDO-RS, each image series the model can segment retrieved instance by instance with
 * WADO-RS into a folder of its own (named readably, so the masks are too). Series that are not
 * images (SEG, SR, presentation states …) or not of the model's modality are passed over with a note;
 * a series named in the address that the model cannot segment is refused.
 */
public final class DicomWebPull {
    /** Modalities that hold no image to segment. */
    static final Set<String> NOT_IMAGES = Set.of("SEG", "SR", "PR", "KO", "RTSTRUCT", "RTPLAN", "RTRECORD", "REG", "DOC",
            "FID", "PLAN", "OT-SR", "AU", "ECG");

    /** The series brought over, the instances retrieved, and the notes on series passed over. */
    public record Result(int series, int instances, List<String> notes) {}

    private DicomWebPull() {}

    /**
     * Retrieves into {@code folder} (which must be empty or absent).
     *
     * @param modalities the DICOM modalities the model segments; empty: any image series
     * @throws IllegalArgumentException when the address names no study, or names a series that is not
     *     one the model segments
     * @throws io.medseg.io.dicomweb.DicomWebException naming the request and the problem
     */
    public static Result pull(DicomWebClient client, DicomWebAddress address, Set<String> modalities, Path folder,
            Progress progress) throws IOException {
        if (address.study() == null) {
            throw new IllegalArgumentException(address + ": name a study (…/studies/STUDY_UID[/series/SERIES_UID]);"
                    + " medseg pacs list " + address + " shows them");
        }
        List<JsonObject> all = client.series(address.study());
        if (all.isEmpty()) {
            throw new IllegalArgumentException(address + ": the server has no such study (or no series in it)");
        }
        List<String> notes = new ArrayList<>();
        List<JsonObject> chosen = new ArrayList<>();
        for (JsonObject s : all) {
            String uid = DicomWebClient.value(s, DicomWebClient.SERIES_INSTANCE_UID);
            if (address.series() != null && !address.series().equals(uid)) {
                continue;
            }
            String modality = DicomWebClient.value(s, DicomWebClient.MODALITY).toUpperCase(Locale.ROOT);
            String why = NOT_IMAGES.contains(modality) ? "a " + modality + " series holds no image to segment"
                    : !modalities.isEmpty() && !modalities.contains(modality) ? "a " + (modality.isEmpty() ? "(no modality)"
                            : modality) + " series; the model segments " + String.join("/", modalities) : null;
            if (why != null && address.series() != null) {
                throw new IllegalArgumentException(address + ": " + why);
            }
            if (why != null) {
                notes.add("skipped series " + uid + " (" + DicomWebClient.value(s, DicomWebClient.SERIES_DESCRIPTION)
                        + "): " + why);
            } else {
                chosen.add(s);
            }
        }
        if (address.series() != null && chosen.isEmpty()) {
            throw new IllegalArgumentException(address + ": the study has no such series on the server");
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(address + ": none of the study's " + all.size() + " series is one the"
                    + " model segments (" + String.join("; ", notes) + ")");
        }
        List<List<JsonObject>> instances = new ArrayList<>();
        int total = 0;
        for (JsonObject s : chosen) {
            List<JsonObject> list = client.instances(address.study(), DicomWebClient.value(s,
                    DicomWebClient.SERIES_INSTANCE_UID));
            instances.add(list);
            total += list.size();
        }
        Files.createDirectories(folder);
        Set<String> used = new HashSet<>();
        int done = 0;
        progress.start("retrieve", total, "instances");
        try {
            for (int k = 0; k < chosen.size(); k++) {
                JsonObject s = chosen.get(k);
                String uid = DicomWebClient.value(s, DicomWebClient.SERIES_INSTANCE_UID);
                String name = SeriesConversion.readableName(DicomWebClient.value(instances.get(k).isEmpty() ? s
                        : instances.get(k).get(0), DicomWebClient.PATIENT_NAME), DicomWebClient.value(s,
                        DicomWebClient.STUDY_DATE), DicomWebClient.value(s, DicomWebClient.SERIES_NUMBER),
                        DicomWebClient.value(s, DicomWebClient.SERIES_DESCRIPTION), uid);
                String unique = name;
                for (int n = 2; !used.add(unique.toLowerCase(Locale.ROOT)); n++) {
                    unique = name + "_" + n;
                }
                Path dir = Files.createDirectories(folder.resolve(unique));
                for (JsonObject instance : instances.get(k)) {
                    if (progress.stopRequested()) {
                        throw new StoppedException("retrieval stopped after " + done + " of " + total + " instances;"
                                + " nothing was segmented");
                    }
                    String sop = DicomWebClient.value(instance, DicomWebClient.SOP_INSTANCE_UID);
                    AtomicFiles.write(dir.resolve(sop + ".dcm"), client.retrieve(address.study(), uid, sop), false);
                    progress.update(++done, total, unique);
                }
            }
        } finally {
            progress.finish();
        }
        return new Result(chosen.size(), done, notes);
    }
}
