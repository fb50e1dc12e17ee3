package io.medseg.workbench;

import io.medseg.core.image.Geometry;
import io.medseg.core.image.LabelMap;
import io.medseg.core.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.PlainImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads scans and masks by file type, and stacks per-channel files into one volume. */
final class ScanFiles {
    private ScanFiles() {}

    static boolean isReadable(Path file) {
        return PlainImages.isPlainImage(file);
    }

    static Volume readImage(Path file) throws IOException {
        if (PlainImages.isPlainImage(file)) {
            return PlainImages.readVolume(file);
        }
        throw new ImageFileException(file, "unsupported file type; medseg reads PNG and TIFF here"
                + " (DICOM and NIfTI arrive with the io-dicom issue)");
    }

    /** Reads one file per channel; all must have the same size and one channel each. */
    static Volume readChannels(List<Path> files) throws IOException {
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
    static LabelMap readLabels(Path file, Map<Integer, String> labels, long[] expectedSizeXyz, Geometry geometry)
            throws IOException {
        if (!PlainImages.isPlainImage(file)) {
            throw new ImageFileException(file, "unsupported label file type; PNG and TIFF are read here");
        }
        LabelMap map = PlainImages.readLabels(file, labels);
        if (expectedSizeXyz != null && !Arrays.equals(map.sizeXyz(), expectedSizeXyz)) {
            throw new ImageFileException(file, "label size " + Arrays.toString(map.sizeXyz())
                    + " differs from its image's size " + Arrays.toString(expectedSizeXyz));
        }
        int max = map.maxLabel();
        if (!labels.containsKey(max) || max >= labels.size()) {
            throw new ImageFileException(file, "label value " + max + " is not declared in dataset.json (labels "
                    + labels + ")");
        }
        return LabelMap.wrap(map.data(), map.sizeXyz(), geometry == null ? map.geometry() : geometry, labels);
    }

    static void writeLabels(LabelMap labels, Path file, boolean overwrite) throws IOException {
        PlainImages.writeLabels(labels, file, overwrite);
    }
}
