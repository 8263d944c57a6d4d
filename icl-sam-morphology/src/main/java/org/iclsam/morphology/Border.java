package org.iclsam.morphology;

/**
 * What the pixels outside the image count as, for erosion and dilation.
 *
 * <p>The method's reference (scipy's {@code binary_erosion} with its default {@code border_value=0}) treats the
 * outside as {@link #BACKGROUND}, so objects touching the border are eroded from that side too; that is the
 * default everywhere in this package. With this convention the duality reads
 * {@code erode(A, se, b) == not(dilate(not(A), se, b.opposite()))}.
 */
public enum Border {
    /** Outside pixels are background: erosion removes foreground at the border, dilation adds nothing from outside. */
    BACKGROUND,
    /** Outside pixels are foreground: erosion ignores the border, dilation grows in from outside. */
    FOREGROUND;

    /** @return the other policy */
    public Border opposite() {
        return this == BACKGROUND ? FOREGROUND : BACKGROUND;
    }
}
