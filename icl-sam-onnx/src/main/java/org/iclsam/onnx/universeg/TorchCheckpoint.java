package org.iclsam.onnx.universeg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.iclsam.core.IclSamException;

/**
 * Reads a PyTorch zip checkpoint ({@code torch.save} since PyTorch 1.6) of a state dict without Python.
 *
 * <p>Layout: every record lies under one top-level folder (its name is the file's base name when PyTorch wrote
 * to a path, {@code archive} when it wrote to a stream); {@code <root>/data.pkl} is a pickle of the state dict
 * whose tensors refer to storages by key, each stored raw in {@code <root>/data/<key>};
 * {@code <root>/byteorder} ({@code little} or {@code big}, absent in old files meaning little) gives the byte
 * order of the storages; {@code <root>/version} the format version. The pickle is read by
 * {@link SafeUnpickler}, which refuses anything but a plain state dict.
 */
final class TorchCheckpoint {

    /** The pickle record, relative to the root folder. */
    static final String PICKLE_RECORD = "data.pkl";
    /** The folder of the storage records, relative to the root folder. */
    static final String DATA_FOLDER = "data/";
    /** The byte order record, relative to the root folder. */
    static final String BYTEORDER_RECORD = "byteorder";
    /** Largest pickle accepted: a state dict's pickle holds names and shapes only (a few hundred KB at most). */
    static final long MAX_PICKLE_BYTES = 64L << 20;

    /**
     * Largest storage record accepted (1 GiB; the largest storage of UniverSeg v1 is 590 KB): a guard against a
     * compressed record that would inflate without bound.
     */
    static final long MAX_STORAGE_BYTES = 1L << 30;

    private TorchCheckpoint() {
    }

    /**
     * Reads every tensor of a state dict checkpoint.
     *
     * @param file the {@code .pt} / {@code .pth} file
     * @return the tensors by parameter name, in the file's order; unmodifiable
     * @throws IclSamException {@code IO} if the file cannot be read, {@code MODEL_INVALID} if it is not a zip
     *     checkpoint (a truncated file, a legacy non-zip {@code torch.save}), lacks a record, or its pickle is
     *     not a plain state dict
     */
    static Map<String, CheckpointTensor> read(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IclSamException(IclSamException.Code.IO, "checkpoint " + file + " does not exist or is not a"
                    + " regular file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String root = rootFolder(zip, file);
            byte[] pickle = record(zip, root + PICKLE_RECORD, MAX_PICKLE_BYTES, file);
            ZipEntry order = zip.getEntry(root + BYTEORDER_RECORD);
            ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
            if (order != null) {
                String o = new String(record(zip, root + BYTEORDER_RECORD, 16, file), StandardCharsets.US_ASCII)
                        .trim();
                if (o.equals("big")) {
                    byteOrder = ByteOrder.BIG_ENDIAN;
                } else if (!o.equals("little")) {
                    throw invalid(file, "its byteorder record says '" + o + "'; expected 'little' or 'big'");
                }
            }
            return SafeUnpickler.readStateDict(pickle,
                    key -> record(zip, root + DATA_FOLDER + key, MAX_STORAGE_BYTES, file), byteOrder);
        } catch (NoSuchFileException e) {
            throw new IclSamException(IclSamException.Code.IO, "checkpoint " + file + " does not exist", e);
        } catch (ZipException e) {
            throw invalid(file, "it is not a readable zip archive (" + e.getMessage() + "): truncated, corrupt,"
                    + " or saved with PyTorch's legacy non-zip format (re-save it with torch.save in PyTorch >= 1.6)",
                    e);
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "cannot read checkpoint " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static String rootFolder(ZipFile zip, Path file) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.endsWith("/" + PICKLE_RECORD) && name.indexOf('/') == name.length() - PICKLE_RECORD.length() - 1) {
                return name.substring(0, name.length() - PICKLE_RECORD.length());
            }
        }
        throw invalid(file, "it has no '<folder>/" + PICKLE_RECORD + "' record; a PyTorch zip checkpoint has one");
    }

    private static byte[] record(ZipFile zip, String name, long maxBytes, Path file) {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw invalid(file, "record '" + name + "' is missing");
        }
        if (e.getSize() > maxBytes) {
            throw invalid(file, "record '" + name + "' has " + e.getSize() + " bytes; at most " + maxBytes
                    + " expected");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8) + 1);
            if (b.length > maxBytes) {
                throw invalid(file, "record '" + name + "' has more than " + maxBytes + " bytes");
            }
            if (e.getSize() >= 0 && b.length != e.getSize()) {
                throw invalid(file, "record '" + name + "' holds " + b.length + " bytes but the zip directory says "
                        + e.getSize());
            }
            return b;
        } catch (IOException ex) {
            throw invalid(file, "record '" + name + "' cannot be read (" + ex.getMessage() + ")", ex);
        }
    }

    private static IclSamException invalid(Path file, String what) {
        return new IclSamException(IclSamException.Code.MODEL_INVALID, "checkpoint " + file + " is invalid: " + what);
    }

    private static IclSamException invalid(Path file, String what, Throwable cause) {
        return new IclSamException(IclSamException.Code.MODEL_INVALID, "checkpoint " + file + " is invalid: " + what,
                cause);
    }
}
