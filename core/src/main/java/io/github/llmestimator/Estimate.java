package io.github.llmestimator;

import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.MemoryKit;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.quant.QuantizedWeights;
import java.util.Objects;

/**
 * The memory a model needs under one quantization and one context: weights, KV cache, recurrent state, output and
 * compute buffers and a runtime allowance, and the standard memory size to buy.
 *
 * <p>All sizes are bytes ({@code long}); {@link DataSize} views convert to GB (10^9) or GiB (2^30) explicitly.
 *
 * @param weights the quantized weights, not null
 * @param context the context's memory (KV cache, state, buffers), not null
 * @param runtimeOverheadBytes the allowance for the runtime itself (CUDA context, driver, allocator slack), at least 0
 */
public record Estimate(QuantizedWeights weights, ContextMemory context, long runtimeOverheadBytes) {

    /**
     * Validates the components.
     *
     * @param weights the quantized weights, not null
     * @param context the context's memory (KV cache, state, buffers), not null
     * @param runtimeOverheadBytes the allowance for the runtime itself (CUDA context, driver, allocator slack), at
     *     least 0
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code runtimeOverheadBytes} is negative
     */
    public Estimate {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(context, "context");
        if (runtimeOverheadBytes < 0) {
            throw new IllegalArgumentException("runtimeOverheadBytes: " + runtimeOverheadBytes + " (expected: >= 0)");
        }
    }

    /**
     * Returns the weights llama.cpp loads (multi-token-prediction layers skipped).
     *
     * @return bytes
     */
    public long weightBytes() {
        return weights.loadedBytes();
    }

    /**
     * Returns the weights of one tensor role.
     *
     * @param role the role, not null
     * @return bytes
     * @throws NullPointerException if {@code role} is null
     */
    public long weightBytes(TensorRole role) {
        return weights.bytes(role);
    }

    /**
     * Returns the KV cache of all attention layers.
     *
     * @return bytes
     */
    public long kvCacheBytes() {
        return context.kvCacheBytes();
    }

    /**
     * Returns the recurrent state of all recurrent layers for all sequences.
     *
     * @return bytes
     */
    public long recurrentStateBytes() {
        return context.recurrentStateBytes();
    }

    /**
     * Returns the output (logits) buffer.
     *
     * @return bytes
     */
    public long outputBufferBytes() {
        return context.outputBufferBytes();
    }

    /**
     * Returns the compute buffer (a heuristic; see {@link ContextMemory}).
     *
     * @return bytes
     */
    public long computeBufferBytes() {
        return context.computeBufferBytes();
    }

    /**
     * Returns the total, defined as weights + KV cache + recurrent state + output buffer + compute buffer + runtime
     * overhead.
     *
     * @return bytes
     * @throws ArithmeticException if the sum overflows a {@code long}
     */
    public long totalBytes() {
        return Math.addExact(Math.addExact(weightBytes(), context.totalBytes()), runtimeOverheadBytes);
    }

    /**
     * Returns {@link #totalBytes()} as a size.
     *
     * @return the total, not null
     */
    public DataSize total() {
        return DataSize.ofBytes(totalBytes());
    }

    /**
     * Returns the smallest standard memory size that holds {@link #totalBytes()}.
     *
     * @return the kit to buy, not null
     */
    public MemoryKit recommendedKit() {
        return MemoryKit.atLeast(totalBytes());
    }

    @Override
    public String toString() {
        return "Estimate[" + weights.model().name() + " " + weights.scheme() + ", context "
                + context.settings().contextTokens() + ": weights " + DataSize.ofBytes(weightBytes()) + ", KV "
                + DataSize.ofBytes(kvCacheBytes()) + ", state " + DataSize.ofBytes(recurrentStateBytes())
                + ", total " + total() + ", kit " + recommendedKit() + "]";
    }
}
