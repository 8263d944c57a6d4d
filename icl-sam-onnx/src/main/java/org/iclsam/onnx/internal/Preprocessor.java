package org.iclsam.onnx.internal;

import org.iclsam.core.FrameGeometry;
import org.iclsam.core.Image;
import org.iclsam.onnx.PreprocessingProfile;

/**
 * Applies a {@link PreprocessingProfile}: image of any size -> {@code 3 x frame x frame} encoder input.
 */
public final class Preprocessor {
    /** SAM's per-channel (R, G, B) pixel mean on the 0..255 scale. */
    private static final float[] SAM_PIXEL_MEAN = {123.675f, 116.28f, 103.53f};
    /** SAM's per-channel pixel standard deviation on the 0..255 scale. */
    private static final float[] SAM_PIXEL_STD = {58.395f, 57.12f, 57.375f};
    /** ImageNet per-channel mean on the 0..1 scale. */
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet per-channel standard deviation on the 0..1 scale. */
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** Channels of the encoder input. */
    public static final int CHANNELS = 3;

    private Preprocessor() {
    }

    /**
     * @param image grey or RGB, any size; not modified
     * @param profile the profile
     * @param geometry the geometry from {@link PreprocessingProfile#geometry} for this image
     * @return {@code 3 * frame * frame} values, channel-major
     */
    public static float[] toFrame(Image image, PreprocessingProfile profile, FrameGeometry geometry) {
        int h = image.height();
        int w = image.width();
        if (geometry.originalHeight() != h || geometry.originalWidth() != w) {
            throw new IllegalArgumentException("geometry is for " + geometry.originalHeight() + "x"
                    + geometry.originalWidth() + " but the image is " + h + "x" + w);
        }
        int f = geometry.frameSize();
        int rh = geometry.resizedHeight();
        int rw = geometry.resizedWidth();
        float[] src = image.toArray();
        int plane = h * w;
        float[][] resized = new float[CHANNELS][];
        if (profile.arithmetic() == PreprocessingProfile.Arithmetic.FLOAT_BILINEAR) {
            int[] eight = to8Bit(src);
            for (int c = 0; c < CHANNELS; c++) {
                int sc = image.channels() == Image.GREY ? 0 : c;
                float[] ch = new float[plane];
                for (int i = 0; i < plane; i++) {
                    ch[i] = eight[sc * plane + i] / PreprocessingProfile.MAX_8BIT;
                }
                resized[c] = Resampler.resizeFloat(ch, h, w, rh, rw, Resampler.Filter.BILINEAR);
            }
        } else {
            Resampler.Filter filter = profile.arithmetic() == PreprocessingProfile.Arithmetic.EIGHT_BIT_BICUBIC
                    ? Resampler.Filter.BICUBIC : Resampler.Filter.BILINEAR;
            int[] eight = to8Bit(src);
            int[][] cache = new int[image.channels()][];
            for (int c = 0; c < CHANNELS; c++) {
                int sc = image.channels() == Image.GREY ? 0 : c;
                if (cache[sc] == null) {
                    int[] ch = new int[plane];
                    System.arraycopy(eight, sc * plane, ch, 0, plane);
                    cache[sc] = Resampler.resize8Bit(ch, h, w, rh, rw, filter);
                }
                int[] r = cache[sc];
                float[] out = new float[r.length];
                for (int i = 0; i < r.length; i++) {
                    out[i] = r[i];
                }
                resized[c] = out;
            }
        }
        normalise(resized, profile.normalisation());
        float[] frame = new float[CHANNELS * f * f];
        for (int c = 0; c < CHANNELS; c++) {
            for (int y = 0; y < rh; y++) {
                System.arraycopy(resized[c], y * rw, frame, (c * f + y) * f, rw);
            }
        }
        return frame;
    }

    private static void normalise(float[][] channels, PreprocessingProfile.Normalisation n) {
        switch (n) {
            case MEAN_STD_255 -> meanStd(channels, SAM_PIXEL_MEAN, SAM_PIXEL_STD);
            case MEAN_STD_UNIT -> meanStd(channels, IMAGENET_MEAN, IMAGENET_STD);
            case MIN_MAX -> {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (float[] ch : channels) {
                    for (float v : ch) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
                double den = Math.max(max - min, PreprocessingProfile.MIN_MAX_EPSILON);
                for (float[] ch : channels) {
                    for (int i = 0; i < ch.length; i++) {
                        ch[i] = (float) ((ch[i] - min) / den);
                    }
                }
            }
            default -> throw new AssertionError(n);
        }
    }

    private static void meanStd(float[][] channels, float[] mean, float[] std) {
        for (int c = 0; c < channels.length; c++) {
            float[] ch = channels[c];
            for (int i = 0; i < ch.length; i++) {
                ch[i] = (ch[i] - mean[c]) / std[c];
            }
        }
    }

    /**
     * The profiles' intensity rule: values already in [0, 255] are rounded half up; otherwise the whole image is
     * min-max scaled to [0, 255] first.
     *
     * @param src values; not modified
     * @return integers in 0..255
     */
    static int[] to8Bit(float[] src) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : src) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("image has a non-finite value " + v);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int[] out = new int[src.length];
        if (min >= 0 && max <= PreprocessingProfile.MAX_8BIT) {
            for (int i = 0; i < src.length; i++) {
                out[i] = (int) Math.floor(src[i] + 0.5);
            }
        } else {
            double den = Math.max(max - min, PreprocessingProfile.MIN_MAX_EPSILON);
            for (int i = 0; i < src.length; i++) {
                out[i] = (int) Math.floor((src[i] - min) / den * PreprocessingProfile.MAX_8BIT + 0.5);
            }
        }
        return out;
    }
}
