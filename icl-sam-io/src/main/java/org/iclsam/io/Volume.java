package org.iclsam.io;

import java.util.Objects;

/**
 * A 3D grey volume (a NIfTI-1 file or a DICOM series) in one canonical voxel layout, with the geometry of the file
 * it came from, so that a label volume computed on it can be written back with that geometry
 * ({@link NiftiFiles#writeLabels}).
 *
 * <p><b>Canonical layout</b> (flat {@code float[]}, index {@code (z * height + y) * width + x}):
 * <ul>
 *   <li>x (columns) runs toward the patient's left, so the patient's right is on the image's left, as
 *       radiologists view axial slices;</li>
 *   <li>y (rows) runs from anterior (top) to posterior;</li>
 *   <li>z (slices) runs from inferior to superior; a fixed z is an axial slice.</li>
 * </ul>
 * Each stored voxel axis is assigned to the world axis it points along most; oblique volumes are therefore
 * resliced to the nearest axis-aligned orientation, without interpolation (the written labels go back to the
 * stored order exactly).
 *
 * <p><b>Values</b> are the file's values after its own scaling (NIfTI {@code scl_slope}/{@code scl_inter}, DICOM
 * rescale slope and intercept), for example Hounsfield units; {@link #slice(Axis, int)} returns them as they are,
 * and {@link VolumeSegmenter} maps them to 0..255 by an explicit {@link org.iclsam.core.IntensityPolicy}.
 *
 * <p>Immutable; {@link #slice} copies. Memory: 4 bytes per voxel.
 */
public final class Volume {
    /** The axis a slice is taken across. */
    public enum Axis {
        /**
         * Fixed canonical z: rows y (anterior at the top), columns x (patient's right on the left); height x width
         * is {@link #height()} x {@link #width()}.
         */
        AXIAL,
        /**
         * Fixed canonical y: rows z from superior (top) to inferior, columns x (patient's right on the left);
         * {@link #depth()} x {@link #width()}.
         */
        CORONAL,
        /**
         * Fixed canonical x: rows z from superior (top) to inferior, columns y from anterior (left) to posterior;
         * {@link #depth()} x {@link #height()}.
         */
        SAGITTAL
    }

    private final int width;
    private final int height;
    private final int depth;
    private final float[] data;
    private final double[] spacing;
    private final int datatype;
    private final int storedBits;
    private final double[] fileWindow;
    private final VolumeGeometry geometry;

    Volume(int width, int height, int depth, float[] data, double[] spacing, int datatype, int storedBits,
            double[] fileWindow, VolumeGeometry geometry) {
        this.width = width;
        this.height = height;
        this.depth = depth;
        this.data = data;
        this.spacing = spacing;
        this.datatype = datatype;
        this.storedBits = storedBits;
        this.fileWindow = fileWindow;
        this.geometry = geometry;
    }

    /**
     * A volume of the same geometry holding other values, for example labels.
     *
     * @param values {@code width * height * depth} values in the canonical layout; not modified, copied
     * @param datatype the NIfTI-1 data type code that fits them
     * @param storedBits their bits per sample
     * @return the volume
     */
    Volume withValues(float[] values, int datatype, int storedBits) {
        if (values.length != data.length) {
            throw new IllegalArgumentException("a volume of " + width + "x" + height + "x" + depth + " needs "
                    + data.length + " values, got " + values.length);
        }
        return new Volume(width, height, depth, values.clone(), spacing, datatype, storedBits, null, geometry);
    }

    /** @return columns (x) in the canonical layout */
    public int width() {
        return width;
    }

    /** @return rows (y) in the canonical layout */
    public int height() {
        return height;
    }

    /** @return axial slices (z) in the canonical layout */
    public int depth() {
        return depth;
    }

    /**
     * @return the NIfTI-1 data type code of the stored values (for a DICOM series the code of its stored
     *     integers: 2 uint8, 256 int8, 512 uint16, 4 int16)
     */
    public int datatype() {
        return datatype;
    }

    /** @return bits per stored sample (DICOM's BitsStored; the data type's size for NIfTI) */
    public int storedBits() {
        return storedBits;
    }

