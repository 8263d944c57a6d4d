package org.iclsam.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.BoxPromptResult;

/**
 * The ICL-SAM pipeline (docs/METHOD.md steps 1-6) over its three models.
 *
 * <pre>{@code
 * try (IclSam icl = IclSam.builder()
 *         .featureExtractor(encoder).iclModel(icl).promptableSegmenter(decoder)
 *         .confidenceTrainer(trainer)
 *         .build()) {
 *     PreparedSupport support = icl.prepare(supportSet);   // once per support set
 *     Segmentation s = icl.segment(query, support);        // per query, any thread
 *     support.save(file);                                  // and in a later run, with the same models:
 *     PreparedSupport again = icl.loadPrepared(file);      // no encoder pass, no fit, the same masks
 * }
 * }</pre>
 *
 * <p>Per query: encode; apply the confidence model (C on the feature grid); the in-context model predicts with
 * A = (C - mean C) / std C and alpha(m); the probability resized bilinearly to the original size and
 * thresholded is the pseudo-label; box prompts from it; one decoder call per box with
 * z = (C - 0.5) / (std C + eps) and beta, logits combined by maximum; fusion
 * {@code ((1 - gamma) S + gamma U) > 0}. Which of these run depends on the {@link Variant}.
 *
 * <p>When the pseudo-label is empty, or erosion leaves no object for a box, SAM cannot be prompted: the
 * pseudo-label is returned and a note says so (the reference implementation instead prompts SAM with a
 * degenerate box).
 *
 * <p>Thread-safe: one pipeline and one {@link PreparedSupport} may serve queries from many threads, as long as
 * the models are thread-safe (the interfaces require it). By default the pipeline owns its models and closes
 * them in {@link #close()}; closing twice is harmless, and any call after close throws
 * {@link IllegalStateException}.
 */
public final class IclSam implements AutoCloseable {
    private final FeatureExtractor featureExtractor;
    private final IclModel iclModel;
    private final PromptableSegmenter segmenter;
    private final ConfidenceTrainer confidenceTrainer;
    private final Hyperparameters hyperparameters;
    private final Variant variant;
    private final CalibrationOptions calibration;
    private final ProgressListener listener;
    private final boolean ownsModels;
    private final SupportPreparation preparation;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** This pipeline's {@link PipelineIdentity}, computed on first use (null: not yet; see {@link #identity()}). */
    private volatile Optional<PipelineIdentity> identity;
    /** Why {@link #identity} is empty: the first model without an identity. */
    private volatile String identityMissing;

