package io.medseg.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-parameter state of DJL's optimisers (Adam's and AdamW's first and second moments, SGD's
 * momentum), read and restored so an interrupted run continues exactly. DJL keeps this state in
 * private maps keyed by parameter ids, which are new in every process; here it travels in the
 * order of the block's parameters. (DJL 0.35.1 has no API for it; the field names are checked by
 * the resume test, which fails if a DJL upgrade renames them.)
 */
final class OptimizerMoments {
    private OptimizerMoments() {}

    /**
     * The state arrays, per state map and per parameter in block order, encoded; zeros for a
     * parameter not yet updated. The optimiser's own arrays are read, not closed.
     */
    static byte[] encode(Optimizer optimizer, Block block) {
        NDList out = new NDList();
        List<NDArray> zeros = new ArrayList<>();
        for (int j = 0; j < stateCount(optimizer); j++) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray weight = p.getValue().getArray();
                Map<Device, NDArray> perDevice = states(optimizer, p.getValue().getId()).get(j).get(p.getValue().getId());
                NDArray a = perDevice == null ? null : perDevice.get(weight.getDevice());
                if (a == null) {
                    a = weight.zerosLike();
                    zeros.add(a);
                }
                out.add(a);
            }
        }
        byte[] bytes = out.encode();
        zeros.forEach(NDArray::close);
        return bytes;
    }

    /**
     * Puts saved state back for {@code block}'s parameters (same network, same order); frozen
     * parameters and statistics, which get no updates, get no state either.
     */
    static void restore(Optimizer optimizer, Block block, NDList saved) {
        int count = stateCount(optimizer);
        List<Parameter> parameters = new ArrayList<>();
        block.getParameters().forEach(p -> parameters.add(p.getValue()));
        if (saved.size() != count * parameters.size()) {
            throw new IllegalArgumentException("saved optimiser state has " + saved.size() + " arrays, expected "
                    + count * parameters.size() + " (" + count + " per parameter)");
        }
        int i = 0;
        for (int j = 0; j < count; j++) {
            for (Parameter p : parameters) {
                NDArray weight = p.getArray();
                NDArray a = saved.get(i++);
                if (!a.getShape().equals(weight.getShape())) {
                    throw new IllegalArgumentException("saved optimiser state of " + p.getName() + " has shape "
                            + a.getShape() + ", the parameter " + weight.getShape());
                }
                if (!p.requiresGradient()) {
                    continue;
                }
                NDArray copy = weight.getManager().create(a.toFloatArray(), a.getShape());
                states(optimizer, p.getId()).get(j).computeIfAbsent(p.getId(), k -> new ConcurrentHashMap<>())
                        .put(weight.getDevice(), copy);
            }
        }
    }

    /** State maps per parameter (Adam: 2, SGD: 1); both halves of a {@link SplitOptimizer} are of one kind. */
    private static int stateCount(Optimizer optimizer) {
        Optimizer o = optimizer instanceof SplitOptimizer split ? split.delegate("") : optimizer;
        return states(o).size();
    }

    /** The state maps of the optimiser that updates this parameter. */
    private static List<Map<String, Map<Device, NDArray>>> states(Optimizer optimizer, String parameterId) {
        return states(optimizer instanceof SplitOptimizer split ? split.delegate(parameterId) : optimizer);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Map<Device, NDArray>>> states(Optimizer optimizer) {
        String[] names = switch (optimizer.getClass().getSimpleName()) {
            case "Adam", "AdamW" -> new String[] {"means", "variances"};
            case "Sgd" -> new String[] {"momentumStates"};
            default -> throw new IllegalArgumentException("cannot save the state of optimiser "
                    + optimizer.getClass().getName());
        };
        List<Map<String, Map<Device, NDArray>>> maps = new ArrayList<>();
        for (String name : names) {
            try {
                Field f = optimizer.getClass().getDeclaredField(name);
                f.setAccessible(true);
                maps.add((Map<String, Map<Device, NDArray>>) f.get(optimizer));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this DJL version keeps " + optimizer.getClass().getSimpleName()
                        + "'s state elsewhere (no field " + name + "); resuming needs medseg's supported DJL", e);
            }
        }
        return maps;
    }
}
