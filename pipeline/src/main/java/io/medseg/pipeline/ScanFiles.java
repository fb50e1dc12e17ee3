package io.medseg.pipeline;

import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.ImageFiles;
import io.medseg.io.ScanHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Scans and masks as the pipeline reads them: one file per channel stacked into one volume, and
 * label maps checked against their image and the dataset's labels. Which reader a file needs is
 * {@link ImageFiles}' choice; the plain dispatch methods stay here for the pipeline's callers.
 */
public final class ScanFiles {
    private ScanFiles() {}

    /** Whether the name says a PNG, TIFF or NIfTI image. */
    public static boolean isReadable(Path file) {
        return ImageFiles.isReadableImage(file);
    }

    /** The file ending that names the type: {@code .nii.gz} or the last {@code .xyz}. */
    public static String ending(Path file) {
        return ImageFiles.ending(file);
    }

    /** The file name without its type ending. */
    public static String stem(Path file) {
        return ImageFiles.stem(file);
    }

    /** Reads a PNG/TIFF or NIfTI scan, by name. */
    public static Volume readImage(Path file) throws IOException {
        return ImageFiles.readImage(file);
    }

    /** An image's size, channels and geometry from its header, no voxel read (PNG/TIFF, NIfTI). */
    public static ScanHeader readHeader(Path file) throws IOException {
        return ImageFiles.readHeader(file);
    }

    /** Reads one file per channel; all must have the same size and one channel each. */
    public static Volume readChannels(List<Path> files) throws IOException {
        if (files.size() == 1) {
            return readImage(files.get(0));
        }
        Volume first = readImage(files.get(0));
        int voxels = first.data().length;
        float[] data = Arrays.copyOf(first.data(), voxels * files.size());
        for (int c = 1; c < files.size(); c++) {
            Volume v = readImage(files.get(c));
            if (!Arrays.equals(v.sizeXyz(), first.sizeXyz()) || v.channels() != 1) {
                throw new ImageFileException(files.get(c), "size " + Arrays.toString(v.sizeXyz()) + " x " + v.channels()
                        + " channel(s) differs from channel 0 " + files.get(0) + " " + Arrays.toString(first.sizeXyz()));
            }
            System.arraycopy(v.data(), 0, data, c * voxels, voxels);
        }
        return Volume.wrap(data, first.sizeXyz(), files.size(), first.geometry());
    }

    /**
     * Reads a label file and checks it against its image and the declared labels.
     *
     * @throws ImageFileException naming the file: size mismatch or undeclared label values
     */
    public static LabelMap readLabels(Path file, Map<Integer, String> labels, long[] expectedSizeXyz, Geometry geometry)
            throws IOException {
        LabelMap map = ImageFiles.readLabels(file, labels);
        if (expectedSizeXyz != null && !Arrays.equals(map.sizeXyz(), expectedSizeXyz)) {
            throw new ImageFileException(file, "label size " + Arrays.toString(map.sizeXyz())
                    + " differs from its image's size " + Arrays.toString(expectedSizeXyz));
        }
        if (geometry != null) {
            String mismatch = map.geometry().mismatch(geometry);
            if (mismatch != null) {
                throw new ImageFileException(file, "label geometry differs from its image's: " + mismatch);
            }
        }
        byte[] data = declaredLabels(file, map.data(), labels);
        return LabelMap.wrap(data, map.sizeXyz(), geometry == null ? map.geometry() : geometry, labels);
    }

    /**
     * The label values, checked against the declared ones. A binary mask saved as 0/255 (ImageJ's
     * convention) is read as 0/1; any other undeclared value is an error listing every value found.
     */
    public static byte[] declaredLabels(Path file, byte[] data, Map<Integer, String> labels) throws ImageFileException {
        long[] histogram = new long[256];
        for (byte b : data) {
            histogram[b & 0xff]++;
        }
        List<Integer> found = new ArrayList<>();
        List<Integer> undeclared = new ArrayList<>();
        for (int v = 0; v < 256; v++) {
            if (histogram[v] > 0) {
                found.add(v);
                if (!labels.containsKey(v) || v >= labels.size()) {
                    undeclared.add(v);
                }
            }
        }
        if (undeclared.isEmpty()) {
            return data;
        }
        boolean binary = labels.size() == 2;
        if (binary && undeclared.equals(List.of(255)) && histogram[1] == 0) {
            byte[] mapped = data.clone();
            for (int i = 0; i < mapped.length; i++) {
                mapped[i] = mapped[i] == 0 ? 0 : (byte) 1;
            }
            return mapped;
        }
        throw new ImageFileException(file, "label value(s) " + undeclared + " are not declared in dataset.json (values found "
                + found + ", labels " + labels + ")" + (binary ? "; a binary mask must hold only 0 and 1 (or 0 and 255)" : ""));
    }

    /** Writes a mask as NIfTI or PNG/TIFF, by name, atomically; refuses to replace a file unless asked. */
    public static void writeLabels(LabelMap labels, Path file, boolean overwrite) throws IOException {
        ImageFiles.writeLabels(labels, file, overwrite);
    }
}
