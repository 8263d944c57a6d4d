package org.iclsam.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.Image;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.core.testing.FeatureExtractorContract;
import org.iclsam.core.testing.PromptableSegmenterContract;
import org.junit.jupiter.api.Nested;

/** Core's interface contracts, run on every ONNX adapter: tiny generated models and the real default models. */
class ContractTests {
    private static final Path DIR;
    private static final Path TINY_ENCODER;
    private static final Path TINY_PLAIN_DECODER;
    private static final Path TINY_PATCHED_DECODER;

    static {
        try {
            DIR = Files.createTempDirectory("icl-sam-contract");
            DIR.toFile().deleteOnExit();
            TINY_ENCODER = TinyModels.write(DIR, "enc.onnx", TinyModels.encoder(1024, 64, 256));
            TINY_PLAIN_DECODER = TinyModels.write(DIR, "dec.onnx", TinyModels.decoder(256, 64, false));
            TINY_PATCHED_DECODER = TinyModels.write(DIR, "dec-patched.onnx", TinyModels.decoder(256, 64, true));
            for (Path p : new Path[] {TINY_ENCODER, TINY_PLAIN_DECODER, TINY_PATCHED_DECODER}) {
                p.toFile().deleteOnExit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Image sample() {
        Random rnd = new Random(21);
        float[] px = new float[3 * 90 * 140];
        for (int i = 0; i < px.length; i++) {
            px[i] = rnd.nextInt(256);
        }
        return Image.of(3, 90, 140, px);
    }

    static FeatureMap randomFeatures() {
        Random rnd = new Random(22);
        float[] d = new float[256 * 64 * 64];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        return new FeatureMap(256, 64, 64, d, FrameGeometry.longestSide(90, 140, 1024, 64));
    }

    /** The encoder contract on the seeded {@link #sample()} image. */
    abstract class OnnxEncoderContract extends FeatureExtractorContract {
        @Override
        protected Image sampleImage() {
            return sample();
        }
    }

    /** The decoder contract on the seeded {@link #randomFeatures()}. */
    abstract class OnnxDecoderContract extends PromptableSegmenterContract {
        @Override
        protected FeatureMap sampleFeatures() {
            return randomFeatures();
        }
    }

    @Nested
    class TinyEncoder extends OnnxEncoderContract {
        @Override
        protected FeatureExtractor create() {
            return SamModels.encoder(TINY_ENCODER, PreprocessingProfile.SAM, OnnxSessionOptions.defaults());
        }
    }

    @Nested
    class TinyPlainDecoder extends OnnxDecoderContract {
        @Override
        protected PromptableSegmenter create() {
            return SamModels.decoder(TINY_PLAIN_DECODER, OnnxSessionOptions.defaults(),
                    PlainExportSelection.TOKEN0_BY_PADDING_POINT);
        }
    }

    @Nested
    class TinyPatchedDecoder extends OnnxDecoderContract {
        @Override
        protected PromptableSegmenter create() {
            return SamModels.decoder(TINY_PATCHED_DECODER, OnnxSessionOptions.defaults(),
                    PlainExportSelection.TOKEN0_BY_PADDING_POINT);
        }
    }

    @Nested
    class RealEncoder extends OnnxEncoderContract {
        @Override
        protected FeatureExtractor create() {
            return SamModels.encoder(RealModels.require().get(DefaultModels.ENCODER_FILE), PreprocessingProfile.SAM,
                    OnnxSessionOptions.defaults());
        }
    }

    @Nested
    class RealPatchedDecoder extends OnnxDecoderContract {
        @Override
        protected PromptableSegmenter create() {
            return SamModels.guidedDecoder(RealModels.require().get(DefaultModels.DECODER_FILE),
                    OnnxSessionOptions.defaults());
        }
    }
}
