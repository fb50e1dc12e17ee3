package io.medseg.samples.ct;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.medseg.files.AtomicFiles;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import io.medseg.io.nifti.Nifti;
import io.medseg.samples.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Writes synthetic abdominal CTs ({@link AbdominalPhantom}) in the nnU-Net v2 layout:
 * {@code dataset.json}, {@code imagesTr/ct_NNN_0000.nii.gz} (int16 HU), {@code labelsTr/ct_NNN.nii.gz}
 * (0 background, 1 liver, 2 kidney), {@code imagesTs/}, {@code labelsTs/}, and {@code phantoms.csv}
 * saying what each case drew. Case k uses seed {@code seed + k}. About one case in three is stored
 * in another voxel order than LPS — x and y reversed (as NIfTI from dcm2niix), slices top-down, or
 * axes permuted (coronal storage) — with an affine that keeps every voxel's patient position.
 */
public final class AbdominalCtDataset {
    public static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "liver", 2, "kidney");

    /** Stored axis k is canonical axis {@code axes[k]}, reversed when {@code reversed[k]}. */
    record StorageOrder(String name, int[] axes, boolean[] reversed) {
        static final StorageOrder[] ALL = {
                new StorageOrder("LPS", new int[] {0, 1, 2}, new boolean[] {false, false, false}),
                new StorageOrder("RAS-like (x and y reversed)", new int[] {0, 1, 2}, new boolean[] {true, true, false}),
                new StorageOrder("slices top-down", new int[] {0, 1, 2}, new boolean[] {false, false, true}),
                new StorageOrder("permuted (x z y)", new int[] {0, 2, 1}, new boolean[] {false, true, false})};

        /** Two cases in three LPS, the rest spread over the other orders. */
        static StorageOrder random(Random r) {
            double u = r.nextDouble();
            return u < 0.67 ? ALL[0] : u < 0.8 ? ALL[1] : u < 0.9 ? ALL[2] : ALL[3];
        }
    }

    /** Told about each case written; asked between cases whether to stop. */
    public interface Listener {
        void written(int done, int total, String caseId);

        default boolean stopRequested() {
            return false;
        }
    }

    /** Thrown when the listener asked to stop: nothing was left under the dataset's name. */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(String message) {
            super(message);
        }
    }

    private AbdominalCtDataset() {}

    /**
     * Writes the dataset into {@code dir}, which must not exist, via a temporary folder (an
     * interrupted run leaves nothing under the final name).
     *
     * @param listener told about every case written, asked whether to stop (may be null)
     * @throws Stopped when the listener asked to stop (the temporary folder is removed)
     */
    public static void write(Path dir, long seed, int train, int test, AbdominalPhantom.Acquisition acquisition,
            Listener listener) throws IOException {
        write(dir, seed, train, test, acquisition, List.of("liver", "kidney"), listener);
    }

    /**
     * As {@link #write(Path, long, int, int, AbdominalPhantom.Acquisition, Listener)}, labelling only
     * {@code organs} (names of {@link #LABELS}, numbered 1, 2, ... in the order given; the others become
     * background): {@code [kidney]} makes a kidney-only task from the same phantoms, bit for bit the same
     * images as the two-organ dataset of the same seed.
     */
    public static void write(Path dir, long seed, int train, int test, AbdominalPhantom.Acquisition acquisition,
            List<String> organs, Listener listener) throws IOException {
        byte[] relabel = relabelling(organs);
        Map<Integer, String> labels = new TreeMap<>(Map.of(0, "background"));
        for (int k = 0; k < organs.size(); k++) {
            labels.put(k + 1, organs.get(k));
        }
        if (Files.exists(dir)) {
            throw new IOException(dir + " exists; choose a new folder (nothing is overwritten)");
        }
        if (train < 1 || test < 0) {
            throw new IllegalArgumentException("need at least one training case and no negative test count");
        }
        Path tmp = AtomicFiles.temporaryDirectory(dir);
        try {
            // the lower chest adds columns (abdomen-only datasets stay as they were, bit for bit)
            StringBuilder csv = new StringBuilder("case,split,phase,size,spacing_mm,stored_as,oral_contrast,kidney_cysts,"
                    + "liver_lesion,liver_voxels,kidney_voxels" + (acquisition.lowerChest() ? ",diaphragm_top_mm,scan_top_above_dome_mm" : "") + "\n");
            for (int k = 0; k < train + test; k++) {
                if (listener != null && listener.stopRequested()) {
                    throw new Stopped("after " + k + " of " + (train + test) + " cases; " + dir + " was not written");
                }
                boolean training = k < train;
                String id = String.format(Locale.ROOT, "ct_%03d", k);
                AbdominalPhantom.CtCase c = AbdominalPhantom.generate(seed + k, acquisition);
                StorageOrder order = StorageOrder.random(new Random(Seeds.scramble(~(seed + k))));
                Geometry stored = storedGeometry(c.geometry(), c.sizeXyz(), order);
                long[] storedSize = storedSize(c.sizeXyz(), order);
                Reorientation back = Reorientation.toClosestCanonical(stored, storedSize);
                Nifti.writeInt16(Volume.wrap(back.restore(c.hu(), 1), storedSize, 1, stored),
                        tmp.resolve(training ? "imagesTr" : "imagesTs").resolve(id + "_0000.nii.gz"), false);
                Nifti.write(LabelMap.wrap(back.restore(relabelled(c.labels(), relabel)), storedSize, stored, labels),
                        tmp.resolve(training ? "labelsTr" : "labelsTs").resolve(id + ".nii.gz"), false);
                long[] counts = new long[3];
                for (byte b : c.labels()) {
                    counts[b]++;
                }
                double[] sp = c.geometry().spacingMm();
                csv.append(String.format(Locale.ROOT, "%s,%s,%s,%dx%dx%d,%.3fx%.3fx%.2f,%s,%b,%d,%b,%d,%d", id,
                        training ? "train" : "test", c.phase(), c.sizeXyz()[0], c.sizeXyz()[1], c.sizeXyz()[2], sp[0], sp[1],
                        sp[2], order.name(), c.oralContrast(), c.kidneyCysts(), c.liverLesion(), counts[1], counts[2]));
                csv.append(c.lowerChest() ? String.format(Locale.ROOT, ",%.1f,%.1f", c.diaphragmTopMm(), c.scanTopAboveDomeMm()) : "")
                        .append('\n');
                if (listener != null) {
                    listener.written(k + 1, train + test, id);
                }
            }
            Files.writeString(tmp.resolve("phantoms.csv"), csv, StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("dataset.json"), datasetJson(dir, seed, train, acquisition, labels), StandardCharsets.UTF_8);
            AtomicFiles.moveAtomically(tmp, dir);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteRecursively(tmp);
            throw e;
        }
    }

    /** Old label value (index) → new one, for the organs kept; an unknown or repeated organ is an error. */
    private static byte[] relabelling(List<String> organs) {
        if (organs.isEmpty()) {
            throw new IllegalArgumentException("choose at least one organ to label (liver, kidney)");
        }
        byte[] relabel = new byte[LABELS.size()];
        for (int k = 0; k < organs.size(); k++) {
            String organ = organs.get(k);
            int old = LABELS.entrySet().stream().filter(e -> e.getKey() > 0 && e.getValue().equals(organ))
                    .mapToInt(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown organ '" + organ + "': expected liver or kidney"));
            if (relabel[old] != 0) {
                throw new IllegalArgumentException("organ '" + organ + "' given twice");
            }
            relabel[old] = (byte) (k + 1);
        }
        return relabel;
    }

    private static byte[] relabelled(byte[] labels, byte[] relabel) {
        byte[] out = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = relabel[labels[i]];
        }
        return out;
    }

    static long[] storedSize(long[] canonicalSize, StorageOrder order) {
        long[] size = new long[3];
        for (int k = 0; k < 3; k++) {
            size[k] = canonicalSize[order.axes()[k]];
        }
        return size;
    }

    /** The geometry of the same voxels stored in {@code order}: every voxel keeps its patient position. */
    static Geometry storedGeometry(Geometry canonical, long[] canonicalSize, StorageOrder order) {
        double[] d = canonical.direction();
        double[] sp = canonical.spacingMm();
        double[] origin = canonical.originMm();
        double[] spacing = new double[3];
        double[] direction = new double[9];
        for (int k = 0; k < 3; k++) {
            int a = order.axes()[k];
            spacing[k] = sp[a];
            double sign = order.reversed()[k] ? -1 : 1;
            for (int row = 0; row < 3; row++) {
                direction[row * 3 + k] = sign * d[row * 3 + a];
                if (order.reversed()[k]) { // stored voxel 0 is the canonical last one along this axis
                    origin[row] += d[row * 3 + a] * sp[a] * (canonicalSize[a] - 1);
                }
            }
        }
        return new Geometry(spacing, origin, direction);
    }

    private static String datasetJson(Path dir, long seed, int train, AbdominalPhantom.Acquisition acquisition,
            Map<Integer, String> names) {
        JsonObject channels = new JsonObject();
        channels.addProperty("0", "CT");
        JsonObject labels = new JsonObject();
        names.forEach((value, name) -> labels.addProperty(name, value));
        String organs = String.join(" and ", names.values().stream().skip(1).toList());
        JsonObject d = new JsonObject();
        d.add("channel_names", channels);
        d.add("labels", labels);
        d.addProperty("numTraining", train);
        d.addProperty("file_ending", ".nii.gz");
        d.addProperty("name", dir.getFileName().toString());
        d.addProperty("description", "Synthetic abdominal CT (int16 HU, " + acquisition.matrix() + "² matrix, slices "
                + Arrays.toString(acquisition.sliceThicknessesMm()) + " mm" + (acquisition.lowerChest() ? ", lower chest included" : "")
                + ") with " + organs + " labels, generated by "
                + "io.medseg.samples.ct.AbdominalCtDataset with seed " + seed);
        d.addProperty("licence", "CC0-1.0");
        return new GsonBuilder().setPrettyPrinting().create().toJson(d) + "\n";
    }
}
