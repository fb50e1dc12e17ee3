package io.medseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DICOM SEG this project did not write: dcmjs 0.52.2 (OHIF's DICOM library) derived it from the
 * pydicom-made oblique series as OHIF saves segmentations (src/test/node/make_dcmjs_seg.js): segment 1
 * where the phantom is above 0 HU, segment 2 in (-500, 0] HU, frames only where a segment is. Read
 * back, it is that rule applied here to the series' own voxels, on every voxel.
 */
class ForeignSegmentationTest {
    static final Path SEG = Path.of("src/test/resources/foreign/seg/dcmjs_oblique.seg.dcm");

    @Test
    void aSegWrittenByDcmjsIsTheRuleItWasMadeWith() throws Exception {
        DicomSeries series = DicomSeries.scan(Path.of("src/test/resources/series/oblique")).series().get(0);
        Volume scan = series.load();
        byte[] expected = new byte[scan.data().length];
        for (int i = 0; i < expected.length; i++) {
            float hu = scan.data()[i];
            expected[i] = (byte) (hu > 0 ? 1 : hu > -500 ? 2 : 0);
        }
        SegmentationReader.Segmentation seg = SegmentationReader.read(SEG, series);
        assertArrayEquals(expected, seg.labels().data());
        assertTrue(scan.geometry().sameGrid(seg.labels().geometry()));
        assertEquals(List.of("sphere", "shell"), seg.segments().stream().map(SegmentDescription::name).toList());
        assertEquals(series.uid(), seg.referencedSeriesUid());

        // without the series: the slices its frames span, all ten here (segment 2 is on every slice)
        SegmentationReader.Segmentation own = SegmentationReader.read(SEG);
        assertArrayEquals(expected, own.labels().data());
        assertTrue(scan.geometry().sameGrid(own.labels().geometry()), own.labels().geometry() + " vs " + scan.geometry());
    }

    @Test
    void aSpacingThatClaimsAHugeGridIsRefusedBeforeAnythingIsAllocated(@TempDir Path tmp) throws Exception {
        // the SEG's own Spacing Between Slices (0018,0088), rewritten to 1e-9 mm in place
        byte[] bytes = Files.readAllBytes(SEG);
        byte[] tag = {0x18, 0x00, (byte) 0x88, 0x00, 'D', 'S'};
        int at = TestBytes.indexOf(bytes, tag);
        assertTrue(at > 0, "the SEG has Spacing Between Slices");
        int length = (bytes[at + 6] & 0xff) | (bytes[at + 7] & 0xff) << 8;
        byte[] value = String.format("%-" + length + "s", "1e-9").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(value, 0, bytes, at + 8, length);
        Path hostile = Files.write(tmp.resolve("hostile.seg.dcm"), bytes);
        var e = assertThrows(ImageFileException.class, () -> SegmentationReader.read(hostile));
        assertTrue(e.getMessage().startsWith(hostile + ": a grid of 24 x 20 x ") && e.getMessage().contains("of memory"),
                e.getMessage());
    }

}
