package org.iclsam.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iclsam.core.kernels.MapKernels;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.BoxPromptResult;
import org.iclsam.morphology.BoxPrompts;
import org.iclsam.morphology.PixelBox;

/**
 * What one image offers the {@link MaskRecipe}s: its confidence map, in-context probability, their blends, the box
 * prompts of each blend's pseudo-label and SAM's logits for each prompt set, each computed on first use and kept,
 * so that scoring many recipes on a held-out example costs each model call once. Not thread-safe: one instance
 * serves one image on one thread.
 */
final class MaskEvidence {
    private final Image image;
    private final FeatureMap features;
    private final FrameGeometry geometry;
    private final IclPredictor predictor;
    private final ConfidenceModel confidenceModel;
    private final PromptableSegmenter segmenter;
    private final Hyperparameters hp;
    private final int h;
    private final int w;
    private final Map<Stage, Duration> timings = new EnumMap<>(Stage.class);
    private final List<String> notes = new ArrayList<>();
    private FloatMap confidence;
    private FloatMap confidenceRegion;
    private FloatMap probability;
    private final Map<Double, Base> bases = new HashMap<>();
    private final Map<String, float[]> samLogits = new HashMap<>();

    /** A base probability, its upsampled copy and its pseudo-label's box prompts. */
    private record Base(FloatMap region, float[] upsampled, BinaryMask pseudoLabel, BoxPromptResult prompts) {
    }

    /**
     * @param image the image
     * @param features its features
     * @param predictor the in-context model prepared on a support, or null when no recipe needs it
     * @param confidenceModel the confidence model, or null when no recipe needs it
     * @param segmenter the promptable segmenter, or null when no recipe needs it
     * @param hp the pipeline's hyperparameters (box prompts, thresholds, the z epsilon)
     */
    MaskEvidence(Image image, FeatureMap features, IclPredictor predictor, ConfidenceModel confidenceModel,
            PromptableSegmenter segmenter, Hyperparameters hp) {
        this.image = Objects.requireNonNull(image, "image");
        this.features = Objects.requireNonNull(features, "features");
        this.geometry = features.geometry();
        this.predictor = predictor;
        this.confidenceModel = confidenceModel;
        this.segmenter = segmenter;
        this.hp = Objects.requireNonNull(hp, "hp");
        this.h = image.height();
        this.w = image.width();
    }

    /**
     * @param recipe a recipe
     * @return its mask for this image (when the pseudo-label gives no box, the pseudo-label, with a note)
     * @throws IllegalStateException if the recipe needs a model this evidence was built without
     */
    BinaryMask mask(MaskRecipe recipe) {
        Base base = base(recipe.confidenceWeight());
        if (!recipe.usesSam()) {
            return base.pseudoLabel();
        }
        float[] logits = samLogits(recipe);
        if (logits == null) {
            return base.pseudoLabel();
        }
        long t = System.nanoTime();
        float[] region = base.region().toArray();
        double std = MapKernels.std(region, MapKernels.mean(region));
        byte[] fused = new byte[h * w];
        MapKernels.fuse(logits, base.upsampled(), std, recipe.gamma(), fused);
        add(Stage.FUSION, t);
        return BinaryMask.of(h, w, fused);
    }

    /** @return the confidence map on the feature grid */
    FloatMap confidence() {
        if (confidence == null) {
            if (confidenceModel == null) {
                throw new IllegalStateException("a recipe needs the confidence map, and there is no confidence model");
            }
            long t = System.nanoTime();
            confidence = confidenceModel.apply(features);
            if (confidence.height() != features.height() || confidence.width() != features.width()) {
                throw new IllegalStateException("confidence model returned a " + confidence.height() + "x"
                        + confidence.width() + " map for a " + features.height() + "x" + features.width()
                        + " feature grid");
            }
            confidenceRegion = QueryRun.confidenceRegion(confidence, geometry);
            add(Stage.CONFIDENCE, t);
        }
        return confidence;
    }

    /** @return the in-context probability on the image region, or null if it was not needed */
    FloatMap probability() {
        return probability;
    }

