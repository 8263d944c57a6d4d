package org.iclsam.io;

import java.util.Objects;
import org.iclsam.core.Image;
import org.iclsam.core.IntensityPolicy;

/**
 * The pixels and the few attributes of one DICOM image (single- or multi-frame) that segmentation needs, as
 * {@link DicomFiles#read} found them. Pixel values are kept as modality values: the stored integers (masked to
 * BitsStored, sign-extended when PixelRepresentation is 1) times RescaleSlope plus RescaleIntercept (for CT,
 * Hounsfield units).
 *
 * <p>{@link #image(int)} turns a frame into an {@link Image} on the 0..255 scale:
 * <ul>
 *   <li>with the file's first WindowCenter/WindowWidth when it has them, by DICOM's linear VOI function (PS3.3
 *       C.11.2.1.2: {@code [c - 0.5 - (w - 1) / 2, c - 0.5 + (w - 1) / 2]} onto 0..255, clipped);</li>
 *   <li>otherwise with the stored type's full range (BitsStored, signed or not, after the rescale) onto 0..255,
 *       the rule {@link ImageFiles} applies to PNG files;</li>
 *   <li>MONOCHROME1 (low values bright) is inverted after that, so that every image is bright where the values
 *       display bright.</li>
 * </ul>
 * {@link #image(int, IntensityPolicy)} applies a window or percentiles given by the caller instead. The result
 * records its {@link IntensityPolicy}.
 *
 * <p>Immutable; accessors of arrays return copies. Memory: 4 bytes per pixel and frame.
 */
public final class DicomImage {
    private final String source;
    private final String transferSyntax;
    private final int rows;
    private final int columns;
    private final int frames;
    private final int bitsAllocated;
    private final int bitsStored;
    private final boolean signed;
    private final boolean monochrome1;
    private final double slope;
    private final double intercept;
    private final double windowCenter;
    private final double windowWidth;
    private final String modality;
    private final String seriesUid;
    private final Integer instanceNumber;
    private final double[] position;
    private final double[] orientation;
    private final double[] pixelSpacing;
    private final double sliceThickness;
    private final double spacingBetweenSlices;
    private final float[] values;

    DicomImage(String source, String transferSyntax, int rows, int columns, int frames, int bitsAllocated,
            int bitsStored, boolean signed, boolean monochrome1, double slope, double intercept, double windowCenter,
            double windowWidth, String modality, String seriesUid, Integer instanceNumber, double[] position,
            double[] orientation, double[] pixelSpacing, double sliceThickness, double spacingBetweenSlices,
            float[] values) {
        this.source = source;
        this.transferSyntax = transferSyntax;
        this.rows = rows;
        this.columns = columns;
        this.frames = frames;
        this.bitsAllocated = bitsAllocated;
        this.bitsStored = bitsStored;
        this.signed = signed;
        this.monochrome1 = monochrome1;
        this.slope = slope;
        this.intercept = intercept;
        this.windowCenter = windowCenter;
        this.windowWidth = windowWidth;
        this.modality = modality;
        this.seriesUid = seriesUid;
        this.instanceNumber = instanceNumber;
        this.position = position;
        this.orientation = orientation;
        this.pixelSpacing = pixelSpacing;
        this.sliceThickness = sliceThickness;
        this.spacingBetweenSlices = spacingBetweenSlices;
        this.values = values;
    }

    /** @return the file the image came from */
    public String source() {
        return source;
    }

    /** @return the TransferSyntaxUID (one of the two uncompressed little-endian syntaxes) */
    public String transferSyntax() {
        return transferSyntax;
    }

    /** @return Rows */
    public int rows() {
        return rows;
    }

    /** @return Columns */
    public int columns() {
        return columns;
    }

    /** @return NumberOfFrames (1 for a single-frame file) */
    public int frames() {
        return frames;
    }

    /** @return BitsAllocated: 8 or 16 */
    public int bitsAllocated() {
        return bitsAllocated;
    }

    /** @return BitsStored */
    public int bitsStored() {
        return bitsStored;
    }

    /** @return whether PixelRepresentation is 1 (two's complement) */
    public boolean signed() {
        return signed;
    }

    /** @return whether PhotometricInterpretation is MONOCHROME1 (low values bright) */
    public boolean monochrome1() {
        return monochrome1;
    }

    /** @return RescaleSlope (1 when absent) */
    public double rescaleSlope() {
        return slope;
    }

    /** @return RescaleIntercept (0 when absent) */
    public double rescaleIntercept() {
        return intercept;
    }

    /** @return the first WindowCenter, NaN when absent */
    public double windowCenter() {
        return windowCenter;
    }

