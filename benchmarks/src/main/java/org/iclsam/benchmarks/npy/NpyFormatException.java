package org.iclsam.benchmarks.npy;

import java.io.IOException;

/**
 * A file that is not a {@code .npy} array this reader supports; the message names what was wrong.
 */
public final class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong and what was expected
     */
    public NpyFormatException(String message) {
        super(message);
    }
}
