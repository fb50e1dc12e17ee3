package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import io.medseg.image.LabelMap;
import io.medseg.io.dicom.SegmentationReader;
import io.medseg.io.dicomweb.Credentials;
import io.medseg.io.dicomweb.DicomWebClient;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull → segment → push against a real PACS: Debian's Orthanc with its DICOMweb plugin, started by
 * {@code scripts/orthanc.sh} on 127.0.0.1 on a free port with a private storage folder and HTTP basic
 * authentication, stopped afterwards. The stored SEG is fetched back and compared with the local
 * files; faults (server down, wrong credentials, unknown study, an MR series, a case that fails, a
 * download that stalls) each end in one line naming the address and the problem.
 */
class DicomWebTest {
    static final Path BUNDLED = Path.of("../sample-scans/data/AbdomenCT_DICOM/ct_003");
    static final Path FIXTURES = Path.of("../io-dicom/src/test/resources");
    static final String MODEL = "../sample-scans/models/abdomen-ct-unet3d";
    static final String CT_STUDY = "2.25.5673781784840728561851764353407217545";

    @TempDir
    static Path orthanc;
    static String root;
    static String password;
    static Path credentials;
    static DicomWebClient client;
    static String phantomStudy;
    static String mrStudy;
    static String mrSeries;

    @BeforeAll
    static void startOrthanc() throws Exception {
        Process p = new ProcessBuilder("bash", "../scripts/orthanc.sh", "start", orthanc.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String port = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, "Orthanc started: " + port);
        root = "dicomweb://127.0.0.1:" + port + "/dicom-web";
        password = Files.readString(orthanc.resolve("password")).trim();
        credentials = orthanc.resolve("credentials");
        Files.writeString(credentials, "medseg:" + password + "\n");
        client = new DicomWebClient(URI.create("http://127.0.0.1:" + port + "/dicom-web"),
                Credentials.find(credentials, null), Duration.ofSeconds(60));
        // the bundled CT series; a study of a phantom series and a series missing a slice; an MR image
        client.store(files(BUNDLED));
        List<byte[]> phantom = new ArrayList<>(files(FIXTURES.resolve("series/axial")));
        phantom.addAll(files(FIXTURES.resolve("series/broken_missing_slice")));
        client.store(phantom);
        client.store(List.of(Files.readAllBytes(FIXTURES.resolve("dicom/MR_small.dcm"))));
        for (JsonObject study : client.studies()) {
            String uid = DicomWebClient.value(study, DicomWebClient.STUDY_INSTANCE_UID);
            String modalities = study.toString();
            if (modalities.contains("\"MR\"")) {
                mrStudy = uid;
                mrSeries = DicomWebClient.value(client.series(uid).get(0), DicomWebClient.SERIES_INSTANCE_UID);
            } else if (!uid.equals(CT_STUDY)) {
                phantomStudy = uid;
            }
        }
        assertEquals(3, client.studies().size());
    }

    @AfterAll
    static void stopOrthanc() throws Exception {
        new ProcessBuilder("bash", "../scripts/orthanc.sh", "stop", orthanc.toString()).inheritIO().start()
                .waitFor(1, TimeUnit.MINUTES);
    }

