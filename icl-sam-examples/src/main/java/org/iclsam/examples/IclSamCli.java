package org.iclsam.examples;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.iclsam.core.IclSamException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code icl-sam} command line. Subcommands are listed in the {@link Command} annotation; commands that run
 * the pipeline get it from a {@link PipelineFactory} ({@link DefaultPipeline} unless a test injects fakes).
 *
 * <p>Exit codes: 0 success, 1 a failure that is not the input's fault (models, I/O), 2 bad input (arguments,
 * unreadable or inconsistent files, an unwritable output folder).
 */
@Command(name = "icl-sam", mixinStandardHelpOptions = true, versionProvider = IclSamCli.Version.class,
        description = "In-context medical image segmentation (ICL-SAM) on the JVM.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, PrepareCommand.class, SegmentCommand.class,
            EvaluateCommand.class, PromptsCommand.class, MetricsCommand.class, SparkSegmentCommand.class})
public final class IclSamCli implements Runnable {

    /**
     * Entry point.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** @return the configured command line, for tests and embedding */
    public static CommandLine commandLine() {
        return commandLine(DefaultPipeline::open);
    }

    /**
     * @param pipelines opens the pipeline of the commands that run one
     * @return the command line
     */
    static CommandLine commandLine(PipelineFactory pipelines) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cl = new CommandLine(new IclSamCli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K k = defaults.create(cls);
                if (k instanceof PipelineUser u) {
                    u.pipelines(pipelines);
                }
                return k;
            }
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean badInput = e instanceof IllegalArgumentException;
            String kind = e instanceof IclSamException x ? " [" + x.code() + "]" : "";
            cmd.getErr().println(cmd.getColorScheme().errorText("icl-sam " + cmd.getCommandName() + ": error"
                    + kind + ": " + e.getMessage()));
            if (!badInput && !(e instanceof IclSamException) && !(e instanceof IOException)) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return badInput ? CliSupport.EXIT_BAD_INPUT : CliSupport.EXIT_FAILURE;
        });
        return cl;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Reads the version written into the jar at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = IclSamCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"icl-sam " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version")};
        }
    }
}
