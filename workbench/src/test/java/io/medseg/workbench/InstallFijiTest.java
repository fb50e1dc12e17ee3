package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.evaluation.Evaluator;
import io.medseg.image.LabelMap;
import io.medseg.io.nifti.Nifti;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code medseg install-fiji} into a Fiji.app holding the versions Fiji ships of the libraries medseg
 * shares with it (ImageJ 1.54p, imglib2 7.1.5, gson 2.10.1, JNA 5.14, slf4j 1.7.36): the plugin then
 * runs Open Scan → Segment Image → Save Mask with Fiji's jars on Fiji's single class path, and
 * {@code --remove} leaves the folder exactly as it was.
 */
class InstallFijiTest {
    private static final Path FIJI_JARS = Path.of("target", "fiji-jars");
    private static final Path CT = Path.of("..", "sample-scans", "data", "Dataset002_AbdomenCT").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @BeforeAll
    static void home() {
        System.setProperty("medseg.home", Path.of("..").toAbsolutePath().normalize().toString());
    }

    @Test
    void installRunsOnFijisLibrariesAndRemoveRestoresTheFolder() throws Exception {
        Path fiji = fijiApp(tmp.resolve("Fiji.app"));
        Map<String, String> before = listing(fiji);

        CommandLineTest.Run install = medseg("install-fiji", fiji.toString());
        assertEquals(0, install.code(), install.err());
        assertTrue(install.out().contains("note: uses Fiji's jars/imglib2-7.1.5.jar (medseg is built with 8.0.0)"),
                install.out());
        assertTrue(Files.isRegularFile(fiji.resolve("plugins/Segmentation_Workbench.jar")));
        assertTrue(Files.isRegularFile(fiji.resolve("jars/pytorch-engine-0.35.1.jar")));
        assertTrue(Files.isRegularFile(fiji.resolve("models/medseg/abdomen-ct-unet3d/model.json")));
        for (String shared : new String[] {"imglib2-8.0.0.jar", "gson-2.13.1.jar", "jna-5.17.0.jar", "slf4j-api-2.0.17.jar"}) {
            assertFalse(Files.exists(fiji.resolve("jars").resolve(shared)), "no second copy of " + shared);
        }

        // Fiji's class path: every jar of jars/ and plugins/ on one loader; run from another folder and without
        // ij.dir, as the documented headless command is: the models are found beside the plugin's jar
        Path mask = tmp.resolve("ct_004_mask.nii.gz");
        Path image = CT.resolve("imagesTs/ct_004_0000.nii.gz");
        Path log = tmp.resolve("fiji.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-Xmx3g",
                "-cp", fiji.resolve("jars") + "/*:" + fiji.resolve("plugins") + "/*", "io.medseg.imagej.HeadlessCommands",
                "OpenScanPlugin", "scan=" + image + " window=abdomen",
                "SegmentImagePlugin", "image=ct_004_0000 model=abdomen-ct-unet3d measurements device=cpu",
                "SaveMaskPlugin", "labels=ct_004_0000-labels geometry=ct_004_0000 file=" + mask)
                .directory(Files.createDirectories(tmp.resolve("elsewhere")).toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "plugin run finished");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        Map<Integer, String> labels = Map.of(0, "background", 1, "liver", 2, "kidney");
        LabelMap saved = Nifti.readLabels(mask, labels);
        LabelMap reference = Nifti.readLabels(CT.resolve("labelsTs/ct_004.nii.gz"), labels);
        assertEquals(Nifti.readVolume(image).geometry(), saved.geometry());
        double dice = Evaluator.meanForegroundDice(reference, saved);
        assertTrue(dice > 0.85, "mean Dice in Fiji " + dice);

        CommandLineTest.Run remove = medseg("install-fiji", "--remove", fiji.toString());
        assertEquals(0, remove.code(), remove.err());
        assertEquals(before, listing(fiji), "the folder is as it was");
    }

    @Test
    void anotherMajorVersionIsRefusedOrSetAsideAndPutBack() throws Exception {
        Path fiji = Files.createDirectories(tmp.resolve("Fiji.app"));
        Files.createDirectories(fiji.resolve("plugins"));
        // the JNA 3 that some Fiji installations carry (SAMJ-IJ issue 48)
        fakeJar(fiji.resolve("jars/jna-3.2.7.jar"), "net.java.dev.jna", "jna", "3.2.7");
        Map<String, String> before = listing(fiji);

        CommandLineTest.Run refused = medseg("install-fiji", "--no-models", fiji.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("conflict: jars/jna-3.2.7.jar is jna 3.2.7; medseg needs 5.17.0 (major 5)"),
                refused.err());
        assertTrue(refused.err().contains("nothing was installed"), refused.err());
        assertEquals(before, listing(fiji));

        CommandLineTest.Run replaced = medseg("install-fiji", "--no-models", "--replace-conflicts", fiji.toString());
        assertEquals(0, replaced.code(), replaced.err());
        assertTrue(Files.exists(fiji.resolve("jars/jna-5.17.0.jar")));
        assertFalse(Files.exists(fiji.resolve("jars/jna-3.2.7.jar")));
        CommandLineTest.Run again = medseg("install-fiji", fiji.toString());
        assertTrue(again.code() == 1 && again.err().contains("installed already"), again.err());

        assertEquals(0, medseg("install-fiji", "--remove", fiji.toString()).code());
        assertEquals(before, listing(fiji), "Fiji's JNA 3 is back, nothing of medseg is left");
        CommandLineTest.Run twice = medseg("install-fiji", "--remove", fiji.toString());
        assertTrue(twice.code() == 1 && twice.err().contains("not installed there"), twice.err());
    }

    @Test
    void aFolderThatIsNotImageJIsRefused() throws Exception {
        CommandLineTest.Run r = medseg("install-fiji", tmp.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(tmp + ": not a Fiji.app or ImageJ folder"), r.err());
    }

    private static Path fijiApp(Path fiji) throws Exception {
        Files.createDirectories(fiji.resolve("jars"));
        Files.createDirectories(fiji.resolve("plugins"));
        try (Stream<Path> s = Files.list(FIJI_JARS)) {
            for (Path jar : s.toList()) {
                Files.copy(jar, fiji.resolve("jars").resolve(jar.getFileName()));
            }
        }
        return fiji;
    }

    private static void fakeJar(Path jar, String group, String artifact, String version) throws Exception {
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new ZipEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties"));
            j.write(("groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Every file and folder below {@code root} with its SHA-256 ("dir" for folders). */
    private static Map<String, String> listing(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            out.put(rel, Files.isDirectory(p) ? "dir"
                    : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
        return out;
    }
}
