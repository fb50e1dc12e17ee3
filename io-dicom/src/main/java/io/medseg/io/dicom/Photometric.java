package io.medseg.io.dicom;

import io.medseg.io.ImageFileException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns decoded samples into the values a volume holds, by Photometric Interpretation (0028,0004):
 * MONOCHROME1/2 and RGB stay as they are (MONOCHROME1 is inverted with the rescale); PALETTE COLOR
 * indices go through the red, green and blue lookup tables to 3 channels; YBR_FULL and YBR_FULL_422
 * (every decoder here hands back the stored components) become RGB as pydicom's
 * {@code convert_color_space} does; YBR_ICT and YBR_RCT are RGB once a JPEG 2000 decoder has undone
 * its component transform. Anything else is refused, never passed on as if it were grey or RGB.
 */
final class Photometric {
    private Photometric() {}

    /** The interpretation, "MONOCHROME2" when absent (as readers of old files assume). */
    static String of(DicomDataset d) {
        String p = d.string(Tags.PHOTOMETRIC_INTERPRETATION);
        return p == null || p.isEmpty() ? "MONOCHROME2" : p.toUpperCase(Locale.ROOT);
    }

    /** Channels of the converted image: 3 for palette colour, else the samples per pixel. */
    static int channels(DicomDataset d, int samples) {
        return of(d).equals("PALETTE COLOR") ? 3 : samples;
    }

    /**
     * Refuses an interpretation, or a palette, that cannot be converted, before anything is decoded.
     *
     * @throws ImageFileException naming the file, the interpretation and what would be needed
     */
    static void check(DicomFile f, PixelDecoder.Layout l) throws ImageFileException {
        String p = of(f.dataset());
        Path file = f.path();
        int expected = switch (p) {
            case "MONOCHROME1", "MONOCHROME2", "PALETTE COLOR" -> 1;
            case "RGB", "YBR_FULL", "YBR_FULL_422", "YBR_ICT", "YBR_RCT" -> 3;
            default -> throw new ImageFileException(file, "photometric interpretation " + p + " is not read (read:"
                    + " MONOCHROME1/2, PALETTE COLOR, RGB, YBR_FULL, YBR_FULL_422, YBR_ICT/RCT in JPEG 2000)");
        };
        if (l.samples() != expected) {
            throw new ImageFileException(file, "photometric interpretation " + p + " needs " + expected + " sample(s) per"
                    + " pixel, " + Tags.describe(Tags.SAMPLES_PER_PIXEL) + " is " + l.samples());
        }
        if ((p.equals("YBR_ICT") || p.equals("YBR_RCT")) && f.transferSyntax().pixels != TransferSyntax.Pixels.JPEG_2000) {
            throw new ImageFileException(file, "photometric interpretation " + p + " belongs to JPEG 2000, this file is "
                    + f.transferSyntax().describe());
        }
        if (p.equals("PALETTE COLOR")) {
            if (f.dataset().contains(Tags.SEGMENTED_RED_PALETTE_DATA)) {
                throw new ImageFileException(file, "segmented palette colour lookup tables are not read; expand them"
                        + " first (gdcmconv --decompress-lut)");
            }
            for (int c = 0; c < 3; c++) {
                palette(f, c); // descriptor and data checked here, before the pixels are decoded
            }
        }
    }

    /**
     * Stored samples (channel-major) to the image's values: palette lookups or RGB; monochrome and
     * RGB data are returned as they are.
     */
    static float[] apply(Frames stored, DicomFile f, int bitsStored) throws ImageFileException {
        String p = of(f.dataset());
        return switch (p) {
            case "PALETTE COLOR" -> paletteToRgb(stored, f);
            case "YBR_FULL", "YBR_FULL_422" -> ybrToRgb(stored.values(), stored.values().length / 3, bitsStored);
            default -> stored.values();
        };
    }

    /** One colour's lookup table: its entries and the first index it maps. */
    private record Palette(int[] entries, int firstMapped) {
        int lookUp(float index) {
            int i = (int) index - firstMapped;
            return entries[Math.max(0, Math.min(entries.length - 1, i))];
        }
    }