    private static List<byte[]> files(Path folder) throws IOException {
        List<byte[]> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                files.add(Files.readAllBytes(p));
            }
        }
        return files;
    }

    @Test
    void pullSegmentPushStoresTheSegOnceAndItIsTheLocalOne(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("pacs");
        CommandLineTest.Run run = medseg("segment", "--model", MODEL, "--input", root + "/studies/" + CT_STUDY,
                "--output", out.toString(), "--push", root, "--credentials", credentials.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("retrieved 62 instance(s) of 1 series from " + root + "/studies/" + CT_STUDY),
                run.err());
        assertTrue(run.out().contains("pushed 1 SEG(s) to " + root), run.out());
        assertFalse((run.out() + run.err()).contains(password), "the password is never printed");
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"" + root + "/studies/" + CT_STUDY + "\"") && manifest.contains("\"" + root + "\""),
                "the manifest records the addresses as given: " + manifest);
        assertFalse(manifest.contains(password), "nor the password");
        Path seg;
        Path nifti;
        try (Stream<Path> s = Files.list(out)) {
            List<Path> files = s.toList();
            seg = files.stream().filter(f -> f.toString().endsWith(".seg.dcm")).findFirst().orElseThrow();
            nifti = files.stream().filter(f -> f.toString().endsWith(".nii.gz")).findFirst().orElseThrow();
        }

        // the SEG on the server is the local SEG, and it holds the mask of segmenting the same files from disk
        List<JsonObject> segSeries = client.series(CT_STUDY).stream()
                .filter(s -> DicomWebClient.value(s, DicomWebClient.MODALITY).equals("SEG")).toList();
        assertEquals(1, segSeries.size());
        String segSeriesUid = DicomWebClient.value(segSeries.get(0), DicomWebClient.SERIES_INSTANCE_UID);
        List<JsonObject> instances = client.instances(CT_STUDY, segSeriesUid);
        assertEquals(1, instances.size());
        byte[] stored = client.retrieve(CT_STUDY, segSeriesUid, DicomWebClient.value(instances.get(0),
                DicomWebClient.SOP_INSTANCE_UID));
        Path fetched = tmp.resolve("fetched.seg.dcm");
        Files.write(fetched, stored);
        LabelMap fromServer = SegmentationReader.read(fetched, io.medseg.io.dicom.DicomSeries.scan(BUNDLED).series()
                .get(0)).labels();
        Path local = tmp.resolve("local");
        CommandLineTest.Run disk = medseg("segment", "--model", MODEL, "--input", BUNDLED.getParent().toString(),
                "--output", local.toString(), "--quiet");
        assertEquals(0, disk.code(), disk.err());
        LabelMap fromDisk = Nifti.readLabels(local.resolve("ct_003.nii.gz"), Map.of());
        assertArrayEquals(fromDisk.data(), fromServer.data(), "the stored SEG is the mask of the same files from disk");
        assertArrayEquals(fromDisk.data(), Nifti.readLabels(nifti, Map.of()).data(), "and the local NIfTI too");
        assertEquals(SegmentationReader.identify(seg).sopInstanceUid(), DicomWebClient.value(instances.get(0),
                DicomWebClient.SOP_INSTANCE_UID));

        // again with --continue: nothing segmented, nothing pushed twice
        CommandLineTest.Run again = medseg("segment", "--model", MODEL, "--input", root + "/studies/" + CT_STUDY,
                "--output", out.toString(), "--push", root, "--credentials", credentials.toString(), "--continue");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("pushed 0 SEG(s) to " + root + ", 1 already there"), again.out());
        assertEquals(1, client.instances(CT_STUDY, segSeriesUid).size());

        // pacs list shows the study with its CT and SEG series
        CommandLineTest.Run list = medseg("pacs", "list", root + "/studies/" + CT_STUDY, "--credentials",
                credentials.toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("Phantom^Abdomen") && list.out().contains("CT      62 instance(s)")
                && list.out().contains("SEG      1 instance(s)  Segmentation by abdomen-ct-unet3d"), list.out());
    }

    @Test
    void aCaseThatFailsPushesNothing(@TempDir Path tmp) throws Exception {
        CommandLineTest.Run run = medseg("segment", "--model", MODEL, "--input", root + "/studies/" + phantomStudy,
                "--output", tmp.resolve("out").toString(), "--push", root, "--credentials", credentials.toString(),
                "--quiet");
        assertEquals(4, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("uneven slice spacing"), run.err());
        assertTrue(run.out().contains("1 case(s) failed") && run.out().contains("pushed 1 SEG(s)"), run.out());
        long segs = client.series(phantomStudy).stream()
                .filter(s -> DicomWebClient.value(s, DicomWebClient.MODALITY).equals("SEG")).count();
        assertEquals(1, segs, "the SEG of the series that segmented, none of the one that failed");
    }

    @Test
    void faultsAreOneLineNamingTheAddress(@TempDir Path tmp) throws Exception {
        String out = tmp.resolve("out").toString();
        String study = root + "/studies/" + CT_STUDY;
        Path wrongCredentials = Files.writeString(tmp.resolve("wrong"), "medseg:not-the-password\n");
        String down = "dicomweb://127.0.0.1:1/dicom-web/studies/" + CT_STUDY;
        Map<List<String>, String> faults = Map.of(
                List.of("--input", down), down + "/series: cannot connect (is the server running, and is this its port?)",
                List.of("--input", study), study + "/series: 401 unauthorized: the server wants credentials",
                List.of("--input", study, "--credentials", wrongCredentials.toString()),
                study + "/series: 401 unauthorized: the server refused the credentials of user medseg",
                List.of("--input", root + "/studies/1.2.3", "--credentials", credentials.toString()),
                root + "/studies/1.2.3: the server has no such study (or no series in it)",
                List.of("--input", root + "/studies/" + mrStudy + "/series/" + mrSeries, "--credentials",
                        credentials.toString()),
                root + "/studies/" + mrStudy + "/series/" + mrSeries + ": a MR series; the model segments CT",
                List.of("--input", "dicomweb://medseg:" + password + "@127.0.0.1:1/dicom-web/studies/1.2"),
                "credentials in the address would show in process lists");
        for (Map.Entry<List<String>, String> fault : faults.entrySet()) {
            List<String> args = new ArrayList<>(List.of("segment", "--model", MODEL, "--output", out));
            args.addAll(fault.getKey());
            CommandLineTest.Run run = medseg(args.toArray(String[]::new));
            assertEquals(1, run.code(), fault.getKey() + ": " + run.err());
            assertTrue(run.err().contains(fault.getValue()), fault.getKey() + ": " + run.err());
            assertEquals(1, run.err().lines().filter(l -> l.startsWith("medseg segment: error:")).count(), run.err());
            assertFalse(run.err().contains(password), "the password is never printed: " + run.err());
            assertFalse(Files.exists(Path.of(out)), "nothing written: " + fault.getKey());
        }
    }

    @Test
    void aDownloadThatStallsFailsWithinTheTimeoutAndLeavesNothing(@TempDir Path tmp) throws Exception {
        // a server that lists one instance, then sends half of it and stops
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String series = "1.2.3.4";
        server.createContext("/dicom-web/studies/1.2.3/series", ex -> {
            String path = ex.getRequestURI().getPath();
            String body;
            if (path.endsWith("/series")) {
                body = "[{\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"" + series + "\"]},\"00080060\":{\"vr\":\"CS\","
                        + "\"Value\":[\"CT\"]}}]";
            } else if (path.endsWith("/instances")) {
                body = "[{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.4.5\"]}}]";
            } else {
                ex.getResponseHeaders().add("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=b");
                ex.sendResponseHeaders(200, 100_000);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write("--b\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    o.write(new byte[1000]);
                    o.flush();
                    Thread.sleep(10_000);
                } catch (InterruptedException | IOException e) {
                    // the client gave up
                }
                return;
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/dicom+json");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            String address = "dicomweb://127.0.0.1:" + server.getAddress().getPort() + "/dicom-web/studies/1.2.3";
            long start = System.nanoTime();
            CommandLineTest.Run run = medseg("segment", "--model", MODEL, "--input", address, "--output",
                    tmp.resolve("out").toString(), "--timeout", "2");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(1, run.code(), run.err());
            assertTrue(run.err().contains(address + "/series/" + series + "/instances/1.2.3.4.5: no complete answer"
                    + " within 2 s"), run.err());
            assertTrue(seconds < 8, "gave up after the timeout, not the server's 10 s: " + seconds);
            assertFalse(Files.exists(tmp.resolve("out")));
            try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("medseg-dicomweb-")
                        && isRecent(p)), "the retrieved files are removed");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anAnswerLargerThanTheLimitIsRefusedNotRead(@TempDir Path tmp) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/dicom-web/", ex -> {
            byte[] b = new byte[4096];
            ex.getResponseHeaders().add("Content-Type", "application/dicom+json");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            } catch (IOException e) {
                // the client stopped reading
            }
        });
        server.start();
        String before = System.getProperty(io.medseg.io.ReadLimits.MAX_SCAN_BYTES);
        System.setProperty(io.medseg.io.ReadLimits.MAX_SCAN_BYTES, "1k");
        try {
            String address = "dicomweb://127.0.0.1:" + server.getAddress().getPort() + "/dicom-web/studies/1.2.3";
            CommandLineTest.Run run = medseg("segment", "--model", MODEL, "--input", address, "--output",
                    tmp.resolve("out").toString());
            assertEquals(1, run.code(), run.err());
            assertTrue(run.err().contains(address + "/series: the answer declares 4096 bytes, more than the 1024 one"
                    + " request may bring"), run.err());
        } finally {
            if (before == null) {
                System.clearProperty(io.medseg.io.ReadLimits.MAX_SCAN_BYTES);
            } else {
                System.setProperty(io.medseg.io.ReadLimits.MAX_SCAN_BYTES, before);
            }
            server.stop(0);
        }
    }

    private static boolean isRecent(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() > System.currentTimeMillis() - 60_000;
        } catch (IOException e) {
            return false;
        }
    }
}
