package io.medseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.medseg.core.Segmenter;
import io.medseg.core.train.TrainingListener;
import io.medseg.files.OutputExistsException;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.samples.ToothRootDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder segmentation as both front ends use it, without a command line: jobs, failures, outputs, memory. */
class SegmentationBatchTest {
    @TempDir
    static Path shared;
    private static Path data;
    private static Path model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainATinyModel() throws IOException {
        data = shared.resolve("Dataset905_Batch");
        ToothRootDataset.write(data, 31, 4, 2, 48, 32);
        model = shared.resolve("model");
        TrainingRun.run(TrainingRequest.builder(data, model).epochs(1).iterations(1).batch(1).patch(new int[] {16, 16})
                .depth(1).filters(2).patience(0).validationFraction(0.25f).build(), Device.cpu(),
                new TrainingListener() {}, line -> {});
    }

    /** A progress listener that keeps the messages. */
    private static Progress collecting(List<String> messages) {
        return new Progress() {
            @Override
            public void start(String task, long total, String unit) {}

            @Override
            public void update(long done, long total, String detail) {}

            @Override
            public void message(String line) {
                messages.add(line);
            }

            @Override
            public void finish() {}
        };
    }

    private static Path input(Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        for (String name : List.of("case_004_0000.png", "case_005_0000.png")) {
            Files.copy(data.resolve("imagesTs").resolve(name), in.resolve(name));
        }
        return in;
    }

    @Test
    void everyCaseIsWrittenAndTheRunReportsItsInputsAndOutputs() throws Exception {
        Path in = input(tmp);
        Files.writeString(in.resolve("notes.txt"), "not a scan");
        Path out = tmp.resolve("out");
        SegmentationBatch batch = SegmentationBatch.plan(in, out, 1, SegmentationBatch.Existing.REFUSE);
        assertEquals(3, batch.filesFound());
        assertEquals(1, batch.skippedFiles());
        assertTrue(batch.notes().get(0).startsWith("skipped " + in.resolve("notes.txt")), batch.notes().toString());
        assertEquals(List.of("case_004", "case_005"), batch.jobs().stream().map(SegmentationBatch.Job::name).toList());
        try (Segmenter segmenter = Segmenter.load(model, Device.cpu())) {
            SegmentationBatch.Result result = batch.run(segmenter, Progress.NONE);
            assertTrue(result.allSucceeded());
            assertEquals(List.of(out.resolve("case_004.png"), out.resolve("case_005.png")), result.outputs());
            assertEquals(List.of(model, in.resolve("case_004_0000.png"), in.resolve("case_005_0000.png")),
                    batch.inputs(model));
            Volume scan = ScanFiles.readImage(in.resolve("case_004_0000.png"));
            LabelMap written = ScanFiles.readLabels(out.resolve("case_004.png"), segmenter.config().labels(),
                    scan.sizeXyz(), scan.geometry());
            assertArrayEquals(segmenter.segment(scan, null).data(), written.data(), "the mask is the segmentation");
        }
    }

    @Test
    void aScanUnlikeTheTrainingDataIsSegmentedWithAWarningThatTheResultKeeps() throws Exception {
        Path in = input(tmp);
        // the same kind of radiograph at 160×120: more than twice the 48×32 the model was trained on
        Path large = tmp.resolve("large");
        ToothRootDataset.write(large, 77, 1, 1, 160, 120);
        Files.copy(large.resolve("imagesTs/case_001_0000.png"), in.resolve("case_009_0000.png"));
        Path out = tmp.resolve("out");
        try (Segmenter segmenter = Segmenter.load(model, Device.cpu())) {
            assertEquals(4, segmenter.config().domain().cases(), "training records its dataset's domain");
            List<String> messages = new ArrayList<>();
            SegmentationBatch.Result result = SegmentationBatch.plan(in, out, 1, SegmentationBatch.Existing.REFUSE)
                    .run(segmenter, collecting(messages));
            assertEquals(3, result.written().size(), "the mask is still written");
            assertEquals(List.of("case_009"), result.unlikeTraining().keySet().stream().map(SegmentationBatch.Job::name)
                    .toList());
            String how = result.unlikeTraining().values().iterator().next();
            assertEquals("unlike the model's training data: extent 160 × 120 mm (trained on 48 × 32 mm); check the mask",
                    how);
            assertTrue(messages.contains("warning: case_009: " + how), messages.toString());
        }
    }

