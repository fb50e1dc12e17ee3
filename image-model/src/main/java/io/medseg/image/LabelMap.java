package io.medseg.image;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * A segmentation: one unsigned-byte label per voxel (0 = background), with the geometry of the
 * scan it belongs to and the names of its labels (e.g. 1 = "tooth root").
 */
public final class LabelMap {
    private final ArrayImg<UnsignedByteType, ByteArray> labels;
    private final long[] sizeXyz;
    private final Geometry geometry;
    private final Map<Integer, String> labelNames;

    private LabelMap(ArrayImg<UnsignedByteType, ByteArray> labels, long[] sizeXyz, Geometry geometry,
            Map<Integer, String> labelNames) {
        this.labels = labels;
        this.sizeXyz = sizeXyz;
        this.geometry = geometry;
        this.labelNames = labelNames;
    }

    /** Wraps (does not copy) {@code data}, x fastest; values are read as unsigned. */
    public static LabelMap wrap(byte[] data, long[] sizeXyz, Geometry geometry, Map<Integer, String> labelNames) {
        if (sizeXyz.length != geometry.numDimensions()) {
            throw new IllegalArgumentException("size has " + sizeXyz.length + " axes but geometry has "
                    + geometry.numDimensions());
        }
        if (Shapes.count(sizeXyz) != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " labels, expected "
                    + Arrays.toString(sizeXyz));
        }
        return new LabelMap(ArrayImgs.unsignedBytes(data, sizeXyz), sizeXyz.clone(), geometry,
                Collections.unmodifiableMap(new TreeMap<>(labelNames)));
    }

    public RandomAccessibleInterval<UnsignedByteType> labels() {
        return labels;
    }

    /** The backing array (not a copy), x fastest; read values with {@code & 0xff}. */
    public byte[] data() {
        return labels.update(null).getCurrentStorageArray();
    }

    public long[] sizeXyz() {
        return sizeXyz.clone();
    }

    public int numDimensions() {
        return sizeXyz.length;
    }

    public Geometry geometry() {
        return geometry;
    }

    /** Label value → name, including 0 = background when known. */
    public Map<Integer, String> labelNames() {
        return labelNames;
    }

    /** The largest label value present. */
    public int maxLabel() {
        int max = 0;
        for (byte b : data()) {
            max = Math.max(max, b & 0xff);
        }
        return max;
    }
}
