package org.iclsam.core;

import org.iclsam.morphology.BinaryMask;

/**
 * How an image of the original size is placed into a feature extractor's square input frame (1024 x 1024 for
 * SAM) and how that frame maps onto the feature grid (64 x 64 for SAM). Two placements exist:
 * <ul>
 *   <li>{@linkplain #longestSide longest side}: scale so the longest side equals the frame, each side rounded
 *       to the nearest integer as SAM's {@code ResizeLongestSide} does, then zero-pad bottom and right;</li>
 *   <li>{@linkplain #stretch stretch}: resize both sides to the frame, aspect not kept (MedSAM's own
 *       pipeline, SAM 2).</li>
 * </ul>
 *
 * @param originalHeight rows of the original image
 * @param originalWidth columns of the original image
 * @param frameSize side of the square model input
 * @param resizedHeight rows the image occupies in the frame (the rest is padding)
 * @param resizedWidth columns the image occupies in the frame
 * @param gridHeight rows of the feature grid
 * @param gridWidth columns of the feature grid
 */
public record FrameGeometry(int originalHeight, int originalWidth, int frameSize, int resizedHeight,
        int resizedWidth, int gridHeight, int gridWidth) {

    /** SAM's input frame side. */
    public static final int SAM_FRAME = 1024;
    /** SAM's feature grid side. */
    public static final int SAM_GRID = 64;

    /**
     * @throws IllegalArgumentException if a size is not positive or the image does not fit the frame
     */
    public FrameGeometry {
        if (originalHeight < 1 || originalWidth < 1 || frameSize < 1 || gridHeight < 1 || gridWidth < 1) {
            throw new IllegalArgumentException("geometry sizes must be positive");
        }
        if (resizedHeight < 1 || resizedWidth < 1 || resizedHeight > frameSize || resizedWidth > frameSize) {
            throw new IllegalArgumentException("resized image " + resizedHeight + "x" + resizedWidth
                    + " must fit the " + frameSize + " frame");
        }
    }

    /**
     * SAM's placement: longest side scaled to {@code frameSize}, sides rounded half up, padding bottom/right.
     *
     * @param height original rows
     * @param width original columns
     * @param frameSize the frame side (1024 for SAM)
     * @param gridSize the feature grid side (64 for SAM)
     * @return the geometry
     */
    public static FrameGeometry longestSide(int height, int width, int frameSize, int gridSize) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image dimensions must be positive, got " + height + "x" + width);
        }
        double scale = (double) frameSize / Math.max(height, width);
        int rh = (int) (height * scale + 0.5);
        int rw = (int) (width * scale + 0.5);
        return new FrameGeometry(height, width, frameSize, rh, rw, gridSize, gridSize);
    }

    /**
     * Stretch placement: both sides resized to the frame.
     *
     * @param height original rows
     * @param width original columns
     * @param frameSize the frame side
     * @param gridSize the feature grid side
     * @return the geometry
     */
    public static FrameGeometry stretch(int height, int width, int frameSize, int gridSize) {
        return new FrameGeometry(height, width, frameSize, frameSize, frameSize, gridSize, gridSize);
    }

    /** @return frame pixels per grid row */
    public double frameRowsPerCell() {
        return (double) frameSize / gridHeight;
    }

    /** @return frame pixels per grid column */
    public double frameColsPerCell() {
        return (double) frameSize / gridWidth;
    }

    /** @return grid rows that hold some image content (the rest covers padding only) */
    public int validGridHeight() {
        return Math.min(gridHeight, (int) Math.ceil(resizedHeight / frameRowsPerCell()));
    }

    /** @return grid columns that hold some image content */
    public int validGridWidth() {
        return Math.min(gridWidth, (int) Math.ceil(resizedWidth / frameColsPerCell()));
    }

    /**
     * Scales an x coordinate of the original image into the frame (SAM's {@code apply_coords}).
     *
     * @param x original x
     * @return frame x
     */
    public double toFrameX(double x) {
        return x * resizedWidth / originalWidth;
    }

    /**
     * Scales a y coordinate of the original image into the frame.
     *
     * @param y original y
     * @return frame y
     */
    public double toFrameY(double y) {
        return y * resizedHeight / originalHeight;
    }

    /**
     * Maps a label of the original size to the feature grid as docs/METHOD.md step 1 does: nearest resize into the
     * frame with this geometry (padding is background), then nearest resize of the frame to the grid. Nearest
     * follows PyTorch's {@code mode="nearest"}: source index = floor(destination index x source / destination).
     *
     * @param label a mask of {@code originalHeight x originalWidth}
     * @return a mask of {@code gridHeight x gridWidth}
     * @throws IllegalArgumentException if the label is not of the original size
     */
    public BinaryMask labelToGrid(BinaryMask label) {
        if (label.height() != originalHeight || label.width() != originalWidth) {
            throw new IllegalArgumentException("label is " + label.height() + "x" + label.width()
                    + " but the image is " + originalHeight + "x" + originalWidth);
        }
        byte[] out = new byte[gridHeight * gridWidth];
        for (int gy = 0; gy < gridHeight; gy++) {
            int fy = (int) Math.floor((double) gy * frameSize / gridHeight);
            if (fy >= resizedHeight) {
                continue;
            }
            int oy = Math.min(originalHeight - 1, (int) Math.floor((double) fy * originalHeight / resizedHeight));
            for (int gx = 0; gx < gridWidth; gx++) {
                int fx = (int) Math.floor((double) gx * frameSize / gridWidth);
                if (fx >= resizedWidth) {
                    continue;
                }
                int ox = Math.min(originalWidth - 1, (int) Math.floor((double) fx * originalWidth / resizedWidth));
                if (label.get(oy, ox)) {
                    out[gy * gridWidth + gx] = 1;
                }
            }
        }
        return BinaryMask.of(gridHeight, gridWidth, out);
    }
}
