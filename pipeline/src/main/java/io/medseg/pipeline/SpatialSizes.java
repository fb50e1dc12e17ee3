package io.medseg.pipeline;

import io.medseg.core.bundle.Architectures;
import io.medseg.core.bundle.NetworkArchitecture;
import io.medseg.core.engine.TensorLayout;
import java.util.Arrays;
import java.util.Locale;

/**
 * Per-axis values as users type them: x×y[×z], like {@code 128x128x64} — the order of every image
 * size, of {@code --spacing}, of NIfTI and of ImageJ. The networks keep theirs in tensor order
 * ([D,] H, W); {@link TensorLayout} converts. The old spellings of patch and tile ({@code --patch},
 * {@code --tile}, the Fiji fields) were in tensor order and still are: {@link #parseTensorOrder}.
 */
public final class SpatialSizes {
    private SpatialSizes() {}

    /** Positive whole numbers written like 64x128x128, in the order given. */
    public static int[] parse(String text, String option) {
        try {
            int[] p = Arrays.stream(text.toLowerCase(Locale.ROOT).split("x"))
                    .mapToInt(v -> Integer.parseInt(v.trim())).toArray();
            for (int v : p) {
                if (v < 1) {
                    throw new NumberFormatException();
                }
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + text + ": sizes must be positive whole numbers");
        }
    }

    /**
     * Sizes written x×y[×z] (e.g. 128x128x64), returned in tensor order for the networks.
     *
     * @param dims the axes expected (2 or 3), or 0 for either
     */
    public static int[] parseXyz(String text, int dims, String option) {
        int[] xyz = parse(text, option);
        checkCount(xyz, text, dims, option, dims == 2 ? "160x160 (x×y)" : "128x128x64 (x×y×z)");
        return TensorLayout.reversed(xyz);
    }

    /** A patch written x×y[×z] for the network {@code arch}, in tensor order. */
    public static int[] parsePatchXyz(String text, String arch, String option) {
        return parseXyz(text, dims(arch), option);
    }

    /** The old spelling, in tensor order as written: H×W or D×H×W (e.g. 64x128x128). */
    public static int[] parseTensorOrder(String text, int dims, String option) {
        int[] sizes = parse(text, option);
        checkCount(sizes, text, dims, option, dims == 2 ? "160x160 (H×W)" : "64x128x128 (D×H×W)");
        return sizes;
    }

    /** The network {@code arch}'s number of spatial axes, with its default arguments. */
    public static int dims(String arch) {
        NetworkArchitecture a = Architectures.byName(arch);
        return a.spatialDims(a.defaultArguments());
    }

    /** Three spacings in mm written x×y×z, like 1.5x1.5x3. */
    public static double[] parseSpacingMm(String text, String option) {
        try {
            double[] s = Arrays.stream(text.toLowerCase(Locale.ROOT).split("x")).mapToDouble(Double::parseDouble).toArray();
            if (s.length != 3 || Arrays.stream(s).anyMatch(v -> !(v > 0) || Double.isInfinite(v))) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + text
                    + ": expected three positive numbers in mm like 1.5x1.5x3 (x×y×z)");
        }
    }

    private static void checkCount(int[] sizes, String text, int dims, String option, String example) {
        if (dims == 0 ? sizes.length < 2 || sizes.length > 3 : sizes.length != dims) {
            throw new IllegalArgumentException(option + " " + text + ": expected " + (dims == 0 ? "2 or 3" : dims)
                    + " sizes like " + (dims == 0 ? "160x160 (x×y) or 128x128x64 (x×y×z)" : example));
        }
    }
}
