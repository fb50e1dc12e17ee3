package io.medseg.pipeline;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a segmentation batch writes for each case: the mask in the format of its input (NIfTI for
 * volumes and DICOM series, PNG or TIFF for images) and, for DICOM series, a DICOM Segmentation
 * object beside it or instead of it. No format named means the mask in its input's format.
 */
public enum OutputFormat {
    NIFTI("nifti"),
    PNG("png"),
    TIFF("tiff"),
    /** A DICOM Segmentation ({@code NAME.seg.dcm}) referencing the series; DICOM series only. */
    DICOM_SEG("dicom-seg");

    private final String spelling;

    OutputFormat(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }

    /** The mask format of a mask file name: NIfTI, PNG or TIFF by its ending. */
    static OutputFormat ofMask(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") ? PNG : n.endsWith(".tif") || n.endsWith(".tiff") ? TIFF : NIFTI;
    }

    /**
     * Formats from a comma-separated list of {@code nifti}, {@code png}, {@code tiff} and
     * {@code dicom-seg}; empty for none (null or blank).
     *
     * @throws IllegalArgumentException naming the unknown format and the known ones
     */
    public static Set<OutputFormat> parse(String list) {
        Set<OutputFormat> formats = EnumSet.noneOf(OutputFormat.class);
        if (list == null || list.isBlank()) {
            return formats;
        }
        for (String part : list.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            OutputFormat f = null;
            for (OutputFormat o : values()) {
                if (o.spelling.equals(p)) {
                    f = o;
                }
            }
            if (f == null) {
                throw new IllegalArgumentException("unknown output format '" + part.trim() + "'; known: nifti, png, tiff,"
                        + " dicom-seg (several separated by commas)");
            }
            formats.add(f);
        }
        return formats;
    }
}
