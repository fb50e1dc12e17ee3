package io.medseg.io.dicom;

import static io.medseg.io.GoldenValues.doubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import io.medseg.io.GoldenValues;
import io.medseg.io.ImageFileException;
import io.medseg.io.nifti.Nifti;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files this project did not write (src/test/python/make_foreign_fixtures.py: pydicom, dcmtk,
 * gdcmtar; golden values from pydicom, dcmtk and dcm2niix): enhanced multi-frame CT and MR with
 * their functional groups, frames over several fragments, gantry tilt, palette and YBR colour, and
 * float pixel data. Each is read to the golden values and geometry, or refused in one line.
 */
class ForeignDicomTest {
    static final Path DIR = Path.of("src/test/resources/foreign");
    static final JsonObject GOLDEN = GoldenValues.load(DIR.resolve("golden.json"));

    static Volume read(Path file) throws Exception {
        DicomSeries.Scan scan = Files.isDirectory(file) ? DicomSeries.scan(file) : DicomSeries.scanFiles(List.of(file));
        assertEquals(List.of(), List.copyOf(scan.skipped().values()), "nothing skipped");
        assertEquals(1, scan.series().size());
        return scan.series().get(0).load();
    }

    /** The golden values of an entry, following "values_same_as" and expanding "values_runs". */
    static double[] values(String name) {
        JsonObject g = GOLDEN.getAsJsonObject(name);
        if (g.has("values_same_as")) {
            return values(g.get("values_same_as").getAsString());
        }
        if (g.has("values_runs")) {
            List<double[]> runs = new ArrayList<>();
            int n = 0;
            for (JsonElement r : g.getAsJsonArray("values_runs")) {
                double[] run = {r.getAsJsonArray().get(0).getAsDouble(), r.getAsJsonArray().get(1).getAsDouble()};
                runs.add(run);
                n += (int) run[1];
            }
            double[] v = new double[n];
            int i = 0;
            for (double[] run : runs) {
                for (int k = 0; k < run[1]; k++) {
                    v[i++] = run[0];
                }
            }
            return v;
        }
        return doubles(g.getAsJsonArray("values"));
    }


    private static void assertValues(String name, float[] actual) {
        double[] expected = values(name);
        assertEquals(expected.length, actual.length, name + ": value count");
        for (int i = 0; i < expected.length; i++) {
            // volumes hold float32: a value may differ by its float32 rounding
            assertEquals(expected[i], actual[i], Math.abs(expected[i]) * 0x1p-23, name + ": value " + i);
        }
    }

    private static void assertGeometry(String name, Volume v) {
        JsonObject g = GOLDEN.getAsJsonObject(name);
        assertArrayEquals(longs(g.getAsJsonArray("size_xyz")), v.sizeXyz(), name + ": size");
        assertEquals(g.get("channels").getAsInt(), v.channels(), name + ": channels");
        if (g.has("geometry_in_file") && !g.get("geometry_in_file").getAsBoolean()) {
            return;
        }
        Geometry geo = v.geometry();
        assertArrayEquals(doubles(g.getAsJsonArray("origin_lps")), geo.originMm(), 1e-5, name + ": origin");
        assertArrayEquals(doubles(g.getAsJsonArray("spacing_xyz")), geo.spacingMm(), 1e-5, name + ": spacing");
        assertArrayEquals(doubles(g.getAsJsonArray("direction")), geo.direction(), 1e-6, name + ": direction");
    }

