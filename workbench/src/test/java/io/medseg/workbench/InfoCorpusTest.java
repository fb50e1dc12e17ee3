package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code medseg info} on every file of io-dicom's test corpus, read from headers alone, against what
 * pydicom and nibabel read from the same files (the fixture scripts' golden.json): size, channels
 * and voxel spacing; files the readers refuse are refused in one line that names them.
 */
class InfoCorpusTest {
    private static final Path RESOURCES = Path.of("../io-dicom/src/test/resources");
    private static final Pattern SIZE = Pattern.compile("size \\[([0-9, ]+)\\] x (\\d+) channel\\(s\\), spacing \\[([^\\]]+)\\] mm");

    private static JsonObject golden(String folder) throws Exception {
        return JsonParser.parseString(Files.readString(RESOURCES.resolve(folder).resolve("golden.json"))).getAsJsonObject();
    }

    private static Matcher described(Path file) {
        CommandLineTest.Run info = medseg("info", file.toString());
        assertEquals(1, info.err().lines().count() + (info.err().isEmpty() ? 1 : 0), file + ": " + info.err());
        Matcher m = SIZE.matcher(info.out());
        assertTrue(info.code() == 0 && m.find(), file + ": " + info.out() + info.err());
        return m;
    }

    private static double[] numbers(String csv) {
        String[] parts = csv.split(", ");
        double[] v = new double[parts.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.parseDouble(parts[i]);
        }
        return v;
    }

    @Test
    void niftiFilesAsNibabelReadsThem() throws Exception {
        int checked = 0;
        for (Map.Entry<String, JsonElement> e : golden("nifti").entrySet()) {
            JsonObject g = e.getValue().getAsJsonObject();
            Matcher m = described(RESOURCES.resolve("nifti").resolve(e.getKey()));
            JsonArray shape = g.getAsJsonArray("shape");
            double[] size = numbers(m.group(1));
            long channels = 1;
            for (int i = 0; i < shape.size(); i++) {
                if (i < 3) {
                    assertEquals(shape.get(i).getAsLong(), (long) size[i], e.getKey() + " axis " + i);
                } else {
                    channels *= shape.get(i).getAsLong();
                }
            }
            assertEquals(channels, Long.parseLong(m.group(2)), e.getKey() + " channels");
            double[] spacing = numbers(m.group(3));
            JsonArray a = g.getAsJsonArray("affine");
            for (int c = 0; c < Math.min(3, shape.size()); c++) {
                double norm = 0;
                for (int r = 0; r < 3; r++) {
                    norm += Math.pow(a.get(r).getAsJsonArray().get(c).getAsDouble(), 2);
                }
                // info prints 4 significant digits
                assertEquals(Math.sqrt(norm), spacing[c], Math.sqrt(norm) * 1e-3, e.getKey() + " spacing " + c);
            }
            checked++;
        }
        assertTrue(checked >= 15, checked + " files");
    }

    @Test
    void dicomFilesAsPydicomReadsThem() throws Exception {
        int checked = 0;
        for (Map.Entry<String, JsonElement> e : golden("dicom").entrySet()) {
            JsonObject g = e.getValue().getAsJsonObject();
            Path file = RESOURCES.resolve("dicom").resolve(e.getKey());
            CommandLineTest.Run info = medseg("info", file.toString());
            if (info.code() != 0 || !info.out().contains("size [")) {
                // refused (a truncated file, an unsupported syntax, a SEG): one line naming the file
                String said = info.err().isEmpty() ? info.out() : info.err();
                assertTrue(said.contains(file.toString()) || said.contains(file.getFileName().toString()), said);
                assertEquals(1, said.strip().lines().count(), said);
                continue;
            }
            Matcher m = SIZE.matcher(info.out());
            assertTrue(m.find(), info.out());
            double[] size = numbers(m.group(1));
            assertEquals(g.get("columns").getAsInt(), (int) size[0], e.getKey());
            assertEquals(g.get("rows").getAsInt(), (int) size[1], e.getKey());
            assertEquals(g.get("frames").getAsInt(), (int) size[2], e.getKey());
            String photometric = g.get("photometric").getAsString().toUpperCase(Locale.ROOT);
            int channels = photometric.equals("PALETTE COLOR") ? 3 : g.get("samples").getAsInt();
            assertEquals(channels, Integer.parseInt(m.group(2)), e.getKey() + " channels");
            if (g.has("pixel_spacing") && !g.get("pixel_spacing").isJsonNull()) {
                double[] spacing = numbers(m.group(3));
                JsonArray ps = g.getAsJsonArray("pixel_spacing");
                assertEquals(ps.get(1).getAsDouble(), spacing[0], ps.get(1).getAsDouble() * 1e-3, e.getKey() + " x");
                assertEquals(ps.get(0).getAsDouble(), spacing[1], ps.get(0).getAsDouble() * 1e-3, e.getKey() + " y");
            }
            checked++;
        }
        assertTrue(checked >= 18, checked + " files described");
    }

    @Test
    void seriesAsThePhantomWasWritten() throws Exception {
        JsonObject series = golden("series").getAsJsonObject("series");
        for (String name : series.keySet()) {
            Matcher m = described(RESOURCES.resolve("series").resolve(name));
            double[] spacing = numbers(m.group(3));
            JsonArray expected = series.getAsJsonObject(name).getAsJsonArray("spacing_xyz");
            for (int k = 0; k < 3; k++) {
                assertEquals(expected.get(k).getAsDouble(), spacing[k], 1e-3, name + " spacing " + k);
            }
            assertEquals("24, 20, 10", m.group(1), name);
        }
    }
}
