package org.iclsam.testsupport;

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

/**
 * The checks every library module's {@code ModuleDescriptorTest} makes of its compiled {@code module-info.class}
 * (the tests run on the class path, so nothing else reads it): its name is the POM's {@code module.name} (passed
 * by Surefire as the system property {@value #NAME_PROPERTY}), it is an explicit, closed module with no qualified
 * exports, it exports exactly the API packages, every other package is concealed on purpose, and it uses exactly
 * the services named.
 */
public final class ModuleDescriptors {
    /** The system property Surefire sets to the POM's {@code module.name}. */
    public static final String NAME_PROPERTY = "iclsam.module.name";

    private ModuleDescriptors() {
    }

    /**
     * @param anchor a class of the module's main code: where it was loaded from is the module's classes directory
     * @return the descriptor of the exploded module there, with all its packages
     * @throws URISyntaxException if the class's location is not a file URI
     */
    public static ModuleDescriptor descriptor(Class<?> anchor) throws URISyntaxException {
        Path classes = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(classes.resolve("module-info.class")), "no module descriptor in " + classes);
        Set<ModuleReference> found = ModuleFinder.of(classes).findAll();
        assertEquals(1, found.size(), "one module in " + classes);
        return found.iterator().next().descriptor();
    }

    /**
     * Asserts the module's name against the POM's.
     *
     * @param anchor a class of the module's main code
     * @throws URISyntaxException if the class's location is not a file URI
     */
    public static void assertNameIsThePoms(Class<?> anchor) throws URISyntaxException {
        String expected = System.getProperty(NAME_PROPERTY);
        assertNotNull(expected, "surefire passes the POM's module.name as the system property " + NAME_PROPERTY);
        assertEquals(expected, descriptor(anchor).name());
    }

    /**
     * Asserts what the module exports, conceals and uses.
     *
     * @param anchor a class of the module's main code
     * @param exported the packages exported to everyone
     * @param concealed the packages concealed on purpose
     * @param uses the service types the module declares it loads
     * @throws URISyntaxException if the class's location is not a file URI
     */
    public static void assertExportsAndConceals(Class<?> anchor, Set<String> exported, Set<String> concealed,
            Set<String> uses) throws URISyntaxException {
        ModuleDescriptor d = descriptor(anchor);
        assertFalse(d.isAutomatic() || d.isOpen(), "an explicit, closed module");
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), "no qualified exports");
        Set<String> actual = d.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(exported), actual);
        Set<String> rest = new TreeSet<>(d.packages());
        rest.removeAll(actual);
        assertEquals(new TreeSet<>(concealed), rest, "a package that is neither exported nor concealed on purpose:"
                + " export it in module-info.java or add it to the concealed ones");
        assertEquals(new TreeSet<>(uses), new TreeSet<>(d.uses()));
    }
}
