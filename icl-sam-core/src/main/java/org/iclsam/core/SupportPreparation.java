package org.iclsam.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.iclsam.morphology.BinaryMask;

/**
 * A pipeline's once-per-support-set work (docs/METHOD.md steps 1 and 2 on the support, and the in-context model's
 * preparation), behind {@link IclSam#prepare} and {@link IclSam#loadPrepared}: encodes the support images, maps
 * their labels to the feature grid, fits the confidence model on a thread of its own while the in-context model is
 * prepared (and, for the calibrated variant, calibrated by leaving examples out), and binds a support read from a
 * file to its pipeline. What is not needed now is computed on first use ({@link Lazy}).
 *
 * <p>Cost: one encoder pass per support image unless the features are given, one confidence fit, one in-context
 * preparation, and for the calibrated variant the leave-one-out folds ({@link Calibrator}). A failure of either fit
 * is rethrown as it is, after both have ended; no thread outlives {@link #prepare}. Immutable and thread-safe, as
 * the models it holds must be.
 */
final class SupportPreparation {
    private final FeatureExtractor featureExtractor;
    private final IclModel iclModel;
    private final PromptableSegmenter segmenter;
    private final ConfidenceTrainer confidenceTrainer;
    private final Hyperparameters hyperparameters;
    private final CalibrationOptions calibration;
    private final boolean calibrateNow;
    private final boolean fitConfidenceNow;
    private final ProgressListener listener;

    /**
     * @param featureExtractor encodes the support images
     * @param iclModel prepares the support
     * @param segmenter the promptable segmenter, or null (for the calibration's recipes)
     * @param confidenceTrainer fits the confidence model, or null when the pipeline has none
     * @param hyperparameters the pipeline's hyperparameters
     * @param calibration the calibrated variant's options
     * @param calibrateNow whether {@link #prepare} calibrates (the pipeline's default variant is calibrated) rather
     *     than on first use
     * @param fitConfidenceNow whether {@link #prepare} fits the confidence model (the default variant uses it)
     *     rather than on first use; false when there is no trainer
     * @param listener receives the progress of the support's encoding
     */
    SupportPreparation(FeatureExtractor featureExtractor, IclModel iclModel, PromptableSegmenter segmenter,
            ConfidenceTrainer confidenceTrainer, Hyperparameters hyperparameters, CalibrationOptions calibration,
            boolean calibrateNow, boolean fitConfidenceNow, ProgressListener listener) {
        this.featureExtractor = featureExtractor;
        this.iclModel = iclModel;
        this.segmenter = segmenter;
        this.confidenceTrainer = confidenceTrainer;
        this.hyperparameters = hyperparameters;
        this.calibration = calibration;
        this.calibrateNow = calibrateNow;
        this.fitConfidenceNow = fitConfidenceNow;
        this.listener = listener;
    }

