package org.iclsam.examples;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code icl-sam} command line. Subcommands are registered in {@link #commandLine()}.
 */
@Command(name = "icl-sam", mixinStandardHelpOptions = true, versionProvider = IclSamCli.Version.class,
        description = "In-context medical image segmentation (ICL-SAM) on the JVM.",
        subcommands = {CommandLine.HelpCommand.class, PromptsCommand.class, MetricsCommand.class})
public final class IclSamCli implements Runnable {

    /**
     * Entry point.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the configured command line, for tests and embedding */
    public static CommandLine commandLine() {
        return new CommandLine(new IclSamCli());
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
