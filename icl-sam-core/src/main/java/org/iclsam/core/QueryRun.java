package org.iclsam.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.iclsam.core.kernels.MapKernels;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.BoxPromptResult;
import org.iclsam.morphology.BoxPrompts;
import org.iclsam.morphology.PixelBox;

/**
 * One query through the method's steps (docs/METHOD.md): encode, confidence, in-context, prompts, refine,
 * fuse or select. Each step is one method that takes what the earlier steps produced, returns what it produces and
 * records its {@link Stage} time and its notes here; {@link IclSam#segment(Image, FeatureMap, PreparedSupport,
 * Variant)} calls them in the method's order, as {@link VariantSteps} says, and {@link #result} assembles the
 * {@link Segmentation}. The steps cost what their models cost (one encoder pass unless the features are given, one
 * confidence map, one in-context prediction, one decoder call per box); the rest is linear in the pixels.
 *
 * <p>Not thread-safe: one instance serves one query on one thread (the pipeline makes one per call).
 */
final class QueryRun {
    /** Frame pixels per pixel of the {@link Variant#CONF} probability map (the training-free model's stride). */
    static final int CONFIDENCE_STRIDE = 4;

    private final Image query;
    private final PreparedSupport support;
    private final FeatureExtractor featureExtractor;
    private final IclModel iclModel;
    private final PromptableSegmenter segmenter;
    private final Hyperparameters hp;
    private final int h;
    private final int w;
    private final Map<Stage, Duration> timings = new EnumMap<>(Stage.class);
    private final List<String> notes;
    private final long start;

    /**
     * Step 2's output: the confidence map C on the feature grid and what it guides.
     *
     * @param map C, or null when the variant does not need it
     * @param iclGuidance A for the in-context model, or null when the confidence is not injected there
     * @param samGuidance z and beta for SAM's decoder, or {@link SamGuidance#NONE}
     */
    record Confidence(FloatMap map, FloatMap iclGuidance, SamGuidance samGuidance) {
        /** Step 2 skipped. */
        static final Confidence NONE = new Confidence(null, null, SamGuidance.NONE);
    }

    /**
     * Step 3's output.
     *
     * @param probability the foreground probability at its own resolution
     * @param upsampled that probability resized bilinearly to the query's size (owned by this run, not copied)
     * @param pseudoLabel the upsampled probability thresholded
     */
    record InContext(FloatMap probability, float[] upsampled, BinaryMask pseudoLabel) {
    }

    private QueryRun(Image query, PreparedSupport support, FeatureExtractor featureExtractor, IclModel iclModel,
            PromptableSegmenter segmenter, Hyperparameters hp) {
        this.query = query;
        this.support = support;
        this.featureExtractor = featureExtractor;
        this.iclModel = iclModel;
        this.segmenter = segmenter;
        this.hp = hp;
        this.h = query.height();
        this.w = query.width();
        this.notes = new ArrayList<>(support.warnings());
        String intensity = intensityMismatch(support.supportSet(), query);
        if (intensity != null) {
            notes.add(intensity);
        }
        this.start = System.nanoTime();
    }

    /**
     * Checks the query against the support and starts the clock of {@link Stage#TOTAL}; the notes start with the
     * support's warnings and an intensity-policy mismatch, if any.
     *
     * @param query the query image
     * @param support the support, already accepted by the pipeline
     * @param featureExtractor the pipeline's extractor
     * @param iclModel the pipeline's in-context model
     * @param segmenter the pipeline's promptable segmenter, or null when it has none
     * @param hp the pipeline's hyperparameters
     * @return the run, before step 1
     * @throws IllegalArgumentException on a non-finite pixel or a channel count that differs from the support's
     */
    static QueryRun start(Image query, PreparedSupport support, FeatureExtractor featureExtractor, IclModel iclModel,
            PromptableSegmenter segmenter, Hyperparameters hp) {
        String bad = query.describeFirstNonFinite();
        if (bad != null) {
            throw new IllegalArgumentException("query image has " + bad + "; every pixel must be finite");
        }
        if (query.channels() != support.supportSet().channels()) {
            throw new IllegalArgumentException("query has " + query.channels() + " channel(s) but the support"
                    + " images have " + support.supportSet().channels());
        }
        return new QueryRun(query, support, featureExtractor, iclModel, segmenter, hp);
    }

