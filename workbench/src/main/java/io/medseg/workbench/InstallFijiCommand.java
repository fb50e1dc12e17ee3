package io.medseg.workbench;

import io.medseg.pipeline.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medseg install-fiji FIJI.app}: the Segmentation Workbench menu in an existing Fiji (or ImageJ) folder. */
@Command(name = "install-fiji", mixinStandardHelpOptions = true,
        description = "Install the Segmentation Workbench plugin, the jars it needs and the bundled models into a "
                + "Fiji.app (or ImageJ) folder; --remove takes exactly that out again.")
final class InstallFijiCommand implements Callable<Integer> {
    static final String PLUGIN_JAR = "imagej-plugin/target/Segmentation_Workbench.jar";
    static final String PLUGIN_LIBS = "imagej-plugin/target/lib";

    @Parameters(index = "0", paramLabel = "FIJI_APP", description = "the Fiji.app or ImageJ folder")
    Path fiji;

    @Option(names = "--remove", description = "remove what an earlier install-fiji put there (and put back what it set aside)")
    boolean remove;

    @Option(names = "--replace-conflicts", description = "set aside a Fiji jar of another major version of a library "
            + "medseg needs (put back by --remove) instead of refusing")
    boolean replaceConflicts;

    @Option(names = "--no-models", description = "do not copy the bundled models")
    boolean noModels;

    @Override
    public Integer call() throws IOException {
        if (remove) {
            List<Path> removed = FijiInstallation.remove(fiji);
            System.out.println("removed the Segmentation Workbench from " + fiji + " (" + removed.size() + " files)");
            return 0;
        }
        Path home = Medseg.home();
        Path pluginJar = home.resolve(PLUGIN_JAR);
        if (!Files.isRegularFile(pluginJar)) {
            throw new IOException(pluginJar + ": missing; build it with mvn -DskipTests package (./medseg does when sources changed)");
        }
        List<Path> libraries;
        try (Stream<Path> s = Files.list(home.resolve(PLUGIN_LIBS))) {
            libraries = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        List<Path> models = noModels ? List.of() : new BundledModels(home.resolve(ModelsCommand.FOLDER)).list();
        FijiInstallation.Plan plan = FijiInstallation.plan(fiji, pluginJar, libraries, models, replaceConflicts);
        plan.notes().forEach(n -> System.out.println("note: " + n));
        if (!plan.conflicts().isEmpty()) {
            plan.conflicts().forEach(c -> System.err.println("conflict: " + c));
            throw new IllegalArgumentException(fiji + ": " + plan.conflicts().size() + " jar(s) of another major version "
                    + "are there (listed above); nothing was installed. --replace-conflicts sets them aside (other "
                    + "plugins may need them)");
        }
        List<Path> written = FijiInstallation.install(fiji, plan);
        System.out.println("installed the Segmentation Workbench into " + fiji + ": " + written.size() + " files ("
                + plan.libraries().size() + " jars, " + models.size() + " models); restart Fiji, then Plugins > "
                + "Segmentation Workbench. Undo with: medseg install-fiji --remove " + fiji);
        return 0;
    }
}