    /**
     * @param owner the pipeline the support will belong to
     * @param supportSet the validated support set
     * @param precomputed one feature map per example, or null to encode here
     * @return the prepared support, with the timings of encoding and fitting
     * @throws IllegalArgumentException if the feature list does not match the support set
     */
    PreparedSupport prepare(IclSam owner, SupportSet supportSet, List<FeatureMap> precomputed) {
        int m = supportSet.size();
        if (precomputed != null && precomputed.size() != m) {
            throw new IllegalArgumentException("support set has " + m + " examples but " + precomputed.size()
                    + " precomputed feature maps were given");
        }
        Map<String, Duration> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        List<FeatureMap> features = new ArrayList<>(m);
        List<BinaryMask> gridLabels = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            SupportExample e = supportSet.get(i);
            FeatureMap f = precomputed != null ? precomputed.get(i) : featureExtractor.encode(e.image());
            FrameGeometry g = f.geometry();
            if (g.originalHeight() != e.image().height() || g.originalWidth() != e.image().width()) {
                throw new IllegalArgumentException("features of support example '" + e.id() + "' were computed"
                        + " for a " + g.originalHeight() + "x" + g.originalWidth() + " image, but the image is "
                        + e.image().height() + "x" + e.image().width());
            }
            features.add(f);
            gridLabels.add(g.labelToGrid(e.label()));
            listener.onProgress("encode support", i + 1, m);
        }
        long t1 = System.nanoTime();
        timings.put("encode", Duration.ofNanos(t1 - t0));
        Lazy<ConfidenceModel> confidence = confidenceTrainer == null ? Lazy.done(null)
                : Lazy.of(() -> confidenceTrainer.fit(features, gridLabels));
        // the two fits are independent: the confidence fit runs on its own thread while this one prepares the
        // in-context model (and, for the calibrated variant, its calibration), and both are done (or have failed)
        // before prepare returns
        FutureTask<Long> confidenceFit = null;
        if (fitConfidenceNow) {
            confidenceFit = new FutureTask<>(() -> {
                long s = System.nanoTime();
                confidence.get();
                return System.nanoTime() - s;
            });
            Thread worker = new Thread(confidenceFit, "icl-sam-confidence-fit");
            worker.setDaemon(true);
            worker.start();
        }
        long t2 = System.nanoTime();
        IclSupport iclSupport = new IclSupport(supportSet, features, gridLabels);
        IclPredictor predictor;
        Lazy<SupportCalibration> calibrated;
        try {
            if (calibrateNow) {
                Calibrator.Result r = calibrate(iclSupport);
                predictor = r.predictor();
                calibrated = Lazy.done(r.calibration());
            } else {
                predictor = iclModel.prepare(iclSupport);
                calibrated = Lazy.of(() -> calibrate(iclSupport).calibration());
            }
        } catch (RuntimeException | Error e) {
            awaitQuietly(confidenceFit);
            throw e;
        }
        timings.put(calibrateNow ? "icl+calibration" : "icl", Duration.ofNanos(System.nanoTime() - t2));
        if (confidenceFit != null) {
            timings.put("confidence", Duration.ofNanos(await(confidenceFit)));
        }
        timings.put("fit", Duration.ofNanos(System.nanoTime() - t1));
        return new PreparedSupport(owner, supportSet, features, gridLabels, confidence, predictor, calibrated,
                timings);
    }

    /**
     * A support read from a file ({@link SupportFile}), bound to its pipeline: what the file does not hold (the
     * confidence model, the calibration) is computed on first use, as for a freshly prepared support.
     */
    PreparedSupport restored(IclSam owner, SupportSet supportSet, List<FeatureMap> features,
            List<BinaryMask> gridLabels, ConfidenceModel confidence, IclPredictor predictor,
            SupportCalibration calibration, Map<String, Duration> timings) {
        Lazy<ConfidenceModel> c = confidence != null || confidenceTrainer == null ? Lazy.done(confidence)
                : Lazy.of(() -> confidenceTrainer.fit(features, gridLabels));
        IclSupport iclSupport = new IclSupport(supportSet, features, gridLabels);
        Lazy<SupportCalibration> k = calibration != null ? Lazy.done(calibration)
                : Lazy.of(() -> calibrate(iclSupport).calibration());
        return new PreparedSupport(owner, supportSet, features, gridLabels, c, predictor, k, timings);
    }

    private Calibrator.Result calibrate(IclSupport support) {
        return Calibrator.calibrate(support, iclModel, confidenceTrainer, segmenter, hyperparameters, calibration);
    }

    /** @return the task's result; its own unchecked exception or error is rethrown as it is */
    private static long await(FutureTask<Long> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException("the confidence fit failed", cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the task to end, ignoring how it ended (another failure is already being reported). */
    private static void awaitQuietly(FutureTask<Long> task) {
        if (task == null) {
            return;
        }
        try {
            await(task);
        } catch (RuntimeException | Error ignored) {
            // the caller's exception wins
        }
    }
}