    private IclSam(Builder b) {
        this.featureExtractor = b.featureExtractor;
        this.iclModel = b.iclModel;
        this.segmenter = b.segmenter;
        this.confidenceTrainer = b.confidenceTrainer;
        this.hyperparameters = b.hyperparameters;
        this.variant = b.variant;
        this.calibration = b.calibration;
        this.listener = b.listener;
        this.ownsModels = b.ownsModels;
        boolean fitConfidenceNow = confidenceTrainer != null && (variant.needsConfidence() || (variant.calibrated()
                && calibrationUsesConfidence()));
        this.preparation = new SupportPreparation(featureExtractor, iclModel, segmenter, confidenceTrainer,
                hyperparameters, calibration, variant.calibrated(), fitConfidenceNow, listener);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the default variant of {@link #segment(Image, PreparedSupport)} */
    public Variant variant() {
        return variant;
    }

    /** @return the hyperparameters */
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** @return the feature extractor */
    public FeatureExtractor featureExtractor() {
        return featureExtractor;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this IclSam pipeline is closed");
        }
    }

    /**
     * Encodes an image with the pipeline's feature extractor, for callers that reuse features across support
     * draws or variants (the evaluation protocol).
     *
     * @param image the image
     * @return its features
     */
    public FeatureMap encode(Image image) {
        ensureOpen();
        return featureExtractor.encode(image);
    }

    /**
     * Prepares a support set: encodes every support image, maps the labels to the feature grid, fits the
     * confidence model (now when the pipeline's default variant uses it, otherwise on first use) and prepares the
     * in-context model.
     *
     * @param supportSet the validated support set
     * @return the reusable prepared support
     */
    public PreparedSupport prepare(SupportSet supportSet) {
        return prepare(supportSet, null);
    }

    /**
     * Prepares a support set whose features the caller already has (they must come from this pipeline's
     * extractor, in the order of the examples).
     *
     * @param supportSet the validated support set
     * @param precomputed one feature map per example, or null to encode here
     * @return the reusable prepared support
     * @throws IllegalArgumentException if the feature list does not match the support set
     */
    public PreparedSupport prepare(SupportSet supportSet, List<FeatureMap> precomputed) {
        ensureOpen();
        Objects.requireNonNull(supportSet, "supportSet");
        return preparation.prepare(this, supportSet, precomputed);
    }

    /**
     * Reads a support that {@link PreparedSupport#save} wrote, for this pipeline: no support image is encoded and
     * nothing is fitted (the features, the grid labels, the fitted confidence model, the prepared in-context
     * predictor and, when it was computed, the calibration are read as they were saved), so that segmenting with
     * it gives bit for bit the masks the support gave where it was prepared. The file's models and settings must
     * be this pipeline's: the identity of each model ({@link FeatureExtractor#identity()},
     * {@link IclModel#identity()}, {@link PromptableSegmenter#identity()}, {@link ConfidenceTrainer#identity()},
     * where the ONNX models name their files' SHA-256) and the hyperparameters and calibration options are
     * compared, and a file prepared with others is refused with every difference named. A support saved without
     * its calibration (prepared by a pipeline whose default variant is not {@link Variant#CALIBRATED}) computes it
     * on first use, as a freshly prepared one would.
     *
     * <p>Cost: reading the file (about 4 MB of features per support image with SAM's encoder) and checking each
     * part's SHA-256; no model runs. The loaded support belongs to this pipeline; another pipeline accepts it only
     * if its models and settings have the same identities.
     *
     * @param file a file written by {@link PreparedSupport#save}
     * @return the prepared support, belonging to this pipeline
     * @throws IllegalArgumentException naming every model or setting that differs when the file was prepared with
     *     others, or when the in-context model or the trainer refuse their saved state
     * @throws UnsupportedOperationException if a model of this pipeline names no identity, or its in-context model
     *     or confidence trainer cannot restore a saved state
     * @throws IclSamException {@code IO}, naming the file and what is wrong, when it cannot be read, is not a saved
     *     support, is truncated or corrupted (a part's SHA-256 differs from the manifest's) or has another format
     *     version
     * @throws IllegalStateException after {@link #close()}
     */
    public PreparedSupport loadPrepared(Path file) {
        ensureOpen();
        return SupportFile.read(this, Objects.requireNonNull(file, "file"));
    }

    /** A support read from a file: what {@link SupportFile} restored, bound to this pipeline. */
    PreparedSupport restored(SupportSet supportSet, List<FeatureMap> features, List<BinaryMask> gridLabels,
            ConfidenceModel confidence, IclPredictor predictor, SupportCalibration calibration,
            Map<String, Duration> timings) {
        return preparation.restored(this, supportSet, features, gridLabels, confidence, predictor, calibration,
                timings);
    }

    /**
     * @return this pipeline's identity (its models' and settings'), computed once
     * @throws UnsupportedOperationException naming the first model that names no identity
     */
    PipelineIdentity identity() {
        Optional<PipelineIdentity> id = identityIfComplete();
        if (id.isEmpty()) {
            throw new UnsupportedOperationException(identityMissing);
        }
        return id.get();
    }

    /** @return this pipeline's identity, or empty when a model names none */
    Optional<PipelineIdentity> identityIfComplete() {
        Optional<PipelineIdentity> id = identity;
        if (id == null) {
            try {
                id = Optional.of(PipelineIdentity.of(featureExtractor, iclModel, segmenter, confidenceTrainer,
                        hyperparameters, calibration));
            } catch (UnsupportedOperationException e) {
                identityMissing = e.getMessage();
                id = Optional.empty();
            }
            identity = id;
        }
        return id;
    }

    IclModel iclModel() {
        return iclModel;
    }

    ConfidenceTrainer confidenceTrainer() {
        return confidenceTrainer;
    }

    private boolean calibrationUsesConfidence() {
        return calibration.preferred().usesConfidence()
                || calibration.candidates().stream().anyMatch(MaskRecipe::usesConfidence);
    }

    private boolean calibrationUsesSam() {
        return calibration.preferred().usesSam() || calibration.candidates().stream().anyMatch(MaskRecipe::usesSam);
    }

    /** @return the calibrated variant's options */
    public CalibrationOptions calibration() {
        return calibration;
    }

    /**
     * Segments one query with the pipeline's variant.
     *
     * @param query the query image, same channel count as the support
     * @param support a support prepared or {@linkplain #loadPrepared loaded} by this pipeline, or by one whose
     *     models and settings have the same identities
     * @return the segmentation; its notes say when the query's {@link IntensityPolicy} differs from a support
     *     image's
     */
    public Segmentation segment(Image query, PreparedSupport support) {
        return segment(query, null, support, variant);
    }

    /**
     * Segments one query, optionally with features the caller already has and another variant than the
     * pipeline's default (the evaluation protocol runs every variant on the same features).
     *
     * @param query the query image, same channel count as the support
     * @param queryFeatures the query's features from this pipeline's extractor, or null to encode here
     * @param support a support prepared or {@linkplain #loadPrepared loaded} by this pipeline, or by one whose
     *     models and settings have the same identities
     * @param variant the variant to run
     * @return the segmentation; its notes say when the query's {@link IntensityPolicy} differs from a support
     *     image's ({@link IntensityPolicy#describeMismatch})
     * @throws IllegalArgumentException on a non-finite pixel, a channel count that differs from the support's,
     *     a support prepared by another pipeline whose models or settings differ (or cannot be compared), or a
     *     variant whose model is not configured
     */
    public Segmentation segment(Image query, FeatureMap queryFeatures, PreparedSupport support, Variant variant) {
        ensureOpen();
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(support, "support");
        Objects.requireNonNull(variant, "variant");
        requireAccepted(support);
        requireConfigured(variant);
        VariantSteps steps = VariantSteps.of(variant);
        QueryRun run = QueryRun.start(query, support, featureExtractor, iclModel, segmenter, hyperparameters);
        // 1. encode the query
        FeatureMap features = run.encode(queryFeatures);
        if (steps.selectsRecipe()) {
            // 2-6 as the support's calibrated recipe composes them, which selects the mask
            return run.recipe(features);
        }
        // 2. the confidence map C, and its guidance for the in-context model and SAM
        QueryRun.Confidence confidence = steps.confidence() ? run.confidence(features, steps)
                : QueryRun.Confidence.NONE;
        // 3. the in-context probability and its pseudo-label
        QueryRun.InContext icl = run.inContext(features, steps, confidence);
        // 4. box prompts from the pseudo-label
        BoxPromptResult prompts = steps.refine() ? run.prompts(icl) : null;
        // 5. SAM refines each box (none: the pseudo-label is the result)
        float[] samLogits = prompts == null || prompts.isEmpty() ? null : run.refine(features, prompts, confidence);
        // 6. fuse SAM's logits with the in-context probability, or take SAM's mask
        BinaryMask mask = samLogits == null ? icl.pseudoLabel()
                : steps.fuse() ? run.fuse(samLogits, icl) : run.samMask(samLogits);
        return run.result(variant, mask, icl, samLogits, confidence, prompts);
    }

    /**
     * A support is accepted by the pipeline that prepared (or loaded) it, and by another whose models and settings
     * have the same identities (then its predictor works with this pipeline's models, as {@link IclModel#identity()}
     * requires).
     */
    private void requireAccepted(PreparedSupport support) {
        IclSam owner = support.owner();
        if (owner == this) {
            return;
        }
        Optional<PipelineIdentity> mine = identityIfComplete();
        Optional<PipelineIdentity> theirs = owner.identityIfComplete();
        if (mine.isEmpty() || theirs.isEmpty()) {
            throw new IllegalArgumentException("this support was prepared by another IclSam pipeline, and "
                    + (mine.isEmpty() ? "this" : "that") + " pipeline's models cannot be compared with the other's"
                    + " (a model names no identity): prepare it with the pipeline that segments");
        }
        List<String> diff = theirs.get().differences(mine.get(), "the support's", "this pipeline's");
        if (!diff.isEmpty()) {
            throw new IllegalArgumentException("this support was prepared by another IclSam pipeline whose models"
                    + " or settings differ (" + String.join("; ", diff) + "): prepare it with the pipeline that"
                    + " segments");
        }
    }

    private void requireConfigured(Variant v) {
        if (v.calibrated()) {
            if (calibrationUsesSam() && segmenter == null) {
                throw new IllegalArgumentException("variant 'calibrated' has recipes that use SAM, and this pipeline"
                        + " was built without a promptable segmenter: give one, or calibration options without them");
            }
            List<MaskRecipe> recipes = new ArrayList<>(calibration.candidates());
            recipes.add(calibration.preferred());
            for (MaskRecipe r : recipes) {
                if (r.usesSam() && !segmenter.supports(MaskEvidence.samplePrompt(r.prompts()))) {
                    throw new IllegalArgumentException("the calibrated variant's recipe '" + r + "' prompts SAM with "
                            + r.prompts() + ", which the promptable segmenter " + segmenter + " does not run: drop"
                            + " that recipe from the calibration options or use a segmenter that runs it");
                }
            }
            if (calibrationUsesConfidence() && confidenceTrainer == null) {
                throw new IllegalArgumentException("variant 'calibrated' has recipes that use the confidence map, and"
                        + " this pipeline was built without a confidence trainer: give one, or calibration options"
                        + " without them");
            }
            return;
        }
        if (v.samRefinement() && segmenter == null) {
            throw new IllegalArgumentException("variant '" + v + "' needs a promptable segmenter, and this"
                    + " pipeline was built without one");
        }
        if (v.needsConfidence() && confidenceTrainer == null) {
            throw new IllegalArgumentException("variant '" + v + "' needs a confidence model, and this pipeline"
                    + " was built without a confidence trainer");
        }
    }

    /**
     * Segments several queries in order with the pipeline's variant, reporting progress to the builder's
     * listener.
     *
     * @param queries the query images
     * @param support a support prepared by this pipeline
     * @return one segmentation per query, in order
     */
    public List<Segmentation> segmentAll(List<Image> queries, PreparedSupport support) {
        ensureOpen();
        List<Segmentation> out = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            out.add(segment(queries.get(i), support));
            listener.onProgress("segment", i + 1, queries.size());
        }
        return out;
    }

