package org.iclsam.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.iclsam.core.testing.KernelBackendContract;
import org.junit.jupiter.api.Test;

/** The Java backend against the contract (it delegates to the reference kernels, so it must agree exactly). */
class JavaKernelBackendTest extends KernelBackendContract {
    @Override
    protected KernelBackend create() {
        return KernelBackend.java();
    }

    @Override
    protected double tolerance() {
        return 0;
    }

    @Test
    void isOneSharedStatelessInstance() {
        assertSame(KernelBackend.java(), KernelBackend.java());
        assertEquals("java", KernelBackend.java().name());
    }
}
