package io.medseg.io.dicom;

import io.medseg.files.AtomicFiles;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.io.ImageFileException;
import io.medseg.io.ScanHeader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A label map made on a DICOM series, as a DICOM Segmentation object (SOP class
 * 1.2.840.10008.5.1.4.1.1.66.4, BINARY) that references the series and overlays it in any viewer:
 * one segment per label, numbered from 1 in label order, each with its name and codes; the source's
 * patient, study and frame of reference; per frame its plane position, its segment, and a derivation
 * image sequence naming the source image it was made on; frames ordered by segment, then by slice
 * (the dimension organisation says so), frames empty of a segment left out (an empty segment keeps
 * one empty frame, so every segment listed has a frame). Explicit VR Little Endian.
 *
 * <p>UIDs are derived from what the object holds (the source series, the mask's bytes, the segments
 * and the algorithm), so writing the same result twice gives the same SOP Instance UID: an archive
 * that receives it again replaces it instead of keeping two copies.
 */
public final class SegmentationWriter {
    /** The software that made the segmentation, as the SEG names it (Segment Algorithm Name, Software Versions). */
    public record Algorithm(String name, String version) {}

    /** Root of this implementation's UIDs: 2.25 and a fixed UUID (ITU-T X.667), in decimal. */
    static final String IMPLEMENTATION_CLASS_UID = "2.25.187386052219151437282609613478011447562";
    private static final Code SEGMENTATION = new Code("113076", "DCM", "Segmentation");
    private static final Code SOURCE_IMAGE = new Code("121322", "DCM", "Source image for image processing operation");

    private SegmentationWriter() {}

    /**
     * Writes the SEG of {@code mask} (on the grid of {@code source}, as {@code DicomSeries.load}
     * gives it) to {@code out}: to a temporary name first, renamed when complete.
     *
     * @throws ImageFileException naming a source file when the series cannot carry a SEG (no frame of
     *     reference, planes without positions, a gantry tilt resampled onto a new grid) or the mask is
     *     not on its grid
     * @throws IllegalArgumentException when a label in the mask has no segment description
     */
    public static void write(DicomSeries source, LabelMap mask, List<SegmentDescription> segments, Algorithm algorithm,
            String seriesDescription, Instant created, Path out, boolean overwrite) throws IOException {
        AtomicFiles.write(out, encode(source, mask, segments, algorithm, seriesDescription, created), overwrite);
    }

