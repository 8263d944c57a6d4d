package org.iclsam.core.icl;

/**
 * Self-support refinement: prototypes taken from the query itself (the mean feature of the cells the support
 * prototypes already call foreground, and of the cells they call sure background) re-score every query cell.
 * This adapts the decision to the query's own appearance (contrast, scanner, patient), which the support's
 * prototypes cannot see.
 */
final class SelfSupport {
    private SelfSupport() {
    }

    /**
     * @param cm {@code channels x n} centred unit query features, not modified
     * @param channels channels
     * @param n cells
     * @param score support log-odds score per cell, not modified
     * @param threshold the calibrated threshold on {@code score}
     * @param options the options (weight and temperature)
     * @param probability the support-only probability per cell; replaced by the refined one
     */
    static void refine(float[] cm, int channels, int n, float[] score, double threshold,
            TrainingFreeOptions options, float[] probability) {
        float[] fg = new float[channels];
        float[] bg = new float[channels];
        int nf = 0;
        int nb = 0;
        for (int i = 0; i < n; i++) {
            if (probability[i] > Components.FOREGROUND) {
                nf++;
            } else if (probability[i] < PrototypePredictor.SELF_SUPPORT_BACKGROUND) {
                nb++;
            }
        }
        if (nf == 0 || nb == 0) {
            return;
        }
        for (int c = 0; c < channels; c++) {
            int b = c * n;
            float sf = 0;
            float sb = 0;
            for (int i = 0; i < n; i++) {
                float p = probability[i];
                if (p > Components.FOREGROUND) {
                    sf += cm[b + i];
                } else if (p < PrototypePredictor.SELF_SUPPORT_BACKGROUND) {
                    sb += cm[b + i];
                }
            }
            fg[c] = sf;
            bg[c] = sb;
        }
        normalise(fg);
        normalise(bg);
        float[] protos = new float[2 * channels];
        System.arraycopy(fg, 0, protos, 0, channels);
        System.arraycopy(bg, 0, protos, channels, channels);
        float[] sims = new float[2 * n];
        CellFeatures.similarities(protos, 2, cm, channels, n, sims);
        double w = options.selfSupportWeight() / options.temperature();
        for (int i = 0; i < n; i++) {
            probability[i] = PrototypePredictor.sigmoid(score[i] - threshold + w * (sims[i] - sims[n + i]));
        }
    }

    private static void normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = s > 0 ? (float) (1 / Math.sqrt(s)) : 0f;
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
    }
}
