package org.iclsam.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.iclsam.core.kernels.FeatureKernels;
import org.iclsam.core.kernels.KernelBackend;
import org.iclsam.core.kernels.MapKernels;
import org.iclsam.onnx.ExecutionProvider;
import org.iclsam.onnx.FallbackPolicy;
import org.iclsam.onnx.OnnxKernels;
import org.iclsam.onnx.OnnxSessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The ONNX kernel backend ({@link OnnxKernels}) on the CUDA provider against the Java kernels, at the sizes of one
 * query. Runs only with {@code -Diclsam.gpu=true} (scripts/gpu-check.sh sets it), like {@link CudaGpuTest}. The
 * confidence map's 256-channel convolution may run in TF32 on Ampere and later GPUs (ONNX Runtime's CUDA default),
 * whose 10-bit mantissa costs about 1e-3 of the logit: hence its looser bound.
 */
@EnabledIfSystemProperty(named = CudaGpuTest.GPU_PROPERTY, matches = "true",
        disabledReason = "GPU tests run only with -Diclsam.gpu=true (needs an NVIDIA GPU and onnxruntime_gpu)")
class CudaKernelBackendGpuTest {
    /** Bound on the map kernels (resizes, z-scores, modulation), absolute on values of order 1. */
    private static final double TOLERANCE = 1e-4;
    /** Bound on the confidence map (probabilities), with TF32 convolutions allowed. */
    private static final double TF32_TOLERANCE = 5e-3;

    private static float[] gaussian(Random rnd, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * scale);
        }
        return v;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    @Test
    void kernelGraphsRunOnCudaAndAgreeWithTheJavaKernels() {
        // FAIL: opening throws, with the reason, when CUDA is not usable (the session preloads the libraries)
        OnnxSessionOptions cuda = OnnxSessionOptions.builder().provider(ExecutionProvider.CUDA)
                .fallback(FallbackPolicy.FAIL).build();
        Random rnd = new Random(21);
        try (KernelBackend onnx = OnnxKernels.open(cuda)) {
            assertEquals(ExecutionProvider.CUDA, OnnxKernels.execution(onnx).used());
            assertEquals("onnx-cuda", onnx.name());

            int c = 256;
            int n = 64 * 64;
            float[] f = gaussian(rnd, c * n, 1);
            float[] w = gaussian(rnd, c, 0.1);
            float[] ec = new float[n];
            FeatureKernels.conv1x1(f, c, n, w, 0.2f, ec);
            FeatureKernels.sigmoid(ec, ec);
            float[] ea = new float[n];
            float[] ez = new float[n];
            MapKernels.zScoreIcl(ec, ea);
            MapKernels.zScoreSam(ec, 1e-8, ez);
            float[] gc = new float[n];
            float[] ga = new float[n];
            float[] gz = new float[n];
            onnx.confidenceMaps(f, c, n, w, 0.2f, 1e-8, gc, ga, gz);
            assertTrue(maxAbsDiff(ec, gc) <= TF32_TOLERANCE, "confidence map: " + maxAbsDiff(ec, gc));
            // A and z scale C's error by 1 / std C (about 0.1-0.3 here): compare them to the maps of the GPU's C
            float[] aOfGpuC = new float[n];
            MapKernels.zScoreIcl(gc, aOfGpuC);
            assertTrue(maxAbsDiff(aOfGpuC, ga) <= TOLERANCE * 10, "A: " + maxAbsDiff(aOfGpuC, ga));

            float[] src = new float[128 * 128];
            for (int i = 0; i < src.length; i++) {
                src[i] = (float) rnd.nextDouble();
            }
            for (boolean align : new boolean[] {false, true}) {
                float[] e = new float[512 * 512];
                float[] g = new float[512 * 512];
                MapKernels.resizeBilinear(src, 128, 128, e, 512, 512, align);
                onnx.resizeBilinear(src, 128, 128, g, 512, 512, align);
                assertTrue(maxAbsDiff(e, g) <= TOLERANCE, "resize, align " + align + ": " + maxAbsDiff(e, g));
            }

            int planes = 64;
            int plane = 32 * 32;
            float[] t = gaussian(rnd, planes * plane, 0.5);
            float[] a = gaussian(rnd, plane, 1);
            float[] et = t.clone();
            float[] gt = t.clone();
            FeatureKernels.modulateFrobenius(et, planes, a, 0.3, new float[plane]);
            onnx.modulateFrobenius(gt, planes, a, 0.3);
            assertTrue(maxAbsDiff(et, gt) <= TOLERANCE * 10, "modulation: " + maxAbsDiff(et, gt));
        }
    }
}