    /** Closes the models if the pipeline owns them (the default). Harmless when called again. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || !ownsModels) {
            return;
        }
        RuntimeException first = null;
        for (AutoCloseable c : new AutoCloseable[] {segmenter, iclModel, featureExtractor}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException ? (RuntimeException) e
                            : new IllegalStateException("closing a model failed", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Builds an {@link IclSam}. Required: {@link #featureExtractor}, {@link #iclModel}; a
     * {@link #promptableSegmenter} for variants with SAM refinement; a {@link #confidenceTrainer} for variants
     * with confidence (for {@link Variant#CALIBRATED}: what its recipes need). Defaults:
     * {@code hyperparameters(Hyperparameters.reference())}, {@code variant(Variant.CALIBRATED)},
     * {@code calibration(CalibrationOptions.defaults())}, {@code progressListener(ProgressListener.NONE)},
     * {@code ownsModels(true)}.
     * The default models of the SDK are assembled by {@code org.iclsam.onnx.DefaultModels}.
     */
    public static final class Builder {
        private FeatureExtractor featureExtractor;
        private IclModel iclModel;
        private PromptableSegmenter segmenter;
        private ConfidenceTrainer confidenceTrainer;
        private Hyperparameters hyperparameters = Hyperparameters.reference();
        private Variant variant = Variant.CALIBRATED;
        private CalibrationOptions calibration = CalibrationOptions.defaults();
        private ProgressListener listener = ProgressListener.NONE;
        private boolean ownsModels = true;

