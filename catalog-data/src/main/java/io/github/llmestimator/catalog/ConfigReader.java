package io.github.llmestimator.catalog;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed, checked access to the keys of one {@code config.json} object, remembering which keys were read. */
final class ConfigReader {

    private final Map<String, Object> values;
    private final String where;
    private final Set<String> read = new HashSet<>();

    ConfigReader(Map<String, Object> values, String where) {
        this.values = values;
        this.where = where;
    }

    /**
     * Reads one JSON value from the parser, which it closes, and checks that only whitespace follows: jackson-jr stops
     * after the first value, so that {@code {...} }} or two objects in a row would otherwise be read as the first.
     *
     * @return the top-level object, or null for the text {@code null}
     * @throws IOException if the text is not one JSON value; the message says where
     */
    static Map<String, Object> readObject(JsonParser parser) throws IOException {
        try (parser) {
            Map<String, Object> object = JSON.std.mapFrom(parser);
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw new JsonParseException(parser, "content after the top-level value: " + after
                        + " (expected: the end of the text)");
            }
            return object;
        }
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    private ConfigImportException wrongType(String key, Object value, String expected) {
        String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
        return new ConfigImportException(where + ": key '" + key + "' = " + shown + " (expected: " + expected + ")");
    }

    private Object required(String key, String expected) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            throw new ConfigImportException(where + ": missing key '" + key + "' (expected: " + expected + ")");
        }
        return value;
    }

    int integer(String key) {
        return toInt(key, required(key, "a positive integer"), "a positive integer");
    }

    int integer(String key, int defaultValue) {
        read.add(key);
        return has(key) ? toInt(key, values.get(key), "a positive integer") : defaultValue;
    }

    int nonNegativeInteger(String key, int defaultValue) {
        read.add(key);
        if (!has(key)) {
            return defaultValue;
        }
        Object value = values.get(key);
        int result = toIntAllowingZero(key, value, "an integer >= 0");
        if (result < 0) {
            throw wrongType(key, value, "an integer >= 0");
        }
        return result;
    }

    private int toInt(String key, Object value, String expected) {
        int result = toIntAllowingZero(key, value, expected);
        if (result < 1) {
            throw wrongType(key, value, expected);
        }
        return result;
    }

    private int toIntAllowingZero(String key, Object value, String expected) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof BigInteger) {
            long asLong = ((Number) value).longValue();
            if (asLong > Integer.MAX_VALUE || asLong < Integer.MIN_VALUE
                    || value instanceof BigInteger && ((BigInteger) value).bitLength() > 31) {
                throw wrongType(key, value, expected + " no larger than " + Integer.MAX_VALUE);
            }
            return (int) asLong;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw wrongType(key, value, expected);
    }

    /** Reads an integer from {@code min} to {@code max}; {@code why} says where the bound comes from. */
    int integerInRange(String key, int min, int max, String why) {
        return inRange(key, required(key, range(min, max, why)), min, max, why);
    }

    /** Reads an integer from {@code min} to {@code max}, by default {@code defaultValue}. */
    int integerInRange(String key, int defaultValue, int min, int max, String why) {
        read.add(key);
        return has(key) ? inRange(key, values.get(key), min, max, why) : defaultValue;
    }

    private static String range(int min, int max, String why) {
        return "an integer from " + min + " to " + max + ", " + why;
    }

    private int inRange(String key, Object value, int min, int max, String why) {
        int result = toIntAllowingZero(key, value, range(min, max, why));
        if (result < min || result > max) {
            throw wrongType(key, value, range(min, max, why));
        }
        return result;
    }

    /** Reads a positive integer, by default {@code defaultValue}, that divides {@code otherKey}'s value. */
    int divisorOf(String key, int defaultValue, String otherKey, int other) {
        int value = integer(key, defaultValue);
        if (other % value != 0) {
            throw wrongType(key, value, "a divisor of " + otherKey + " = " + other);
        }
        return value;
    }

    /** Reads a positive integer that is a multiple of {@code otherKey}'s value. */
    int multipleOf(String key, String otherKey, int other) {
        int value = integer(key);
        if (value % other != 0) {
            throw wrongType(key, value, "a multiple of " + otherKey + " = " + other);
        }
        return value;
    }

    /** Reads an integer of at least {@code min} (at least 1). */
    int integerAtLeast(String key, int min) {
        int value = integer(key);
        if (value < min) {
            throw wrongType(key, value, "an integer >= " + min);
        }
        return value;
    }

    /** Reads a positive integer of at most {@code limitKey}'s value. */
    int atMost(String key, String limitKey, int limit) {
        int value = integer(key);
        if (value > limit) {
            throw wrongType(key, value, "1 to " + limitKey + " = " + limit);
        }
        return value;
    }

    /** Returns an error about the values of several keys together, each named as in the file. */
    ConfigImportException inconsistent(String keysAndValues, String expected) {
        return new ConfigImportException(where + ": " + keysAndValues + " (expected: " + expected + ")");
    }

    boolean bool(String key, boolean defaultValue) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Boolean)) {
            throw wrongType(key, value, "true or false");
        }
        return (Boolean) value;
    }

    String string(String key) {
        Object value = required(key, "a string");
        if (!(value instanceof String)) {
            throw wrongType(key, value, "a string");
        }
        return (String) value;
    }

    String string(String key, String defaultValue) {
        read.add(key);
        return has(key) ? string(key) : defaultValue;
    }

    List<?> list(String key) {
        Object value = required(key, "a list");
        if (!(value instanceof List)) {
            throw wrongType(key, value, "a list");
        }
        return (List<?>) value;
    }

    List<String> stringList(String key, int expectedSize) {
        List<?> list = list(key);
        if (list.size() != expectedSize) {
            throw wrongType(key, list, "a list of " + expectedSize + " entries, one per layer");
        }
        for (Object item : list) {
            if (!(item instanceof String)) {
                throw wrongType(key, list, "a list of strings");
            }
        }
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) list;
        return strings;
    }

    List<Integer> integerList(String key) {
        List<?> list = list(key);
        List<Integer> result = new java.util.ArrayList<>(list.size());
        for (Object item : list) {
            result.add(toIntAllowingZero(key, item, "a list of integers"));
        }
        return result;
    }

    Map<String, Object> object(String key) {
        Object value = required(key, "an object");
        if (!(value instanceof Map)) {
            throw wrongType(key, value, "an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    /** Checks that a catalog data file's {@code id} key names the file, {@code <id>.json}. */
    void requireFileId(String id) {
        String stated = string("id");
        if (!id.equals(stated)) {
            throw new IllegalStateException(where + ": key 'id' = \"" + stated + "\" (expected: \"" + id
                    + "\", the file name)");
        }
    }

    Map<String, Object> rawValues() {
        return values;
    }

    void markRead(String key) {
        read.add(key);
    }

    Set<String> unreadKeys() {
        Set<String> unread = new TreeSet<>(values.keySet());
        unread.removeAll(read);
        return unread;
    }
}
