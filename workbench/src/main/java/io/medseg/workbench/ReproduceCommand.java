package io.medseg.workbench;

import io.medseg.pipeline.RunManifest;
import io.medseg.pipeline.TrainingFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code medseg reproduce MANIFEST}: runs a recorded train, segment or evaluate again into another
 * folder and reports, file by file, whether every output is bit-identical to the recorded one.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Rerun the command of a run manifest (manifest.json of segment/evaluate, MODEL.training/manifest.json"
                + " of train) into another folder and check that every output is bit-identical.")
final class ReproduceCommand implements Callable<Integer> {
    /** Exit code when an output differs or an input changed. */
    static final int NOT_REPRODUCED = 5;

    @Parameters(paramLabel = "MANIFEST", description = "the run manifest, or the folder a run wrote (its "
            + "manifest.json; for a model bundle, MODEL.training/manifest.json beside it)")
    Path manifest;
    @Option(names = "--output", description = "where the rerun writes (default: the recorded output + .reproduced)")
    Path output;

    /**
     * The manifest a path names: itself, a run folder's manifest.json, or a bundle's
     * MODEL.training/manifest.json (MODEL.manifest.json beside it for bundles trained before 2026-12).
     */
    static Path manifestOf(Path given) throws IOException {
        if (!Files.isDirectory(given)) {
            return given;
        }
        Path abs = given.toAbsolutePath().normalize();
        Path inside = given.resolve(SegmentCommand.MANIFEST);
        Path training = TrainingFiles.of(abs).manifest();
        Path older = abs.resolveSibling(abs.getFileName() + ".manifest.json");
        for (Path p : List.of(inside, training, older)) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException(given + ": a folder without a run manifest (looked for " + inside.getFileName() + " in it"
                + " and " + abs.getParent().relativize(training) + " beside it)");
    }

    @Override
    public Integer call() throws Exception {
        RunManifest m = RunManifest.read(manifestOf(manifest));
        Map<String, String> changed = m.changedInputs();
        if (!changed.isEmpty()) {
            changed.forEach((file, why) -> System.out.println("input " + file + ": " + why));
            System.out.println("not reproducible: " + changed.size() + " of " + m.inputs().size() + " inputs are not what the "
                    + "run read");
            return NOT_REPRODUCED;
        }
        String isa = m.versions().getOrDefault("cpu_isa", "native");
        if (!isa.equals(RunManifest.cpuIsa())) {
            System.out.println("warning: the run used CPU kernels '" + isa + "', this one '" + RunManifest.cpuIsa()
                    + "'; floating-point results may differ (MEDSEG_CPU_ISA=" + isa + " pins them)");
        }
        Path target = output != null ? output : Path.of(m.outputRoot() + ".reproduced");
        if (Files.exists(target)) {
            throw new IOException(target + ": exists; remove it or choose another --output for the rerun");
        }
        List<String> args = rerun(m.command(), target, m.precision());
        System.out.println("rerunning: medseg " + String.join(" ", args));
        int code = Medseg.run(args.toArray(String[]::new));
        Map<String, String> compared = m.compareOutputs(target);
        long identical = compared.values().stream().filter("identical"::equals).count();
        compared.forEach((file, result) -> {
            if (!result.equals("identical")) {
                System.out.println(result + ": " + file);
            }
        });
        System.out.println((identical == compared.size() ? "reproduced: " : "not reproduced: ") + identical + " of "
                + compared.size() + " outputs bit-identical (rerun in " + target + ", exit code " + code + ")");
        return identical == compared.size() ? 0 : NOT_REPRODUCED;
    }

    /**
     * The recorded command writing into {@code target}; a resumed run is rerun from its start, and in
     * the precision it computed in (its {@code --precision auto} may pick another on this machine).
     *
     * @param precision the recorded precision, or null (then the command's own flag, if any, stands)
     */
    static List<String> rerun(List<String> command, Path target, String precision) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            if (a.equals("--continue") || a.equals("--overwrite")) {
                continue;
            }
            if (precision != null && (a.equals("--precision") || a.startsWith("--precision="))) {
                i += a.equals("--precision") ? 1 : 0;
                continue;
            }
            args.add(a);
            if (a.equals("--output") && i + 1 < command.size()) {
                args.add(target.toAbsolutePath().toString());
                i++;
            }
        }
        if (precision != null) {
            args.add("--precision");
            args.add(precision);
        }
        return args;
    }
}
