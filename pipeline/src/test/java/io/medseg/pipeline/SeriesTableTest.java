package io.medseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.medseg.io.ImageFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** series.csv written and read back, and the names through which evaluate pairs masks with references. */
class SeriesTableTest {
    @Test
    void rowsSurviveCommasAndQuotesInPaths(@TempDir Path tmp) throws Exception {
        String first = "/scans/Smith, \"J\"/ct_003/IM0001.dcm";
        Files.writeString(tmp.resolve(SeriesTable.FILE), SeriesTable.HEADER + "\n"
                + SeriesTable.row("1.2.3", "ct_003.nii.gz", "SMITH_20240101_S2_CT", first, 120) + "\n");
        assertEquals(List.of(new SeriesTable.Row("1.2.3", "ct_003.nii.gz", "SMITH_20240101_S2_CT", first, 120)),
                SeriesTable.read(tmp));
        assertEquals(List.of(), SeriesTable.read(tmp.resolve("none")), "no table, no rows");
        Files.writeString(tmp.resolve(SeriesTable.FILE), "file,patient\nx.nii.gz,DOE\n");
        ImageFileException e = assertThrows(ImageFileException.class, () -> SeriesTable.read(tmp));
        assertEquals(tmp.resolve(SeriesTable.FILE), e.file());
    }

    @Test
    void aReferenceMayBeNamedByUidReadableNameOrFolderUnlessTwoSeriesShareTheName() {
        Map<String, String> names = SeriesTable.maskByName(List.of(
                new SeriesTable.Row("1.2.3", "ct_003.nii.gz", "SMITH_S2_CT", "/a/ct_003/1.dcm", 10),
                new SeriesTable.Row("1.2.4", "SMITH_S3_CT.nii.gz", "SMITH_S3_CT", "/a/study/1.dcm", 10),
                new SeriesTable.Row("1.2.5", "SMITH_S4_CT.nii.gz", "SMITH_S4_CT", "/a/study/9.dcm", 10)));
        assertEquals("ct_003.nii.gz", names.get("1.2.3"));
        assertEquals("ct_003.nii.gz", names.get("SMITH_S2_CT"));
        assertEquals("ct_003.nii.gz", names.get("ct_003"));
        assertEquals("SMITH_S3_CT.nii.gz", names.get("1.2.4"));
        assertFalse(names.containsKey("study"), "two series in one folder: the folder names neither");
    }
}
