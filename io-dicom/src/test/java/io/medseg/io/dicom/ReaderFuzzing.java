package io.medseg.io.dicom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.github.jaiimageio.jpeg2000.impl.J2KImageReader;
import com.sun.management.ThreadMXBean;
import io.medseg.io.ImageFileException;
import io.medseg.io.PlainImages;
import io.medseg.io.ReadLimits;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The fuzz targets of the readers, shared by the JUnit fuzz tests ({@link ReaderFuzzTest}, a short
 * run in CI and the regression inputs) and the long run of {@code scripts/fuzz-readers.sh}
 * (Jazzer's command line, {@link #fuzzerTestOneInput}). A finding is anything but a one-line
 * {@link ImageFileException} that names the file: another exception or error, a message without
 * the file, a decoder abandoned for taking too long (a hang), more than {@link #MAX_SECONDS} of CPU
 * for one input, or more than {@link #MAX_ALLOCATION} bytes allocated for it.
 */
public final class ReaderFuzzing {
    /** Readers run with a 64 MB ceiling per scan here; allocating much more than that for one input is a finding. */
    static final long MAX_ALLOCATION = 1L << 30;
    static final double MAX_SECONDS = 10;
    static final double MAX_WALL_SECONDS = 60;
    private static final Path DIR;

    static {
        System.setProperty(ReadLimits.MAX_SCAN_BYTES, "64m");
        System.setProperty(ReadLimits.DECODER_SECONDS, "5");
        // the fuzzer instruments a class on the thread that loads it, allocating on that thread (1.2 GB
        // for jj2000's once): load the readers' classes now, so an input is charged only for its own reading
        loadClassesBeside(jj2000.j2k.JJ2KExceptionHandler.class);
        loadClassesBeside(J2KImageReader.class);
        loadClassesBeside(PixelDecoder.class);
        try {
            Path shm = Path.of("/dev/shm");
            DIR = Files.createTempDirectory(Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                    : Path.of(System.getProperty("java.io.tmpdir")), "medseg-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ReaderFuzzing() {}

    /** Loads (without initialising) every class of the jar or class folder that holds {@code anchor}. */
    private static void loadClassesBeside(Class<?> anchor) {
        try {
            Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> names = new ArrayList<>();
            if (Files.isDirectory(root)) {
                try (var files = Files.walk(root)) {
                    files.map(p -> root.relativize(p).toString()).filter(n -> n.endsWith(".class")).forEach(names::add);
                }
            } else {
                try (var jar = new JarFile(root.toFile())) {
                    jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class")).forEach(names::add);
                }
            }
            for (String n : names) {
                if (n.contains("module-info") || n.startsWith("META-INF")) {
                    continue;
                }
                try {
                    Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, anchor.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    // a class that needs what is not on the class path is never used by the readers
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the classes beside " + anchor, e);
        }
    }

    /** Jazzer's command-line entry point: the file readers, then series assembly from the same bytes. */
    public static void fuzzerTestOneInput(byte[] data) throws IOException {
        fileReaders(data);
    }

    /** One input as a DICOM file (parsed and decoded), a NIfTI file, a gzip-compressed NIfTI file and a PNG/TIFF. */
    public static void fileReaders(byte[] data) throws IOException {
        measured(() -> {
            Path dicom = Files.write(DIR.resolve("input.dcm"), data);
            expectReaderError(dicom, () -> {
                DicomFile f = DicomParser.parse(dicom);
                if (PixelDecoder.pixelElement(f.dataset()) != null) {
                    PixelDecoder.decode(f);
                }
            });
            // the same bytes as a one-file series: functional groups, frame positions, colour models, tilt
            expectReaderError(dicom, () -> {
                DicomSeries.Scan scan = DicomSeries.scanFiles(List.of(dicom));
                for (String why : scan.skipped().values()) {
                    if (why.contains("\n")) {
                        throw new AssertionError("a reason of several lines: " + why);
                    }
                }
                for (DicomSeries s : scan.series()) {
                    s.header();
                    s.load();
                }
            });
            for (String name : new String[] {"input.nii", "input.nii.gz"}) {
                Path nifti = Files.write(DIR.resolve(name), data);
                expectReaderError(nifti, () -> Nifti.readHeader(nifti));
                expectReaderError(nifti, () -> Nifti.readVolume(nifti));
            }
            Path plain = Files.write(DIR.resolve("input.png"), data);
            expectReaderError(plain, () -> PlainImages.readVolume(plain));
        });
    }

    /**
     * A series of 1–4 slices whose geometry, rescale and size attributes come from the fuzzer, a
     * slice possibly replaced by raw fuzzer bytes: scan, assemble, load.
     */
    public static void seriesAssembly(FuzzedDataProvider in) throws IOException {
        measured(() -> {
            Path folder = Files.createDirectories(DIR.resolve("series"));
            try (var old = Files.list(folder)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            int count = in.consumeInt(1, 4);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Path file = folder.resolve("IM" + i);
                if (in.consumeBoolean()) {
                    Files.write(file, in.consumeBytes(in.consumeInt(0, 4096)));
                } else {
                    CraftedDicom slice = CraftedDicom.ctSlice(in.consumeInt(1, 8), in.consumeInt(1, 8), i);
                    for (int tag : new int[] {Tags.IMAGE_POSITION_PATIENT, Tags.IMAGE_ORIENTATION_PATIENT, Tags.PIXEL_SPACING,
                        Tags.RESCALE_SLOPE, Tags.RESCALE_INTERCEPT, Tags.SLICE_THICKNESS, Tags.SERIES_INSTANCE_UID}) {
                        if (in.consumeBoolean()) {
                            slice.set(tag, "DS", in.consumeAsciiString(40));
                        }
                    }
                    if (in.consumeBoolean()) {
                        slice.setUs(in.pickValue(new int[] {Tags.ROWS, Tags.COLUMNS, Tags.BITS_ALLOCATED, Tags.BITS_STORED,
                            Tags.HIGH_BIT, Tags.SAMPLES_PER_PIXEL, Tags.NUMBER_OF_FRAMES}), in.consumeInt(0, 65535));
                    }
                    slice.write(file);
                }
                files.add(file);
            }
            expectReaderError(folder, () -> {
                DicomSeries.Scan scan = DicomSeries.scanFiles(files);
                for (String why : scan.skipped().values()) {
                    if (why.contains("\n")) {
                        throw new AssertionError("a reason of several lines: " + why);
                    }
                }
                for (DicomSeries s : scan.series()) {
                    try {
                        s.load();
                    } catch (ImageFileException e) {
                        checkMessage(e);
                        if (!e.getMessage().startsWith(folder.toString())) {
                            throw new AssertionError("the message names no file of the series: " + e.getMessage(), e);
                        }
                    }
                }
            });
        });
    }

    private interface ReaderCall {
        void run() throws IOException;
    }

    /** Runs a reader: it returns, or fails with a one-line message that starts with {@code file}. */
    private static void expectReaderError(Path file, ReaderCall call) throws IOException {
        try {
            call.run();
        } catch (ImageFileException e) {
            if (!e.getMessage().startsWith(file.toString())) {
                throw new AssertionError("the message names no file: " + e.getMessage(), e);
            }
            checkMessage(e);
        }
    }

    private static void checkMessage(ImageFileException e) {
        if (e.getMessage().contains("\n")) {
            throw new AssertionError("a message of several lines: " + e.getMessage(), e);
        }
        if (e.getCause() instanceof TimeoutException) {
            throw new AssertionError("a decoder hangs: " + e.getMessage(), e);
        }
    }

    /**
     * Runs one input and turns too much time or allocation into a finding. Both are summed over the
     * threads that read for it: this one, the pixel decoders' workers and the common fork-join pool
     * (series slices); the fuzzer's own threads are left out. Time is CPU time, so that a loaded
     * machine does not make findings of its own; a wall time of {@link #MAX_WALL_SECONDS} (a reader
     * waiting for ever) is one too.
     */
    private static void measured(ReaderCall call) throws IOException {
        long[] before = readerCounters();
        long start = System.nanoTime();
        call.run();
        double wall = (System.nanoTime() - start) / 1e9;
        long[] after = readerCounters();
        double cpu = (after[0] - before[0]) / 1e9;
        long allocated = after[1] - before[1];
        if (cpu > MAX_SECONDS || wall > MAX_WALL_SECONDS) {
            throw new AssertionError(String.format("one input took %.1f s of CPU, %.1f s in all", cpu, wall));
        }
        if (allocated > MAX_ALLOCATION) {
            throw new AssertionError("one input allocated " + allocated + " bytes");
        }
    }

    /** CPU nanoseconds and allocated bytes of the reading threads so far. */
    private static long[] readerCounters() {
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpu = 0;
        long bytes = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t == Thread.currentThread() || name.startsWith("medseg-pixel-decoder")
                    || name.startsWith("ForkJoinPool.commonPool-worker")) {
                cpu += Math.max(0, threads.getThreadCpuTime(t.getId()));
                bytes += Math.max(0, threads.getThreadAllocatedBytes(t.getId()));
            }
        }
        return new long[] {cpu, bytes};
    }
}
