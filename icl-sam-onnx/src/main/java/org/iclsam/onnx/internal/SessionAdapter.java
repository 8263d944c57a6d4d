package org.iclsam.onnx.internal;

import java.util.Objects;
import org.iclsam.onnx.ExecutionInfo;

/**
 * What the ONNX adapters ({@link SamImageEncoder}, {@link SamMaskDecoder}, {@link Sam2MaskDecoder}) share about
 * the one {@link ModelSession} each of them owns: the open check, where the model runs, and closing it.
 */
abstract class SessionAdapter implements AutoCloseable {
    /** The owned session; closed by {@link #close()}. */
    final ModelSession session;
    private final String what;

    /**
     * @param session the session to own
     * @param what the adapter as named in the "is closed" message, e.g. "the SAM decoder"
     */
    SessionAdapter(ModelSession session, String what) {
        this.session = Objects.requireNonNull(session, "session");
        this.what = what;
    }

    /**
     * @throws IllegalStateException if the adapter has been closed
     */
    final void requireOpen() {
        if (session.isClosed()) {
            throw new IllegalStateException(what + " is closed");
        }
    }

    /** @return where the model runs */
    public final ExecutionInfo execution() {
        return session.execution();
    }

    /** Closes the session; a second call does nothing. */
    @Override
    public final void close() {
        session.close();
    }
}
