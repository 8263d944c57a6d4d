package org.iclsam.core.confidence;

/**
 * The algorithm that minimises the confidence model's objective. Both solve the same problem, on the same
 * standardised working copy, and stop on the same criterion: the largest change of an iteration among the raw
 * weights and the intercept, relative to the largest of them, below the tolerance.
 */
public enum Solver {
    /**
     * SAGA (Defazio, Bach and Lacoste-Julien 2014), the reference implementation's solver: one stochastic pass
     * over the pixels per epoch. Fast where the problem is well conditioned; with balanced class weights on
     * real encoder features it typically stops at the epoch limit short of the optimum, as scikit-learn's does.
     */
    SAGA,
    /**
     * Newton's method with the exact gradient (one pass over the pixels), a Hessian from a sample of
     * {@value NewtonSolver#HESSIAN_DRAWS} draws proportional to each pixel's curvature (drawn afresh at each
     * iteration; exact below that many pixels), and a backtracking line search on the exact objective: it
     * converges to the same optimum, linearly at a fast rate, in a few passes (the counts measured are in
     * {@code benchmarks/README.md}). From {@value NewtonSolver#WARM_START_ROWS} x 2 pixels up (16 SAM feature
     * maps) it starts from a loose fit on a subsample of {@value NewtonSolver#WARM_START_ROWS} pixels, which saves
     * the first few passes over all of them (and is dropped for the start at zero where it would not be better).
     */
    NEWTON
}
