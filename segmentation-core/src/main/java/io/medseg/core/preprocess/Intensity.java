package io.medseg.core.preprocess;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.internal.Streams;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import io.medseg.image.Volume;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Intensity normalisation applied before the network, stored in the model bundle so inference
 * repeats what training did (nnU-Net's schemes):
 * <ul>
 *   <li>{@code ZSCORE}: per image and channel, (v − mean) / std; for radiographs, MR and anything
 *       whose values have no fixed physical meaning. Padding is 0, the image mean.</li>
 *   <li>{@code CT}: clip to the 0.5th and 99.5th percentiles of foreground voxels over the training
 *       set, then (v − mean) / std with the foreground mean and std; the same numbers for every
 *       scan, because Hounsfield units mean the same everywhere. Padding is air (−1000 HU) after
 *       normalisation, i.e. the normalised lower clip.</li>
 * </ul>
 * Older bundles store the plain string {@code "ZSCORE"}; both forms are read.
 */
@JsonAdapter(Intensity.Json.class)
public record Intensity(Scheme scheme, double clipLow, double clipHigh, double mean, double std) {

    /** The two schemes. */
    public enum Scheme { ZSCORE, CT }

    /** Per-image z-score. */
    public static final Intensity ZSCORE = new Intensity(Scheme.ZSCORE, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Hounsfield value of air, the fill value for CT padding. */
    public static final double AIR_HU = -1000;

    public Intensity {
        if (scheme == null) {
            throw new IllegalArgumentException("intensity scheme must be ZSCORE or CT, got null");
        }
        if (scheme == Scheme.CT && !(clipLow <= clipHigh && std > 0 && Double.isFinite(mean))) {
            throw new IllegalArgumentException("CT normalisation needs clipLow <= clipHigh, a finite mean and std > 0, got "
                    + clipLow + ", " + clipHigh + ", " + mean + ", " + std);
        }
    }

    /** nnU-Net's CT scheme with statistics of the training set's foreground. */
    public static Intensity ct(double clipLow, double clipHigh, double mean, double std) {
        return new Intensity(Scheme.CT, clipLow, clipHigh, mean, Math.max(std, 1e-8));
    }

    /** Normalises a copy of the volume's voxels, channel by channel. */
    public float[] normalize(Volume volume) {
        float[] in = volume.data();
        float[] out = new float[in.length];
        int perChannel = in.length / volume.channels();
        ChannelMap[] maps = channelMaps(volume);
        for (int c = 0; c < volume.channels(); c++) {
            maps[c].apply(in, c * perChannel, out, c * perChannel, perChannel);
        }
        return out;
    }

    /**
     * The map v ↦ normalised v of each of the volume's channels (a z-score's statistics taken once
     * here), so parts of a volume can be normalised without a normalised copy of all of it.
     */
    public ChannelMap[] channelMaps(Volume volume) {
        float[] in = volume.data();
        int perChannel = in.length / volume.channels();
        ChannelMap[] maps = new ChannelMap[volume.channels()];
        for (int c = 0; c < maps.length; c++) {
            maps[c] = scheme == Scheme.CT ? new ChannelMap(clipLow, clipHigh, mean, 1.0 / std)
                    : zscore(in, c * perChannel, (c + 1) * perChannel);
        }
        return maps;
    }

    private static ChannelMap zscore(float[] in, int from, int to) {
        double sum = 0;
        double sumSq = 0;
        for (int i = from; i < to; i++) {
            sum += in[i];
            sumSq += (double) in[i] * in[i];
        }
        int n = to - from;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(sumSq / n - mean * mean, 0));
        // no clipping: min/max with infinities return the value itself, bit for bit
        return new ChannelMap(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, mean, 1.0 / Math.max(std, 1e-8));
    }

    /** One channel's normalisation: (clip(v, low, high) − mean) · scale, in double, stored as float. */
    public record ChannelMap(double clipLow, double clipHigh, double mean, double scale) {
        /** Normalises {@code count} values of {@code in} from {@code from} into {@code out} from {@code to}. */
        public void apply(float[] in, int from, float[] out, int to, int count) {
            for (int i = 0; i < count; i++) {
                out[to + i] = (float) ((Math.min(Math.max(in[from + i], clipLow), clipHigh) - mean) * scale);
            }
        }
    }

    /** The normalised value that padding and augmentation fill with: air for CT, the mean (0) otherwise. */
    public float fillValue() {
        return scheme == Scheme.CT ? (float) ((Math.min(Math.max(AIR_HU, clipLow), clipHigh) - mean) / std) : 0f;
    }

    @Override
    public String toString() {
        return scheme == Scheme.ZSCORE ? "z-score per image"
                : String.format(Locale.ROOT, "CT: clip [%.1f, %.1f], mean %.2f, std %.2f", clipLow, clipHigh, mean, std);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Intensity i && i.scheme == scheme
                && Arrays.equals(new double[] {clipLow, clipHigh, mean, std}, new double[] {i.clipLow, i.clipHigh, i.mean, i.std});
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {clipLow, clipHigh, mean, std}) * 31 + scheme.hashCode();
    }

    /** Reads the legacy string form and the object form; writes {"scheme": …} with the CT numbers. */
    static final class Json extends TypeAdapter<Intensity> {
        @Override
        public void write(JsonWriter out, Intensity value) throws IOException {
            out.beginObject().name("scheme").value(value.scheme.name());
            if (value.scheme == Scheme.CT) {
                out.name("clipLow").value(value.clipLow).name("clipHigh").value(value.clipHigh)
                        .name("mean").value(value.mean).name("std").value(value.std);
            }
            out.endObject();
        }

        @Override
        public Intensity read(JsonReader in) throws IOException {
            JsonElement e = Streams.parse(in);
            try {
                if (e.isJsonPrimitive()) {
                    return of(Scheme.valueOf(e.getAsString()), null);
                }
                JsonObject o = e.getAsJsonObject();
                return of(Scheme.valueOf(o.get("scheme").getAsString()), o);
            } catch (IllegalArgumentException | IllegalStateException | NullPointerException | UnsupportedOperationException ex) {
                throw new JsonParseException("intensity must be \"ZSCORE\" or {\"scheme\": \"CT\", \"clipLow\", \"clipHigh\", "
                        + "\"mean\", \"std\"}, got " + e, ex);
            }
        }

        private static Intensity of(Scheme scheme, JsonObject o) {
            if (scheme == Scheme.ZSCORE) {
                return ZSCORE;
            }
            return ct(o.get("clipLow").getAsDouble(), o.get("clipHigh").getAsDouble(), o.get("mean").getAsDouble(),
                    o.get("std").getAsDouble());
        }
    }
}
