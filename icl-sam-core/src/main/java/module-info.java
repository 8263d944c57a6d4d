/**
 * The ICL-SAM pipeline without native code: image, mask and support types, the three model interfaces, the
 * confidence model (logistic regression), the fusion kernels, the training-free in-context model and
 * {@link org.iclsam.core.IclSam}. Its API takes the masks and boxes of {@code org.iclsam.morphology}, which it
 * therefore reads transitively; EJML, Guava and SLF4J are implementation dependencies (EJML has no module name
 * of its own: {@code ejml.core} and {@code ejml.ddense} are the names derived from its jar files).
 */
module org.iclsam.core {
    requires transitive org.iclsam.morphology;
    requires ejml.core;
    requires ejml.ddense;
    requires com.google.common;
    requires org.slf4j;

    exports org.iclsam.core;
    exports org.iclsam.core.confidence;
    exports org.iclsam.core.icl;
    exports org.iclsam.core.kernels;
}
