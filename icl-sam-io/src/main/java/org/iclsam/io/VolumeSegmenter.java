package org.iclsam.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.IntensityPolicy;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;

/**
 * Segments a {@link Volume} with a prepared support, slice by slice: the volume is cut across a chosen
 * {@link Volume.Axis}, each slice is mapped to 0..255 by one intensity policy for the whole volume and segmented
 * by {@link IclSam#segment(Image, PreparedSupport)}, and the masks are stacked back into a label volume with the
 * input's geometry, ready for {@link NiftiFiles#writeLabels}. This is how the paper evaluates 3D data (as 2D
 * slices); there is no 3D context between slices.
 *
 * <pre>{@code
 * Volume ct = NiftiFiles.read(Path.of("case.nii.gz"));
 * VolumeSegmenter segmenter = VolumeSegmenter.builder().axis(Volume.Axis.AXIAL)
 *         .skipIf((index, slice) -> isBackgroundOnly(slice)).build();
 * VolumeSegmenter.Result r = segmenter.segment(icl, ct, prepared);
 * NiftiFiles.writeLabels(r.labels(), Path.of("case-labels.nii.gz"));
 * }</pre>
 *
 * <p><b>Intensity</b>: by default the volume's own window when it has one (a DICOM series), else the volume's
 * 0.5th..99.5th percentiles ({@link #DEFAULT_LOW_PERCENTILE}, {@link #DEFAULT_HIGH_PERCENTILE}, computed once over
 * the whole volume), the window the CLI's 3D task reader uses. Build the support from slices given by
 * {@link #image(Volume, int)} of the same segmenter, so that support and queries share one policy.
 *
 * <p><b>Cost</b>: one {@link IclSam#segment} per slice not skipped (an encoder pass each), sequentially on the
 * calling thread; the labels take 4 bytes per voxel. <b>Not done</b>: DICOM SEG output, 3D post-processing,
 * resampling (oblique volumes are cut along their nearest axes, as {@link Volume} describes).
 *
 * <p>Immutable and thread-safe; the pipeline's own thread-safety applies to {@link #segment}.
 */
public final class VolumeSegmenter {
    /** The default lower percentile of a volume without a window of its own. */
    public static final double DEFAULT_LOW_PERCENTILE = 0.5;
    /** The default upper percentile. */
    public static final double DEFAULT_HIGH_PERCENTILE = 99.5;
    /** The default label of segmented voxels. */
    public static final int DEFAULT_LABEL = 1;

    /** Decides which slices are not segmented (their labels stay 0). */
    @FunctionalInterface
    public interface SliceTest {
        /**
         * @param index the slice index across the axis
         * @param slice the slice as it would be segmented (0..255, with its policy)
         * @return true to skip it
         */
        boolean skip(int index, Image slice);
    }

    /** What {@link #segment} returns. */
    public record Result(Volume labels, List<Integer> segmentedSlices, List<String> notes) {
        /**
         * @param labels the label volume (0 background, the builder's label elsewhere), the input's geometry
         * @param segmentedSlices the indices that were segmented, ascending
         * @param notes the pipeline's notes, each prefixed with its slice ("slice 12: ...")
         */
        public Result {
            Objects.requireNonNull(labels, "labels");
            segmentedSlices = List.copyOf(segmentedSlices);
            notes = List.copyOf(notes);
        }
    }

    private final Volume.Axis axis;
    private final IntensityPolicy intensity;
    private final SliceTest skip;
    private final int label;

    private VolumeSegmenter(Builder b) {
        this.axis = b.axis;
        this.intensity = b.intensity;
        this.skip = b.skip;
        this.label = b.label;
    }

    /** @return a builder with the defaults: axial, the default intensity, no slice skipped, label 1 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the axis slices are cut across */
    public Volume.Axis axis() {
        return axis;
    }

    /**
     * The policy applied to a volume's slices.
     *
     * @param volume the volume
     * @return the builder's policy, or the default described on the class
     */
    public IntensityPolicy intensityFor(Volume volume) {
        if (intensity != null) {
            return intensity;
        }
        double[] w = volume.fileWindow();
        return w != null ? IntensityPolicy.window(volume.storedBits(), w[0], w[1])
                : IntensityPolicy.percentile(volume.storedBits(), DEFAULT_LOW_PERCENTILE, DEFAULT_HIGH_PERCENTILE);
    }

    /**
     * One slice exactly as {@link #segment} gives it to the pipeline; use it to build a support from volumes. Each
     * call computes the volume's window afresh (for percentiles, a sort of all its values: about 0.2 s for
     * 256 x 256 x 37 voxels).
     *
     * @param volume the volume
     * @param index the slice across {@link #axis()}
     * @return a grey image on 0..255 recording its policy
     */
    public Image image(Volume volume, int index) {
        return image(volume, index, window(volume));
    }

