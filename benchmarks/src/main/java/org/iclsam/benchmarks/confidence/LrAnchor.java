package org.iclsam.benchmarks.confidence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.iclsam.benchmarks.npy.Npy;
import org.iclsam.benchmarks.npy.NpyArray;
import org.iclsam.benchmarks.npy.NpyDType;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.confidence.ClassWeight;
import org.iclsam.core.confidence.LogisticRegressionModel;
import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.confidence.Solver;
import org.iclsam.morphology.BinaryMask;

/**
 * Side-by-side harness against scikit-learn's SAGA ({@code shared/bench/sklearn_saga.py}): reads
 * {@code DIR/X_m{m}.npy} (float32, n x 256) and {@code DIR/y_m{m}.npy} (uint8), lays each block of 4096 rows
 * out as one 256 x 64 x 64 support feature map (untimed), fits with C = 1, no class weights, tol 1e-4, at most
 * 100 epochs through the public {@link LogisticRegressionTrainer#fit} (timed: standardisation, the working
 * copy and SAGA), and prints one JSON line per m:
 * {@code {"m", "n", "seconds", "epochs", "objective", "converged", "cpu_seconds", "cold_seconds",
 * "relative_change", "floor_pass_seconds", "seconds_over_floor_pass"}}: the last two are the memory-bandwidth
 * floor of one pass over the features measured in the same JVM ({@link #floorPassSeconds}) and the fit's time in
 * units of it, which compares across machines as raw seconds do not. {@code seconds} is the fastest wall time of the {@value #REPEATS} fits in this JVM after
 * the first (which includes JIT compilation and is reported as {@code cold_seconds}), each started after an
 * untimed {@code System.gc()} so that none pays for collecting the previous one's working copy; {@code cpu_seconds} the
 * fastest CPU time of the fitting thread, which a loaded machine inflates less; the objective is scikit-learn's
 * {@code sum c_i log(1 + exp(-y z)) + 0.5 ||w||^2}, computed here in double precision from the raw features
 * ({@code c_i = 1} without class weights).
 *
 * <p>Usage: {@code LrAnchor DIR m [m ...]}. {@code -Dlr.classWeight=balanced} fits with the reference's balanced
 * class weights instead (the confidence model's default), and weights the objective the same way;
 * {@code -Dlr.solver=newton} fits with {@link Solver#NEWTON} instead of SAGA.
 */
public final class LrAnchor {
    /** Fits per m; the first is the cold one. */
    static final int REPEATS = 4;
    /** Timed sums of {@link #floorPassSeconds}. */
    static final int FLOOR_REPEATS = 7;
    /** Pieces of {@link #floorPassSeconds}' sum. */
    static final int FLOOR_PARTS = 16;
    /** CPU time of the fitting thread: the fit is single-threaded, and the machine is shared. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory
            .getThreadMXBean();
    /** Grid side of one SAM feature map. */
    static final int GRID = FrameGeometry.SAM_GRID;

    private LrAnchor() {
    }

