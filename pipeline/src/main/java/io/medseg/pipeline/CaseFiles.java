package io.medseg.pipeline;

import io.medseg.io.ImageFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** nnU-Net file naming: channel c of case ID is {@code ID_cccc.ext}; its label and prediction are {@code ID.ext}. */
public final class CaseFiles {
    private static final Pattern CHANNEL = Pattern.compile("(.+)_(\\d{4})");

    private CaseFiles() {}

    public static String channelFileName(String caseId, int channel, String ending) {
        return String.format("%s_%04d%s", caseId, channel, ending);
    }

    /**
     * Groups {@code ID_cccc.ext} files by case; each list has one slot per channel (null if missing).
     *
     * @throws ImageFileException for a channel number beyond {@code channels}
     */
    public static Map<String, List<Path>> groupChannels(Path dir, String ending, int channels) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ImageFileException(dir, "missing image folder");
        }
        Map<String, List<Path>> byCase = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(ending)).sorted().toList();
        }
        for (Path f : files) {
            String stem = f.getFileName().toString();
            stem = stem.substring(0, stem.length() - ending.length());
            Matcher m = CHANNEL.matcher(stem);
            if (!m.matches()) {
                throw new ImageFileException(f, "image names must be CASE_cccc" + ending + " (cccc = channel number)");
            }
            int channel = Integer.parseInt(m.group(2));
            if (channel >= channels) {
                throw new ImageFileException(f, "channel " + channel + " but dataset.json declares " + channels
                        + " channel(s)");
            }
            byCase.computeIfAbsent(m.group(1), k -> new ArrayList<>(Arrays.asList(new Path[channels]))).set(channel, f);
        }
        return byCase;
    }

    /** The case id of a channel file {@code ID_cccc.ext}, or null for other names. */
    public static String caseIdOf(Path file, String ending) {
        String name = file.getFileName().toString();
        if (!name.endsWith(ending)) {
            return null;
        }
        Matcher m = CHANNEL.matcher(name.substring(0, name.length() - ending.length()));
        return m.matches() ? m.group(1) : null;
    }
}
