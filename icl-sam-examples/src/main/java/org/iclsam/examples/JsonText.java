package org.iclsam.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * JSON tokens for the commands' output, written by Jackson so that any string or number comes out as standard
 * JSON (RFC 8259): strings quoted with every character that needs it escaped, numbers as JSON numbers.
 */
final class JsonText {
    /** Significant digits of the numbers the commands print. */
    static final int SIGNIFICANT_DIGITS = 6;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final MathContext DIGITS = new MathContext(SIGNIFICANT_DIGITS);

    private JsonText() {
    }

    /**
     * @param s a string
     * @return it as a JSON string literal, quoted and escaped
     */
    static String string(String s) {
        return write(s);
    }

    /**
     * @param v a number
     * @return its shortest decimal form ({@link Double#toString}) rounded half up to {@value #SIGNIFICANT_DIGITS}
     *     significant digits, the digits {@code %.6g} printed before, as a JSON number (for example {@code 0.95} or
     *     {@code 1.23457E+10}); {@code null} when it is not finite
     */
    static String number(double v) {
        return Double.isFinite(v) ? write(BigDecimal.valueOf(v).round(DIGITS)) : "null";
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // a String or a BigDecimal always serialises; reaching here is a bug, not bad input
            throw new IllegalStateException("Jackson could not write " + value, e);
        }
    }
}
