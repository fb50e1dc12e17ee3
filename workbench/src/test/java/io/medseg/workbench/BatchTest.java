package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.files.FolderLock;
import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import io.medseg.io.PlainImages;
import io.medseg.samples.ToothRootDataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder batches as engineers run them: nothing lost, bad cases reported, resumable, logs without frames. */
class BatchTest {
    @TempDir
    static Path shared;
    static Path dataset;
    static Path model;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        dataset = shared.resolve("Dataset901_Batch");
        ToothRootDataset.write(dataset, 7, 3, 4, 48, 32);
        model = shared.resolve("model");
        CommandLineTest.Run train = medseg("train", "--data", dataset.toString(), "--output", model.toString(), "--epochs",
                "1", "--iterations", "1", "--batch", "1", "--patch", "16x16", "--depth", "1", "--filters", "2");
        assertEquals(0, train.code(), train.err());
    }

    /** The test images, copied so each test may add or break files. */
    private static Path images(Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("images"));
        try (Stream<Path> s = Files.list(dataset.resolve("imagesTs"))) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    private static List<byte[]> contents(Path dir) throws Exception {
        List<byte[]> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                all.add(Files.readAllBytes(p));
            }
        }
        return all;
    }

    @Test
    void tileSizeIsAnOptionCheckedAgainstTheNetwork(@TempDir Path tmp) throws Exception {
        Path in = images(tmp);
        CommandLineTest.Run bad = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                tmp.resolve("bad").toString(), "--tile", "13x13");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("tile 13x13 (x×y): every size must be a positive multiple of 2x2 (x×y)"), bad.err());
        CommandLineTest.Run ok = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                tmp.resolve("small").toString(), "--tile", "8x8", "--quiet");
        assertEquals(0, ok.code(), ok.err());
        try (Stream<Path> s = Files.list(tmp.resolve("small")); Stream<Path> inputs = Files.list(in)) {
            assertEquals(inputs.count(), s.filter(p -> p.toString().endsWith(".png")).count());
        }
        // the same tile, 8 wide and 16 high, in the documented order (x×y) and in the old one (H×W)
        CommandLineTest.Run xy = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                tmp.resolve("xy").toString(), "--tile-size", "8x16", "--quiet");
        CommandLineTest.Run hw = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                tmp.resolve("hw").toString(), "--tile", "16x8", "--quiet");
        assertEquals(0, xy.code(), xy.err());
        assertEquals(0, hw.code(), hw.err());
        for (String mask : List.of("case_003.png", "case_006.png")) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("hw").resolve(mask)),
                    Files.readAllBytes(tmp.resolve("xy").resolve(mask)), mask);
        }
        CommandLineTest.Run three = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                tmp.resolve("three").toString(), "--tile-size", "8x8x8");
        assertEquals(1, three.code());
        assertTrue(three.err().contains("--tile-size 8x8x8: expected 2 sizes like 160x160 (x×y)"), three.err());
    }

    @Test
    void anOutputThatWouldReplaceAnInputIsRefusedWhateverTheFlags(@TempDir Path tmp) throws Exception {
        Path in = images(tmp);
        // plain names: the mask of a.png would be a.png in the same folder
        Files.move(in.resolve("case_003_0000.png"), in.resolve("scan.png"));
        List<byte[]> before = contents(in);
        CommandLineTest.Run run = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                in.toString(), "--overwrite");
        assertEquals(1, run.code());
        assertTrue(run.err().contains(in + ": the output folder is the input's folder"), run.err());
        List<byte[]> after = contents(in);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "input " + i + " untouched");
        }
        // the same folder by another name (trailing "/.", a symbolic link) is the same folder
        Path link = Files.createSymbolicLink(tmp.resolve("link"), in);
        assertEquals(1, medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                link.resolve(".").toString(), "--overwrite").code());
    }

    @Test
    void oneBadCaseIsReportedAndTheOthersAreDone(@TempDir Path tmp) throws Exception {
        Path in = images(tmp);
        Files.writeString(in.resolve("broken_0000.png"), "not a PNG"); // cut off by a USB stick
        Path out = tmp.resolve("masks");
        Path log = tmp.resolve("logs/segment.log");
        CommandLineTest.Run run = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                out.toString(), "--log-file", log.toString(), "--batch", "3");
        assertEquals(4, run.code(), run.err());
        String logged = Files.readString(log);
        assertTrue(logged.contains(" failed broken: ") && logged.contains(" wrote " + out.resolve("case_003.png") + " ("),
                logged);
        List<String> lines = logged.lines().toList();
        for (String line : lines) {
            assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ .+"), "stamped to the second: " + line);
        }
        assertTrue(lines.get(0).contains(" medseg segment --model " + model.toAbsolutePath().normalize())
                && lines.get(0).contains("(medseg 0.1.0, Java "), "the log starts with what ran: " + lines.get(0));
        assertTrue(lines.get(1).contains(" model " + model + " (unet2d), device cpu()"), lines.get(1));
        assertTrue(lines.get(lines.size() - 1).matches(".* found 5 file\\(s\\): 5 case\\(s\\); wrote 4 mask\\(s\\) to .*, 1 case"
                + "\\(s\\) failed(, \\d case\\(s\\) unlike the model.s training data \\(warnings above\\))?"),
                "and ends with the summary: " + lines.get(lines.size() - 1));
        assertTrue(run.err().contains("failed broken: " + in.resolve("broken_0000.png")), run.err());
        assertTrue(run.out().contains("wrote 4 mask(s)") && run.out().contains("1 case(s) failed"), run.out());
        for (int k = 3; k < 7; k++) {
            assertTrue(Files.isRegularFile(out.resolve(String.format("case_%03d.png", k))), "case " + k);
        }
        assertFalse(Files.exists(out.resolve("broken.png")));
        assertFalse(run.err().contains("\r"), "stderr is not a terminal: lines, no progress frames");
        assertTrue(run.err().contains("wrote " + out.resolve("case_004.png")), "one line per case: " + run.err());
    }

    @Test
    void continueKeepsCompleteMasksAndRemovesWhatAKilledRunLeft(@TempDir Path tmp) throws Exception {
        Path in = images(tmp);
        Path out = tmp.resolve("masks");
        assertEquals(0, medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                out.toString()).code());
        byte[] reference = Files.readAllBytes(out.resolve("case_005.png"));
        // a killed run: two masks missing, one temporary file left behind; a complete mask is marked
        Files.delete(out.resolve("case_005.png"));
        Files.delete(out.resolve("case_006.png"));
        Path stale = out.resolve(".case_005.png.5f3a.partial");
        Files.write(stale, new byte[] {1, 2, 3});
        Files.writeString(out.resolve("case_003.png"), "kept as it is");
        CommandLineTest.Run again = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                out.toString());
        assertEquals(1, again.code(), "without --continue existing masks are refused");
        assertTrue(again.err().contains("exists (the output folder already has results); pass --continue to keep the"
                + " complete masks and segment the rest, or --overwrite to replace them"), again.err());
        CommandLineTest.Run resumed = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                out.toString(), "--continue");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("wrote 2 mask(s)") && resumed.out().contains("kept 2 complete one(s)"),
                resumed.out());
        assertEquals("kept as it is", Files.readString(out.resolve("case_003.png")));
        assertArrayEquals(reference, Files.readAllBytes(out.resolve("case_005.png")), "resumed = uninterrupted result");
        assertFalse(Files.exists(stale), "our stale temporary file is gone");
        assertEquals(1, medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                out.toString(), "--continue", "--overwrite").code());
    }

    @Test
    void oneFileOfAnNnUNetFolderIsThatCaseAlone(@TempDir Path tmp) throws Exception {
        Path in = images(tmp);
        Path out = tmp.resolve("masks");
        CommandLineTest.Run run = medseg("segment", "--model", model.toString(), "--input",
                in.resolve("case_004_0000.png").toString(), "--output", out.toString());
        assertEquals(0, run.code(), run.err());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("case_004.png", "manifest.json"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aSixteenBitTiffGetsATiffMask(@TempDir Path tmp) throws Exception {
        Volume png = PlainImages.readVolume(dataset.resolve("imagesTs/case_004_0000.png"));
        float[] wide = png.data().clone();
        for (int i = 0; i < wide.length; i++) {
            wide[i] *= 200; // 16-bit range
        }
        Path in = Files.createDirectories(tmp.resolve("tiff"));
        PlainImages.writeGrey(Volume.wrap(wide, png.sizeXyz(), 1, Geometry.identity(2)), in.resolve("scan.tif"), true, false);
        Path out = tmp.resolve("masks");
        assertEquals(0, medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                out.toString()).code());
        byte[] head = Files.readAllBytes(out.resolve("scan.tif"));
        assertTrue(head[0] == 'I' && head[1] == 'I' || head[0] == 'M' && head[1] == 'M', "TIFF bytes in a .tif");
        assertArrayEquals(png.sizeXyz(), PlainImages.readLabels(out.resolve("scan.tif"), ToothRootDataset.LABELS).sizeXyz());
    }

    @Test
    void evaluateChecksItsFoldersBeforeTheWork(@TempDir Path tmp) throws Exception {
        CommandLineTest.Run missing = medseg("evaluate", "--reference", dataset.resolve("labelsTs").toString(),
                "--prediction", tmp.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains(tmp.resolve("nope") + ": no such folder of predicted masks"), missing.err());
        Path report = Files.createDirectories(tmp.resolve("report"));
        Files.writeString(report.resolve("summary.json"), "{}");
        CommandLineTest.Run exists = medseg("evaluate", "--reference", dataset.resolve("labelsTs").toString(),
                "--prediction", dataset.resolve("labelsTs").toString(), "--output", report.toString());
        assertEquals(1, exists.code());
        assertTrue(exists.err().contains("exists: an earlier report is there; pass --overwrite"), exists.err());
        assertFalse(exists.out().contains("Dice"), "refused before evaluating: " + exists.out());
        assertEquals("{}", Files.readString(report.resolve("summary.json")));
    }

    @Test
    void aFullDiskOrUnwritableFolderIsSaidBeforeTheWork(@TempDir Path tmp) throws Exception {
        Path in = images(tmp);
        System.setProperty("medseg.minFreeBytes", Long.toString(Long.MAX_VALUE / 2)); // more than any disk has
        try {
            CommandLineTest.Run full = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                    tmp.resolve("masks").toString());
            assertEquals(1, full.code());
            assertTrue(full.err().contains(tmp.resolve("masks") + ": only ") && full.err().contains("MB needed"), full.err());
            CommandLineTest.Run train = medseg("train", "--data", dataset.toString(), "--output",
                    tmp.resolve("m2").toString());
            assertEquals(1, train.code());
            assertTrue(train.err().contains("MB free on its file system"), train.err());
        } finally {
            System.clearProperty("medseg.minFreeBytes");
        }
        assertFalse(Files.exists(tmp.resolve("masks")), "nothing was segmented, and no empty output folder is left");
    }

    /**
     * nnU-Net's naming rule read literally: img_0000.png … img_0019.png are the channels of one case
     * "img". With a one-channel model that case fails saying why; no file is dropped and the plain
     * scan beside it is still segmented.
     */
    @Test
    void channelNamesThatDoNotFitTheModelFailThatCaseAndDropNothing(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path source = dataset.resolve("imagesTs/case_004_0000.png");
        for (int k = 0; k < 20; k++) {
            Files.copy(source, in.resolve(String.format("img_%04d.png", k)));
        }
        Files.copy(source, in.resolve("scan.png"));
        Files.copy(source, in.resolve("pair_0001.png")); // channel 1 without channel 0
        Files.copy(source, in.resolve("scan_0000.png")); // a case whose mask would be scan.png, as scan.png's is
        Path out = tmp.resolve("masks");
        CommandLineTest.Run run = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                out.toString());
        assertEquals(4, run.code(), run.err());
        assertTrue(run.err().contains("failed img: " + in.resolve("img_0000.png") + ": 20 files img_0000.png … img_0019.png"
                + " make one case 'img' with channel number(s) 0000…0019, but the model takes 1 channel(s) (0000)."
                + " nnU-Net names channel c of case ID as ID_cccc.png"), run.err());
        assertTrue(run.err().contains("failed pair: " + in.resolve("pair_0001.png") + ": pair_0001.png make one case 'pair'"
                + " with channel number(s) 0001, but the model takes 1 channel(s) (0000); missing pair_0000.png"), run.err());
        assertEquals(1, run.err().lines().filter(l -> l.startsWith("failed img:")).count(), "each failure said once");
        assertTrue(run.err().contains("failed scan: " + in.resolve("scan_0000.png") + ": its mask would be scan.png, the mask"
                + " of scan.png too"), run.err());
        assertTrue(run.out().contains("found 23 file(s): 4 case(s); wrote 1 mask(s) to " + out + ", 3 case(s) failed"),
                run.out());
        assertTrue(Files.isRegularFile(out.resolve("scan.png")));
        CommandLineTest.Run quiet = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                tmp.resolve("quiet").toString(), "--quiet");
        assertEquals(1, quiet.err().lines().filter(l -> l.startsWith("failed img:")).count(), quiet.err());
    }

    /** Masks written into (or around) the input folder would be read as scans by the next run. */
    @Test
    void anOutputFolderInsideOrAroundTheInputIsRefusedBeforeTheWork(@TempDir Path tmp) throws Exception {
        Path in = images(tmp);
        for (Path out : List.of(in, in.resolve("masks"), in.resolve("a/b"), tmp, in.resolve("."))) {
            CommandLineTest.Run run = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                    out.toString());
            assertEquals(1, run.code(), out + ": " + run.err());
            assertTrue(run.err().contains(": the output folder ") && run.err().contains("Choose a folder outside the input"),
                    run.err());
        }
        // one file as input: its own folder is refused (CASE_0000.png would get CASE.png beside it), a subfolder is not
        Path one = in.resolve("case_004_0000.png");
        long scans;
        try (Stream<Path> s = Files.list(in)) {
            scans = s.filter(p -> p.toString().endsWith(".png")).count();
        }
        assertEquals(1, medseg("segment", "--model", model.toString(), "--input", one.toString(), "--output",
                in.toString()).code());
        assertEquals(0, medseg("segment", "--model", model.toString(), "--input", one.toString(), "--output",
                in.resolve("masks").toString()).code());
        try (Stream<Path> s = Files.list(in)) {
            assertEquals(scans, s.filter(p -> p.toString().endsWith(".png")).count(), "no mask among the scans");
        }
    }

    /** FIFOs, broken links, link loops, hidden and foreign files: each listed as skipped with its reason. */
    @Test
    void entriesThatAreNotScansAreListedWithTheirReason(@TempDir Path tmp) throws Exception {
        Path in = images(tmp);
        new ProcessBuilder("mkfifo", in.resolve("pipe").toString()).start().waitFor();
        Files.createSymbolicLink(in.resolve("gone.png"), tmp.resolve("nowhere.png"));
        Files.createDirectories(in.resolve("loop"));
        Files.createSymbolicLink(in.resolve("loop/back"), in);
        Files.writeString(in.resolve("notes.txt"), "not a scan");
        Files.writeString(in.resolve(".hidden.png"), "not a scan either");
        Files.copy(in.resolve("case_004_0000.png"), Files.createDirectories(in.resolve("sub")).resolve("deep.png"));
        CommandLineTest.Run run = medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                tmp.resolve("masks").toString());
        assertEquals(0, run.code(), run.err());
        for (String line : List.of("skipped " + in.resolve("pipe") + ": not a regular file (a FIFO, socket or device)",
                "skipped " + in.resolve("gone.png") + ": broken symbolic link",
                "skipped " + in.resolve("loop/back") + ": symbolic link loop, not followed",
                "skipped " + in.resolve("notes.txt") + ": not a scan medseg reads",
                "skipped " + in.resolve(".hidden.png") + ": hidden file",
                "skipped " + in.resolve("sub/deep.png") + ": an image in a subfolder")) {
            assertTrue(run.err().contains(line), line + " in:\n" + run.err());
        }
        assertTrue(run.out().contains("found 10 file(s): 4 case(s), 6 file(s) skipped as not scans (listed above); wrote 4"),
                run.out());
    }

    /** Two runs into one output folder: the second is refused, naming the first; the lock goes with its run. */
    @Test
    void aSecondRunIntoTheSameFolderIsRefusedWhileTheFirstWrites(@TempDir Path tmp) throws Exception {
        Path in = images(tmp);
        Path out = tmp.resolve("masks");
        try (FolderLock first = FolderLock.acquire(out, "medseg segment (the first)")) {
            CommandLineTest.Run second = medseg("segment", "--model", model.toString(), "--input", in.toString(),
                    "--output", out.toString(), "--continue");
            assertEquals(1, second.code(), second.err());
            assertTrue(second.err().contains(out + ": another run is writing it (medseg segment (the first), process "
                    + ProcessHandle.current().pid()), second.err());
        }
        assertEquals(0, medseg("segment", "--model", model.toString(), "--input", in.toString(), "--output",
                out.toString(), "--continue").code());
        assertFalse(Files.exists(out.resolve(FolderLock.NAME)), "the lock file goes with its run");
        // a bundle being trained is taken the same way (its lock lies beside it, so other bundles stay free)
        Path bundle = tmp.resolve("bundle");
        try (FolderLock first = FolderLock.acquireFor(bundle, "medseg train (the first)")) {
            CommandLineTest.Run second = medseg("train", "--data", dataset.toString(), "--output", bundle.toString(),
                    "--epochs", "1", "--iterations", "1", "--batch", "1", "--patch", "16x16", "--depth", "1", "--filters", "2");
            assertEquals(1, second.code(), second.err());
            assertTrue(second.err().contains(bundle + ": another run is writing it (medseg train (the first)"), second.err());
        }
    }

    /**
     * File names as the file system has them: one in UTF-8 and one whose bytes are not UTF-8, under a
     * UTF-8 locale (what the launcher sets) and under plain C. No name aborts the batch; a case
     * whose name cannot be written in C fails alone, saying why.
     */
    @Test
    void namesBeyondAsciiAreSegmentedOrFailAloneWhateverTheLocale(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path source = dataset.resolve("imagesTs/case_004_0000.png");
        Files.copy(source, in.resolve("plain.png"));
        String sh = "cp '" + source + "' \"$1/zahn_\303\274.png\" && cp '" + source + "' \"$1/$(printf 'bad\\377')_0000.png\"";
        assertEquals(0, new ProcessBuilder("sh", "-c", sh.replace("\\303\\274", "$(printf '\\303\\274')"), "sh",
                in.toString()).inheritIO().start().waitFor());
        for (String locale : List.of("C.UTF-8", "C")) {
            Path out = tmp.resolve("out-" + locale);
            Path log = tmp.resolve("log-" + locale);
            List<String> command = new ArrayList<>(List.of("env", "LC_ALL=" + locale, "LANG=" + locale,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true", "-Xmx1g",
                    "-cp", System.getProperty("java.class.path"), Medseg.class.getName(), "segment", "--model",
                    model.toString(), "--input", in.toString(), "--output", out.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(2, TimeUnit.MINUTES));
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            String[] masks = out.toFile().list((d, n) -> n.endsWith(".png"));
            if (locale.equals("C.UTF-8")) {
                assertEquals(0, p.exitValue(), text);
                assertEquals(3, masks.length, text);
                assertTrue(text.contains("the name is not valid UTF-8; the mask is named bad"), text);
            } else {
                assertEquals(4, p.exitValue(), text);
                assertEquals(2, masks.length, "plain.png and the UTF-8 name: " + text);
                assertTrue(text.contains("cannot be written as a file name in this system's character set"), text);
            }
            assertTrue(text.contains("found 3 file(s): 3 case(s)"), text);
        }
    }
}
