package org.iclsam.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of files: the tarball's SHA-1 (npm's {@code dist.shasum}) and each model file's SHA-256. */
final class Checksums {
    static final String SHA1 = "SHA-1";
    static final String SHA256 = "SHA-256";

    private Checksums() {
    }

    /**
     * Reads the whole file once.
     *
     * @param file the file
     * @param algorithm {@link #SHA1} or {@link #SHA256}
     * @return the digest, lower-case hex
     * @throws IOException if the file cannot be read
     */
    static String hex(Path file, String algorithm) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java platform", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
