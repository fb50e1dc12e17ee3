package io.medseg.io;

import io.medseg.image.Geometry;
import java.util.List;

/**
 * A scan described from its header alone, without reading its voxels: what {@code medseg info}
 * shows and what a batch checks before it commits memory to a file.
 *
 * @param sizeXyz voxels per axis (x, y[, z])
 * @param channels values per voxel (colour, multi-channel NIfTI)
 * @param geometry where the voxels lie (LPS)
 * @param notes what the reader does to the file's own values that the user should know (one line each)
 */
public record ScanHeader(long[] sizeXyz, int channels, Geometry geometry, List<String> notes) {
    public ScanHeader {
        sizeXyz = sizeXyz.clone();
        notes = List.copyOf(notes);
    }
}
