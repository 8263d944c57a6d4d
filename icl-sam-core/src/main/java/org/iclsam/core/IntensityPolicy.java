package org.iclsam.core;

import java.util.Locale;
import java.util.Objects;

/**
 * How an {@link Image}'s values were obtained from its file: the bit depth of the stored samples and the
 * normalisation that brought them to the 0..{@value #OUTPUT_MAX} scale the encoders expect. An image carries its
 * policy ({@link Image#intensity()}), so that a support set and a query whose intensities are on different scales
 * can be noticed ({@link #describeMismatch(Image, Image)}) instead of silently costing accuracy.
 *
 * <p><b>The default</b> of the readers in {@code icl-sam-io} for integer PNG, JPEG and TIFF files is
 * {@link Normalisation#FULL_RANGE}, the same rule for every bit depth: the stored type's range maps linearly onto
 * 0..255, so an 8-bit file is used as stored and a 16-bit file is divided by 257. The same picture saved as 8-bit
 * and as 16-bit ({@code v * 257}) therefore gives the same image. A 16-bit file that holds 12-bit data
 * (0..4095) comes out dark under this rule; read such files with an explicit {@link #window window}, which, being
 * fixed, also keeps every image of a task on one scale. DICOM files use their own window where they have one.
 *
 * <p>Immutable value type; {@code equals} compares every field. Costs nothing: it describes, the readers apply.
 */
public final class IntensityPolicy {
    /** The top of the scale every normalisation except {@link Normalisation#AS_STORED} maps onto. */
    public static final float OUTPUT_MAX = 255f;
    /** {@link #storedBits()} when the source's bit depth is not known. */
    public static final int UNKNOWN_BITS = 0;

    /** The normalisations. */
    public enum Normalisation {
        /**
         * Not recorded: an image built in memory ({@link Image#of(int, int, int, float[])}). The encoders apply
         * their own rule (values in 0..255 as given, anything else min-max scaled per image).
         */
        UNSPECIFIED,
        /** Values as stored, not scaled (floating-point files, whose type has no range). */
        AS_STORED,
        /** The stored type's range ({@code 0 .. 2^bits - 1}, or the signed range) mapped linearly onto 0..255. */
        FULL_RANGE,
        /** A fixed window of values, {@link #low()} .. {@link #high()}, mapped onto 0..255 and clipped. */
        WINDOW,
        /** Each image's (or volume's) own percentiles {@link #low()} .. {@link #high()} mapped onto 0..255, clipped. */
        PERCENTILE,
        /** Each image's own minimum .. maximum mapped onto 0..255. */
        MIN_MAX
    }

    private static final IntensityPolicy UNSPECIFIED =
            new IntensityPolicy(UNKNOWN_BITS, Normalisation.UNSPECIFIED, Double.NaN, Double.NaN);

    private final int storedBits;
    private final Normalisation normalisation;
    private final double low;
    private final double high;

    private IntensityPolicy(int storedBits, Normalisation normalisation, double low, double high) {
        this.storedBits = storedBits;
        this.normalisation = normalisation;
        this.low = low;
        this.high = high;
    }

    /** @return the policy of an image built in memory: nothing recorded */
    public static IntensityPolicy unspecified() {
        return UNSPECIFIED;
    }

    /**
     * @param storedBits bits per stored sample (1..64), or {@link #UNKNOWN_BITS}
     * @return values as stored
     */
    public static IntensityPolicy asStored(int storedBits) {
        return new IntensityPolicy(checkBits(storedBits), Normalisation.AS_STORED, Double.NaN, Double.NaN);
    }

    /**
     * @param storedBits bits per stored sample, 1..32
     * @return the stored type's range onto 0..255
     */
    public static IntensityPolicy fullRange(int storedBits) {
        if (storedBits < 1 || storedBits > 32) {
            throw new IllegalArgumentException("a full-range mapping needs an integer bit depth of 1..32, got "
                    + storedBits);
        }
        return new IntensityPolicy(storedBits, Normalisation.FULL_RANGE, Double.NaN, Double.NaN);
    }