    private static Palette palette(DicomFile f, int colour) throws ImageFileException {
        DicomDataset d = f.dataset();
        int descriptorTag = Tags.RED_PALETTE_DESCRIPTOR + colour;
        int dataTag = Tags.RED_PALETTE_DATA + colour;
        String name = new String[] {"red", "green", "blue"}[colour];
        DicomDataset.Element descriptor = d.element(descriptorTag);
        DicomDataset.Element data = d.element(dataTag);
        if (descriptor == null || data == null || data.value() == null) {
            throw new ImageFileException(f.path(), "PALETTE COLOR without the " + name + " lookup table ("
                    + Tags.format(descriptorTag) + ", " + Tags.format(dataTag) + ")");
        }
        // the descriptor is US or SS by the same rule as the pixels; its numbers are unsigned 16-bit
        ByteBuffer b = ByteBuffer.wrap(descriptor.value()).order(d.order());
        if (descriptor.value().length < 6) {
            throw new ImageFileException(f.path(), Tags.format(descriptorTag) + " " + name + " palette descriptor has "
                    + descriptor.value().length + " bytes, expected three 16-bit numbers");
        }
        int entries = b.getShort(0) & 0xFFFF;
        entries = entries == 0 ? 65536 : entries;
        int firstMapped = b.getShort(2) & 0xFFFF;
        int bits = b.getShort(4) & 0xFFFF;
        int bytes = data.value().length / entries;
        if ((bits != 8 && bits != 16) || data.value().length % entries != 0 || (bytes != 1 && bytes != 2)) {
            throw new ImageFileException(f.path(), "the " + name + " palette says " + entries + " entries of " + bits
                    + " bits, its data " + Tags.format(dataTag) + " has " + data.value().length + " bytes");
        }
        ByteBuffer v = ByteBuffer.wrap(data.value()).order(d.order());
        int[] table = new int[entries];
        for (int i = 0; i < entries; i++) {
            table[i] = bytes == 1 ? v.get(i) & 0xFF : v.getShort(2 * i) & 0xFFFF;
        }
        return new Palette(table, firstMapped);
    }

    /** Indices → red, green and blue planes (pydicom's {@code apply_color_lut}: out-of-range indices clamp). */
    private static float[] paletteToRgb(Frames stored, DicomFile f) throws ImageFileException {
        float[] indices = stored.values();
        float[] rgb = new float[indices.length * 3];
        for (int c = 0; c < 3; c++) {
            Palette lut = palette(f, c);
            for (int i = 0; i < indices.length; i++) {
                rgb[c * indices.length + i] = lut.lookUp(indices[i]);
            }
        }
        return rgb;
    }

    /**
     * YBR_FULL (ITU-R BT.601, full range) to RGB, channel-major in place of a copy: pydicom's matrix,
     * chroma centred on 2^(bits − 1), rounded half up and clipped to the stored range.
     */
    private static float[] ybrToRgb(float[] ybr, int pixels, int bitsStored) {
        double offset = 1 << (bitsStored - 1);
        double max = (1L << bitsStored) - 1;
        float[] rgb = new float[ybr.length];
        for (int p = 0; p < pixels; p++) {
            double y = ybr[p];
            double cb = ybr[pixels + p] - offset;
            double cr = ybr[2 * pixels + p] - offset;
            double r = y + 1.402 * cr;
            double g = y - 0.114 * 1.772 / 0.587 * cb - 0.299 * 1.402 / 0.587 * cr;
            double b = y + 1.772 * cb;
            rgb[p] = (float) Math.min(max, Math.max(0, Math.floor(r + 0.5)));
            rgb[pixels + p] = (float) Math.min(max, Math.max(0, Math.floor(g + 0.5)));
            rgb[2 * pixels + p] = (float) Math.min(max, Math.max(0, Math.floor(b + 0.5)));
        }
        return rgb;
    }
}
