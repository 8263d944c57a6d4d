package org.iclsam.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of the {@code Dataset<Row>} that {@link IclSamSpark#segment} returns, one row per input image or
 * volume, in this order ({@link #SCHEMA}). A row with a non-null {@link #ERROR} has a null {@link #MASK}: the input
 * could not be read or segmented, and the message says why.
 */
public final class ResultColumns {
    /** The input's path (string, never null): the {@code binaryFile} source's path, or the series folder. */
    public static final String PATH = "path";
    /** {@code "image"} or {@code "volume"} (string). */
    public static final String KIND = "kind";
    /** Rows of the image, or of each slice (int; null on error). */
    public static final String HEIGHT = "height";
    /** Columns of the image, or of each slice (int; null on error). */
    public static final String WIDTH = "width";
    /** Slices across the segmenter's axis (int; null for images). */
    public static final String SLICES = "slices";
    /**
     * The mask (binary; null on error): for an image an 8-bit grey PNG, 0 background and 255 foreground, as
     * {@code ImageFiles.writeMask} writes it; for a volume a gzipped NIfTI-1 label volume with the input's
     * geometry, as {@code NiftiFiles.writeLabels} writes it.
     */
    public static final String MASK = "mask";
    /** {@code "png"} or {@code "nii.gz"} (string; null on error). */
    public static final String MASK_FORMAT = "mask_format";
    /** Foreground pixels or voxels (long; null on error). */
    public static final String AREA = "area";
    /**
     * The box prompts given to SAM (array of struct {@code x0, y0, x1, y1}, pixel coordinates, inclusive; empty
     * when SAM did not run, and for volumes).
     */
    public static final String BOXES = "boxes";
    /** The pipeline's notes (array of string; for volumes prefixed with their slice). */
    public static final String NOTES = "notes";
    /**
     * What made the mask and why (string): {@code Segmentation.choice()}, for the calibrated variant the recipe,
     * its leave-out Dice and the reason it was chosen. For volumes the support's calibration, which every slice
     * shares.
     */
    public static final String CHOICE = "choice";
    /**
     * Milliseconds per stage (map of string to double): the pipeline's stages ({@code encode}, {@code confidence},
     * {@code icl}, {@code boxes}, {@code sam}, {@code fusion}, {@code total}; for volumes summed over slices as
     * {@code segment}), {@code read} (decoding the file's bytes) and {@code write} (encoding the mask).
     */
    public static final String TIMINGS_MS = "timings_ms";
    /** Dice of the mask against the row's label (double; null when there is no label or on error). */
    public static final String DICE = "dice";
    /** Why the row has no mask (string; null when it has one). */
    public static final String ERROR = "error";

    /** The box struct. */
    public static final StructType BOX = new StructType(new StructField[] {
        DataTypes.createStructField("x0", DataTypes.IntegerType, false),
        DataTypes.createStructField("y0", DataTypes.IntegerType, false),
        DataTypes.createStructField("x1", DataTypes.IntegerType, false),
        DataTypes.createStructField("y1", DataTypes.IntegerType, false)});

    /** The schema of a result row. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(PATH, DataTypes.StringType, false),
        DataTypes.createStructField(KIND, DataTypes.StringType, false),
        DataTypes.createStructField(HEIGHT, DataTypes.IntegerType, true),
        DataTypes.createStructField(WIDTH, DataTypes.IntegerType, true),
        DataTypes.createStructField(SLICES, DataTypes.IntegerType, true),
        DataTypes.createStructField(MASK, DataTypes.BinaryType, true),
        DataTypes.createStructField(MASK_FORMAT, DataTypes.StringType, true),
        DataTypes.createStructField(AREA, DataTypes.LongType, true),
        DataTypes.createStructField(BOXES, DataTypes.createArrayType(BOX, false), true),
        DataTypes.createStructField(NOTES, DataTypes.createArrayType(DataTypes.StringType, false), true),
        DataTypes.createStructField(CHOICE, DataTypes.StringType, true),
        DataTypes.createStructField(TIMINGS_MS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType,
                false), true),
        DataTypes.createStructField(DICE, DataTypes.DoubleType, true),
        DataTypes.createStructField(ERROR, DataTypes.StringType, true)});

    /** {@link #KIND} of an image row. */
    public static final String KIND_IMAGE = "image";
    /** {@link #KIND} of a volume row. */
    public static final String KIND_VOLUME = "volume";

    private ResultColumns() {
    }
}
