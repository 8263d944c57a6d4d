package org.iclsam.onnx;

import java.util.Set;
import org.iclsam.testsupport.ModuleDescriptors;
import org.junit.jupiter.api.Test;

/**
 * The compiled module descriptor of this module (the tests run on the class path, so nothing else reads it):
 * its name is the {@code Automatic-Module-Name} of the POM's {@code module.name}, it exports exactly the API
 * packages (not {@code org.iclsam.onnx.internal}) and declares the service it loads, and every other package of
 * the module is concealed on purpose.
 */
class ModuleDescriptorTest {
    /** A class of the module's main code: where it was loaded from is the module's classes directory. */
    private static final Class<?> ANCHOR = ModelPackage.class;
    private static final Set<String> EXPORTED = Set.of("org.iclsam.onnx", "org.iclsam.onnx.graph",
            "org.iclsam.onnx.spi", "org.iclsam.onnx.universeg");
    private static final Set<String> CONCEALED = Set.of("org.iclsam.onnx.internal");
    private static final Set<String> USES = Set.of("org.iclsam.onnx.spi.NativeLibraryPreloader");

    @Test
    void theNameIsTheAutomaticModuleNameOfThePom() throws Exception {
        ModuleDescriptors.assertNameIsThePoms(ANCHOR);
    }

    @Test
    void exportsTheApiPackagesToEveryoneAndConcealsTheRest() throws Exception {
        ModuleDescriptors.assertExportsAndConceals(ANCHOR, EXPORTED, CONCEALED, USES);
    }
}
