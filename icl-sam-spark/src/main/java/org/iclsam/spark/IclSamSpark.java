package org.iclsam.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.struct;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.SupportSet;

/**
 * Segments a cohort on Spark: a {@code Dataset<Row>} of image or volume files in, a {@code Dataset<Row>} of masks
 * and metadata out ({@link ResultColumns}), one row per input, lazily (nothing runs until the result is written or
 * collected; {@link #write} writes it once).
 *
 * <pre>{@code
 * PipelineRecipe recipe = DefaultModelsRecipe.builder().build();          // the command line's pipeline
 * Dataset<Row> masks = IclSamSpark.segmentFiles(spark, "hdfs:///study/slices/*.png", null,
 *         SupportPayload.of(supportSet), recipe, SegmentOptions.defaults());
 * IclSamSpark.write(masks, "hdfs:///study/masks", true);                   // Parquet, mask files, manifest
 * }</pre>
 *
 * <p><b>What runs where.</b> The support travels once per call as a broadcast of {@link SupportPayload}. On each
 * executor JVM the first task opens the recipe's pipeline and prepares the support, or loads it when the payload is
 * a saved prepared support ({@link ExecutorPipelines}), once; every task then segments its partition's rows one by one through that shared, thread-safe pipeline, so an
 * executor with {@code C} cores segments {@code C} images at a time. The masks equal those of
 * {@code IclSam.segment} on one machine with the same pipeline, support and files, bit for bit.
 *
 * <p><b>Failures.</b> A row that cannot be read or segmented gets a null mask and an {@link ResultColumns#ERROR}
 * saying why; it never fails the job. Input without the required columns fails here, before any work, naming
 * them. A pipeline that cannot be opened (models missing on an executor) fails the task, and after Spark's
 * retries the job, with the loader's message.
 *
 * <p><b>Cost.</b> Per executor JVM: one model load and one support preparation (or one load of a saved one). Per row: decoding (a local
 * temporary file), one {@code IclSam.segment} per image or slice, encoding the mask, and Spark's own per-row and
 * per-task overhead (measured in the module's README section). Memory: see docs/SPARK.md.
 */
public final class IclSamSpark {
    private IclSamSpark() {
    }

