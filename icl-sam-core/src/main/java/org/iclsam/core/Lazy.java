package org.iclsam.core;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value computed on first use, once, thread-safe, that can say whether it has been computed (what a saved support
 * needs to know: it stores what was computed). A computation that throws is retried by the next {@link #get()}.
 *
 * @param <T> the value's type (null is a value)
 */
final class Lazy<T> implements Supplier<T> {
    private Supplier<T> compute;
    private volatile boolean done;
    private T value;

    private Lazy(Supplier<T> compute, boolean done, T value) {
        this.compute = compute;
        this.done = done;
        this.value = value;
    }

    /**
     * @param compute computes the value on the first {@link #get()}
     * @param <T> the value's type
     * @return the lazy value
     */
    static <T> Lazy<T> of(Supplier<T> compute) {
        return new Lazy<>(Objects.requireNonNull(compute, "compute"), false, null);
    }

    /**
     * @param value the value, already computed (may be null)
     * @param <T> the value's type
     * @return the lazy value, done
     */
    static <T> Lazy<T> done(T value) {
        return new Lazy<>(null, true, value);
    }

    @Override
    public T get() {
        if (!done) {
            synchronized (this) {
                if (!done) {
                    value = compute.get();
                    compute = null;
                    done = true;
                }
            }
        }
        return value;
    }

    /** @return whether {@link #get()} has computed the value (or it was given) */
    boolean isDone() {
        return done;
    }
}
