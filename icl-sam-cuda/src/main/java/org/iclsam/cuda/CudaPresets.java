package org.iclsam.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The JavaCPP CUDA presets this module was built with, as recorded at build time (from the parent pom). */
final class CudaPresets {
    /** Resource written by Maven resource filtering. */
    private static final String RESOURCE = "cuda-presets.properties";

    /** For example {@code 12.6-9.5-1.5.11}: CUDA 12.6, cuDNN 9.5, JavaCPP 1.5.11. */
    static final String VERSION;
    /** The only JavaCPP platform whose libraries this module's dependency carries. */
    static final String PLATFORM;

    static {
        Properties p = new Properties();
        try (InputStream in = CudaPresets.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from icl-sam-cuda: a broken build");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        VERSION = p.getProperty("presets.version");
        PLATFORM = p.getProperty("platform");
    }

    private CudaPresets() {
    }

    /** @return the Maven coordinates of the jar that holds the CUDA and cuDNN libraries */
    static String redistCoordinates() {
        return "org.bytedeco:cuda:" + VERSION + ":" + PLATFORM + "-redist";
    }
}