    /**
     * Segments the rows of a Dataset with a support set, which every executor prepares once.
     *
     * @param images rows with {@link InputColumns#PATH} and {@link InputColumns#CONTENT} (the {@code binaryFile}
     *     source's), optionally {@link InputColumns#LABEL} and {@link InputColumns#SERIES}
     * @param support the support as it travels ({@link SupportPayload#of(SupportSet)})
     * @param recipe how the executors open the pipeline
     * @param options input kind, volume axis, partitions
     * @return the results, lazily, {@link ResultColumns#SCHEMA}
     * @throws IllegalArgumentException if a required column is missing or has another type
     */
    public static Dataset<Row> segment(Dataset<Row> images, SupportPayload support, PipelineRecipe recipe,
            SegmentOptions options) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(support, "support");
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(options, "options");
        StructType schema = images.schema();
        int path = require(schema, InputColumns.PATH, DataTypes.StringType, true);
        int series = index(schema, InputColumns.SERIES);
        int content = require(schema, InputColumns.CONTENT, DataTypes.BinaryType, series < 0);
        int label = index(schema, InputColumns.LABEL);
        if (label >= 0) {
            require(schema, InputColumns.LABEL, DataTypes.BinaryType, true);
        }
        if (series >= 0 && !(schema.fields()[series].dataType() instanceof ArrayType)) {
            throw new IllegalArgumentException("column '" + InputColumns.SERIES + "' must be an array of struct"
                    + " (path string, content binary), got " + schema.fields()[series].dataType().simpleString());
        }
        SparkSession spark = images.sparkSession();
        Broadcast<SupportPayload> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(support);
        int n = options.partitions() > 0 ? options.partitions()
                : spark.sparkContext().defaultParallelism() * SegmentOptions.PARTITIONS_PER_CORE;
        return images.repartition(n).mapPartitions(new SegmentPartition(recipe, b, options, path, content, label,
                series), Encoders.row(ResultColumns.SCHEMA));
    }

    /**
     * Segments the rows of a Dataset with a prepared support. The support is sent in its saved form
     * ({@link SupportPayload#of(PreparedSupport)}), which the executors load without an encoder pass or a fit, so
     * the recipe must open a pipeline with the models and settings that prepared it (the first task on each
     * executor fails naming every difference otherwise).
     *
     * @param images as {@link #segment(Dataset, SupportPayload, PipelineRecipe, SegmentOptions)}
     * @param support a support prepared by a pipeline equal to the recipe's
     * @param recipe how the executors open the pipeline
     * @param options input kind, volume axis, partitions
     * @return the results, lazily
     */
    public static Dataset<Row> segment(Dataset<Row> images, PreparedSupport support, PipelineRecipe recipe,
            SegmentOptions options) {
        return segment(images, SupportPayload.of(support), recipe, options);
    }

    /**
     * Reads files with Spark's {@code binaryFile} source into the input {@link #segment} takes: {@code path},
     * {@code content}, and {@code label} when a label location is given (joined on the file name without its
     * extension, {@code .nii.gz} counting as one). With {@link SegmentOptions.Inputs#VOLUMES}, the files that are
     * not NIfTI are grouped by folder, one DICOM series per folder, in {@link InputColumns#SERIES}.
     *
     * @param spark the session
     * @param inputs a file, folder or glob ({@code /data/study/*.png}), any file system Spark reads
     * @param labels a folder or glob of label files with the same names, or null
     * @param options what the files are
     * @return the input rows, lazily
     * @throws IllegalArgumentException if two label files have the same name without extension
     */
    public static Dataset<Row> readFiles(SparkSession spark, String inputs, String labels, SegmentOptions options) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
        Dataset<Row> files = spark.read().format("binaryFile").load(inputs).select(col("path"), col("content"));
        DataType seriesType = DataTypes.createArrayType(new StructType(new StructField[] {
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("content", DataTypes.BinaryType, true)}), false);
        Dataset<Row> rows;
        if (options.inputs() == SegmentOptions.Inputs.VOLUMES) {
            Column nifti = col("path").rlike("(?i)\\.nii(\\.gz)?$");
            Dataset<Row> volumes = files.where(nifti).withColumn(InputColumns.SERIES, lit(null).cast(seriesType));
            Dataset<Row> series = files.where(nifti.unary_$bang())
                    .withColumn("folder", regexp_extract(col("path"), "^(.*)/[^/]+$", 1))
                    .groupBy("folder").agg(collect_list(struct(col("path"), col("content"))).as(InputColumns.SERIES))
                    .select(col("folder").as("path"), lit(null).cast(DataTypes.BinaryType).as("content"),
                            col(InputColumns.SERIES));
            rows = volumes.unionByName(series);
        } else {
            rows = files;
        }
        if (labels == null) {
            return rows;
        }
        Dataset<Row> lab = spark.read().format("binaryFile").load(labels)
                .select(stem(col("path")).as("label_stem"), col("content").as(InputColumns.LABEL));
        List<Row> dup = lab.groupBy("label_stem").count().where(col("count").gt(1)).limit(3).collectAsList();
        if (!dup.isEmpty()) {
            throw new IllegalArgumentException("label files under " + labels + " must have distinct names without"
                    + " extension; these occur more than once: " + Arrays.toString(dup.stream().map(r -> r.get(0))
                    .toArray()));
        }
        return rows.join(lab, stem(col("path")).equalTo(col("label_stem")), "left").drop("label_stem");
    }

    /**
     * {@link #readFiles} then {@link #segment(Dataset, SupportPayload, PipelineRecipe, SegmentOptions)}.
     *
     * @param spark the session
     * @param inputs a file, folder or glob of inputs
     * @param labels a folder or glob of labels with the same names, or null
     * @param support the support as it travels
     * @param recipe how the executors open the pipeline
     * @param options input kind, volume axis, partitions
     * @return the results, lazily
     */
    public static Dataset<Row> segmentFiles(SparkSession spark, String inputs, String labels, SupportPayload support,
            PipelineRecipe recipe, SegmentOptions options) {
        return segment(readFiles(spark, inputs, labels, options), support, recipe, options);
    }

    /**
     * Writes results once: {@code results.parquet} (every column, masks as bytes), then, when asked, one mask file
     * per segmented row ({@code masks/<name>.png} or {@code .nii.gz}) and {@code manifest.csv}
     * ({@link ResultWriter}). Each part is written under a temporary name and moved into place, so a failure never
     * leaves a half-written file under a final name.
     *
     * @param results what {@link #segment} returned
     * @param out the output folder, any file system Spark writes (created)
     * @param maskFiles whether to write the mask files and the manifest
     * @return what was written
     */
    public static ResultWriter.Summary write(Dataset<Row> results, String out, boolean maskFiles) {
        return ResultWriter.write(results, out, maskFiles);
    }

    /** The file name without folder and extension ({@code .nii.gz} is one extension). */
    static Column stem(Column path) {
        return regexp_extract(path, "([^/]+?)(\\.nii\\.gz|\\.[^./]*)?$", 1);
    }

    private static int index(StructType schema, String name) {
        return Arrays.asList(schema.fieldNames()).indexOf(name);
    }

    private static int require(StructType schema, String name, DataType type, boolean required) {
        int i = index(schema, name);
        if (i < 0) {
            if (!required) {
                return -1;
            }
            throw new IllegalArgumentException("the input has no column '" + name + "' (" + type.simpleString()
                    + "); it has " + Arrays.toString(schema.fieldNames()) + ": read files with"
                    + " IclSamSpark.readFiles or spark.read().format(\"binaryFile\")");
        }
        DataType t = schema.fields()[i].dataType();
        if (!t.equals(type)) {
            throw new IllegalArgumentException("column '" + name + "' must be " + type.simpleString() + ", got "
                    + t.simpleString());
        }
        return i;
    }
}
