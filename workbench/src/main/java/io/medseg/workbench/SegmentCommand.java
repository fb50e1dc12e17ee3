package io.medseg.workbench;

import io.medseg.core.Segmenter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg segment}: masks for an image or a folder of images. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment an image or every image in a folder with a model bundle; masks keep the file names.")
final class SegmentCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model bundle folder or .zip")
    Path model;
    @Option(names = "--input", required = true, description = "image file or folder")
    Path input;
    @Option(names = "--output", required = true, description = "folder for the masks")
    Path output;
    @Option(names = "--overlap", defaultValue = "0.5", description = "sliding-window overlap in [0, 1). Default: ${DEFAULT-VALUE}")
    double overlap;
    @Option(names = "--overwrite", description = "replace masks that already exist")
    boolean overwrite;
    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        try (Segmenter segmenter = new Segmenter(io.medseg.core.bundle.ModelBundle.load(model, device.resolve()), overlap, 2)) {
            List<SegmentationJobs.Job> jobs = SegmentationJobs.plan(input, output, segmenter.config().inputChannels(), overwrite);
            SegmentationJobs.run(segmenter, jobs, overwrite);
            System.out.println("wrote " + jobs.size() + " mask(s) to " + output);
        }
        return 0;
    }
}
