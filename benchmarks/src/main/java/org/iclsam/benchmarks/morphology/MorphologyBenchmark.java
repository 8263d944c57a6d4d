package org.iclsam.benchmarks.morphology;

import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.BoxPromptResult;
import org.iclsam.morphology.BoxPrompts;
import org.iclsam.morphology.ConnectedComponents;
import org.iclsam.morphology.Connectivity;
import org.iclsam.morphology.DistanceTransform;
import org.iclsam.morphology.Morphology;
import org.iclsam.morphology.PixelSpacing;
import org.iclsam.morphology.StructuringElement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Morphology on one core. Sample time, so JMH reports the median (p0.50) the goals are stated in. Masks are
 * immutable, so no copy is needed between invocations.
 */
public class MorphologyBenchmark extends BlobMaskBenchmark {
    /** Number of blobs. */
    @Param({"100"})
    public int blobs;

    private BinaryMask mask;

    /** Builds the seeded mask. */
    @Setup
    public void setup() {
        mask = BlobMasks.make(size, blobs, 0.10, 0, 0, 42);
    }

    /** @return the box prompts of docs/METHOD.md step 4 */
    @Benchmark
    public BoxPromptResult boxPrompts() {
        return BoxPrompts.extract(mask);
    }

    /** @return the exact Euclidean distance to the foreground, every pixel */
    @Benchmark
    public double[] edt() {
        return DistanceTransform.squaredDistanceToForeground(mask, PixelSpacing.ISOTROPIC);
    }

    /** @return the 4-connected components with areas and boxes */
    @Benchmark
    public ConnectedComponents components() {
        return ConnectedComponents.of(mask, Connectivity.FOUR);
    }

    /** @return the erosion by a 21 x 21 square (10 steps of the 3x3 square) */
    @Benchmark
    public BinaryMask erodeSquare10() {
        return Morphology.erode(mask, StructuringElement.square(10));
    }

    /** @return the surface used by the metrics */
    @Benchmark
    public BinaryMask surface() {
        return Morphology.surface(mask);
    }
}
