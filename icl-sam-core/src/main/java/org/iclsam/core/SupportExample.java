package org.iclsam.core;

import java.util.Objects;
import org.iclsam.morphology.BinaryMask;

/**
 * One annotated example of a support set: an image and its label of the same size, and the group it belongs to.
 *
 * <p>The group is the patient, volume or case the image comes from. Slices of one patient resemble each other
 * more than they resemble another patient's, so whatever the SDK estimates by leaving examples out of the support
 * (the in-context model's threshold, the calibrated variant's choice) leaves out whole groups: an estimate made by
 * predicting a slice from its neighbours would promise more than a new patient gets. Without a group each example
 * is its own.
 *
 * @param id a name for messages (a file name, a case id)
 * @param image the image
 * @param label the foreground mask, same height and width as the image
 * @param group the patient, volume or case of the image; examples of one group are held out together
 */
public record SupportExample(String id, Image image, BinaryMask label, String group) {

    /**
     * An example that is its own group.
     *
     * @param id a name for messages, also the group
     * @param image the image
     * @param label the foreground mask
     */
    public SupportExample(String id, Image image, BinaryMask label) {
        this(id, image, label, id);
    }

    /**
     * @throws IllegalArgumentException if the label's size differs from the image's or the image holds a
     *     non-finite value; the message names the example
     */
    public SupportExample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(group, "group");
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
