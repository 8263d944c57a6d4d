package org.iclsam.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.iclsam.morphology.BinaryMask;

/**
 * What an {@link IclModel} receives once per support set: the examples, their features from the pipeline's
 * {@link FeatureExtractor}, and their labels mapped to the feature grid (docs/METHOD.md step 1).
 *
 * @param supportSet the validated examples at their original sizes
 * @param features one feature map per example, in the same order
 * @param gridLabels one label per example on the feature grid, in the same order
 */
public record IclSupport(SupportSet supportSet, List<FeatureMap> features, List<BinaryMask> gridLabels) {

    /**
     * @throws IllegalArgumentException if the lists do not have one entry per example
     */
    public IclSupport {
        Objects.requireNonNull(supportSet, "supportSet");
        features = List.copyOf(features);
        gridLabels = List.copyOf(gridLabels);
        if (features.size() != supportSet.size() || gridLabels.size() != supportSet.size()) {
            throw new IllegalArgumentException("support of " + supportSet.size() + " examples got "
                    + features.size() + " feature maps and " + gridLabels.size() + " grid labels");
        }
    }

    /** @return the support size m */
    public int size() {
        return supportSet.size();
    }

    /**
     * @param indices distinct example indices to leave out
     * @return this support without those examples (for leave-out estimates)
     * @throws IllegalArgumentException if an index is out of range or repeated, or nothing would remain
     */
    public IclSupport without(int... indices) {
        boolean[] out = new boolean[size()];
        for (int j : indices) {
            if (j < 0 || j >= size() || out[j]) {
                throw new IllegalArgumentException("example " + j + " is not in a support of " + size()
                        + " or is left out twice");
            }
            out[j] = true;
        }
        if (indices.length >= size()) {
            throw new IllegalArgumentException("leaving out " + indices.length + " of " + size()
                    + " examples leaves none");
        }
        List<SupportExample> ex = new ArrayList<>();
        List<FeatureMap> f = new ArrayList<>();
        List<BinaryMask> l = new ArrayList<>();
        for (int j = 0; j < size(); j++) {
            if (!out[j]) {
                ex.add(supportSet.get(j));
                f.add(features.get(j));
                l.add(gridLabels.get(j));
            }
        }
        return new IclSupport(SupportSet.of(ex), f, l);
    }
}
