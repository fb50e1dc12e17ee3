package io.medseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DICOM SEG written on the pydicom-made series of every orientation (axial, oblique, sagittal, a
 * flipped axial; files named out of order, Instance Numbers reversed) and read back: the same labels
 * on every voxel, each frame naming the source image of its slice. dciodvfy and pydicom check the same
 * files in the workbench's SegmentationInteropTest.
 */
class SegmentationWriterTest {
    static final Path SERIES = Path.of("src/test/resources/series");
    static final Code CATEGORY = new Code("123037004", "SCT", "Anatomical Structure");
    static final List<SegmentDescription> SEGMENTS = List.of(
            new SegmentDescription(1, "sphere", CATEGORY, new Code("10200004", "SCT", "Liver")),
            new SegmentDescription(2, "corner", CATEGORY, new Code("64033007", "SCT", "Kidney")),
            new SegmentDescription(3, "nothing", CATEGORY, new Code("78961009", "SCT", "Spleen")));
    static final SegmentationWriter.Algorithm ALGORITHM = new SegmentationWriter.Algorithm("medseg test", "0.1.0");
    static final Instant WHEN = Instant.parse("2026-12-07T12:00:00Z");

    /** Label 1 where the phantom's sphere is (HU above 0), label 2 a block in slices 6..8, label 3 nowhere. */
    static LabelMap mask(Volume scan) {
        long[] size = scan.sizeXyz();
        byte[] labels = new byte[(int) (size[0] * size[1] * size[2])];
        float[] hu = scan.data();
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    int i = (int) ((z * size[1] + y) * size[0] + x);
                    labels[i] = (byte) (hu[i] > 0 ? 1 : z >= 6 && z <= 8 && x < 5 && y < 4 ? 2 : 0);
                }
            }
        }
        return LabelMap.wrap(labels, size, scan.geometry(), Map.of(1, "sphere", 2, "corner", 3, "nothing"));
    }

    static DicomSeries series(String name) throws Exception {
        return DicomSeries.scan(SERIES.resolve(name)).series().get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"axial", "oblique", "sagittal", "flipped", "oblique_j2k"})
    void aSegReadBackOnItsSeriesHasTheSameLabelOnEveryVoxel(String name, @TempDir Path tmp) throws Exception {
        DicomSeries series = series(name);
        Volume scan = series.load();
        LabelMap mask = mask(scan);
        Path seg = tmp.resolve("seg.dcm");
        SegmentationWriter.write(series, mask, SEGMENTS, ALGORITHM, "test", WHEN, seg, false);

        SegmentationReader.Segmentation back = SegmentationReader.read(seg, series);
        assertArrayEquals(mask.data(), back.labels().data(), "labels on the series' grid");
        assertTrue(scan.geometry().sameGrid(back.labels().geometry()), back.labels().geometry().toString());
        assertEquals(series.uid(), back.referencedSeriesUid());
        assertEquals(SEGMENTS, back.segments());

        // without the series: the slab its frames span, from slice 0 (the empty segment's frame) to the last
        // slice holding a label; the slices after it are not in the SEG
        SegmentationReader.Segmentation own = SegmentationReader.read(seg);
        int last = 9;
        while (!contains(mask, last, 1) && !contains(mask, last, 2)) {
            last--;
        }
        int plane = (int) (mask.sizeXyz()[0] * mask.sizeXyz()[1]);
        assertEquals(last + 1, own.labels().sizeXyz()[2]);
        assertArrayEquals(Arrays.copyOf(mask.data(), (last + 1) * plane), own.labels().data(),
                "labels on the frames' own grid");
        assertTrue(scan.geometry().sameGrid(own.labels().geometry()), own.labels().geometry() + " vs " + scan.geometry());

        // every frame derives from the source image of its slice, and sits at that image's position
        DicomDataset d = DicomParser.parse(seg).dataset();
        List<DicomDataset> frames = d.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS);
        assertEquals(d.integer(Tags.NUMBER_OF_FRAMES, -1), frames.size());
        int expectedFrames = 0;
        for (int label = 1; label <= 3; label++) {
            int slices = 0;
            for (int z = 0; z < 10; z++) {
                slices += contains(mask, z, label) ? 1 : 0;
            }
            expectedFrames += Math.max(slices, 1); // an empty segment keeps one frame
        }
        assertEquals(expectedFrames, frames.size());
        int previousSegment = 0;
        for (DicomDataset frame : frames) {
            double[] index = frame.sequence(Tags.FRAME_CONTENT_SEQUENCE).get(0).numbers(Tags.DIMENSION_INDEX_VALUES);
            int segment = (int) index[0];
            int z = (int) index[1] - 1;
            assertTrue(segment >= previousSegment, "frames ordered by segment");
            previousSegment = segment;
            assertEquals(segment, frame.sequence(Tags.SEGMENT_IDENTIFICATION_SEQUENCE).get(0)
                    .integer(Tags.REFERENCED_SEGMENT_NUMBER, -1));
            Plane source = series.planes().get(z);
            DicomDataset ref = frame.sequence(Tags.DERIVATION_IMAGE_SEQUENCE).get(0).sequence(Tags.SOURCE_IMAGE_SEQUENCE)
                    .get(0);
            assertEquals(source.dataset().string(Tags.SOP_INSTANCE_UID), ref.string(Tags.REFERENCED_SOP_INSTANCE_UID));
            assertArrayEquals(source.header().position(), frame.sequence(Tags.PLANE_POSITION_SEQUENCE).get(0)
                    .numbers(Tags.IMAGE_POSITION_PATIENT), 1e-9);
        }
        DicomDataset src = series.planes().get(0).dataset();
        for (int tag : new int[] {Tags.STUDY_INSTANCE_UID, Tags.FRAME_OF_REFERENCE_UID, Tags.PATIENT_ID, Tags.PATIENT_NAME}) {
            assertEquals(src.string(tag), d.string(tag), Tags.format(tag));
        }
        assertEquals(10, d.sequence(Tags.REFERENCED_SERIES_SEQUENCE).get(0).sequence(Tags.REFERENCED_INSTANCE_SEQUENCE)
                .size(), "every source instance referenced");
    }

    private static boolean contains(LabelMap mask, int z, int label) {
        int plane = (int) (mask.sizeXyz()[0] * mask.sizeXyz()[1]);
        for (int i = z * plane; i < (z + 1) * plane; i++) {
            if ((mask.data()[i] & 0xFF) == label) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theSameResultGetsTheSameUidsAndAnotherResultOthers() throws Exception {
        DicomSeries series = series("axial");
        LabelMap mask = mask(series.load());
        byte[] a = SegmentationWriter.encode(series, mask, SEGMENTS, ALGORITHM, "test", WHEN);
        byte[] b = SegmentationWriter.encode(series, mask, SEGMENTS, ALGORITHM, "test", WHEN);
        assertArrayEquals(a, b, "the same inputs give the same bytes");
        byte[] later = SegmentationWriter.encode(series, mask, SEGMENTS, ALGORITHM, "test", WHEN.plusSeconds(3600));
        assertEquals(uid(a), uid(later), "written again later: the same instance");
        byte[] changed = mask.data().clone();
        changed[0] = 2;
        LabelMap other = LabelMap.wrap(changed, mask.sizeXyz(), mask.geometry(), mask.labelNames());
        assertNotEquals(uid(a), uid(SegmentationWriter.encode(series, other, SEGMENTS, ALGORITHM, "test", WHEN)));
    }

    private static String uid(byte[] file) throws Exception {
        Path p = Files.createTempFile("seg", ".dcm");
        try {
            Files.write(p, file);
            return DicomParser.parse(p).dataset().string(Tags.SOP_INSTANCE_UID);
        } finally {
            Files.delete(p);
        }
    }

    @Test
    void whatASegCannotCarryIsRefused(@TempDir Path tmp) throws Exception {
        DicomSeries series = series("axial");
        LabelMap mask = mask(series.load());
        var undescribed = assertThrows(IllegalArgumentException.class, () -> SegmentationWriter.encode(series, mask,
                SEGMENTS.subList(0, 1), ALGORITHM, "test", WHEN));
        assertEquals("the mask holds label 2, which has no segment description", undescribed.getMessage());
        LabelMap elsewhere = LabelMap.wrap(mask.data(), mask.sizeXyz(), series("oblique").load().geometry(),
                mask.labelNames());
        var grid = assertThrows(IllegalArgumentException.class, () -> SegmentationWriter.encode(series, elsewhere,
                SEGMENTS, ALGORITHM, "test", WHEN));
        assertTrue(grid.getMessage().startsWith("the mask is not on the grid of series"), grid.getMessage());

        DicomSeries tilted = DicomSeries.scan(Path.of("src/test/resources/foreign/tilt")).series().get(0);
        Volume resampled = tilted.load();
        LabelMap onTilt = LabelMap.wrap(new byte[(int) Arrays.stream(resampled.sizeXyz()).reduce(1, (x, y) -> x * y)],
                resampled.sizeXyz(), resampled.geometry(), Map.of());
        var tilt = assertThrows(ImageFileException.class, () -> SegmentationWriter.encode(tilted, onTilt, SEGMENTS,
                ALGORITHM, "test", WHEN));
        assertTrue(tilt.getMessage().contains("was resampled for its gantry tilt"), tilt.getMessage());

        var notSeg = assertThrows(ImageFileException.class, () -> SegmentationReader.read(series.files().get(0)));
        assertTrue(notSeg.getMessage().contains("is not a DICOM Segmentation"), notSeg.getMessage());
    }

    @Test
    void namesOutsideAsciiAreWrittenInACharacterSetThatHoldsThemOrRefused(@TempDir Path tmp) throws Exception {
        List<SegmentDescription> german = List.of(new SegmentDescription(1, "Lebergefäße", CATEGORY,
                new Code("10200004", "SCT", "Liver")), new SegmentDescription(2, "Niere", CATEGORY,
                new Code("64033007", "SCT", "Kidney")), new SegmentDescription(3, "Milz", CATEGORY,
                new Code("78961009", "SCT", "Spleen")));
        // a series without Specific Character Set: its text is ASCII, so the SEG may say UTF-8
        DicomSeries plain = series("axial");
        Path utf8 = tmp.resolve("utf8.seg.dcm");
        SegmentationWriter.write(plain, mask(plain.load()), german, ALGORITHM, "test", WHEN, utf8, false);
        assertEquals("ISO_IR 192", DicomParser.parse(utf8).dataset().string(Tags.SPECIFIC_CHARACTER_SET));
        assertEquals("Lebergefäße", SegmentationReader.read(utf8, plain).segments().get(0).name());

        // a series in Latin-1 (ISO_IR 100): the SEG keeps that set, whose bytes its patient name has
        Path latin = Files.createDirectories(tmp.resolve("latin1"));
        byte[] term = {0x08, 0x00, 0x05, 0x00, 'C', 'S', 10, 0, 'I', 'S', 'O', '_', 'I', 'R', ' ', '1', '0', '0'};
        byte[] sopClass = {0x08, 0x00, 0x16, 0x00, 'U', 'I'};
        for (Path f : plain.files()) {
            byte[] b = Files.readAllBytes(f);
            int at = TestBytes.indexOf(b, sopClass);
            byte[] out = new byte[b.length + term.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(term, 0, out, at, term.length);
            System.arraycopy(b, at, out, at + term.length, b.length - at);
            Files.write(latin.resolve(f.getFileName()), out);
        }
        DicomSeries latinSeries = DicomSeries.scan(latin).series().get(0);
        Path seg = tmp.resolve("latin1.seg.dcm");
        SegmentationWriter.write(latinSeries, mask(latinSeries.load()), german, ALGORITHM, "test", WHEN, seg, false);
        assertEquals("ISO_IR 100", DicomParser.parse(seg).dataset().string(Tags.SPECIFIC_CHARACTER_SET));
        byte[] latinName = "Lebergef\u00e4\u00dfe".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(TestBytes.indexOf(Files.readAllBytes(seg), latinName) > 0, "the name in Latin-1 bytes");
        assertEquals("Lebergefäße", SegmentationReader.read(seg, latinSeries).segments().get(0).name());
        List<SegmentDescription> chinese = List.of(new SegmentDescription(1, "肝", CATEGORY,
                new Code("10200004", "SCT", "Liver")), german.get(1), german.get(2));
        var refused = assertThrows(IllegalArgumentException.class, () -> SegmentationWriter.encode(latinSeries,
                mask(latinSeries.load()), chinese, ALGORITHM, "test", WHEN));
        assertTrue(refused.getMessage().contains("'肝' cannot be written in ISO-8859-1, the character set of the series"
                + " (ISO_IR 100)"), refused.getMessage());
    }


    @Test
    void withoutSpacingBetweenSlicesTheFramesGapsGiveTheGridNotTheSliceThickness(@TempDir Path tmp) throws Exception {
        // the phantom says Slice Thickness 9.9 mm, its slices are 1.25 mm apart; the SEG copies both
        DicomSeries series = series("oblique");
        LabelMap mask = mask(series.load());
        byte[] bytes = SegmentationWriter.encode(series, mask, SEGMENTS, ALGORITHM, "test", WHEN);
        int at = TestBytes.indexOf(bytes, new byte[] {0x18, 0x00, (byte) 0x88, 0x00, 'D', 'S'});
        assertTrue(at > 0);
        bytes[at + 2] = (byte) 0x89; // Spacing Between Slices renamed to a tag no reader uses
        Path seg = Files.write(tmp.resolve("no-spacing.seg.dcm"), bytes);
        SegmentationReader.Segmentation own = SegmentationReader.read(seg);
        int plane = (int) (mask.sizeXyz()[0] * mask.sizeXyz()[1]);
        assertArrayEquals(Arrays.copyOf(mask.data(), (int) own.labels().sizeXyz()[2] * plane), own.labels().data());
        assertEquals(series.load().geometry().spacingMm()[2], own.labels().geometry().spacingMm()[2], 1e-6);
        assertTrue(own.notes().stream().anyMatch(n -> n.contains("no Spacing Between Slices; slices taken 1.250 mm apart")),
                own.notes().toString());
    }
}
