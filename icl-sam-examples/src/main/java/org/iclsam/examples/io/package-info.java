/**
 * Reading and writing images and masks (PNG, JPEG, TIFF) for the command line and the dataset readers, with
 * the pixel values the files hold (no colour-space conversion of grey images).
 */
package org.iclsam.examples.io;
