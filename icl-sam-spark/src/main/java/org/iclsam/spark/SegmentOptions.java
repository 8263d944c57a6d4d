package org.iclsam.spark;

import java.io.Serializable;
import java.util.Objects;
import org.iclsam.io.Volume;

/**
 * How {@link IclSamSpark} reads and spreads its input. Immutable and serialisable (it travels with each task).
 * Defaults ({@link #defaults()}): {@code inputs(Inputs.AUTO)}, {@code axis(Volume.Axis.AXIAL)},
 * {@code partitions(0)}.
 */
public final class SegmentOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final SegmentOptions DEFAULTS = builder().build();
    /** With {@link Builder#partitions(int)} 0: the input is spread over this many partitions per core. */
    public static final int PARTITIONS_PER_CORE = 4;

    /** What the input files are. */
    public enum Inputs {
        /** A file named {@code .nii} or {@code .nii.gz} is a volume, anything else a 2D image. */
        AUTO,
        /** Every file is a 2D image (a DICOM file gives its first frame). */
        IMAGES,
        /**
         * Every row is a volume: a NIfTI file, or (in {@link IclSamSpark#segmentFiles}) the DICOM files of one
         * folder as one series.
         */
        VOLUMES
    }

    private final Inputs inputs;
    private final Volume.Axis axis;
    private final int partitions;

    private SegmentOptions(Builder b) {
        this.inputs = b.inputs;
        this.axis = b.axis;
        this.partitions = b.partitions;
    }

    /** @return the defaults described on the class */
    public static SegmentOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return what the input files are */
    public Inputs inputs() {
        return inputs;
    }

    /** @return the axis volumes are cut across */
    public Volume.Axis axis() {
        return axis;
    }

    /** @return the number of partitions to spread the input over, or 0 for the default */
    public int partitions() {
        return partitions;
    }

    @Override
    public String toString() {
        return "SegmentOptions[inputs=" + inputs + ", axis=" + axis + ", partitions=" + partitions + "]";
    }

    /** Builds {@link SegmentOptions}. */
    public static final class Builder {
        private Inputs inputs = Inputs.AUTO;
        private Volume.Axis axis = Volume.Axis.AXIAL;
        private int partitions;

        private Builder() {
        }

        /**
         * @param v what the input files are; default {@link Inputs#AUTO}
         * @return this
         */
        public Builder inputs(Inputs v) {
            this.inputs = Objects.requireNonNull(v, "inputs");
            return this;
        }

        /**
         * @param v the axis volumes are cut across ({@code VolumeSegmenter}); default axial
         * @return this
         */
        public Builder axis(Volume.Axis v) {
            this.axis = Objects.requireNonNull(v, "axis");
            return this;
        }

        /**
         * The input is repartitioned (round robin) into this many partitions before segmenting, so that every
         * core gets work: a {@code binaryFile} read of small images is otherwise often one partition. A task
         * segments its partition's rows one after the other.
         *
         * @param v 1 or more, or 0 for {@value SegmentOptions#PARTITIONS_PER_CORE} per core of the application
         *     ({@code defaultParallelism}), never fewer than the input has
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder partitions(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("partitions must be 0 (default) or more, got " + v);
            }
            this.partitions = v;
            return this;
        }

        /** @return the options */
        public SegmentOptions build() {
            return new SegmentOptions(this);
        }
    }
}
