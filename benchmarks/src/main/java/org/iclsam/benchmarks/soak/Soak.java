package org.iclsam.benchmarks.soak;

import java.util.Locale;
import org.iclsam.core.Variant;

/**
 * The soak harness ({@code benchmarks/run-soak.sh}): {@link SoakRun} with the default models, printing one JSON
 * line per sample and a summary line with the slopes of RSS and heap after the warm-up. Exits with 1 when a mask
 * differed from its single-threaded reference, when sessions were left open after close, or when a query after
 * close did not throw.
 *
 * <p>Usage: {@code Soak [--queries 10000] [--threads 4] [--every 1000] [--slope-from 1000] [--side 128]
 * [--support 2] [--variant full] [--intra-op-threads 0]} ({@code 0}: ONNX Runtime's default, as the default
 * models).
 */
public final class Soak {
    private Soak() {
    }

    /**
     * @param args see the class documentation
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        SoakRun.Config d = SoakRun.Config.defaults();
        int queries = d.queries();
        int threads = d.threads();
        int every = d.every();
        int slopeFrom = d.slopeFrom();
        int side = d.side();
        int support = d.supportSize();
        Variant variant = d.variant();
        int intraOp = d.intraOpThreads();
        for (int i = 0; i < args.length; i += 2) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[i + 1];
            switch (a) {
                case "--queries" -> queries = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--every" -> every = Integer.parseInt(v);
                case "--slope-from" -> slopeFrom = Integer.parseInt(v);
                case "--side" -> side = Integer.parseInt(v);
                case "--support" -> support = Integer.parseInt(v);
                case "--variant" -> variant = Variant.fromId(v.toLowerCase(Locale.ROOT));
                case "--intra-op-threads" -> intraOp = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'; expected [--queries N]"
                        + " [--threads T] [--every K] [--slope-from Q] [--side S] [--support M] [--variant ID]"
                        + " [--intra-op-threads N]");
            }
        }
        SoakRun.Result r = SoakRun.run(new SoakRun.Config(queries, threads, every, slopeFrom, side, support, variant,
                intraOp),
                line -> {
                    System.out.println(line);
                    System.out.flush();
                });
        boolean ok = r.mismatches() == 0 && r.sessionsLeftAfterClose() == 0 && r.useAfterClose() != null;
        if (!ok) {
            System.err.println("soak: FAILED (mismatches " + r.mismatches() + (r.firstMismatch() == null ? ""
                    : ", first: " + r.firstMismatch()) + "; sessions left after close " + r.sessionsLeftAfterClose()
                    + "; use after close threw: " + (r.useAfterClose() != null) + ")");
            System.exit(1);
        }
    }
}
