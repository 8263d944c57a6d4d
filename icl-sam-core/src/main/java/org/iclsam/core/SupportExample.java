package org.iclsam.core;

import java.util.Objects;
import org.iclsam.morphology.BinaryMask;

/**
 * One annotated example of a support set: an image and its label of the same size.
 *
 * @param id a name for messages (a file name, a case id)
 * @param image the image
 * @param label the foreground mask, same height and width as the image
 */
public record SupportExample(String id, Image image, BinaryMask label) {

    /**
     * @throws IllegalArgumentException if the label's size differs from the image's or the image holds a
     *     non-finite value; the message names the example
     */
    public SupportExample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(label, "label");
        if (label.height() != image.height() || label.width() != image.width()) {
            throw new IllegalArgumentException("support example '" + id + "': image is " + image.height() + "x"
                    + image.width() + " but its label is " + label.height() + "x" + label.width()
                    + " (height x width): every support image needs a label of its own size");
        }
        String bad = image.describeFirstNonFinite();
        if (bad != null) {
            throw new IllegalArgumentException("support example '" + id + "': image has " + bad
                    + "; every pixel must be finite");
        }
    }
}
