package io.medseg.core.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** A seeded split of cases into training and validation sets, independent of input order. */
public record CaseSplit(List<TrainingCase> training, List<TrainingCase> validation) {

    /**
     * Holds out round(fraction · n) cases, at least one, keeping at least one for training. Cases
     * named {@code ID#k} are slices of one scan {@code ID} and stay on the same side, so no scan is
     * both trained on and validated.
     *
     * @throws IllegalArgumentException with fewer than 2 scans
     */
    public static CaseSplit of(List<TrainingCase> cases, double fraction, long seed) {
        TreeMap<String, List<TrainingCase>> scans = new TreeMap<>();
        for (TrainingCase c : cases) {
            scans.computeIfAbsent(scanOf(c.id()), k -> new ArrayList<>()).add(c);
        }
        if (scans.size() < 2) {
            throw new IllegalArgumentException("need at least 2 cases to hold one out for validation, got " + scans.size());
        }
        List<String> shuffled = new ArrayList<>(scans.keySet());
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            shuffled.set(i, shuffled.set(j, shuffled.get(i)));
        }
        int held = (int) Math.max(1, Math.min(scans.size() - 1, Math.round(fraction * scans.size())));
        List<TrainingCase> validation = new ArrayList<>();
        List<TrainingCase> training = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i++) {
            (i < held ? validation : training).addAll(scans.get(shuffled.get(i)));
        }
        validation.sort(Comparator.comparing(TrainingCase::id));
        training.sort(Comparator.comparing(TrainingCase::id));
        return new CaseSplit(List.copyOf(training), List.copyOf(validation));
    }

    private static String scanOf(String caseId) {
        int hash = caseId.lastIndexOf('#');
        return hash < 0 ? caseId : caseId.substring(0, hash);
    }
}
