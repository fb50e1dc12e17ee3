package io.medseg.workbench;

import ai.djl.Device;
import io.medseg.core.engine.Precision;
import io.medseg.core.explain.NetworkExplainer;
import io.medseg.pipeline.ExplainRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg explain}: what a trained network computes for one image. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Show what a model computes for one image (2D, or a slice of a 3D scan): first-layer filters, "
                + "activation maps of chosen layers over the image, class probabilities, and inputs grown by gradient "
                + "ascent to excite chosen channels; writes PNGs and index.html into --output.")
final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model bundle folder, .zip or bundled model name")
    Path model;
    @Option(names = "--image", required = true, description = "a PNG, TIFF or NIfTI file, or a DICOM series")
    Path image;
    @Option(names = "--slice", description = "3D scans: the axial slice (in the voxel order closest to LPS; for an "
            + "imported nnU-Net model, along nnU-Net's first axis of its preprocessed array); default "
            + "the middle one")
    Integer slice;
    @Option(names = "--layers", split = ",", description = "layers to show, e.g. encoder0,encoder2,bottleneck,decoder0 "
            + "(default: one early, one middle, the bottleneck and one late); names: encoderK, bottleneck, upK, decoderK, head")
    List<String> layers = new ArrayList<>();
    @Option(names = "--maximise", defaultValue = "middle:0,1,2,3", description = "LAYER:CHANNELS whose mean activation "
            + "gradient ascent maximises ('middle' = the middle encoder; 'none' to skip). Default: ${DEFAULT-VALUE}")
    String maximise;
    @Option(names = "--steps", defaultValue = "48", description = "gradient-ascent steps per channel. Default: ${DEFAULT-VALUE}")
    int steps;
    @Option(names = "--output", required = true, description = "folder to write (index.html and PNGs)")
    Path output;
    @Option(names = "--overwrite", description = "replace an existing output folder")
    boolean overwrite;
    @Mixin
    DeviceOption device;
    @Mixin
    PrecisionOption precision;

    @Override
    public Integer call() throws Exception {
        String layer = null;
        List<Integer> channels = new ArrayList<>();
        if (!maximise.equalsIgnoreCase("none")) {
            int colon = maximise.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--maximise " + maximise + ": expected LAYER:CHANNELS like "
                        + "encoder2:0,1,2,3, or none");
            }
            String name = maximise.substring(0, colon);
            layer = name.toLowerCase(Locale.ROOT).equals("middle") ? null : name;
            try {
                for (String c : maximise.substring(colon + 1).split(",")) {
                    channels.add(Integer.parseInt(c.trim()));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--maximise " + maximise + ": channels must be whole numbers");
            }
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        Device chosen = device.resolve();
        Precision.Selection arithmetic = precision.resolve(chosen, Precision.INFERENCE_DEFAULT);
        System.out.println("device " + chosen + ", precision " + arithmetic.describe());
        ExplainRun.Outcome o = ExplainRun.run(new ExplainRun.Request(ModelsCommand.resolve(model), image, slice, layers,
                layer, channels, steps, output, overwrite), chosen, arithmetic.precision(), line -> System.out.println(line));
        for (NetworkExplainer.Excitation e : o.excitations()) {
            System.out.printf(Locale.ROOT, "%s channel %d: mean activation %.4f -> %.4f after %d steps%n", e.layer(),
                    e.channel(), e.before(), e.after(), e.trace().length - 1);
        }
        System.out.println("wrote " + o.index() + " (layers " + String.join(", ", o.layers()) + ")");
        return 0;
    }
}
