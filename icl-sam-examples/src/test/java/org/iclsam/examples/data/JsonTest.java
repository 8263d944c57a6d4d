package org.iclsam.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesTaskDescriptionsKeepingKeyOrder() {
        Object v = Json.parse("{\"targets\": {\"kidney\": [2, 3], \"liver\": [1]}, \"t\": \"a \\\"b\\\" \\u00e9\\n\","
                + " \"x\": -1.5e2, \"ok\": true, \"no\": false, \"n\": null, \"e\": {}, \"l\": []}");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("targets", "t", "x", "ok", "no", "n", "e", "l"), List.copyOf(m.keySet()));
        Map<?, ?> targets = (Map<?, ?>) m.get("targets");
        assertEquals(List.of("kidney", "liver"), List.copyOf(targets.keySet()));
        assertEquals(Arrays.asList(2.0, 3.0), targets.get("kidney"));
        assertEquals("a \"b\" \u00e9\n", m.get("t"));
        assertEquals(-150.0, m.get("x"));
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertEquals(Boolean.FALSE, m.get("no"));
        assertTrue(m.containsKey("n") && m.get("n") == null);
    }

    @Test
    void syntaxErrorsNameTheOffset() {
        for (String bad : List.of("{\"a\": }", "{\"a\" 1}", "[1, 2", "{\"a\": 1} x", "\"open", "{a: 1}", "-")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid JSON at offset"), e.getMessage());
        }
    }
}
