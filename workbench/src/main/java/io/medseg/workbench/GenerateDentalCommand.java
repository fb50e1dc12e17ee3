package io.medseg.workbench;

import io.medseg.pipeline.SpatialSizes;
import io.medseg.samples.ToothRootDataset;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medseg generate-dental}: synthetic periapical radiographs with tooth-root or root-canal masks. */
@Command(name = "generate-dental", mixinStandardHelpOptions = true,
        description = "Generate synthetic dental radiographs (8-bit PNG) with tooth-root or root-canal masks in the "
                + "nnU-Net v2 layout; the same seed gives the same files bit for bit.")
final class GenerateDentalCommand implements Callable<Integer> {
    @Option(names = "--cases", required = true, description = "number of training cases (imagesTr, labelsTr)")
    int cases;
    @Option(names = "--test", defaultValue = "0", description = "number of test cases (imagesTs, labelsTs). "
            + "Default: ${DEFAULT-VALUE}")
    int test;
    @Option(names = "--structure", defaultValue = "tooth-root", description = "tooth-root or root-canal. "
            + "Default: ${DEFAULT-VALUE}")
    String structure;
    @Option(names = "--output", required = true, description = "dataset folder to create (must not exist)")
    Path output;
    @Option(names = "--seed", defaultValue = "1", description = "training case k uses seed + k. Default: ${DEFAULT-VALUE}")
    long seed;
    @Option(names = "--test-seed-offset", defaultValue = "0", description = "test case j uses seed + OFFSET + j, so the "
            + "test set does not depend on --cases (0: seed + cases + j). Default: ${DEFAULT-VALUE}")
    long testSeedOffset;
    @Option(names = "--size", defaultValue = "256x224", description = "WxH in pixels. Default: ${DEFAULT-VALUE}")
    String size;

    @Override
    public Integer call() throws Exception {
        if (cases < 1 || test < 0) {
            throw new IllegalArgumentException("--cases must be at least 1 and --test at least 0");
        }
        ToothRootDataset.Structure s = switch (structure.toLowerCase(Locale.ROOT)) {
            case "tooth-root" -> ToothRootDataset.Structure.TOOTH_ROOT;
            case "root-canal" -> ToothRootDataset.Structure.ROOT_CANAL;
            default -> throw new IllegalArgumentException("--structure " + structure + ": expected tooth-root or root-canal");
        };
        if (testSeedOffset > 0 && testSeedOffset < cases) {
            throw new IllegalArgumentException("--test-seed-offset " + testSeedOffset + " would reuse training seeds; give at "
                    + "least --cases (" + cases + ")");
        }
        int[] wh = SpatialSizes.parse(size, "--size");
        if (wh.length != 2 || wh[0] < 16 || wh[1] < 16) {
            throw new IllegalArgumentException("--size " + size + ": expected WxH, each at least 16");
        }
        ToothRootDataset.write(output, seed, cases, test, wh[0], wh[1], s, testSeedOffset);
        System.out.println("wrote " + cases + " training and " + test + " test case(s) to " + output);
        return 0;
    }
}
