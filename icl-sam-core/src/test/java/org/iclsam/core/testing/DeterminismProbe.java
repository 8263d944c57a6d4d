package org.iclsam.core.testing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.iclsam.core.FloatMap;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.confidence.Solver;
import org.iclsam.core.icl.IclModels;

/**
 * One fixed case for {@code org.iclsam.core.PipelineDeterminismTest}: the fake extractor and segmenter around the real pure-Java
 * models (the training-free in-context model, a seeded SAGA logistic regression), a seeded disc support and
 * queries; and a digest of everything a segmentation computes. Its {@link #main} prints the digest, so that the
 * test can compare a run in another JVM.
 */
public final class DeterminismProbe {
    /** The seed of the support set. */
    public static final long SUPPORT_SEED = 20261204;
    /** The seed of the confidence trainer (SAGA's block order). */
    public static final long TRAINER_SEED = 7;

    private DeterminismProbe() {
    }

    /** @return a new pipeline of the fixed case (it owns its models) */
    public static IclSam pipeline() {
        return IclSam.builder().featureExtractor(Fakes.featureExtractor()).promptableSegmenter(Fakes.segmenter())
                .iclModel(IclModels.trainingFree())
                .confidenceTrainer(LogisticRegressionTrainer.builder().solver(Solver.SAGA).seed(TRAINER_SEED).build())
                .variant(Variant.FULL).build();
    }

    /** @return the support set of the fixed case */
    public static SupportSet support() {
        return Fakes.discSupport(4, SUPPORT_SEED);
    }

    /**
     * @param supportSeed the seed of the disc positions of the support
     * @return the digest of one run with that support, on this thread
     */
    public static String runOnce(long supportSeed) {
        try (IclSam icl = pipeline()) {
            PreparedSupport p = icl.prepare(Fakes.discSupport(4, supportSeed));
            List<Segmentation> out = new ArrayList<>();
            for (Image q : queries()) {
                out.add(icl.segment(q, p));
            }
            return digest(out);
        }
    }

    /** @return the queries of the fixed case */
    public static List<Image> queries() {
        return List.of(Fakes.disc(40, 56, 20, 30, 9), Fakes.disc(48, 40, 30, 18, 7), Fakes.disc(64, 64, 10, 50, 8),
                Fakes.disc(33, 47, 16, 12, 5));
    }

    /**
     * @param segs segmentations, in order
     * @return SHA-256 over every mask, pseudo-label, probability, confidence and logit bit, and the boxes
     */
    public static String digest(List<Segmentation> segs) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Segmentation s : segs) {
                md.update(s.mask().toArray());
                md.update(s.pseudoLabel().toArray());
                for (FloatMap f : new FloatMap[] {s.iclProbability(), s.confidence(), s.samLogits()}) {
                    float[] v = f == null ? new float[0] : f.toArray();
                    ByteBuffer b = ByteBuffer.allocate(4 * v.length + 4).putInt(v.length);
                    for (float x : v) {
                        b.putInt(Float.floatToRawIntBits(x));
                    }
                    md.update(b.array());
                }
                md.update(s.boxes().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the digest of one run of the fixed case on this thread */
    public static String runOnce() {
        return runOnce(SUPPORT_SEED);
    }

    /**
     * Prints the digest of one run.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.println(runOnce());
    }
}
