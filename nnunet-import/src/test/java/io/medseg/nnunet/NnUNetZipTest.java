package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zips laid out as nnUNetv2_export_model_to_zip lays them out, and hostile ones. */
class NnUNetZipTest {
    @TempDir
    Path tmp;

    private Path zip(String name, Map<String, String> entries) throws Exception {
        Path file = tmp.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return file;
    }

    @Test
    void theOneModelFolderIsUnpackedWithItsName() throws Exception {
        String m = "Dataset991_TinyCT/nnUNetTrainer__nnUNetPlans__3d_fullres/";
        Path z = zip("model.zip", Map.of(m + "plans.json", "{}", m + "dataset.json", "{}", m + "fold_0/checkpoint_final.pth",
                "x", "Dataset991_TinyCT/inference_information.json", "{}"));
        assertTrue(NnUNetZip.looksLikeOne(z));
        Path folder = NnUNetZip.extract(z);
        assertEquals("nnUNetTrainer__nnUNetPlans__3d_fullres", folder.getFileName().toString());
        assertTrue(Files.isRegularFile(folder.resolve("fold_0/checkpoint_final.pth")));
        assertTrue(NnUNetModelFolder.looksLikeOne(folder));
    }

    @Test
    void noModelSeveralModelsAndEscapingEntriesAreRefused() throws Exception {
        Path none = zip("none.zip", Map.of("readme.txt", "x"));
        assertFalse(NnUNetZip.looksLikeOne(none));
        assertEquals(none + ": holds no nnU-Net model folder (plans.json beside dataset.json)",
                assertThrows(CheckpointException.class, () -> NnUNetZip.extract(none)).getMessage());
        Path two = zip("two.zip", Map.of("D/a__p__2d/plans.json", "{}", "D/a__p__2d/dataset.json", "{}",
                "D/a__p__3d_fullres/plans.json", "{}", "D/a__p__3d_fullres/dataset.json", "{}"));
        assertEquals(two + ": holds 2 models (D/a__p__2d/, D/a__p__3d_fullres/); unzip it and give the folder of the one to "
                + "run", assertThrows(CheckpointException.class, () -> NnUNetZip.extract(two)).getMessage());
        Path slip = zip("slip.zip", Map.of("m/plans.json", "{}", "m/dataset.json", "{}", "m/../../evil.txt", "x"));
        assertEquals(slip + ": entry \"m/../../evil.txt\" points outside the zip's folder; refused",
                assertThrows(CheckpointException.class, () -> NnUNetZip.extract(slip)).getMessage());
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        Path broken = Files.write(tmp.resolve("broken.zip"), new byte[] {'P', 'K', 3, 4, 0});
        assertFalse(NnUNetZip.looksLikeOne(broken));
    }
}
