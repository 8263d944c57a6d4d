package org.iclsam.metrics;

import java.util.Set;
import org.iclsam.testsupport.ModuleDescriptors;
import org.junit.jupiter.api.Test;

/**
 * The compiled module descriptor of this module (the tests run on the class path, so nothing else reads it):
 * its name is the {@code Automatic-Module-Name} of the POM's {@code module.name}, it exports exactly the API
 * package and every other package of the module is concealed on purpose.
 */
class ModuleDescriptorTest {
    /** A class of the module's main code: where it was loaded from is the module's classes directory. */
    private static final Class<?> ANCHOR = PairMetrics.class;
    private static final Set<String> EXPORTED = Set.of("org.iclsam.metrics");
    private static final Set<String> CONCEALED = Set.of();
    private static final Set<String> USES = Set.of();

    @Test
    void theNameIsTheAutomaticModuleNameOfThePom() throws Exception {
        ModuleDescriptors.assertNameIsThePoms(ANCHOR);
    }

    @Test
    void exportsTheApiPackagesToEveryoneAndConcealsTheRest() throws Exception {
        ModuleDescriptors.assertExportsAndConceals(ANCHOR, EXPORTED, CONCEALED, USES);
    }
}