    /**
     * @param confidenceWeight a recipe's weight
     * @return the base probability of that weight on the image region
     */
    FloatMap baseProbability(double confidenceWeight) {
        return base(confidenceWeight).region();
    }

    /**
     * @param confidenceWeight a recipe's weight
     * @return the pseudo-label of that base probability
     */
    BinaryMask pseudoLabel(double confidenceWeight) {
        return base(confidenceWeight).pseudoLabel();
    }

    /**
     * @param confidenceWeight a recipe's weight
     * @return the box prompts of that pseudo-label, if they were extracted (empty otherwise)
     */
    List<PixelBox> boxes(double confidenceWeight) {
        Base b = bases.get(confidenceWeight);
        return b == null || b.prompts() == null ? List.of() : b.prompts().boxes();
    }

    /** @return the logits SAM gave for this recipe's prompts (max over boxes), null if it gave none */
    float[] samLogits(MaskRecipe recipe) {
        Base base = base(recipe.confidenceWeight());
        BoxPromptResult prompts = prompts(base, recipe.confidenceWeight());
        if (prompts.isEmpty()) {
            note("no box prompt (" + prompts.emptyReason() + "): SAM refinement skipped, the pseudo-label is the"
                    + " result");
            return null;
        }
        String key = recipe.confidenceWeight() + "/" + recipe.prompts() + "/" + recipe.beta();
        float[] cached = samLogits.get(key);
        if (cached != null) {
            return cached;
        }
        if (segmenter == null) {
            throw new IllegalStateException("recipe '" + recipe + "' needs a promptable segmenter");
        }
        SamGuidance guidance = SamGuidance.NONE;
        if (recipe.beta() != 0) {
            float[] c = confidence().toArray();
            float[] z = new float[c.length];
            MapKernels.zScoreSam(c, hp.zEpsilon(), z);
            guidance = new SamGuidance(FloatMap.wrap(confidence.height(), confidence.width(), z), recipe.beta());
        }
        long t = System.nanoTime();
        float[] logits = null;
        for (PixelBox box : prompts.boxes()) {
            SamPrompt prompt = prompt(recipe.prompts(), box, base.upsampled());
            float[] l = segmenter.segment(features, prompt, guidance).logits().toArray();
            if (l.length != h * w) {
                throw new IllegalStateException("the promptable segmenter returned " + l.length + " logits for a "
                        + h + "x" + w + " image");
            }
            if (logits == null) {
                logits = l;
            } else {
                MapKernels.maxInto(logits, l);
            }
        }
        add(Stage.SAM, t);
        samLogits.put(key, logits);
        return logits;
    }

    /** @return the timings spent so far, per stage */
    Map<Stage, Duration> timings() {
        return timings;
    }

    /** @return the notes so far (each once) */
    List<String> notes() {
        return notes;
    }

    /** @return a prompt of this style, to ask a segmenter whether it runs such prompts */
    static SamPrompt samplePrompt(MaskRecipe.PromptStyle style) {
        SamPrompt box = SamPrompt.of(new PixelBox(0, 0, 0, 0));
        return switch (style) {
            case BOX -> box;
            case BOX_BEST_TOKEN -> box.withToken(SamPrompt.MaskToken.BEST_PREDICTED);
            case BOX_AND_MASK -> box.withMaskInput(FloatMap.wrap(MASK_GRID, MASK_GRID, new float[MASK_GRID * MASK_GRID]));
        };
    }

    private SamPrompt prompt(MaskRecipe.PromptStyle style, PixelBox box, float[] upsampled) {
        return switch (style) {
            case BOX -> SamPrompt.of(box);
            case BOX_BEST_TOKEN -> SamPrompt.of(box).withToken(SamPrompt.MaskToken.BEST_PREDICTED);
            case BOX_AND_MASK -> SamPrompt.of(box).withMaskInput(maskPrompt(upsampled, h, w, box, geometry));
        };
    }

