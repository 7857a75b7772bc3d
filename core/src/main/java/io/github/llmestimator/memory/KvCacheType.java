package io.github.llmestimator.memory;

import io.github.llmestimator.quant.TensorType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * An element type llama.cpp accepts for the K or V cache ({@code --cache-type-k}, {@code --cache-type-v}).
 *
 * <p>Quantized types store rows in blocks of 32, so a cache row must be a multiple of 32 elements, and a quantized V
 * cache requires flash attention.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum KvCacheType {
    /** 4 bytes per element. */
    F32(TensorType.F32),
    /** 2 bytes per element: llama.cpp's default. */
    F16(TensorType.F16),
    /** 2 bytes per element. */
    BF16(TensorType.BF16),
    /** 34 bytes per 32 elements (1.0625 bytes per element). */
    Q8_0(TensorType.Q8_0),
    /** 24 bytes per 32 elements. */
    Q5_1(TensorType.Q5_1),
    /** 22 bytes per 32 elements. */
    Q5_0(TensorType.Q5_0),
    /** 20 bytes per 32 elements. */
    Q4_1(TensorType.Q4_1),
    /** 18 bytes per 32 elements (0.5625 bytes per element). */
    Q4_0(TensorType.Q4_0),
    /** 18 bytes per 32 elements, non-linear. */
    IQ4_NL(TensorType.IQ4_NL);

    private final TensorType tensorType;

    KvCacheType(TensorType tensorType) {
        this.tensorType = tensorType;
    }

    /**
     * Returns the cache type with the given name as llama.cpp spells it ({@code f16}, {@code q8_0}), ignoring case.
     *
     * @param name the name, not null
     * @return the cache type
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if no cache type has that name; the message lists them
     */
    public static KvCacheType ofName(String name) {
        Objects.requireNonNull(name, "name");
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cache type: '" + name + "' (expected one of " + Arrays.toString(values()) + ")", e);
        }
    }

    /**
     * Returns the ggml type the cache tensors have.
     *
     * @return the tensor type, not null
     */
    public TensorType tensorType() {
        return tensorType;
    }

    /**
     * Returns whether this type is block-quantized (requiring rows of multiples of 32, and flash attention for V).
     *
     * @return true for the Q and IQ types
     */
    public boolean isQuantized() {
        return tensorType.isBlockQuantized();
    }
}
