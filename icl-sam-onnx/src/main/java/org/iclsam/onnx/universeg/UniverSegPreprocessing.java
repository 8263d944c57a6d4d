package org.iclsam.onnx.universeg;

import org.iclsam.core.Image;
import org.iclsam.core.kernels.MapKernels;
import org.iclsam.morphology.BinaryMask;

/**
 * UniverSeg's input preprocessing as the ICL-SAM reference does it (docs/METHOD.md): channel 0 of the image, min-max
 * to [0, 1], bilinear resize to 128 x 128 (PyTorch's {@code align_corners=False}, no antialiasing), min-max
 * again; labels nearest-resized to 128 x 128 (PyTorch's {@code mode="nearest"}), foreground 1, background 0.
 * Images of any size are accepted; each is resized on its own, so a support of mixed sizes is fine.
 */
final class UniverSegPreprocessing {

    private UniverSegPreprocessing() {
    }

    /**
     * @param image any image; for RGB only channel 0 (red) is used, as the reference does
     * @param size the side of the output (128)
     * @return {@code size * size} values in [0, 1], row-major; a constant image gives all zeros
     */
    static float[] image(Image image, int size) {
        int h = image.height();
        int w = image.width();
        float[] plane = new float[h * w];
        System.arraycopy(image.toArray(), 0, plane, 0, plane.length);
        minMax(plane);
        float[] out = new float[size * size];
        MapKernels.resizeBilinear(plane, h, w, out, size, size, false);
        minMax(out);
        return out;
    }

    /**
     * @param label a mask of any size
     * @param size the side of the output (128)
     * @return {@code size * size} values, 1 for foreground and 0 for background, row-major
     */
    static float[] label(BinaryMask label, int size) {
        int h = label.height();
        int w = label.width();
        float[] out = new float[size * size];
        for (int y = 0; y < size; y++) {
            int sy = nearest(y, h, size);
            for (int x = 0; x < size; x++) {
                out[y * size + x] = label.get(sy, nearest(x, w, size)) ? 1f : 0f;
            }
        }
        return out;
    }

    /** PyTorch's nearest source index: floor(dst x (in / out)) in float arithmetic, clamped. */
    private static int nearest(int dst, int in, int out) {
        float scale = (float) in / out;
        return Math.min((int) Math.floor(dst * scale), in - 1);
    }

    /**
     * Min-max normalisation in place: (v - min) / (max - min); a constant array becomes zeros.
     *
     * @param v values, modified
     */
    static void minMax(float[] v) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        float range = max - min;
        for (int i = 0; i < v.length; i++) {
            v[i] = range > 0 ? (v[i] - min) / range : 0f;
        }
    }
}
