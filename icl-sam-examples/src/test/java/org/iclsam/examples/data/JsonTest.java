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
    void syntaxErrorsNameWhereTheyAre() {
        for (String bad : List.of("{\"a\": }", "{\"a\" 1}", "[1, 2", "{\"a\": 1} x", "\"open", "{a: 1}", "-", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid JSON at line "), e.getMessage());
        }
    }

    @Test
    void whatRfc8259RefusesIsRefused() {
        // each accepted by the former hand-written reader, which called itself strict
        for (String bad : List.of("{\"a\": +1}", "{\"a\": 01}", "{\"a\": .5}", "{\"a\": 1.}", "{\"a\": \"x\ty\"}",
                "{\"a\": 1, \"a\": 2}", "{\"a\": NaN}", "{\"a\": 1,}", "[1,]", "{\"a\": 'x'}", "// c\n{}",
                "{\"a\": 1e}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid JSON at line "), e.getMessage());
        }
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\"groups\": {\"a\": \"p1\",\n \"a\": \"p2\"}}"));
        assertTrue(dup.getMessage().contains("line 2") && dup.getMessage().contains("'a'"), dup.getMessage());
    }

    @Test
    void escapesAndNumbersFollowTheStandard() {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"s\": \"\\ud83d\\ude00 \\/ \\t\", \"big\": 12345678901234567890,"
                + " \"neg0\": -0.0, \"exp\": 2E-3}");
        assertEquals("\ud83d\ude00 / \t", m.get("s"));
        assertEquals(1.2345678901234567e19, m.get("big"));
        assertEquals(-0.0, m.get("neg0"));
        assertEquals(0.002, m.get("exp"));
    }
}
