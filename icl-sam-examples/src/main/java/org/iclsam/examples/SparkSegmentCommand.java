package org.iclsam.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.examples.data.Task;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.spark.DefaultModelsRecipe;
import org.iclsam.spark.PipelineRecipe;
import org.iclsam.spark.SupportPayload;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icl-sam spark-segment}: the {@code segment} command's work as a Spark job ({@code icl-sam-spark}'s
 * {@code SegmentJob}), for trying it on one machine with {@code --master local[N]} (or, under
 * {@code spark-submit}, on the cluster it names). Writes {@code results.parquet}, {@code masks/<query>.png} (the
 * same masks as {@code segment} writes) and {@code manifest.csv}.
 *
 * <p>Spark is not in the command-line jar: {@code ./icl-sam} adds Spark's jars to the class path for this command
 * only, and this class touches no Spark type itself (the job runs in {@link SparkSegmentRun}), so every other command
 * runs without Spark, and this one says what to do when Spark is missing.
 */
@Command(name = "spark-segment", mixinStandardHelpOptions = true,
        description = {"Segments query images (or NIfTI/DICOM volumes) as a Spark job.",
            "Writes results.parquet (masks as PNG bytes plus metadata), masks/<query>.png and manifest.csv into --out."})
final class SparkSegmentCommand extends PipelineUser implements Callable<Integer> {
    /** A class of Spark SQL, looked up before the job starts. */
    static final String SPARK_CLASS = "org.apache.spark.sql.SparkSession";

    @Spec
    CommandSpec spec;

    /** Where the support comes from: a folder, or a saved prepared support. */
    static final class SupportSource {
        @Option(names = "--support", paramLabel = "DIR", required = true,
                description = "support folder with images/ and labels/ (matching names)")
        Path folder;

        @Option(names = "--prepared", paramLabel = "FILE", required = true,
                description = "a support saved by prepare: the executors load it, with no encoder pass or fit")
        Path prepared;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    SupportSource source;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2] (default: the"
            + " spark.master that spark-submit sets, else local[*])")
    String master;

    @Option(names = "--query", required = true, paramLabel = "DIR|FILE|GLOB",
            description = "query files: a folder (its images/ subfolder when it has one), a file, or a glob any"
                    + " file system Spark reads")
    String query;

    @Option(names = "--labels", paramLabel = "DIR|GLOB", description = "labels named as the queries, for Dice"
            + " (default: the query folder's labels/ when it has one)")
    String labels;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created)")
    String out;

    @Option(names = "--variant", defaultValue = "calibrated", converter = CliSupport.VariantConverter.class,
            description = "conf, icl, icl-conf, sam, sam-conf, full or calibrated (default: ${DEFAULT-VALUE})")
    Variant variant;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "partitions to spread the queries over (default 0: four per core)")
    int partitions;

    @Option(names = "--intra-op-threads", defaultValue = "1", paramLabel = "N",
            description = "ONNX Runtime threads per model call; the tasks of an executor run side by side"
                    + " (default: ${DEFAULT-VALUE})")
    int intraOpThreads;

    @Option(names = "--volumes", description = "every query is a volume: NIfTI files, or one DICOM series per folder")
    boolean volumes;

    @Option(names = "--no-mask-files", description = "write results.parquet only")
    boolean noMaskFiles;

    /** Set by tests: the recipe the executors open instead of the default models. */
    PipelineRecipe recipe;

    @Override
    public Integer call() throws IOException {
        try {
            Class.forName(SPARK_CLASS, false, SparkSegmentCommand.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // the environment's fault, not the input's: exit 1, with what to do and no stack trace
            spec.commandLine().getErr().println("icl-sam spark-segment: error: spark-segment needs Apache Spark 4"
                    + " (Scala 2.13) on the class path, and the command-line jar has none: run it through ./icl-sam"
                    + " (which adds the build's Spark jars, or $SPARK_HOME/jars), or with spark-submit --class"
                    + " org.iclsam.examples.IclSamCli (see docs/SPARK.md)");
            return CliSupport.EXIT_FAILURE;
        }
        SupportPayload support;
        if (source.prepared != null) {
            if (!Files.isRegularFile(source.prepared)) {
                throw new IllegalArgumentException("--prepared " + source.prepared + " is not a file");
            }
            support = SupportPayload.ofSavedFile(source.prepared);
        } else {
            SupportSet set = readSupport(source.folder);
            for (String w : set.warnings()) {
                spec.commandLine().getErr().println("spark-segment: warning: " + w);
            }
            support = SupportPayload.of(set);
        }
        String inputs = query;
        String labelSource = labels;
        Path q = Path.of(query);
        if (Files.isDirectory(q)) {
            if (Files.isDirectory(q.resolve(TaskReader.IMAGES))) {
                inputs = q.resolve(TaskReader.IMAGES).toString();
            }
            if (labelSource == null && Files.isDirectory(q.resolve(TaskReader.LABELS))) {
                labelSource = q.resolve(TaskReader.LABELS).toString();
            }
        }
        PipelineRecipe r = recipe != null ? recipe : defaultRecipe();
        return SparkSegmentRun.run(spec.commandLine().getOut(), spec.commandLine().getErr(), this, support, inputs,
                labelSource, r);
    }

    private DefaultModelsRecipe defaultRecipe() {
        DefaultModelsRecipe.Builder b = DefaultModelsRecipe.builder().preset(preset).variant(variant)
                .confidenceSolver(confidenceSolver).intraOpThreads(intraOpThreads);
        if (models != null) {
            b.modelDir(models.toAbsolutePath().toString());
        }
        return b.build();
    }

    /** The support exactly as {@code segment} reads it. */
    static SupportSet readSupport(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("support folder " + dir + " does not exist or is not a folder");
        }
        Task s = TaskReader.read(dir);
        if (!s.skipped().isEmpty()) {
            throw new IllegalArgumentException("support folder " + dir + " has unusable files; fix or remove them: "
                    + s.skipped());
        }
        List<SupportExample> examples = new ArrayList<>();
        for (TaskSample t : s.samples()) {
            examples.add(new SupportExample(t.id(), t.image(), t.label()));
        }
        return SupportSet.of(examples);
    }
}
