package org.iclsam.examples.data;

import java.util.Objects;
import org.iclsam.core.Image;
import org.iclsam.morphology.BinaryMask;

/**
 * One annotated 2D image of a task: a slice file of a 2D task, or an axial slice of a 3D volume.
 *
 * @param id a unique name within the task (the file stem, or {@code <volume>_z<index>} for a slice)
 * @param group the patient, case or volume it belongs to; the id itself when the task has no groups
 * @param image the image, grey or RGB
 * @param label the target mask, same height and width as the image
 */
public record TaskSample(String id, String group, Image image, BinaryMask label) {

    /**
     * @throws IllegalArgumentException if the label's size differs from the image's
     */
    public TaskSample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(label, "label");
        if (label.height() != image.height() || label.width() != image.width()) {
            throw new IllegalArgumentException("sample '" + id + "': image is " + image.height() + "x"
                    + image.width() + " but its label is " + label.height() + "x" + label.width());
        }
    }
}
