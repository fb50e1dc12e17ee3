package io.medseg.pipeline;

import io.medseg.io.ImageFileException;
import io.medseg.io.ImageFiles;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything below an input path, each entry accounted for: images (PNG, TIFF, NIfTI) directly in
 * the folder, DICOM files at any depth (a series may span subfolders), and every other entry
 * (images in subfolders, other files, hidden files, FIFOs, broken links, link loops, unreadable
 * files) as skipped with the reason. Nothing is passed over without a line saying why.
 *
 * <p>A single file stands for itself; a DICOM file stands for the DICOM files beside it, so the
 * series it belongs to can be assembled.
 *
 * @param images readable image files by name, sorted
 * @param dicomFiles files that start like DICOM, sorted
 * @param skipped every other entry and why it is not a scan, sorted by path
 */
public record InputFiles(Path input, List<Path> images, List<Path> dicomFiles, Map<Path, String> skipped) {

    /** How many entries were looked at. */
    public int found() {
        return images.size() + dicomFiles.size() + skipped.size();
    }

    /**
     * @throws ImageFileException when the path does not exist
     */
    public static InputFiles of(Path input) throws IOException {
        if (Files.isRegularFile(input)) {
            if (ImageFiles.isReadableImage(input)) {
                return new InputFiles(input, List.of(input), List.of(), Map.of());
            }
            if (!ImageFiles.isDicom(input)) {
                throw new ImageFileException(input, "not a scan medseg reads (DICOM, NIfTI, PNG, TIFF)");
            }
            // the series this file belongs to may have its other slices beside it
            InputFiles folder = walk(input.toAbsolutePath().getParent(), input);
            return new InputFiles(input, List.of(), folder.dicomFiles(), Map.of());
        }
        if (!Files.isDirectory(input)) {
            throw new ImageFileException(input, "no such file or folder");
        }
        return walk(input, input);
    }

    private static InputFiles walk(Path dir, Path input) throws IOException {
        List<Path> images = new ArrayList<>();
        List<Path> dicom = new ArrayList<>();
        Map<Path, String> skipped = new TreeMap<>();
        Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (!d.equals(dir) && hidden(d)) {
                    skipped.put(d, "hidden folder, not searched");
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String why = classify(dir, file, attrs, images, dicom);
                if (why != null) {
                    skipped.put(file, why);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                skipped.put(file, e instanceof FileSystemLoopException ? "symbolic link loop, not followed"
                        : e instanceof NoSuchFileException ? "vanished while the folder was read"
                        : "cannot be read: " + e.getMessage());
                return FileVisitResult.CONTINUE;
            }
        });
        images.sort(null);
        dicom.sort(null);
        return new InputFiles(input, List.copyOf(images), List.copyOf(dicom), skipped);
    }

    /** Adds a file to images or DICOM files, or returns why it is skipped. */
    private static String classify(Path dir, Path file, BasicFileAttributes attrs, List<Path> images, List<Path> dicom) {
        if (attrs.isSymbolicLink()) {
            return "broken symbolic link"; // followed links report their target's attributes
        }
        if (!attrs.isRegularFile()) {
            return attrs.isOther() ? "not a regular file (a FIFO, socket or device)" : "not a regular file";
        }
        if (hidden(file)) {
            return "hidden file";
        }
        boolean direct = file.getParent().equals(dir);
        if (ImageFiles.isReadableImage(file)) {
            if (direct) {
                images.add(file);
                return null;
            }
            return "an image in a subfolder: images are taken from the input folder itself (DICOM from any depth);"
                    + " segment that folder on its own";
        }
        try {
            if (ImageFiles.isDicom(file)) {
                dicom.add(file);
                return null;
            }
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
        return "not a scan medseg reads (DICOM, NIfTI .nii/.nii.gz/.hdr, PNG, TIFF)";
    }

    private static boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }
}