    /**
     * Step 1: the query's features.
     *
     * @param given features the caller already has, or null to encode here
     * @return the features
     * @throws IllegalArgumentException if the given features were computed for another image size
     */
    FeatureMap encode(FeatureMap given) {
        return timed(Stage.ENCODE, () -> {
            FeatureMap features = given != null ? given : featureExtractor.encode(query);
            FrameGeometry g = features.geometry();
            if (g.originalHeight() != query.height() || g.originalWidth() != query.width()) {
                throw new IllegalArgumentException("query features were computed for a " + g.originalHeight() + "x"
                        + g.originalWidth() + " image, but the query is " + query.height() + "x" + query.width());
            }
            return features;
        });
    }

    /**
     * Step 2: the support's confidence model applied to the features (fitted now if it has not been), and its
     * normalisations for the models it guides; a note when a model ignores its guidance.
     *
     * @param features the query's features
     * @param steps which models the confidence guides
     * @return C and its guidance
     * @throws IllegalStateException if the confidence model returns a map of another size than the feature grid
     */
    Confidence confidence(FeatureMap features, VariantSteps steps) {
        return timed(Stage.CONFIDENCE, () -> {
            FloatMap confidence = support.confidenceModel().apply(features);
            if (confidence.height() != features.height() || confidence.width() != features.width()) {
                throw new IllegalStateException("confidence model returned a " + confidence.height() + "x"
                        + confidence.width() + " map for a " + features.height() + "x" + features.width()
                        + " feature grid");
            }
            FloatMap iclGuidance = null;
            SamGuidance samGuidance = SamGuidance.NONE;
            if (steps.confidenceInIcl()) {
                iclGuidance = iclGuidance(confidence, features.geometry());
                if (!iclModel.usesConfidence()) {
                    notes.add("the in-context model does not use the confidence map: confidence in ICL had no"
                            + " effect");
                }
            }
            if (steps.confidenceInSam()) {
                float[] z = new float[confidence.size()];
                MapKernels.zScoreSam(confidence.toArray(), hp.zEpsilon(), z);
                samGuidance = new SamGuidance(FloatMap.wrap(confidence.height(), confidence.width(), z), hp.beta());
                if (!segmenter.supportsGuidance()) {
                    notes.add("the promptable segmenter does not accept guidance: confidence in SAM had no effect");
                }
            }
            return new Confidence(confidence, iclGuidance, samGuidance);
        });
    }

    /**
     * Step 3: the probability (the in-context model's with alpha(m) when A guides it, or the confidence map's on the
     * image region), resized bilinearly to the query's size and thresholded: the pseudo-label.
     *
     * @param features the query's features
     * @param steps where the probability comes from
     * @param confidence step 2's output
     * @return the probability and the pseudo-label
     * @throws IllegalStateException naming the first probability outside [0, 1]
     */
    InContext inContext(FeatureMap features, VariantSteps steps, Confidence confidence) {
        return timed(Stage.ICL, () -> {
            FloatMap probability;
            if (steps.source() == VariantSteps.Source.CONFIDENCE) {
                probability = confidenceRegion(confidence.map(), features.geometry());
            } else {
                double alpha = confidence.iclGuidance() != null ? hp.alpha(support.size()) : 0;
                probability = support.predictor().predict(new IclQuery(query, features, confidence.iclGuidance(),
                        alpha));
            }
            requireProbabilities(probability);
            float[] upsampled = new float[h * w];
            MapKernels.resizeBilinear(probability.toArray(), probability.height(), probability.width(), upsampled, h,
                    w, false);
            BinaryMask pseudoLabel = BinaryMask.threshold(h, w, upsampled, hp.pseudoLabelThreshold());
            return new InContext(probability, upsampled, pseudoLabel);
        });
    }

