package org.iclsam.examples.data;

import java.util.Objects;

/**
 * An input file that a reader could not use and left out, with the reason.
 *
 * @param name the file (or volume) name
 * @param reason why it was left out, e.g. "label is 256x256 but the image is 512x512"
 */
public record SkippedItem(String name, String reason) {

    /** Checks the fields. */
    public SkippedItem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return name + ": " + reason;
    }
}
