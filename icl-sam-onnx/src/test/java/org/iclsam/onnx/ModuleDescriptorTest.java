package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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

    /** @return the descriptor of the exploded module in the main classes directory, with all its packages */
    static ModuleDescriptor descriptor() throws URISyntaxException {
        Path classes = Path.of(ANCHOR.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(classes.resolve("module-info.class")), "no module descriptor in " + classes);
        Set<ModuleReference> found = ModuleFinder.of(classes).findAll();
        assertEquals(1, found.size(), "one module in " + classes);
        return found.iterator().next().descriptor();
    }

    @Test
    void theNameIsTheAutomaticModuleNameOfThePom() throws Exception {
        String expected = System.getProperty("iclsam.module.name");
        assertNotNull(expected, "surefire passes the POM's module.name as the system property iclsam.module.name");
        assertEquals(expected, descriptor().name());
    }

    @Test
    void exportsTheApiPackagesToEveryoneAndConcealsTheRest() throws Exception {
        ModuleDescriptor d = descriptor();
        assertFalse(d.isAutomatic() || d.isOpen(), "an explicit, closed module");
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), "no qualified exports");
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(EXPORTED), exported);
        Set<String> concealed = new TreeSet<>(d.packages());
        concealed.removeAll(exported);
        assertEquals(new TreeSet<>(CONCEALED), concealed, "a package that is neither exported nor concealed on"
                + " purpose: export it in module-info.java or add it to CONCEALED");
        assertEquals(Set.of("org.iclsam.onnx.spi.NativeLibraryPreloader"), d.uses());
    }
}
