package org.iclsam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The commands' JSON tokens ({@link CliSupport#jsonString}, {@link CliSupport#jsonNumber}) read back by a strict
 * parser, which is the reference: what any JSON consumer of the command line sees.
 */
class JsonTextTest {
    private static final JsonMapper STRICT = JsonMapper.builder().build();

    @Property(tries = 300)
    void anyStringReadsBackAsItself(@ForAll @StringLength(max = 40) @CharRange(from = 0, to = 0x7f)
            @Chars({'\u00e9', '\u2028', '\ud83d', '\ude00', '\uffff'}) String s) throws Exception {
        String json = CliSupport.jsonString(s);
        JsonNode n = STRICT.readTree("{\"k\": " + json + "}").get("k");
        assertTrue(n.isTextual(), json);
        assertEquals(s, n.textValue(), json);
    }

    @Test
    void controlCharactersQuotesAndBackslashesAreEscaped() {
        String json = CliSupport.jsonString("a\"b\\c\td\n\u0001");
        assertEquals("\"a\\\"b\\\\c\\td\\n\\u0001\"", json);
    }

    @Property(tries = 300)
    void anyFiniteNumberReadsBackRoundedToSixDigits(@ForAll double v) throws Exception {
        String json = CliSupport.jsonNumber(v);
        JsonNode n = STRICT.readTree("[" + json + "]").get(0);
        if (!Double.isFinite(v)) {
            assertTrue(n.isNull(), json);
            return;
        }
        assertTrue(n.isNumber(), json);
        // the former output, %.6g, as the reference for the digits (the sign of a zero is not kept)
        assertEquals(new BigDecimal(String.format(Locale.ROOT, "%.6g", v)).doubleValue(), n.doubleValue(), 0.0, json);
    }

    @Test
    void nonFiniteNumbersAreNull() {
        assertEquals("null", CliSupport.jsonNumber(Double.NaN));
        assertEquals("null", CliSupport.jsonNumber(Double.POSITIVE_INFINITY));
        assertEquals("0.95", CliSupport.jsonNumber(0.95));
        assertEquals("32207.6", CliSupport.jsonNumber(32207.55));
        assertEquals("1.23457E+10", CliSupport.jsonNumber(12345678901.0));
    }
}