    private static long[] longs(JsonArray a) {
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsLong();
        }
        return v;
    }

    /**
     * Enhanced CT and MR: geometry from the functional groups (frames stored in descending position
     * order, no top-level position, orientation, spacing or rescale), rescale per frame, and
     * compressed frames split over three fragments each, with and without an offset table.
     */
    @ParameterizedTest
    @ValueSource(strings = {"enhanced_ct_native.dcm", "enhanced_ct_per_frame_rescale.dcm",
        "enhanced_ct_rle_fragments.dcm", "enhanced_ct_jpegll_fragments.dcm", "enhanced_ct_jpegll_fragments_nobot.dcm",
        "enhanced_mr_gdcmtar/enhanced_mr.dcm", "float32.dcm", "float64.dcm"})
    void multiFrameFilesAreReadFromTheirFunctionalGroups(String name) throws Exception {
        Volume v = read(DIR.resolve(name));
        assertGeometry(name, v);
        assertValues(name, v.data());
        assertEquals(List.of(), v.notes());
    }

    /** Palette colour through its lookup tables, YBR to RGB, as pydicom (and dcmtk's dcm2pnm) give them. */
    @ParameterizedTest
    @ValueSource(strings = {"palette8.dcm", "palette16.dcm", "ybr_full.dcm", "SC_ybr_full_422_uncompressed.dcm"})
    void colourBecomesRgbChannels(String name) throws Exception {
        Path file = name.startsWith("SC_") ? Path.of("src/test/resources/dicom").resolve(name) : DIR.resolve(name);
        Volume v = read(file);
        assertGeometry(name, v);
        assertValues(name, v.data());
    }

    /**
     * A series acquired with the gantry tilted 15°: the slices are sheared (positions step along the
     * table, the planes are tilted), with and without (0018,1120). The volume is resampled onto a
     * regular grid perpendicular to the planes: every voxel must hold what the sheared series has at
     * that point in the patient (bilinear in the plane), and the note says what was done. Checked
     * against dcm2niix's own tilt-corrected output too, where both sample inside the slices.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tilt", "tilt_no_tag"})
    void aGantryTiltIsResampledOntoARegularGrid(String name) throws Exception {
        Volume v = read(DIR.resolve(name));
        JsonObject g = GOLDEN.getAsJsonObject(name);
        assertEquals(1, v.notes().size(), v.notes().toString());
        assertTrue(v.notes().get(0).contains("gantry tilt of 15.00 degrees"), v.notes().get(0));
        assertTrue(v.notes().get(0).contains(name.equals("tilt") ? "(0018,1120) says 15" : "(0018,1120) absent"));
        Geometry geo = v.geometry();
        assertArrayEquals(doubles(g.getAsJsonArray("spacing_xyz")), geo.spacingMm(), 1e-5, "spacing");
        assertArrayEquals(doubles(g.getAsJsonArray("direction")), geo.direction(), 1e-6, "direction");
        assertArrayEquals(new long[] {24, 28, 10}, v.sizeXyz(), "20 rows + 8 for a shift of 7.28 rows over the series");

        // every voxel against the sheared series at its patient position
        double[][] sheared = new double[4][4];
        JsonArray a = g.getAsJsonArray("affine_lps");
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                sheared[r][c] = a.get(r).getAsJsonArray().get(c).getAsDouble();
            }
        }
        double[][] toSource = DicomSeriesTest.inverse(sheared);
        double[] source = values(name);
        double[] o = geo.originMm();
        double[] s = geo.spacingMm();
        double[] d = geo.direction();
        float min = Float.POSITIVE_INFINITY;
        for (double x : source) {
            min = (float) Math.min(min, x);
        }
        int inside = 0;
        for (int k = 0; k < 10; k++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 24; x++) {
                    double[] world = new double[3];
                    for (int r = 0; r < 3; r++) {
                        world[r] = o[r] + d[r * 3] * x * s[0] + d[r * 3 + 1] * y * s[1] + d[r * 3 + 2] * k * s[2];
                    }
                    double[] idx = DicomSeriesTest.apply(toSource, world[0], world[1], world[2]);
                    assertEquals(k, idx[2], 1e-6, "the grid's planes are the slices");
                    assertEquals(x, idx[0], 1e-6, "columns are not shifted");
                    float ours = v.data()[x + 24 * (y + 28 * k)];
                    double sy = idx[1];
                    if (sy < -0.5 || sy >= 19.5) {
                        assertEquals(min, ours, "outside the slice: the scan's minimum");
                        continue;
                    }
                    double cy = Math.min(Math.max(sy, 0), 19);
                    int y0 = (int) Math.floor(cy);
                    int y1 = Math.min(y0 + 1, 19);
                    double f = cy - y0;
                    double expected = source[x + 24 * (y0 + 20 * k)] * (1 - f) + source[x + 24 * (y1 + 20 * k)] * f;
                    assertEquals(expected, ours, 1e-3, "voxel " + x + "," + y + "," + k);
                    inside++;
                }
            }
        }
        assertEquals(24 * 20 * 10, inside, "each slice's 20 rows of extent land on 20 grid rows");

        // dcm2niix's tilt-corrected file (int16, rows reversed, its origin off; see the fixture script): same values
        String tilted = g.getAsJsonArray("dcm2niix").get(1).getAsString();
        Volume theirs = Nifti.readVolume(DIR.resolve("dcm2niix").resolve(tilted));
        assertArrayEquals(v.sizeXyz(), theirs.sizeXyz());
        int compared = 0;
        for (int k = 0; k < 10; k++) {
            for (int y = 0; y < 28; y++) {
                double sy = y - 8 + 0.809 * k; // source row of our grid row y (shift 0.809 rows per slice, grid from -8)
                if (sy < 0 || sy > 19) {
                    continue; // dcm2niix takes the edge differently (its last row repeated on one side only)
                }
                for (int x = 0; x < 24; x++) {
                    float ours = v.data()[x + 24 * (y + 28 * k)];
                    float their = theirs.data()[x + 24 * ((27 - y) + 28 * k)];
                    assertEquals(Math.signum(ours) * Math.floor(Math.abs(ours) + 0.5), their, 1e-3,
                            "dcm2niix voxel " + x + "," + (27 - y) + "," + k);
                    compared++;
                }
            }
        }
        assertTrue(compared > 4000, compared + " voxels compared with dcm2niix");
    }

    /**
     * Shifts that are not one step per slice do not come from a gantry tilt: refused, not
     * resampled. A steady 0.5 mm per slice is a tilt; the same with one slice 1 mm off is not.
     */
    @Test
    void slicesShiftedUnevenlyAreRefused(@TempDir Path tmp) throws Exception {
        for (boolean uneven : new boolean[] {false, true}) {
            Path dir = Files.createDirectories(tmp.resolve("shift-" + uneven));
            for (int z = 0; z < 6; z++) {
                double x = 0.5 * z + (uneven && z == 3 ? 1 : 0);
                CraftedDicom.ctSlice(4, 5, 2.0 * z).set(Tags.IMAGE_POSITION_PATIENT, "DS", x + "\\0\\" + 2.0 * z)
                        .write(dir.resolve("IM" + z));
            }
            if (!uneven) {
                Volume v = DicomSeries.scan(dir).series().get(0).load();
                assertArrayEquals(new long[] {5 + 5, 4, 6}, v.sizeXyz(), "5 columns + 5 for 2.5 mm of shift at 0.5 mm");
                assertTrue(v.notes().get(0).contains("gantry tilt of 14.04 degrees"), v.notes().toString());
                continue;
            }
            var e = assertThrows(ImageFileException.class, () -> DicomSeries.scan(dir).series().get(0).load());
            assertEquals(dir.resolve("IM3") + ": series 1.2.3.4: this slice is shifted in-plane by (5.000, 0.000) pixels"
                    + " from the first, not by a constant step per slice as a gantry tilt shifts them; the slices do not"
                    + " form a volume", e.getMessage());
        }
    }
}
