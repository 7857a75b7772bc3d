package io.github.llmestimator.internal.memory;

import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.LatentAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.TensorType;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model's context-memory coefficients under fixed cache types and flash-attention mode: bytes per cache cell of the
 * full-context layers, bytes per cell of each sliding-window size, recurrent-state elements and the figures the
 * compute buffer needs. Computing them once per model and cache settings makes the caches and states of every
 * {@link #memory(ContextSettings)} a few arithmetic operations, independent of the number of layers. The compute
 * buffer replays llama.cpp's graph ({@code ComputeGraph}), a pass over the layers' tensors (milliseconds: about 2 ms
 * for 32 layers, 15 ms for Qwen3.5-397B-A17B's 60), per distinct micro-batch, sequence count and sliding-window size
 * for the first cache sizes asked; between two replays that made the same decisions, every other cache size is an
 * exact interpolation ({@code ComputeBufferCurve}).
 *
 * <p>{@link #of} returns the layout already computed for an equal model and the same cache settings, so that the
 * compute buffers replayed for one estimator serve the next. This class is thread-safe; apart from those remembered
 * compute buffers it is immutable.
 */
public final class KvLayout {

    /** Graph shapes whose compute buffers a layout remembers before it clears them. */
    private static final int MAX_REMEMBERED_GRAPHS = 256;

    /**
     * Layouts already computed, by model and cache settings, held in common by every estimator of an equal model: a
     * caller who makes a new estimator for a model it asked about before (a catalog sweep, a service) finds the
     * compute buffers replayed then. Held softly, so that the collector may take back the replays' traces under
     * memory pressure; a layout is a function of its key, so a lost one is only computed again.
     */
    private static final Map<LayoutKey, SoftReference<KvLayout>> LAYOUTS = new ConcurrentHashMap<>();
    /** Layouts remembered before they are all dropped: a few per model of a large catalog. */
    private static final int MAX_REMEMBERED_LAYOUTS = 1024;

    private record LayoutKey(ModelSpec model, KvCacheType keyCacheType, KvCacheType valueCacheType,
            boolean flashAttention) {
    }

    /** Architectures whose caches leave the MTP layers out. */
    private static final Set<String> HYBRID_TRUNK_ONLY = Set.of("qwen3next", "qwen35", "qwen35moe");

    private final ModelSpec model;
    private final KvCacheType keyCacheType;
    private final KvCacheType valueCacheType;
    private final boolean flashAttention;
    private final long fullBytesPerCell;
    private final boolean anyFull;
    private final int[] windows;
    private final long[] windowBytesPerCell;
    /**
     * KV bytes per cell of each cached layer (in the order of {@link #cachedLayers}), 0 for a layer without a KV cache
     * and -1 for a row the cache type cannot store: the one rule the totals here and every per-device split sum.
     */
    private final long[] layerBytesPerCell;
    private final long recurrentElements;
    private final int maxHeads;
    /** Widest Q + K + V row of a cached layer, in elements: what the unfused attention holds beside its scores. */
    private final long attentionWidth;
    /** Widest feed-forward row per token, in elements: the intermediate, or the experts in use plus shared ones. */
    private final long feedForwardWidth;
    private final String problem;
    /** Whether {@link ComputeGraph} builds this architecture's graph, so that the compute buffer is llama.cpp's. */
    private final boolean exactComputeBuffer;
    /** Compute buffers already replayed, by the figures that shape the graph (see {@link #memory}). */
    private final Map<GraphShape, ComputeBufferCurve> computeBuffers = new ConcurrentHashMap<>();
    /**
     * The curve the last estimate used: a caller varies the context far more often than the shape, so the map (and
     * its key) is only consulted when the shape changes.
     */
    private volatile ComputeBufferCurve lastCurve;

    /** What shapes llama.cpp's graph besides the full cache's cells (see {@link #memory}). */
    record GraphShape(int microBatchTokens, int sequences, long streams, long slidingCells) {
    }

    private KvLayout(ModelSpec model, KvCacheType keyCacheType, KvCacheType valueCacheType, boolean flashAttention) {
        this.model = model;
        this.keyCacheType = keyCacheType;
        this.valueCacheType = valueCacheType;
        this.flashAttention = flashAttention;
        List<Layer> layers = cachedLayers(model);
        long maxValueElements = 0;
        for (Layer layer : layers) {
            maxValueElements = Math.max(maxValueElements, layer.mixer().valueCacheElementsPerToken());
        }
        TensorType keyType = keyCacheType.tensorType();
        TensorType valueType = valueCacheType.tensorType();
        String firstProblem = null;
        if (keyCacheType != valueCacheType && layers.stream().anyMatch(l -> l.mixer() instanceof LatentAttention)) {
            firstProblem = "keyCacheType, valueCacheType: " + keyCacheType + ", " + valueCacheType + " (expected: one"
                    + " type for both: llama.cpp refuses different K and V cache types for a latent-attention (MLA)"
                    + " model)";
        }
        if (firstProblem == null && valueCacheType.isQuantized() && !flashAttention) {
            firstProblem = "valueCacheType: " + valueCacheType + " with flashAttention false (expected: flash attention"
                    + " on, or an unquantized V cache: llama.cpp cannot use a quantized V cache without it)";
        }
        long full = 0;
        boolean hasFull = false;
        int[] windowSizes = new int[0];
        long[] windowBytes = new long[0];
        long recurrent = 0;
        int heads = 0;
        long widestAttention = 0;
        long[] perLayer = new long[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            MixerBlock attention = layers.get(i).mixer();
            recurrent += attention.convolutionStateElements() + attention.recurrentStateElements();
            if (!attention.hasKvCache()) {
                continue;
            }
            heads = Math.max(heads, attention.queryHeads());
            long keyWidth = attention.keyCacheElementsPerToken();
            long queryWidth = (long) attention.queryHeads() * (keyWidth / Math.max(1, attention.keyValueHeads()));
            widestAttention = Math.max(widestAttention, queryWidth + keyWidth + attention.valueCacheElementsPerToken());
            long valueElements = attention.valueCacheElementsPerToken();
            if (valueElements > 0 && !flashAttention) {
                // without flash attention V is stored transposed, every layer at the widest V row
                valueElements = maxValueElements;
            }
            long keyElements = attention.keyCacheElementsPerToken();
            boolean storable = keyType.acceptsRowLength(keyElements)
                    && (valueElements == 0 || valueType.acceptsRowLength(valueElements));
            perLayer[i] = storable
                    ? keyType.rowBytes(keyElements) + (valueElements > 0 ? valueType.rowBytes(valueElements) : 0) : -1;
            if (firstProblem == null && !keyType.acceptsRowLength(keyElements)) {
                firstProblem = rowProblem("K", keyType, i, keyElements);
            }
            if (firstProblem == null && valueElements > 0 && !valueType.acceptsRowLength(valueElements)) {
                firstProblem = rowProblem("V", valueType, i, valueElements);
            }
            if (firstProblem != null) {
                continue;
            }
            long bytesPerCell = perLayer[i];
            int window = attention.slidingWindowTokens();
            if (window > 0) {
                int index = indexOf(windowSizes, window);
                if (index < 0) {
                    windowSizes = Arrays.copyOf(windowSizes, windowSizes.length + 1);
                    windowBytes = Arrays.copyOf(windowBytes, windowBytes.length + 1);
                    index = windowSizes.length - 1;
                    windowSizes[index] = window;
                }
                windowBytes[index] = Math.addExact(windowBytes[index], bytesPerCell);
            } else {
                hasFull = true;
                full = Math.addExact(full, bytesPerCell);
            }
        }
        this.layerBytesPerCell = perLayer;
        this.fullBytesPerCell = full;
        this.anyFull = hasFull;
        this.windows = windowSizes;
        this.windowBytesPerCell = windowBytes;
        this.recurrentElements = recurrent;
        this.maxHeads = heads;
        this.attentionWidth = widestAttention;
        long widestFeedForward = 0;
        for (Layer layer : model.layers()) {
            FeedForwardBlock block = layer.feedForward();
            if (block instanceof DenseFeedForward) {
                widestFeedForward = Math.max(widestFeedForward, ((DenseFeedForward) block).intermediateSize());
            } else if (block instanceof MixtureOfExperts) {
                MixtureOfExperts moe = (MixtureOfExperts) block;
                widestFeedForward = Math.max(widestFeedForward,
                        (long) moe.expertsPerToken() * moe.expertSize() + moe.sharedSize());
            }
        }
        this.feedForwardWidth = widestFeedForward;
        this.problem = firstProblem;
        this.exactComputeBuffer = ComputeGraph.supports(model);
    }

    /**
     * Returns the layers llama.cpp gives cache cells: the trunk, and the next-token-prediction (MTP) layers too, except
     * in the hybrid Qwen3-Next/Qwen3.5 caches, whose layer filters stop at the trunk ({@code src/llama-model.cpp}
     * {@code create_memory}); a DeepSeek or GLM file that keeps its MTP layer caches it like any other layer.
     *
     * @param model the model, not null
     * @return the trunk layers, followed by the MTP layers that get cells; an immutable list
     * @throws NullPointerException if {@code model} is null
     */
    public static List<Layer> cachedLayers(ModelSpec model) {
        Objects.requireNonNull(model, "model");
        if (model.nextTokenPredictionLayers().isEmpty() || HYBRID_TRUNK_ONLY.contains(model.architecture())) {
            return model.layers();
        }
        List<Layer> layers = new ArrayList<>(model.layers());
        layers.addAll(model.nextTokenPredictionLayers());
        return List.copyOf(layers);
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static String rowProblem(String which, TensorType type, int layer, long elements) {
        return which + " cache type " + type + ": layer " + layer + " caches " + elements
                + " elements per token (expected: a multiple of " + type.blockSize() + " for this cache type)";
    }

    /**
     * Computes the coefficients of a model under the given cache types and flash-attention mode.
     *
     * @param model the model, not null
     * @param keyCacheType the K-cache type, not null
     * @param valueCacheType the V-cache type, not null
     * @param flashAttention whether flash attention is on
     * @return the layout
     * @throws NullPointerException if an argument is null
     * @throws ArithmeticException if a per-cell size overflows a {@code long}
     */
    public static KvLayout of(ModelSpec model, KvCacheType keyCacheType, KvCacheType valueCacheType,
            boolean flashAttention) {
        LayoutKey key = new LayoutKey(Objects.requireNonNull(model, "model"),
                Objects.requireNonNull(keyCacheType, "keyCacheType"),
                Objects.requireNonNull(valueCacheType, "valueCacheType"), flashAttention);
        SoftReference<KvLayout> known = LAYOUTS.get(key);
        KvLayout layout = known == null ? null : known.get();
        if (layout == null) {
            layout = new KvLayout(model, keyCacheType, valueCacheType, flashAttention);
            if (LAYOUTS.size() >= MAX_REMEMBERED_LAYOUTS) {
                LAYOUTS.clear();
            }
            LAYOUTS.put(key, new SoftReference<>(layout));
        }
        return layout;
    }

    /**
     * Computes the coefficients of a model under the cache types and flash-attention mode of the given settings.
     *
     * @param model the model, not null
     * @param settings the settings, not null
     * @return the layout
     * @throws NullPointerException if an argument is null
     */
    public static KvLayout of(ModelSpec model, ContextSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return of(model, settings.keyCacheType(), settings.valueCacheType(), settings.llamaCpp().flashAttention());
    }

    /**
     * Returns whether this layout serves the given settings: same cache types and flash-attention mode.
     *
     * @param settings the settings, not null
     * @return true when {@link #memory(ContextSettings)} accepts them
     * @throws NullPointerException if {@code settings} is null
     */
    public boolean matches(ContextSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return settings.keyCacheType() == keyCacheType && settings.valueCacheType() == valueCacheType
                && settings.llamaCpp().flashAttention() == flashAttention;
    }

    /**
     * Returns the model these coefficients are for.
     *
     * @return the model, not null
     */
    public ModelSpec model() {
        return model;
    }

    /**
     * Returns the KV bytes one cached token costs across all full-context (and latent) layers.
     *
     * @return bytes per cell
     */
    public long fullAttentionBytesPerCell() {
        return fullBytesPerCell;
    }

    /**
     * Returns the KV bytes one cache cell costs in one cached layer, under this layout's cache types and
     * flash-attention mode: the K row plus the V row, where without flash attention V is stored transposed and every
     * layer's V row is as wide as the widest. {@link #memory(ContextSettings)} sums these over the layers; a
     * deployment's per-device split sums the same figures times each device's share.
     *
     * @param cachedLayer an index into {@link #cachedLayers(ModelSpec)} of this layout's model
     * @return bytes per cell, 0 for a layer without a KV cache (a recurrent layer)
     * @throws IllegalArgumentException if there is no such layer, or the layer's K or V row is not a multiple of the
     *     cache type's block, which llama.cpp refuses
     */
    public long bytesPerCell(int cachedLayer) {
        if (cachedLayer < 0 || cachedLayer >= layerBytesPerCell.length) {
            throw new IllegalArgumentException("cachedLayer: " + cachedLayer + " (expected: 0 to "
                    + (layerBytesPerCell.length - 1) + ", an index into the cached layers of " + model.name() + ")");
        }
        long bytes = layerBytesPerCell[cachedLayer];
        if (bytes < 0) {
            throw new IllegalArgumentException(problem);
        }
        return bytes;
    }

    /**
     * Returns the recurrent-state elements one sequence holds across all recurrent layers.
     *
     * @return elements per sequence
     */
    public long recurrentStateElements() {
        return recurrentElements;
    }

    /**
     * Computes the context memory for the given settings (formulas in {@link ContextMemory}).
     *
     * @param settings the settings, not null, with this layout's cache types and flash-attention mode
     * @return the context memory
     * @throws NullPointerException if {@code settings} is null
     * @throws IllegalArgumentException if the settings have other cache types or flash-attention mode, or if llama.cpp
     *     refuses them for this model: different K and V cache types on a latent-attention (MLA) model, a quantized V
     *     cache without flash attention, or a cache row that a quantized cache type's block of 32 does not divide
     * @throws ArithmeticException if a size overflows a {@code long}
     */
    public ContextMemory memory(ContextSettings settings) {
        Objects.requireNonNull(settings, "settings");
        if (!matches(settings)) {
            throw new IllegalArgumentException("settings: cache types " + settings.keyCacheType() + "/"
                    + settings.valueCacheType() + ", flash attention " + settings.llamaCpp().flashAttention()
                    + " (expected: "
                    + keyCacheType + "/" + valueCacheType + ", flash attention " + flashAttention + ", this layout's)");
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        int sequences = settings.parallelSequences();
        long streams = settings.streams();
        long cellsPerStream = settings.cellsPerStream();
        long fullCells = cellsPerStream * streams;
        long fullBytes = anyFull ? Math.multiplyExact(fullCells, fullBytesPerCell) : 0;
        long slidingCells = 0;
        long slidingBytes = 0;
        for (int i = 0; i < windows.length; i++) {
            long cells = settings.slidingWindowCells(windows[i]);
            slidingCells = Math.max(slidingCells, cells);
            slidingBytes = Math.addExact(slidingBytes, Math.multiplyExact(cells, windowBytesPerCell[i]));
        }
        long recurrentBytes = Math.multiplyExact(Math.multiplyExact(4L, recurrentElements), sequences);
        long vocabulary = model.vocabularySize();
        long hidden = model.hiddenSize();
        long outputBytes = 4L * vocabulary * sequences;
        long compute;
        if (exactComputeBuffer) {
            // the graph depends on the settings only through these: tokens per micro-batch, sequences, streams and
            // the cells of each cache's stream, the full cache's along the curve
            int microBatchTokens = ComputeGraph.microBatchTokens(settings);
            ComputeBufferCurve curve = lastCurve;
            if (curve == null || !curve.hasShape(microBatchTokens, sequences, streams, slidingCells)) {
                curve = curve(new GraphShape(microBatchTokens, sequences, streams, slidingCells));
                lastCurve = curve;
            }
            compute = curve.bytes(model, settings, cellsPerStream, this);
        } else {
            compute = heuristicComputeBuffer(settings.effectiveMicroBatchTokens(), fullCells, slidingCells, streams, hidden, vocabulary);
        }
        return new ContextMemory(settings, anyFull ? fullCells : 0, slidingCells, fullBytes, slidingBytes,
                recurrentBytes, outputBytes, compute);
    }

    private ComputeBufferCurve curve(GraphShape shape) {
        ComputeBufferCurve curve = computeBuffers.get(shape);
        if (curve == null) {
            if (computeBuffers.size() >= MAX_REMEMBERED_GRAPHS) {
                computeBuffers.clear();
            }
            curve = computeBuffers.computeIfAbsent(shape, ComputeBufferCurve::new);
        }
        return curve;
    }

    /**
     * The same graph shape as {@code settings} at the model's trained context, if it reaches that with the same
     * micro-batch and sliding-window cells; else null. Asked only when a compute buffer is not yet known.
     */
    ContextSettings farEnd(ContextSettings settings) {
        int trained = model.maxContextTokens();
        return trained <= settings.contextTokens() ? null
                : sameShapeAt(settings, settings.withContextTokens(trained).cellsPerStream());
    }

    /**
     * The same graph shape as {@code settings} with {@code cells} cells per stream of the full cache: the micro-batch
     * and the sliding-window cells unchanged; null if those change there or {@code cells} is not a positive multiple
     * of 256 that a context can reach.
     */
    ContextSettings sameShapeAt(ContextSettings settings, long cells) {
        long context = cells * (settings.llamaCpp().unifiedKvCache() ? 1 : settings.parallelSequences());
        if (cells <= 0 || cells % 256 != 0 || context > Integer.MAX_VALUE) {
            return null;
        }
        ContextSettings at = settings.withContextTokens((int) context);
        for (int window : windows) {
            if (at.slidingWindowCells(window) != settings.slidingWindowCells(window)) {
                return null;
            }
        }
        return ComputeGraph.microBatchTokens(at) == ComputeGraph.microBatchTokens(settings) ? at : null;
    }

    /**
     * The compute buffer of an architecture whose graph {@link ComputeGraph} does not build: a heuristic of llama.cpp
     * v0.4.0's largest live set. While layers run, the KQ mask (F16 with flash attention, else F32; one per cache of
     * an iSWA model, over one stream's cells) is live beside the larger of the unfused attention (F32 scores per head,
     * with Q, K, V and four hidden-wide rows) and the feed-forward block (four rows of its width and one
     * hidden-wide); after the last layer, the output stage (logits and two hidden-wide rows).
     */
    private long heuristicComputeBuffer(long microBatch, long fullCells, long slidingCells, long streams, long hidden,
            long vocabulary) {
        long fullCellsPerStream = anyFull ? fullCells / streams : 0;
        long slidingCellsPerStream = slidingCells / streams;
        long mask = Math.multiplyExact(microBatch * (flashAttention ? 2 : 4), fullCellsPerStream + slidingCellsPerStream);
        long scoresStage = flashAttention ? 0 : Math.multiplyExact(4 * microBatch,
                Math.addExact(Math.multiplyExact(maxHeads, Math.max(fullCellsPerStream, slidingCellsPerStream)),
                        attentionWidth + 4 * hidden));
        long feedForwardStage = 4 * microBatch * (4 * feedForwardWidth + hidden);
        long outputStage = 4 * microBatch * (vocabulary + 2 * hidden);
        return Math.max(Math.addExact(mask, Math.max(scoresStage, feedForwardStage)), outputStage);
    }
}
