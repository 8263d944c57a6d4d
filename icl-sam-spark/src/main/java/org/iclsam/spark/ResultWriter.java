package org.iclsam.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.iclsam.core.IclSamException;

/**
 * Writes {@link IclSamSpark}'s results to a folder on any file system Spark writes (local, HDFS, object stores):
 * <ul>
 *   <li>{@value #PARQUET}: every result column, the masks as bytes (written by the executors, then renamed into
 *       place from a temporary name);</li>
 *   <li>optionally {@value #MASKS}{@code /<name>.png} (images) or {@code .nii.gz} (volumes), one per row with a
 *       mask, {@code <name>} being the input's file name without extension (with {@code -} and 8 hex digits of
 *       the path's SHA-256 appended when two inputs share a name), and {@value #MANIFEST}, one line per row:
 *       path, mask file, kind, area, Dice, error.</li>
 * </ul>
 * The segmentation runs once, for the Parquet; the mask files and the manifest are read back from it. Every file
 * is written under a temporary name in its folder and renamed (atomic on local and HDFS file systems; on object
 * stores a rename is a copy, so a failure may leave a temporary file, never a half-written final one).
 *
 * <p>The mask files pass through the driver (a few kilobytes each as PNG), which keeps the file system's
 * credentials on the driver's configuration; for millions of rows, read the Parquet instead.
 */
public final class ResultWriter {
    /** The Parquet folder under the output folder. */
    public static final String PARQUET = "results.parquet";
    /** The folder of mask files. */
    public static final String MASKS = "masks";
    /** The manifest file. */
    public static final String MANIFEST = "manifest.csv";

    /**
     * What was written.
     *
     * @param rows result rows
     * @param errors rows with an error
     * @param maskFiles mask files written (0 when not asked)
     * @param meanDice mean Dice over the rows that have one, NaN when none has
     * @param out the output folder
     */
    public record Summary(long rows, long errors, long maskFiles, double meanDice, String out) {
    }

    private ResultWriter() {
    }

    static Summary write(Dataset<Row> results, String out, boolean maskFiles) {
        SparkSession spark = results.sparkSession();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path dir = new Path(out);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            fs.mkdirs(dir);
            Path parquet = new Path(dir, PARQUET);
            Path tmp = new Path(dir, "." + PARQUET + ".tmp-" + UUID.randomUUID());
            results.write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString());
            replace(fs, tmp, parquet);
            Dataset<Row> saved = spark.read().parquet(parquet.toString());
            Row stats = saved.selectExpr("count(*)", "count(" + ResultColumns.ERROR + ")",
                    "avg(" + ResultColumns.DICE + ")").first();
            long rows = stats.getLong(0);
            long errors = stats.getLong(1);
            double dice = stats.isNullAt(2) ? Double.NaN : stats.getDouble(2);
            long written = maskFiles ? writeMasks(fs, dir, saved) : 0;
            return new Summary(rows, errors, written, dice, dir.toString());
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "writing results to " + out + " failed: " + e, e);
        }
    }

    private static long writeMasks(FileSystem fs, Path dir, Dataset<Row> saved) throws IOException {
        List<Row> paths = saved.select(col(ResultColumns.PATH)).collectAsList();
        Map<String, Integer> stems = new HashMap<>();
        for (Row r : paths) {
            stems.merge(stem(r.getString(0)), 1, Integer::sum);
        }
        Path masks = new Path(dir, MASKS);
        fs.mkdirs(masks);
        StringBuilder manifest = new StringBuilder("path,mask_file,kind,area,dice,error\n");
        long written = 0;
        Iterator<Row> it = saved.select(col(ResultColumns.PATH), col(ResultColumns.KIND), col(ResultColumns.MASK),
                col(ResultColumns.MASK_FORMAT), col(ResultColumns.AREA), col(ResultColumns.DICE),
                col(ResultColumns.ERROR)).toLocalIterator();
        while (it.hasNext()) {
            Row r = it.next();
            String path = r.getString(0);
            String file = "";
            if (!r.isNullAt(2)) {
                String s = stem(path);
                String name = (stems.get(s) > 1 ? s + "-" + SupportPayload.sha256(path.getBytes(StandardCharsets.UTF_8))
                        .substring(0, 8) : s) + "." + r.getString(3);
                writeFile(fs, new Path(masks, name), (byte[]) r.get(2));
                file = MASKS + "/" + name;
                written++;
            }
            manifest.append(csv(path)).append(',').append(csv(file)).append(',').append(r.getString(1)).append(',')
                    .append(r.isNullAt(4) ? "" : Long.toString(r.getLong(4))).append(',')
                    .append(r.isNullAt(5) ? "" : String.format(Locale.ROOT, "%.6f", r.getDouble(5))).append(',')
                    .append(r.isNullAt(6) ? "" : csv(r.getString(6))).append('\n');
        }
        writeFile(fs, new Path(dir, MANIFEST), manifest.toString().getBytes(StandardCharsets.UTF_8));
        return written;
    }

    /** The input's file name without folder and extension, {@code .nii.gz} counting as one extension. */
    static String stem(String path) {
        String name = FileBytes.baseName(path);
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".nii.gz")) {
            return name.substring(0, name.length() - ".nii.gz".length());
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static void writeFile(FileSystem fs, Path target, byte[] bytes) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try (FSDataOutputStream out = fs.create(tmp, false)) {
            out.write(bytes);
        } catch (IOException | RuntimeException e) {
            fs.delete(tmp, false);
            throw e;
        }
        replace(fs, tmp, target);
    }

    /** Moves {@code tmp} to {@code target}, replacing what is there only once the new one is complete. */
    private static void replace(FileSystem fs, Path tmp, Path target) throws IOException {
        Path old = null;
        if (fs.exists(target)) {
            old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(target, old)) {
                throw new IOException("could not move the previous " + target + " aside");
            }
        }
        if (!fs.rename(tmp, target)) {
            if (old != null) {
                fs.rename(old, target);
            }
            throw new IOException("could not rename " + tmp + " to " + target);
        }
        if (old != null) {
            fs.delete(old, true);
        }
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
