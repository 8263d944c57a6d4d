package org.iclsam.onnx;

import java.util.Objects;

/**
 * How ONNX Runtime sessions are created: threads, graph optimisation, execution provider and what happens when
 * that provider is not usable, and the precision image encoders run in. Immutable; build with {@link #builder()}.
 * {@link #defaults()} is {@code builder().build()}: ONNX Runtime's own thread count, {@link GraphOptimization#ALL},
 * {@link ExecutionProvider#CPU}, CUDA device 0, no CUDA memory limit, {@link FallbackPolicy#WARN},
 * {@link EncoderPrecision#FP32}. The encoder precision's default can be changed without code with the system
 * property {@value EncoderPrecision#PROPERTY} ({@code fp32} or {@code int8}; for example
 * {@code ICL_SAM_JAVA_OPTS=-Diclsam.encoder.precision=int8 ./icl-sam evaluate ...}): {@link Builder#build()} reads
 * it when no precision was set, and an invalid value fails there with an {@link IllegalArgumentException}.
 */
public final class OnnxSessionOptions {
    /** Thread count meaning "let ONNX Runtime choose" (one per physical core). */
    public static final int RUNTIME_DEFAULT_THREADS = 0;
    /** CUDA memory limit meaning "no limit" (ONNX Runtime's arena grows as needed). */
    public static final long NO_MEMORY_LIMIT = 0;

    private final int intraOpThreads;
    private final GraphOptimization optimization;
    private final ExecutionProvider provider;
    private final int cudaDeviceId;
    private final long cudaMemoryLimitBytes;
    private final FallbackPolicy fallback;
    private final EncoderPrecision encoderPrecision;

    private OnnxSessionOptions(Builder b) {
        this.intraOpThreads = b.intraOpThreads;
        this.optimization = b.optimization;
        this.provider = b.provider;
        this.cudaDeviceId = b.cudaDeviceId;
        this.cudaMemoryLimitBytes = b.cudaMemoryLimitBytes;
        this.fallback = b.fallback;
        this.encoderPrecision = b.encoderPrecision != null ? b.encoderPrecision : Builder.defaultPrecision();
    }

    /** @return the defaults described in the class comment */
    public static OnnxSessionOptions defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this object's values */
    public Builder toBuilder() {
        return new Builder().intraOpThreads(intraOpThreads).optimization(optimization).provider(provider)
                .cudaDeviceId(cudaDeviceId).cudaMemoryLimitBytes(cudaMemoryLimitBytes).fallback(fallback)
                .encoderPrecision(encoderPrecision);
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

    /** @return the precision image encoders opened with these options run in (decoders ignore it) */
    public EncoderPrecision encoderPrecision() {
        return encoderPrecision;
    }

    @Override
    public String toString() {
        return "OnnxSessionOptions[threads=" + intraOpThreads + ", optimization=" + optimization + ", provider="
                + provider + (provider == ExecutionProvider.CUDA ? " device " + cudaDeviceId : "")
                + ", fallback=" + fallback + ", encoder=" + encoderPrecision + "]";
    }

    /** Builder for {@link OnnxSessionOptions}; every setter is optional. */
    public static final class Builder {
        private int intraOpThreads = RUNTIME_DEFAULT_THREADS;
        private GraphOptimization optimization = GraphOptimization.ALL;
        private ExecutionProvider provider = ExecutionProvider.CPU;
        private int cudaDeviceId;
        private long cudaMemoryLimitBytes = NO_MEMORY_LIMIT;
        private FallbackPolicy fallback = FallbackPolicy.WARN;
        /** Null until set: {@link #build()} then takes the system property's value, or FP32. */
        private EncoderPrecision encoderPrecision;

        private Builder() {
        }

        private static EncoderPrecision defaultPrecision() {
            String p = System.getProperty(EncoderPrecision.PROPERTY);
            if (p == null) {
                return EncoderPrecision.FP32;
            }
            try {
                return EncoderPrecision.parse(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("system property " + EncoderPrecision.PROPERTY + ": "
                        + e.getMessage(), e);
            }
        }

        /**
         * @param precision the precision image encoders run in ({@link EncoderPrecision#INT8} derives and caches a
         *     quantised copy of the encoder on first use)
         * @return this builder
         */
        public Builder encoderPrecision(EncoderPrecision precision) {
            this.encoderPrecision = Objects.requireNonNull(precision, "precision");
            return this;
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

        /**
         * @return the options
         * @throws IllegalArgumentException if no encoder precision was set and the system property
         *     {@value EncoderPrecision#PROPERTY} holds neither fp32 nor int8
         */
        public OnnxSessionOptions build() {
            return new OnnxSessionOptions(this);
        }
    }
}