    /**
     * Step 4: the box prompts of the pseudo-label; when there is none, a note that SAM refinement is skipped.
     *
     * @param icl step 3's output
     * @return the prompts, possibly empty
     */
    BoxPromptResult prompts(InContext icl) {
        BoxPromptResult prompts = timed(Stage.BOXES,
                () -> BoxPrompts.extract(icl.pseudoLabel(), hp.shrink(), hp.extraBoxFraction()));
        if (prompts.isEmpty()) {
            notes.add("no box prompt (" + prompts.emptyReason() + "): SAM refinement skipped, the in-context"
                    + " pseudo-label is the result");
        }
        return prompts;
    }

    /**
     * Step 5: one decoder call per box, guided by step 2's z when the variant injects it; the logits combined by
     * maximum.
     *
     * @param features the query's features
     * @param prompts step 4's output, not empty
     * @param confidence step 2's output
     * @return SAM's logits at the query's size
     * @throws IllegalStateException if the segmenter returns logits of another size than the query
     */
    float[] refine(FeatureMap features, BoxPromptResult prompts, Confidence confidence) {
        return timed(Stage.SAM, () -> {
            float[] logits = null;
            for (PixelBox box : prompts.boxes()) {
                float[] l = segmenter.segment(features, box, confidence.samGuidance()).logits().toArray();
                if (l.length != h * w) {
                    throw new IllegalStateException("the promptable segmenter returned " + l.length
                            + " logits for a " + h + "x" + w + " image");
                }
                if (logits == null) {
                    logits = l;
                } else {
                    MapKernels.maxInto(logits, l);
                }
            }
            return logits;
        });
    }

    /**
     * Step 6 (Eq. 1): {@code ((1 - gamma(m)) S + gamma(m) U) > 0}, with U's std taken at the in-context model's own
     * resolution.
     *
     * @param samLogits step 5's output, not modified
     * @param icl step 3's output
     * @return the fused mask
     */
    BinaryMask fuse(float[] samLogits, InContext icl) {
        return timed(Stage.FUSION, () -> {
            byte[] fused = new byte[h * w];
            float[] p = icl.probability().toArray();
            double iclStd = MapKernels.std(p, MapKernels.mean(p));
            MapKernels.fuse(samLogits, icl.upsampled(), iclStd, hp.gamma(support.size()), fused);
            return BinaryMask.of(h, w, fused);
        });
    }

    /**
     * Step 6 without fusion: SAM's logits &gt; 0.
     *
     * @param samLogits step 5's output, not modified
     * @return the mask
     */
    BinaryMask samMask(float[] samLogits) {
        return BinaryMask.threshold(h, w, samLogits, 0);
    }

    /**
     * Steps 2-6 as the support's calibrated recipe composes them ({@link MaskEvidence}), and the segmentation with
     * the recipe and why it was chosen. Computes the support's calibration first if it has not been (a
     * leave-one-out pass over the support), and fits its confidence model when the recipe needs one.
     *
     * @param features the query's features
     * @return the segmentation of {@link Variant#CALIBRATED}
     */
    Segmentation recipe(FeatureMap features) {
        SupportCalibration c = support.calibration();
        MaskRecipe r = c.recipe();
        MaskEvidence e = new MaskEvidence(query, features, r.usesInContext() ? support.predictor() : null,
                r.usesConfidence() ? support.confidenceModel() : null, r.usesSam() ? segmenter : null, hp);
        BinaryMask mask = e.mask(r);
        float[] logits = r.usesSam() ? e.samLogits(r) : null;
        timings.putAll(e.timings());
        timings.put(Stage.TOTAL, Duration.ofNanos(System.nanoTime() - start));
        notes.addAll(e.notes());
        String choice = "recipe '" + r + "'" + (Double.isNaN(c.leaveOutDice()) ? "" : String.format(Locale.ROOT,
                " (leave-out Dice %.3f over %d example(s))", c.leaveOutDice(), c.heldOutExamples())) + ": "
                + c.reason();
        FloatMap confidence = r.usesConfidence() ? e.confidence() : null;
        return new Segmentation(Variant.CALIBRATED, mask, e.baseProbability(r.confidenceWeight()),
                e.pseudoLabel(r.confidenceWeight()), logits == null ? null : FloatMap.wrap(h, w, logits), confidence,
                e.boxes(r.confidenceWeight()), timings, notes, choice);
    }