    /** The Part 10 file's bytes (preamble, file meta information, data set). */
    public static byte[] encode(DicomSeries source, LabelMap mask, List<SegmentDescription> segments, Algorithm algorithm,
            String seriesDescription, Instant created) throws ImageFileException {
        List<Plane> planes = checkSource(source, mask);
        List<SegmentDescription> ordered = checkSegments(mask, segments);
        DicomDataset first = planes.get(0).dataset();
        int columns = (int) mask.sizeXyz()[0];
        int rows = (int) mask.sizeXyz()[1];
        int slices = (int) mask.sizeXyz()[2];
        byte[] labels = mask.data();

        // which (segment, slice) frames hold voxels; an empty segment keeps its first slice's empty frame
        List<int[]> frames = new ArrayList<>();
        int plane = rows * columns;
        for (int s = 0; s < ordered.size(); s++) {
            int label = ordered.get(s).label();
            int before = frames.size();
            for (int z = 0; z < slices; z++) {
                if (holds(labels, z * plane, plane, label)) {
                    frames.add(new int[] {s, z});
                }
            }
            if (frames.size() == before) {
                frames.add(new int[] {s, 0});
            }
        }

        String digest = digest(source.uid(), labels, ordered, algorithm);
        String sopInstanceUid = derivedUid("instance", digest);
        String seriesUid = derivedUid("series", digest);
        String dimensionUid = derivedUid("dimensions", digest);

        WritableDataset d = new WritableDataset();
        d.copy(first, Tags.SPECIFIC_CHARACTER_SET, "CS");
        String date = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(created);
        String time = DateTimeFormatter.ofPattern("HHmmss.SSSSSS").withZone(ZoneOffset.UTC).format(created);
        // SOP common, general image and segmentation image modules
        d.text(Tags.SOP_CLASS_UID, "UI", DicomSeries.SEGMENTATION).text(Tags.SOP_INSTANCE_UID, "UI", sopInstanceUid)
                .text(Tags.IMAGE_TYPE, "CS", "DERIVED", "PRIMARY")
                .text(Tags.INSTANCE_CREATION_DATE, "DA", date).text(Tags.INSTANCE_CREATION_TIME, "TM", time)
                .text(Tags.SERIES_DATE, "DA", date).text(Tags.SERIES_TIME, "TM", time)
                .text(Tags.CONTENT_DATE, "DA", date).text(Tags.CONTENT_TIME, "TM", time)
                .text(Tags.TIMEZONE_OFFSET_FROM_UTC, "SH", "+0000")
                .text(Tags.MODALITY, "CS", "SEG")
                .text(Tags.SERIES_DESCRIPTION, "LO", seriesDescription)
                .text(Tags.SERIES_INSTANCE_UID, "UI", seriesUid)
                .text(Tags.SERIES_NUMBER, "IS", Integer.toString(seriesNumber(first)))
                .text(Tags.INSTANCE_NUMBER, "IS", "1")
                .text(Tags.CONTENT_LABEL, "CS", "SEGMENTATION")
                .text(Tags.CONTENT_DESCRIPTION, "LO", algorithm.name() + " " + algorithm.version())
                .text(Tags.CONTENT_CREATOR_NAME, "PN", "")
                .text(Tags.SEGMENTATION_TYPE, "CS", "BINARY")
                .text(Tags.LOSSY_IMAGE_COMPRESSION, "CS", "00");
        // (enhanced) general equipment
        d.text(Tags.MANUFACTURER, "LO", "medseg").text(Tags.MANUFACTURER_MODEL_NAME, "LO", algorithm.name())
                .text(Tags.DEVICE_SERIAL_NUMBER, "LO", "1").text(Tags.SOFTWARE_VERSIONS, "LO", algorithm.version());
        // patient, study and frame of reference: the source's, byte for byte
        d.copyOrEmpty(first, Tags.PATIENT_NAME, "PN").copyOrEmpty(first, Tags.PATIENT_ID, "LO")
                .copyOrEmpty(first, Tags.PATIENT_BIRTH_DATE, "DA").copyOrEmpty(first, Tags.PATIENT_SEX, "CS")
                .copy(first, Tags.STUDY_INSTANCE_UID, "UI").copyOrEmpty(first, Tags.STUDY_DATE, "DA")
                .copyOrEmpty(first, Tags.STUDY_TIME, "TM").copyOrEmpty(first, Tags.REFERRING_PHYSICIAN_NAME, "PN")
                .copyOrEmpty(first, Tags.STUDY_ID, "SH").copyOrEmpty(first, Tags.ACCESSION_NUMBER, "SH")
                .copy(first, Tags.FRAME_OF_REFERENCE_UID, "UI").copyOrEmpty(first, Tags.POSITION_REFERENCE_INDICATOR, "LO");
        // image pixel
        d.unsignedShorts(Tags.SAMPLES_PER_PIXEL, 1).text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2")
                .text(Tags.NUMBER_OF_FRAMES, "IS", Integer.toString(frames.size()))
                .unsignedShorts(Tags.ROWS, rows).unsignedShorts(Tags.COLUMNS, columns)
                .unsignedShorts(Tags.BITS_ALLOCATED, 1).unsignedShorts(Tags.BITS_STORED, 1).unsignedShorts(Tags.HIGH_BIT, 0)
                .unsignedShorts(Tags.PIXEL_REPRESENTATION, 0);
        // segments
        List<WritableDataset> segmentItems = new ArrayList<>();
        for (int s = 0; s < ordered.size(); s++) {
            SegmentDescription seg = ordered.get(s);
            segmentItems.add(new WritableDataset().unsignedShorts(Tags.SEGMENT_NUMBER, s + 1)
                    .text(Tags.SEGMENT_LABEL, "LO", seg.name())
                    .text(Tags.SEGMENT_ALGORITHM_TYPE, "CS", "AUTOMATIC")
                    .text(Tags.SEGMENT_ALGORITHM_NAME, "LO", algorithm.name())
                    .item(Tags.SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE, seg.category().item())
                    .item(Tags.SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE, seg.type().item()));
        }
        d.sequence(Tags.SEGMENT_SEQUENCE, segmentItems);
        // multi-frame dimensions: segment, then position
        d.item(Tags.DIMENSION_ORGANIZATION_SEQUENCE, new WritableDataset().text(Tags.DIMENSION_ORGANIZATION_UID, "UI",
                dimensionUid));
        d.sequence(Tags.DIMENSION_INDEX_SEQUENCE, List.of(
                dimension(dimensionUid, Tags.REFERENCED_SEGMENT_NUMBER, Tags.SEGMENT_IDENTIFICATION_SEQUENCE,
                        "ReferencedSegmentNumber"),
                dimension(dimensionUid, Tags.IMAGE_POSITION_PATIENT, Tags.PLANE_POSITION_SEQUENCE, "ImagePositionPatient")));
        // shared functional groups: pixel measures and orientation of the source planes
        ImageHeader h0 = planes.get(0).header();
        double gap = mask.geometry().spacingMm()[2];
        double thickness = first.number(Tags.SLICE_THICKNESS, gap);
        WritableDataset measures = new WritableDataset().decimals(Tags.PIXEL_SPACING, h0.pixelSpacing())
                .decimals(Tags.SLICE_THICKNESS, thickness > 0 ? thickness : gap).decimals(Tags.SPACING_BETWEEN_SLICES, gap);
        d.item(Tags.SHARED_FUNCTIONAL_GROUPS, new WritableDataset().item(Tags.PIXEL_MEASURES_SEQUENCE, measures)
                .item(Tags.PLANE_ORIENTATION_SEQUENCE, new WritableDataset().decimals(Tags.IMAGE_ORIENTATION_PATIENT,
                        h0.orientation())));
        // per frame: derivation, dimension index values, position, segment
        List<WritableDataset> perFrame = new ArrayList<>();
        for (int[] f : frames) {
            Plane p = planes.get(f[1]);
            WritableDataset reference = new WritableDataset()
                    .text(Tags.REFERENCED_SOP_CLASS_UID, "UI", p.dataset().string(Tags.SOP_CLASS_UID))
                    .text(Tags.REFERENCED_SOP_INSTANCE_UID, "UI", p.dataset().string(Tags.SOP_INSTANCE_UID))
                    .item(Tags.PURPOSE_OF_REFERENCE_CODE_SEQUENCE, SOURCE_IMAGE.item());
            if (p.header().frames() > 1) {
                reference.text(Tags.REFERENCED_FRAME_NUMBER, "IS", Integer.toString(p.header().frame() + 1));
            }
            perFrame.add(new WritableDataset()
                    .item(Tags.DERIVATION_IMAGE_SEQUENCE, new WritableDataset()
                            .item(Tags.SOURCE_IMAGE_SEQUENCE, reference)
                            .item(Tags.DERIVATION_CODE_SEQUENCE, SEGMENTATION.item()))
                    .item(Tags.FRAME_CONTENT_SEQUENCE, new WritableDataset().unsignedLongs(Tags.DIMENSION_INDEX_VALUES,
                            f[0] + 1, f[1] + 1))
                    .item(Tags.PLANE_POSITION_SEQUENCE, new WritableDataset().decimals(Tags.IMAGE_POSITION_PATIENT,
                            p.header().position()))
                    .item(Tags.SEGMENT_IDENTIFICATION_SEQUENCE, new WritableDataset()
                            .unsignedShorts(Tags.REFERENCED_SEGMENT_NUMBER, f[0] + 1)));
        }
        d.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS, perFrame);
        // common instance reference: every source instance, once
        Map<String, String> instances = new LinkedHashMap<>();
        for (Plane p : planes) {
            instances.putIfAbsent(p.dataset().string(Tags.SOP_INSTANCE_UID), p.dataset().string(Tags.SOP_CLASS_UID));
        }
        List<WritableDataset> referenced = new ArrayList<>();
        instances.forEach((instance, sopClass) -> referenced.add(new WritableDataset()
                .text(Tags.REFERENCED_SOP_CLASS_UID, "UI", sopClass).text(Tags.REFERENCED_SOP_INSTANCE_UID, "UI", instance)));
        d.item(Tags.REFERENCED_SERIES_SEQUENCE, new WritableDataset().text(Tags.SERIES_INSTANCE_UID, "UI", source.uid())
                .sequence(Tags.REFERENCED_INSTANCE_SEQUENCE, referenced));
        d.raw(Tags.PIXEL_DATA, "OB", packBits(labels, frames, ordered, plane));
        return encodeInCharacterSet(d, first, sopInstanceUid);
    }

    /**
     * Checks that a SEG can place frames on this series: a frame of reference, a study, positions,
     * orientations and pixel spacing on every plane, and no gantry tilt (whose volume is resampled
     * onto a grid no source image shares).
     *
     * @throws ImageFileException naming a file of the series and what is missing
     */
    public static void checkSource(DicomSeries source) throws ImageFileException {
        List<Plane> planes = source.planes();
        Path file = planes.get(0).path();
        if (planes.stream().anyMatch(p -> p.header().position() == null || p.header().orientation() == null)) {
            throw new ImageFileException(file, "series " + source.uid() + " has planes without Image Position or"
                    + " Orientation (Patient); a DICOM Segmentation cannot place its frames on them (write NIfTI instead)");
        }
        if (PlaneStack.of(source.uid(), planes, source.normal()).shifts() != null) {
            throw new ImageFileException(file, "series " + source.uid() + " was resampled for its gantry tilt, so its mask"
                    + " lies on a grid no source image shares; a DICOM Segmentation of it would not overlay the slices"
                    + " (write NIfTI instead)");
        }
        DicomDataset first = planes.get(0).dataset();
        if (first.string(Tags.FRAME_OF_REFERENCE_UID) == null || first.string(Tags.FRAME_OF_REFERENCE_UID).isEmpty()) {
            throw new ImageFileException(file, "has no Frame of Reference UID (0020,0052); a DICOM Segmentation of it"
                    + " could not be placed (write NIfTI instead)");
        }
        if (first.string(Tags.STUDY_INSTANCE_UID) == null || first.string(Tags.STUDY_INSTANCE_UID).isEmpty()) {
            throw new ImageFileException(file, "has no Study Instance UID (0020,000D); a DICOM Segmentation must name the"
                    + " study of the series it was made on");
        }
        if (planes.get(0).header().pixelSpacing() == null) {
            throw new ImageFileException(file, "has no Pixel Spacing (0028,0030); a DICOM Segmentation needs it");
        }
    }

    /**
     * The file with its text in the source's character set (whose bytes patient and study attributes
     * keep). A source without one gets UTF-8 (ISO_IR 192) when a label or name is not ASCII, since its
     * own text is ASCII, which UTF-8 holds; text the source's set cannot hold, or any non-ASCII text
     * with a code-extension (ISO 2022) set, is refused.
     */
    private static byte[] encodeInCharacterSet(WritableDataset d, DicomDataset first, String sopInstanceUid) {
        String term = first.string(Tags.SPECIFIC_CHARACTER_SET);
        boolean none = term == null || term.isEmpty();
        Charset charset = none || term.contains("\\") || term.startsWith("ISO 2022") ? StandardCharsets.US_ASCII
                : CharacterSets.of(term);
        try {
            return Part10.encode(DicomSeries.SEGMENTATION, sopInstanceUid, d, charset);
        } catch (WritableDataset.Unencodable e) {
            if (!none) {
                throw new IllegalArgumentException(e.getMessage() + ", the character set of the series (" + term
                        + "); rename the label with characters that set has");
            }
            d.text(Tags.SPECIFIC_CHARACTER_SET, "CS", "ISO_IR 192");
            return Part10.encode(DicomSeries.SEGMENTATION, sopInstanceUid, d, StandardCharsets.UTF_8);
        }
    }

    /** The series' planes in the mask's slice order, after checking the series and that the mask is on its grid. */
    private static List<Plane> checkSource(DicomSeries source, LabelMap mask) throws ImageFileException {
        checkSource(source);
        ScanHeader h = source.header();
        long[] size = mask.sizeXyz();
        if (size.length != 3 || size[0] != h.sizeXyz()[0] || size[1] != h.sizeXyz()[1] || size[2] != h.sizeXyz()[2]) {
            throw new IllegalArgumentException("the mask (" + Arrays.toString(size) + ") is not on the grid of series "
                    + source.uid() + " (" + Arrays.toString(h.sizeXyz()) + ")");
        }
        Geometry g = h.geometry();
        if (!g.sameGrid(mask.geometry())) {
            throw new IllegalArgumentException("the mask is not on the grid of series " + source.uid() + ": "
                    + g.mismatch(mask.geometry()));
        }
        return source.planes();
    }

    /** The segments in label order, one per label; every label the mask holds must have one. */
    private static List<SegmentDescription> checkSegments(LabelMap mask, List<SegmentDescription> segments) {
        List<SegmentDescription> ordered = new ArrayList<>(segments);
        ordered.sort(Comparator.comparingInt(SegmentDescription::label));
        Set<Integer> described = new HashSet<>();
        for (SegmentDescription s : ordered) {
            if (!described.add(s.label())) {
                throw new IllegalArgumentException("label " + s.label() + " has two segment descriptions");
            }
        }
        if (ordered.isEmpty()) {
            throw new IllegalArgumentException("a DICOM Segmentation needs at least one segment");
        }
        boolean[] present = new boolean[256];
        for (byte b : mask.data()) {
            present[b & 0xFF] = true;
        }
        for (int label = 1; label < 256; label++) {
            if (present[label] && !described.contains(label)) {
                throw new IllegalArgumentException("the mask holds label " + label + ", which has no segment description");
            }
        }
        return ordered;
    }

    private static boolean holds(byte[] labels, int from, int count, int label) {
        for (int i = from; i < from + count; i++) {
            if ((labels[i] & 0xFF) == label) {
                return true;
            }
        }
        return false;
    }

    /** The frames' pixels, one bit each, frames following each other without padding (Part 5, 8.1.1), LSB first. */
    private static byte[] packBits(byte[] labels, List<int[]> frames, List<SegmentDescription> segments, int plane) {
        long bits = (long) frames.size() * plane;
        byte[] packed = new byte[Math.toIntExact(((bits + 7) / 8 + 1) / 2 * 2)];
        long bit = 0;
        for (int[] f : frames) {
            int label = segments.get(f[0]).label();
            int offset = f[1] * plane;
            for (int i = 0; i < plane; i++, bit++) {
                if ((labels[offset + i] & 0xFF) == label) {
                    packed[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                }
            }
        }
        return packed;
    }

    private static WritableDataset dimension(String uid, int pointer, int group, String label) {
        return new WritableDataset().text(Tags.DIMENSION_ORGANIZATION_UID, "UI", uid)
                .attributeTags(Tags.DIMENSION_INDEX_POINTER, pointer).attributeTags(Tags.FUNCTIONAL_GROUP_POINTER, group)
                .text(Tags.DIMENSION_DESCRIPTION_LABEL, "LO", label);
    }

    /** The source's Series Number + 1000 (a derived series beside it), or 1000 when it has none. */
    private static int seriesNumber(DicomDataset first) {
        double n = first.number(Tags.SERIES_NUMBER, 0);
        return n >= 0 && n < 1e9 ? (int) n + 1000 : 1000;
    }

    /** A digest of everything the object holds but its times. */
    private static String digest(String seriesUid, byte[] labels, List<SegmentDescription> segments, Algorithm algorithm) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(seriesUid.getBytes(StandardCharsets.UTF_8));
            sha.update(labels);
            sha.update((segments + "|" + algorithm).getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, sha.digest()).toString(16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A UID under 2.25 (a UUID in decimal) named by {@code what} and the content digest: the same content, the same UID. */
    static String derivedUid(String what, String digest) {
        UUID u = UUID.nameUUIDFromBytes((what + ":" + digest).getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }
}