    @Test
    void theProgressTotalIsKnownAtTheStartSoTheBarNeverGoesBack() throws Exception {
        Path in = input(tmp); // two small cases, then a large one: the old running estimate jumped back here
        Path large = tmp.resolve("large");
        ToothRootDataset.write(large, 77, 1, 1, 160, 120);
        Files.copy(large.resolve("imagesTs/case_001_0000.png"), in.resolve("case_009_0000.png"));
        List<long[]> updates = new ArrayList<>();
        long[] started = new long[1];
        Progress recording = new Progress() {
            @Override
            public void start(String task, long total, String unit) {
                started[0] = total;
            }

            @Override
            public void update(long done, long total, String detail) {
                updates.add(new long[] {done, total});
            }

            @Override
            public void message(String line) {}

            @Override
            public void finish() {}
        };
        try (Segmenter segmenter = Segmenter.load(model, Device.cpu())) {
            SegmentationBatch.plan(in, tmp.resolve("out"), 1, SegmentationBatch.Existing.REFUSE).run(segmenter, recording);
            long expected = 0;
            for (String name : List.of("case_004_0000.png", "case_005_0000.png", "case_009_0000.png")) {
                expected += segmenter.tileCount(ScanFiles.readImage(in.resolve(name)));
            }
            assertEquals(expected, started[0], "the sum of every case's tiles, from the headers");
        }
        double fraction = 0;
        for (long[] u : updates) {
            assertEquals(started[0], u[1], "the total does not move");
            assertTrue(u[0] / (double) u[1] >= fraction, "never back");
            fraction = u[0] / (double) u[1];
        }
        assertEquals(1.0, fraction);
    }

    @Test
    void a3dModelIsRefusedUpFrontForAnInputOfOnly2dImages() throws Exception {
        Path in = input(tmp);
        SegmentationBatch batch = SegmentationBatch.plan(in, tmp.resolve("out"), 1, SegmentationBatch.Existing.REFUSE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> batch.checkDimensions(3, in));
        assertEquals(in + ": the model is 3D, and all 2 scans are 2D images; give volumes (NIfTI, DICOM series, TIFF"
                + " stacks) or use a 2D model", e.getMessage());
        batch.checkDimensions(2, in); // a 2D model takes them
        // one volume among them: the batch goes on, the 2D images failing as cases
        Files.copy(Path.of("../sample-scans/data/Dataset002_AbdomenCT/imagesTs/ct_002_0000.nii.gz"),
                in.resolve("ct_002_0000.nii.gz"));
        SegmentationBatch.plan(in, tmp.resolve("out"), 1, SegmentationBatch.Existing.REFUSE).checkDimensions(3, in);
    }

    @Test
    void aCorruptScanFailsAloneNamingItsFile() throws Exception {
        Path in = input(tmp);
        Path broken = in.resolve("case_006_0000.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        Path out = tmp.resolve("out");
        try (Segmenter segmenter = Segmenter.load(model, Device.cpu())) {
            SegmentationBatch batch = SegmentationBatch.plan(in, out, 1, SegmentationBatch.Existing.REFUSE);
            List<String> messages = new ArrayList<>();
            SegmentationBatch.Result result = batch.run(segmenter, collecting(messages));
            assertEquals(2, result.written().size());
            assertEquals(1, result.failed().size());
            String why = result.failed().values().iterator().next();
            assertTrue(why.startsWith(broken.toString()), why);
            assertFalse(Files.exists(out.resolve("case_006.png")));
            assertFalse(result.outputs().contains(out.resolve("case_006.png")));
            assertTrue(messages.contains("failed case_006: " + why), messages.toString());
        }
    }

    @Test
    void theProbabilitiesAreWrittenSaidAndPartOfTheResults() throws Exception {
        Path in = input(tmp);
        Path out = tmp.resolve("out");
        List<String> messages = new ArrayList<>();
        try (Segmenter segmenter = Segmenter.load(model, Device.cpu())) {
            SegmentationBatch.Result result = SegmentationBatch.plan(in, out, 1, SegmentationBatch.Existing.REFUSE, true)
                    .run(segmenter, collecting(messages));
            Path probabilities = out.resolve("case_004_probabilities.nii.gz");
            assertTrue(Files.isRegularFile(probabilities));
            assertTrue(messages.contains("wrote " + probabilities), messages.toString());
            assertEquals(List.of(out.resolve("case_004.png"), probabilities, out.resolve("case_005.png"),
                    out.resolve("case_005_probabilities.nii.gz")), result.outputs());
        }
    }

    @Test
    void anOutputNamedLikeAFileIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path in = input(tmp);
        Path out = tmp.resolve("mask.nii.gz");
        IOException e = assertThrows(IOException.class,
                () -> SegmentationBatch.plan(in.resolve("case_004_0000.png"), out, 1, SegmentationBatch.Existing.REFUSE));
        assertEquals(out + ": looks like a file name, but the output is the folder the masks go to (each named after"
                + " its scan); give a folder", e.getMessage());
        assertFalse(Files.exists(out));
        Files.createDirectories(out); // a folder that happens to be called so is a folder
        assertEquals(2, SegmentationBatch.plan(in, out, 1, SegmentationBatch.Existing.REFUSE).jobs().size());
    }