    /**
     * Segments every slice not skipped.
     *
     * @param icl the pipeline
     * @param volume the volume
     * @param support a support prepared by {@code icl}
     * @return the label volume with the input's geometry, the segmented slice indices and the notes
     */
    public Result segment(IclSam icl, Volume volume, PreparedSupport support) {
        Objects.requireNonNull(icl, "icl");
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(support, "support");
        double[] window = window(volume);
        int[] shape = volume.sliceShape(axis);
        float[] labels = new float[volume.width() * volume.height() * volume.depth()];
        List<Integer> done = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int index = 0; index < volume.slices(axis); index++) {
            Image slice = image(volume, index, window);
            if (skip != null && skip.skip(index, slice)) {
                continue;
            }
            Segmentation s = icl.segment(slice, support);
            for (int r = 0; r < shape[0]; r++) {
                for (int c = 0; c < shape[1]; c++) {
                    if (s.mask().get(r, c)) {
                        labels[volume.canonicalIndex(axis, index, r, c)] = label;
                    }
                }
            }
            done.add(index);
            for (String n : s.notes()) {
                notes.add("slice " + index + ": " + n);
            }
        }
        int datatype = label <= 255 ? NiftiFiles.DT_UINT8 : NiftiFiles.DT_INT16;
        return new Result(volume.withValues(labels, datatype, label <= 255 ? 8 : 16), done, notes);
    }

    /** {low, high} of the linear map onto 0..255, or null for AS_STORED. */
    private double[] window(Volume volume) {
        IntensityPolicy p = intensityFor(volume);
        return switch (p.normalisation()) {
            case WINDOW -> new double[] {p.low(), p.high()};
            case PERCENTILE -> Intensities.percentiles(volume.data(), p.low(), p.high());
            case MIN_MAX -> Intensities.percentiles(volume.data(), 0, 100);
            case AS_STORED -> null;
            default -> throw new AssertionError(p);
        };
    }

    private Image image(Volume volume, int index, double[] window) {
        int[] shape = volume.sliceShape(axis);
        float[] px = volume.slice(axis, index);
        if (window != null) {
            Intensities.map(px, window[0], window[1]);
        }
        IntensityPolicy p = intensityFor(volume);
        return Image.grey(shape[0], shape[1], px, p);
    }

    /** Builds a {@link VolumeSegmenter}; every setter is optional. */
    public static final class Builder {
        private Volume.Axis axis = Volume.Axis.AXIAL;
        private IntensityPolicy intensity;
        private SliceTest skip;
        private int label = DEFAULT_LABEL;

        private Builder() {
        }

        /**
         * @param v the axis to cut slices across; default {@link Volume.Axis#AXIAL}
         * @return this
         */
        public Builder axis(Volume.Axis v) {
            this.axis = Objects.requireNonNull(v, "axis");
            return this;
        }

        /**
         * @param v WINDOW (in the volume's value units), PERCENTILE or MIN_MAX (over the whole volume), or
         *     AS_STORED; default as described on the class
         * @return this
         * @throws IllegalArgumentException for FULL_RANGE (a volume's values are already scaled) or UNSPECIFIED
         */
        public Builder intensity(IntensityPolicy v) {
            Objects.requireNonNull(v, "intensity");
            if (v.normalisation() == IntensityPolicy.Normalisation.FULL_RANGE
                    || v.normalisation() == IntensityPolicy.Normalisation.UNSPECIFIED) {
                throw new IllegalArgumentException("a volume's slices take a WINDOW, PERCENTILE, MIN_MAX or AS_STORED "
                        + "policy, not " + v.normalisation());
            }
            this.intensity = v;
            return this;
        }

        /**
         * @param v decides which slices are skipped (left 0); default none
         * @return this
         */
        public Builder skipIf(SliceTest v) {
            this.skip = Objects.requireNonNull(v, "skipIf");
            return this;
        }

        /**
         * @param v the label written where the mask is set, 1..32767; default {@value #DEFAULT_LABEL}
         * @return this
         */
        public Builder label(int v) {
            if (v < 1 || v > Short.MAX_VALUE) {
                throw new IllegalArgumentException("label must be 1.." + Short.MAX_VALUE + ", got " + v);
            }
            this.label = v;
            return this;
        }

        /** @return the segmenter */
        public VolumeSegmenter build() {
            return new VolumeSegmenter(this);
        }
    }
}
