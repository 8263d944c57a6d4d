package org.iclsam.onnx.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.iclsam.core.IclSamException;
import org.iclsam.onnx.ExecutionInfo;
import org.iclsam.onnx.ExecutionProvider;
import org.iclsam.onnx.FallbackPolicy;
import org.iclsam.onnx.OnnxSessionOptions;
import org.iclsam.onnx.spi.NativeLibraryPreloaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session with the SDK's lifecycle rules: created with {@link OnnxSessionOptions} (provider
 * fallback applied and recorded), checked against the signature its adapter expects, usable from several
 * threads at once ({@link OrtSession#run} is thread-safe; a read lock keeps {@link #close()} from freeing the
 * native session under a running call), closed once however often {@link #close()} is called.
 */
public final class ModelSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSession.class);
    /** The CUDA provider option that caps its memory arena. */
    private static final String CUDA_MEMORY_LIMIT_KEY = "gpu_mem_limit";
    /** Sessions opened and not yet closed, for leak checks ({@link #openSessions()}). */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String description;
    private final ExecutionInfo execution;
    private final Map<String, long[]> inputShapes;
    private final Map<String, long[]> outputShapes;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Source source;
    private volatile String sha256;
    private boolean closed;

    private ModelSession(OrtEnvironment env, OrtSession session, Source source, String description,
            ExecutionInfo execution) throws OrtException {
        this.env = env;
        this.source = source;
        this.session = session;
        this.description = description;
        this.execution = execution;
        this.inputShapes = shapes(session.getInputInfo());
        this.outputShapes = shapes(session.getOutputInfo());
        OPEN.incrementAndGet();
    }

    /**
     * How many sessions of this class are open now (created and not yet closed), in this class loader: what a
     * long-running process or a test checks to see that closing a pipeline released its native sessions. Not API
     * (this package is internal).
     *
     * @return the count
     */
    public static int openSessions() {
        return OPEN.get();
    }

    private static Map<String, long[]> shapes(Map<String, NodeInfo> infos) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : infos.entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t) {
                out.put(e.getKey(), t.getShape());
            } else {
                out.put(e.getKey(), null);
            }
        }
        return out;
    }

    /**
     * Opens a model file.
     *
     * @param model the .onnx (or .ort) file
     * @param description what the model is, for messages (for example "SAM decoder")
     * @param options session options
     * @return the session; the caller owns it
     * @throws IclSamException MODEL_INVALID if the file is missing or cannot be loaded, PROVIDER_UNAVAILABLE if
     *     CUDA was requested with {@link FallbackPolicy#FAIL} and is not usable
     */
    public static ModelSession open(Path model, String description, OnnxSessionOptions options) {
        Objects.requireNonNull(model, "model");
        if (!Files.isRegularFile(model)) {
            throw new IclSamException(IclSamException.Code.MODEL_INVALID,
                    description + ": model file " + model + " does not exist or is not a regular file");
        }
        return open(new Source(model, null), description, options);
    }

    /**
     * Opens a model held in memory (for example a patched decoder graph).
     *
     * @param model the serialised model; not modified
     * @param description what the model is, for messages
     * @param options session options
     * @return the session; the caller owns it
     * @throws IclSamException as {@link #open(Path, String, OnnxSessionOptions)}
     */
    public static ModelSession open(byte[] model, String description, OnnxSessionOptions options) {
        Objects.requireNonNull(model, "model");
        return open(new Source(null, model), description, options);
    }

    /**
     * The SHA-256 of the model this session was opened from (the file's bytes, or the in-memory model's), computed
     * on first call (a pass over the file) and kept.
     *
     * @return lower-case hex
     * @throws IclSamException MODEL_INVALID if the file can no longer be read
     */
    public String sha256() {
        String h = sha256;
        if (h == null) {
            try {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                if (source.bytes() != null) {
                    md.update(source.bytes());
                } else {
                    try (java.io.InputStream in = Files.newInputStream(source.path())) {
                        byte[] buf = new byte[1 << 16];
                        for (int r; (r = in.read(buf)) > 0; ) {
                            md.update(buf, 0, r);
                        }
                    }
                }
                h = java.util.HexFormat.of().formatHex(md.digest());
            } catch (java.io.IOException e) {
                throw new IclSamException(IclSamException.Code.MODEL_INVALID, description + ": cannot read "
                        + source + " to checksum it: " + e.getMessage(), e);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
            sha256 = h;
        }
        return h;
    }

    private record Source(Path path, byte[] bytes) {
        OrtSession create(OrtEnvironment env, OrtSession.SessionOptions so) throws OrtException {
            return path != null ? env.createSession(path.toString(), so) : env.createSession(bytes, so);
        }

        @Override
        public String toString() {
            return path != null ? path.toString() : "in-memory model of " + bytes.length + " bytes";
        }
    }

    private static ModelSession open(Source source, String description, OnnxSessionOptions options) {
        Objects.requireNonNull(options, "options");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String cudaProblem = null;
        if (options.provider() == ExecutionProvider.CUDA) {
            // CUDA/cuDNN libraries bundled in jars (e.g. JavaCPP's presets, icl-sam-cuda) must be loaded before ONNX
            // Runtime creates the CUDA provider; their problems are quoted in the fallback reason.
            List<String> preloadProblems = NativeLibraryPreloaders.preloadAll();
            cudaProblem = cudaUnavailableReason(options.cudaDeviceId());
            if (cudaProblem == null) {
                try (OrtSession.SessionOptions so = baseOptions(options)) {
                    addCuda(so, options);
                    OrtSession s = source.create(env, so);
                    return new ModelSession(env, s, source, description,
                            new ExecutionInfo(ExecutionProvider.CUDA, ExecutionProvider.CUDA, ""));
                } catch (OrtException e) {
                    cudaProblem = "ONNX Runtime could not start the CUDA provider on device "
                            + options.cudaDeviceId() + " (missing or mismatched CUDA/cuDNN libraries, or no such GPU): "
                            + e.getMessage();
                }
            }
            if (!preloadProblems.isEmpty()) {
                cudaProblem += "; native library preloading reported: " + String.join("; ", preloadProblems);
            }
            cudaProblem = applyPolicy(options, description, cudaProblem);
        }
        try (OrtSession.SessionOptions so = baseOptions(options)) {
            OrtSession s = source.create(env, so);
            return new ModelSession(env, s, source, description, new ExecutionInfo(options.provider(),
                    ExecutionProvider.CPU, cudaProblem == null ? "" : cudaProblem));
        } catch (OrtException e) {
            throw new IclSamException(IclSamException.Code.MODEL_INVALID,
                    description + ": ONNX Runtime cannot load " + source + ": " + e.getMessage(), e);
        }
    }

    private static String applyPolicy(OnnxSessionOptions options, String description, String reason) {
        switch (options.fallback()) {
            case FAIL:
                throw new IclSamException(IclSamException.Code.PROVIDER_UNAVAILABLE, description
                        + ": CUDA (device " + options.cudaDeviceId() + ") was requested with fallback policy FAIL but"
                        + " is not usable: " + reason + ". Use FallbackPolicy.WARN or ACCEPT to run on the CPU instead.");
            case WARN:
                LOG.warn("{}: CUDA (device {}) requested but not usable, running on the CPU: {}", description,
                        options.cudaDeviceId(), reason);
                return reason;
            case ACCEPT:
            default:
                LOG.debug("{}: CUDA not usable, running on the CPU: {}", description, reason);
                return reason;
        }
    }

    /**
     * Why CUDA cannot be used, as far as can be told without trying.
     *
     * @param deviceId the requested device
     * @return the reason, or null if nothing rules CUDA out before trying
     */
    static String cudaUnavailableReason(int deviceId) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return "this ONNX Runtime build has no CUDA provider (available: "
                    + OrtEnvironment.getAvailableProviders() + "); depend on com.microsoft.onnxruntime:onnxruntime_gpu"
                    + " instead of onnxruntime" + (hasNvidiaDevice() ? "" : ", and no NVIDIA GPU is visible");
        }
        if (!hasNvidiaDevice()) {
            return "no NVIDIA GPU is visible (no /dev/nvidia" + deviceId + " and no driver under /proc/driver/nvidia)";
        }
        return null;
    }

    private static boolean hasNvidiaDevice() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (!os.contains("linux")) {
            return true; // no cheap check elsewhere: let ONNX Runtime try and report
        }
        return Files.exists(Path.of("/proc/driver/nvidia")) || Files.exists(Path.of("/dev/nvidia0"));
    }

    private static OrtSession.SessionOptions baseOptions(OnnxSessionOptions options) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            if (options.intraOpThreads() != OnnxSessionOptions.RUNTIME_DEFAULT_THREADS) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            so.setOptimizationLevel(switch (options.optimization()) {
                case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }

    private static void addCuda(OrtSession.SessionOptions so, OnnxSessionOptions options) throws OrtException {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(options.cudaDeviceId())) {
            if (options.cudaMemoryLimitBytes() != OnnxSessionOptions.NO_MEMORY_LIMIT) {
                cuda.add(CUDA_MEMORY_LIMIT_KEY, Long.toString(options.cudaMemoryLimitBytes()));
            }
            so.addCUDA(cuda);
        }
    }

    /** @return where the session runs */
    public ExecutionInfo execution() {
        return execution;
    }

    /** @return the model's inputs and their shapes ({@link TensorSpec#ANY} for symbolic dimensions) */
    public Map<String, long[]> inputShapes() {
        return inputShapes;
    }

    /** @return the model's outputs and their shapes */
    public Map<String, long[]> outputShapes() {
        return outputShapes;
    }

    /**
     * Checks the model's signature; on mismatch throws with the expected and the found signatures.
     *
     * @param inputs the inputs the adapter feeds: the model must have exactly these
     * @param outputs the outputs the adapter reads: the model must have at least these
     * @throws IclSamException MODEL_INVALID on mismatch
     */
    public void requireSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        List<String> problems = new ArrayList<>();
        for (TensorSpec spec : inputs) {
            check(spec, inputShapes, "input", problems);
        }
        for (String name : inputShapes.keySet()) {
            if (inputs.stream().noneMatch(s -> s.name().equals(name))) {
                problems.add("unexpected input " + name);
            }
        }
        for (TensorSpec spec : outputs) {
            check(spec, outputShapes, "output", problems);
        }
        if (!problems.isEmpty()) {
            throw new IclSamException(IclSamException.Code.MODEL_INVALID, description + " does not have the expected"
                    + " signature (" + String.join("; ", problems) + "). Expected inputs " + inputs + ", outputs "
                    + outputs + "; found inputs " + describe(inputShapes) + ", outputs " + describe(outputShapes));
        }
    }

    private static void check(TensorSpec spec, Map<String, long[]> found, String kind, List<String> problems) {
        if (!found.containsKey(spec.name())) {
            problems.add("missing " + kind + " " + spec.name());
        } else if (found.get(spec.name()) == null || !spec.accepts(found.get(spec.name()))) {
            long[] f = found.get(spec.name());
            problems.add(kind + " " + spec.name() + " has shape " + (f == null ? "(not a tensor)"
                    : TensorSpec.formatShape(f)) + ", expected " + TensorSpec.formatShape(spec.shape()));
        }
    }

    /**
     * @param shapes named shapes
     * @return for example {@code [input[?,3,1024,1024]]}
     */
    public static String describe(Map<String, long[]> shapes) {
        List<String> parts = new ArrayList<>();
        shapes.forEach((k, v) -> parts.add(k + (v == null ? "(not a tensor)" : TensorSpec.formatShape(v))));
        return parts.toString();
    }

    /** A float input: values (row-major) and the shape. */
    public record FloatInput(float[] data, long[] shape) {
    }

    /** A float output: values and shape, copied out of ONNX Runtime's buffers. */
    public record FloatOutput(float[] data, long[] shape) {
    }

    /**
     * Runs the model.
     *
     * @param inputs every model input by name; arrays are not modified
     * @param outputs the outputs to fetch
     * @return the requested outputs by name, copied to the heap; the caller owns them
     * @throws IllegalStateException after {@link #close()}
     * @throws IclSamException INFERENCE_FAILED if ONNX Runtime fails
     */
    public Map<String, FloatOutput> run(Map<String, FloatInput> inputs, java.util.Set<String> outputs) {
        return runWith(inputs, outputs, result -> {
            Map<String, FloatOutput> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                FloatBuffer fb = t.getFloatBuffer();
                float[] data = new float[fb.remaining()];
                fb.get(data);
                out.put(e.getKey(), new FloatOutput(data, t.getInfo().getShape()));
            }
            return out;
        });
    }

    /**
     * Runs the model and copies each requested output into the caller's array (one copy fewer than
     * {@link #run}, for the small kernel graphs whose outputs have a known size).
     *
     * @param inputs every model input by name; arrays are not modified
     * @param outputs output name to the array that receives it (modified); its length must equal the output's size
     * @throws IllegalStateException after {@link #close()}
     * @throws IclSamException INFERENCE_FAILED if ONNX Runtime fails or an output has another size
     */
    public void runInto(Map<String, FloatInput> inputs, Map<String, float[]> outputs) {
        runWith(inputs, outputs.keySet(), result -> {
            for (Map.Entry<String, OnnxValue> e : result) {
                FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] into = outputs.get(e.getKey());
                if (fb.remaining() != into.length) {
                    throw new IclSamException(IclSamException.Code.INFERENCE_FAILED, description + ": output "
                            + e.getKey() + " holds " + fb.remaining() + " values, expected " + into.length);
                }
                fb.get(into);
            }
            return null;
        });
    }

    /** Reads what one call needs out of ONNX Runtime's result while its buffers are alive. */
    @FunctionalInterface
    private interface ResultReader<T> {
        T read(OrtSession.Result result) throws OrtException;
    }

    /**
     * The one place a call reaches the native session: under the read lock, wraps the inputs as tensors, runs,
     * hands the result to {@code reader} and closes the result and the input tensors however it ends.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws IclSamException INFERENCE_FAILED if ONNX Runtime fails
     */
    private <T> T runWith(Map<String, FloatInput> inputs, java.util.Set<String> outputs, ResultReader<T> reader) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(description + " is closed");
            }
            Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, FloatInput> e : inputs.entrySet()) {
                    tensors.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().data()),
                            e.getValue().shape()));
                }
                try (OrtSession.Result result = session.run(tensors, outputs)) {
                    return reader.read(result);
                }
            } catch (OrtException e) {
                throw new IclSamException(IclSamException.Code.INFERENCE_FAILED,
                        description + ": ONNX Runtime failed: " + e.getMessage(), e);
            } finally {
                tensors.values().forEach(OnnxTensor::close);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Waits for running calls, then frees the native session; harmless when called again. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            OPEN.decrementAndGet();
            session.close();
        } catch (OrtException e) {
            LOG.debug("{}: closing the session failed", description, e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "ModelSession[" + description + ", " + execution + "]";
    }
}
