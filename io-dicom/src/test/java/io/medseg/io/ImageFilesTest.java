package io.medseg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.ImageFiles.Format;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    static final Path DICOM = Path.of("src/test/resources/dicom");
    static final Path NIFTI = Path.of("src/test/resources/nifti");
    static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "liver", 2, "kidney");

    @Test
    void pngTiffAndNiftiAreToldByNameWithoutReadingTheFile(@TempDir Path dir) throws Exception {
        // none of these files exists: the name alone decides
        for (String name : new String[] {"a.png", "a.PNG", "a.tif", "a.TIF", "a.tiff", "a.TIFF"}) {
            assertEquals(Optional.of(Format.PNG_TIFF), ImageFiles.format(dir.resolve(name)), name);
            assertTrue(ImageFiles.isReadableImage(dir.resolve(name)), name);
            assertFalse(ImageFiles.isNifti(dir.resolve(name)), name);
        }
        for (String name : new String[] {"a.nii", "a.NII", "a.nii.gz", "a.Nii.Gz", "a.hdr", "a.HDR"}) {
            assertEquals(Optional.of(Format.NIFTI), ImageFiles.format(dir.resolve(name)), name);
            assertTrue(ImageFiles.isReadableImage(dir.resolve(name)), name);
            assertTrue(ImageFiles.isNifti(dir.resolve(name)), name);
        }
        for (String name : new String[] {"a.dcm", "a.img", "a.gz", "a.png.txt", "a.nii.bak", "png", "a"}) {
            assertEquals(Optional.empty(), ImageFiles.format(dir.resolve(name)), name);
            assertFalse(ImageFiles.isReadableImage(dir.resolve(name)), name);
        }
    }

    @Test
    void dicomIsToldByItsFirstBytesWhateverTheName(@TempDir Path dir) throws Exception {
        // with the 128-byte preamble and "DICM", and without (a first element of group 0008, either byte order)
        for (String name : new String[] {"CT_small.dcm", "MR_small_implicit.dcm", "ExplVR_LitEndNoMeta.dcm",
                "ExplVR_BigEndNoMeta.dcm"}) {
            assertTrue(ImageFiles.isDicom(DICOM.resolve(name)), name);
            assertEquals(Optional.of(Format.DICOM), ImageFiles.format(DICOM.resolve(name)), name);
        }
        Path noEnding = Files.copy(DICOM.resolve("CT_small.dcm"), dir.resolve("IM0001"));
        assertEquals(Optional.of(Format.DICOM), ImageFiles.format(noEnding));
        // an image name wins: the bytes of a file named as PNG/TIFF are not looked at (CT_small's preamble is even a TIFF's)
        Path namedTiff = Files.copy(DICOM.resolve("CT_small.dcm"), dir.resolve("ct.tif"));
        assertEquals(Optional.of(Format.PNG_TIFF), ImageFiles.format(namedTiff));
    }

    @Test
    void shortAndTextFilesAreNotDicom(@TempDir Path dir) throws Exception {
        Path tenBytes = Files.write(dir.resolve("ten.dcm"), "0123456789".getBytes(StandardCharsets.US_ASCII));
        Path text = Files.writeString(dir.resolve("notes.dcm"), "not DICOM, only text that is long enough to hold"
                + " a preamble and a marker if it had one; it has neither, so it is not read as DICOM.\n".repeat(3));
        Path empty = Files.write(dir.resolve("empty.dcm"), new byte[0]);
        // a group-0008 start in fewer bytes than one element header is too short to count
        Path sevenBytes = Files.write(dir.resolve("seven.dcm"), new byte[] {0x08, 0x00, 0x05, 0x00, 'C', 'S', 0});
        for (Path file : new Path[] {tenBytes, text, empty, sevenBytes}) {
            assertFalse(ImageFiles.isDicom(file), file.toString());
            assertEquals(Optional.empty(), ImageFiles.format(file), file.toString());
        }
        // the same start with one more byte is a plausible first element, as DicomParser.looksLikeDicom says
        Path eightBytes = Files.write(dir.resolve("eight.dcm"), new byte[] {0x08, 0x00, 0x05, 0x00, 'C', 'S', 0, 0});
        assertTrue(ImageFiles.isDicom(eightBytes));
    }

    @Test
    void aFolderHasNoFormatAndCannotBeSniffed(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("series"));
        assertEquals(Optional.empty(), ImageFiles.format(folder));
        // callers (series scan, input folders, info) report an unreadable entry with this error, as before
        assertThrows(IOException.class, () -> ImageFiles.isDicom(folder));
    }

    @Test
    void niftiLabelMapsRoundTripAsNifti(@TempDir Path dir) throws Exception {
        Geometry g = new Geometry(new double[] {0.8, 0.8, 2.5}, new double[] {-10, 20, 30},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        LabelMap m = LabelMap.wrap(new byte[] {0, 1, 2, 0, 2, 1, 1, 0, 0, 2, 2, 1}, new long[] {3, 2, 2}, g, LABELS);
        Path file = dir.resolve("mask.nii.gz");
        ImageFiles.writeLabels(m, file, false);
        byte[] head = Files.readAllBytes(file);
        assertTrue((head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B, "gzip-compressed NIfTI");
        LabelMap back = ImageFiles.readLabels(file, LABELS);
        assertArrayEquals(m.data(), back.data());
        assertArrayEquals(m.sizeXyz(), back.sizeXyz());
        assertArrayEquals(g.spacingMm(), back.geometry().spacingMm(), 1e-6);
        assertArrayEquals(g.originMm(), back.geometry().originMm(), 1e-6);
        assertArrayEquals(new long[] {3, 2, 2}, ImageFiles.readHeader(file).sizeXyz());
        assertThrows(FileAlreadyExistsException.class, () -> ImageFiles.writeLabels(m, file, false));
        ImageFiles.writeLabels(LabelMap.wrap(new byte[12], m.sizeXyz(), g, LABELS), file, true);
        assertArrayEquals(new byte[12], ImageFiles.readLabels(file, LABELS).data());
    }

    @Test
    void pngAndTiffLabelMapsRoundTripAsPngAndTiff(@TempDir Path dir) throws Exception {
        LabelMap m = LabelMap.wrap(new byte[] {0, 1, 2, 2, 1, 0}, new long[] {3, 2}, Geometry.identity(2), LABELS);
        Path png = dir.resolve("mask.png");
        Path tiff = dir.resolve("mask.TIF");
        ImageFiles.writeLabels(m, png, false);
        ImageFiles.writeLabels(m, tiff, false);
        byte[] pngHead = Files.readAllBytes(png);
        assertTrue(pngHead[1] == 'P' && pngHead[2] == 'N' && pngHead[3] == 'G', "PNG bytes");
        byte[] tiffHead = Files.readAllBytes(tiff);
        assertTrue(tiffHead[0] == 'I' && tiffHead[1] == 'I' || tiffHead[0] == 'M' && tiffHead[1] == 'M', "TIFF bytes");
        for (Path file : new Path[] {png, tiff}) {
            assertArrayEquals(m.data(), ImageFiles.readLabels(file, LABELS).data(), file.toString());
            assertArrayEquals(new float[] {0, 1, 2, 2, 1, 0}, ImageFiles.readImage(file).data(), file.toString());
            ScanHeader h = ImageFiles.readHeader(file);
            assertArrayEquals(new long[] {3, 2}, h.sizeXyz(), file.toString());
            assertEquals(1, h.channels(), file.toString());
        }
    }

    @Test
    void niftiScansAreReadByTheNiftiReaderIncludingTwoFilePairs() throws Exception {
        for (String name : new String[] {"standard.nii.gz", "dtype_int16.nii", "pair_int16.hdr"}) {
            Path file = NIFTI.resolve(name);
            Volume v = ImageFiles.readImage(file);
            assertArrayEquals(Nifti.readVolume(file).data(), v.data(), name);
            assertArrayEquals(v.sizeXyz(), ImageFiles.readHeader(file).sizeXyz(), name);
        }
    }

    @Test
    void unsupportedNamesAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        // a real DICOM file: readers take PNG/TIFF/NIfTI by name, DICOM goes through series
        Path dicom = Files.copy(DICOM.resolve("CT_small.dcm"), dir.resolve("ct.dcm"));
        String expected = dicom + ": unsupported file type; medseg reads PNG, TIFF and NIfTI (.nii, .nii.gz, .hdr)";
        ImageFileException image = assertThrows(ImageFileException.class, () -> ImageFiles.readImage(dicom));
        assertEquals(expected, image.getMessage());
        assertEquals(dicom, image.file());
        assertEquals(expected, assertThrows(ImageFileException.class, () -> ImageFiles.readHeader(dicom)).getMessage());
        ImageFileException labels = assertThrows(ImageFileException.class, () -> ImageFiles.readLabels(dicom, LABELS));
        assertEquals(dicom + ": unsupported label file type; PNG, TIFF and NIfTI are read", labels.getMessage());
    }

    @Test
    void endingAndStem() {
        for (String[] c : new String[][] {{"ct_001_0000.nii.gz", ".nii.gz", "ct_001_0000"}, {"A.NII.GZ", ".NII.GZ", "A"},
                {"case.png", ".png", "case"}, {"scan.v2.tif", ".tif", "scan.v2"}, {"IM0001", "", "IM0001"},
                {"x.gz", ".gz", "x"}}) {
            Path p = Path.of("some", "dir", c[0]);
            assertEquals(c[1], ImageFiles.ending(p), c[0]);
            assertEquals(c[2], ImageFiles.stem(p), c[0]);
        }
    }
}
