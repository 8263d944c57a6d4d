package org.iclsam.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A validated, immutable support set: at least one {@link SupportExample}, all with the same channel count.
 * Examples may differ in size (each label matches its own image).
 *
 * <p>An all-background support set is allowed (the caller may be annotating "nothing here" cases) but
 * reported by {@link #warnings()}, because the confidence model then has a single class and the in-context
 * model has nothing to propagate.
 */
public final class SupportSet {
    private final List<SupportExample> examples;
    private final List<String> warnings;

    private SupportSet(List<SupportExample> examples, List<String> warnings) {
        this.examples = examples;
        this.warnings = warnings;
    }

    /**
     * @param examples the examples; copied
     * @return the validated support set
     * @throws IllegalArgumentException if the list is empty or the examples mix grey and RGB images (the
     *     message names the first example that differs)
     */
    public static SupportSet of(List<SupportExample> examples) {
        Objects.requireNonNull(examples, "examples");
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("the support set is empty: give at least one annotated example");
        }
        List<SupportExample> copy = List.copyOf(examples);
        int channels = copy.get(0).image().channels();
        for (SupportExample e : copy) {
            if (e.image().channels() != channels) {
                throw new IllegalArgumentException("support example '" + e.id() + "' has "
                        + e.image().channels() + " channel(s) but '" + copy.get(0).id() + "' has " + channels
                        + ": all support images must be grey, or all RGB");
            }
        }
        List<String> warnings = new ArrayList<>();
        if (copy.stream().allMatch(e -> e.label().isEmpty())) {
            warnings.add("all " + copy.size() + " support labels are empty (no foreground): the confidence model"
                    + " has a single class and the in-context model will predict background");
        }
        return new SupportSet(copy, Collections.unmodifiableList(warnings));
    }

    /**
     * @param examples the examples
     * @return the validated support set
     */
    public static SupportSet of(SupportExample... examples) {
        return of(List.of(examples));
    }

    /** @return the examples, unmodifiable */
    public List<SupportExample> examples() {
        return examples;
    }

    /**
     * @param i index
     * @return the i-th example
     */
    public SupportExample get(int i) {
        return examples.get(i);
    }

    /** @return the support size m */
    public int size() {
        return examples.size();
    }

    /** @return the channel count shared by every image */
    public int channels() {
        return examples.get(0).image().channels();
    }

    /** @return true if every label is empty */
    public boolean allLabelsEmpty() {
        return examples.stream().allMatch(e -> e.label().isEmpty());
    }

    /** @return reasons for concern that are not errors, such as an all-background support; never null */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "SupportSet[m=" + examples.size() + "]";
    }
}
