package org.iclsam.benchmarks.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.iclsam.core.Image;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ModelProvisioner;
import org.iclsam.onnx.OnnxSessionOptions;
import org.iclsam.onnx.internal.ModelSession;

/**
 * One soak run: the default pipeline ({@link DefaultModels#pipelineBuilder()}, owning its models) prepared once on
 * the first images of the bundled demo sample, the other images as queries, each first segmented on one thread
 * (the reference masks), then {@code queries} queries (cycling through them) from {@code threads} threads. Every
 * mask is compared with its single-threaded reference. Every {@code every} queries one JSON line is written: the
 * queries done, the JVM heap after a full GC, the process's resident set size ({@code VmRSS} of
 * {@code /proc/self/status}) and the open ONNX Runtime sessions. At the end the pipeline is closed and the run
 * checks that its sessions are released and that using it afterwards throws {@link IllegalStateException}.
 */
public final class SoakRun {
    private static final double MB = 1024.0 * 1024.0;
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private SoakRun() {
    }

    /**
     * What to run.
     *
     * @param queries how many queries in all
     * @param threads how many threads send them
     * @param every queries between two samples
     * @param slopeFrom the slopes are fitted on the samples from this many queries on (the warm-up is left out)
     * @param side side of the (square) images, a divisor of 512
     * @param supportSize how many demo images form the support; the others are the queries
     * @param variant the pipeline variant
     * @param intraOpThreads ONNX Runtime's threads inside one operator, or
     *     {@link OnnxSessionOptions#RUNTIME_DEFAULT_THREADS} for the default models' setting
     */
    public record Config(int queries, int threads, int every, int slopeFrom, int side, int supportSize,
            Variant variant, int intraOpThreads) {
        /** Validates the fields. */
        public Config {
            Objects.requireNonNull(variant, "variant");
            if (queries < 1 || threads < 1 || every < 1 || slopeFrom < 0 || supportSize < 1 || intraOpThreads < 0) {
                throw new IllegalArgumentException("queries, threads, every and support size must be positive and"
                        + " slopeFrom not negative: " + queries + ", " + threads + ", " + every + ", " + supportSize
                        + ", " + slopeFrom);
            }
        }

        /**
         * @return the harness's defaults: 10,000 queries, 4 threads, a sample every 1,000, slopes from 1,000, 128 x
         *     128 images, a support of 2, the full variant, the default models' session options
         */
        public static Config defaults() {
            return new Config(10_000, 4, 1_000, 1_000, 128, 2, Variant.FULL,
                    OnnxSessionOptions.RUNTIME_DEFAULT_THREADS);
        }
    }

    /**
     * One sample.
     *
     * @param queries queries done
     * @param seconds since the soak started
     * @param heapAfterGcMb heap in use right after a full collection
     * @param rssMb resident set size, NaN where {@code /proc/self/status} is not readable
     * @param openSessions ONNX Runtime sessions open in the process
     * @param mismatches masks so far that differ from their single-threaded reference
     */
    public record Sample(int queries, double seconds, double heapAfterGcMb, double rssMb, int openSessions,
            int mismatches) {
        String json() {
            return String.format(Locale.ROOT, "{\"queries\": %d, \"seconds\": %.1f, \"heap_after_gc_mb\": %.1f,"
                    + " \"rss_mb\": %s, \"open_sessions\": %d, \"mismatches\": %d, \"queries_per_s\": %.2f}", queries,
                    seconds, heapAfterGcMb, Double.isNaN(rssMb) ? "null" : String.format(Locale.ROOT, "%.1f", rssMb),
                    openSessions, mismatches, seconds > 0 ? queries / seconds : 0.0);
        }
    }