        private Builder() {
        }

        /**
         * @param v the feature extractor (required)
         * @return this builder
         */
        public Builder featureExtractor(FeatureExtractor v) {
            this.featureExtractor = Objects.requireNonNull(v, "featureExtractor");
            return this;
        }

        /**
         * @param v the in-context model (required)
         * @return this builder
         */
        public Builder iclModel(IclModel v) {
            this.iclModel = Objects.requireNonNull(v, "iclModel");
            return this;
        }

        /**
         * @param v the promptable segmenter (required for variants with SAM refinement)
         * @return this builder
         */
        public Builder promptableSegmenter(PromptableSegmenter v) {
            this.segmenter = Objects.requireNonNull(v, "promptableSegmenter");
            return this;
        }

        /**
         * @param v the confidence trainer (required for variants with confidence)
         * @return this builder
         */
        public Builder confidenceTrainer(ConfidenceTrainer v) {
            this.confidenceTrainer = Objects.requireNonNull(v, "confidenceTrainer");
            return this;
        }

        /**
         * @param v the hyperparameters; default {@link Hyperparameters#reference()}
         * @return this builder
         */
        public Builder hyperparameters(Hyperparameters v) {
            this.hyperparameters = Objects.requireNonNull(v, "hyperparameters");
            return this;
        }

