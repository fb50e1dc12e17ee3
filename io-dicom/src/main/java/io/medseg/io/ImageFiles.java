package io.medseg.io;

import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.dicom.DicomParser;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An image file, whatever its format: which format a path holds, and scans and masks read and
 * written by it. PNG/TIFF and NIfTI are told by their names, DICOM by its first bytes (DICOM files
 * often have no ending at all). The format classes ({@link PlainImages}, {@link Nifti},
 * {@link DicomParser}) do the reading and writing; this is the one place that chooses among them.
 */
public final class ImageFiles {
    /** The formats medseg reads. */
    public enum Format {
        /** 2D PNG or TIFF images: {@code .png}, {@code .tif}, {@code .tiff}. */
        PNG_TIFF,
        /** NIfTI-1/NIfTI-2: {@code .nii}, {@code .nii.gz}, {@code .hdr} (with its {@code .img}). */
        NIFTI,
        /** DICOM, whatever the name. */
        DICOM
    }

    private static final String UNSUPPORTED = "unsupported file type; medseg reads PNG, TIFF and NIfTI (.nii, .nii.gz, .hdr)";
    private static final String UNSUPPORTED_LABELS = "unsupported label file type; PNG, TIFF and NIfTI are read";
    /** The 128-byte preamble and "DICM": as much as {@link DicomParser#looksLikeDicom} looks at. */
    private static final int DICOM_HEAD = 132;

    private ImageFiles() {}

    /**
     * The format of a file: PNG/TIFF or NIfTI by its name (nothing is read), else DICOM when it is a
     * regular file whose first bytes look like DICOM; empty for anything else, folders included.
     *
     * @throws IOException when a file with no image name cannot be read
     */
    public static Optional<Format> format(Path file) throws IOException {
        Format named = byName(file);
        if (named != null) {
            return Optional.of(named);
        }
        return Files.isRegularFile(file) && isDicom(file) ? Optional.of(Format.DICOM) : Optional.empty();
    }

    /** Whether the name says an image read here by name: PNG, TIFF or NIfTI. */
    public static boolean isReadableImage(Path file) {
        return byName(file) != null;
    }

    /** Whether the name says NIfTI ({@code .nii}, {@code .nii.gz}, {@code .hdr}): the format that holds 3D masks. */
    public static boolean isNifti(Path file) {
        return byName(file) == Format.NIFTI;
    }

    /**
     * Whether the file starts like DICOM (the "DICM" marker after the preamble, or a plausible first
     * element); a file too short for either is not DICOM. Reads at most 132 bytes.
     *
     * @throws IOException when the file cannot be read (a folder included): callers say why it was skipped
     */
    public static boolean isDicom(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return DicomParser.looksLikeDicom(in.readNBytes(DICOM_HEAD));
        }
    }

    /** The file ending that names the type: {@code .nii.gz} or the last {@code .xyz} (empty without a dot). */
    public static String ending(Path file) {
        String name = file.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".nii.gz")) {
            return name.substring(name.length() - 7);
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot);
    }

    /** The file name without its type ending. */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ending(file).length());
    }

    /**
     * Reads a scan: a PNG/TIFF image or a NIfTI volume, by name.
     *
     * @throws ImageFileException naming the file: an unsupported name, or a file its reader refuses
     */
    public static Volume readImage(Path file) throws IOException {
        return named(file, UNSUPPORTED) == Format.NIFTI ? Nifti.readVolume(file) : PlainImages.readVolume(file);
    }

    /**
     * A scan's size, channels and geometry from its header, no voxel read (PNG/TIFF, NIfTI).
     *
     * @throws ImageFileException naming the file: an unsupported name, or a header its reader refuses
     */
    public static ScanHeader readHeader(Path file) throws IOException {
        return named(file, UNSUPPORTED) == Format.NIFTI ? Nifti.readHeader(file) : PlainImages.readHeader(file);
    }

    /**
     * Reads a mask (PNG/TIFF or NIfTI, by name) as it is stored: one channel of labels 0..255, not
     * checked against any image or dataset.
     *
     * @throws ImageFileException naming the file: an unsupported name, or a file that is not a label image
     */
    public static LabelMap readLabels(Path file, Map<Integer, String> labelNames) throws IOException {
        return named(file, UNSUPPORTED_LABELS) == Format.NIFTI ? Nifti.readLabels(file, labelNames)
                : PlainImages.readLabels(file, labelNames);
    }

    /**
     * Writes a mask atomically: uint8 NIfTI when the name says NIfTI, else an 8-bit grey PNG (TIFF
     * for {@code .tif}/{@code .tiff}); refuses to replace a file unless asked.
     */
    public static void writeLabels(LabelMap labels, Path file, boolean overwrite) throws IOException {
        if (isNifti(file)) {
            Nifti.write(labels, file, overwrite);
        } else {
            PlainImages.writeLabels(labels, file, overwrite);
        }
    }

    /** The format the name says, or null: DICOM has no ending of its own. */
    private static Format byName(Path file) {
        if (PlainImages.isPlainImage(file)) {
            return Format.PNG_TIFF;
        }
        return Nifti.isNifti(file) ? Format.NIFTI : null;
    }

    /** The format a file to read is named as, or the error saying which names are read. */
    private static Format named(Path file, String unsupported) throws ImageFileException {
        Format format = byName(file);
        if (format == null) {
            throw new ImageFileException(file, unsupported);
        }
        return format;
    }
}
