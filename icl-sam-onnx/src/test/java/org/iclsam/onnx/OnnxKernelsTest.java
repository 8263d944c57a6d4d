package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.iclsam.core.kernels.KernelBackend;
import org.iclsam.core.testing.KernelBackendContract;
import org.junit.jupiter.api.Test;

/** The ONNX kernel graphs on the CPU provider against the Java kernels (the contract's parity tests). */
class OnnxKernelsTest extends KernelBackendContract {
    @Override
    protected KernelBackend create() {
        return OnnxKernels.open(OnnxSessionOptions.builder().intraOpThreads(1).build());
    }

    @Test
    void runsOnTheCpuAndRefusesUseAfterClose() {
        KernelBackend b = create();
        assertEquals("onnx-cpu", b.name());
        assertEquals(ExecutionProvider.CPU, OnnxKernels.execution(b).used());
        b.close();
        assertThrows(IllegalStateException.class, () -> b.zScoreIcl(new float[4], new float[4]));
        assertThrows(IllegalArgumentException.class, () -> OnnxKernels.execution(KernelBackend.java()));
    }
}
