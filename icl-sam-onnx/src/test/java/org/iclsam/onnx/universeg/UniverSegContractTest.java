package org.iclsam.onnx.universeg;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.IclModel;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSupport;
import org.iclsam.core.Image;
import org.iclsam.core.SupportSet;
import org.iclsam.core.testing.Fakes;
import org.iclsam.core.testing.IclModelContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UniverSegModel} honours the {@link IclModel} contract (tiny committed checkpoint, width 4). */
class UniverSegContractTest extends IclModelContract {
    @TempDir
    Path dir;

    @Override
    protected IclModel create() {
        Path checkpoint = dir.resolve(UniverSegFixtures.TINY_FILE);
        try {
            if (!Files.exists(checkpoint)) {
                try (InputStream in = getClass().getResourceAsStream("/universeg/" + UniverSegFixtures.TINY_FILE)) {
                    assertNotNull(in, "fixture missing: run UniverSegFixtures");
                    Files.copy(in, checkpoint);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            return UniverSegModel.load(checkpoint, o, 0);
        }
    }

    @Override
    protected IclSupport sampleSupport() {
        try (FeatureExtractor fx = Fakes.featureExtractor()) {
            SupportSet s = Fakes.discSupport(3, 9);
            return new IclSupport(s, Fakes.encodeAll(fx, s), s.examples().stream()
                    .map(e -> fx.geometry(e.image().height(), e.image().width()).labelToGrid(e.label())).toList());
        }
    }

    /** A support prepared with UniverSeg cannot be saved, and the refusal says why and what to do instead. */
    @Test
    void aSupportPreparedWithUniverSegIsNotSavedAndTheRefusalSaysWhy() {
        Path file = dir.resolve("universeg.iclsup");
        try (IclSam icl = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(create())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(Fakes.confidenceTrainer()).build()) {
            PreparedSupport p = icl.prepare(Fakes.discSupport(2, 4));
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> p.save(file));
            assertTrue(e.getMessage().contains("UniverSeg's prepared support cannot be saved")
                    && e.getMessage().contains("prepare them again"), e.getMessage());
        }
        assertFalse(Files.exists(file));
    }

    @Override
    protected IclQuery sampleQuery() {
        try (FeatureExtractor fx = Fakes.featureExtractor()) {
            Image q = Fakes.disc(50, 44, 25, 20, 10);
            return new IclQuery(q, fx.encode(q), null, 0);
        }
    }
}
