package io.medseg.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToothRootDatasetTest {
    @Test
    void theDatasetIsNamedAfterItsFolderAndLabelledAfterItsStructure(@TempDir Path tmp) throws Exception {
        Path canals = tmp.resolve("Dataset010_Canals");
        ToothRootDataset.write(canals, 3, 1, 0, 32, 24, ToothRootDataset.Structure.ROOT_CANAL, 0);
        JsonObject json = JsonParser.parseString(Files.readString(canals.resolve("dataset.json"))).getAsJsonObject();
        assertEquals("Dataset010_Canals", json.get("name").getAsString());
        assertEquals(1, json.getAsJsonObject("labels").get("root canal").getAsInt());
        assertEquals("radiograph", json.getAsJsonObject("channel_names").get("0").getAsString());
    }
}
