package io.medseg.workbench;

import io.medseg.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Puts the workbench into a Fiji.app (or an ImageJ folder) and takes it out again.
 *
 * <p>Fiji loads every jar of {@code jars/} and {@code plugins/} with one class loader that menu
 * refreshes never replace, so DJL's native library stays with one loader (docs/imagej.md). The plugin jar
 * goes to {@code plugins/}, the libraries it needs to {@code jars/}, and the bundled models to
 * {@code models/medseg/}. A library Fiji already ships is not copied a second time: Fiji's copy is
 * used when it has the same major version, or an older major that medseg is known to run on (tested
 * by InstallFijiTest with Fiji's own versions); any other clash is refused, unless asked to set
 * Fiji's copy aside (restored on removal). Every file written or set aside is listed in
 * {@value #MANIFEST}, which removal follows.
 */
final class FijiInstallation {
    static final String MANIFEST = "medseg-install.txt";
    static final String SET_ASIDE = "medseg-set-aside";
    static final String MODELS = "models/medseg";

    /**
     * Libraries whose older major versions (as Fiji ships them) medseg runs on: imglib2 7 (only
     * ArrayImg, Views and the basic types are used) and the slf4j 1.7 API (DJL logs through it).
     */
    static final Map<String, Integer> OLDEST_MAJOR = Map.of("imglib2", 7, "slf4j-api", 1);
    private static final String UNKNOWN = "?";

    /** A jar and what Maven built it as (from its pom.properties, else its file name). */
    record Artifact(String groupId, String artifactId, String version, Path jar) {
        int major() {
            String digits = version.replaceAll("^(\\d+).*", "$1");
            return digits.matches("\\d+") ? Integer.parseInt(digits) : -1;
        }
    }

    /** What an installation will do. */
    record Plan(List<Path> pluginJars, List<Path> libraries, List<Path> setAside, List<Path> models, List<String> notes,
            List<String> conflicts) {}

    private FijiInstallation() {}

    /**
     * @param replaceConflicts set a clashing Fiji jar aside instead of refusing
     * @throws IOException when {@code fiji} is not an ImageJ/Fiji folder or medseg is already there
     */
    static Plan plan(Path fiji, Path pluginJar, List<Path> libraries, List<Path> models, boolean replaceConflicts)
            throws IOException {
        if (!Files.isDirectory(fiji.resolve("jars")) && !Files.isDirectory(fiji.resolve("plugins"))) {
            throw new IOException(fiji + ": not a Fiji.app or ImageJ folder (no jars/ or plugins/)");
        }
        if (Files.exists(fiji.resolve(MANIFEST))) {
            throw new IOException(fiji + ": the workbench is installed already (" + MANIFEST + "); remove it first");
        }
        // by artifactId: jars built without Maven (JNA's) carry no groupId
        Map<String, Artifact> shipped = new HashMap<>();
        for (Path jar : jarsBelow(fiji)) {
            Artifact a = artifact(jar);
            shipped.put(a.artifactId(), a);
        }
        List<Path> copy = new ArrayList<>();
        List<Path> setAside = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (Path jar : libraries) {
            Artifact ours = artifact(jar);
            Artifact theirs = shipped.get(ours.artifactId());
            if (theirs != null && !theirs.groupId().equals(UNKNOWN) && !ours.groupId().equals(UNKNOWN)
                    && !theirs.groupId().equals(ours.groupId())) {
                theirs = null; // another library of the same name
            }
            if (theirs == null) {
                copy.add(jar);
                continue;
            }
            Integer oldest = OLDEST_MAJOR.get(ours.artifactId());
            boolean compatible = theirs.major() == ours.major()
                    || oldest != null && theirs.major() >= oldest && theirs.major() < ours.major();
            if (compatible) {
                notes.add("uses Fiji's " + fiji.relativize(theirs.jar()) + " (medseg is built with " + ours.version() + ")");
            } else if (replaceConflicts) {
                setAside.add(theirs.jar());
                copy.add(jar);
                notes.add("sets Fiji's " + fiji.relativize(theirs.jar()) + " aside for " + jar.getFileName()
                        + " (put back on removal)");
            } else {
                conflicts.add(fiji.relativize(theirs.jar()) + " is " + ours.artifactId() + " " + theirs.version()
                        + "; medseg needs " + ours.version() + " (major " + ours.major() + ")");
            }
        }
        return new Plan(List.of(pluginJar), copy, setAside, models, notes, conflicts);
    }

    /** Carries out a plan without conflicts; files are copied under temporary names and renamed when complete. */
    static List<Path> install(Path fiji, Plan plan) throws IOException {
        if (!plan.conflicts().isEmpty()) {
            throw new IllegalStateException("plan has conflicts");
        }
        List<String> manifest = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        try {
            Path aside = fiji.resolve(SET_ASIDE);
            for (Path jar : plan.setAside()) {
                Path to = aside.resolve(fiji.relativize(jar).toString());
                Files.createDirectories(to.getParent());
                Files.move(jar, to);
                manifest.add("set-aside " + fiji.relativize(jar));
            }
            for (Path jar : plan.pluginJars()) {
                written.add(copy(jar, fiji.resolve("plugins").resolve(jar.getFileName().toString())));
            }
            for (Path jar : plan.libraries()) {
                written.add(copy(jar, fiji.resolve("jars").resolve(jar.getFileName().toString())));
            }
            for (Path model : plan.models()) {
                Path target = fiji.resolve(MODELS).resolve(model.getFileName().toString());
                if (Files.exists(target)) {
                    throw new IOException(target + " exists (a model of another installation?); remove it first");
                }
                written.addAll(copyTree(model, target));
            }
        } finally {
            for (Path p : written) {
                manifest.add("file " + fiji.relativize(p));
            }
            if (!manifest.isEmpty()) {
                AtomicFiles.write(fiji.resolve(MANIFEST), (String.join("\n", manifest) + "\n").getBytes(StandardCharsets.UTF_8), true);
            }
        }
        return written;
    }

    /** Deletes what the manifest lists and puts set-aside jars back; returns the files removed. */
    static List<Path> remove(Path fiji) throws IOException {
        Path manifest = fiji.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IOException(fiji + ": the workbench is not installed there (no " + MANIFEST + ")");
        }
        List<Path> removed = new ArrayList<>();
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            if (line.startsWith("file ")) {
                Path p = inside(fiji, line.substring(5));
                if (Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            } else if (line.startsWith("set-aside ")) {
                String rel = line.substring(10);
                Path from = inside(fiji, SET_ASIDE + "/" + rel);
                if (Files.exists(from)) {
                    Files.move(from, inside(fiji, rel));
                }
            }
        }
        deleteEmptyFolders(fiji.resolve(MODELS));
        deleteEmptyFolders(fiji.resolve(SET_ASIDE));
        Path models = fiji.resolve("models");
        if (Files.isDirectory(models) && isEmpty(models)) {
            Files.delete(models);
        }
        Files.delete(manifest);
        return removed;
    }

    /** The jar's Maven coordinates: its own pom.properties (the one naming the file's artifact), else the file name. */
    static Artifact artifact(Path jar) throws IOException {
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<Properties> found = new ArrayList<>();
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = zip.getInputStream(e)) {
                        p.load(in);
                    }
                    found.add(p);
                }
            }
            for (Properties p : found) {
                String id = p.getProperty("artifactId", "");
                if (name.startsWith(id + "-") && p.getProperty("groupId") != null) {
                    return new Artifact(p.getProperty("groupId"), id, p.getProperty("version", ""), jar);
                }
            }
        } catch (ZipException e) {
            throw new IOException(jar + ": not a readable jar (" + e.getMessage() + ")");
        }
        // artifactId-version[-classifier]: the version starts at the first "-digit"
        Matcher m = Pattern.compile("^(.+?)-(\\d[^-]*)(-.*)?$").matcher(name);
        return m.matches() ? new Artifact(UNKNOWN, m.group(1), m.group(2), jar) : new Artifact(UNKNOWN, name, "", jar);
    }

    private static List<Path> jarsBelow(Path fiji) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : new String[] {"jars", "plugins"}) {
            Path d = fiji.resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.walk(d)) {
                    s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    private static Path copy(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            throw new IOException(to + " exists; remove it first (an older manual installation?)");
        }
        Files.createDirectories(to.getParent());
        Path tmp = AtomicFiles.temporarySibling(to, ".part");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.moveAtomically(tmp, to);
        return to;
    }

    private static List<Path> copyTree(Path from, Path to) throws IOException {
        List<Path> written = new ArrayList<>();
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                written.add(copy(p, to.resolve(from.relativize(p).toString())));
            }
        }
        return written;
    }

    /** A manifest path, refused when it points outside the installation (an edited manifest). */
    private static Path inside(Path fiji, String relative) throws IOException {
        Path p = fiji.resolve(relative).normalize();
        if (!p.startsWith(fiji.normalize())) {
            throw new IOException(fiji.resolve(MANIFEST) + ": lists " + relative + ", outside " + fiji);
        }
        return p;
    }

    private static void deleteEmptyFolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p) && isEmpty(p)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
