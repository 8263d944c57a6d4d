package org.iclsam.spark;

/**
 * The columns {@link IclSamSpark#segment} reads from its input: those of Spark's {@code binaryFile} source
 * ({@link #PATH}, {@link #CONTENT}; its {@code modificationTime} and {@code length} are ignored) and an optional
 * {@link #LABEL}. Other columns are ignored.
 */
public final class InputColumns {
    /** The file's path or URI (string, required). Its name decides NIfTI (.nii, .nii.gz) against 2D images. */
    public static final String PATH = "path";
    /** The file's bytes (binary, required): PNG, JPEG, TIFF, DICOM, or a NIfTI-1 volume. */
    public static final String CONTENT = "content";
    /**
     * The label file's bytes (binary, optional; null for an unlabelled row): a mask image of the same size
     * (foreground &gt; 0, as {@code ImageFiles.readMask}) or, for a volume, a NIfTI label volume (foreground
     * &gt; 0). When present, each row gets its Dice.
     */
    public static final String LABEL = "label";
    /**
     * The files of a DICOM series (array of struct {@code path, content}, optional): a row that has it is one
     * volume read with {@code DicomSeries.read}; {@link #CONTENT} is then ignored. {@link IclSamSpark#segmentFiles}
     * builds such rows from the folders of DICOM files when asked for volumes.
     */
    public static final String SERIES = "series";

    private InputColumns() {
    }
}
