package io.medseg.image;

import java.util.Arrays;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * A scan: float voxels with geometry, 2D or 3D, with one or more channels.
 *
 * <p>Voxels live in an ImgLib2 array image of dimensions (x, y[, z], c): x varies fastest and the
 * channel slowest. The same {@code float[]} is therefore the tensor (1, C, [D,] H, W) of DJL,
 * which {@link io.medseg.core.engine.TensorLayout} relies on.
 */
public final class Volume {
    private final ArrayImg<FloatType, FloatArray> voxels;
    private final long[] sizeXyz;
    private final int channels;
    private final Geometry geometry;
    private final List<String> notes;
    private final String modality;

    private Volume(ArrayImg<FloatType, FloatArray> voxels, long[] sizeXyz, int channels, Geometry geometry,
            List<String> notes, String modality) {
        this.voxels = voxels;
        this.sizeXyz = sizeXyz;
        this.channels = channels;
        this.geometry = geometry;
        this.notes = notes;
        this.modality = modality;
    }

    /**
     * Wraps (does not copy) {@code data}, laid out x fastest, channel slowest.
     *
     * @throws IllegalArgumentException if the sizes do not match the data or the geometry
     */
    public static Volume wrap(float[] data, long[] sizeXyz, int channels, Geometry geometry) {
        if (sizeXyz.length != geometry.numDimensions()) {
            throw new IllegalArgumentException("size has " + sizeXyz.length + " axes but geometry has "
                    + geometry.numDimensions());
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        long voxelsPerChannel = Shapes.count(sizeXyz);
        if (voxelsPerChannel * channels != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " values, expected "
                    + Arrays.toString(sizeXyz) + " x " + channels + " channels = " + voxelsPerChannel * channels);
        }
        long[] dims = Arrays.copyOf(sizeXyz, sizeXyz.length + 1);
        dims[sizeXyz.length] = channels;
        return new Volume(ArrayImgs.floats(data, dims), sizeXyz.clone(), channels, geometry, List.of(), "");
    }

    /**
     * The same voxels with what the reader did that the user should know (a tilt resampled, a header
     * field repaired as nibabel does), one line each; shown where the scan is opened or segmented.
     */
    public Volume withNotes(List<String> readerNotes) {
        return new Volume(voxels, sizeXyz, channels, geometry, List.copyOf(readerNotes), modality);
    }

    /** What the reader did to give these voxels and geometry (empty when it read the file as it is). */
    public List<String> notes() {
        return notes;
    }

    /** The same voxels with the modality the file states (DICOM's Modality, e.g. "CT", "MR", "DX"). */
    public Volume withModality(String fileModality) {
        return new Volume(voxels, sizeXyz, channels, geometry, notes, fileModality == null ? "" : fileModality.trim());
    }

    /** The modality the file states, or "" when it states none (NIfTI, PNG). */
    public String modality() {
        return modality;
    }

    /** A zero-filled volume. */
    public static Volume zeros(long[] sizeXyz, int channels, Geometry geometry) {
        return wrap(new float[Math.toIntExact(Shapes.count(sizeXyz) * channels)], sizeXyz, channels, geometry);
    }

    /** All voxels as an ImgLib2 image (x, y[, z], c). */
    public RandomAccessibleInterval<FloatType> voxels() {
        return voxels;
    }

    /** One channel as a view (x, y[, z]). */
    public RandomAccessibleInterval<FloatType> channel(int c) {
        return Views.hyperSlice(voxels, sizeXyz.length, c);
    }

    /** The backing array (not a copy), x fastest, channel slowest. */
    public float[] data() {
        return voxels.update(null).getCurrentStorageArray();
    }

    public long[] sizeXyz() {
        return sizeXyz.clone();
    }

    public int numDimensions() {
        return sizeXyz.length;
    }

    public int channels() {
        return channels;
    }

    public Geometry geometry() {
        return geometry;
    }
}
