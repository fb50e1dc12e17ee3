package io.medseg.core.preprocess;

import io.medseg.image.Shapes;
import io.medseg.image.Volume;
import java.util.stream.IntStream;

/**
 * A scan as the network sees it: normalised and resampled to the model's grid. When the plane is
 * resampled before the slice axis (the usual case: a CT's plane shrinks more than its slice axis),
 * each slice is normalised and resampled in-plane on its own, so neither a normalised copy of the
 * whole scan nor the full-size first pass exists (for a 512×512×300 CT 315 + 84 MB less); the
 * values are bit for bit those of {@link Resampling#resample} on {@link Intensity#normalize}.
 */
public final class NetworkInput {
    private NetworkInput() {}

    public static float[] onGrid(Volume scan, Intensity intensity, long[] grid, Interpolation[] perAxis) {
        long[] size = scan.sizeXyz();
        if (Resampling.same(size, grid)) {
            return intensity.normalize(scan);
        }
        int[] order = Resampling.axisOrder(size, grid);
        if (size.length != 3 || order[2] != 2) {
            return Resampling.resample(intensity.normalize(scan), scan.channels(), size, grid, perAxis);
        }
        Intensity.ChannelMap[] maps = intensity.channelMaps(scan);
        long[] plane = {size[0], size[1]};
        long[] newPlane = {grid[0], grid[1]};
        Interpolation[] inPlaneKinds = {perAxis[0], perAxis[1]};
        int planeVoxels = Math.toIntExact(plane[0] * plane[1]);
        int newPlaneVoxels = Math.toIntExact(newPlane[0] * newPlane[1]);
        int slices = (int) size[2];
        float[] data = scan.data();
        float[] inPlane = new float[Shapes.arrayLength("the scan resampled in plane", scan.channels(), slices, newPlaneVoxels)];
        // channel-major, then slice: slice s of channel c starts at (c · slices + s) · plane
        IntStream.range(0, scan.channels() * slices).parallel().forEach(cs -> {
            float[] slice = new float[planeVoxels];
            maps[cs / slices].apply(data, cs * planeVoxels, slice, 0, planeVoxels);
            float[] resampled = Resampling.same(plane, newPlane) ? slice
                    : Resampling.resample(slice, 1, plane, newPlane, inPlaneKinds);
            System.arraycopy(resampled, 0, inPlane, cs * newPlaneVoxels, newPlaneVoxels);
        });
        if (size[2] == grid[2]) {
            return inPlane;
        }
        return Resampling.alongAxis(inPlane, scan.channels(), new long[] {grid[0], grid[1], size[2]}, 2, (int) grid[2],
                perAxis[2]);
    }
}
