/**
 * Pictures and tables of results: overlays of image, ground truth, prediction and boxes; the Dice against
 * support size plot; CSV writing.
 */
package org.iclsam.examples.report;
