package org.iclsam.onnx.universeg;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.iclsam.core.IclSamException;

/**
 * A pickle interpreter that understands exactly what a PyTorch state dict needs and nothing else. It never
 * executes code: there is no class lookup and no call other than the three whitelisted constructors below,
 * which it implements itself.
 *
 * <p>Allowed globals (via {@code GLOBAL} or {@code STACK_GLOBAL}):
 * <ul>
 *   <li>{@code collections.OrderedDict}: called with no arguments, gives an empty ordered dict; a {@code BUILD}
 *       on it (PyTorch's {@code _metadata} attribute) is accepted and ignored;</li>
 *   <li>{@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, meta])}:
 *       gives a {@link CheckpointTensor} with strides and offset applied;</li>
 *   <li>{@code torch._utils._rebuild_parameter(tensor, requires_grad, hooks)}: gives the tensor;</li>
 *   <li>the storage classes of {@link StorageType} ({@code torch.FloatStorage} ...), only as the type inside a
 *       persistent id {@code ('storage', type, key, location, numel)}; they cannot be called.</li>
 * </ul>
 * Any other global, a {@code REDUCE} or {@code BUILD} on anything else, and the opcodes that construct
 * arbitrary objects ({@code INST}, {@code OBJ}, {@code NEWOBJ}, {@code EXT*}, text {@code PERSID}) are refused
 * with an {@link IclSamException} ({@link IclSamException.Code#MODEL_INVALID}) that names them.
 *
 * <p>Supported opcodes: those of protocols 0-2 that build plain data (ints, floats, strings, tuples, lists,
 * dicts, memo), plus the harmless protocol 3-4 framing and string opcodes, so a checkpoint saved with a newer
 * pickle protocol still loads.
 */
final class SafeUnpickler {

    /** Highest pickle protocol accepted (PyTorch writes 2 by default). */
    static final int MAX_PROTOCOL = 5;

    /**
     * Largest tensor accepted, in elements (1 GiB of float32): far above any layer of UniverSeg (147,456), and a
     * guard against a crafted file that declares a huge tensor over a tiny storage (zero strides).
     */
    static final long MAX_TENSOR_ELEMENTS = 1L << 28;

    /** The whitelisted callables, as {@code module.name}. */
    static final String ORDERED_DICT = "collections.OrderedDict";
    /** The tensor constructor of PyTorch's pickles. */
    static final String REBUILD_TENSOR_V2 = "torch._utils._rebuild_tensor_v2";
    /** The parameter wrapper of PyTorch's pickles. */
    static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";

    /** Where the unpickler gets storage bytes from (the {@code data/<key>} records of the zip). */
    @FunctionalInterface
    interface StorageSource {
        /**
         * @param key the storage key of the persistent id
         * @return the raw bytes of that storage, never null
         * @throws IclSamException if the storage record is missing or unreadable
         */
        byte[] bytes(String key);
    }

    /** A global that passed the whitelist: a marker, never a Java class or method. */
    private record Global(String qualifiedName, StorageType storageType) {
    }

    /** A storage, lazily materialised. */
    private record Storage(String key, StorageType type, long numel) {
    }

    /** A Python tuple (immutable). */
    private record Tuple(List<Object> items) {
    }

    /** The MARK sentinel on the stack. */
    private static final Object MARK = new Object();

    /** Python's None (the stack holds no Java nulls, so that a missing value is always a bug). */
    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private final byte[] pickle;
    private final StorageSource storages;
    private final ByteOrder byteOrder;
    private final Map<String, ByteBuffer> storageCache = new HashMap<>();
    private final Map<Integer, Object> memo = new HashMap<>();
    private final List<Object> stack = new ArrayList<>();
    private final List<List<Object>> metastack = new ArrayList<>();
    private int pos;

    private SafeUnpickler(byte[] pickle, StorageSource storages, ByteOrder byteOrder) {
        this.pickle = pickle;
        this.storages = storages;
        this.byteOrder = byteOrder;
    }

    /** @return the set of globals a state dict pickle may name, sorted, for messages */
    static Set<String> allowedGlobals() {
        Set<String> s = new TreeSet<>(List.of(ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER));
        for (StorageType t : StorageType.values()) {
            s.add(StorageType.MODULE + "." + t.className());
        }
        return s;
    }