        /**
         * @param v the default variant; default {@link Variant#CALIBRATED}
         * @return this builder
         */
        public Builder variant(Variant v) {
            this.variant = Objects.requireNonNull(v, "variant");
            return this;
        }

        /**
         * @param v how the calibrated variant chooses its recipe; default {@link CalibrationOptions#defaults()}
         * @return this builder
         */
        public Builder calibration(CalibrationOptions v) {
            this.calibration = Objects.requireNonNull(v, "calibration");
            return this;
        }

        /**
         * @param v receives progress of {@link IclSam#prepare} and {@link IclSam#segmentAll}; default none
         * @return this builder
         */
        public Builder progressListener(ProgressListener v) {
            this.listener = Objects.requireNonNull(v, "progressListener");
            return this;
        }

        /**
         * @param v whether {@link IclSam#close()} closes the models; default true
         * @return this builder
         */
        public Builder ownsModels(boolean v) {
            this.ownsModels = v;
            return this;
        }

        /**
         * @return the pipeline
         * @throws IllegalStateException naming what is missing for the chosen variant
         */
        public IclSam build() {
            if (featureExtractor == null) {
                throw new IllegalStateException("featureExtractor is required");
            }
            if (iclModel == null) {
                throw new IllegalStateException("iclModel is required");
            }
            if (variant.samRefinement() && segmenter == null) {
                throw new IllegalStateException("variant '" + variant + "' needs a promptableSegmenter");
            }
            if (variant.needsConfidence() && confidenceTrainer == null) {
                throw new IllegalStateException("variant '" + variant + "' needs a confidenceTrainer");
            }
            IclSam pipeline = new IclSam(this);
            if (variant.calibrated()) {
                try {
                    pipeline.requireConfigured(variant);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            return pipeline;
        }
    }
}
