package org.iclsam.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.iclsam.morphology.BinaryMask;

/**
 * The saved-support file ({@link PreparedSupport#save}, {@link IclSam#loadPrepared}): a zip container of stored
 * entries with a properties manifest. The layout is documented on {@link PreparedSupport#save}.
 *
 * <p>Reading trusts no length it has not checked: the manifest is read first (at most {@value #MAX_MANIFEST_BYTES}
 * bytes, checked against its CRC-32), every other entry must be stored (not compressed) with the length the manifest
 * declares, the declared lengths together must fit in the file, and each entry's SHA-256 must equal the manifest's
 * before it is decoded. Every failure names the file and what is wrong.
 */
final class SupportFile {
    /** The manifest's {@code format} value. */
    static final String FORMAT = "icl-sam-prepared-support";
    /** The format version written and read. */
    static final int VERSION = 1;
    static final String MANIFEST = "manifest.properties";
    static final String PREDICTOR = "icl-predictor.bin";
    static final String CONFIDENCE = "confidence-model.bin";
    /** Largest manifest read. */
    static final int MAX_MANIFEST_BYTES = 1 << 20;
    /** The time stamp of every entry, so that the same support gives the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final String PRESENT = "present";
    private static final String ABSENT = "absent";

    private SupportFile() {
    }

    static String image(int i) {
        return "examples/" + i + "/image.f32";
    }

    static String label(int i) {
        return "examples/" + i + "/label.u8";
    }

    static String features(int i) {
        return "examples/" + i + "/features.iclf";
    }

    static String gridLabel(int i) {
        return "examples/" + i + "/grid-label.u8";
    }

    // ----------------------------------------------------------------------------------------------- writing

    static void write(PreparedSupport support, Path file) {
        IclSam owner = support.owner();
        // the models' own refusals first: they say best why their state cannot be saved
        byte[] predictor = owner.iclModel().savePredictor(support.predictor());
        ConfidenceTrainer trainer = owner.confidenceTrainer();
        byte[] confidence = trainer == null ? null : trainer.saveModel(support.confidenceModel());
        PipelineIdentity identity = owner.identity();
        SupportCalibration calibration = support.calibrationIfComputed();

        Map<String, String> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("version", String.valueOf(VERSION));
        for (Map.Entry<String, String> e : identity.values().entrySet()) {
            manifest.put("identity." + e.getKey(), e.getValue());
        }
        manifest.put("prepared.variant", owner.variant().id());
        SupportSet set = support.supportSet();
        manifest.put("support.examples", String.valueOf(set.size()));
        for (int i = 0; i < set.size(); i++) {
            SupportExample e = set.get(i);
            BinaryMask grid = support.gridLabels().get(i);
            String p = "example." + i + ".";
            manifest.put(p + "id", e.id());
            manifest.put(p + "channels", String.valueOf(e.image().channels()));
            manifest.put(p + "height", String.valueOf(e.image().height()));
            manifest.put(p + "width", String.valueOf(e.image().width()));
            manifest.put(p + "intensity", intensity(e.image().intensity()));
            manifest.put(p + "gridHeight", String.valueOf(grid.height()));
            manifest.put(p + "gridWidth", String.valueOf(grid.width()));
        }
        manifest.put("confidence", confidence != null ? PRESENT : ABSENT);
        manifest.put("calibration", calibration != null ? PRESENT : ABSENT);
        if (calibration != null) {
            manifest.put("calibration.recipe", recipe(calibration.recipe()));
            manifest.put("calibration.leaveOutDice", Double.toString(calibration.leaveOutDice()));
            manifest.put("calibration.heldOutExamples", String.valueOf(calibration.heldOutExamples()));
            manifest.put("calibration.reason", calibration.reason());
            manifest.put("calibration.scores", String.valueOf(calibration.scores().size()));
            for (int k = 0; k < calibration.scores().size(); k++) {
                SupportCalibration.Score s = calibration.scores().get(k);
                manifest.put("calibration.score." + k + ".recipe", recipe(s.recipe()));
                manifest.put("calibration.score." + k + ".leaveOutDice", Double.toString(s.leaveOutDice()));
            }
        }

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IclSamException(IclSamException.Code.IO, "cannot save the prepared support to " + file
                    + ": the folder " + dir + " does not exist");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = Channels.newOutputStream(channel);
                ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16));
                for (int i = 0; i < set.size(); i++) {
                    SupportExample e = set.get(i);
                    entry(zip, manifest, image(i), floats(e.image().toArray()));
                    entry(zip, manifest, label(i), e.label().toArray());
                    entry(zip, manifest, features(i), FeatureMaps.toBytes(support.features().get(i)));
                    entry(zip, manifest, gridLabel(i), support.gridLabels().get(i).toArray());
                }
                entry(zip, manifest, PREDICTOR, predictor);
                if (confidence != null) {
                    entry(zip, manifest, CONFIDENCE, confidence);
                }
                entry(zip, null, MANIFEST, manifestBytes(manifest));
                zip.finish();
                zip.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "cannot save the prepared support to " + file + ": "
                    + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; its exception is the one reported
                }
            }
        }
    }

    private static void entry(ZipOutputStream zip, Map<String, String> manifest, String name, byte[] bytes)
            throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
        if (manifest != null) {
            manifest.put("entry." + name + ".bytes", String.valueOf(bytes.length));
            manifest.put("entry." + name + ".sha256", sha256(bytes));
        }
    }

    /** The manifest in the properties syntax, keys in insertion order (so the same support gives the same bytes). */
    static byte[] manifestBytes(Map<String, String> manifest) {
        StringBuilder b = new StringBuilder("# icl-sam prepared support (PreparedSupport.save); do not edit: every"
                + " entry's SHA-256 is checked\n");
        for (Map.Entry<String, String> e : manifest.entrySet()) {
            b.append(escape(e.getKey(), true)).append('=').append(escape(e.getValue(), false)).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Escapes as {@link Properties#store} would; every character outside printable ASCII as a backslash-u escape. */
    static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\f' -> b.append("\\f");
                case '=', ':', '#', '!' -> b.append('\\').append(c);
                case ' ' -> b.append(key || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static String intensity(IntensityPolicy p) {
        return p.normalisation() + "," + p.storedBits() + "," + p.low() + "," + p.high();
    }

    static String recipe(MaskRecipe r) {
        return r.confidenceWeight() + "," + r.gamma() + "," + r.beta() + "," + r.prompts();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    // ----------------------------------------------------------------------------------------------- reading

    static PreparedSupport read(IclSam pipeline, Path file) {
        long start = System.nanoTime();
        PipelineIdentity mine = pipeline.identity();
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IclSamException(IclSamException.Code.IO, "saved support " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "cannot read saved support " + file + ": " + e, e);
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Reader r = new Reader(zip, file, size);
            return r.read(pipeline, mine, start);
        } catch (ZipException e) {
            throw new IclSamException(IclSamException.Code.IO, "saved support " + file + " is not a saved support,"
                    + " or it is truncated or damaged (" + e.getMessage() + "): write it again with"
                    + " PreparedSupport.save or './icl-sam prepare'", e);
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "cannot read saved support " + file + ": " + e, e);
        }
    }

    /** One file being read: its entries, its manifest, and the bytes its entries have claimed so far. */
    private static final class Reader {
        private final ZipFile zip;
        private final Path file;
        private final long size;
        private long claimed;
        private Properties manifest;

        Reader(ZipFile zip, Path file, long size) {
            this.zip = zip;
            this.file = file;
            this.size = size;
        }

        private IclSamException corrupt(String what) {
            return new IclSamException(IclSamException.Code.IO, "saved support " + file + " is damaged: " + what
                    + "; write it again with PreparedSupport.save or './icl-sam prepare'");
        }

        PreparedSupport read(IclSam pipeline, PipelineIdentity mine, long start) throws IOException {
            manifest = readManifest();
            String format = manifest.getProperty("format");
            if (!FORMAT.equals(format)) {
                throw new IclSamException(IclSamException.Code.IO, "saved support " + file + " is not a saved"
                        + " support: its manifest names format '" + format + "', expected '" + FORMAT + "'");
            }
            String version = manifest.getProperty("version");
            if (!String.valueOf(VERSION).equals(version)) {
                throw new IclSamException(IclSamException.Code.IO, "saved support " + file + " has format version "
                        + version + "; this SDK reads version " + VERSION + ": prepare the support again with this"
                        + " SDK (or load the file with the SDK that wrote it)");
            }
            Map<String, String> parts = new LinkedHashMap<>();
            for (String k : PipelineIdentity.PARTS) {
                parts.put(k, string("identity." + k));
            }
            PipelineIdentity theirs = new PipelineIdentity(parts);
            List<String> diff = theirs.differences(mine, "the file's", "this pipeline's");
            if (!diff.isEmpty()) {
                throw new IllegalArgumentException("saved support " + file + " was prepared with other models or"
                        + " settings than this pipeline's (" + String.join("; ", diff) + "): load it with the models"
                        + " and settings it was prepared with, or prepare the support again with these");
            }
            int m = integer("support.examples", 1, Math.max(1, zip.size() / 4));
            List<SupportExample> examples = new ArrayList<>(m);
            List<FeatureMap> features = new ArrayList<>(m);
            List<BinaryMask> gridLabels = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                String p = "example." + i + ".";
                String id = string(p + "id");
                int c = integer(p + "channels", 1, Image.RGB);
                int h = integer(p + "height", 1, Integer.MAX_VALUE);
                int w = integer(p + "width", 1, Integer.MAX_VALUE);
                long pixels = (long) h * w;
                if (pixels > size) {
                    throw corrupt("example " + i + " declares a " + h + "x" + w + " image, more pixels than the file"
                            + " has bytes");
                }
                IntensityPolicy policy = policy(p + "intensity");
                float[] px = floats(entry(image(i), 4L * c * pixels));
                byte[] lab = entry(label(i), pixels);
                FeatureMap f;
                try {
                    f = FeatureMaps.fromBytes(entry(features(i), -1));
                } catch (IllegalArgumentException e) {
                    throw corrupt("entry " + features(i) + ": " + e.getMessage());
                }
                int gh = integer(p + "gridHeight", 1, Integer.MAX_VALUE);
                int gw = integer(p + "gridWidth", 1, Integer.MAX_VALUE);
                byte[] grid = entry(gridLabel(i), (long) gh * gw);
                SupportExample e;
                try {
                    e = new SupportExample(id, Image.of(c, h, w, px, policy), BinaryMask.of(h, w, lab));
                } catch (IllegalArgumentException ex) {
                    throw corrupt("example " + i + ": " + ex.getMessage());
                }
                FrameGeometry g = f.geometry();
                if (g.originalHeight() != h || g.originalWidth() != w) {
                    throw corrupt("the features of example " + i + " were computed for a " + g.originalHeight() + "x"
                            + g.originalWidth() + " image, but the image is " + h + "x" + w);
                }
                examples.add(e);
                features.add(f);
                gridLabels.add(BinaryMask.of(gh, gw, grid));
            }
            SupportSet set;
            try {
                set = SupportSet.of(examples);
            } catch (IllegalArgumentException e) {
                throw corrupt(e.getMessage());
            }
            IclPredictor predictor;
            try {
                predictor = pipeline.iclModel().restorePredictor(entry(PREDICTOR, -1));
            } catch (IllegalArgumentException e) {
                throw new IclSamException(IclSamException.Code.IO, "saved support " + file + ": the in-context"
                        + " model cannot restore its predictor (" + PREDICTOR + "): " + e.getMessage(), e);
            }
            ConfidenceModel confidence = null;
            if (presence("confidence")) {
                if (pipeline.confidenceTrainer() == null) {
                    throw corrupt("it holds a confidence model, but its identity names no confidence trainer");
                }
                try {
                    confidence = pipeline.confidenceTrainer().restoreModel(entry(CONFIDENCE, -1));
                } catch (IllegalArgumentException e) {
                    throw new IclSamException(IclSamException.Code.IO, "saved support " + file + ": the confidence"
                            + " trainer cannot restore its model (" + CONFIDENCE + "): " + e.getMessage(), e);
                }
            }
            SupportCalibration calibration = presence("calibration") ? calibration() : null;
            List<String> extra = unexpectedEntries();
            if (!extra.isEmpty()) {
                throw corrupt("it holds entries its manifest does not list: " + extra);
            }
            return pipeline.restored(set, features, gridLabels, confidence, predictor, calibration,
                    Map.of("load", Duration.ofNanos(System.nanoTime() - start)));
        }

        private List<String> unexpectedEntries() {
            List<String> out = new ArrayList<>();
            zip.stream().map(ZipEntry::getName).filter(n -> !n.equals(MANIFEST)
                    && manifest.getProperty("entry." + n + ".bytes") == null).forEach(out::add);
            return out;
        }

        private Properties readManifest() throws IOException {
            ZipEntry e = zip.getEntry(MANIFEST);
            if (e == null) {
                throw new IclSamException(IclSamException.Code.IO, "saved support " + file + " is not a saved"
                        + " support: it has no " + MANIFEST);
            }
            byte[] b = read(e, MAX_MANIFEST_BYTES, true);
            CRC32 crc = new CRC32();
            crc.update(b);
            if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                throw corrupt(MANIFEST + " has CRC-32 " + Long.toHexString(crc.getValue()) + ", the container says "
                        + Long.toHexString(e.getCrc()));
            }
            Properties p = new Properties();
            try {
                p.load(new ByteArrayInputStream(b));
            } catch (IllegalArgumentException ex) {
                throw corrupt(MANIFEST + " is not a properties file: " + ex.getMessage());
            }
            return p;
        }

        /**
         * @param name an entry
         * @param expected its length when the caller knows it, else -1
         * @return its bytes, after checking the length and SHA-256 the manifest declares
         */
        byte[] entry(String name, long expected) throws IOException {
            long declared = longValue("entry." + name + ".bytes", 0, size);
            if (expected >= 0 && declared != expected) {
                throw corrupt("entry " + name + " declares " + declared + " bytes, its header fields need "
                        + expected);
            }
            claimed += declared;
            if (claimed > size) {
                throw corrupt("its manifest declares " + claimed + " bytes of entries, more than the file's "
                        + size);
            }
            if (declared > Integer.MAX_VALUE - 8) {
                throw corrupt("entry " + name + " declares " + declared + " bytes, more than one array holds");
            }
            ZipEntry e = zip.getEntry(name);
            if (e == null) {
                throw corrupt("entry " + name + " is missing");
            }
            if (e.getMethod() != ZipEntry.STORED) {
                throw corrupt("entry " + name + " is compressed; a saved support stores its entries");
            }
            if (e.getSize() != declared) {
                throw corrupt("entry " + name + " holds " + e.getSize() + " bytes, the manifest declares "
                        + declared);
            }
            byte[] b = read(e, (int) declared, false);
            String sha = sha256(b);
            String want = string("entry." + name + ".sha256");
            if (!sha.equals(want)) {
                throw corrupt("entry " + name + " has SHA-256 " + sha + ", the manifest says " + want);
            }
            return b;
        }

        /** Reads an entry of exactly {@code length} bytes ({@code atMost}: up to that many). */
        private byte[] read(ZipEntry e, int length, boolean atMost) throws IOException {
            try (InputStream in = zip.getInputStream(e)) {
                byte[] b = atMost ? in.readNBytes(length) : new byte[length];
                if (!atMost) {
                    int n = in.readNBytes(b, 0, length);
                    if (n < length) {
                        throw corrupt("entry " + e.getName() + " is truncated: " + n + " of " + length + " bytes");
                    }
                }
                if (in.read() != -1) {
                    throw corrupt("entry " + e.getName() + " is longer than " + length + " bytes");
                }
                return b;
            } catch (ZipException ex) {
                throw corrupt("entry " + e.getName() + ": " + ex.getMessage());
            }
        }

        private String string(String key) {
            String v = manifest.getProperty(key);
            if (v == null) {
                throw corrupt(MANIFEST + " has no '" + key + "'");
            }
            return v;
        }

        private long longValue(String key, long min, long max) {
            String v = string(key);
            long x;
            try {
                x = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw corrupt(MANIFEST + "'s '" + key + "' is '" + v + "', not a number");
            }
            if (x < min || x > max) {
                throw corrupt(MANIFEST + "'s '" + key + "' is " + x + ", expected " + min + " to " + max);
            }
            return x;
        }

        private int integer(String key, int min, int max) {
            return (int) longValue(key, min, max);
        }

        private double number(String key, String v) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw corrupt(MANIFEST + "'s '" + key + "' holds '" + v + "', not a number");
            }
        }

