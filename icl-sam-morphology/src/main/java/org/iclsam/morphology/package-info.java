/**
 * Binary masks and the morphology ICL-SAM needs: erosion and dilation with explicit structuring elements and
 * border policy, connected components, the automatic box prompts of the method (docs/METHOD.md step 4), and the
 * exact Euclidean distance transform with the mask surfaces that the metrics build on.
 *
 * <p>Pure Java, no native code. Masks are flat row-major arrays with explicit (height, width).
 */
package org.iclsam.morphology;