    /**
     * The base probability's log-odds inside the box on SAM's 256 x 256 low-resolution grid, which covers the whole
     * frame (four frame pixels per cell): each cell takes the upsampled probability at the image pixel under its
     * centre, clamped to +-{@link MaskRecipe#MASK_PROMPT_LOGIT}; cells outside the box or the image get that
     * value's negative.
     */
    static FloatMap maskPrompt(float[] upsampled, int h, int w, PixelBox box, FrameGeometry g) {
        int side = MASK_GRID;
        float low = (float) -MaskRecipe.MASK_PROMPT_LOGIT;
        float[] out = new float[side * side];
        double framePerCell = (double) g.frameSize() / side;
        for (int y = 0; y < side; y++) {
            int oy = (int) Math.floor((y + 0.5) * framePerCell * h / g.resizedHeight());
            for (int x = 0; x < side; x++) {
                int ox = (int) Math.floor((x + 0.5) * framePerCell * w / g.resizedWidth());
                float v = low;
                if (oy < h && ox < w && ox >= box.x0() && ox <= box.x1() && oy >= box.y0() && oy <= box.y1()) {
                    double p = Math.min(1 - 1e-6, Math.max(1e-6, upsampled[oy * w + ox]));
                    v = (float) Math.max(low, Math.min(-low, Math.log(p / (1 - p))));
                }
                out[y * side + x] = v;
            }
        }
        return FloatMap.wrap(side, side, out);
    }

    /** Side of SAM's low-resolution mask grid. */
    static final int MASK_GRID = 256;

    private Base base(double weight) {
        Base b = bases.get(weight);
        if (b != null) {
            return b;
        }
        FloatMap p = weight < 1 ? probability0() : null;
        if (weight > 0) {
            confidence();
        }
        long t = System.nanoTime();
        FloatMap region;
        if (weight == 1) {
            region = confidenceRegion;
        } else if (weight == 0) {
            region = p;
        } else {
            // both maps cover the image; the confidence region is resampled onto the in-context model's grid when
            // that model has another resolution
            float[] c = confidenceRegion.toArray();
            if (confidenceRegion.height() != p.height() || confidenceRegion.width() != p.width()) {
                float[] r = new float[p.size()];
                MapKernels.resizeBilinear(c, confidenceRegion.height(), confidenceRegion.width(), r, p.height(),
                        p.width(), false);
                c = r;
            }
            float[] q = new float[p.size()];
            for (int i = 0; i < q.length; i++) {
                q[i] = (float) ((1 - weight) * p.get(i) + weight * c[i]);
            }
            region = FloatMap.wrap(p.height(), p.width(), q);
        }
        float[] up = new float[h * w];
        MapKernels.resizeBilinear(region.toArray(), region.height(), region.width(), up, h, w, false);
        BinaryMask pseudo = BinaryMask.threshold(h, w, up, hp.pseudoLabelThreshold());
        add(Stage.ICL, t);
        b = new Base(region, up, pseudo, null);
        bases.put(weight, b);
        return b;
    }

    private BoxPromptResult prompts(Base b, double weight) {
        if (b.prompts() != null) {
            return b.prompts();
        }
        long t = System.nanoTime();
        BoxPromptResult r = BoxPrompts.extract(b.pseudoLabel(), hp.shrink(), hp.extraBoxFraction());
        add(Stage.BOXES, t);
        bases.put(weight, new Base(b.region(), b.upsampled(), b.pseudoLabel(), r));
        return r;
    }

    private FloatMap probability0() {
        if (probability == null) {
            if (predictor == null) {
                throw new IllegalStateException("a recipe needs the in-context model, and there is none");
            }
            long t = System.nanoTime();
            FloatMap p = predictor.predict(new IclQuery(image, features, null, 0));
            QueryRun.requireProbabilities(p);
            probability = p;
            add(Stage.ICL, t);
        }
        return probability;
    }

    private void note(String s) {
        if (!notes.contains(s)) {
            notes.add(s);
        }
    }

    private void add(Stage stage, long since) {
        timings.merge(stage, Duration.ofNanos(System.nanoTime() - since), Duration::plus);
    }
}
