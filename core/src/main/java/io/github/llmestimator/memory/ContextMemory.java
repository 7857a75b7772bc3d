package io.github.llmestimator.memory;

import io.github.llmestimator.model.AttentionBlock;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * The memory a llama.cpp context allocates besides the weights: KV cache, recurrent state, output buffer and compute
 * buffer, for one model and one set of {@link ContextSettings}.
 *
 * <p>Formulas (llama.cpp {@code src/llama-context.cpp}, {@code llama-kv-cache.cpp}, {@code llama-kv-cache-iswa.cpp},
 * {@code llama-memory-recurrent.cpp}, 2026):
 * <ul>
 *   <li>KV cache = sum over layers with a KV cache of {@code cells * (rowBytes(typeK, n_embd_k_gqa) +
 *       rowBytes(typeV, n_embd_v_gqa))}, where cells = {@code n_ctx_seq * streams} for full-context layers and
 *       {@code PAD(min(n_ctx_seq, window * (unified ? sequences : 1) + n_ubatch), 256) * streams} for sliding-window
 *       layers (or the full count with {@code --swa-full}). Without flash attention V is stored transposed and every
 *       layer's V row is the model-wide maximum. MLA layers cache only the latent as K.</li>
 *   <li>Recurrent state = {@code 4 * max(1, sequences) * sum over recurrent layers of (n_embd_r + n_embd_s)} (F32).</li>
 *   <li>Output buffer = {@code 4 * n_vocab * sequences} (logits, F32).</li>
 *   <li>Compute buffer [heuristic, matched to two llama.cpp logs of Llama-3-8B]: the largest of the output stage
 *       {@code 4 * n_ub * (n_vocab + n_embd)} and the attention stage {@code 4 * n_ub * (1 + 4 * n_embd + n_kv *
 *       (1 + n_head))} without flash attention, {@code 4 * n_ub * (1 + 4 * n_embd + n_kv)} with it.</li>
 * </ul>
 *
 * @param settings the settings these sizes are for, not null
 * @param fullAttentionCells cells of a full-context layer's cache, all streams together
 * @param slidingWindowCells cells of a sliding-window layer's cache, all streams together (0 without such layers)
 * @param fullAttentionKvBytes KV bytes of full-context and latent layers
 * @param slidingWindowKvBytes KV bytes of sliding-window layers
 * @param recurrentStateBytes recurrent state bytes (convolution and SSM state)
 * @param outputBufferBytes logits buffer bytes
 * @param computeBufferBytes compute buffer bytes (heuristic)
 */
