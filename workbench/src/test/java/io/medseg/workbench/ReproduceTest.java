package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medseg.samples.ToothRootDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run manifests of train, segment and evaluate, and medseg reproduce checking them bit for bit. */
class ReproduceTest {

    @Test
    void trainSegmentAndEvaluateAreReproducedBitForBit(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("Dataset903_Repro");
        ToothRootDataset.write(data, 5, 4, 3, 48, 32);
        Path model = tmp.resolve("model");
        assertEquals(0, medseg("train", "--data", data.toString(), "--output", model.toString(), "--epochs", "2",
                "--iterations", "2", "--batch", "2", "--patch", "16x16", "--depth", "1", "--filters", "2").code());
        Path trainManifest = tmp.resolve("model.training/manifest.json");
        JsonObject m = JsonParser.parseString(Files.readString(trainManifest)).getAsJsonObject();
        assertTrue(m.getAsJsonObject("inputs").has(data.resolve("dataset.json").toAbsolutePath().toString()), m.toString());
        assertEquals("[\"model.json\",\"parameters.params\"]", m.getAsJsonObject("outputs").keySet().toString()
                .replace("[", "[\"").replace("]", "\"]").replace(", ", "\",\""));
        CommandLineTest.Run train = medseg("reproduce", model.toString()); // the bundle: MODEL.training/manifest.json beside it
        assertEquals(0, train.code(), train.out() + train.err());
        assertTrue(train.out().contains("reproduced: 2 of 2 outputs bit-identical"), train.out());

        Path masks = tmp.resolve("masks");
        assertEquals(0, medseg("segment", "--model", model.toString(), "--input", data.resolve("imagesTs").toString(),
                "--output", masks.toString()).code());
        CommandLineTest.Run segment = medseg("reproduce", masks.resolve("manifest.json").toString(), "--output",
                tmp.resolve("again").toString());
        assertTrue(segment.out().contains("reproduced: 3 of 3 outputs bit-identical"), segment.out() + segment.err());

        Path report = tmp.resolve("report");
        assertEquals(0, medseg("evaluate", "--reference", data.resolve("labelsTs").toString(), "--prediction",
                masks.toString(), "--output", report.toString()).code());
        CommandLineTest.Run evaluate = medseg("reproduce", report.toString()); // the folder: its manifest.json
        assertEquals(0, evaluate.code(), evaluate.out());
        assertTrue(evaluate.out().contains("outputs bit-identical"), evaluate.out());

        CommandLineTest.Run none = medseg("reproduce", data.toString());
        assertEquals(1, none.code());
        assertTrue(none.err().contains(data + ": a folder without a run manifest (looked for manifest.json in it and "
                + data.getFileName() + ".training/manifest.json beside it)"), none.err());

        // an output that comes out otherwise than recorded, and a changed input, are reported with exit code 5
        Path manifest = masks.resolve("manifest.json");
        JsonObject recorded = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        recorded.getAsJsonObject("outputs").addProperty("case_005.png", "0".repeat(64));
        Files.writeString(manifest, recorded.toString());
        CommandLineTest.Run edited = medseg("reproduce", masks.resolve("manifest.json").toString(), "--output",
                tmp.resolve("third").toString());
        assertEquals(5, edited.code());
        assertTrue(edited.out().contains("differs: case_005.png") && edited.out().contains("not reproduced: 2 of 3"),
                edited.out());
        Files.writeString(data.resolve("imagesTr/case_000_0000.png"), "not the image the run read");
        CommandLineTest.Run changed = medseg("reproduce", trainManifest.toString(), "--output", tmp.resolve("m2").toString());
        assertEquals(5, changed.code());
        assertTrue(changed.out().contains("case_000_0000.png: changed since the run"), changed.out());
    }
}
