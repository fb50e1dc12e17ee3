package io.medseg.io.dicom;

/** The DICOM tags this reader and the Segmentation writer use, as (group << 16 | element). */
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
    // written into DICOM Segmentation objects (and read back from them)
    static final int FILE_META_GROUP_LENGTH = 0x00020000;
    static final int FILE_META_VERSION = 0x00020001;
    static final int MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
    static final int MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
    static final int IMPLEMENTATION_CLASS_UID = 0x00020012;
    static final int IMPLEMENTATION_VERSION_NAME = 0x00020013;
    static final int IMAGE_TYPE = 0x00080008;
    static final int INSTANCE_CREATION_DATE = 0x00080012;
    static final int INSTANCE_CREATION_TIME = 0x00080013;
    static final int SOP_INSTANCE_UID = 0x00080018;
    static final int SERIES_DATE = 0x00080021;
    static final int CONTENT_DATE = 0x00080023;
    static final int STUDY_TIME = 0x00080030;
    static final int SERIES_TIME = 0x00080031;
    static final int CONTENT_TIME = 0x00080033;
    static final int ACCESSION_NUMBER = 0x00080050;
    static final int MANUFACTURER = 0x00080070;
    static final int REFERRING_PHYSICIAN_NAME = 0x00080090;
    static final int CODE_VALUE = 0x00080100;
    static final int CODING_SCHEME_DESIGNATOR = 0x00080102;
    static final int CODE_MEANING = 0x00080104;
    static final int TIMEZONE_OFFSET_FROM_UTC = 0x00080201;
    static final int MANUFACTURER_MODEL_NAME = 0x00081090;
    static final int REFERENCED_SERIES_SEQUENCE = 0x00081115;
    static final int REFERENCED_INSTANCE_SEQUENCE = 0x0008114A;
    static final int REFERENCED_SOP_CLASS_UID = 0x00081150;
    static final int REFERENCED_SOP_INSTANCE_UID = 0x00081155;
    static final int REFERENCED_FRAME_NUMBER = 0x00081160;
    static final int SOURCE_IMAGE_SEQUENCE = 0x00082112;
    static final int DERIVATION_IMAGE_SEQUENCE = 0x00089124;
    static final int DERIVATION_CODE_SEQUENCE = 0x00089215;
    static final int PATIENT_ID = 0x00100020;
    static final int PATIENT_BIRTH_DATE = 0x00100030;
    static final int PATIENT_SEX = 0x00100040;
    static final int DEVICE_SERIAL_NUMBER = 0x00181000;
    static final int SOFTWARE_VERSIONS = 0x00181020;
    static final int STUDY_ID = 0x00200010;
    static final int FRAME_OF_REFERENCE_UID = 0x00200052;
    static final int POSITION_REFERENCE_INDICATOR = 0x00201040;
    static final int FRAME_CONTENT_SEQUENCE = 0x00209111;
    static final int DIMENSION_INDEX_VALUES = 0x00209157;
    static final int DIMENSION_ORGANIZATION_UID = 0x00209164;
    static final int DIMENSION_INDEX_POINTER = 0x00209165;
    static final int FUNCTIONAL_GROUP_POINTER = 0x00209167;
    static final int DIMENSION_ORGANIZATION_SEQUENCE = 0x00209221;
    static final int DIMENSION_INDEX_SEQUENCE = 0x00209222;
    static final int DIMENSION_DESCRIPTION_LABEL = 0x00209421;
    static final int LOSSY_IMAGE_COMPRESSION = 0x00282110;
    static final int PURPOSE_OF_REFERENCE_CODE_SEQUENCE = 0x0040A170;
    static final int SEGMENTATION_TYPE = 0x00620001;
    static final int SEGMENT_SEQUENCE = 0x00620002;
    static final int SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE = 0x00620003;
    static final int SEGMENT_NUMBER = 0x00620004;
    static final int SEGMENT_LABEL = 0x00620005;
    static final int SEGMENT_ALGORITHM_TYPE = 0x00620008;
    static final int SEGMENT_ALGORITHM_NAME = 0x00620009;
    static final int SEGMENT_IDENTIFICATION_SEQUENCE = 0x0062000A;
    static final int REFERENCED_SEGMENT_NUMBER = 0x0062000B;
    static final int MAXIMUM_FRACTIONAL_VALUE = 0x0062000E;
    static final int SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE = 0x0062000F;
    static final int SEGMENTATION_FRACTIONAL_TYPE = 0x00620010;
    static final int CONTENT_LABEL = 0x00700080;
    static final int CONTENT_DESCRIPTION = 0x00700081;
    static final int CONTENT_CREATOR_NAME = 0x00700084;
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
