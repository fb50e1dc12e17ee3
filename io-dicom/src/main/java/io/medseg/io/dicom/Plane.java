package io.medseg.io.dicom;

import java.nio.file.Path;

/** One image plane of the series: frame {@code header.frame()} of a file, with its own geometry and rescale. */
record Plane(DicomFile file, ImageHeader header) {
    Path path() {
        return file.path();
    }

    DicomDataset dataset() {
        return file.dataset();
    }

    String where() {
        return header.frames() > 1 ? path() + " frame " + (header.frame() + 1) : path().toString();
    }
}
