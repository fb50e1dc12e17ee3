package io.medseg.io.dicom;

/** The DICOM tags this reader uses, as (group << 16 | element). */
final class Tags {
    static final int TRANSFER_SYNTAX_UID = 0x00020010;
    static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    static final int SOP_CLASS_UID = 0x00080016;
    static final int STUDY_DATE = 0x00080020;
    static final int MODALITY = 0x00080060;
    static final int SERIES_DESCRIPTION = 0x0008103E;
    static final int PATIENT_NAME = 0x00100010;
    static final int SLICE_THICKNESS = 0x00180050;
    static final int GANTRY_DETECTOR_TILT = 0x00181120;
    static final int SPACING_BETWEEN_SLICES = 0x00180088;
    static final int STUDY_INSTANCE_UID = 0x0020000D;
    static final int SERIES_INSTANCE_UID = 0x0020000E;
    static final int SERIES_NUMBER = 0x00200011;
    static final int INSTANCE_NUMBER = 0x00200013;
    static final int IMAGE_POSITION_PATIENT = 0x00200032;
    static final int IMAGE_ORIENTATION_PATIENT = 0x00200037;
    static final int PLANE_POSITION_SEQUENCE = 0x00209113;
    static final int PLANE_ORIENTATION_SEQUENCE = 0x00209116;
    static final int SAMPLES_PER_PIXEL = 0x00280002;
    static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    static final int PLANAR_CONFIGURATION = 0x00280006;
    static final int NUMBER_OF_FRAMES = 0x00280008;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int PIXEL_SPACING = 0x00280030;
    static final int BITS_ALLOCATED = 0x00280100;
    static final int BITS_STORED = 0x00280101;
    static final int HIGH_BIT = 0x00280102;
    static final int PIXEL_REPRESENTATION = 0x00280103;
    static final int RESCALE_INTERCEPT = 0x00281052;
    static final int RESCALE_SLOPE = 0x00281053;
    static final int RED_PALETTE_DESCRIPTOR = 0x00281101;
    static final int GREEN_PALETTE_DESCRIPTOR = 0x00281102;
    static final int BLUE_PALETTE_DESCRIPTOR = 0x00281103;
    static final int RED_PALETTE_DATA = 0x00281201;
    static final int GREEN_PALETTE_DATA = 0x00281202;
    static final int BLUE_PALETTE_DATA = 0x00281203;
    static final int SEGMENTED_RED_PALETTE_DATA = 0x00281221;
    static final int PIXEL_MEASURES_SEQUENCE = 0x00289110;
    static final int PIXEL_VALUE_TRANSFORMATION_SEQUENCE = 0x00289145;
    static final int GRID_FRAME_OFFSET_VECTOR = 0x3004000C;
    static final int SHARED_FUNCTIONAL_GROUPS = 0x52009229;
    static final int PER_FRAME_FUNCTIONAL_GROUPS = 0x52009230;
    static final int EXTENDED_OFFSET_TABLE = 0x7FE00001;
    static final int FLOAT_PIXEL_DATA = 0x7FE00008;
    static final int DOUBLE_FLOAT_PIXEL_DATA = 0x7FE00009;
    static final int PIXEL_DATA = 0x7FE00010;
    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITER = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITER = 0xFFFEE0DD;

    /** The three elements that hold an image's pixels: integer, 32-bit float and 64-bit float. */
    static final int[] PIXEL_DATA_ELEMENTS = {PIXEL_DATA, FLOAT_PIXEL_DATA, DOUBLE_FLOAT_PIXEL_DATA};

    private Tags() {}

    static String format(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /** The tag and, for the attributes this reader checks, its name: "(0028,0030) Pixel Spacing". */
    static String describe(int tag) {
        String name = switch (tag) {
            case ROWS -> "Rows";
            case COLUMNS -> "Columns";
            case NUMBER_OF_FRAMES -> "Number of Frames";
            case SAMPLES_PER_PIXEL -> "Samples per Pixel";
            case BITS_ALLOCATED -> "Bits Allocated";
            case BITS_STORED -> "Bits Stored";
            case HIGH_BIT -> "High Bit";
            case PIXEL_REPRESENTATION -> "Pixel Representation";
            case PLANAR_CONFIGURATION -> "Planar Configuration";
            case IMAGE_POSITION_PATIENT -> "Image Position (Patient)";
            case IMAGE_ORIENTATION_PATIENT -> "Image Orientation (Patient)";
            case PIXEL_SPACING -> "Pixel Spacing";
            case SLICE_THICKNESS -> "Slice Thickness";
            case SPACING_BETWEEN_SLICES -> "Spacing Between Slices";
            case RESCALE_SLOPE -> "Rescale Slope";
            case RESCALE_INTERCEPT -> "Rescale Intercept";
            case GANTRY_DETECTOR_TILT -> "Gantry/Detector Tilt";
            case GRID_FRAME_OFFSET_VECTOR -> "Grid Frame Offset Vector";
            case PER_FRAME_FUNCTIONAL_GROUPS -> "Per-frame Functional Groups Sequence";
            case SHARED_FUNCTIONAL_GROUPS -> "Shared Functional Groups Sequence";
            default -> null;
        };
        return name == null ? format(tag) : format(tag) + " " + name;
    }
}
