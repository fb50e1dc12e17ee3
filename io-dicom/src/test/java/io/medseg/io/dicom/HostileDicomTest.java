package io.medseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The broken and crafted DICOM inputs of issue 11 (found by a mutation run over pydicom's test files
 * and our fixtures): each is refused with one line naming the file and what is wrong, quickly, and
 * before anything is allocated from the header's claims. Files are crafted here
 * ({@link CraftedDicom}) or patched copies of the committed fixtures.
 */
class HostileDicomTest {
    static final Path SERIES = Path.of("src/test/resources/series");
    static final Path FILES = Path.of("src/test/resources/dicom");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "00200037; DS; 1\\0; (0020,0037) Image Orientation (Patient) has 2 values '1\\0', expected 6",
        "00200037; DS; 1\\0\\0\\1\\0; (0020,0037) Image Orientation (Patient) has 5 values '1\\0\\0\\1\\0', expected 6",
        "00200037; DS; 1\\0\\0\\1\\0\\0; (0020,0037) Image Orientation (Patient) is '1\\0\\0\\1\\0\\0': the row and column"
            + " directions are not perpendicular (cosine 1)",
        "00200037; DS; 0\\0\\0\\0\\1\\0; (0020,0037) Image Orientation (Patient) is '0\\0\\0\\0\\1\\0': the row and column"
            + " directions have lengths 0 and 1, expected unit vectors",
        "00280030; DS; 0.5; (0028,0030) Pixel Spacing has 1 value '0.5', expected 2",
        "00280030; DS; 0\\0.5; (0028,0030) Pixel Spacing is '0\\0.5', expected two distances > 0 mm",
        "00280030; DS; NaN\\0.5; (0028,0030) Pixel Spacing is 'NaN\\0.5', expected finite numbers",
        "00200032; DS; abc\\0\\0; (0020,0032) Image Position (Patient) is 'abc\\0\\0', expected numbers",
        "00281052; DS; x1; (0028,1052) Rescale Intercept is 'x1', expected numbers",
        "00281053; DS; 0; (0028,1053) Rescale Slope is 0, which would map every pixel to the intercept",
        "00280010; IS; -3; (0028,0010) Rows is '-3', expected a whole number >= 1",
    })
    void brokenGeometryOrRescaleIsSkippedWithTheAttributeAndTheOtherSeriesLoad(String tag, String vr, String value,
            String problem) throws Exception {
        for (int z = 0; z < 3; z++) {
            CraftedDicom.ctSlice(4, 5, z).write(dir.resolve("good" + z + ".dcm"));
        }
        Path bad = CraftedDicom.ctSlice(4, 5, 9).set(Tags.SERIES_INSTANCE_UID, "UI", "9.9")
                .set(Integer.parseUnsignedInt(tag, 16), vr, value).write(dir.resolve("bad.dcm"));

        DicomSeries.Scan scan = DicomSeries.scan(dir);

        assertEquals(problem, scan.skipped().get(bad), scan.skipped().toString());
        assertEquals(1, scan.series().size(), "the good series is still found");
        assertEquals(60, scan.series().get(0).load().data().length);
        // read on its own, the same file gives the same message, prefixed with its name
        var e = assertThrows(ImageFileException.class, () -> ImageHeader.of(DicomParser.parse(bad)));
        assertEquals(bad + ": " + problem, "" + e.getMessage());
    }

    @Test
    void aBadSliceInsideASeriesIsNamedAndTheSeriesRefusedAsIncomplete() throws Exception {
        for (int z = 0; z < 5; z++) {
            CraftedDicom s = CraftedDicom.ctSlice(4, 5, z);
            if (z == 2) {
                s.set(Tags.RESCALE_INTERCEPT, "DS", "abc");
            }
            s.write(dir.resolve("s" + z + ".dcm"));
        }
        DicomSeries.Scan scan = DicomSeries.scan(dir);
        assertEquals("(0028,1052) Rescale Intercept is 'abc', expected numbers", scan.skipped().get(dir.resolve("s2.dcm")));
        var e = assertThrows(ImageFileException.class, () -> scan.series().get(0).load());
        assertTrue(e.getMessage().startsWith(dir.resolve("s3.dcm") + ": series 1.2.3.4 has uneven slice spacing"),
                e.getMessage());
    }

    @Test
    void headerClaimingAHugeImageIsRefusedBeforeTheVolumeIsAllocated() throws Exception {
        // two slices of 46000² (NegativeArraySize once) and 30000² (7 GB allocated once), each with 40 bytes of pixels
        for (int side : new int[] {46000, 30000}) {
            Path folder = Files.createDirectory(dir.resolve("s" + side));
            for (int z = 0; z < 2; z++) {
                CraftedDicom.ctSlice(4, 5, z).setUs(Tags.ROWS, side).setUs(Tags.COLUMNS, side)
                        .write(folder.resolve("IM" + z));
            }
            DicomSeries series = DicomSeries.scan(folder).series().get(0);
            long start = System.nanoTime();
            var e = assertThrows(ImageFileException.class, series::load);
            assertEquals(folder.resolve("IM0") + ": pixel data has 40 bytes, but 1 frame(s) of " + side + " x " + side
                    + " x 1 at 16 bits need " + 2L * side * side + " in " + TransferSyntax.EXPLICIT_LE.describe()
                    + " (truncated file, or a header claiming a larger image)", e.getMessage());
            assertTrue(System.nanoTime() - start < 1e9, "refused at once");
        }
    }

    @Test
    void aVolumeBeyondTheConfiguredCeilingIsRefusedWithTheSetting() throws Exception {
        for (int z = 0; z < 3; z++) {
            CraftedDicom.ctSlice(40, 50, z).write(dir.resolve("IM" + z));
        }
        DicomSeries series = DicomSeries.scan(dir).series().get(0);
        String saved = System.getProperty(ReadLimits.MAX_SCAN_BYTES);
        System.setProperty(ReadLimits.MAX_SCAN_BYTES, "20k");
        try {
            var e = assertThrows(ImageFileException.class, series::load);
            assertEquals(dir.resolve("IM0") + ": series 1.2.3.4 of 50 x 40 x 3 voxels would need 24.0 kB of memory, more"
                    + " than the 20.5 kB one scan may use (medseg.read.maxScanBytes or MEDSEG_MAX_SCAN_BYTES raise it,"
                    + " within the JVM's -Xmx and 2^31 voxels)", e.getMessage());
        } finally {
            restore(saved);
        }
        assertEquals(6000, series.load().data().length, "within the default ceiling");
    }

    @Test
    void rleFrameClaimingFortyThousandSquaredIsRefusedFromItsSize() throws Exception {
        byte[] frame = new byte[680]; // a 64-byte RLE header and a few runs: far too little for 40000² pixels
        frame[0] = 1;
        frame[4] = 64;
        Path file = CraftedDicom.ctSlice(4, 5, 0).setUs(Tags.ROWS, 40000).setUs(Tags.COLUMNS, 40000)
                .encapsulated(CraftedDicom.RLE, frame).write(dir.resolve("rle.dcm"));
        var e = assertThrows(ImageFileException.class, () -> PixelDecoder.decode(DicomParser.parse(file)));
        assertEquals(file + ": pixel data has 680 bytes, but 1 frame(s) of 40000 x 40000 x 1 at 16 bits need at least"
                + " 50000000 in " + TransferSyntax.RLE_LOSSLESS.describe() + " (truncated file, or a header claiming a larger image)",
                e.getMessage());
    }

    @Test
    void aFileLargerThanOneArrayIsRefusedBeforeItIsRead() throws Exception {
        Path file = dir.resolve("huge.dcm");
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(3L << 30); // sparse: 3 GB claimed, nothing written
        }
        var e = assertThrows(ImageFileException.class, () -> DicomParser.parse(file));
        assertTrue(e.getMessage().startsWith(file + ": is 3221225472 bytes, more than one DICOM file read here may hold ("),
                e.getMessage());
    }

    @Test
    void tenThousandNestedSequencesAreRefusedWithoutRecursingIntoThem() throws Exception {
        Path file = CraftedDicom.ctSlice(4, 5, 0).nestedSequences(0x00081140, 10_000).write(dir.resolve("deep.dcm"));
        var e = assertThrows(ImageFileException.class, () -> DicomParser.parse(file));
        assertTrue(e.getMessage().startsWith(file + ": sequences nested more than 64 levels deep at byte "), e.getMessage());
        // 64 levels are fine
        Path ok = CraftedDicom.ctSlice(4, 5, 0).nestedSequences(0x00081140, 63).write(dir.resolve("ok.dcm"));
        assertEquals(20, PixelDecoder.decode(DicomParser.parse(ok)).values().length);
    }

    @Test
    void aDeflateBombStopsAtTheCeiling() throws Exception {
        Path file = CraftedDicom.ctSlice(4, 5, 0).setBytes(0x00091010, "OB", new byte[64 << 20])
                .writeDeflated(dir.resolve("bomb.dcm"));
        assertTrue(Files.size(file) < 200_000, "64 MB of zeros deflate to " + Files.size(file) + " bytes");
        String saved = System.getProperty(ReadLimits.MAX_SCAN_BYTES);
        System.setProperty(ReadLimits.MAX_SCAN_BYTES, "16m");
        try {
            var e = assertThrows(ImageFileException.class, () -> DicomParser.parse(file));
            assertTrue(e.getMessage().startsWith(file + ": deflated data set inflates past 16777216 bytes (from "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("), more than one scan may use (medseg.read.maxScanBytes)"), e.getMessage());
        } finally {
            restore(saved);
        }
        assertEquals(20, PixelDecoder.decode(DicomParser.parse(file)).values().length, "within the default ceiling");
    }

    @Test
    void losslessJpegFrameDeclaring65535SquaredIsRefusedBeforeDecoding() throws Exception {
        Path source = SERIES.resolve("axial_jpeg_lossless_sv1/IM0000");
        byte[] b = Files.readAllBytes(source);
        int sof = find(b, new byte[] {(byte) 0xFF, (byte) 0xC3});
        b[sof + 5] = b[sof + 6] = b[sof + 7] = b[sof + 8] = (byte) 0xFF;
        Path file = Files.write(dir.resolve("sof.dcm"), b);
        var e = assertThrows(ImageFileException.class, () -> PixelDecoder.decode(DicomParser.parse(file)));
        assertEquals(file + ": " + TransferSyntax.JPEG_LOSSLESS_SV1.describe() + " frame 0 declares 65535 x 65535 x 1,"
                + " the DICOM header says 24 x 20 x 1", e.getMessage());
    }

    @Test
    void jpeg2000WidthOf268MillionIsRefusedAtOnce() throws Exception {
        byte[] b = Files.readAllBytes(FILES.resolve("MR_small_jp2klossless.dcm"));
        int siz = find(b, new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51}) + 4;
        b[siz + 4] = 0x10; // Xsiz = 0x10000040 = 268435520
        Path file = Files.write(dir.resolve("siz.dcm"), b);
        long start = System.nanoTime();
        var e = assertThrows(ImageFileException.class, () -> PixelDecoder.decode(DicomParser.parse(file)));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" frame 0 declares 268435520 x 64 x 1, the DICOM header says 64 x 64 x 1"),
                e.getMessage());
        assertTrue(System.nanoTime() - start < 2e9, "refused at once, not after 57 s");
    }

    @Test
    void jj2000sOwnErrorsBecomeOneLineMessages() throws Exception {
        // a custom wavelet filter in the COD marker: jj2000 throws NotImplementedError, an Error
        byte[] b = Files.readAllBytes(FILES.resolve("MR_small_jp2klossless.dcm"));
        int cod = find(b, new byte[] {(byte) 0xFF, 0x52});
        b[cod + 13] = (byte) 0x80;
        Path file = Files.write(dir.resolve("cod.dcm"), b);
        var e = assertThrows(ImageFileException.class, () -> PixelDecoder.decode(DicomParser.parse(file)));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("frame could not be decoded: Custom filters not supported"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"jj2000-loop-truncated.j2k", "jj2000-loop-edited.j2k"})
    void jpeg2000CodestreamsThatMadeJj2000LoopEndInTime(String name) throws Exception {
        // mutations of MR_small_jp2klossless's codestream that kept jj2000 reading packet headers past the end
        // for ever (it takes the −1 of an exhausted stream for a byte of ones); found by HangHunt-style mutation
        Path source = FILES.resolve("MR_small_jp2klossless.dcm");
        byte[] codestream = Files.readAllBytes(Path.of("src/test/resources/hostile").resolve(name));
        DicomFile f = withFragment(DicomParser.parse(source), codestream);
        long start = System.nanoTime();
        try {
            PixelDecoder.decode(f);
        } catch (ImageFileException e) {
            assertTrue(e.getMessage().startsWith(source + ": "), e.getMessage());
            assertTrue(!e.getMessage().contains("did not finish"), "abandoned instead of ending: " + e.getMessage());
        }
        assertTrue(System.nanoTime() - start < 5e9, "finished in time");
    }

    @Test
    void aDecoderThatDoesNotFinishIsAbandonedWithinItsBudget() throws Exception {
        // the same input with jj2000 reading the plain ImageIO end-of-stream (-1): it loops until the budget ends
        Path source = FILES.resolve("MR_small_jp2klossless.dcm");
        byte[] codestream = Files.readAllBytes(Path.of("src/test/resources/hostile/jj2000-loop-truncated.j2k"));
        DicomFile f = withFragment(DicomParser.parse(source), codestream);
        System.setProperty(ReadLimits.DECODER_SECONDS, "1");
        BoundedDecoder.failAtEndOfFrame = false;
        try {
            long start = System.nanoTime();
            var e = assertThrows(ImageFileException.class, () -> PixelDecoder.decode(f));
            assertEquals(source + ": " + TransferSyntax.JPEG_2000_LOSSLESS.describe() + " frame: the decoder did not finish"
                    + " within 1.0 s and was abandoned (corrupt or crafted data?; medseg.read.decoderSeconds sets the budget)",
                    e.getMessage());
            assertTrue(System.nanoTime() - start < 3e9);
        } finally {
            BoundedDecoder.failAtEndOfFrame = true;
            System.clearProperty(ReadLimits.DECODER_SECONDS);
        }
        // the abandoned decoder stops at its next read; the process goes on decoding
        assertEquals(64 * 64, PixelDecoder.decode(DicomParser.parse(source)).values().length);
    }

    private static DicomFile withFragment(DicomFile f, byte[] fragment) {
        DicomDataset copy = new DicomDataset(f.dataset().order());
        for (int tag : new int[] {Tags.ROWS, Tags.COLUMNS, Tags.SAMPLES_PER_PIXEL, Tags.BITS_ALLOCATED, Tags.BITS_STORED,
            Tags.HIGH_BIT, Tags.PIXEL_REPRESENTATION, Tags.PHOTOMETRIC_INTERPRETATION}) {
            if (f.dataset().element(tag) != null) {
                copy.put(f.dataset().element(tag));
            }
        }
        copy.put(new DicomDataset.Element(Tags.PIXEL_DATA, "OB", null, null,
                new DicomDataset.Encapsulated(new byte[0], List.of(fragment))));
        return new DicomFile(f.path(), f.transferSyntax(), copy);
    }

    static int find(byte[] haystack, byte[] needle) throws IOException {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IOException("marker not found");
    }

    private static void restore(String saved) {
        if (saved == null) {
            System.clearProperty(ReadLimits.MAX_SCAN_BYTES);
        } else {
            System.setProperty(ReadLimits.MAX_SCAN_BYTES, saved);
        }
    }

    /** A header claiming a billion frames: refused from its pixel data before a header is made per frame. */
    @Test
    void aBillionFramesAreRefusedBeforeAnyPerFrameWork() throws Exception {
        Path file = dir.resolve("frames.dcm");
        CraftedDicom.ctSlice(4, 5, 0).set(Tags.NUMBER_OF_FRAMES, "IS", "999999999").write(file);
        long start = System.nanoTime();
        DicomSeries.Scan scan = DicomSeries.scanFiles(List.of(file));
        assertTrue(System.nanoTime() - start < 1e9, "at once");
        assertEquals(0, scan.series().size());
        assertTrue(scan.skipped().get(file).startsWith("pixel data has 40 bytes, but 999999999 frame(s) of 4 x 5"),
                scan.skipped().toString());
    }

    /**
     * A classic multi-frame file whose header places only its first frame (no spacing, no grid
     * offsets): the frames stack in file order, with a note saying so; the placed first frame is not
     * sorted away from its place.
     */
    @Test
    void framesWithoutPositionsStackInFileOrderWithANote() throws Exception {
        Path file = dir.resolve("frames.dcm");
        ByteBuffer pixels = ByteBuffer.allocate(2 * 3 * 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 20; i++) {
                pixels.putShort((short) (1000 * k + i));
            }
        }
        CraftedDicom.ctSlice(4, 5, 50).set(Tags.NUMBER_OF_FRAMES, "IS", "3").setBytes(Tags.PIXEL_DATA, "OW",
                pixels.array()).write(file);
        Volume v = DicomSeries.scanFiles(List.of(file)).series().get(0).load();
        assertEquals(3, v.sizeXyz()[2]);
        for (int k = 0; k < 3; k++) {
            assertEquals(1000 * k - 1024, v.data()[20 * k], "frame " + (k + 1) + " in slice " + k);
        }
        assertEquals(50, v.geometry().originMm()[2], 1e-9, "the first frame's position");
        assertTrue(v.notes().get(0).contains("its 3 frames have no positions; stacked in file order 1 mm apart"),
                v.notes().toString());
    }
}
