package org.iclsam.spark;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Image;
import org.iclsam.io.DicomSeries;
import org.iclsam.io.ImageFiles;
import org.iclsam.io.NiftiFiles;
import org.iclsam.io.Volume;
import org.iclsam.morphology.BinaryMask;

/**
 * Files held as bytes (a {@code binaryFile} row) read through {@code icl-sam-io}'s readers, which read paths: the
 * bytes are written to a private temporary folder under the file's own name, read, and deleted. The readers'
 * messages then name the original path, not the temporary file. Masks are encoded to bytes the way
 * {@link ImageFiles#writeMask} and {@link NiftiFiles#writeLabels} write files.
 *
 * <p>Cost: one local write and read of each input (small next to an encoder pass). Thread-safe.
 */
final class FileBytes {
    private FileBytes() {
    }

    /** A file's path or URI and its bytes. */
    record Named(String path, byte[] content) {
    }

    static Image image(String path, byte[] content) {
        return withFile(path, content, ImageFiles::readImage);
    }

    static BinaryMask mask(String path, byte[] content) {
        return withFile(path, content, ImageFiles::readMask);
    }

    static Volume nifti(String path, byte[] content) {
        return withFile(path, content, f -> {
            try {
                return NiftiFiles.read(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A DICOM series from its files' bytes (the files keep their names, in one folder). */
    static Volume dicomSeries(String folder, List<Named> files) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("icl-sam-spark-series-");
            for (Named n : files) {
                Files.write(dir.resolve(baseName(n.path())), n.content());
            }
            return DicomSeries.read(dir);
        } catch (IOException | RuntimeException e) {
            throw renamed(e, dir == null ? null : dir.resolve("series"), folder);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** @return {@code true} when the name ends in {@code .nii} or {@code .nii.gz} (any case) */
    static boolean isNifti(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".nii") || p.endsWith(".nii.gz");
    }

    /** The mask as {@link ImageFiles#writeMask} writes it: 8-bit grey PNG, 0 and 255. */
    static byte[] png(BinaryMask mask) {
        int h = mask.height(), w = mask.width();
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = bi.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, mask.get(y, x) ? ImageFiles.MASK_FOREGROUND_VALUE : 0);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(bi, "png", out)) {
                throw new IclSamException(IclSamException.Code.IO, "no PNG writer available to encode a mask");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a mask in memory failed", e);
        }
        return out.toByteArray();
    }

    /** The labels as {@link NiftiFiles#writeLabels} writes them to a {@code .nii.gz} file. */
    static byte[] niftiGz(Volume labels) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("icl-sam-spark-");
            Path f = dir.resolve("labels.nii.gz");
            NiftiFiles.writeLabels(labels, f);
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a label volume failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static <T> T withFile(String path, byte[] content, Function<Path, T> reader) {
        if (content == null) {
            throw new IclSamException(IclSamException.Code.IO, path + ": the row has no content (null bytes)");
        }
        Path dir = null;
        Path f = null;
        try {
            dir = Files.createTempDirectory("icl-sam-spark-");
            f = dir.resolve(baseName(path));
            Files.write(f, content);
            return reader.apply(f);
        } catch (IOException | RuntimeException e) {
            throw renamed(e, f, path);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The exception with the temporary file (or folder) replaced by the original path in its message. */
    private static RuntimeException renamed(Exception e, Path temp, String original) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        String msg = String.valueOf(cause.getMessage());
        if (temp != null) {
            msg = msg.replace(temp.toString(), original).replace(temp.getParent().toString(), original);
        }
        if (!msg.contains(original)) {
            msg = original + ": " + msg;
        }
        IclSamException.Code code = cause instanceof IclSamException x ? x.code() : IclSamException.Code.IO;
        return new IclSamException(code, msg, cause);
    }

    static String baseName(String path) {
        String p = path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        String name = p.substring(p.lastIndexOf('/') + 1);
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "input" : name;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary file left behind is not worth failing the row for
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
