package io.medseg.workbench;

import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.bundle.TrainingDomain;
import io.medseg.core.preprocess.ScanProfile;
import io.medseg.pipeline.Dataset;
import io.medseg.pipeline.DatasetDomain;
import io.medseg.pipeline.ScanSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medseg domain}: how scans compare with what a model was trained on (the check
 * {@code segment} makes before every case, without segmenting), or recording that training domain
 * in a bundle trained before bundles carried it.
 */
@Command(name = "domain", mixinStandardHelpOptions = true,
        description = "Compare scans with the model's training domain (dimensions, spacing, extent, intensities) without "
                + "segmenting them, or record the domain of the dataset a model was trained on in its bundle.")
final class DomainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model bundle folder, or the name of a bundled model")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--input", description = "scan file or folder of scans to compare with the training domain")
        Path input;
        @Option(names = "--record-from", paramLabel = "DATASET", description = "the nnU-Net dataset folder the model "
                + "was trained on: its training domain is written into the bundle's model.json")
        Path dataset;
    }

    @Option(names = "--overwrite", description = "with --record-from: replace a domain the bundle already records")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        Path bundle = ModelsCommand.resolve(model);
        ModelConfig config = ModelBundle.readConfig(bundle);
        return what.dataset != null ? record(bundle, config) : compare(bundle, config);
    }

    private int record(Path bundle, ModelConfig config) throws Exception {
        if (config.domain() != null && !overwrite) {
            throw new IllegalArgumentException(bundle + " records its training domain already (" + config.domain()
                    + "); --overwrite replaces it");
        }
        if (!Files.isDirectory(bundle)) {
            throw new IllegalArgumentException(bundle + ": the domain is recorded in a bundle folder, not a zip");
        }
        TrainingDomain domain = DatasetDomain.of(Dataset.open(what.dataset));
        ModelBundle.writeConfig(bundle, config.withDomain(domain));
        System.out.println("recorded in " + bundle.resolve(ModelBundle.CONFIG_FILE) + ": " + domain);
        return 0;
    }

    /** Exit 0 when every scan lies within the domain, 6 when some do not, 4 when some could not be read. */
    private int compare(Path bundle, ModelConfig config) throws Exception {
        if (config.domain() == null) {
            throw new IllegalArgumentException(bundle + " does not record what it was trained on; medseg domain --model "
                    + model + " --record-from DATASET adds it");
        }
        System.out.println("model " + bundle + " trained on " + config.domain());
        List<ScanSources.Source> sources = ScanSources.find(what.input);
        int outside = 0;
        int unreadable = 0;
        for (ScanSources.Source s : sources) {
            ScanProfile profile;
            try {
                profile = ScanProfile.of(s.load());
            } catch (Exception e) {
                unreadable++;
                System.out.println(s.name() + ": cannot be read: " + e.getMessage());
                continue;
            }
            String warning = config.domainWarning(profile);
            outside += warning.isEmpty() ? 0 : 1;
            System.out.println(s.name() + ": " + (warning.isEmpty() ? "within the training domain" : warning));
        }
        System.out.println(sources.size() + " scan(s): " + (sources.size() - outside - unreadable) + " within the training "
                + "domain, " + outside + " outside" + (unreadable == 0 ? "" : ", " + unreadable + " unreadable"));
        return unreadable > 0 ? 4 : outside > 0 ? 6 : 0;
    }
}
