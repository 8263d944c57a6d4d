/**
 * Binary masks and the morphology ICL-SAM needs: erosion and dilation with an explicit border policy, connected
 * components, the automatic box prompts and the exact Euclidean distance transform. Pure Java, no dependency.
 */
module org.iclsam.morphology {
    exports org.iclsam.morphology;
}
