package org.iclsam.onnx;

import java.util.Locale;

/**
 * The numeric precision an image encoder runs in, chosen with {@link OnnxSessionOptions.Builder#encoderPrecision}.
 * Decoders and UniverSeg always run in float32.
 */
public enum EncoderPrecision {
    /** The model file as it is (float32 weights and arithmetic). */
    FP32,
    /**
     * A dynamically quantised copy of the encoder graph ({@link org.iclsam.onnx.graph.EncoderQuantizer}: int8
     * weights in the linear layers, activations quantised per call), derived from the {@code .onnx} file on first
     * use and cached next to it with its checksum and the source's. Faster on the CPU provider at a small accuracy
     * cost (both measured in {@code benchmarks/README.md}); an ORT-format ({@code .ort}) encoder cannot be
     * quantised and is refused.
     */
    INT8;

    /** The system property that sets the default precision of {@link OnnxSessionOptions#builder()}. */
    public static final String PROPERTY = "iclsam.encoder.precision";

    /**
     * @param value "fp32" or "int8", in any case
     * @return the precision
     * @throws IllegalArgumentException for any other value, naming the accepted ones
     */
    public static EncoderPrecision parse(String value) {
        for (EncoderPrecision p : values()) {
            if (p.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("encoder precision must be fp32 or int8, got '" + value + "'");
    }

    /** @return the lower-case name, as in file names and identities ("fp32", "int8") */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
