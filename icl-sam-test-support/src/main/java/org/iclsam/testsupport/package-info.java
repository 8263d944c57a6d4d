/**
 * What the tests of every module share and no production code uses: {@link org.iclsam.testsupport.SharedData},
 * the one way to find the real data in {@code ../shared/data}, and {@link org.iclsam.testsupport.Python}, the
 * interpreter that runs the independent references (NumPy, SciPy, nibabel). Both abort the calling test with an
 * assumption that names what is missing and how to get it, so that a test without its data or reference is
 * visibly skipped, never silently absent.
 */
package org.iclsam.testsupport;
