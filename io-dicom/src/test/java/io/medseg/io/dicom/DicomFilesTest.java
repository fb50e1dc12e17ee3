package io.medseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.medseg.io.GoldenValues;
import io.medseg.io.ImageFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pydicom's own test files (every uncompressed syntax, deflate, RLE, JPEG, JPEG 2000, no meta
 * header, multi-frame, RGB) parse and decode to what pydicom reports
 * (resources/dicom/golden.json, from src/test/python/make_dicom_fixtures.py).
 */
class DicomFilesTest {
    static final Path DIR = Path.of("src/test/resources/dicom");
    static final JsonObject GOLDEN = GoldenValues.load(DIR.resolve("golden.json"));
    /** Lossy syntaxes: decoders may differ by rounding in the inverse transform. */
    static final Set<String> LOSSY = Set.of("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51");
    static final double LOSSY_TOLERANCE = 2;

    static Stream<String> files() {
        return GOLDEN.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void matchesPydicom(String name) throws Exception {
        JsonObject g = GOLDEN.getAsJsonObject(name);
        Path path = DIR.resolve(name);
        if (name.equals("MR_truncated.dcm")) {
            // pydicom reads the header and fails on the pixels; we refuse the element whose length runs past the end
            var e = assertThrows(ImageFileException.class, () -> DicomParser.parse(path));
            assertEquals(path + ": element (7FE0,0010) at byte 1488 claims 8192 bytes, but only 8130 remain"
                    + " (truncated or corrupt file)", e.getMessage());
            return;
        }
        DicomFile f = DicomParser.parse(path);
        assertEquals(g.get("transfer_syntax").getAsString(), f.transferSyntaxUid(), "transfer syntax");
        DicomDataset d = f.dataset();
        if (!g.get("rows").isJsonNull()) {
            assertEquals(g.get("rows").getAsInt(), d.integer(Tags.ROWS, -1));
            assertEquals(g.get("columns").getAsInt(), d.integer(Tags.COLUMNS, -1));
        }
        assertNumbers(g.get("position"), d.numbers(Tags.IMAGE_POSITION_PATIENT), "position");
        assertNumbers(g.get("orientation"), d.numbers(Tags.IMAGE_ORIENTATION_PATIENT), "orientation");
        assertNumbers(g.get("pixel_spacing"), d.numbers(Tags.PIXEL_SPACING), "pixel spacing");
        assertNumbers(g.get("slope"), d.numbers(Tags.RESCALE_SLOPE), "slope");
        assertNumbers(g.get("intercept"), d.numbers(Tags.RESCALE_INTERCEPT), "intercept");
        assertEquals(g.get("series_uid").getAsString(), nullToEmpty(d.string(Tags.SERIES_INSTANCE_UID)));
        assertEquals(g.get("patient_name").getAsString(), nullToEmpty(d.string(Tags.PATIENT_NAME)));

        if (!g.get("decodable").getAsBoolean()) {
            var e = assertThrows(ImageFileException.class, () -> PixelDecoder.decode(f));
            assertTrue(e.getMessage().startsWith(path.toString()), e.getMessage());
            return;
        }
        Frames frames = PixelDecoder.decode(f);
        assertEquals(g.get("frames").getAsInt(), frames.frames());
        double tolerance = LOSSY.contains(f.transferSyntaxUid()) ? LOSSY_TOLERANCE : 0;
        GoldenValues.assertMatches(name, g, frames.values(), tolerance);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void assertNumbers(JsonElement expected, double[] actual, String what) {
        if (expected == null || expected.isJsonNull()) {
            return;
        }
        JsonArray e = expected.getAsJsonArray();
        assertEquals(e.size(), actual.length, what);
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.get(i).getAsDouble(), actual[i], 1e-9, what + "[" + i + "]");
        }
    }
}