    /**
     * @param storedBits bits per stored sample, or {@link #UNKNOWN_BITS}
     * @param low the value that maps to 0 (in the units after any rescale, for example Hounsfield units)
     * @param high the value that maps to 255; greater than {@code low}
     * @return a fixed window
     */
    public static IntensityPolicy window(int storedBits, double low, double high) {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low)) {
            throw new IllegalArgumentException("a window needs finite bounds with high > low, got [" + low + ", "
                    + high + "]");
        }
        return new IntensityPolicy(checkBits(storedBits), Normalisation.WINDOW, low, high);
    }

    /**
     * @param storedBits bits per stored sample, or {@link #UNKNOWN_BITS}
     * @param lowPercentile the percentile that maps to 0, in [0, 100)
     * @param highPercentile the percentile that maps to 255, in (lowPercentile, 100]
     * @return a per-image (or per-volume) percentile window
     */
    public static IntensityPolicy percentile(int storedBits, double lowPercentile, double highPercentile) {
        if (!(lowPercentile >= 0) || !(highPercentile <= 100) || !(highPercentile > lowPercentile)) {
            throw new IllegalArgumentException("percentiles need 0 <= low < high <= 100, got " + lowPercentile
                    + " and " + highPercentile);
        }
        return new IntensityPolicy(checkBits(storedBits), Normalisation.PERCENTILE, lowPercentile, highPercentile);
    }

    /**
     * @param storedBits bits per stored sample, or {@link #UNKNOWN_BITS}
     * @return each image's minimum .. maximum onto 0..255
     */
    public static IntensityPolicy minMax(int storedBits) {
        return new IntensityPolicy(checkBits(storedBits), Normalisation.MIN_MAX, Double.NaN, Double.NaN);
    }

    /**
     * The policy with these fields, as {@link #normalisation()}, {@link #storedBits()}, {@link #low()} and
     * {@link #high()} return them: what a reader of a stored policy (a saved support, a Spark payload) calls.
     * {@code low} and {@code high} are ignored where the normalisation has none.
     *
     * @param normalisation the rule
     * @param storedBits bits per stored sample, or {@link #UNKNOWN_BITS}
     * @param low the window's low value or the low percentile
     * @param high the window's high value or the high percentile
     * @return the policy
     * @throws IllegalArgumentException as the factory of that normalisation does
     */
    public static IntensityPolicy of(Normalisation normalisation, int storedBits, double low, double high) {
        return switch (normalisation) {
            case UNSPECIFIED -> unspecified();
            case AS_STORED -> asStored(storedBits);
            case FULL_RANGE -> fullRange(storedBits);
            case WINDOW -> window(storedBits, low, high);
            case PERCENTILE -> percentile(storedBits, low, high);
            case MIN_MAX -> minMax(storedBits);
        };
    }

    private static int checkBits(int bits) {
        if (bits < 0 || bits > 64) {
            throw new IllegalArgumentException("bits per sample must be 0 (unknown) .. 64, got " + bits);
        }
        return bits;
    }

    /** @return bits per stored sample, {@link #UNKNOWN_BITS} if not known */
    public int storedBits() {
        return storedBits;
    }

    /** @return the normalisation applied */
    public Normalisation normalisation() {
        return normalisation;
    }

    /** @return the window's low value ({@link Normalisation#WINDOW}) or percentile ({@link Normalisation#PERCENTILE}); NaN otherwise */
    public double low() {
        return low;
    }

    /** @return the window's high value or percentile; NaN for the other normalisations */
    public double high() {
        return high;
    }

    /**
     * The message a pipeline puts in its notes when a support image and a query were normalised differently, or
     * {@code null} when they were not. Policies differ when their normalisations differ, when two fixed windows or
     * two percentile windows have different bounds, or when two {@link Normalisation#FULL_RANGE} images have
     * different bit depths (a 16-bit file holding 12-bit data then comes out darker than an 8-bit one). Bit depths
     * alone do not matter to the other normalisations. Two {@link Normalisation#UNSPECIFIED} images never differ.
     *
     * @param support a support image
     * @param query the query
     * @return one sentence naming both policies, or null
     */
    public static String describeMismatch(Image support, Image query) {
        Objects.requireNonNull(support, "support");
        Objects.requireNonNull(query, "query");
        IntensityPolicy a = support.intensity();
        IntensityPolicy b = query.intensity();
        if (!differ(a, b)) {
            return null;
        }
        return "support and query intensities were normalised differently (support: " + a.describe() + "; query: "
                + b.describe() + "): their grey levels are not on one scale, which the confidence model and the "
                + "in-context model assume; read both with the same intensity policy";
    }

    private static boolean differ(IntensityPolicy a, IntensityPolicy b) {
        if (a.normalisation != b.normalisation) {
            return true;
        }
        return switch (a.normalisation) {
            case UNSPECIFIED, MIN_MAX, AS_STORED -> false;
            case FULL_RANGE -> a.storedBits != b.storedBits;
            case WINDOW, PERCENTILE -> Double.compare(a.low, b.low) != 0 || Double.compare(a.high, b.high) != 0;
        };
    }

    /** @return a short description, for example {@code "16-bit, window [-160, 240] onto 0..255"} */
    public String describe() {
        String bits = storedBits == UNKNOWN_BITS ? "bit depth unknown" : storedBits + "-bit";
        return switch (normalisation) {
            case UNSPECIFIED -> "not recorded (built in memory)";
            case AS_STORED -> bits + ", values as stored";
            case FULL_RANGE -> bits + ", full range onto 0..255";
            case WINDOW -> bits + ", window [" + num(low) + ", " + num(high) + "] onto 0..255";
            case PERCENTILE -> bits + ", percentiles " + num(low) + ".." + num(high) + " onto 0..255";
            case MIN_MAX -> bits + ", per-image min..max onto 0..255";
        };
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
                : String.format(Locale.ROOT, "%.6g", v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntensityPolicy p && p.storedBits == storedBits && p.normalisation == normalisation
                && Double.compare(p.low, low) == 0 && Double.compare(p.high, high) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(storedBits, normalisation, low, high);
    }

    @Override
    public String toString() {
        return "IntensityPolicy[" + describe() + "]";
    }
}
