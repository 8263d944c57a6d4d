package org.iclsam.benchmarks.icl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.iclsam.benchmarks.confidence.SupportSizeBenchmark;
import org.iclsam.benchmarks.confidence.SyntheticSupport;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.IclModel;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSupport;
import org.iclsam.core.Image;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.icl.IclModels;
import org.iclsam.morphology.BinaryMask;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The training-free default in-context model's own cost on SAM-shaped inputs (256 x 64 x 64 features of 1024 x
 * 1024 grey images, seeded): {@code prepare} for m support examples (intensity descriptors, per-example second
 * moments, the fit and the m leave-one-out fits) and {@code predict} for one query. The budget for
 * {@code predict} at m = 16 is 20% of one encoder pass.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TrainingFreeBenchmark}.
 */
public class TrainingFreeBenchmark extends SupportSizeBenchmark {
    private IclModel model;
    private IclSupport support;
    private IclPredictor predictor;
    private IclQuery query;

    /** Generates the support and a query (seeded) and prepares once for {@link #predict()}. */
    @Setup(Level.Trial)
    public void setup() {
        SyntheticSupport s = new SyntheticSupport(m + 1, 42);
        SplittableRandom rnd = new SplittableRandom(7);
        List<SupportExample> examples = new ArrayList<>();
        for (int k = 0; k < m; k++) {
            BinaryMask grid = s.labels.get(k);
            examples.add(new SupportExample("s" + k, image(grid, rnd), upsample(grid)));
        }
        support = new IclSupport(SupportSet.of(examples), s.features.subList(0, m), s.labels.subList(0, m));
        FeatureMap qf = s.features.get(m);
        query = new IclQuery(image(s.labels.get(m), rnd), qf, null, 0);
        model = IclModels.trainingFree();
        predictor = model.prepare(support);
    }

    /** Closes the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /** @return the prepared predictor (returned so the work is not eliminated) */
    @Benchmark
    public IclPredictor prepare() {
        return model.prepare(support);
    }

    /** @return the query's probability map */
    @Benchmark
    public FloatMap predict() {
        return predictor.predict(query);
    }

    /** A 1024 x 1024 grey image, brighter where the grid label is set, with noise. */
    private static Image image(BinaryMask grid, SplittableRandom rnd) {
        int side = 1024;
        int cell = side / grid.width();
        float[] px = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                px[y * side + x] = (grid.get(y / cell, x / cell) ? 140f : 60f) + (float) (rnd.nextDouble() * 40);
            }
        }
        return Image.grey(side, side, px);
    }

    /** The grid label at 1024 x 1024 (nearest). */
    private static BinaryMask upsample(BinaryMask grid) {
        int side = 1024;
        int cell = side / grid.width();
        byte[] px = new byte[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                px[y * side + x] = grid.get(y / cell, x / cell) ? (byte) 1 : 0;
            }
        }
        return BinaryMask.of(side, side, px);
    }
}
