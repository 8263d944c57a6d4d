package org.iclsam.core;

/**
 * The constants of ICL-SAM (docs/METHOD.md). {@link #reference()} gives the values of the authors' reference
 * implementation; the {@code with*} methods return modified copies.
 *
 * <ul>
 *   <li>gamma(m) = a (1 - e^{-tau m}): weight of the in-context model in the fusion (Eq. 1);</li>
 *   <li>alpha(m) = b e^{-tau m}: strength of the confidence injection into the in-context model (Eq. 4);</li>
 *   <li>beta: strength of the confidence injection into SAM's decoder;</li>
 *   <li>shrink: the box-prompt erosion continues while the eroded area exceeds {@code shrink} x the original;</li>
 *   <li>extraBoxFraction: a component beyond the largest gives an extra box if its area exceeds this fraction
 *       of the largest's;</li>
 *   <li>pseudoLabelThreshold: the in-context probability above which a pixel is foreground;</li>
 *   <li>zEpsilon: added to std(C) in SAM's z-normalisation.</li>
 * </ul>
 *
 * @param a the fusion ceiling (0.5)
 * @param b the ICL injection scale (0.3)
 * @param tau the decay with support size (0.1)
 * @param beta the SAM injection strength (2.0)
 * @param shrink the erosion area ratio of the box prompts (0.9)
 * @param extraBoxFraction the extra-box area fraction (0.05)
 * @param pseudoLabelThreshold the pseudo-label threshold (0.5)
 * @param zEpsilon the epsilon of SAM's z-normalisation (1e-8)
 */
public record Hyperparameters(double a, double b, double tau, double beta, double shrink,
        double extraBoxFraction, double pseudoLabelThreshold, double zEpsilon) {

    /**
     * @throws IllegalArgumentException if a value is not finite or out of its range
     */
    public Hyperparameters {
        requireIn("a", a, 0, 1);
        requireIn("b", b, 0, Double.MAX_VALUE);
        requireIn("tau", tau, 0, Double.MAX_VALUE);
        requireIn("beta", beta, -Double.MAX_VALUE, Double.MAX_VALUE);
        requireIn("shrink", shrink, 0, 1);
        requireIn("extraBoxFraction", extraBoxFraction, 0, 1);
        requireIn("pseudoLabelThreshold", pseudoLabelThreshold, 0, 1);
        requireIn("zEpsilon", zEpsilon, 0, Double.MAX_VALUE);
    }

    private static void requireIn(String name, double v, double lo, double hi) {
        if (!Double.isFinite(v) || v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be finite and in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /**
     * The reference implementation's values: a 0.5, b 0.3, tau 0.1, beta 2.0, shrink 0.9, extra-box fraction
     * 0.05, threshold 0.5, epsilon 1e-8.
     *
     * @return the reference hyperparameters
     */
    public static Hyperparameters reference() {
        return new Hyperparameters(0.5, 0.3, 0.1, 2.0, 0.9, 0.05, 0.5, 1e-8);
    }

    /**
     * @param m support size, at least 1
     * @return gamma(m) = a (1 - e^{-tau m})
     */
    public double gamma(int m) {
        requireSupportSize(m);
        return a * (1 - Math.exp(-tau * m));
    }

    /**
     * @param m support size, at least 1
     * @return alpha(m) = b e^{-tau m}
     */
    public double alpha(int m) {
        requireSupportSize(m);
        return b * Math.exp(-tau * m);
    }

    private static void requireSupportSize(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("support size must be at least 1, got " + m);
        }
    }

    /**
     * @param value new beta
     * @return a copy with that beta
     */
    public Hyperparameters withBeta(double value) {
        return new Hyperparameters(a, b, tau, value, shrink, extraBoxFraction, pseudoLabelThreshold, zEpsilon);
    }

    /**
     * @param value new a
     * @return a copy with that a
     */
    public Hyperparameters withA(double value) {
        return new Hyperparameters(value, b, tau, beta, shrink, extraBoxFraction, pseudoLabelThreshold, zEpsilon);
    }

    /**
     * @param value new b
     * @return a copy with that b
     */
    public Hyperparameters withB(double value) {
        return new Hyperparameters(a, value, tau, beta, shrink, extraBoxFraction, pseudoLabelThreshold, zEpsilon);
    }

    /**
     * @param value new tau
     * @return a copy with that tau
     */
    public Hyperparameters withTau(double value) {
        return new Hyperparameters(a, b, value, beta, shrink, extraBoxFraction, pseudoLabelThreshold, zEpsilon);
    }

    /**
     * @param value new shrink ratio
     * @return a copy with that ratio
     */
    public Hyperparameters withShrink(double value) {
        return new Hyperparameters(a, b, tau, beta, value, extraBoxFraction, pseudoLabelThreshold, zEpsilon);
    }

    /**
     * @param value new extra-box fraction
     * @return a copy with that fraction
     */
    public Hyperparameters withExtraBoxFraction(double value) {
        return new Hyperparameters(a, b, tau, beta, shrink, value, pseudoLabelThreshold, zEpsilon);
    }
}
