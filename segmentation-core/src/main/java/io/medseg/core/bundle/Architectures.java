package io.medseg.core.bundle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

/** Looks up the {@link NetworkArchitecture}s registered on the class path by name. */
public final class Architectures {
    private Architectures() {}

    /** The names of the registered architectures, sorted. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (NetworkArchitecture a : ServiceLoader.load(NetworkArchitecture.class)) {
            names.add(a.name());
        }
        Collections.sort(names);
        return names;
    }

    /** The names of the architectures {@code medseg train} can start from scratch, sorted. */
    public static List<String> trainableNames() {
        List<String> names = new ArrayList<>();
        for (NetworkArchitecture a : ServiceLoader.load(NetworkArchitecture.class)) {
            if (a.trainsFromScratch()) {
                names.add(a.name());
            }
        }
        Collections.sort(names);
        return names;
    }

    /** @throws IllegalArgumentException naming the unknown architecture and the known ones */
    public static NetworkArchitecture byName(String name) {
        List<String> known = new ArrayList<>();
        for (NetworkArchitecture a : ServiceLoader.load(NetworkArchitecture.class)) {
            if (a.name().equals(name)) {
                return a;
            }
            known.add(a.name());
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "'; known: " + known);
    }
}
