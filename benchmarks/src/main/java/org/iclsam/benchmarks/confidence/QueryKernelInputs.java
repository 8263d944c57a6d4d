package org.iclsam.benchmarks.confidence;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings, sizes and seeded buffers that {@link FusionKernelsBenchmark} and
 * {@link KernelBackendBenchmark} share, so that both measure the kernels on the same shapes: the 64 x 64
 * confidence grid, the 128 x 128 ICL probability, the 512 x 512 image and 1024 x 1024 frame, and a UniverSeg
 * decoder tensor (64 supports x 128 channels x 32 x 32) with its guidance. JMH reads the class annotations
 * through the subclasses.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
abstract class QueryKernelInputs {
    static final int GRID = 64;
    static final int ICL = 128;
    static final int IMAGE = 512;
    static final int FRAME = 1024;
    /** UniverSeg decoder level: support x channels planes of 32 x 32. */
    static final int PLANES = 64 * 128;
    static final int LEVEL = 32;
    /** The modulation strength alpha at 64 supports. */
    static final double ALPHA = 0.3 * Math.exp(-0.1 * 64);

    final float[] confidence = new float[GRID * GRID];
    final float[] icl = new float[ICL * ICL];
    final float[] image = new float[IMAGE * IMAGE];
    final float[] frame = new float[FRAME * FRAME];
    final float[] samLogits = new float[IMAGE * IMAGE];
    final byte[] mask = new byte[IMAGE * IMAGE];
    final float[] guidance = new float[LEVEL * LEVEL];
    float[] tensor;
    float[] tensorCopy;

    /**
     * Fills, in this order, the ICL probability (uniform in [0, 1)), the SAM logits (in [-10, 10)), the
     * guidance (in [-2, 2)) and the decoder tensor (in [-0.5, 0.5)) with its pristine copy.
     *
     * @param rnd the seeded source, advanced by the draws
     */
    final void fillInputs(SplittableRandom rnd) {
        for (int i = 0; i < icl.length; i++) {
            icl[i] = (float) rnd.nextDouble();
        }
        for (int i = 0; i < samLogits.length; i++) {
            samLogits[i] = (float) (rnd.nextDouble() * 20 - 10);
        }
        for (int i = 0; i < guidance.length; i++) {
            guidance[i] = (float) (rnd.nextDouble() * 4 - 2);
        }
        tensorCopy = new float[PLANES * LEVEL * LEVEL];
        for (int i = 0; i < tensorCopy.length; i++) {
            tensorCopy[i] = (float) (rnd.nextDouble() - 0.5);
        }
        tensor = tensorCopy.clone();
    }

    /** @return the decoder tensor, restored from its copy (the in-place modulation changes it) */
    final float[] restoredTensor() {
        System.arraycopy(tensorCopy, 0, tensor, 0, tensor.length);
        return tensor;
    }
}