    /**
     * The segmentation of a fixed variant; stops the clock of {@link Stage#TOTAL}.
     *
     * @param variant the variant that ran
     * @param mask step 6's output (the pseudo-label when SAM did not run)
     * @param icl step 3's output
     * @param samLogits step 5's output, or null when SAM did not run
     * @param confidence step 2's output
     * @param prompts step 4's output, or null when the variant does not refine
     * @return the segmentation
     */
    Segmentation result(Variant variant, BinaryMask mask, InContext icl, float[] samLogits, Confidence confidence,
            BoxPromptResult prompts) {
        timings.put(Stage.TOTAL, Duration.ofNanos(System.nanoTime() - start));
        return new Segmentation(variant, mask, icl.probability(), icl.pseudoLabel(),
                samLogits == null ? null : FloatMap.wrap(h, w, samLogits), confidence.map(),
                prompts == null ? List.of() : prompts.boxes(), timings, notes, "variant '" + variant + "'");
    }

    private <T> T timed(Stage stage, Supplier<T> step) {
        long t = System.nanoTime();
        T out = step.get();
        timings.put(stage, Duration.ofNanos(System.nanoTime() - t));
        return out;
    }

    /**
     * @return the note for a query whose intensity policy differs from a support image's (the first that differs),
     *     or null
     */
    static String intensityMismatch(SupportSet support, Image query) {
        for (SupportExample e : support.examples()) {
            String m = IntensityPolicy.describeMismatch(e.image(), query);
            if (m != null) {
                return m + (support.size() > 1 ? " (support example '" + e.id() + "')" : "");
            }
        }
        return null;
    }

    /**
     * @param probability an in-context model's output
     * @throws IllegalStateException naming the first value outside [0, 1]
     */
    static void requireProbabilities(FloatMap probability) {
        for (int i = 0; i < probability.size(); i++) {
            float p = probability.get(i);
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalStateException("the in-context model returned probability " + p + " at index " + i
                        + "; probabilities must be in [0, 1]");
            }
        }
    }

    /** The baseline's probability: C on the valid cells, mapped onto the image region like the in-context model's. */
    static FloatMap confidenceRegion(FloatMap confidence, FrameGeometry g) {
        FloatMap crop = validCells(confidence, g);
        return MapKernels.gridToRegion(crop.toArray(), crop.height(), crop.width(), g, CONFIDENCE_STRIDE);
    }

    /** @return the part of a grid map that covers the image (a copy) */
    private static FloatMap validCells(FloatMap grid, FrameGeometry g) {
        int vh = Math.min(g.validGridHeight(), grid.height());
        int vw = Math.min(g.validGridWidth(), grid.width());
        float[] crop = new float[vh * vw];
        for (int y = 0; y < vh; y++) {
            for (int x = 0; x < vw; x++) {
                crop[y * vw + x] = grid.get(y, x);
            }
        }
        return FloatMap.wrap(vh, vw, crop);
    }

    /**
     * The in-context model's guidance: the part of C that covers the image, z-normalised as
     * A = (C - mean C) / std C.
     */
    private static FloatMap iclGuidance(FloatMap confidence, FrameGeometry g) {
        FloatMap crop = validCells(confidence, g);
        float[] a = crop.toArray();
        MapKernels.zScoreIcl(a, a);
        return FloatMap.wrap(crop.height(), crop.width(), a);
    }
}
