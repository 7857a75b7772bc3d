package io.github.llmestimator.gguf;

import java.util.Objects;

/**
 * One metadata entry of a GGUF file: its key, its value and where it starts.
 *
 * @param key the key, such as {@code llama.block_count}, not null or empty
 * @param value the value, not null
 * @param offset the byte offset of the entry (its key's length prefix) from the start of the file, at least 0
 */
public record GgufKeyValue(String key, GgufValue value, long offset) {

    /**
     * Validates the components.
     *
     * @param key the key, such as {@code llama.block_count}, not null or empty
     * @param value the value, not null
     * @param offset the byte offset of the entry (its key's length prefix) from the start of the file, at least 0
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalArgumentException if {@code key} is empty or {@code offset} is negative
     */
    public GgufKeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key: '' (expected: a non-empty key)");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
    }
}