    /**
     * What a run found.
     *
     * @param config what ran
     * @param samples the samples in order of queries done, the first at 0 (after the reference masks)
     * @param mismatches masks that differ from their single-threaded reference
     * @param firstMismatch a description of the first one, or null
     * @param distinctQueries how many different query images were cycled through
     * @param sessionsOpenedByPipeline sessions the pipeline held while it ran
     * @param sessionsLeftAfterClose sessions still open after the pipeline was closed (0 when none leak)
     * @param useAfterClose the message of the exception a query after close threw, or null if none was thrown
     * @param rssSlopeMbPer1000 least-squares slope of RSS over the samples from {@code slopeFrom} queries, in MB
     *     per 1,000 queries (NaN with fewer than two such samples or without RSS)
     * @param heapSlopeMbPer1000 the same for the heap after GC
     */
    public record Result(Config config, List<Sample> samples, int mismatches, String firstMismatch,
            int distinctQueries, int sessionsOpenedByPipeline, int sessionsLeftAfterClose, String useAfterClose,
            double rssSlopeMbPer1000, double heapSlopeMbPer1000) {
        String json() {
            return String.format(Locale.ROOT, "{\"summary\": {\"queries\": %d, \"threads\": %d, \"image_side\": %d,"
                    + " \"support\": %d, \"distinct_queries\": %d, \"variant\": \"%s\", \"intra_op_threads\": %d,"
                    + " \"mismatches\": %d,"
                    + " \"rss_slope_mb_per_1000_after_%d\": %s, \"heap_slope_mb_per_1000_after_%d\": %s,"
                    + " \"sessions_opened_by_pipeline\": %d, \"sessions_left_after_close\": %d,"
                    + " \"use_after_close\": %s}}", config.queries(), config.threads(), config.side(),
                    config.supportSize(), distinctQueries, config.variant().id(), config.intraOpThreads(), mismatches,
                    config.slopeFrom(),
                    num(rssSlopeMbPer1000), config.slopeFrom(), num(heapSlopeMbPer1000), sessionsOpenedByPipeline,
                    sessionsLeftAfterClose, useAfterClose == null ? "null"
                            : "\"" + useAfterClose.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }

        private static String num(double v) {
            return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null";
        }
    }

    /**
     * Runs the soak.
     *
     * @param c what to run
     * @param out receives each sample's JSON line as it is taken, then the summary line
     * @return what it found
     * @throws InterruptedException if interrupted while waiting for the threads
     */
    public static Result run(Config c, Consumer<String> out) throws InterruptedException {
        int openBefore = ModelSession.openSessions();
        List<SupportExample> all = DemoSample.load(c.side());
        if (c.supportSize() >= all.size()) {
            throw new IllegalArgumentException("the demo sample has " + all.size() + " images: a support of "
                    + c.supportSize() + " leaves no query");
        }
        SupportSet support = SupportSet.of(all.subList(0, c.supportSize()));
        List<Image> queries = all.subList(c.supportSize(), all.size()).stream().map(SupportExample::image).toList();
        DefaultModels models = DefaultModels.load(ModelProvisioner.defaults(),
                OnnxSessionOptions.builder().intraOpThreads(c.intraOpThreads()).build());
        IclSam pipeline = models.pipelineBuilder().variant(c.variant()).ownsModels(true).build();
        List<Sample> samples = new ArrayList<>();
        AtomicInteger mismatches = new AtomicInteger();
        AtomicReference<String> firstMismatch = new AtomicReference<>();
        int opened;
        try {
            opened = ModelSession.openSessions() - openBefore;
            PreparedSupport prepared = pipeline.prepare(support);
            BinaryMask[] reference = new BinaryMask[queries.size()];
            for (int q = 0; q < queries.size(); q++) {
                reference[q] = pipeline.segment(queries.get(q), prepared).mask();
            }
            long start = System.nanoTime();
            Object sampling = new Object();
            Consumer<Integer> sample = done -> {
                synchronized (sampling) {
                    Sample s = new Sample(done, (System.nanoTime() - start) / 1e9, heapAfterGcMb(), rssMb(),
                            ModelSession.openSessions(), mismatches.get());
                    samples.add(s);
                    out.accept(s.json());
                }
            };
            sample.accept(0);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < c.threads(); t++) {
                Thread w = new Thread(() -> {
                    try {
                        for (int i; failure.get() == null && (i = next.getAndIncrement()) < c.queries(); ) {
                            int q = i % queries.size();
                            BinaryMask m = pipeline.segment(queries.get(q), prepared).mask();
                            if (!m.equals(reference[q])) {
                                mismatches.incrementAndGet();
                                firstMismatch.compareAndSet(null, "query " + i + " (image " + q + "): "
                                        + m.xor(reference[q]).area() + " pixels differ from the single-threaded mask");
                            }
                            int d = done.incrementAndGet();
                            if (d % c.every() == 0 || d == c.queries()) {
                                sample.accept(d);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "soak-" + t);
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a soak query failed", failure.get());
            }
        } finally {
            pipeline.close();
            models.close();
        }
        int left = ModelSession.openSessions() - openBefore;
        String useAfterClose = null;
        try {
            models.featureExtractor().encode(queries.get(0));
        } catch (IllegalStateException e) {
            useAfterClose = e.getMessage();
        }
        samples.sort(Comparator.comparingInt(Sample::queries));
        Result r = new Result(c, List.copyOf(samples), mismatches.get(), firstMismatch.get(), queries.size(), opened,
                left, useAfterClose, slope(samples, c.slopeFrom(), Sample::rssMb),
                slope(samples, c.slopeFrom(), Sample::heapAfterGcMb));
        out.accept(r.json());
        return r;
    }

    /** Least-squares slope of y over queries, per 1,000 queries, on the samples from {@code from} queries on. */
    static double slope(List<Sample> samples, int from, java.util.function.ToDoubleFunction<Sample> y) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Sample s : samples) {
            double v = y.applyAsDouble(s);
            if (s.queries() < from || !Double.isFinite(v)) {
                continue;
            }
            double x = s.queries() / 1000.0;
            n++;
            sx += x;
            sy += v;
            sxx += x * x;
            sxy += x * v;
        }
        double den = n * sxx - sx * sx;
        return n < 2 || den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
    }

    /** The heap in use right after a full collection (the collection usage of every heap pool). */
    static double heapAfterGcMb() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()
                    ? p.getCollectionUsage() : null;
            if (u != null) {
                used += u.getUsed();
            }
        }
        return used / MB;
    }

    /** @return VmRSS of this process in MB, NaN where /proc/self/status is absent */
    static double rssMb() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024 / MB; // the kernel reports kB
                }
            }
            return Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
