package io.medseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.evaluation.EvaluationSettings;
import io.medseg.evaluation.Evaluator;
import io.medseg.evaluation.Metric;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.io.nifti.Nifti;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder evaluation: a one-slice NIfTI is a 2D mask; the report says what produced it. */
class EvaluationRunTest {
    private static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "spur");

    /** A 12×10 disc-ish reference and a prediction with a one-pixel spur, 0.5 × 0.7 mm pixels. */
    private static byte[][] spurCase() {
        int w = 12;
        int h = 10;
        byte[] ref = new byte[w * h];
        byte[] pred = new byte[w * h];
        for (int y = 2; y < 8; y++) {
            for (int x = 3; x < 9; x++) {
                ref[y * w + x] = 1;
                pred[y * w + x] = 1;
            }
        }
        pred[5 * w + 9] = 1;
        pred[5 * w + 10] = 1; // the spur
        return new byte[][] {ref, pred};
    }

    @Test
    void aOneSliceNiftiMaskIsEvaluatedAsTheTwoDimensionalMaskItIs(@TempDir Path tmp) throws Exception {
        byte[][] c = spurCase();
        double[] spacing = {0.5, 0.7, 3.0};
        Geometry g3 = new Geometry(spacing, new double[3], new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        Path refDir = Files.createDirectories(tmp.resolve("labelsTs"));
        Path predDir = Files.createDirectories(tmp.resolve("pred"));
        Nifti.write(LabelMap.wrap(c[0], new long[] {12, 10, 1}, g3, LABELS), refDir.resolve("a.nii.gz"), false);
        Nifti.write(LabelMap.wrap(c[1], new long[] {12, 10, 1}, g3, LABELS), predDir.resolve("a.nii.gz"), false);
        EvaluationRun.Outcome out = EvaluationRun.evaluate(refDir, predDir, LABELS, EvaluationSettings.DEFAULT, null,
                Progress.NONE);
        var row = out.report().summary().cases().get(0).row(1);

        Geometry g2 = new Geometry(new double[] {0.5, 0.7}, new double[2], new double[] {1, 0, 0, 1});
        Evaluator e = new Evaluator(LABELS, EvaluationSettings.DEFAULT);
        var plane = e.evaluate("a", LabelMap.wrap(c[0], new long[] {12, 10}, g2, LABELS),
                LabelMap.wrap(c[1], new long[] {12, 10}, g2, LABELS)).row(1);
        var slab = e.evaluate("a", LabelMap.wrap(c[0], new long[] {12, 10, 1}, g3, LABELS),
                LabelMap.wrap(c[1], new long[] {12, 10, 1}, g3, LABELS)).row(1);
        for (Metric m : List.of(Metric.HD95, Metric.ASSD, Metric.NSD)) {
            assertEquals(m.of(plane), m.of(row), 1e-12, m + " as the 2D evaluation");
        }
        assertTrue(Math.abs(Metric.ASSD.of(slab) - Metric.ASSD.of(plane)) > 1e-3,
                "a one-slice volume (every voxel surface) gives another ASSD: " + Metric.ASSD.of(slab));
        assertEquals(1, out.overlays().size(), "and gets a 2D overlay");
    }

    @Test
    void provenanceNamesTheFoldersTheModelFromTheSegmentManifestAndTheCommand(@TempDir Path tmp) throws Exception {
        Path refDir = Files.createDirectories(tmp.resolve("labelsTs"));
        Path predDir = Files.createDirectories(tmp.resolve("pred"));
        Path model = Files.createDirectories(tmp.resolve("liver-model"));
        Files.writeString(model.resolve("parameters.params"), "weights");
        RunManifest.of(List.of("medseg", "segment"), List.of(model), predDir, List.of()).write(
                predDir.resolve(EvaluationRun.MANIFEST));
        var p = EvaluationRun.provenance(refDir, predDir, null, null, List.of("evaluate", "--reference", "x"));
        assertEquals(refDir.toAbsolutePath().normalize().toString(), p.referenceFolder());
        assertEquals("liver-model", p.model());
        assertEquals(RunManifest.sha256(model.resolve("parameters.params")), p.modelChecksum());
        assertEquals("medseg evaluate --reference x", p.command());
        assertTrue(p.created().startsWith("20") && p.created().endsWith("Z"), p.created());
        assertEquals("medseg 0.1.0", p.version());
    }
}
