package io.medseg.nnunet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Unpickles the {@code data.pkl} of a {@code torch.save} checkpoint with an allow-list: the pickle
 * may name only the few Python globals a checkpoint needs (an ordered dict, the tensor rebuild
 * function, storage types, {@code torch.device}, numpy scalars); any other global — {@code
 * os.system} in the classic attack, or a class of the trainer — stops the read with {@link
 * RefusedGlobalException}. Nothing named in a pickle is ever run: the allowed globals map to Java
 * constructors written here, which build plain values.
 *
 * <p>Tensors come back as {@link StoredTensor} references into the checkpoint's storages (read
 * later, and only those needed), as {@code torch.load(weights_only=True)} would rebuild them.
 */
final class CheckpointUnpickler extends Unpickler {
    /** Storage classes as {@code torch.save} names them in persistent ids, and their element types. */
    private static final Map<String, StoredTensor.DType> STORAGES = Map.ofEntries(
            Map.entry("torch.FloatStorage", StoredTensor.DType.FLOAT32),
            Map.entry("torch.DoubleStorage", StoredTensor.DType.FLOAT64),
            Map.entry("torch.HalfStorage", StoredTensor.DType.FLOAT16),
            Map.entry("torch.BFloat16Storage", StoredTensor.DType.BFLOAT16),
            Map.entry("torch.LongStorage", StoredTensor.DType.INT64),
            Map.entry("torch.IntStorage", StoredTensor.DType.INT32),
            Map.entry("torch.ShortStorage", StoredTensor.DType.INT16),
            Map.entry("torch.CharStorage", StoredTensor.DType.INT8),
            Map.entry("torch.ByteStorage", StoredTensor.DType.UINT8),
            Map.entry("torch.BoolStorage", StoredTensor.DType.BOOL));

    /** Every global a checkpoint may name, and what it becomes here. The one place the allow-list lives. */
    private static final Map<String, IObjectConstructor> ALLOWED = allowed();

    /** Opcodes of pickle protocol 0/1 and the extension registry, which torch.save never writes. */
    private static final Set<Short> REFUSED_OPCODES = Set.of(Opcodes.INST, Opcodes.OBJ, Opcodes.PERSID, Opcodes.EXT1,
            Opcodes.EXT2, Opcodes.EXT4);

    private final Map<String, Long> storageBytes = new HashMap<>();

    private static Map<String, IObjectConstructor> allowed() {
        Map<String, IObjectConstructor> m = new HashMap<>();
        m.put("collections.OrderedDict", args -> new PickledDict());
        m.put("torch._utils._rebuild_tensor_v2", CheckpointUnpickler::rebuildTensor);
        // a Parameter saved as such (not in state_dicts, but allowed by torch's weights-only loader)
        m.put("torch._utils._rebuild_parameter", args -> args[0]);
        m.put("torch.device", args -> "device:" + String.join(":", Arrays.stream(args).map(String::valueOf).toList()));
        // numpy floats in nnU-Net's training log: kept as their raw bytes, never needed for inference
        m.put("numpy.core.multiarray.scalar", args -> new NumpyScalar(args));
        m.put("numpy._core.multiarray.scalar", args -> new NumpyScalar(args));
        m.put("numpy.dtype", args -> new NumpyScalar(args));
        // protocol 2 writes bytes as _codecs.encode(latin-1 text): the inverse of that, nothing more
        m.put("_codecs.encode", args -> String.valueOf(args[0]).getBytes(StandardCharsets.ISO_8859_1));
        STORAGES.forEach((name, type) -> m.put(name, new StorageType(type)));
        return Map.copyOf(m);
    }

    /** A global the pickle named that is not on the allow-list. */
    static final class RefusedGlobalException extends PickleException {
        private static final long serialVersionUID = 1L;

        RefusedGlobalException(String message) {
            super(message);
        }
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        if (key == Opcodes.GLOBAL) {
            String module = PickleUtils.readline(input);
            String name = PickleUtils.readline(input);
            stack.add(constructor(module, name));
            return NO_RETURN_VALUE;
        }
        if (key == Opcodes.STACK_GLOBAL) {
            Object name = stack.pop();
            Object module = stack.pop();
            stack.add(constructor(String.valueOf(module), String.valueOf(name)));
            return NO_RETURN_VALUE;
        }
        if (REFUSED_OPCODES.contains(key)) {
            throw new RefusedGlobalException("the pickle uses opcode " + key + " (of pickle protocol 0/1 or the extension "
                    + "registry), which torch.save never writes; refused");
        }
        return super.dispatch(key);
    }

    private static IObjectConstructor constructor(String module, String name) {
        IObjectConstructor c = ALLOWED.get(module + "." + name);
        if (c == null) {
            throw new RefusedGlobalException("the pickle names " + module + "." + name + ", which a model checkpoint "
                    + "does not need; refused, nothing of it was run");
        }
        return c;
    }

    /** {@code ('storage', storage_type, key, location, numel)}: a reference to {@code data/KEY} in the zip. */
    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0])
                || !(t[1] instanceof StorageType storageType)) {
            throw new RefusedGlobalException("an unknown persistent id in the pickle: " + describe(pid));
        }
        StoredTensor.DType type = storageType.type();
        String storageKey = String.valueOf(t[2]);
        long numel = ((Number) t[4]).longValue();
        storageBytes.put(storageKey, numel * type.bytes());
        return new Storage(storageKey, type, numel);
    }

    /** Storage keys and their sizes in bytes, as the pickle states them (checked against the zip). */
    Map<String, Long> storageBytes() {
        return storageBytes;
    }

    /**
     * A storage class named by GLOBAL ({@code torch.FloatStorage}): it only marks a persistent id's
     * element type, so calling it is refused.
     */
    record StorageType(StoredTensor.DType type) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new RefusedGlobalException("the pickle calls a storage class, which torch.save never does");
        }
    }

    /** A storage as the pickle refers to it. */
    record Storage(String key, StoredTensor.DType type, long numel) {}

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof Storage s)) {
            throw new RefusedGlobalException("_rebuild_tensor_v2 with arguments it never gets from torch.save");
        }
        return new StoredTensor(s.key(), s.type(), ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]),
                s.numel());
    }

    private static long[] longs(Object tuple) {
        Object[] t = (Object[]) tuple;
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = ((Number) t[i]).longValue();
        }
        return out;
    }

    private static String describe(Object o) {
        String s = o instanceof Object[] a ? Arrays.deepToString(a) : String.valueOf(o);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /**
     * A pickled {@code OrderedDict}; torch adds attributes through BUILD (a state_dict's {@code
     * _metadata}), which are kept apart from the entries.
     */
    // public: the unpickler calls __setstate__ by reflection
    public static final class PickledDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
        private final Map<Object, Object> attributes = new LinkedHashMap<>();

        /** Called by the unpickler's BUILD with the object's {@code __dict__}. */
        public void __setstate__(HashMap<?, ?> state) {
            attributes.putAll(state);
        }

        Map<Object, Object> attributes() {
            return attributes;
        }
    }

    /** A numpy scalar or dtype, kept as its pickled arguments. */
    public record NumpyScalar(Object[] args) {
        /** BUILD on a dtype passes its state tuple. */
        public void __setstate__(Object[] state) {
            // not needed for inference
        }
    }
}
