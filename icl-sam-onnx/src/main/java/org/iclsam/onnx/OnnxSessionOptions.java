package org.iclsam.onnx;

import java.util.Objects;

/**
 * How ONNX Runtime sessions are created: threads, graph optimisation, execution provider and what happens when
 * that provider is not usable. Immutable; build with {@link #builder()}. {@link #defaults()} is
 * {@code builder().build()}: ONNX Runtime's own thread count, {@link GraphOptimization#ALL},
 * {@link ExecutionProvider#CPU}, CUDA device 0, no CUDA memory limit, {@link FallbackPolicy#WARN}.
 */
public final class OnnxSessionOptions {
    /** Thread count meaning "let ONNX Runtime choose" (one per physical core). */
    public static final int RUNTIME_DEFAULT_THREADS = 0;
    /** CUDA memory limit meaning "no limit" (ONNX Runtime's arena grows as needed). */
    public static final long NO_MEMORY_LIMIT = 0;

    private static final OnnxSessionOptions DEFAULTS = builder().build();

    private final int intraOpThreads;
    private final GraphOptimization optimization;
    private final ExecutionProvider provider;
    private final int cudaDeviceId;
    private final long cudaMemoryLimitBytes;
    private final FallbackPolicy fallback;

    private OnnxSessionOptions(Builder b) {
        this.intraOpThreads = b.intraOpThreads;
        this.optimization = b.optimization;
        this.provider = b.provider;
        this.cudaDeviceId = b.cudaDeviceId;
        this.cudaMemoryLimitBytes = b.cudaMemoryLimitBytes;
        this.fallback = b.fallback;
    }

    /** @return the defaults described in the class comment */
    public static OnnxSessionOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this object's values */
    public Builder toBuilder() {
        return new Builder().intraOpThreads(intraOpThreads).optimization(optimization).provider(provider)
                .cudaDeviceId(cudaDeviceId).cudaMemoryLimitBytes(cudaMemoryLimitBytes).fallback(fallback);
    }

    /** @return threads used inside one operator, or {@link #RUNTIME_DEFAULT_THREADS} */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** @return the graph optimisation level */
    public GraphOptimization optimization() {
        return optimization;
    }

    /** @return the requested execution provider */
    public ExecutionProvider provider() {
        return provider;
    }

    /** @return the CUDA device ordinal used when the provider is CUDA */
    public int cudaDeviceId() {
        return cudaDeviceId;
    }

    /** @return the CUDA memory arena limit in bytes, or {@link #NO_MEMORY_LIMIT} */
    public long cudaMemoryLimitBytes() {
        return cudaMemoryLimitBytes;
    }

    /** @return what happens when the requested provider is not usable */
    public FallbackPolicy fallback() {
        return fallback;
    }

    @Override
    public String toString() {
        return "OnnxSessionOptions[threads=" + intraOpThreads + ", optimization=" + optimization + ", provider="
                + provider + (provider == ExecutionProvider.CUDA ? " device " + cudaDeviceId : "")
                + ", fallback=" + fallback + "]";
    }

    /** Builder for {@link OnnxSessionOptions}; every setter is optional. */
    public static final class Builder {
        private int intraOpThreads = RUNTIME_DEFAULT_THREADS;
        private GraphOptimization optimization = GraphOptimization.ALL;
        private ExecutionProvider provider = ExecutionProvider.CPU;
        private int cudaDeviceId;
        private long cudaMemoryLimitBytes = NO_MEMORY_LIMIT;
        private FallbackPolicy fallback = FallbackPolicy.WARN;

        private Builder() {
        }

        /**
         * @param threads threads inside one operator, or {@link #RUNTIME_DEFAULT_THREADS}
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder intraOpThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("intra-op threads must be >= 0 (0 lets ONNX Runtime choose), got "
                        + threads);
            }
            this.intraOpThreads = threads;
            return this;
        }

        /**
         * @param level the graph optimisation level
         * @return this builder
         */
        public Builder optimization(GraphOptimization level) {
            this.optimization = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * @param provider the execution provider to request
         * @return this builder
         */
        public Builder provider(ExecutionProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * @param deviceId CUDA device ordinal
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder cudaDeviceId(int deviceId) {
            if (deviceId < 0) {
                throw new IllegalArgumentException("CUDA device id must be >= 0, got " + deviceId);
            }
            this.cudaDeviceId = deviceId;
            return this;
        }

        /**
         * @param bytes CUDA memory arena limit, or {@link #NO_MEMORY_LIMIT}
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder cudaMemoryLimitBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("CUDA memory limit must be >= 0 (0 = none), got " + bytes);
            }
            this.cudaMemoryLimitBytes = bytes;
            return this;
        }

        /**
         * @param policy what to do when the requested provider is not usable
         * @return this builder
         */
        public Builder fallback(FallbackPolicy policy) {
            this.fallback = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** @return the options */
        public OnnxSessionOptions build() {
            return new OnnxSessionOptions(this);
        }
    }
}
