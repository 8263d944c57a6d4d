/**
 * A reader for NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0), used by the side-by-side harnesses to
 * load the exact arrays an external anchor (scikit-learn, PyTorch) was timed on.
 */
package org.iclsam.benchmarks.npy;
