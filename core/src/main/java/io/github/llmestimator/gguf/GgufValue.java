package io.github.llmestimator.gguf;

import java.util.List;
import java.util.Objects;

/**
 * A metadata value of a GGUF file: an integer, a floating-point number, a boolean, a string or an array of one of
 * these.
 *
 * <p>Arrays of more than {@link GgufFile#MAX_KEPT_ARRAY_ELEMENTS} elements (a tokenizer's vocabulary, merges and scores),
 * and arrays beyond {@link GgufFile#MAX_KEPT_ELEMENTS_TOTAL} kept elements in all, are read and checked but not kept: their {@link ArrayValue#elements()} is empty and
 * {@link ArrayValue#isKept()} false, while {@link ArrayValue#length()} gives the element count.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface GgufValue
        permits GgufValue.IntegerValue, GgufValue.FloatValue, GgufValue.BoolValue, GgufValue.StringValue,
        GgufValue.ArrayValue {

    /**
     * Returns the type of this value as stored in the file.
     *
     * @return the type, not null
     */
    GgufValueType type();

    /**
     * An integer of one of the eight GGUF integer types.
     *
     * @param type the integer type, not null
     * @param value the value; for {@code UINT64} the 64 bits, so that values above {@link Long#MAX_VALUE} are negative
     *     here (read them with {@link Long#toUnsignedString(long)})
     */
    record IntegerValue(GgufValueType type, long value) implements GgufValue {

        /**
         * Validates the components.
         *
         * @param type the integer type, not null
         * @param value the value; for {@code UINT64} the 64 bits
         * @throws NullPointerException if {@code type} is null
         * @throws IllegalArgumentException if {@code type} is not an integer type, or {@code value} is out of its range
         */
        public IntegerValue {
            Objects.requireNonNull(type, "type");
            long min;
            long max;
            switch (type) {
                case UINT8: min = 0; max = 0xFF; break;
                case INT8: min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; break;
                case UINT16: min = 0; max = 0xFFFF; break;
                case INT16: min = Short.MIN_VALUE; max = Short.MAX_VALUE; break;
                case UINT32: min = 0; max = 0xFFFF_FFFFL; break;
                case INT32: min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; break;
                case UINT64: case INT64: min = Long.MIN_VALUE; max = Long.MAX_VALUE; break;
                default:
                    throw new IllegalArgumentException("type: " + type + " (expected: an integer type)");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        "value: " + value + " (expected: " + min + " to " + max + " for " + type + ")");
            }
        }

        /**
         * Returns whether the value, read as its type says (unsigned for {@code UINT64}), is in {@code [min, max]}.
         *
         * @param min the least value allowed
         * @param max the greatest value allowed
         * @return true when in range
         */
        public boolean isBetween(long min, long max) {
            if (type == GgufValueType.UINT64 && value < 0) {
                return false;
            }
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return type == GgufValueType.UINT64 ? Long.toUnsignedString(value) : Long.toString(value);
        }
    }

    /**
     * A floating-point number.
     *
     * @param type {@code FLOAT32} or {@code FLOAT64}
     * @param value the value, exact for both types
     */
    record FloatValue(GgufValueType type, double value) implements GgufValue {

        /**
         * Validates the components.
         *
         * @param type {@code FLOAT32} or {@code FLOAT64}
         * @param value the value
         * @throws NullPointerException if {@code type} is null
         * @throws IllegalArgumentException if {@code type} is not a floating-point type
         */
        public FloatValue {
            Objects.requireNonNull(type, "type");
            if (type != GgufValueType.FLOAT32 && type != GgufValueType.FLOAT64) {
                throw new IllegalArgumentException("type: " + type + " (expected: FLOAT32 or FLOAT64)");
            }
        }

        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    /**
     * A boolean.
     *
     * @param value the value
     */
    record BoolValue(boolean value) implements GgufValue {

        @Override
        public GgufValueType type() {
            return GgufValueType.BOOL;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /**
     * A string, decoded from UTF-8 (malformed sequences become U+FFFD, as {@link String#String(byte[],
     * java.nio.charset.Charset)} decodes them).
     *
     * @param value the string, not null
     */
    record StringValue(String value) implements GgufValue {

        /**
         * Validates the component.
         *
         * @param value the string, not null
         * @throws NullPointerException if {@code value} is null
         */
        public StringValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.STRING;
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /**
     * An array of values of one type (never of arrays: ggml rejects nested arrays, and so does this reader).
     *
     * @param elementType the type of every element, not {@code ARRAY}
     * @param length the element count, at least 0
     * @param elements every element in order when kept; empty when the array was only checked (longer than
     *     {@link GgufFile#MAX_KEPT_ARRAY_ELEMENTS}, or beyond {@link GgufFile#MAX_KEPT_ELEMENTS_TOTAL})
     */
    record ArrayValue(GgufValueType elementType, long length, List<GgufValue> elements) implements GgufValue {

        /**
         * Validates the components.
         *
         * @param elementType the type of every element, not {@code ARRAY}
         * @param length the element count, at least 0
         * @param elements every element in order when kept, else empty
         * @throws NullPointerException if {@code elementType} or {@code elements} is null, or an element is null
         * @throws IllegalArgumentException if {@code elementType} is {@code ARRAY}, {@code length} is negative,
         *     {@code elements} is neither empty nor {@code length} long, or an element is of another type
         */
        public ArrayValue {
            Objects.requireNonNull(elementType, "elementType");
            elements = List.copyOf(Objects.requireNonNull(elements, "elements"));
            if (elementType == GgufValueType.ARRAY) {
                throw new IllegalArgumentException("elementType: ARRAY (expected: a non-array type)");
            }
            if (length < 0) {
                throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
            }
            if (!elements.isEmpty() && elements.size() != length) {
                throw new IllegalArgumentException(
                        "elements: " + elements.size() + " (expected: 0 or length = " + length + ")");
            }
            for (GgufValue element : elements) {
                if (element.type() != elementType) {
                    throw new IllegalArgumentException(
                            "element type: " + element.type() + " (expected: " + elementType + ")");
                }
            }
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.ARRAY;
        }

        /**
         * Returns whether the elements were kept.
         *
         * @return true when {@link #elements()} holds all {@link #length()} elements
         */
        public boolean isKept() {
            return elements.size() == length;
        }

        @Override
        public String toString() {
            return isKept() ? elements.toString() : "[" + length + " " + elementType + " elements, not kept]";
        }
    }
}