    /**
     * @return the window the file recommends as {low, high} in value units (DICOM WindowCenter/WindowWidth of the
     *     first slice, by DICOM's linear VOI formula), or null when it has none (NIfTI files never do)
     */
    public double[] fileWindow() {
        return fileWindow == null ? null : fileWindow.clone();
    }

    /** @return voxel spacing along canonical x, y, z in millimetres (1 where the file gives none) */
    public double[] spacing() {
        return spacing.clone();
    }

    /**
     * Two percentiles of all the volume's values, by linear interpolation between the sorted values (numpy's
     * default), as {@link VolumeSegmenter} and the command line's 3D task reader window a volume.
     *
     * <p>Cost: the values are copied and sorted, O(n log n) time and 4 bytes per voxel while it runs.
     *
     * @param lowPct the lower percentile, 0..100
     * @param highPct the upper percentile, 0..100
     * @return {the value at {@code lowPct}, the value at {@code highPct}}
     * @throws IllegalArgumentException if a percentile is outside 0..100
     */
    public double[] percentiles(double lowPct, double highPct) {
        if (!(lowPct >= 0 && lowPct <= 100 && highPct >= 0 && highPct <= 100)) {
            throw new IllegalArgumentException("percentiles must be within 0..100, got " + lowPct + " and "
                    + highPct);
        }
        return Intensities.percentiles(data, lowPct, highPct);
    }

    /** Package-private: the stored layout and the NIfTI header that describes it. */
    VolumeGeometry geometry() {
        return geometry;
    }

    /**
     * @param x column
     * @param y row
     * @param z slice
     * @return the value
     */
    public float get(int x, int y, int z) {
        Objects.checkIndex(x, width);
        Objects.checkIndex(y, height);
        Objects.checkIndex(z, depth);
        return data[(z * height + y) * width + x];
    }

    /**
     * @param z an axial slice index
     * @return a copy of the slice, {@code height x width}, row-major
     */
    public float[] slice(int z) {
        return slice(Axis.AXIAL, z);
    }

    /**
     * @param axis the axis
     * @return how many slices there are across it
     */
    public int slices(Axis axis) {
        return switch (axis) {
            case AXIAL -> depth;
            case CORONAL -> height;
            case SAGITTAL -> width;
        };
    }

    /**
     * @param axis the axis
     * @return {rows, columns} of its slices (see {@link Axis})
     */
    public int[] sliceShape(Axis axis) {
        return switch (axis) {
            case AXIAL -> new int[] {height, width};
            case CORONAL -> new int[] {depth, width};
            case SAGITTAL -> new int[] {depth, height};
        };
    }

    /**
     * A copy of one slice, oriented as {@link Axis} describes.
     *
     * @param axis the axis
     * @param index the slice, {@code 0 <= index < slices(axis)}
     * @return {@code rows * columns} values, row-major
     */
    public float[] slice(Axis axis, int index) {
        Objects.requireNonNull(axis, "axis");
        Objects.checkIndex(index, slices(axis));
        int[] shape = sliceShape(axis);
        float[] s = new float[shape[0] * shape[1]];
        if (axis == Axis.AXIAL) {
            System.arraycopy(data, index * width * height, s, 0, s.length);
            return s;
        }
        for (int r = 0; r < shape[0]; r++) {
            for (int c = 0; c < shape[1]; c++) {
                s[r * shape[1] + c] = data[canonicalIndex(axis, index, r, c)];
            }
        }
        return s;
    }

    /** The canonical flat index of (row, column) of slice {@code index} across {@code axis}. */
    int canonicalIndex(Axis axis, int index, int row, int column) {
        return switch (axis) {
            case AXIAL -> (index * height + row) * width + column;
            case CORONAL -> ((depth - 1 - row) * height + index) * width + column;
            case SAGITTAL -> ((depth - 1 - row) * height + column) * width + index;
        };
    }

    /** Package-private: the canonical values, not copied. */
    float[] data() {
        return data;
    }

    @Override
    public String toString() {
        return "Volume[" + width + "x" + height + "x" + depth + ", datatype " + datatype + ", " + geometry.source()
                + "]";
    }
}
