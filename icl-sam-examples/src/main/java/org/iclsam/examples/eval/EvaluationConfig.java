package org.iclsam.examples.eval;

import java.util.List;
import java.util.Objects;
import org.iclsam.core.Variant;

/**
 * The settings of one run of the evaluation protocol (paper Sec. 3). Immutable; the lists are copied.
 *
 * @param sizes support sizes m to evaluate, each at least 1, e.g. 1, 2, 4, 8, 16, 32, 64
 * @param draws random support draws per size, at least 1 (the paper uses {@link #PAPER_DRAWS})
 * @param seed seed of the pool/query split, of the query subset and of every support draw
 * @param maxQueries the most queries to segment (a seeded random subset of the query set), or 0 for all
 * @param variants the pipeline variants, all evaluated on the same draws; at least one, no repeats
 * @param queryFraction the share of the samples (taken group by group) that goes to the query set, in (0, 1)
 */
public record EvaluationConfig(List<Integer> sizes, int draws, long seed, int maxQueries, List<Variant> variants,
        double queryFraction) {

    /** The paper's support sizes. */
    public static final List<Integer> PAPER_SIZES = List.of(1, 2, 4, 8, 16, 32, 64);
    /** The paper's draws per support size. */
    public static final int PAPER_DRAWS = 10;
    /**
     * The default share of samples in the query set: half, so the meta-support pool can still supply the
     * largest support sizes on the bigger tasks. The paper does not state its split.
     */
    public static final double DEFAULT_QUERY_FRACTION = 0.5;
    /** The default seed. */
    public static final long DEFAULT_SEED = 42;

    /**
     * @throws IllegalArgumentException on an empty or non-positive size list, repeated sizes or variants,
     *     draws below 1, negative maxQueries or a query fraction outside (0, 1)
     */
    public EvaluationConfig {
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(variants, "variants");
        sizes = List.copyOf(sizes);
        variants = List.copyOf(variants);
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("give at least one support size");
        }
        for (int m : sizes) {
            if (m < 1) {
                throw new IllegalArgumentException("support sizes must be at least 1, got " + m);
            }
        }
        if (sizes.stream().distinct().count() != sizes.size()) {
            throw new IllegalArgumentException("support sizes repeat: " + sizes);
        }
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("give at least one variant");
        }
        if (variants.stream().distinct().count() != variants.size()) {
            throw new IllegalArgumentException("variants repeat: " + variants);
        }
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be at least 1, got " + draws);
        }
        if (maxQueries < 0) {
            throw new IllegalArgumentException("maxQueries must be 0 (all) or positive, got " + maxQueries);
        }
        if (!(queryFraction > 0 && queryFraction < 1)) {
            throw new IllegalArgumentException("queryFraction must be in (0, 1), got " + queryFraction);
        }
    }

    /**
     * The settings with the default query fraction.
     *
     * @param sizes support sizes
     * @param draws draws per size
     * @param seed the seed
     * @param maxQueries the most queries, 0 for all
     * @param variants the variants
     * @return the configuration
     */
    public static EvaluationConfig of(List<Integer> sizes, int draws, long seed, int maxQueries,
            List<Variant> variants) {
        return new EvaluationConfig(sizes, draws, seed, maxQueries, variants, DEFAULT_QUERY_FRACTION);
    }
}
