package org.iclsam.examples.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code task.json} files with Jackson, strictly: standard JSON only (RFC 8259; Jackson's defaults refuse a
 * leading {@code +}, leading zeros, a bare decimal point, unescaped control characters such as raw tabs in strings,
 * comments, single quotes and NaN), no duplicate keys in an object, and nothing after the value. Objects become
 * insertion-ordered {@link Map}s, arrays {@link List}s, numbers {@link Double}s, and {@code true}/{@code false}/
 * {@code null} their Java values.
 */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /**
     * @param text a JSON document
     * @return its value
     * @throws IllegalArgumentException naming the line, column and offset of the first error, and what it is
     */
    static Object parse(String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()
                    + " (offset " + at.getCharOffset() + ")";
            throw new IllegalArgumentException("invalid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("invalid JSON at line 1, column 1 (offset 0): no value");
        }
        return toJava(root);
    }

    private static Object toJava(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), toJava(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            n.forEach(v -> l.add(toJava(v)));
            return l;
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isNull()) {
            return null;
        }
        throw new IllegalArgumentException("unexpected JSON value of type " + n.getNodeType());
    }
}