        private boolean presence(String key) {
            String v = string(key);
            if (!v.equals(PRESENT) && !v.equals(ABSENT)) {
                throw corrupt(MANIFEST + "'s '" + key + "' is '" + v + "', expected " + PRESENT + " or " + ABSENT);
            }
            return v.equals(PRESENT);
        }

        private IntensityPolicy policy(String key) {
            String[] f = string(key).split(",", -1);
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected normalisation,bits,low,high");
                }
                IntensityPolicy.Normalisation n = IntensityPolicy.Normalisation.valueOf(f[0]);
                int bits = Integer.parseInt(f[1]);
                double low = Double.parseDouble(f[2]);
                double high = Double.parseDouble(f[3]);
                return IntensityPolicy.of(n, bits, low, high);
            } catch (IllegalArgumentException e) {
                throw corrupt(MANIFEST + "'s '" + key + "' is '" + string(key) + "': " + e.getMessage());
            }
        }

        private MaskRecipe recipe(String key) {
            String[] f = string(key).split(",", -1);
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected confidenceWeight,gamma,beta,prompts");
                }
                return new MaskRecipe(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        MaskRecipe.PromptStyle.valueOf(f[3]));
            } catch (IllegalArgumentException e) {
                throw corrupt(MANIFEST + "'s '" + key + "' is '" + string(key) + "': " + e.getMessage());
            }
        }

        private SupportCalibration calibration() {
            MaskRecipe chosen = recipe("calibration.recipe");
            double dice = number("calibration.leaveOutDice", string("calibration.leaveOutDice"));
            int held = integer("calibration.heldOutExamples", 0, Integer.MAX_VALUE);
            String reason = string("calibration.reason");
            int n = integer("calibration.scores", 0, manifest.size());
            List<SupportCalibration.Score> scores = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                String p = "calibration.score." + k + ".";
                scores.add(new SupportCalibration.Score(recipe(p + "recipe"), number(p + "leaveOutDice",
                        string(p + "leaveOutDice"))));
            }
            return new SupportCalibration(chosen, dice, scores, held, reason);
        }

        private static float[] floats(byte[] b) {
            float[] v = new float[b.length / 4];
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return v;
        }
    }
}
