package io.github.llmestimator.runtime;

import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.internal.memory.KvLayout;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.quant.QuantScheme;
import java.util.Objects;

/**
 * MLX (mlx-lm) on Apple silicon: weights and cache in unified memory, within macOS's GPU working set
 * ({@link Device#usableMemoryBytes()} of a unified-memory device), quantized with MLX's group-wise affine format.
 *
 * <p>{@code mlx_lm.convert -q} quantizes every linear and embedding matrix whose rows are a multiple of the group
 * ({@code nn.quantize}'s default predicate): each group of {@code groupSize} weights stores {@code bits}-bit values
 * plus a 16-bit scale and a 16-bit bias, so a weight costs {@code bits + 32 / groupSize} bits: 4.5 at the default
 * 4 bits and group 64. Norms, biases and matrices whose rows the group does not divide stay 16-bit.
 *
 * <p>The cache ({@code mlx_lm/models/cache.py} {@code KVCache}) holds K and V in the model's 16-bit type and grows in
 * steps of {@value #CACHE_STEP_TOKENS} tokens.
 *
 * @param bits bits per quantized weight ({@code --q-bits}): 2, 3, 4, 5, 6 or 8
 * @param groupSize weights per scale and bias ({@code --q-group-size}): 32, 64 or 128
 */
public record Mlx(int bits, int groupSize) implements Runtime {

    /** mlx-lm's defaults for {@code mlx_lm.convert -q}: {@code --q-bits 4}, {@code --q-group-size 64}. */
    public static final Mlx DEFAULTS = new Mlx(4, 64);

    /** The tokens by which mlx-lm's {@code KVCache} grows its buffers ({@code step = 256}). */
    public static final int CACHE_STEP_TOKENS = 256;

    private static final SupportedArchitectures ARCHITECTURES = SupportedArchitectures.read("mlx");

    /** Weights whose bytes (at most 9 bits each with scales, times 8 for the bit count) fit a long. */
    private static final long MAX_ELEMENTS = Long.MAX_VALUE / 16;

    /**
     * Validates the settings.
     *
     * @param bits 2, 3, 4, 5, 6 or 8
     * @param groupSize 32, 64 or 128
     * @throws IllegalArgumentException if a setting is not one mlx-lm accepts
     */
    public Mlx {
        if (bits != 2 && bits != 3 && bits != 4 && bits != 5 && bits != 6 && bits != 8) {
            throw new IllegalArgumentException("bits: " + bits + " (expected: 2, 3, 4, 5, 6 or 8)");
        }
        if (groupSize != 32 && groupSize != 64 && groupSize != 128) {
            throw new IllegalArgumentException("groupSize: " + groupSize + " (expected: 32, 64 or 128)");
        }
    }

    /**
     * Returns the bits one quantized weight costs, defined as {@code bits + 32 / groupSize}.
     *
     * @return bits per weight: 4.5 for the defaults
     */
    public double bitsPerWeight() {
        return bits + 32.0 / groupSize;
    }

    /**
     * Returns the bytes of {@code elements} quantized weights, defined as
     * {@code ceil(elements / groupSize) * (groupSize * bits + 32) / 8}.
     *
     * @param elements weights, at least 0
     * @return bytes
     * @throws IllegalArgumentException if {@code elements} is negative or their bytes overflow a {@code long}
     */
    public long quantizedBytes(long elements) {
        if (elements < 0 || elements > MAX_ELEMENTS) {
            throw new IllegalArgumentException("elements: " + elements + " (expected: 0 to " + MAX_ELEMENTS + ")");
        }
        long groups = (elements + groupSize - 1) / groupSize;
        return groups * ((long) groupSize * bits + 32) / 8;
    }

    /**
     * Returns the model's weights as {@code mlx_lm.convert -q} stores them: every matrix whose rows the group divides
     * quantized ({@link #quantizedBytes(long)}), every other tensor at 2 bytes per element.
     *
     * @param model the model, not null
     * @return bytes
     * @throws NullPointerException if {@code model} is null
     */
    public long weightBytes(ModelSpec model) {
        long bytes = 0;
        for (Tensor t : Objects.requireNonNull(model, "model").tensors()) {
            boolean quantized = t.dimensions() >= 2 && t.ne0() % groupSize == 0;
            long tensorBytes = quantized ? quantizedBytes(t.elements()) : Math.multiplyExact(2L, t.elements());
            bytes = Math.addExact(bytes, tensorBytes);
        }
        return bytes;
    }

    /**
     * Returns the cache of one sequence of {@code tokens}: the 16-bit K and V of every cached layer for
     * {@code ceil(tokens / 256) * 256} tokens.
     *
     * @param model the model, not null
     * @param tokens the sequence's tokens, at least 0
     * @return bytes
     * @throws NullPointerException if {@code model} is null
     * @throws IllegalArgumentException if {@code tokens} is negative or the cache overflows a {@code long}
     */
    public long kvCacheBytes(ModelSpec model, long tokens) {
        Objects.requireNonNull(model, "model");
        long perToken = KvLayout.of(model, KvCacheType.BF16, KvCacheType.BF16, true).fullAttentionBytesPerCell();
        long most = perToken == 0 ? Long.MAX_VALUE - CACHE_STEP_TOKENS
                : Long.MAX_VALUE / perToken / CACHE_STEP_TOKENS * CACHE_STEP_TOKENS;
        if (tokens < 0 || tokens > most) {
            throw new IllegalArgumentException("tokens: " + tokens + " (expected: 0 to " + most
                    + ", so that the cache fits a long)");
        }
        long cells = (tokens + CACHE_STEP_TOKENS - 1) / CACHE_STEP_TOKENS * CACHE_STEP_TOKENS;
        return cells * perToken;
    }

    /**
     * Returns the memory MLX may use on a device: the GPU working set of a unified-memory device.
     *
     * @param device the device, not null
     * @return bytes
     * @throws NullPointerException if {@code device} is null
     * @throws IllegalArgumentException if the device is not unified memory (MLX runs on Apple silicon)
     */
    public long usableBytes(Device device) {
        Objects.requireNonNull(device, "device");
        if (device.kind() != DeviceKind.UNIFIED_MEMORY) {
            throw new IllegalArgumentException("device " + device.name() + ": " + device.kind()
                    + " (expected: UNIFIED_MEMORY, an Apple silicon machine)");
        }
        return device.usableMemoryBytes();
    }

    @Override
    public String name() {
        return "MLX";
    }

    @Override
    public String id() {
        return "mlx";
    }

    @Override
    public boolean loads(QuantScheme scheme) {
        return Objects.requireNonNull(scheme, "scheme") == QuantScheme.NATIVE;
    }

    @Override
    public KvCacheType defaultKvCacheType() {
        return KvCacheType.BF16;
    }

    @Override
    public SupportedArchitectures architectures() {
        return ARCHITECTURES;
    }

    @Override
    public boolean llamaCppKernels() {
        return false;
    }
}
