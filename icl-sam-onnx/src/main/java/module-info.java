/**
 * The ONNX Runtime adapters of ICL-SAM: SAM-family encoders and decoders, the decoder graph with the confidence
 * input, UniverSeg, the provisioning of the default models and CPU/CUDA execution. The only library module that
 * loads native code (ONNX Runtime's).
 *
 * <p>{@code org.iclsam.onnx.internal} (sessions, tensors, preprocessing, the decoder adapters) is not exported:
 * reach it through {@link org.iclsam.onnx.SamModels} and {@link org.iclsam.onnx.DefaultModels}. ONNX Runtime is
 * read transitively because {@link org.iclsam.onnx.universeg.UniverSegModel} takes its session options.
 * Native-library preloaders ({@link org.iclsam.onnx.spi.NativeLibraryPreloader}, such as {@code icl-sam-cuda}'s)
 * are found with {@link java.util.ServiceLoader}. {@code java.net.http} fetches model packages where npm is not
 * installed.
 */
module org.iclsam.onnx {
    requires transitive org.iclsam.core;
    requires transitive com.microsoft.onnxruntime;
    requires org.tribuo.util.onnx;
    requires com.google.protobuf;
    requires org.apache.commons.compress;
    requires java.net.http;
    requires org.slf4j;

    exports org.iclsam.onnx;
    exports org.iclsam.onnx.graph;
    exports org.iclsam.onnx.spi;
    exports org.iclsam.onnx.universeg;

    uses org.iclsam.onnx.spi.NativeLibraryPreloader;
}
