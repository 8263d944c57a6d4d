/**
 * Reading images and volumes for the SDK, with the values the files hold and an explicit
 * {@link org.iclsam.core.IntensityPolicy}: {@link org.iclsam.io.ImageFiles} (PNG, JPEG, TIFF and single DICOM files;
 * masks written as PNG), {@link org.iclsam.io.NiftiFiles} (NIfTI-1 volumes read, label volumes written with the
 * source's geometry), {@link org.iclsam.io.DicomFiles} and {@link org.iclsam.io.DicomSeries} (uncompressed DICOM
 * files and series), and {@link org.iclsam.io.VolumeSegmenter}, which segments a {@link org.iclsam.io.Volume}
 * slice by slice through the pipeline.
 *
 * <p>Pure Java (no native code, no logging backend). Every reader bounds what a file's header can make it
 * allocate and turns every malformed input into an exception naming the file.
 */
package org.iclsam.io;
