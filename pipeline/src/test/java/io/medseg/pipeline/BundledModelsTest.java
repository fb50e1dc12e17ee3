package io.medseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundled models by name; a name that is not there says where it looked and what is there. */
class BundledModelsTest {
    @Test
    void aNameResolvesToItsBundleAndANearMissIsNamed(@TempDir Path tmp) throws Exception {
        Path folder = tmp.resolve("models");
        for (String name : List.of("abdomen-ct-unet3d", "abdomen-ct-vnet", "tooth-root-unet2d")) {
            Files.createDirectories(folder.resolve(name));
            Files.writeString(folder.resolve(name).resolve("model.json"), "{}");
        }
        BundledModels models = new BundledModels(folder);
        assertEquals(folder.resolve("abdomen-ct-vnet"), models.resolve(Path.of("abdomen-ct-vnet")));
        Path own = Files.createDirectories(tmp.resolve("own"));
        assertEquals(own, models.resolve(own), "an existing path is taken as given");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> models.resolve(Path.of("abdomen-ct-unet3D")));
        assertEquals("model abdomen-ct-unet3D not found: no file or folder " + Path.of("abdomen-ct-unet3D")
                .toAbsolutePath().normalize() + ", and no bundled model of that name in " + folder + " (bundled: "
                + "abdomen-ct-unet3d, abdomen-ct-vnet, tooth-root-unet2d); did you mean abdomen-ct-unet3d?", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> models.resolve(Path.of("liver")));
        assertEquals(-1, e.getMessage().indexOf("did you mean"), "nothing is near: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> models.resolve(tmp.resolve("gone/model")));
        assertEquals("model " + tmp.resolve("gone/model") + " not found: no file or folder " + tmp.resolve("gone/model"),
                e.getMessage());
    }

    @Test
    void closestAllowsASlipNotAnotherWord() {
        List<String> names = List.of("abdomen-ct-unet3d", "tooth-root-unet2d");
        assertEquals("tooth-root-unet2d", Spelling.closest("toth-root-unet2d", names));
        assertEquals("abdomen-ct-unet3d", Spelling.closest("ABDOMEN-CT-UNET3D", names));
        assertNull(Spelling.closest("vnet", names));
    }
}
