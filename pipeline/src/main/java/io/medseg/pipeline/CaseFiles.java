package io.medseg.pipeline;

import io.medseg.io.ImageFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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

    /**
     * A scan to segment from image files: one file named without a channel suffix, or the channel
     * files {@code ID_cccc.ext} of case ID in channel order. {@code problem} says why the files
     * cannot be one scan for the model (null when they can).
     */
    public record ImageCase(String id, String ending, List<Path> files, String problem) {
        /** A file named without a channel suffix: its mask keeps the file's own name. */
        public boolean plainName() {
            return files.size() == 1 && caseIdOf(files.get(0), ending) == null;
        }
    }

    /**
     * Groups image files into cases for a model with {@code channels} inputs, by nnU-Net's naming
     * rule. Every file ends up in exactly one case; a case whose channel numbers are not exactly
     * 0 … channels − 1 carries a problem that explains the rule, so it fails alone and loudly
     * (a folder {@code img_0000.png … img_1999.png} is one case of 2000 channels, not 2000 scans).
     */
    public static List<ImageCase> groupCases(List<Path> files, int channels) {
        List<ImageCase> cases = new ArrayList<>();
        Map<String, TreeMap<Integer, Path>> byCase = new TreeMap<>();
        Map<String, String[]> idAndEnding = new TreeMap<>();
        for (Path f : files) {
            String ending = ScanFiles.ending(f);
            String id = caseIdOf(f, ending);
            if (id == null) {
                cases.add(new ImageCase(ScanFiles.stem(f), ending, List.of(f), null));
                continue;
            }
            // the same id with two endings (CASE_0000.png, CASE_0000.nii.gz) is two cases
            String key = id + "\0" + ending;
            idAndEnding.put(key, new String[] {id, ending});
            int channel = Integer.parseInt(f.getFileName().toString().substring(
                    id.length() + 1, id.length() + 5));
            byCase.computeIfAbsent(key, k -> new TreeMap<>()).put(channel, f);
        }
        for (Map.Entry<String, TreeMap<Integer, Path>> e : byCase.entrySet()) {
            String id = idAndEnding.get(e.getKey())[0];
            String ending = idAndEnding.get(e.getKey())[1];
            TreeMap<Integer, Path> byChannel = e.getValue();
            List<Path> ordered = List.copyOf(byChannel.values());
            cases.add(new ImageCase(id, ending, ordered, channelProblem(id, ending, byChannel, channels)));
        }
        cases.sort(Comparator.comparing(ImageCase::id).thenComparing(ImageCase::ending));
        return cases;
    }

    /** Why the channel files of one case do not fit a model with {@code channels} inputs, or null. */
    private static String channelProblem(String id, String ending, TreeMap<Integer, Path> byChannel, int channels) {
        boolean exact = byChannel.size() == channels && byChannel.firstKey() == 0 && byChannel.lastKey() == channels - 1;
        if (exact) {
            return null;
        }
        String files = byChannel.size() == 1 ? byChannel.firstEntry().getValue().getFileName().toString()
                : byChannel.size() + " files " + byChannel.firstEntry().getValue().getFileName() + " … "
                        + byChannel.lastEntry().getValue().getFileName();
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < channels && missing.size() < 3; c++) {
            if (!byChannel.containsKey(c)) {
                missing.add(channelFileName(id, c, ending));
            }
        }
        return files + " make one case '" + id + "' with channel number(s) " + range(byChannel) + ", but the model takes "
                + channels + " channel(s) (0000" + (channels > 1 ? String.format(Locale.ROOT, "…%04d", channels - 1) : "")
                + ")"
                + (missing.isEmpty() ? "" : "; missing " + String.join(", ", missing))
                + ". nnU-Net names channel c of case ID as ID_cccc" + ending + "; scans that are separate cases need "
                + "names without a 4-digit _cccc suffix (e.g. " + id + "-0001" + ending + ")";
    }

    private static String range(TreeMap<Integer, Path> byChannel) {
        if (byChannel.size() == 1) {
            return String.format(Locale.ROOT, "%04d", byChannel.firstKey());
        }
        boolean contiguous = byChannel.lastKey() - byChannel.firstKey() + 1 == byChannel.size();
        return String.format(Locale.ROOT, contiguous ? "%04d…%04d" : "%04d, …, %04d (%d numbers)", byChannel.firstKey(),
                byChannel.lastKey(), byChannel.size());
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
