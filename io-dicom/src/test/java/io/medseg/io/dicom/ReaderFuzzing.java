package io.medseg.io.dicom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fuzz targets of the readers, shared by the JUnit fuzz tests ({@link ReaderFuzzTest}, a short
 * run in CI and the regression inputs) and the long run of {@code scripts/fuzz-readers.sh}
 * (Jazzer's command line, {@link #fuzzerTestOneInput}). A finding is anything but a one-line
 * {@link ImageFileException} that names the file: another exception or error, a message without
 * the file, a decoder abandoned for taking too long (a hang), more than {@link #MAX_SECONDS} for
 * one input, or more than {@link #MAX_ALLOCATION} bytes allocated for it.
 */
public final class ReaderFuzzing {
    /** Readers run with a 64 MB ceiling per scan here; allocating much more than that for one input is a finding. */
    static final long MAX_ALLOCATION = 1L << 30;
    static final double MAX_SECONDS = 10;
    private static final Path DIR;

    static {
        System.setProperty(ReadLimits.MAX_SCAN_BYTES, "64m");
        System.setProperty(ReadLimits.DECODER_SECONDS, "5");
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
                if (f.dataset().contains(Tags.PIXEL_DATA)) {
                    PixelDecoder.decode(f);
                }
            });
            for (String name : new String[] {"input.nii", "input.nii.gz"}) {
                Path nifti = Files.write(DIR.resolve(name), data);
                expectReaderError(nifti, () -> Nifti.readVolume(nifti));
            }
            Path plain = Files.write(DIR.resolve("input.png"), data);
            expectReaderError(plain, () -> io.medseg.io.PlainImages.readVolume(plain));
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
        if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
            throw new AssertionError("a decoder hangs: " + e.getMessage(), e);
        }
    }

    /**
     * Runs one input and turns too much time or allocation into a finding. Allocation is summed
     * over all live threads, since decoders run on a worker pool and series slices on the common
     * fork-join pool (both keep their threads, so little is missed).
     */
    private static void measured(ReaderCall call) throws IOException {
        long allocated = allocatedByAllThreads();
        long start = System.nanoTime();
        call.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        allocated = allocatedByAllThreads() - allocated;
        if (seconds > MAX_SECONDS) {
            throw new AssertionError(String.format("one input took %.1f s", seconds));
        }
        if (allocated > MAX_ALLOCATION) {
            throw new AssertionError("one input allocated " + allocated + " bytes");
        }
    }

    private static long allocatedByAllThreads() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }
}
