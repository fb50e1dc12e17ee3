package io.medseg.io.dicom;

import java.util.Map;

/** Value representations of the tags this reader interprets, for implicit-VR data sets. */
final class ImplicitVrs {
    private static final Map<Integer, String> VR = Map.ofEntries(
            Map.entry(Tags.TRANSFER_SYNTAX_UID, "UI"), Map.entry(Tags.SPECIFIC_CHARACTER_SET, "CS"),
            Map.entry(Tags.SOP_CLASS_UID, "UI"), Map.entry(Tags.MODALITY, "CS"), Map.entry(Tags.SERIES_DESCRIPTION, "LO"),
            Map.entry(Tags.PATIENT_NAME, "PN"), Map.entry(Tags.SLICE_THICKNESS, "DS"),
            Map.entry(Tags.STUDY_INSTANCE_UID, "UI"), Map.entry(Tags.SERIES_INSTANCE_UID, "UI"),
            Map.entry(Tags.SERIES_NUMBER, "IS"), Map.entry(Tags.INSTANCE_NUMBER, "IS"),
            Map.entry(Tags.IMAGE_POSITION_PATIENT, "DS"), Map.entry(Tags.IMAGE_ORIENTATION_PATIENT, "DS"),
            Map.entry(Tags.SAMPLES_PER_PIXEL, "US"), Map.entry(Tags.PHOTOMETRIC_INTERPRETATION, "CS"),
            Map.entry(Tags.PLANAR_CONFIGURATION, "US"), Map.entry(Tags.NUMBER_OF_FRAMES, "IS"),
            Map.entry(Tags.ROWS, "US"), Map.entry(Tags.COLUMNS, "US"), Map.entry(Tags.PIXEL_SPACING, "DS"),
            Map.entry(Tags.BITS_ALLOCATED, "US"), Map.entry(Tags.BITS_STORED, "US"), Map.entry(Tags.HIGH_BIT, "US"),
            Map.entry(Tags.PIXEL_REPRESENTATION, "US"), Map.entry(Tags.RESCALE_INTERCEPT, "DS"),
            Map.entry(Tags.RESCALE_SLOPE, "DS"), Map.entry(Tags.PIXEL_DATA, "OW"));

    private ImplicitVrs() {}

    static String of(int tag) {
        if ((tag & 0xFFFF) == 0) {
            return "UL"; // group length
        }
        return VR.getOrDefault(tag, "UN");
    }
}
