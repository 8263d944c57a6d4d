/**
 * Readers for segmentation task folders: 2D image/label pairs (PNG, JPEG, TIFF) and 3D NIfTI-1 volumes sliced
 * into the axial slices that hold the target, grouped by patient or volume.
 */
package org.iclsam.examples.data;
