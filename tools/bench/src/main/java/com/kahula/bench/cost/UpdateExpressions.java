package com.kahula.bench.cost;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The item an UpdateItem leaves, for the update expressions of plain assignments and removals of top-level attributes
 * ({@code SET #a = :x, #b = :y REMOVE #c}); any other expression is refused, so that a write the cost model cannot
 * follow fails the count rather than being counted wrong.
 */
final class UpdateExpressions {

    private UpdateExpressions() {}

    static Map<String, JsonNode> apply(
            Map<String, JsonNode> item, String expression, Map<String, String> names, Map<String, JsonNode> values) {
        Map<String, JsonNode> after = new HashMap<>(item);
        Deque<String> tokens = new ArrayDeque<>(Arrays.asList(
                expression.replace(",", " , ").replace("=", " = ").trim().split("\\s+")));
        String clause = null;
        while (!tokens.isEmpty()) {
            String token = tokens.poll();
            switch (token.toUpperCase(Locale.ROOT)) {
                case "SET", "REMOVE" -> clause = token.toUpperCase(Locale.ROOT);
                case "," -> {
                    // the next action of the same clause
                }
                default -> {
                    if (clause == null) {
                        throw unsupported(expression);
                    }
                    String name = name(token, names, expression);
                    if (clause.equals("REMOVE")) {
                        after.remove(name);
                    } else {
                        if (!"=".equals(tokens.poll())) {
                            throw unsupported(expression);
                        }
                        String placeholder = tokens.poll();
                        JsonNode value = placeholder == null ? null : values.get(placeholder);
                        if (value == null) {
                            throw unsupported(expression);
                        }
                        after.put(name, value);
                    }
                }
            }
        }
        return after;
    }

    private static String name(String token, Map<String, String> names, String expression) {
        if (token.startsWith("#")) {
            String name = names.get(token);
            if (name == null) {
                throw unsupported(expression);
            }
            return name;
        }
        if (!token.matches("[A-Za-z0-9_]+")) {
            throw unsupported(expression);
        }
        return token;
    }

    private static UnsupportedOperationException unsupported(String expression) {
        return new UnsupportedOperationException(
                "the cost model follows only SET name = :value and REMOVE name, not: " + expression);
    }
}
