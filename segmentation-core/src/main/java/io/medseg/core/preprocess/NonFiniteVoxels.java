package io.medseg.core.preprocess;

import io.medseg.image.Volume;
import java.util.Locale;

/**
 * NaN and infinite voxels, made explicit before a scan meets a network. One NaN spreads through
 * every convolution it touches, and a z-score over a channel holding one is NaN everywhere: a few
 * hundred of them would turn a whole mask empty. They are replaced per channel, NaN and −∞ by the
 * channel's lowest finite value, +∞ by its highest (for CT, both lie beyond the clip range, so they
 * end up at its edges), and the replacement is reported to the user.
 *
 * @param volume the scan, the same object when every voxel was finite
 * @param nan NaN voxels replaced
 * @param positiveInfinite +∞ voxels replaced
 * @param negativeInfinite −∞ voxels replaced
 */
public record NonFiniteVoxels(Volume volume, long nan, long positiveInfinite, long negativeInfinite) {

    /**
     * @throws IllegalArgumentException when a channel has no finite voxel at all
     */
    public static NonFiniteVoxels replace(Volume scan) {
        float[] data = scan.data();
        int perChannel = data.length / scan.channels();
        long nan = 0;
        long pos = 0;
        long neg = 0;
        for (float v : data) {
            if (Float.isNaN(v)) {
                nan++;
            } else if (v == Float.POSITIVE_INFINITY) {
                pos++;
            } else if (v == Float.NEGATIVE_INFINITY) {
                neg++;
            }
        }
        if (nan + pos + neg == 0) {
            return new NonFiniteVoxels(scan, 0, 0, 0);
        }
        float[] out = data.clone();
        for (int c = 0; c < scan.channels(); c++) {
            float low = Float.POSITIVE_INFINITY;
            float high = Float.NEGATIVE_INFINITY;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                if (Float.isFinite(data[i])) {
                    low = Math.min(low, data[i]);
                    high = Math.max(high, data[i]);
                }
            }
            if (low > high) {
                throw new IllegalArgumentException("channel " + c + " has no finite voxel: all " + perChannel
                        + " are NaN or infinite");
            }
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                if (Float.isNaN(data[i]) || data[i] == Float.NEGATIVE_INFINITY) {
                    out[i] = low;
                } else if (data[i] == Float.POSITIVE_INFINITY) {
                    out[i] = high;
                }
            }
        }
        return new NonFiniteVoxels(Volume.wrap(out, scan.sizeXyz(), scan.channels(), scan.geometry()), nan, pos, neg);
    }

    public boolean any() {
        return nan + positiveInfinite + negativeInfinite > 0;
    }

    /** "312 NaN, 20 +∞ and 20 −∞ voxels (of 8192) replaced by …", or "" when there were none. */
    public String describe() {
        if (!any()) {
            return "";
        }
        return String.format(Locale.ROOT, "%d NaN, %d +infinite and %d -infinite voxel(s) (of %d) replaced: NaN and"
                + " -infinite by the channel's lowest finite value, +infinite by its highest", nan, positiveInfinite,
                negativeInfinite, volume.data().length);
    }
}
