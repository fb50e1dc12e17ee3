package io.medseg.io.dicom;

/**
 * One segment of a DICOM Segmentation: the label value it holds in a label map, its name, and what
 * it is as codes (Segmented Property Category and Type, e.g. Anatomical Structure / Liver).
 */
public record SegmentDescription(int label, String name, Code category, Code type) {
    public SegmentDescription {
        if (label < 1 || label > 255) {
            throw new IllegalArgumentException("segment label " + label + " must be 1..255");
        }
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("segment name '" + name + "' must have 1 to 64 characters");
        }
    }
}
