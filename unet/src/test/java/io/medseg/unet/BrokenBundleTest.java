package io.medseg.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medseg.core.bundle.ModelBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles broken the ways users break them (a cut-off copy, a hand-edited model.json, a bundle from a
 * newer version): one line naming the bundle's file and the problem, whether the config alone is read
 * (listings) or the whole bundle is loaded; a recipe whose parameters do not fit is never run.
 */
class BrokenBundleTest {
    @TempDir
    static Path tmp;
    static Path good;

    @BeforeAll
    static void tinyBundle() throws Exception {
        good = tmp.resolve("good");
        try (ModelBundle b = ModelBundle.create(UNetTrainingTest.tinyConfig(1, 4, new int[] {16, 16}), Device.cpu(), 1)) {
            b.save(good);
        }
    }

    private static Path copy(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : new String[] {ModelBundle.CONFIG_FILE, ModelBundle.PARAMETERS_FILE}) {
            Files.copy(good.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static Path editedConfig(String name, Consumer<JsonObject> edit) throws IOException {
        Path dir = copy(name);
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve(ModelBundle.CONFIG_FILE))).getAsJsonObject();
        edit.accept(json);
        Files.writeString(dir.resolve(ModelBundle.CONFIG_FILE), json.toString());
        return dir;
    }

    private static String loadError(Path bundle) {
        IOException e = assertThrows(IOException.class, () -> ModelBundle.load(bundle, Device.cpu()).close());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void parametersOfAnotherWidthAreRefusedNotRun() throws Exception {
        Path wider = editedConfig("wider", j -> j.getAsJsonObject("arguments").addProperty("baseFilters", 8));
        String m = loadError(wider);
        assertTrue(m.startsWith(wider.resolve(ModelBundle.PARAMETERS_FILE) + ": parameter ") && m.contains(
                "has shape (4, 1, 3, 3), but model.json's unet2d") && m.contains("needs (8, 1, 3, 3)"), m);
        Path moreLabels = editedConfig("labels", j -> j.getAsJsonObject("labels").addProperty("2", "extra"));
        m = loadError(moreLabels);
        assertTrue(m.contains("and 3 labels needs (3, 4, 1, 1)") && m.contains("has shape (2, 4, 1, 1)"), m);
    }

    @Test
    void aHandEditedOrFutureConfigIsRefusedWhenRead() throws Exception {
        Path future = editedConfig("future", j -> j.addProperty("format", "medseg-bundle/2"));
        assertEquals(future.resolve("model.json") + ": model.json format is 'medseg-bundle/2', this version reads"
                + " medseg-bundle/1", assertThrows(IOException.class, () -> ModelBundle.readConfig(future)).getMessage());
        assertTrue(loadError(future).contains("format is 'medseg-bundle/2'"));
        Path patch = editedConfig("patch", j -> j.add("patchSize", JsonParser.parseString("[0, 0]")));
        assertEquals(patch.resolve("model.json") + ": patchSize [0, 0] (tensor order, 0x0 (x×y)): every size must be a positive"
                + " multiple of 2x2 (x×y) for this unet2d", assertThrows(IOException.class, () -> ModelBundle.readConfig(patch))
                .getMessage());
        Path typo = editedConfig("typo", j -> j.getAsJsonObject("arguments").addProperty("filters", 8));
        assertTrue(loadError(typo).endsWith("unet2d has no argument 'filters' (its arguments: [activation, baseFilters,"
                + " depth, dropout, norm, spatialDims])"), loadError(typo));
        Path spacing = editedConfig("spacing", j -> j.add("spacingMm", JsonParser.parseString("[1, 0]")));
        assertTrue(loadError(spacing).contains("spacingMm [1.0, 0.0]: expected 2 finite spacings > 0 mm"));
    }

    @Test
    void truncatedFilesNameTheFile() throws Exception {
        Path cut = copy("cut");
        byte[] params = Files.readAllBytes(good.resolve(ModelBundle.PARAMETERS_FILE));
        Files.write(cut.resolve(ModelBundle.PARAMETERS_FILE), Arrays.copyOf(params, params.length / 2));
        assertEquals(cut.resolve(ModelBundle.PARAMETERS_FILE) + ": ends early (a truncated parameter file)", loadError(cut));
        Path longer = copy("longer");
        Files.write(longer.resolve(ModelBundle.PARAMETERS_FILE), new byte[] {1, 2, 3},
                StandardOpenOption.APPEND);
        assertTrue(loadError(longer).contains("more data after the last parameter"));

        Path zip = tmp.resolve("bundle.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String f : new String[] {ModelBundle.CONFIG_FILE, ModelBundle.PARAMETERS_FILE}) {
                out.putNextEntry(new ZipEntry("bundle/" + f));
                out.write(Files.readAllBytes(good.resolve(f)));
                out.closeEntry();
            }
        }
        ModelBundle.load(zip, Device.cpu()).close();
        byte[] whole = Files.readAllBytes(zip);
        Path cutZip = tmp.resolve("cut.zip");
        Files.write(cutZip, Arrays.copyOf(whole, whole.length - 900));
        assertTrue(loadError(cutZip).startsWith(cutZip + ": a broken or truncated zip"), loadError(cutZip));
        assertTrue(new String(Files.readAllBytes(good.resolve("model.json")), StandardCharsets.UTF_8).contains("unet2d"));
    }
}