public record ContextMemory(ContextSettings settings, long fullAttentionCells, long slidingWindowCells,
        long fullAttentionKvBytes, long slidingWindowKvBytes, long recurrentStateBytes, long outputBufferBytes,
        long computeBufferBytes) {

    /**
     * Validates the components.
     *
     * @param settings the settings these sizes are for, not null
     * @param fullAttentionCells cells of a full-context layer's cache, all streams together
     * @param slidingWindowCells cells of a sliding-window layer's cache, all streams together (0 without such
     *     layers)
     * @param fullAttentionKvBytes KV bytes of full-context and latent layers
     * @param slidingWindowKvBytes KV bytes of sliding-window layers
     * @param recurrentStateBytes recurrent state bytes (convolution and SSM state)
     * @param outputBufferBytes logits buffer bytes
     * @param computeBufferBytes compute buffer bytes (heuristic)
     * @throws NullPointerException if {@code settings} is null
     * @throws IllegalArgumentException if a count is negative
     */
    public ContextMemory {
        Objects.requireNonNull(settings, "settings");
        if (fullAttentionCells < 0 || slidingWindowCells < 0 || fullAttentionKvBytes < 0 || slidingWindowKvBytes < 0
                || recurrentStateBytes < 0 || outputBufferBytes < 0 || computeBufferBytes < 0) {
            throw new IllegalArgumentException("context memory: negative size (expected: every size >= 0)");
        }
    }

    /**
     * Computes the context memory of a model under the given settings.
     *
     * @param model the model, not null
     * @param settings the settings, not null
     * @return the context memory
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the settings do not work together for this model: a quantized V cache without
     *     flash attention, or a cache row that a quantized cache type's block of 32 does not divide
     * @throws ArithmeticException if a size overflows a {@code long}
     */
    public static ContextMemory of(ModelSpec model, ContextSettings settings) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(settings, "settings");
        TensorType keyType = settings.keyCacheType().tensorType();
        TensorType valueType = settings.valueCacheType().tensorType();
        if (settings.valueCacheType().isQuantized() && !settings.flashAttention()) {
            throw new IllegalStateException("valueCacheType: " + settings.valueCacheType()
                    + " with flashAttention false (expected: flash attention on, or an unquantized V cache: llama.cpp"
                    + " cannot use a quantized V cache without it)");
        }
        List<Layer> layers = model.layers();
        long maxValueElements = 0;
        for (Layer layer : layers) {
            maxValueElements = Math.max(maxValueElements, layer.attention().valueCacheElementsPerToken());
        }
        int sequences = settings.parallelSequences();
        long streams = settings.streams();
        long cellsPerStream = settings.cellsPerStream();
        long microBatch = settings.effectiveMicroBatchTokens();
        long fullCells = cellsPerStream * streams;
        long slidingCells = 0;
        long fullBytes = 0;
        long slidingBytes = 0;
        long recurrentElements = 0;
        int maxHeads = 0;
        boolean anyFull = false;
        for (int i = 0; i < layers.size(); i++) {
            AttentionBlock attention = layers.get(i).attention();
            recurrentElements += attention.convolutionStateElements() + attention.recurrentStateElements();
            if (!attention.hasKvCache()) {
                continue;
            }
            maxHeads = Math.max(maxHeads, attention.queryHeads());
            long valueElements = attention.valueCacheElementsPerToken();
            if (valueElements > 0 && !settings.flashAttention()) {
                valueElements = maxValueElements;
            }
            long bytesPerCell = rowBytes(keyType, attention.keyCacheElementsPerToken(), "K", i)
                    + (valueElements > 0 ? rowBytes(valueType, valueElements, "V", i) : 0);
            int window = attention.slidingWindowTokens();
            if (window > 0) {
                long cells = slidingWindowCellsPerStream(settings, window, microBatch) * streams;
                slidingCells = Math.max(slidingCells, cells);
                slidingBytes = Math.addExact(slidingBytes, Math.multiplyExact(cells, bytesPerCell));
            } else {
                anyFull = true;
                fullBytes = Math.addExact(fullBytes, Math.multiplyExact(fullCells, bytesPerCell));
            }
        }
        long recurrentBytes = Math.multiplyExact(Math.multiplyExact(4L, recurrentElements), sequences);
        long outputBytes = 4L * model.vocabularySize() * sequences;
        long kvCellsForCompute = anyFull ? fullCells : slidingCells;
        long outputStage = 4 * microBatch * ((long) model.vocabularySize() + model.hiddenSize());
        long scoreColumns = settings.flashAttention() ? kvCellsForCompute : kvCellsForCompute * (1L + maxHeads);
        long attentionStage = Math.multiplyExact(4 * microBatch, 1 + 4L * model.hiddenSize() + scoreColumns);
        long compute = Math.max(outputStage, attentionStage);
        return new ContextMemory(settings, anyFull ? fullCells : 0, slidingCells, fullBytes, slidingBytes,
                recurrentBytes, outputBytes, compute);
    }

    private static long slidingWindowCellsPerStream(ContextSettings settings, int window, long microBatch) {
        long cellsPerStream = settings.cellsPerStream();
        if (settings.fullSlidingWindowCache()) {
            return cellsPerStream;
        }
        long windowCells = (long) window * (settings.unifiedKvCache() ? settings.parallelSequences() : 1) + microBatch;
        return ContextSettings.pad(Math.min(cellsPerStream, windowCells));
    }

    private static long rowBytes(TensorType type, long elements, String which, int layer) {
        if (!type.acceptsRowLength(elements)) {
            throw new IllegalStateException(which + " cache type " + type + ": layer " + layer + " caches " + elements
                    + " elements per token (expected: a multiple of " + type.blockSize() + " for this cache type)");
        }
        return type.rowBytes(elements);
    }

    /**
     * Returns the whole KV cache, defined as {@code fullAttentionKvBytes + slidingWindowKvBytes}.
     *
     * @return bytes
     */
    public long kvCacheBytes() {
        return fullAttentionKvBytes + slidingWindowKvBytes;
    }

    /**
     * Returns everything this context allocates, defined as KV cache + recurrent state + output buffer + compute buffer.
     *
     * @return bytes
     */
    public long totalBytes() {
        return Math.addExact(Math.addExact(kvCacheBytes(), recurrentStateBytes),
                Math.addExact(outputBufferBytes, computeBufferBytes));
    }
}
