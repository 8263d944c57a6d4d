package org.iclsam.core.confidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.iclsam.core.ConfidenceTrainer;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.confidence.Problems.Problem;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogisticRegressionTrainerTest {
    /** Tight, yet above the float iterates' noise floor (about 1e-7). */
    private static final double TIGHT_TOL = 1e-6;
    private static final int MANY_EPOCHS = 20_000;

    /** SAGA, as most of these tests check the solver the reference implementation uses. */
    private static LogisticRegressionTrainer tight(double c, ClassWeight cw) {
        return tight(c, cw, Solver.SAGA);
    }

    private static LogisticRegressionTrainer tight(double c, ClassWeight cw, Solver solver) {
        return LogisticRegressionTrainer.builder().c(c).classWeight(cw).tolerance(TIGHT_TOL)
                .maxEpochs(MANY_EPOCHS).solver(solver).build();
    }

    @ParameterizedTest(name = "seed {0}: m={1} d={2} C={3} {4} {5}")
    @CsvSource({
        "1, 1, 3, 1.0, NONE, SAGA",
        "2, 2, 6, 1.0, NONE, SAGA",
        "3, 3, 10, 0.1, NONE, SAGA",
        "4, 1, 12, 10.0, NONE, SAGA",
        "5, 2, 5, 1.0, BALANCED, SAGA",
        "6, 3, 9, 0.05, BALANCED, SAGA",
        "7, 1, 16, 3.0, BALANCED, SAGA",
        "8, 2, 200, 1.0, BALANCED, SAGA",
        "1, 1, 3, 1.0, NONE, NEWTON",
        "3, 3, 10, 0.1, NONE, NEWTON",
        "4, 1, 12, 10.0, NONE, NEWTON",
        "6, 3, 9, 0.05, BALANCED, NEWTON",
        "7, 1, 16, 3.0, BALANCED, NEWTON",
        "8, 2, 200, 1.0, BALANCED, NEWTON",
    })
    void objectiveMatchesNewtonToOneInAMillion(long seed, int m, int d, double c, ClassWeight cw, Solver solver) {
        Problem pr = Problems.make(new Random(seed), m, d, 12, 10, 0.2, 1.5);
        LogisticRegressionModel model = tight(c, cw, solver).fit(pr.features(), pr.labels());
        double[] weights = cw == ClassWeight.BALANCED ? Problems.balanced(pr.y()) : Problems.ones(pr.y().length);
        NewtonReference.Solution ref = NewtonReference.solve(pr.x(), pr.y(), weights, Problems.ones(d), c);
        double ours = Problems.objective(pr, weights, c, model);
        assertTrue(model.diagnostics().converged(), model.toString());
        assertEquals(ref.objective(), ours, 1e-6 * ref.objective(),
                solver + " objective " + ours + " vs the reference Newton " + ref.objective());
        assertTrue(ours >= ref.objective() * (1 - 1e-12), "Newton must be the minimum");
        // the coefficients themselves agree closely too (the problem is strongly convex)
        double scale = Arrays.stream(ref.w()).map(Math::abs).max().orElse(1);
        double[] w = model.weights();
        for (int j = 0; j < d; j++) {
            assertEquals(ref.w()[j], w[j], 2e-3 * scale, "weight " + j);
        }
    }

    @Test
    void balancedWeightsAreNOverTwoNk() {
        // balanced = explicit per-sample weights n/(2 n_k) in the reference; none = all ones. The two optima
        // differ, and each fit matches its own reference, not the other one.
        Problem pr = Problems.make(new Random(11), 2, 4, 10, 10, 0.1, 1.0);
        double[] bal = Problems.balanced(pr.y());
        double[] one = Problems.ones(pr.y().length);
        LogisticRegressionModel mb = tight(1, ClassWeight.BALANCED).fit(pr.features(), pr.labels());
        LogisticRegressionModel mn = tight(1, ClassWeight.NONE).fit(pr.features(), pr.labels());
        double refB = NewtonReference.solve(pr.x(), pr.y(), bal, Problems.ones(4), 1).objective();
        double refN = NewtonReference.solve(pr.x(), pr.y(), one, Problems.ones(4), 1).objective();
        assertEquals(refB, Problems.objective(pr, bal, 1, mb), 1e-6 * refB);
        assertEquals(refN, Problems.objective(pr, one, 1, mn), 1e-6 * refN);
        assertTrue(Problems.objective(pr, bal, 1, mn) > refB * (1 + 1e-4), "unweighted model must not solve the"
                + " balanced problem");
        // balancing a 10% minority raises the predicted foreground probability overall
        assertTrue(meanProbability(mb, pr) > meanProbability(mn, pr) + 0.1);
    }

    private static double meanProbability(LogisticRegressionModel model, Problem pr) {
        double s = 0;
        int n = 0;
        for (FeatureMap f : pr.features()) {
            FloatMap c = model.apply(f);
            for (int i = 0; i < c.size(); i++) {
                s += c.get(i);
                n++;
            }
        }
        return s / n;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"NONE, SAGA", "BALANCED, SAGA", "NONE, NEWTON", "BALANCED, NEWTON"})
    void interceptAloneIsTheWeightedLogOdds(ClassWeight cw, Solver solver) {
        // every channel constant: weights must be exactly 0 and the unpenalised intercept the (weighted) log-odds
        int h = 8;
        int w = 8;
        float[] data = new float[3 * h * w];
        Arrays.fill(data, 0, h * w, 5f);
        Arrays.fill(data, h * w, 2 * h * w, -3f);
        Arrays.fill(data, 2 * h * w, 3 * h * w, 0.25f);
        byte[] lab = new byte[h * w];
        for (int i = 0; i < 13; i++) {
            lab[i * 4] = 1;
        }
        FeatureMap f = new FeatureMap(3, h, w, data, Problems.gridGeometry(h, w));
        LogisticRegressionModel model = tight(1, cw, solver).fit(List.of(f), List.of(BinaryMask.of(h, w, lab)));
        assertArrayEquals(new double[3], model.weights());
        assertEquals(3, model.diagnostics().zeroVarianceChannels());
        double expected = cw == ClassWeight.NONE ? Math.log(13.0 / 51.0) : 0;
        assertEquals(expected, model.intercept(), 1e-6);
    }

    @Test
    void interceptOfOffsetFeaturesMatchesNewton() {
        // channels far from zero: the intercept absorbs the offsets when the model returns to raw features
        Problem pr = Problems.make(new Random(21), 2, 3, 10, 10, 0.3, 2.0);
        List<FeatureMap> shifted = new ArrayList<>();
        double[][] x = new double[pr.x().length][];
        for (int i = 0; i < x.length; i++) {
            x[i] = pr.x()[i].clone();
        }
        for (int k = 0; k < pr.features().size(); k++) {
            FeatureMap f = pr.features().get(k);
            float[] d = f.data().clone();
            for (int j = 0; j < 3; j++) {
                for (int q = 0; q < f.pixels(); q++) {
                    d[j * f.pixels() + q] += 300f;
                }
            }
            shifted.add(new FeatureMap(3, f.height(), f.width(), d, f.geometry()));
        }
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = (float) (x[i][j] + 300f);
            }
        }
        Problem sp = new Problem(shifted, pr.labels(), x, pr.y());
        LogisticRegressionModel model = tight(1, ClassWeight.NONE).fit(sp.features(), sp.labels());
        NewtonReference.Solution ref = NewtonReference.solve(x, pr.y(), Problems.ones(x.length), Problems.ones(3), 1);
        assertEquals(ref.b(), model.intercept(), 1e-3 * Math.abs(ref.b()) + 1e-3);
        assertEquals(ref.objective(), Problems.objective(sp, Problems.ones(x.length), 1, model), 1e-6 * ref.objective());
    }

    @Test
    void sampleWeightsInTheSolverMatchNewton() {
        // arbitrary per-sample weights and per-coordinate penalties, straight into SAGA
        int n = 300;
        int d = 4;
        Problems.Weighted p = Problems.weighted(5, n, d, 0, 1.5);
        float[] xf = p.xf();
        double[][] x = p.x();
        byte[] y = p.y();
        float[] c = p.c();
        double[] cd = p.cd();
        double[] penalty = {0.5, 2, 10, 0.1};
        Solution r = SagaSolver.solve(xf, n, d, y, c, Double.NaN, penalty, Problems.ones(d), 0, 1e-10, 50_000, 3);
        NewtonReference.Solution ref = NewtonReference.solve(x, y, cd, penalty, 1);
        double[] theta = new double[d + 1];
        for (int j = 0; j < d; j++) {
            theta[j] = r.w()[j];
        }
        theta[d] = r.b();
        double ours = NewtonReference.objective(x, y, cd, penalty, 1, theta);
        assertEquals(ref.objective(), ours, 1e-6 * ref.objective());
    }

    @Test
    void singleClassGivesTheDocumentedDegenerateModel() {
        Problem pr = Problems.make(new Random(3), 2, 5, 8, 8, 0.3, 1);
        for (BinaryMask fill : List.of(BinaryMask.empty(8, 8), BinaryMask.full(8, 8))) {
            LogisticRegressionModel model = LogisticRegressionTrainer.defaults()
                    .fit(pr.features(), List.of(fill, fill));
            assertTrue(model.isDegenerate());
            assertTrue(model.diagnostics().degenerate());
            assertEquals(0, model.diagnostics().epochs());
            assertArrayEquals(new double[5], model.weights());
            assertEquals(0, model.intercept());
            FloatMap conf = model.apply(pr.features().get(0));
            for (int i = 0; i < conf.size(); i++) {
                assertEquals(0.5f, conf.get(i));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SAGA", "NEWTON"})
    void zeroVarianceChannelGetsWeightZeroAndTheRestMatchesNewton(Solver solver) {
        Problem pr = Problems.make(new Random(8), 2, 4, 10, 10, 0.25, 1.5);
        List<FeatureMap> withConst = new ArrayList<>();
        for (FeatureMap f : pr.features()) {
            int p = f.pixels();
            float[] d = Arrays.copyOf(f.data(), 5 * p);
            Arrays.fill(d, 4 * p, 5 * p, 7.5f);
            withConst.add(new FeatureMap(5, f.height(), f.width(), d, f.geometry()));
        }
        LogisticRegressionModel model = tight(1, ClassWeight.NONE, solver).fit(withConst, pr.labels());
        assertEquals(0.0, model.weights()[4]);
        assertEquals(1, model.diagnostics().zeroVarianceChannels());
        NewtonReference.Solution ref = NewtonReference.solve(pr.x(), pr.y(), Problems.ones(pr.y().length),
                Problems.ones(4), 1);
        double[] theta = Arrays.copyOf(model.weights(), 5);
        theta[4] = model.intercept() + 7.5 * model.weights()[4];
        double ours = NewtonReference.objective(pr.x(), pr.y(), Problems.ones(pr.y().length), Problems.ones(4), 1,
                theta);
        assertEquals(ref.objective(), ours, 1e-6 * ref.objective());
    }

    @Test
    void nonFiniteFeaturesAreRejectedWithTheirPlace() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Problem pr = Problems.make(new Random(4), 2, 3, 6, 6, 0.3, 1);
            pr.features().get(1).data()[2 * 36 + 7] = bad;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LogisticRegressionTrainer.defaults().fit(pr.features(), pr.labels()));
            assertTrue(e.getMessage().contains("feature map 1") && e.getMessage().contains("channel 2")
                    && e.getMessage().contains("pixel 7"), e.getMessage());
        }
    }

    @Test
    void mismatchedInputsAreRejected() {
        Problem pr = Problems.make(new Random(4), 2, 3, 6, 6, 0.3, 1);
        LogisticRegressionTrainer t = LogisticRegressionTrainer.defaults();
        assertThrows(IllegalArgumentException.class, () -> t.fit(pr.features(), pr.labels().subList(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> t.fit(List.of(), List.of()));
        List<BinaryMask> wrongSize = List.of(pr.labels().get(0), BinaryMask.empty(6, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(pr.features(), wrongSize));
        assertTrue(e.getMessage().contains("grid label 1"), e.getMessage());
        Problem other = Problems.make(new Random(4), 1, 4, 6, 6, 0.3, 1);
        List<FeatureMap> mixed = List.of(pr.features().get(0), other.features().get(0));
        assertThrows(IllegalArgumentException.class, () -> t.fit(mixed, pr.labels()));
        LogisticRegressionModel model = t.fit(pr.features(), pr.labels());
        assertThrows(IllegalArgumentException.class, () -> model.apply(other.features().get(0)));
    }

    @Test
    void builderRejectsBadSettings() {
        LogisticRegressionTrainer.Builder b = LogisticRegressionTrainer.builder();
        for (double c : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> b.c(c));
        }
        assertThrows(IllegalArgumentException.class, () -> b.tolerance(-1e-4));
        assertThrows(IllegalArgumentException.class, () -> b.tolerance(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> b.maxEpochs(0));
        assertThrows(IllegalArgumentException.class, () -> b.subsample(-1));
        assertThrows(IllegalArgumentException.class, () -> b.trainFraction(0));
        assertThrows(IllegalArgumentException.class, () -> b.trainFraction(1.01));
        assertThrows(NullPointerException.class, () -> b.classWeight(null));
        assertThrows(NullPointerException.class, () -> b.solver(null));
    }

    @Test
    void defaultsAndPaperAreTheDocumentedConfigurations() {
        LogisticRegressionTrainer r = LogisticRegressionTrainer.defaults();
        assertEquals(1.0, r.c());
        assertEquals(ClassWeight.BALANCED, r.classWeight());
        assertEquals(100, r.maxEpochs());
        assertEquals(1e-4, r.tolerance());
        assertEquals(0, r.subsample());
        assertEquals(1.0, r.trainFraction());
        assertEquals(Solver.NEWTON, r.solver());
        LogisticRegressionTrainer s = LogisticRegressionTrainer.paper();
        assertEquals(30_000, s.subsample());
        assertEquals(0.8, s.trainFraction());
        assertEquals(Solver.SAGA, s.solver());
        assertEquals(r.toString(), r.toBuilder().build().toString());
    }

    @Test
    void subsampleAndTrainFractionFollowTrainTestSplit() {
        Problem pr = Problems.make(new Random(9), 3, 4, 20, 20, 0.3, 1.5);   // 1200 pixels
        LogisticRegressionModel a = LogisticRegressionTrainer.builder().subsample(1000).trainFraction(0.8).build()
                .fit(pr.features(), pr.labels());
        assertEquals(800, a.diagnostics().samples());        // 1000 - ceil(0.2 * 1000)
        LogisticRegressionModel b = LogisticRegressionTrainer.builder().subsample(5000).trainFraction(0.75).build()
                .fit(pr.features(), pr.labels());
        assertEquals(900, b.diagnostics().samples());        // all 1200, test part ceil(300)
        LogisticRegressionModel c = LogisticRegressionTrainer.builder().subsample(333).trainFraction(0.8).build()
                .fit(pr.features(), pr.labels());
        assertEquals(333 - 67, c.diagnostics().samples());   // test part ceil(66.6) = 67
        // the subsample really is a subset: the positives counted lie between 0 and the total
        assertTrue(a.diagnostics().positives() > 0 && a.diagnostics().positives() < pr.positives());
    }

    @Test
    void sameSeedSameModelOtherSeedSameOptimum() {
        Problem pr = Problems.make(new Random(12), 2, 6, 10, 10, 0.3, 1.5);
        ConfidenceTrainer t1 = LogisticRegressionTrainer.builder().seed(1).solver(Solver.SAGA).build();
        LogisticRegressionModel a = (LogisticRegressionModel) t1.fit(pr.features(), pr.labels());
        LogisticRegressionModel b = (LogisticRegressionModel) t1.fit(pr.features(), pr.labels());
        assertArrayEquals(a.weights(), b.weights());
        assertEquals(a.intercept(), b.intercept());
        LogisticRegressionTrainer tightA = tight(1, ClassWeight.BALANCED).toBuilder().seed(1).build();
        LogisticRegressionTrainer tightB = tightA.toBuilder().seed(2).build();
        LogisticRegressionModel ta = tightA.fit(pr.features(), pr.labels());
        LogisticRegressionModel tb = tightB.fit(pr.features(), pr.labels());
        assertFalse(Arrays.equals(ta.weights(), tb.weights()), "different seeds visit pixels in another order");
        double[] bal = Problems.balanced(pr.y());
        double oa = Problems.objective(pr, bal, 1, ta);
        assertEquals(oa, Problems.objective(pr, bal, 1, tb), 1e-7 * oa);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SAGA", "NEWTON"})
    void epochLimitIsReportedAsNotConverged(Solver solver) {
        Problem pr = Problems.make(new Random(13), 1, 6, 10, 10, 0.3, 1.5);
        LogisticRegressionModel m = LogisticRegressionTrainer.builder().tolerance(0).maxEpochs(2)
                .solver(solver).build().fit(pr.features(), pr.labels());
        assertFalse(m.diagnostics().converged());
        assertEquals(2, m.diagnostics().epochs());
        assertTrue(m.diagnostics().relativeChange() > 0);
        assertNotEquals(0.0, m.weights()[0]);
    }

    /** Enough 64 x 64 maps that the standardisation statistics read only every other chunk of pixels. */
    private static Problem sampledStatisticsProblem(Random rnd, int d) {
        int maps = 2 * StandardisedRows.STATS_SAMPLE / 4096;
        return Problems.make(rnd, maps, d, 64, 64, 0.3, 1.5);
    }

    @Test
    void channelConstantOnlyWhereTheStatisticsLookIsStillFitted() {
        Problem pr = sampledStatisticsProblem(new Random(31), 2);
        int chunk = RowLayout.CHUNK;
        List<FeatureMap> maps = new ArrayList<>();
        double[][] x = new double[pr.x().length][];
        Random rnd = new Random(32);
        for (int k = 0; k < pr.features().size(); k++) {
            FeatureMap f = pr.features().get(k);
            int p = f.pixels();
            float[] d = Arrays.copyOf(f.data(), 3 * p);
            for (int q = 0; q < p; q++) {
                boolean unsampled = (q / chunk) % 2 == 1;    // odd chunks are skipped by the statistics
                float v = 2f;
                if (unsampled && q < 4 * chunk) {
                    v += (float) (1.5 * (pr.labels().get(k).get(q) ? 1 : 0) + 0.5 * rnd.nextGaussian());
                }
                d[2 * p + q] = v;
                x[k * p + q] = new double[] {pr.x()[k * p + q][0], pr.x()[k * p + q][1], v};
            }
            maps.add(new FeatureMap(3, f.height(), f.width(), d, f.geometry()));
        }
        LogisticRegressionModel model = tight(1, ClassWeight.NONE).fit(maps, pr.labels());
        assertEquals(0, model.diagnostics().zeroVarianceChannels());
        assertTrue(Math.abs(model.weights()[2]) > 0.1, "the informative channel must be used: " + model);
        double[] one = Problems.ones(x.length);
        NewtonReference.Solution ref = NewtonReference.solve(x, pr.y(), one, Problems.ones(3), 1);
        double[] theta = Arrays.copyOf(model.weights(), 4);
        theta[3] = model.intercept();
        double ours = NewtonReference.objective(x, pr.y(), one, Problems.ones(3), 1, theta);
        assertEquals(ref.objective(), ours, 1e-6 * ref.objective());
    }

    @Test
    void nonFiniteFeatureOutsideTheStatisticsSampleIsRejected() {
        Problem pr = sampledStatisticsProblem(new Random(33), 2);
        int q = RowLayout.CHUNK + 5;                 // in chunk 1, which the statistics skip
        pr.features().get(3).data()[4096 + q] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogisticRegressionTrainer.defaults().fit(pr.features(), pr.labels()));
        assertTrue(e.getMessage().contains("feature map 3") && e.getMessage().contains("channel 1")
                && e.getMessage().contains("pixel " + q), e.getMessage());
    }
}