    @Test
    void resumingKeepsCompleteMasksAndRefusingLeavesThemAlone() throws Exception {
        Path in = input(tmp);
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        byte[] earlier = {1, 2, 3};
        Files.write(out.resolve("case_004.png"), earlier);
        assertThrows(OutputExistsException.class,
                () -> SegmentationBatch.plan(in, out, 1, SegmentationBatch.Existing.REFUSE));
        try (Segmenter segmenter = Segmenter.load(model, Device.cpu())) {
            SegmentationBatch.Result result = SegmentationBatch.plan(in, out, 1, SegmentationBatch.Existing.SKIP)
                    .run(segmenter, Progress.NONE);
            assertEquals(List.of("case_004"), result.skipped().stream().map(SegmentationBatch.Job::name).toList());
            assertEquals(List.of("case_005"), result.written().stream().map(SegmentationBatch.Job::name).toList());
            assertArrayEquals(earlier, Files.readAllBytes(out.resolve("case_004.png")));
            assertEquals(2, result.outputs().size(), "a kept mask is part of the run's results");
        }
    }

    @Test
    void outOfMemoryRetriesWithOneTileThenSmallerTilesAndRestoresTheOptions() throws Exception {
        Volume scan = ScanFiles.readImage(data.resolve("imagesTs/case_004_0000.png"));
        try (Segmenter segmenter = Segmenter.load(model, Device.cpu())) {
            Segmenter.Options asked = segmenter.options();
            assertEquals(2, asked.batchSize());
            segmenter.useOptions(asked.withBatchSize(1));
            byte[] oneTilePerBatch = segmenter.segment(scan, null).data();
            segmenter.useOptions(asked);

            List<String> said = new ArrayList<>();
            Segmenter.Segmentation s = MemoryFallback.segment(segmenter, scan, done -> {
                if (segmenter.options().batchSize() > 1) {
                    throw new OutOfMemoryError("Java heap space"); // as a large scan would
                }
            }, false, said::add);
            assertArrayEquals(oneTilePerBatch, s.mask().data());
            assertEquals(List.of("out of memory with 2 tile(s) per batch of 16x16 (x×y); trying again with 1 of 16x16"
                    + " (x×y)"), said);
            assertEquals(asked, segmenter.options(), "the next scan starts with the options asked for");

            said.clear();
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> MemoryFallback.segment(segmenter, scan,
                    done -> {
                        throw new OutOfMemoryError("Java heap space");
                    }, false, said::add));
            assertEquals("even with one tile of 2x2 (x×y) per batch", e.getMessage());
            assertEquals(4, said.size(), "batch 1, then tiles of 8, 4 and 2: " + said);
            assertTrue(said.get(3).endsWith("trying again with 1 of 2x2 (x×y)"), said.toString());
            assertNull(MemoryFallback.smaller(segmenter, asked.withBatchSize(1).withTile(new int[] {2, 2})));
            assertEquals(asked, segmenter.options());
        }
    }
}
