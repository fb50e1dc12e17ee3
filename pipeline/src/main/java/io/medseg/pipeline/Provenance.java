package io.medseg.pipeline;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a model bundle records to reproduce it: seed, versions, and a fingerprint of the training data. */
public final class Provenance {
    /** This build's version, recorded in bundles and manifests and printed by {@code medseg --version}. */
    public static final String MEDSEG_VERSION = "0.1.0";

    private Provenance() {}

    public static Map<String, String> of(Dataset dataset, long seed) throws IOException {
        Map<String, String> p = new TreeMap<>();
        p.put("seed", Long.toString(seed));
        p.put("medseg", MEDSEG_VERSION);
        p.put("djl", Engine.getDjlVersion());
        p.put("libtorch", Engine.getInstance().getVersion());
        p.put("java", System.getProperty("java.version"));
        // the same seed gives the same bits only on the same kernels: AVX2-pinned or this CPU's own
        p.put("cpu_isa", RunManifest.cpuIsa());
        p.put("dataset", dataset.root().toAbsolutePath().normalize().getFileName().toString());
        p.put("dataset_sha256", fingerprint(dataset.root()));
        return p;
    }

    /** SHA-256 over dataset.json, imagesTr and labelsTr: relative names and contents, in sorted order. */
    public static String fingerprint(Path root) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : List.of("dataset.json", "imagesTr", "labelsTr")) {
                Path p = root.resolve(part);
                if (!Files.exists(p)) {
                    continue;
                }
                List<Path> files;
                try (Stream<Path> s = Files.walk(p)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    digest.update(root.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                    try (InputStream in = new DigestInputStream(Files.newInputStream(f), digest)) {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