    /** @return the first WindowWidth, NaN when absent */
    public double windowWidth() {
        return windowWidth;
    }

    /** @return Modality, or null */
    public String modality() {
        return modality;
    }

    /** @return SeriesInstanceUID, or null */
    public String seriesInstanceUid() {
        return seriesUid;
    }

    /** @return InstanceNumber, or null */
    public Integer instanceNumber() {
        return instanceNumber;
    }

    /** @return ImagePositionPatient (x, y, z in the patient's LPS millimetres), or null */
    public double[] imagePosition() {
        return position == null ? null : position.clone();
    }

    /** @return ImageOrientationPatient (row direction cosines, then column direction cosines), or null */
    public double[] imageOrientation() {
        return orientation == null ? null : orientation.clone();
    }

    /** @return PixelSpacing (between rows, between columns) in millimetres, or null */
    public double[] pixelSpacing() {
        return pixelSpacing == null ? null : pixelSpacing.clone();
    }

    /** @return SliceThickness, NaN when absent */
    public double sliceThickness() {
        return sliceThickness;
    }

    /** @return SpacingBetweenSlices, NaN when absent */
    public double spacingBetweenSlices() {
        return spacingBetweenSlices;
    }

    /**
     * @param frame 0-based frame index
     * @return a copy of the frame's modality values, {@code rows * columns}, row-major
     */
    public float[] values(int frame) {
        Objects.checkIndex(frame, frames);
        float[] out = new float[rows * columns];
        System.arraycopy(values, frame * out.length, out, 0, out.length);
        return out;
    }

    /** Package-private: all frames' values, not copied. */
    float[] allValues() {
        return values;
    }

    /**
     * @return the file's own window as {low, high} in modality units by DICOM's linear VOI function, or null when it
     *     has no WindowCenter/WindowWidth
     * @throws IllegalArgumentException naming the file, if its WindowWidth is not above 1
     */
    public double[] fileWindow() {
        if (Double.isNaN(windowCenter) || Double.isNaN(windowWidth)) {
            return null;
        }
        if (!(windowWidth > 1)) {
            throw new IllegalArgumentException(source + ": WindowWidth " + windowWidth + " is not above 1; give a "
                    + "window with image(frame, IntensityPolicy.window(...))");
        }
        double half = (windowWidth - 1) / 2;
        return new double[] {windowCenter - 0.5 - half, windowCenter - 0.5 + half};
    }

    /** @return the policy {@link #image(int)} applies: the file's window, else the stored type's full range */
    public IntensityPolicy defaultIntensity() {
        double[] w = fileWindow();
        return w != null ? IntensityPolicy.window(bitsStored, w[0], w[1]) : IntensityPolicy.fullRange(bitsStored);
    }

    /**
     * A frame on the 0..255 scale with the default policy ({@link #defaultIntensity()}).
     *
     * @param frame 0-based frame index
     * @return a grey image recording its policy
     */
    public Image image(int frame) {
        return image(frame, defaultIntensity());
    }

    /**
     * A frame on the 0..255 scale with a given policy.
     *
     * @param frame 0-based frame index
     * @param policy {@link IntensityPolicy.Normalisation#WINDOW WINDOW} (in modality units), PERCENTILE, MIN_MAX,
     *     FULL_RANGE (the stored type's range; its bit depth is taken from the file) or AS_STORED (modality values
     *     unscaled)
     * @return a grey image recording the policy applied, with the file's bit depth
     * @throws IllegalArgumentException if the policy is UNSPECIFIED
     */
    public Image image(int frame, IntensityPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        float[] v = values(frame);
        double lo = signed ? -Math.pow(2, bitsStored - 1) : 0;
        double hi = signed ? Math.pow(2, bitsStored - 1) - 1 : Math.pow(2, bitsStored) - 1;
        IntensityPolicy applied = Intensities.apply(v, policy, bitsStored, lo * slope + intercept,
                hi * slope + intercept);
        if (monochrome1 && applied.normalisation() != IntensityPolicy.Normalisation.AS_STORED) {
            for (int i = 0; i < v.length; i++) {
                v[i] = IntensityPolicy.OUTPUT_MAX - v[i];
            }
        }
        return Image.grey(rows, columns, v, applied);
    }

    @Override
    public String toString() {
        return "DicomImage[" + source + ", " + rows + "x" + columns + "x" + frames + " frames, " + bitsStored + "/"
                + bitsAllocated + " bits" + (signed ? " signed" : "") + (monochrome1 ? ", MONOCHROME1" : "") + "]";
    }
}