    /**
     * @param args {@code DIR m [m ...]}
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LrAnchor DIR m [m ...]   (files DIR/X_m{m}.npy, DIR/y_m{m}.npy)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        ClassWeight classWeight = ClassWeight.valueOf(
                System.getProperty("lr.classWeight", "none").toUpperCase(Locale.ROOT));
        Solver solver = Solver.valueOf(System.getProperty("lr.solver", "saga").toUpperCase(Locale.ROOT));
        LogisticRegressionTrainer trainer = LogisticRegressionTrainer.builder()
                .c(1.0).classWeight(classWeight).tolerance(1e-4).maxEpochs(100).solver(solver).build();
        for (int a = 1; a < args.length; a++) {
            int m = Integer.parseInt(args[a]);
            NpyArray xa = Npy.read(dir.resolve("X_m" + m + ".npy"));
            NpyArray ya = Npy.read(dir.resolve("y_m" + m + ".npy"));
            int[] xs = xa.shape();
            if (xa.dtype() != NpyDType.FLOAT32 || xs.length != 2 || ya.shape().length != 1
                    || ya.shape()[0] != xs[0] || xs[0] % (GRID * GRID) != 0) {
                throw new IllegalArgumentException("expected X float32 n x d and y of n, n a multiple of "
                        + GRID * GRID + "; got " + xa + " and " + ya);
            }
            int n = xs[0];
            int d = xs[1];
            float[] x = xa.toFloatArray();
            byte[] y = ya.toByteArray();
            List<FeatureMap> features = new ArrayList<>();
            List<BinaryMask> labels = new ArrayList<>();
            int p = GRID * GRID;
            FrameGeometry g = FrameGeometry.longestSide(FrameGeometry.SAM_FRAME, FrameGeometry.SAM_FRAME,
                    FrameGeometry.SAM_FRAME, GRID);
            for (int k = 0; k < n / p; k++) {
                float[] f = new float[d * p];
                byte[] l = new byte[p];
                for (int q = 0; q < p; q++) {
                    int row = (k * p + q) * d;
                    for (int j = 0; j < d; j++) {
                        f[j * p + q] = x[row + j];
                    }
                    l[q] = y[k * p + q];
                }
                features.add(new FeatureMap(d, GRID, GRID, f, g));
                labels.add(BinaryMask.of(GRID, GRID, l));
            }
            double best = Double.POSITIVE_INFINITY;
            double bestCpu = Double.POSITIVE_INFINITY;
            double cold = 0;
            LogisticRegressionModel model = null;
            for (int r = 0; r < REPEATS; r++) {
                // untimed: collect the previous fit's working copy now, so that no fit pays for moving the
                // garbage of the one before it (at m = 64 a young collection copying 268 MB takes 0.3-0.5 s)
                model = null;
                System.gc();
                long c0 = CPU.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                model = trainer.fit(features, labels);
                double s = (System.nanoTime() - t0) * 1e-9;
                double cpu = (CPU.getCurrentThreadCpuTime() - c0) * 1e-9;
                if (r == 0) {
                    cold = s;
                } else {
                    best = Math.min(best, s);
                    bestCpu = Math.min(bestCpu, cpu);
                }
            }
            double objective = objective(x, y, n, d, model.weights(), model.intercept(), classWeight);
            double floor = floorPassSeconds(x);
            System.out.println(String.format(Locale.ROOT,
                    "{\"m\": %d, \"n\": %d, \"seconds\": %.4f, \"epochs\": %d, \"objective\": %.10g, \"converged\": %b,"
                            + " \"cpu_seconds\": %.4f, \"cold_seconds\": %.4f, \"relative_change\": %.3g,"
                            + " \"floor_pass_seconds\": %.4f, \"seconds_over_floor_pass\": %.1f}",
                    m, n, best, model.diagnostics().epochs(), objective, model.diagnostics().converged(), bestCpu,
                    cold, model.diagnostics().relativeChange(), floor, best / floor));
            System.out.flush();
        }
    }

    /**
     * The memory-bandwidth floor of one pass over the features on this machine, measured in the same JVM: the
     * fastest of {@value #FLOOR_REPEATS} parallel sums over all {@code n x d} floats (the least work any pass over
     * them must do: read each once), in {@link #FLOOR_PARTS} pieces on the common fork-join pool like the solvers'
     * passes, eight float accumulators per piece so that the loop vectorises.
     */
    static double floorPassSeconds(float[] x) {
        double best = Double.POSITIVE_INFINITY;
        double keep = 0;
        for (int r = 0; r < FLOOR_REPEATS; r++) {
            long t0 = System.nanoTime();
            keep += java.util.stream.IntStream.range(0, FLOOR_PARTS).parallel().mapToDouble(k -> {
                int from = (int) ((long) x.length * k / FLOOR_PARTS);
                int to = (int) ((long) x.length * (k + 1) / FLOOR_PARTS);
                float[] acc = new float[8];
                int i = from;
                for (; i + 8 <= to; i += 8) {
                    for (int j = 0; j < 8; j++) {
                        acc[j] += x[i + j];
                    }
                }
                double s = 0;
                for (; i < to; i++) {
                    s += x[i];
                }
                for (float v : acc) {
                    s += v;
                }
                return s;
            }).sum();
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        if (Double.isNaN(keep)) {
            System.err.println("(the features hold NaN)");
        }
        return best;
    }

    /** scikit-learn's objective with C = 1 and the given class weights, in double precision. */
    static double objective(float[] x, byte[] y, int n, int d, double[] w, double b, ClassWeight classWeight) {
        int positives = 0;
        for (int i = 0; i < n; i++) {
            positives += y[i];
        }
        boolean balanced = classWeight == ClassWeight.BALANCED;
        double wPos = balanced ? n / (2.0 * positives) : 1;
        double wNeg = balanced ? n / (2.0 * (n - positives)) : 1;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double z = b;
            int off = i * d;
            for (int j = 0; j < d; j++) {
                z += w[j] * x[off + j];
            }
            double m = y[i] == 1 ? -z : z;
            sum += (y[i] == 1 ? wPos : wNeg) * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
        }
        double sq = 0;
        for (double v : w) {
            sq += v * v;
        }
        return sum + 0.5 * sq;
    }
}
