package org.iclsam.core.confidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.iclsam.core.confidence.Problems.Weighted;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NewtonSolverTest {

    /**
     * Against the independent double-precision IRLS, on problems small enough for an exact Hessian and large
     * enough that the Hessian is sampled (more rows than {@link NewtonSolver#HESSIAN_DRAWS}), with sample weights,
     * per-coordinate penalties, an imbalanced and a nearly separable case.
     */
    @ParameterizedTest(name = "seed {0}: n={1} d={2} shift={3} signal={4}")
    @CsvSource({
        "1, 300, 4, 0.0, 1.0",
        "2, 2000, 7, -2.5, 2.0",
        "3, 11000, 5, 0.3, 1.5",
        "4, 14000, 6, -0.8, 6.0",
        "5, 70000, 6, -1.2, 2.5",
    })
    void reachesTheOptimumOfTheIndependentNewton(long seed, int n, int d, double shift, double signal) {
        Weighted p = Problems.weighted(seed, n, d, shift, signal);
        double[] penalty = new double[d];
        for (int j = 0; j < d; j++) {
            penalty[j] = 0.1 + 2.0 * j;
        }
        if (n > 10_000) {
            assertTrue(n > NewtonSolver.HESSIAN_DRAWS, "the Hessian is sampled");
        }
        Solution s = NewtonSolver.solve(p.xf(), n, d, p.y(), p.c(), penalty, Problems.ones(d), 0, 1e-8, 200, 5);
        assertTrue(s.converged(), s.toString());
        NewtonReference.Solution ref = NewtonReference.solve(p.x(), p.y(), p.cd(), penalty, 1);
        double[] theta = Arrays.copyOf(s.w(), d + 1);
        theta[d] = s.b();
        double ours = NewtonReference.objective(p.x(), p.y(), p.cd(), penalty, 1, theta);
        assertEquals(ref.objective(), ours, 1e-7 * ref.objective(), "objective");
        double scale = Arrays.stream(ref.w()).map(Math::abs).max().orElse(1);
        for (int j = 0; j < d; j++) {
            assertEquals(ref.w()[j], s.w()[j], 1e-3 * scale, "weight " + j);
        }
        assertEquals(ref.b(), s.b(), 1e-3 * Math.max(1, Math.abs(ref.b())), "intercept");
    }

    /**
     * With at least twice {@link NewtonSolver#WARM_START_ROWS} rows the solver starts from its fit on a
     * subsample: here that start is already better for the full objective than {@code w = 0} (so it is the one
     * used), and the solve from it reaches the independent IRLS optimum. (Whether it saves passes depends on the
     * problem: on this small, tightly solved one it does not; see benchmarks/README.md for the features it is for.)
     */
    @org.junit.jupiter.api.Test
    void theWarmStartOnASubsampleLeadsToTheSameOptimum() {
        int n = 2 * NewtonSolver.WARM_START_ROWS + 4000;
        int d = 6;
        Weighted p = Problems.weighted(21, n, d, -1.5, 2.0);
        double[] penalty = Problems.ones(d);
        Solution warm = NewtonSolver.warmStart(p.xf(), n, d, p.y(), p.c(), penalty, Problems.ones(d), 0, 200, 9);
        assertTrue(warm != null && warm.converged(), "the warm start ran to its tolerance: " + warm);
        double[] g = new double[d + 1];
        double fWarm = NewtonSolver.evaluate(p.xf(), n, d, p.y(), p.c(), penalty, warm.w(), warm.b(), g,
                new double[n]);
        assertTrue(fWarm < NewtonSolver.lossAtZero(n, p.y(), p.c(), 0), "the warm start beats w = 0");
        Solution s = NewtonSolver.solve(p.xf(), n, d, p.y(), p.c(), penalty, Problems.ones(d), 0, 1e-8, 200, 9);
        assertTrue(s.converged(), s.toString());
        Solution fromZero = NewtonSolver.solve(p.xf(), n, d, p.y(), p.c(), penalty, Problems.ones(d), 0, 1e-8, 200, 9,
                false);
        assertFalse(Arrays.equals(s.w(), fromZero.w()), "the run started from the warm start, not from zero");
        NewtonReference.Solution ref = NewtonReference.solve(p.x(), p.y(), p.cd(), penalty, 1);
        double[] theta = Arrays.copyOf(s.w(), d + 1);
        theta[d] = s.b();
        assertEquals(ref.objective(), NewtonReference.objective(p.x(), p.y(), p.cd(), penalty, 1, theta),
                1e-7 * ref.objective(), "objective");
    }

    /**
     * A subsample that misleads: the rows the warm start takes (every second one) are separated by the first
     * channel, the others carry the opposite labels, so the full problem has almost no signal. The warm start's
     * point is then worse for the full objective than {@code w = 0}; the solver must notice, start from zero and
     * still reach the independent optimum.
     */
    @org.junit.jupiter.api.Test
    void aMisleadingWarmStartIsDroppedForTheStartAtZero() {
        int n = 2 * NewtonSolver.WARM_START_ROWS;
        int d = 3;
        Random r = new Random(5);
        double[][] x = new double[n][d];
        byte[] y = new byte[n];
        float[] c = new float[n];
        float[] xf = new float[n * d];
        double[] cd = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) r.nextGaussian();
                xf[i * d + j] = (float) x[i][j];
            }
            boolean above = x[i][0] > 0;
            y[i] = (byte) ((i % 2 == 0) == above ? 1 : 0);
            c[i] = 1;
            cd[i] = 1;
        }
        double[] penalty = {1e-3, 1e-3, 1e-3};
        Solution warm = NewtonSolver.warmStart(xf, n, d, y, c, penalty, Problems.ones(d), 0, 200, 2);
        assertTrue(warm != null, "the subsample holds both classes");
        double fWarm = NewtonSolver.evaluate(xf, n, d, y, c, penalty, warm.w(), warm.b(), new double[d + 1],
                new double[n]);
        assertTrue(fWarm > NewtonSolver.lossAtZero(n, y, c, 0), "the warm start is worse than w = 0 here: " + fWarm);
        Solution s = NewtonSolver.solve(xf, n, d, y, c, penalty, Problems.ones(d), 0, 1e-8, 200, 2);
        assertTrue(s.converged(), s.toString());
        Solution fromZero = NewtonSolver.solve(xf, n, d, y, c, penalty, Problems.ones(d), 0, 1e-8, 200, 2, false);
        assertArrayEquals(fromZero.w(), s.w(), "the run is the one from zero");
        assertEquals(fromZero.iterations(), s.iterations());
        NewtonReference.Solution ref = NewtonReference.solve(x, y, cd, penalty, 1);
        double[] theta = Arrays.copyOf(s.w(), d + 1);
        theta[d] = s.b();
        assertEquals(ref.objective(), NewtonReference.objective(x, y, cd, penalty, 1, theta), 1e-7 * ref.objective(),
                "objective");
    }

    /**
     * A subsample with one class only (every positive row is one the warm start skips): there is no warm start,
     * and the run is the one from zero, bit for bit.
     */
    @org.junit.jupiter.api.Test
    void aSubsampleWithoutPositivesGivesNoWarmStart() {
        int n = 2 * NewtonSolver.WARM_START_ROWS;
        int d = 4;
        Weighted p = Problems.weighted(13, n, d, 0.0, 1.5);
        byte[] y = p.y().clone();
        for (int i = 0; i < n; i += 2) {
            y[i] = 0;   // the warm start takes rows 0, 2, 4, ...
        }
        double[] penalty = Problems.ones(d);
        assertTrue(NewtonSolver.warmStart(p.xf(), n, d, y, p.c(), penalty, Problems.ones(d), 0, 200, 4) == null,
                "no warm start from a subsample without positives");
        Solution s = NewtonSolver.solve(p.xf(), n, d, y, p.c(), penalty, Problems.ones(d), 0, 1e-8, 200, 4);
        Solution fromZero = NewtonSolver.solve(p.xf(), n, d, y, p.c(), penalty, Problems.ones(d), 0, 1e-8, 200, 4,
                false);
        assertTrue(s.converged(), s.toString());
        assertArrayEquals(fromZero.w(), s.w());
        assertEquals(fromZero.b(), s.b());
    }

    /** The objective at w = 0 without a pass equals the pass's, for either sign of the intercept. */
    @ParameterizedTest(name = "b = {0}")
    @CsvSource({"-2.5", "0", "0.7", "40"})
    void lossAtZeroIsThePassAtZero(double b) {
        int n = 3000;
        int d = 5;
        Weighted p = Problems.weighted(8, n, d, -0.5, 1.0);
        double pass = NewtonSolver.evaluate(p.xf(), n, d, p.y(), p.c(), Problems.ones(d), new double[d], b,
                new double[d + 1], new double[n]);
        assertEquals(pass, NewtonSolver.lossAtZero(n, p.y(), p.c(), b), 1e-12 * pass);
    }

    /**
     * Separable classes under a very weak penalty: the optimum has large margins, where float probabilities
     * would round to 0 and 1 and leave the Hessian singular; the curvature taken from the score keeps it regular
     * and the method goes to the reference's optimum.
     */
    @ParameterizedTest(name = "penalty {0}")
    @CsvSource({"1e-2", "1e-4", "1e-6"})
    void separableClassesUnderAWeakPenaltyStillReachTheOptimum(double p) {
        int n = 400;
        int d = 3;
        Weighted w = Problems.separable(17, n, d, 6);
        float[] xf = w.xf();
        double[][] x = w.x();
        byte[] y = w.y();
        float[] c = w.c();
        double[] cd = w.cd();
        double[] penalty = {p, p, p};
        Solution s = NewtonSolver.solve(xf, n, d, y, c, penalty, Problems.ones(d), 0, 1e-6, 200, 1);
        NewtonReference.Solution ref = NewtonReference.solve(x, y, cd, penalty, 1);
        double[] theta = Arrays.copyOf(s.w(), d + 1);
        theta[d] = s.b();
        double ours = NewtonReference.objective(x, y, cd, penalty, 1, theta);
        assertTrue(Double.isFinite(ours) && s.w()[0] > 0, s.toString());
        assertEquals(ref.objective(), ours, 1e-4 * ref.objective() + 1e-6, "objective");
    }

    @org.junit.jupiter.api.Test
    void aSingularHessianIsFactoredWithARidgeAndANonFiniteOneIsRefused() {
        // the intercept's row and column all zero: what every sampled row at a huge margin would give
        org.ejml.data.DMatrixRMaj h = new org.ejml.data.DMatrixRMaj(new double[][] {{2, 0.5, 0}, {0.5, 1, 0},
            {0, 0, 0}});
        org.ejml.interfaces.linsol.LinearSolverDense<org.ejml.data.DMatrixRMaj> chol =
                org.ejml.dense.row.factory.LinearSolverFactory_DDRM.symmPosDef(3);
        NewtonSolver.factor(chol, h, 0);
        org.ejml.data.DMatrixRMaj g = new org.ejml.data.DMatrixRMaj(new double[][] {{1}, {-1}, {0}});
        org.ejml.data.DMatrixRMaj step = new org.ejml.data.DMatrixRMaj(3, 1);
        chol.solve(g, step);
        double slope = g.get(0) * step.get(0) + g.get(1) * step.get(1) + g.get(2) * step.get(2);
        assertTrue(slope > 0 && Double.isFinite(step.get(2)), "a finite descent direction: " + step);
        assertEquals(0, h.get(2, 2), "the caller's matrix is left as it was");
        h.set(1, 1, Double.NaN);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> NewtonSolver.factor(chol, h, 4));
        assertTrue(e.getMessage().contains("iteration 4"), e.getMessage());
    }

    /**
     * The curvature-proportional sample against its definition: the weights add up to the total curvature, each
     * row's weight is within one spacing ({@code K / draws}) of its own curvature (so a row of large curvature is
     * always in and one of zero curvature never), the rows are increasing, and the draw is fixed by the seed.
     */
    @ParameterizedTest(name = "n={0}, draws={1}")
    @CsvSource({"20000, 8192", "20000, 100", "5000, 4999", "3000, 3000", "300, 8192"})
    void curvatureSampleStandsForTheTotalCurvature(int n, int draws) {
        Random r = new Random(n + draws);
        double[] curvature = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            // mostly tiny (well-classified rows), some large, some exactly zero
            double u = r.nextDouble();
            curvature[i] = u < 0.1 ? 0 : u < 0.95 ? 1e-4 * r.nextDouble() : 0.25 * r.nextDouble();
            total += curvature[i];
        }
        NewtonSolver.HessianSample sample = NewtonSolver.HessianSample.draw(curvature, n, draws, 7);
        int[] rows = sample.rows();
        double[] w = sample.weights();
        double spacing = total / draws;
        double sum = 0;
        for (int k = 0; k < rows.length; k++) {
            if (k > 0) {
                assertTrue(rows[k] > rows[k - 1], "increasing, hence without repeats");
            }
            assertTrue(curvature[rows[k]] > 0, "a row without curvature is never drawn");
            sum += w[k];
            if (n > draws) {
                assertEquals(curvature[rows[k]], w[k], spacing * (1 + 1e-9), "row " + rows[k]);
            } else {
                assertEquals(curvature[rows[k]], w[k], "exact below the draw count");
            }
        }
        assertEquals(total, sum, 1e-9 * total, "the weights add up to the total curvature");
        assertTrue(rows.length <= Math.min(n, draws));
        int inSample = 0;
        for (int i = 0, k = 0; i < n; i++) {
            while (k < rows.length && rows[k] < i) {
                k++;
            }
            boolean in = k < rows.length && rows[k] == i;
            if (curvature[i] >= spacing) {
                assertTrue(in, "row " + i + " of curvature " + curvature[i] + " above the spacing " + spacing);
            }
            inSample += in ? 1 : 0;
        }
        assertEquals(rows.length, inSample);
        assertArrayEquals(rows, NewtonSolver.HessianSample.draw(curvature, n, draws, 7).rows(), "same seed");
        if (n > draws) {
            assertFalse(Arrays.equals(rows, NewtonSolver.HessianSample.draw(curvature, n, draws, 8).rows()),
                    "another seed, another sample");
        } else {
            assertEquals(n, rows.length + (int) Arrays.stream(curvature).filter(v -> v == 0).count(),
                    "every row with curvature, when there are no more rows than draws");
        }
    }

    @org.junit.jupiter.api.Test
    void aSampleWithoutCurvatureIsEmpty() {
        NewtonSolver.HessianSample sample = NewtonSolver.HessianSample.draw(new double[20_000], 20_000, 100, 1);
        assertEquals(0, sample.rows().length);
    }

    /** The pieces are fixed by the size and summed in order: one thread or four give the same bits. */
    @ParameterizedTest(name = "n={0}")
    @CsvSource({"20000", "70000"})
    void resultDoesNotDependOnTheNumberOfThreads(int n) throws Exception {
        int d = 9;
        Weighted p = Problems.weighted(11, n, d, -1.0, 2.0);
        double[] penalty = Problems.ones(d);
        java.util.concurrent.Callable<Solution> run = () -> NewtonSolver.solve(p.xf(), n, d, p.y(), p.c(), penalty,
                Problems.ones(d), 0, 1e-6, 50, 3);
        java.util.concurrent.ForkJoinPool one = new java.util.concurrent.ForkJoinPool(1);
        java.util.concurrent.ForkJoinPool four = new java.util.concurrent.ForkJoinPool(4);
        try {
            Solution a = one.submit(run).get();
            Solution b = four.submit(run).get();
            assertArrayEquals(a.w(), b.w());
            assertEquals(a.b(), b.b());
            assertEquals(a.iterations(), b.iterations());
        } finally {
            one.shutdown();
            four.shutdown();
        }
    }
}
