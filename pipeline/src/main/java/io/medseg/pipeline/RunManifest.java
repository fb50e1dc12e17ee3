package io.medseg.pipeline;

import ai.djl.engine.Engine;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.medseg.core.engine.Devices;
import io.medseg.files.AtomicFiles;
import io.medseg.io.ImageFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a run read and wrote, so a researcher can show and check that a result is reproduced: the
 * command, the versions and CPU kernels, every input file with its SHA-256, and every output file
 * (relative to the output folder) with its SHA-256, and the precision a network computed in.
 * {@code medseg reproduce} runs the command again into another folder, in the recorded precision,
 * and compares the outputs checksum by checksum.
 *
 * @param outputRoot the folder or bundle the outputs are relative to (the command's output)
 * @param precision fp32 or bf16, what {@code --precision} resolved to; null for runs without a network
 *     (and manifests from before it was recorded, which ran fp32)
 */
public record RunManifest(String format, List<String> command, String workingDirectory, Map<String, String> versions,
        Map<String, String> inputs, String outputRoot, Map<String, String> outputs, String created, String precision) {
    public static final String FORMAT = "medseg-manifest/1";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public RunManifest {
        command = List.copyOf(command);
        versions = new TreeMap<>(versions);
        inputs = new TreeMap<>(inputs);
        outputs = new TreeMap<>(outputs);
    }

    /**
     * @param inputs files or folders (every file below them, hidden ones excepted)
     * @param outputRoot the command's output; {@code outputs} are files or folders below it
     */
    public static RunManifest of(List<String> command, Collection<Path> inputs, Path outputRoot, Collection<Path> outputs)
            throws IOException {
        Map<String, String> in = new TreeMap<>();
        for (Path p : files(inputs)) {
            in.put(p.toAbsolutePath().normalize().toString(), outputChecksum(p));
        }
        Path root = outputRoot.toAbsolutePath().normalize();
        Map<String, String> out = new TreeMap<>();
        for (Path p : files(outputs)) {
            out.put(root.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/'), outputChecksum(p));
        }
        Map<String, String> versions = new TreeMap<>();
        versions.put("medseg", Provenance.MEDSEG_VERSION);
        versions.put("djl", Engine.getDjlVersion());
        // evaluate runs no network: libtorch is recorded where it ran, not loaded to name it
        Devices.engineVersionIfStarted().ifPresent(v -> versions.put("libtorch", v));
        versions.put("java", System.getProperty("java.version"));
        versions.put("cpu_isa", cpuIsa());
        return new RunManifest(FORMAT, command, Path.of("").toAbsolutePath().toString(), versions, in, root.toString(), out,
                Instant.now().toString(), null);
    }

    /** The same manifest recording the precision the network computed in ("fp32", "bf16"). */
    public RunManifest withPrecision(String label) {
        return new RunManifest(format, command, workingDirectory, versions, inputs, outputRoot, outputs, created, label);
    }

    /** The CPU kernels libtorch is pinned to ({@code MEDSEG_CPU_ISA}), or {@code native}. */
    public static String cpuIsa() {
        String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
        return isa == null ? "native" : isa.toLowerCase(Locale.ROOT);
    }

    public void write(Path file) throws IOException {
        AtomicFiles.write(file, (GSON.toJson(this) + "\n").getBytes(StandardCharsets.UTF_8), true);
    }

    public static RunManifest read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFileException(file, "no such manifest");
        }
        try {
            RunManifest m = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), RunManifest.class);
            if (m == null || !FORMAT.equals(m.format())) {
                throw new ImageFileException(file, "not a medseg run manifest (format " + (m == null ? null : m.format())
                        + ", expected " + FORMAT + ")");
            }
            return m;
        } catch (JsonParseException e) {
            throw new ImageFileException(file, "not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Inputs whose content is no longer what the run read (changed or missing), with the reason. */
    public Map<String, String> changedInputs() throws IOException {
        Map<String, String> changed = new TreeMap<>();
        for (var e : inputs.entrySet()) {
            Path p = Path.of(e.getKey());
            if (!Files.isRegularFile(p)) {
                changed.put(e.getKey(), "missing");
            } else if (!outputChecksum(p).equals(e.getValue())) {
                changed.put(e.getKey(), "changed since the run");
            }
        }
        return changed;
    }

    /** Each output compared with the same file below {@code newRoot}: identical, differs or missing. */
    public Map<String, String> compareOutputs(Path newRoot) throws IOException {
        Map<String, String> result = new TreeMap<>();
        for (var e : outputs.entrySet()) {
            Path p = newRoot.resolve(e.getKey());
            result.put(e.getKey(), !Files.isRegularFile(p) ? "missing"
                    : outputChecksum(p).equals(e.getValue()) ? "identical" : "differs");
        }
        return result;
    }

    /**
     * A file's SHA-256, as inputs and outputs are recorded; the clock left out where a file holds it
     * by design: a report's {@code index.html} without its "produced by" table (the date and the
     * output folder), a run manifest without its "created" time (one run's manifest is the next
     * run's input, e.g. segment's for evaluate).
     */
    static String outputChecksum(Path p) throws IOException {
        String name = p.getFileName().toString();
        boolean manifest = name.equals("manifest.json") || name.endsWith(".manifest.json");
        if (!name.equals("index.html") && !manifest) {
            return sha256(p);
        }
        String page = Files.readString(p, StandardCharsets.UTF_8);
        page = manifest ? page.replaceAll("(?m)^\\s*\"created\": \"[^\"]*\",?\n", "")
                : page.replaceAll("(?s)<table class=\"prov\">.*?</table>\n?", "");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(page.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> files(Collection<Path> roots) throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path r : roots) {
            if (Files.isDirectory(r)) {
                try (Stream<Path> s = Files.walk(r)) {
                    s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted()
                            .forEach(all::add);
                }
            } else if (Files.isRegularFile(r)) {
                all.add(r);
            }
        }
        return all;
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