    /**
     * Reads a state dict pickle.
     *
     * @param pickle the bytes of {@code data.pkl}; not modified
     * @param storages the storage records
     * @param byteOrder the byte order of the storages ({@code byteorder} record; little-endian by default)
     * @return the tensors by key, in the pickle's order
     * @throws IclSamException ({@code MODEL_INVALID}) for a forbidden global or opcode, a malformed pickle, or a
     *     top-level object that is not a dict of tensors
     */
    static Map<String, CheckpointTensor> readStateDict(byte[] pickle, StorageSource storages, ByteOrder byteOrder) {
        Object top = new SafeUnpickler(Objects.requireNonNull(pickle, "pickle"), storages, byteOrder).run();
        if (!(top instanceof Map<?, ?> map)) {
            throw invalid("the checkpoint's top-level object is " + describe(top)
                    + "; expected a state dict (a dict of parameter name to tensor)");
        }
        Map<String, CheckpointTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw invalid("state dict key " + describe(e.getKey()) + " is not a string");
            }
            if (!(e.getValue() instanceof CheckpointTensor t)) {
                throw invalid("state dict entry '" + key + "' is " + describe(e.getValue()) + ", not a tensor");
            }
            out.put(key, t);
        }
        return Collections.unmodifiableMap(out);
    }

    private Object run() {
        while (true) {
            if (pos >= pickle.length) {
                throw invalid("the pickle ends at byte " + pos + " without a STOP opcode (truncated?)");
            }
            int at = pos;
            int op = pickle[pos++] & 0xff;
            switch (op) {
                case 0x80: { // PROTO
                    int protocol = u8();
                    if (protocol > MAX_PROTOCOL) {
                        throw invalid("pickle protocol " + protocol + " is not supported (at most " + MAX_PROTOCOL
                                + ")");
                    }
                    break;
                }
                case 0x95: // FRAME (protocol 4): an 8-byte length hint
                    bytes(8);
                    break;
                case '.': // STOP
                    if (stack.size() != 1) {
                        throw invalid("the pickle stops with " + stack.size() + " values on the stack; expected 1");
                    }
                    return stack.get(0);
                case '(': // MARK
                    metastack.add(new ArrayList<>(stack));
                    stack.clear();
                    break;
                case '0': // POP
                    pop();
                    break;
                case '1': // POP_MARK
                    popMark();
                    break;
                case '2': // DUP
                    push(peek());
                    break;
                case 'N':
                    push(NONE);
                    break;
                case 0x88: // NEWTRUE
                    push(Boolean.TRUE);
                    break;
                case 0x89: // NEWFALSE
                    push(Boolean.FALSE);
                    break;
                case 'J': // BININT
                    push((long) le(4).getInt());
                    break;
                case 'K': // BININT1
                    push((long) u8());
                    break;
                case 'M': // BININT2
                    push((long) (le(2).getShort() & 0xffff));
                    break;
                case 0x8a: // LONG1
                    push(longValue(bytes(u8())));
                    break;
                case 0x8b: // LONG4
                    push(longValue(bytes(length(le(4).getInt()))));
                    break;
                case 'G': // BINFLOAT, big-endian
                    push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
                    break;
                case 'X': // BINUNICODE
                    push(utf8(bytes(length(le(4).getInt()))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    push(utf8(bytes(u8())));
                    break;
                case 0x8d: // BINUNICODE8
                    push(utf8(bytes(length(le(8).getLong()))));
                    break;
                case 'T': // BINSTRING (Python 2 str)
                    push(new String(bytes(length(le(4).getInt())), StandardCharsets.ISO_8859_1));
                    break;
                case 'U': // SHORT_BINSTRING
                    push(new String(bytes(u8()), StandardCharsets.ISO_8859_1));
                    break;
                case ')': // EMPTY_TUPLE
                    push(new Tuple(List.of()));
                    break;
                case 't': // TUPLE
                    push(new Tuple(Collections.unmodifiableList(popMark())));
                    break;
                case 0x85: // TUPLE1
                    push(new Tuple(List.of(pop())));
                    break;
                case 0x86: { // TUPLE2
                    Object b = pop();
                    Object a = pop();
                    push(new Tuple(List.of(a, b)));
                    break;
                }
                case 0x87: { // TUPLE3
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    push(new Tuple(List.of(a, b, c)));
                    break;
                }
                case ']': // EMPTY_LIST
                    push(new ArrayList<>());
                    break;
                case 'l': // LIST
                    push(new ArrayList<>(popMark()));
                    break;
                case 'a': { // APPEND
                    Object v = pop();
                    list(peek(), at).add(v);
                    break;
                }
                case 'e': { // APPENDS
                    List<Object> items = popMark();
                    list(peek(), at).addAll(items);
                    break;
                }
                case '}': // EMPTY_DICT
                    push(new LinkedHashMap<>());
                    break;
                case 'd': { // DICT
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putPairs(d, popMark(), at);
                    push(d);
                    break;
                }
                case 's': { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    dict(peek(), at).put(hashable(k, at), v);
                    break;
                }
                case 'u': { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(dict(peek(), at), items, at);
                    break;
                }
                case 'h': // BINGET
                    push(memoGet(u8()));
                    break;
                case 'j': // LONG_BINGET
                    push(memoGet(length(le(4).getInt())));
                    break;
                case 'q': // BINPUT
                    memo.put(u8(), peek());
                    break;
                case 'r': // LONG_BINPUT
                    memo.put(length(le(4).getInt()), peek());
                    break;
                case 0x94: // MEMOIZE
                    memo.put(memo.size(), peek());
                    break;
                case 'c': { // GLOBAL
                    String module = line();
                    String name = line();
                    push(global(module, name));
                    break;
                }
                case 0x93: { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw invalid("STACK_GLOBAL at byte " + at + " needs two strings, got " + describe(module)
                                + " and " + describe(name));
                    }
                    push(global(m, n));
                    break;
                }
                case 'R': { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args, at));
                    break;
                }
                case 'b': { // BUILD
                    Object state = pop();
                    build(peek(), state, at);
                    break;
                }
                case 'Q': // BINPERSID
                    push(persistentLoad(pop(), at));
                    break;
                default:
                    throw invalid("pickle opcode " + opcodeName(op) + " at byte " + at + " is not allowed in a"
                            + " state dict checkpoint (only plain data, the memo and the whitelisted globals "
                            + allowedGlobals() + " are)");
            }
        }
    }

    private Global global(String module, String name) {
        String q = module + "." + name;
        if (StorageType.MODULE.equals(module)) {
            StorageType t = StorageType.byClassName(name);
            if (t != null) {
                return new Global(q, t);
            }
        }
        if (q.equals(ORDERED_DICT) || q.equals(REBUILD_TENSOR_V2) || q.equals(REBUILD_PARAMETER)) {
            return new Global(q, null);
        }
        throw invalid("the checkpoint's pickle refers to the global '" + q + "', which is not allowed: a state"
                + " dict needs only " + allowedGlobals() + ". Loading a checkpoint never executes code; this file"
                + " is not a plain state dict (or is malicious)");
    }

    private Object reduce(Object callable, Object args, int at) {
        if (!(callable instanceof Global g) || g.storageType() != null) {
            throw invalid("REDUCE at byte " + at + " calls " + describe(callable) + "; only " + ORDERED_DICT + ", "
                    + REBUILD_TENSOR_V2 + " and " + REBUILD_PARAMETER + " may be called");
        }
        if (!(args instanceof Tuple t)) {
            throw invalid("REDUCE at byte " + at + " on " + g.qualifiedName() + " has arguments " + describe(args)
                    + "; expected a tuple");
        }
        List<Object> a = t.items();
        switch (g.qualifiedName()) {
            case ORDERED_DICT:
                if (!a.isEmpty()) {
                    throw invalid(ORDERED_DICT + " at byte " + at + " called with " + a.size()
                            + " arguments; a state dict pickle calls it with none");
                }
                return new LinkedHashMap<>();
            case REBUILD_PARAMETER:
                if (a.size() < 1 || !(a.get(0) instanceof CheckpointTensor)) {
                    throw invalid(REBUILD_PARAMETER + " at byte " + at + " needs a tensor as first argument");
                }
                return a.get(0);
            case REBUILD_TENSOR_V2:
                return rebuildTensor(a, at);
            default:
                throw new AssertionError(g);
        }
    }

    private void build(Object target, Object state, int at) {
        if (target instanceof Map && (state instanceof Map || state == NONE || state instanceof Tuple)) {
            // OrderedDict state: PyTorch's _metadata attribute (module versions); not needed for inference.
            return;
        }
        throw invalid("BUILD at byte " + at + " sets the state of " + describe(target)
                + "; a state dict pickle only sets attributes of an OrderedDict");
    }

    private Object persistentLoad(Object pid, int at) {
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))) {
            throw invalid("persistent id at byte " + at + " is " + describe(pid)
                    + "; expected ('storage', storage type, key, location, numel)");
        }
        List<Object> a = t.items();
        if (!(a.get(1) instanceof Global g) || g.storageType() == null) {
            throw invalid("persistent id at byte " + at + " names storage type " + describe(a.get(1))
                    + "; expected one of torch.FloatStorage, torch.HalfStorage, ...");
        }
        if (!(a.get(2) instanceof String key)) {
            throw invalid("persistent id at byte " + at + " has storage key " + describe(a.get(2)));
        }
        long numel = integer(a.get(4), "storage size", at);
        if (numel < 0) {
            throw invalid("storage '" + key + "' has negative size " + numel);
        }
        return new Storage(key, g.storageType(), numel);
    }

    private CheckpointTensor rebuildTensor(List<Object> a, int at) {
        if (a.size() < 4 || !(a.get(0) instanceof Storage storage)) {
            throw invalid(REBUILD_TENSOR_V2 + " at byte " + at + " needs (storage, offset, size, stride, ...), got "
                    + a.size() + " arguments");
        }
        long offset = integer(a.get(1), "storage offset", at);
        int[] size = ints(a.get(2), "size", at);
        int[] stride = ints(a.get(3), "stride", at);
        if (size.length != stride.length) {
            throw invalid("tensor at byte " + at + " has " + size.length + " sizes but " + stride.length
                    + " strides");
        }
        long numel = CheckpointTensor.numel(size);
        long maxIndex = offset;
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || stride[d] < 0) {
                throw invalid("tensor at byte " + at + " has a negative size or stride");
            }
            if (size[d] > 0) {
                maxIndex += (long) (size[d] - 1) * stride[d];
            }
        }
        if (numel > MAX_TENSOR_ELEMENTS) {
            throw invalid("tensor at byte " + at + " has " + numel + " elements; at most " + MAX_TENSOR_ELEMENTS
                    + " are accepted");
        }
        if (offset < 0 || (numel > 0 && maxIndex >= storage.numel())) {
            throw invalid("tensor at byte " + at + " (offset " + offset + ", size " + java.util.Arrays.toString(size)
                    + ", stride " + java.util.Arrays.toString(stride) + ") reaches element " + maxIndex
                    + " of storage '" + storage.key() + "' which holds " + storage.numel());
        }
        float[] data = new float[(int) numel];
        if (numel > 0) {
            ByteBuffer buf = storageBytes(storage);
            int[] idx = new int[size.length];
            for (int i = 0; i < data.length; i++) {
                long e = offset;
                for (int d = 0; d < size.length; d++) {
                    e += (long) idx[d] * stride[d];
                }
                data[i] = storage.type().read(buf, (int) e);
                for (int d = size.length - 1; d >= 0; d--) {
                    if (++idx[d] < size[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
        }
        return new CheckpointTensor(storage.type().className(), size, data);
    }

    private ByteBuffer storageBytes(Storage s) {
        ByteBuffer buf = storageCache.get(s.key());
        if (buf == null) {
            byte[] b = storages.bytes(s.key());
            long need = s.numel() * s.type().elementSize();
            if (b.length < need) {
                throw invalid("storage '" + s.key() + "' holds " + b.length + " bytes but " + s.numel() + " "
                        + s.type().className() + " elements need " + need + " (truncated checkpoint?)");
            }
            buf = ByteBuffer.wrap(b).order(byteOrder);
            storageCache.put(s.key(), buf);
        }
        return buf;
    }

    // ---- small helpers ----

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty()) {
            throw invalid("the pickle pops from an empty stack at byte " + (pos - 1));
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw invalid("the pickle reads an empty stack at byte " + (pos - 1));
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (metastack.isEmpty()) {
            throw invalid("the pickle closes a MARK that was never opened, at byte " + (pos - 1));
        }
        List<Object> items = new ArrayList<>(stack);
        stack.clear();
        stack.addAll(metastack.remove(metastack.size() - 1));
        return items;
    }

    private Object memoGet(int key) {
        Object v = memo.get(key);
        if (v == null) {
            throw invalid("the pickle reads memo entry " + key + " that was never stored");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, int at) {
        if (!(o instanceof ArrayList)) {
            throw invalid("APPEND at byte " + at + " on " + describe(o) + ", not a list");
        }
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o, int at) {
        if (!(o instanceof LinkedHashMap)) {
            throw invalid("SETITEM at byte " + at + " on " + describe(o) + ", not a dict");
        }
        return (Map<Object, Object>) o;
    }

    private static void putPairs(Map<Object, Object> d, List<Object> items, int at) {
        if (items.size() % 2 != 0) {
            throw invalid("dict items at byte " + at + " are not key/value pairs (" + items.size() + " values)");
        }
        for (int i = 0; i < items.size(); i += 2) {
            d.put(hashable(items.get(i), at), items.get(i + 1));
        }
    }

    private static Object hashable(Object k, int at) {
        if (k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double
                || k instanceof BigInteger || k == NONE) {
            return k;
        }
        throw invalid("dict key at byte " + at + " is " + describe(k) + "; a state dict has string keys");
    }

    private static long integer(Object o, String what, int at) {
        if (o instanceof Long l) {
            return l;
        }
        throw invalid(what + " at byte " + at + " is " + describe(o) + ", not an int");
    }

    private static int[] ints(Object o, String what, int at) {
        if (!(o instanceof Tuple t)) {
            throw invalid("tensor " + what + " at byte " + at + " is " + describe(o) + ", not a tuple");
        }
        int[] r = new int[t.items().size()];
        for (int i = 0; i < r.length; i++) {
            long v = integer(t.items().get(i), "tensor " + what, at);
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw invalid("tensor " + what + " at byte " + at + " has out-of-range value " + v);
            }
            r[i] = (int) v;
        }
        return r;
    }

    private int u8() {
        return bytes(1)[0] & 0xff;
    }

    private ByteBuffer le(int n) {
        return ByteBuffer.wrap(bytes(n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private byte[] bytes(int n) {
        if (n < 0 || pos + (long) n > pickle.length) {
            throw invalid("the pickle is truncated: " + n + " bytes wanted at byte " + pos + " of " + pickle.length);
        }
        byte[] b = new byte[n];
        System.arraycopy(pickle, pos, b, 0, n);
        pos += n;
        return b;
    }

    private String line() {
        int start = pos;
        while (pos < pickle.length && pickle[pos] != '\n') {
            pos++;
        }
        if (pos >= pickle.length) {
            throw invalid("the pickle is truncated inside a GLOBAL name at byte " + start);
        }
        String s = new String(pickle, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        return s;
    }

    private static int length(long n) {
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw invalid("pickle length field " + n + " is out of range");
        }
        return (int) n;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Object longValue(byte[] littleEndianTwosComplement) {
        if (littleEndianTwosComplement.length == 0) {
            return 0L;
        }
        byte[] be = new byte[littleEndianTwosComplement.length];
        for (int i = 0; i < be.length; i++) {
            be[i] = littleEndianTwosComplement[be.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < Long.SIZE ? (Object) v.longValue() : v;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "nothing";
        }
        if (o == NONE) {
            return "None";
        }
        if (o instanceof Global g) {
            return "the global " + g.qualifiedName();
        }
        if (o instanceof Tuple t) {
            return "a tuple of " + t.items().size();
        }
        if (o instanceof String s) {
            return "the string '" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
        }
        if (o instanceof CheckpointTensor t) {
            return "a tensor " + t.shapeString();
        }
        if (o instanceof Storage s) {
            return "a storage '" + s.key() + "'";
        }
        if (o instanceof Map) {
            return "a dict";
        }
        if (o instanceof List) {
            return "a list";
        }
        return "a " + o.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + o;
    }

    private static String opcodeName(int op) {
        String name;
        switch (op) {
            case 'i':
                name = "INST";
                break;
            case 'o':
                name = "OBJ";
                break;
            case 0x81:
                name = "NEWOBJ";
                break;
            case 0x92:
                name = "NEWOBJ_EX";
                break;
            case 0x82:
            case 0x83:
            case 0x84:
                name = "EXT";
                break;
            case 'P':
                name = "PERSID";
                break;
            default:
                name = null;
        }
        String hex = String.format(java.util.Locale.ROOT, "0x%02x", op);
        if (name == null && op >= 0x20 && op < 0x7f) {
            return "'" + (char) op + "' (" + hex + ")";
        }
        return name == null ? hex : name + " (" + hex + ")";
    }

    private static IclSamException invalid(String message) {
        return new IclSamException(IclSamException.Code.MODEL_INVALID, message);
    }
}
