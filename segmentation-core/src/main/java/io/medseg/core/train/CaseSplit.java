package io.medseg.core.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** A seeded split of cases into training and validation sets, independent of input order. */
public record CaseSplit(List<TrainingCase> training, List<TrainingCase> validation) {

    /**
     * Holds out round(fraction · n) cases, at least one, keeping at least one for training.
     *
     * @throws IllegalArgumentException with fewer than 2 cases
     */
    public static CaseSplit of(List<TrainingCase> cases, double fraction, long seed) {
        if (cases.size() < 2) {
            throw new IllegalArgumentException("need at least 2 cases to hold one out for validation, got "
                    + cases.size());
        }
        List<TrainingCase> shuffled = new ArrayList<>(cases);
        shuffled.sort(Comparator.comparing(TrainingCase::id));
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            shuffled.set(i, shuffled.set(j, shuffled.get(i)));
        }
        int held = (int) Math.max(1, Math.min(cases.size() - 1, Math.round(fraction * cases.size())));
        List<TrainingCase> validation = new ArrayList<>(shuffled.subList(0, held));
        List<TrainingCase> training = new ArrayList<>(shuffled.subList(held, shuffled.size()));
        validation.sort(Comparator.comparing(TrainingCase::id));
        training.sort(Comparator.comparing(TrainingCase::id));
        return new CaseSplit(List.copyOf(training), List.copyOf(validation));
    }
}
