package io.medseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.io.dicom.Code;
import io.medseg.io.dicom.SegmentDescription;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a SEG's segments say each label is: the model's own codes, the built-in table, else the generic code. */
class LabelCodesTest {
    static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "Liver", 2, "right_kidney", 3, "Tooth-Root",
            4, "thing");
    static final String MODEL_JSON = "{\"label_codes\": {\"right kidney\": {\"category\": [\"123037004\", \"SCT\", "
            + "\"Anatomical Structure\"], \"type\": [\"9846003\", \"SCT\", \"Right kidney\"]}}}";

    @Test
    void theModelsCodesThenTheTableThenTheGenericOneWithANote(@TempDir Path tmp) throws Exception {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("model.json"), MODEL_JSON);
        LabelCodes.Segments s = LabelCodes.of(model).segments(LABELS);
        List<SegmentDescription> segments = s.segments();
        assertEquals(List.of(1, 2, 3, 4), segments.stream().map(SegmentDescription::label).toList());
        assertEquals(new Code("10200004", "SCT", "Liver"), segments.get(0).type(), "the table, case ignored");
        assertEquals(new Code("9846003", "SCT", "Right kidney"), segments.get(1).type(), "the model's, _ as space");
        assertEquals(new Code("85077000", "SCT", "Tooth root structure"), segments.get(2).type(), "- as space");
        assertEquals(LabelCodes.GENERIC, segments.get(3).type());
        assertEquals(LabelCodes.GENERIC, segments.get(3).category());
        assertEquals(1, s.notes().size());
        assertTrue(s.notes().get(0).contains("names no codes for label(s) thing"), s.notes().get(0));

        // the same from a zip whose dataset.json (an nnU-Net export) has them
        Path zip = tmp.resolve("export.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("Dataset001_X/nnUNetTrainer__nnUNetPlans__3d_fullres/dataset.json"));
            z.write(MODEL_JSON.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        assertEquals(new Code("9846003", "SCT", "Right kidney"), LabelCodes.of(zip).segments(LABELS).segments().get(1)
                .type());
    }

    @Test
    void malformedLabelCodesAreRefusedNamingTheModel(@TempDir Path tmp) throws Exception {
        Path model = Files.createDirectories(tmp.resolve("model"));
        try (OutputStream o = Files.newOutputStream(model.resolve("dataset.json"))) {
            o.write("{\"label_codes\": {\"liver\": {\"category\": [\"123037004\", \"SCT\"]}}}".getBytes(StandardCharsets.UTF_8));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> LabelCodes.of(model));
        assertTrue(e.getMessage().startsWith(model + ": \"label_codes\" must map label names to"), e.getMessage());
    }
}
