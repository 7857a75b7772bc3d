package io.github.llmestimator.internal.memory;

import io.github.llmestimator.internal.memory.GraphAllocator.Tensor;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.GatedDeltaNet;
import io.github.llmestimator.model.LatentAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.Mamba2;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.NoAttention;
import io.github.llmestimator.model.NoFeedForward;
import io.github.llmestimator.model.SlidingWindowAttention;
import io.github.llmestimator.quant.TensorType;
import java.util.List;
import java.util.Set;

/**
 * llama.cpp v0.4.0's worst-case compute graph for one micro-batch, built tensor by tensor as its graph builders build it
 * ({@code src/llama-graph.cpp}: {@code build_inp_embd}, {@code build_attn}, {@code build_attn_mha}, {@code build_ffn};
 * {@code src/llama-kv-cache.cpp}: {@code get_k}, {@code get_v}, {@code cpy_k}, {@code cpy_v}; the architecture's
 * {@code src/models/*.cpp}), and sized by ggml's graph allocator ({@link GraphAllocator}).
 *
 * <p>llama.cpp reserves the graph of {@code n_ubatch} tokens with every token an output and the graph of one token
 * per sequence, over a cache whose cells are all in use ({@code llama_context::sched_reserve}); the compute buffer is
 * the larger of the two. Architectures whose graph is not built here ({@link #supports}) keep {@link KvLayout}'s
 * heuristic.
 */
final class ComputeGraph {

    /**
     * Architectures built here, each as its {@code src/models/<arch>.cpp} builds it: the 22 the GGUF reader maps, with
     * full, sliding-window, latent and gated attention, Mamba-2 and gated-delta-net layers, dense and routed
     * feed-forward blocks.
     */
    private static final Set<String> BUILT = Set.of("llama", "qwen2", "qwen3", "qwen3moe", "granite", "smollm3",
            "minimax-m2", "glm4moe", "gpt-oss", "gemma2", "gemma3", "olmo2", "cohere2", "phi3", "deepseek2", "mamba2",
            "nemotron_h", "granitehybrid", "qwen35", "qwen35moe", "qwen3next", "llama4");

    /** Architectures whose sliding-window layers are built (an iSWA cache, {@code build_attn_inp_kv_iswa}). */
    private static final Set<String> SLIDING_WINDOW = Set.of("gemma2", "gemma3", "cohere2", "gpt-oss", "olmo2",
            "llama4");

    /** Architectures whose routed experts are built, each with its gating ({@link #experts}). */
    private static final Set<String> EXPERTS = Set.of("qwen3moe", "minimax-m2", "glm4moe", "gpt-oss", "deepseek2",
            "qwen35moe", "qwen3next", "llama4");

    /** Of those, the ones with shared experts beside the routed ones. */
    private static final Set<String> SHARED_EXPERTS = Set.of("glm4moe", "deepseek2", "qwen35moe", "qwen3next",
            "llama4");

    /** Of those, the ones whose leading layers may be dense. */
    private static final Set<String> DENSE_LAYERS_BESIDE_EXPERTS = Set.of("glm4moe", "deepseek2", "qwen3next",
            "llama4");

    /** Architectures that take the output rows after the final norm, itself a graph output ({@code t_h_nextn}). */
    private static final Set<String> NORM_THEN_OUTPUT_ROWS = Set.of("nemotron_h", "qwen35", "qwen35moe", "qwen3next");

    private final GraphAllocator graph = new GraphAllocator();
    private final ModelSpec model;
    private final ContextSettings settings;
    private final int tokens;
    private final int outputs;
    private final int streams;
    private final long cellsPerStream;
    private final int keyType;
    private final int valueType;
    private final TensorType keyTensorType;
    private final TensorType valueTensorType;
    private final boolean flash;
    private final int sequences;
    private final int recurrentSlots;
    /** Every this many layers one takes no RoPE (SmolLM3, Llama 4). */
    private final int noRopeLayerStep;
    /** Llama 4's weightless Q/K norm after RoPE: on unless it has 128 experts ({@code use_kq_norm}). */
    private final boolean weightlessQkNorm;
    /** Llama 4's attention-temperature input ({@code build_inp_attn_scale}), scaling Q on its NoPE layers. */
    private Tensor attentionScale;

    private ComputeGraph(ModelSpec model, ContextSettings settings, int tokens, int outputs) {
        this.model = model;
        this.settings = settings;
        this.tokens = tokens;
        this.outputs = outputs;
        this.streams = settings.streams();
        this.cellsPerStream = settings.cellsPerStream();
        this.keyTensorType = settings.keyCacheType().tensorType();
        this.valueTensorType = settings.valueCacheType().tensorType();
        this.keyType = keyTensorType.ggmlId().orElseThrow();
        this.valueType = valueTensorType.ggmlId().orElseThrow();
        this.flash = settings.llamaCpp().flashAttention();
        // a micro-batch of equal sequences: n_seq_max of them in the reserved graphs (llama_context::sched_reserve)
        this.sequences = settings.parallelSequences();
        this.recurrentSlots = Math.max(1, settings.parallelSequences());
        boolean llama4 = model.architecture().equals("llama4");
        boolean chunked = false;
        boolean manyExperts = false;
        for (Layer layer : model.layers()) {
            chunked |= layer.mixer() instanceof SlidingWindowAttention;
            manyExperts |= layer.feedForward() instanceof MixtureOfExperts
                    && ((MixtureOfExperts) layer.feedForward()).experts() == 128;
        }
        // llama4.cpp load_arch_hparams: without chunked attention only the last layer skips RoPE; the 128-expert
        // model (LLM_TYPE_17B_128E) has no Q/K norm
        this.noRopeLayerStep = llama4 && !chunked ? model.layers().size() : 4;
        this.weightlessQkNorm = llama4 && !manyExperts;
    }

    /**
     * Returns llama.cpp's compute buffer for this model and these settings: the larger of the prompt graph's and the
     * generation graph's allocation.
     *
     * @param model the model, one {@link #supports} accepts
     * @param settings the settings (cache types and layout already accepted)
     * @return bytes
     * @throws ArithmeticException if a tensor or the buffer overflows a {@code long}
     */
    static long bytes(ModelSpec model, ContextSettings settings) {
        long[] both = replay(model, settings, null, null);
        return Math.max(both[0], both[1]);
    }

    /**
     * Returns the prompt graph's and the generation graph's allocation, {@code {prompt, generation}}, recording each
     * replay's decisions in its trace when one is given.
     */
    static long[] replay(ModelSpec model, ContextSettings settings, GraphAllocator.Trace promptTrace,
            GraphAllocator.Trace generationTrace) {
        int outputs = microBatchTokens(settings);
        int sequences = settings.parallelSequences();
        // graph_reserve: the micro-batch is split evenly between the sequences, its tokens rounded up to a multiple
        // of them; the outputs stay as asked
        int tokens = (outputs + sequences - 1) / sequences * sequences;
        long prompt = new ComputeGraph(model, settings, tokens, outputs).build(promptTrace);
        long generation = new ComputeGraph(model, settings, sequences, sequences).build(generationTrace);
        return new long[] {prompt, generation};
    }

    /**
     * Returns the tokens of the reserved micro-batch: {@code min(n_ctx, n_ubatch)}, with {@code n_ubatch} capped by
     * {@code n_batch}, itself capped by the context as asked, before padding ({@code llama_context}'s constructor).
     *
     * @param settings the settings
     * @return tokens
     */
    static int microBatchTokens(ContextSettings settings) {
        return Math.min(Math.min(settings.contextTokens(), settings.llamaCpp().batchTokens()),
                settings.llamaCpp().microBatchTokens());
    }

    /**
     * Returns whether this architecture's graph is built here: its name and every layer's blocks are ones the
     * graph builders below know.
     *
     * @param model the model
     * @return true when {@link #bytes} applies
     */
    static boolean supports(ModelSpec model) {
        String arch = model.architecture();
        boolean gatedDelta = arch.equals("qwen35") || arch.equals("qwen35moe") || arch.equals("qwen3next");
        boolean trunkOnlyGraph = arch.equals("glm4moe") || arch.equals("deepseek2") || gatedDelta;
        if (!BUILT.contains(arch) || !model.nextTokenPredictionLayers().isEmpty() && !trunkOnlyGraph) {
            return false;
        }
        boolean recurrentArch = arch.equals("mamba2") || arch.equals("nemotron_h") || arch.equals("granitehybrid");
        for (Layer layer : model.layers()) {
            MixerBlock attention = layer.mixer();
            boolean attentionBuilt = arch.equals("deepseek2") ? attention instanceof LatentAttention
                    : attention instanceof SlidingWindowAttention && SLIDING_WINDOW.contains(arch)
                    || attention instanceof FullAttention
                            && ((FullAttention) attention).outputGate() == gatedDelta
                    || recurrentArch && (attention instanceof Mamba2 || attention instanceof NoAttention)
                    || gatedDelta && attention instanceof GatedDeltaNet;
            FeedForwardBlock block = layer.feedForward();
            boolean feedForwardBuilt;
            if (block instanceof MixtureOfExperts) {
                MixtureOfExperts moe = (MixtureOfExperts) block;
                feedForwardBuilt = EXPERTS.contains(arch) && moe.gated()
                        && (moe.sharedSize() == 0 || SHARED_EXPERTS.contains(arch))
                        && moe.biased() == arch.equals("gpt-oss");
            } else if (arch.equals("nemotron_h")) {
                feedForwardBuilt = block instanceof NoFeedForward
                        || block instanceof DenseFeedForward && !((DenseFeedForward) block).gated();
            } else if (arch.equals("mamba2")) {
                feedForwardBuilt = block instanceof NoFeedForward;
            } else {
                feedForwardBuilt = block instanceof DenseFeedForward && ((DenseFeedForward) block).gated()
                        && (!EXPERTS.contains(arch) || DENSE_LAYERS_BESIDE_EXPERTS.contains(arch));
            }
            if (!attentionBuilt || !feedForwardBuilt) {
                return false;
            }
        }
        return true;
    }

    private long build(GraphAllocator.Trace trace) {
        String arch = model.architecture();
        long hidden = model.hiddenSize();
        List<Layer> layers = model.layers();
        boolean iswa = false;
        for (Layer layer : layers) {
            iswa |= layer.mixer() instanceof SlidingWindowAttention;
        }
        Tensor tokenIds = input(GraphAllocator.I32, 4, tokens);
        Tensor embeddings = input(GraphAllocator.F32, 4, hidden, tokens);
        Tensor current = getRows(weight(hidden, model.vocabularySize()), tokenIds);
        graph.expand(current);
        graph.expand(embeddings);
        if (arch.startsWith("gemma")) {
            current = op(true, new Tensor[] {current}, current.ne);
        }
        // multi-section RoPE (Qwen3.5) reads four positions per token (n_pos_per_embd)
        Tensor positions = input(GraphAllocator.I32, 4, arch.startsWith("qwen35") ? 4L * tokens : tokens);
        if (arch.equals("llama4")) {
            // one temperature per token, 1 x 1 x n_tokens for broadcasting
            attentionScale = input(GraphAllocator.F32, 4, 1, 1, tokens);
        }
        long widestValue = 0;
        for (Layer layer : layers) {
            widestValue = Math.max(widestValue, layer.mixer().valueCacheElementsPerToken());
        }
        Cache full = cache(layers, false, widestValue, settings.cellsPerStream());
        Cache sliding = null;
        if (iswa) {
            int window = 0;
            for (Layer layer : layers) {
                window = Math.max(window, layer.mixer().slidingWindowTokens());
            }
            sliding = cache(layers, true, widestValue, settings.slidingWindowCells(window) / streams);
        }
        Tensor outputIds = input(GraphAllocator.I32, 4, outputs);
        if (arch.equals("nemotron_h")) {
            graph.expand(current);
        }
        // build_rs_inp: which state slot each sequence reads (all slots in use: n_rs = n_seq_max)
        Tensor stateSlots = input(GraphAllocator.I32, 4, recurrentSlots);
        boolean normThenRows = NORM_THEN_OUTPUT_ROWS.contains(arch);
        boolean outputRowsAfterLoop = arch.equals("gpt-oss") || normThenRows;
        for (int il = 0; il < layers.size(); il++) {
            Layer layer = layers.get(il);
            MixerBlock block = layer.mixer();
            Cache cache = block instanceof SlidingWindowAttention ? sliding : full;
            boolean last = il == layers.size() - 1 && !outputRowsAfterLoop;
            Tensor residual = current;
            switch (arch) {
                case "qwen35":
                case "qwen35moe":
                case "qwen3next": {
                    Tensor normed = rmsNormWeighted(current);
                    graph.expand(normed);
                    Tensor out = block instanceof GatedDeltaNet
                            ? gatedDeltaNet((GatedDeltaNet) block, normed, stateSlots, arch.equals("qwen3next"))
                            : gatedAttention((FullAttention) block, normed, positions, full, arch);
                    Tensor sum = add(out, residual);
                    Tensor ffn;
                    if (layer.feedForward() instanceof MixtureOfExperts) {
                        MixtureOfExperts moe = (MixtureOfExperts) layer.feedForward();
                        Tensor postNormed = rmsNormWeighted(sum);
                        Tensor routed = experts(moe, postNormed, arch);
                        Tensor shared = gatedFeedForward(postNormed, moe.sharedSize());
                        Tensor sharedGate = op(true, new Tensor[] {mulMat(weight(hidden, 1), postNormed)}, 1,
                                postNormed.ne[1]);
                        ffn = add(routed, mul(shared, sharedGate));
                    } else {
                        ffn = feedForward(layer.feedForward(), rmsNormWeighted(sum), arch);
                    }
                    current = add(ffn, sum);
                    break;
                }
                case "mamba2":
                case "nemotron_h": {
                    Tensor normed = rmsNormWeighted(current);
                    Tensor out;
                    if (block instanceof Mamba2) {
                        out = mamba2((Mamba2) block, normed, stateSlots);
                    } else if (block instanceof NoAttention) {
                        out = reluSquaredFeedForward(normed, ((DenseFeedForward) layer.feedForward()).intermediateSize());
                    } else {
                        out = attention(block, il, normed, positions, full, false, arch);
                    }
                    if (last) {
                        out = getRows(out, outputIds);
                        residual = getRows(residual, outputIds);
                    }
                    current = add(out, residual);
                    break;
                }
                case "granitehybrid": {
                    Tensor normed = rmsNormWeighted(current);
                    Tensor out = block instanceof Mamba2 ? mamba2((Mamba2) block, normed, stateSlots)
                            : attention(block, il, normed, positions, full, false, arch);
                    if (last) {
                        out = getRows(out, outputIds);
                        residual = getRows(residual, outputIds);
                    }
                    Tensor ffnInput = add(out, residual);
                    current = add(feedForward(layer.feedForward(), rmsNormWeighted(ffnInput), arch), ffnInput);
                    break;
                }
                case "gemma2":
                case "gemma3": {
                    Tensor attention = attention(block, il, rmsNormWeighted(current), positions, cache, iswa, arch);
                    if (last) {
                        attention = getRows(attention, outputIds);
                        residual = getRows(residual, outputIds);
                    }
                    Tensor sum = add(rmsNormWeighted(attention), residual);
                    Tensor ffn = rmsNormWeighted(feedForward(layer.feedForward(), rmsNormWeighted(sum), arch));
                    current = add(ffn, sum);
                    break;
                }
                case "olmo2": {
                    Tensor attention = attention(block, il, current, positions, cache, iswa, arch);
                    if (last) {
                        attention = getRows(attention, outputIds);
                        residual = getRows(residual, outputIds);
                    }
                    Tensor ffnInput = add(rmsNormWeighted(attention), residual);
                    current = add(rmsNormWeighted(feedForward(layer.feedForward(), ffnInput, arch)), ffnInput);
                    break;
                }
                case "cohere2": {
                    Tensor normed = mul(op(false, new Tensor[] {current}, current.ne), weight(hidden));
                    Tensor ffnInput = normed;
                    Tensor attention = attention(block, il, normed, positions, cache, iswa, arch);
                    if (last) {
                        attention = getRows(attention, outputIds);
                        residual = getRows(residual, outputIds);
                        ffnInput = getRows(ffnInput, outputIds);
                    }
                    current = add(add(feedForward(layer.feedForward(), ffnInput, arch), residual), attention);
                    break;
                }
                case "phi3": {
                    Tensor attention = attention(block, il, rmsNormWeighted(current), positions, cache, iswa, arch);
                    if (last) {
                        attention = getRows(attention, outputIds);
                        residual = getRows(residual, outputIds);
                    }
                    Tensor sum = add(attention, residual);
                    current = add(sum, feedForward(layer.feedForward(), rmsNormWeighted(sum), arch));
                    break;
                }
                default: {
                    Tensor attention = attention(block, il, rmsNormWeighted(current), positions, cache, iswa, arch);
                    if (last) {
                        attention = getRows(attention, outputIds);
                        residual = getRows(residual, outputIds);
                    }
                    Tensor ffnInput = add(attention, residual);
                    current = add(feedForward(layer.feedForward(), rmsNormWeighted(ffnInput), arch), ffnInput);
                    break;
                }
            }
        }
        if (outputRowsAfterLoop && !normThenRows) {
            // t_h_nextn: the last layer's output is itself a graph output
            GraphAllocator.output(current);
            current = getRows(current, outputIds);
        }
        Tensor norm = arch.equals("cohere2") ? mul(op(false, new Tensor[] {current}, current.ne), weight(hidden))
                : rmsNormWeighted(current);
        GraphAllocator.output(norm);
        if (normThenRows) {
            // t_h_nextn is the normalized output; the output rows are taken after it
            norm = GraphAllocator.output(getRows(norm, outputIds));
        }
        Tensor logits = GraphAllocator.output(mulMat(weight(hidden, model.vocabularySize()), norm));
        graph.expand(logits);
        return graph.bufferBytes(trace);
    }

    /** One KV cache's graph inputs ({@code build_attn_inp_kv}, or one half of {@code build_attn_inp_kv_iswa}). */
    private final class Cache {
        final long cells;
        final long valueRow;
        final Tensor keyIndices;
        final Tensor valueIndices;
        final Tensor mask;
        Tensor keyRotation;
        Tensor valueRotation;

        Cache(long cells, long valueRow, long widestValue) {
            this.cells = cells;
            this.valueRow = valueRow;
            keyIndices = input(GraphAllocator.I64, 8, tokens);
            valueIndices = input(GraphAllocator.I64, 8, flash ? tokens : tokens * widestValue);
            mask = input(flash ? GraphAllocator.F16 : GraphAllocator.F32, flash ? 2 : 4, cells, tokens / streams, 1,
                    streams);
        }
    }

    /**
     * The inputs of the cache holding the sliding-window layers ({@code sliding}) or the others, with the Hadamard
     * rotations {@code llama_kv_cache::build_input_k_rot/v_rot} add for a quantized cache whose layers share a head
     * width that 64 divides.
     */
    private Cache cache(List<Layer> layers, boolean sliding, long widestValue, long cells) {
        Cache cache = new Cache(cells, widestValue, widestValue);
        int headK = 0;
        int headV = 0;
        if (layers.get(0).mixer() instanceof LatentAttention) {
            // build_attn_inp_k: a latent cache gets no rotation inputs
            return cache;
        }
        for (Layer layer : layers) {
            MixerBlock block = layer.mixer();
            if (block.hasKvCache() && (block instanceof SlidingWindowAttention) == sliding) {
                headK = sameOrMinusOne(headK, keyLength(block));
                headV = sameOrMinusOne(headV, valueLength(block));
            }
        }
        MixerBlock first = null;
        for (Layer layer : layers) {
            if (first == null && layer.mixer().hasKvCache()) {
                first = layer.mixer();
            }
        }
        if (headK > 0 && keyTensorType.isBlockQuantized() && keyLength(first) % 64 == 0) {
            int rotation = 64;
            do {
                rotation *= 2;
            } while (headK % rotation == 0);
            cache.keyRotation = input(GraphAllocator.F32, 4, rotation / 2, rotation / 2);
        }
        if (headV > 0 && valueTensorType.isBlockQuantized() && valueLength(first) % 64 == 0) {
            cache.valueRotation = input(GraphAllocator.F32, 4, 64, 64);
        }
        return cache;
    }

    private static int keyLength(MixerBlock block) {
        return block instanceof SlidingWindowAttention ? ((SlidingWindowAttention) block).keyLength()
                : ((FullAttention) block).keyLength();
    }

    private static int valueLength(MixerBlock block) {
        return block instanceof SlidingWindowAttention ? ((SlidingWindowAttention) block).valueLength()
                : ((FullAttention) block).valueLength();
    }

    private Tensor rmsNormWeighted(Tensor x) {
        return mul(rmsNorm(x), weight(x.ne[0]));
    }

    private Tensor attention(MixerBlock block, int il, Tensor x, Tensor positions, Cache cache, boolean iswa,
            String arch) {
        if (block instanceof LatentAttention) {
            return latentAttention((LatentAttention) block, x, positions, cache);
        }
        boolean slidingLayer = block instanceof SlidingWindowAttention;
        long headDim = keyLength(block);
        long valueDim = valueLength(block);
        long heads = block.queryHeads();
        long kvHeads = block.keyValueHeads();
        boolean qkNorm = slidingLayer ? ((SlidingWindowAttention) block).qkNorm() : ((FullAttention) block).qkNorm();
        boolean bias = slidingLayer ? ((SlidingWindowAttention) block).qkvBias() : ((FullAttention) block).qkvBias();
        boolean wholeNorm = arch.equals("olmo2") || arch.equals("minimax-m2");
        long n = x.ne[1];
        Tensor q;
        Tensor k;
        Tensor v;
        if (arch.equals("phi3")) {
            // build_qkv's fused path: Q, K and V are views of one projection
            Tensor qkv = mulMat(weight(x.ne[0], heads * headDim + 2 * kvHeads * headDim), x);
            q = view(qkv, new long[] {headDim, heads, n, 1}, new long[] {4, 4 * headDim, qkv.nb[1], qkv.nb[1] * n}, 0);
            k = view(qkv, new long[] {headDim, kvHeads, n, 1}, new long[] {4, 4 * headDim, qkv.nb[1], qkv.nb[1] * n},
                    4 * heads * headDim);
            v = view(qkv, new long[] {valueDim, kvHeads, n, 1}, new long[] {4, 4 * valueDim, qkv.nb[1],
                qkv.nb[1] * n}, 4 * (heads + kvHeads) * headDim);
        } else {
            q = mulMat(weight(x.ne[0], heads * headDim), x);
            k = mulMat(weight(x.ne[0], kvHeads * headDim), x);
            v = mulMat(weight(x.ne[0], kvHeads * valueDim), x);
            if (bias) {
                q = add(q, weight(heads * headDim));
                k = add(k, weight(kvHeads * headDim));
                v = add(v, weight(kvHeads * valueDim));
            }
            if (qkNorm && wholeNorm) {
                q = rmsNormWeighted(q);
                k = rmsNormWeighted(k);
            }
            q = reshape(q, headDim, heads, n);
            k = reshape(k, headDim, kvHeads, n);
            v = reshape(v, valueDim, kvHeads, n);
        }
        if (qkNorm && !wholeNorm) {
            q = mul(rmsNorm(q), weight(headDim));
        }
        // Command R7B ropes only its sliding-window layers; Nemotron-H's attention layers take no positions; SmolLM3
        // and Llama 4 skip RoPE on every n_no_rope_layer_step-th layer (smollm3.cpp, llama4.cpp: use_rope)
        boolean rotary = arch.equals("cohere2") ? slidingLayer
                : arch.equals("smollm3") || arch.equals("llama4") ? (il + 1) % noRopeLayerStep != 0
                : !arch.equals("nemotron_h");
        if (rotary) {
            q = rope(q, positions);
        } else if (attentionScale != null) {
            // Llama 4's NoPE layers scale Q by the per-token attention temperature instead
            q = mul(q, attentionScale);
        }
        if (qkNorm && !wholeNorm) {
            k = mul(rmsNorm(k), weight(headDim));
        }
        if (rotary) {
            k = rope(k, positions);
        }
        if (rotary && weightlessQkNorm) {
            // Llama4TextL2Norm: Q and K normalized after RoPE, without a weight
            q = rmsNorm(q);
            k = rmsNorm(k);
        }
        if (arch.startsWith("gemma") || arch.equals("phi3")) {
            // these scale Q after RoPE, in place (the rest pass the scale to the attention op)
            q = op(true, new Tensor[] {q}, q.ne);
        }
        Tensor out = attentionCore(q, k, v, block, cache, iswa, arch);
        Tensor projected = mulMat(weight(heads * valueDim, x.ne[0]), out);
        // gpt-oss alone has an output-projection bias (wo_b), added in place
        return arch.equals("gpt-oss") ? add(projected, weight(x.ne[0])) : projected;
    }

    /**
     * {@code build_attn} from the roped Q, K and V on: the rotations of a quantized cache, K and V stored
     * ({@code cpy_k}, {@code cpy_v}), and {@code build_attn_mha} over views of the cache; the result before the output
     * projection.
     */
    private Tensor attentionCore(Tensor q, Tensor k, Tensor v, MixerBlock block, Cache cache, boolean iswa,
            String arch) {
        long headDim = keyLength(block);
        long valueDim = valueLength(block);
        long heads = block.queryHeads();
        long kvHeads = block.keyValueHeads();
        long n = q.ne[2];
        if (cache.keyRotation != null) {
            q = hadamard(q, cache.keyRotation);
            k = hadamard(k, cache.keyRotation);
        }
        if (cache.valueRotation != null) {
            v = hadamard(v, cache.valueRotation);
        }
        graph.expand(q);
        if (iswa) {
            graph.expand(k);
            graph.expand(v);
        } else {
            graph.expand(v);
            graph.expand(k);
        }
        long cells = cache.cells;
        long keyRow = keyTensorType.rowBytes(kvHeads * headDim);
        Tensor keyCache = GraphAllocator.external(GraphAllocator.quantized(keyType, keyTensorType.bytesPerBlock(),
                keyTensorType.blockSize(), false, new Tensor[0], kvHeads * headDim, cells, streams));
        graph.expand(setRows(keyCache, view(k, new long[] {kvHeads * headDim, n, 1, 1},
                new long[] {k.nb[0], k.nb[2], k.nb[2] * n, k.nb[2] * n}, 0), cache.keyIndices));
        Tensor valueCache;
        if (flash) {
            valueCache = GraphAllocator.external(GraphAllocator.quantized(valueType, valueTensorType.bytesPerBlock(),
                    valueTensorType.blockSize(), false, new Tensor[0], kvHeads * valueDim, cells, streams));
            graph.expand(setRows(valueCache, view(v, new long[] {kvHeads * valueDim, n, 1, 1},
                    new long[] {v.nb[0], v.nb[2], v.nb[2] * n, v.nb[2] * n}, 0), cache.valueIndices));
        } else {
            valueCache = GraphAllocator.external(GraphAllocator.quantized(valueType, valueTensorType.bytesPerBlock(),
                    valueTensorType.blockSize(), false, new Tensor[0], cache.valueRow, cells, streams));
            // cpy_v, transposed: one row per element; a copy first unless the heads are already contiguous
            Tensor rows = v.nb[2] == v.nb[0] * kvHeads * valueDim ? reshape(v, kvHeads * valueDim, n)
                    : op(false, new Tensor[] {v}, kvHeads * valueDim, n);
            graph.expand(setRows(valueCache, reshape(rows, rows.elements()), cache.valueIndices));
        }
        // build_attn_mha: Q split into streams and permuted; K and V are views of the caches
        long perStream = n / streams;
        Tensor q4 = view(q, new long[] {headDim, heads, perStream, streams},
                new long[] {q.nb[0], q.nb[1], q.nb[2], q.nb[3] / streams}, 0);
        Tensor qp = permute(q4, 0, 2, 1, 3);
        Tensor kView = GraphAllocator.view(keyCache, new long[] {headDim, kvHeads, cells, streams},
                new long[] {keyCache.nb[0], keyTensorType.rowBytes(headDim), keyRow, keyRow * cells}, 0);
        Tensor kp = permute(kView, 0, 2, 1, 3);
        Tensor out;
        if (flash) {
            long valueRowBytes = valueTensorType.rowBytes(kvHeads * valueDim);
            Tensor vView = GraphAllocator.view(valueCache, new long[] {valueDim, kvHeads, cells, streams},
                    new long[] {valueCache.nb[0], valueTensorType.rowBytes(valueDim), valueRowBytes,
                        valueRowBytes * cells}, 0);
            Tensor vp = permute(vView, 0, 2, 1, 3);
            if (keyType == GraphAllocator.F32) {
                kp = cast(kp);
            }
            if (valueType == GraphAllocator.F32) {
                vp = cast(vp);
            }
            Tensor attended = op(false, new Tensor[] {qp, kp, vp, cache.mask}, vp.ne[0], qp.ne[2], qp.ne[1],
                    qp.ne[3]);
            out = reshape(attended, attended.ne[0] * attended.ne[1], attended.ne[2] * attended.ne[3]);
        } else {
            long element = valueCache.nb[0];
            Tensor vView = GraphAllocator.view(valueCache, new long[] {cells, kvHeads, valueDim, streams},
                    new long[] {element, element * cells * valueDim, element * cells,
                        element * cells * cache.valueRow}, 0);
            Tensor vp = permute(vView, 0, 2, 1, 3);
            Tensor scores = mulMat(kp, qp);
            if (arch.equals("gemma2")) {
                // attention logit soft-capping: scale, tanh, scale, each in place
                for (int i = 0; i < 3; i++) {
                    scores = op(true, new Tensor[] {scores}, scores.ne);
                }
            }
            scores = op(true, new Tensor[] {scores, cache.mask}, scores.ne);
            Tensor weighted = mulMat(vp, scores);
            Tensor merged = permute(weighted, 0, 2, 1, 3);
            out = op(false, new Tensor[] {merged}, merged.ne[0] * merged.ne[1], merged.ne[2] * merged.ne[3]);
        }
        graph.expand(out);
        if (cache.valueRotation != null) {
            out = hadamard(out, cache.valueRotation);
        }
        return out;
    }

    /**
     * DeepSeek-2's latent attention with the absorbed up-projections ({@code src/models/deepseek2.cpp}, MLA path;
     * {@code build_attn} for a K-only cache): the query through its low-rank pair, its non-RoPE part absorbed into the
     * latent ({@code wk_b}) and concatenated with its RoPE part; the compressed KV row normalized and concatenated
     * with its RoPE part as the cached K; V a view of the first latent elements of K; attention over the latent, then
     * decompressed per head ({@code wv_b}).
     */
    private Tensor latentAttention(LatentAttention block, Tensor x, Tensor positions, Cache cache) {
        long n = x.ne[1];
        long heads = block.heads();
        long nope = block.nopeDim();
        long ropeDim = block.ropeDim();
        long latent = block.kvLoraRank();
        long qWidth = nope + ropeDim;
        Tensor q;
        if (block.qLoraRank() > 0) {
            q = mulMat(weight(x.ne[0], heads * qWidth), rmsNormWeighted(mulMat(weight(x.ne[0], block.qLoraRank()), x)));
        } else {
            q = mulMat(weight(x.ne[0], heads * qWidth), x);
        }
        q = reshape(q, qWidth, heads, n);
        Tensor compressed = mulMat(weight(x.ne[0], latent + ropeDim), x);
        Tensor kvLatent = view(compressed, new long[] {latent, n, 1, 1},
                new long[] {4, compressed.nb[1], compressed.nb[1] * n, compressed.nb[1] * n}, 0);
        Tensor keyRope = view(compressed, new long[] {ropeDim, 1, n, 1},
                new long[] {4, compressed.nb[1], compressed.nb[1], compressed.nb[1] * n}, 4 * latent);
        keyRope = rope(keyRope, positions);
        kvLatent = rmsNormWeighted(kvLatent);
        Tensor queryNope = view(q, new long[] {nope, heads, n, 1}, new long[] {4, q.nb[1], q.nb[2], q.nb[2] * n}, 0);
        Tensor queryRope = view(q, new long[] {ropeDim, heads, n, 1}, new long[] {4, q.nb[1], q.nb[2], q.nb[2] * n},
                4 * nope);
        queryRope = rope(queryRope, positions);
        Tensor absorbed = mulMat(weight(nope, latent, heads), permute(queryNope, 0, 2, 1, 3));
        Tensor queries = concat(permute(absorbed, 0, 2, 1, 3), queryRope);
        Tensor values = reshape(kvLatent, latent, 1, n);
        Tensor keys = concat(values, keyRope);
        graph.expand(queries);
        graph.expand(values);
        graph.expand(keys);
        long cells = cache.cells;
        long row = keyTensorType.rowBytes(latent + ropeDim);
        Tensor keyCache = GraphAllocator.external(GraphAllocator.quantized(keyType, keyTensorType.bytesPerBlock(),
                keyTensorType.blockSize(), false, new Tensor[0], latent + ropeDim, cells, streams));
        graph.expand(setRows(keyCache, view(keys, new long[] {latent + ropeDim, n, 1, 1},
                new long[] {keys.nb[0], keys.nb[2], keys.nb[2] * n, keys.nb[2] * n}, 0), cache.keyIndices));
        long perStream = n / streams;
        Tensor q4 = view(queries, new long[] {queries.ne[0], heads, perStream, streams},
                new long[] {queries.nb[0], queries.nb[1], queries.nb[2], queries.nb[3] / streams}, 0);
        Tensor qp = permute(q4, 0, 2, 1, 3);
        Tensor kView = GraphAllocator.view(keyCache, new long[] {latent + ropeDim, 1, cells, streams},
                new long[] {keyCache.nb[0], row, row, row * cells}, 0);
        Tensor vView = GraphAllocator.view(kView, new long[] {latent, 1, cells, streams},
                new long[] {keyCache.nb[0], row, row, row * cells}, 0);
        Tensor kp = permute(kView, 0, 2, 1, 3);
        Tensor vp = permute(vView, 0, 2, 1, 3);
        Tensor out;
        if (flash) {
            if (keyType == GraphAllocator.F32) {
                kp = cast(kp);
                vp = cast(vp);
            }
            Tensor attended = op(false, new Tensor[] {qp, kp, vp, cache.mask}, vp.ne[0], qp.ne[2], qp.ne[1],
                    qp.ne[3]);
            Tensor decompressed = mulMat(weight(latent, block.valueDim(), heads), permute(attended, 0, 2, 1, 3));
            Tensor merged = permute(decompressed, 0, 2, 1, 3);
            Tensor contiguous = op(false, new Tensor[] {merged}, merged.ne);
            out = reshape(contiguous, contiguous.ne[0] * contiguous.ne[1], contiguous.ne[2] * contiguous.ne[3]);
        } else {
            // V is not stored transposed: a contiguous transposed copy, in the cache's type
            Tensor transposed = permute(vp, 1, 0, 2, 3);
            Tensor vCont = GraphAllocator.contiguous(keyType, keyCache.nb[0], false, new Tensor[] {transposed},
                    transposed.ne);
            Tensor scores = op(true, new Tensor[] {mulMat(kp, qp), cache.mask}, cells, perStream, heads, streams);
            Tensor weighted = mulMat(vCont, scores);
            Tensor decompressed = mulMat(weight(latent, block.valueDim(), heads), weighted);
            Tensor merged = permute(decompressed, 0, 2, 1, 3);
            out = op(false, new Tensor[] {merged}, merged.ne[0] * merged.ne[1], merged.ne[2] * merged.ne[3]);
        }
        graph.expand(out);
        return mulMat(weight(heads * block.valueDim(), x.ne[0]), out);
    }

    /**
     * {@code build_mamba2_layer} ({@code src/models/mamba-base.cpp}) with {@code build_rs}
     * ({@code src/llama-graph.cpp}): each sequence's convolution state gathered, the input projection split into z,
     * xBC and dt, the convolution over the states and the new tokens (the last columns copied back to the cache), the
     * selective scan, whose output holds y and the new states (copied back), the D skip, the z gate, the grouped RMS
     * norm and the output projection.
     */
    private Tensor mamba2(Mamba2 block, Tensor x, Tensor stateSlots) {
        long dConv = block.convKernel();
        long heads = block.heads();
        long headDim = block.headDim();
        long inner = heads * headDim;
        long state = block.stateSize();
        long groups = block.groups();
        long channels = inner + 2 * groups * state;
        long perSequence = x.ne[1] / sequences;
        Tensor convStates = GraphAllocator.external(GraphAllocator.contiguous(GraphAllocator.F32, 4, false,
                new Tensor[0], (dConv - 1) * channels, recurrentSlots));
        Tensor conv = recurrentStates(convStates, stateSlots, null);
        conv = reshape(conv, dConv - 1, channels, sequences);
        Tensor projected = mulMat(weight(x.ne[0], 2 * inner + 2 * groups * state + heads), x);
        projected = reshape(projected, projected.ne[0], perSequence, sequences);
        Tensor z = view(projected, new long[] {headDim, heads, perSequence, sequences},
                new long[] {4, 4 * headDim, projected.nb[1], projected.nb[2]}, 0);
        Tensor xbc = view(projected, new long[] {channels, perSequence, sequences, 1},
                new long[] {4, projected.nb[1], projected.nb[2], projected.nb[2] * sequences}, 4 * inner);
        Tensor dt = view(projected, new long[] {heads, perSequence, sequences, 1},
                new long[] {4, projected.nb[1], projected.nb[2], projected.nb[2] * sequences},
                4 * (2 * inner + 2 * groups * state));
        Tensor convInput = concat(conv, permute(xbc, 1, 0, 2, 3));
        Tensor lastColumns = view(convInput, new long[] {dConv - 1, channels, sequences, 1},
                new long[] {4, convInput.nb[1], convInput.nb[2], convInput.nb[2] * sequences}, perSequence * 4);
        graph.expand(copyOut(lastColumns));
        Tensor convolved = op(false, new Tensor[] {convInput, weight(dConv, channels)}, channels, perSequence,
                sequences);
        convolved = op(true, new Tensor[] {op(true, new Tensor[] {convolved, weight(channels)}, convolved.ne)},
                convolved.ne);
        Tensor xs = view(convolved, new long[] {headDim, heads, perSequence, sequences},
                new long[] {4, 4 * headDim, convolved.nb[1], convolved.nb[2]}, 0);
        Tensor bs = view(convolved, new long[] {state, groups, perSequence, sequences},
                new long[] {4, 4 * state, convolved.nb[1], convolved.nb[2]}, 4 * inner);
        Tensor cs = view(convolved, new long[] {state, groups, perSequence, sequences},
                new long[] {4, 4 * state, convolved.nb[1], convolved.nb[2]}, 4 * (inner + groups * state));
        Tensor dtBiased = add(op(false, new Tensor[] {dt}, dt.ne), weight(heads));
        Tensor ssmStates = GraphAllocator.external(GraphAllocator.contiguous(GraphAllocator.F32, 4, false,
                new Tensor[0], state * inner, recurrentSlots));
        Tensor[] scanInputs = {xs, dtBiased, bs, cs};
        Tensor scanned = recurrentStates(ssmStates, stateSlots, scanInputs);
        long stateElements = state * inner;
        Tensor newStates = view(scanned, new long[] {stateElements, sequences, 1, 1},
                new long[] {4, 4 * stateElements, 4 * stateElements * sequences, 4 * stateElements * sequences},
                4 * xs.elements());
        graph.expand(copyOut(newStates));
        Tensor y = view(scanned, new long[] {headDim, heads, perSequence, sequences},
                new long[] {4, xs.nb[1], heads * xs.nb[1], perSequence * heads * xs.nb[1]}, 0);
        y = add(y, mul(xs, weight(1, heads)));
        y = op(false, new Tensor[] {op(false, new Tensor[] {z}, z.ne), y}, y.ne);
        y = reshape(y, inner / groups, groups, perSequence, sequences);
        y = mul(rmsNorm(y), weight(inner / groups, groups));
        y = reshape(y, inner, perSequence * sequences);
        return mulMat(weight(inner, x.ne[0]), y);
    }

    /**
     * {@code build_rs}: the slot zeroed in place (in the cache), the sequences' rows gathered ({@code GET_ROWS}, or
     * the selective scan reading them when {@code scanInputs} is given), and the slots beyond the sequences (none
     * here: every slot is a sequence's) gathered and copied back.
     */
    private Tensor recurrentStates(Tensor cache, Tensor stateSlots, Tensor[] scanInputs) {
        Tensor main = view(stateSlots, new long[] {sequences, 1, 1, 1},
                new long[] {4, 4L * sequences, 4L * sequences, 4L * sequences}, 0);
        long extraCount = recurrentSlots - sequences;
        Tensor extra = view(stateSlots, new long[] {extraCount, 1, 1, 1},
                new long[] {4, 4 * extraCount, 4 * extraCount, 4 * extraCount}, 4L * sequences);
        Tensor gathered;
        if (scanInputs == null) {
            gathered = getRows(cache, main);
        } else {
            Tensor[] xs = scanInputs;
            gathered = op(false, new Tensor[] {cache, xs[0], xs[1], weight(1, xs[0].ne[1]), xs[2], xs[3], main},
                    xs[0].elements() + cache.ne[0] * sequences);
        }
        graph.expand(gathered);
        graph.expand(copyOut(getRows(cache, extra)));
        return gathered;
    }

    /** {@code ggml_cpy} into a cache: a view of the cache, outside the compute buffer, consuming {@code source}. */
    private static Tensor copyOut(Tensor source) {
        Tensor copy = GraphAllocator.external(GraphAllocator.contiguous(GraphAllocator.F32, 4, false,
                new Tensor[] {source}, source.ne));
        return copy;
    }

    /** Nemotron-H's MLP layer: {@code build_ffn} with squared ReLU (up, relu and sqr in place, down). */
    private static Tensor reluSquaredFeedForward(Tensor x, long width) {
        Tensor up = mulMat(weight(x.ne[0], width), x);
        Tensor activated = op(true, new Tensor[] {op(true, new Tensor[] {up}, up.ne)}, up.ne);
        return mulMat(weight(width, x.ne[0]), activated);
    }

    /**
     * Qwen3.5's full-attention layer ({@code build_layer_attn} in {@code src/models/qwen35.cpp}): Q and its output gate
     * from one projection (views of it), per-head norms, multi-section RoPE, attention without an output projection,
     * the sigmoid gate, then the projection.
     */
    private Tensor gatedAttention(FullAttention block, Tensor x, Tensor positions, Cache cache, String arch) {
        long headDim = block.keyLength();
        long heads = block.heads();
        long kvHeads = block.kvHeads();
        long n = x.ne[1];
        Tensor full = mulMat(weight(x.ne[0], 2 * heads * headDim), x);
        Tensor q = view(full, new long[] {headDim, heads, n, 1},
                new long[] {4, 8 * headDim, 8 * headDim * heads, 8 * headDim * heads * n}, 0);
        q = mul(rmsNorm(q), weight(headDim));
        Tensor k = mul(rmsNorm(reshape(mulMat(weight(x.ne[0], kvHeads * headDim), x), headDim, kvHeads, n)),
                weight(headDim));
        Tensor gate = view(full, new long[] {headDim, heads, n, 1},
                new long[] {4, 8 * headDim, 8 * headDim * heads, 8 * headDim * heads * n}, 4 * headDim);
        gate = op(false, new Tensor[] {gate}, headDim * heads, n);
        Tensor v = reshape(mulMat(weight(x.ne[0], kvHeads * block.valueLength()), x), block.valueLength(), kvHeads,
                n);
        q = rope(q, positions);
        k = rope(k, positions);
        Tensor attended = attentionCore(q, k, v, block, cache, false, arch);
        Tensor gated = mul(attended, op(true, new Tensor[] {gate}, gate.ne));
        return mulMat(weight(heads * block.valueLength(), x.ne[0]), gated);
    }

    /**
     * The gated delta net layer of Qwen3.5 ({@code build_layer_attn_linear}; {@code build_conv_state},
     * {@code build_recurrent_attn} and the fused {@code GATED_DELTA_NET} op of {@code src/models/delta-net-base.cpp},
     * which llama.cpp's CPU backend runs): the mixed QKV and the gate z projected, beta and the decay from their own
     * projections, the convolution over the gathered states and the new tokens (the last columns copied back), Q and K
     * L2-normalized, the delta net, whose output holds the attention and the new state (copied back), the gated norm
     * and the output projection.
     */
    private Tensor gatedDeltaNet(GatedDeltaNet block, Tensor x, Tensor stateSlots, boolean next) {
        long keyDim = block.keyHeadDim();
        long keyHeads = block.keyHeads();
        long valueDim = block.valueHeadDim();
        long valueHeads = block.valueHeads();
        long inner = valueDim * valueHeads;
        long channels = inner + 2 * keyHeads * keyDim;
        long kernel = block.convKernel();
        long perSequence = x.ne[1] / sequences;
        Tensor mixed = reshape(mulMat(weight(x.ne[0], channels), x), channels, perSequence, sequences);
        Tensor z = mulMat(weight(x.ne[0], inner), x);
        Tensor beta;
        Tensor alpha;
        if (next) {
            // Qwen3-Next: beta and alpha from one projection, grouped per key head, split by views and copied
            long perKeyHead = valueHeads / keyHeads;
            Tensor mixedBa = reshape(mulMat(weight(x.ne[0], 2 * valueHeads), x), 2 * perKeyHead, keyHeads,
                    perSequence, sequences);
            long[] strides = {4, mixedBa.nb[1], mixedBa.nb[2], mixedBa.nb[3]};
            Tensor b = op(false, new Tensor[] {view(mixedBa, new long[] {perKeyHead, keyHeads, perSequence,
                sequences}, strides, 0)}, perKeyHead, keyHeads, perSequence, sequences);
            beta = reshape(op(true, new Tensor[] {b}, b.ne), 1, valueHeads, perSequence, sequences);
            alpha = op(false, new Tensor[] {view(mixedBa, new long[] {perKeyHead, keyHeads, perSequence, sequences},
                strides, 4 * perKeyHead)}, valueHeads, perSequence, sequences);
        } else {
            beta = op(true, new Tensor[] {reshape(mulMat(weight(x.ne[0], valueHeads), x), 1, valueHeads,
                perSequence, sequences)}, 1, valueHeads, perSequence, sequences);
            alpha = reshape(mulMat(weight(x.ne[0], valueHeads), x), valueHeads, perSequence, sequences);
        }
        Tensor decay = op(true, new Tensor[] {add(alpha, weight(valueHeads))}, valueHeads, perSequence, sequences);
        decay = reshape(mul(decay, weight(valueHeads)), 1, valueHeads, perSequence, sequences);
        Tensor convStates = GraphAllocator.external(GraphAllocator.contiguous(GraphAllocator.F32, 4, false,
                new Tensor[0], (kernel - 1) * channels, recurrentSlots));
        Tensor conv = reshape(recurrentStates(convStates, stateSlots, null), kernel - 1, channels, sequences);
        Tensor convInput = concat(conv, permute(mixed, 1, 0, 2, 3));
        graph.expand(copyOut(view(convInput, new long[] {kernel - 1, channels, sequences, 1},
                new long[] {4, convInput.nb[1], convInput.nb[2], convInput.nb[2] * sequences}, 4 * perSequence)));
        Tensor ssmStates = GraphAllocator.external(GraphAllocator.contiguous(GraphAllocator.F32, 4, false,
                new Tensor[0], valueDim * valueDim * valueHeads, recurrentSlots));
        Tensor state = reshape(recurrentStates(ssmStates, stateSlots, null), valueDim, valueDim, valueHeads,
                sequences);
        Tensor convolved = op(false, new Tensor[] {convInput, weight(kernel, channels)}, channels, perSequence,
                sequences);
        convolved = op(true, new Tensor[] {convolved}, convolved.ne);
        long row = 4 * channels;
        Tensor q = view(convolved, new long[] {keyDim, keyHeads, perSequence, sequences},
                new long[] {4, 4 * keyDim, row, row * perSequence}, 0);
        Tensor k = view(convolved, new long[] {keyDim, keyHeads, perSequence, sequences},
                new long[] {4, 4 * keyDim, row, row * perSequence}, 4 * keyDim * keyHeads);
        Tensor v = view(convolved, new long[] {valueDim, valueHeads, perSequence, sequences},
                new long[] {4, 4 * valueDim, row, row * perSequence}, 8 * keyDim * keyHeads);
        q = op(false, new Tensor[] {q}, q.ne);
        k = op(false, new Tensor[] {k}, k.ne);
        if (next && keyHeads != valueHeads) {
            // Qwen3-Next repeats Q and K to the value heads even with the fused delta net
            q = repeatHeads(q, valueHeads / keyHeads);
            k = repeatHeads(k, valueHeads / keyHeads);
        }
        Tensor delta = op(false, new Tensor[] {q, k, v, decay, beta, state}, valueDim * valueHeads,
                perSequence * sequences + valueDim * sequences);
        Tensor output = view(delta, new long[] {valueDim, valueHeads, perSequence, sequences},
                new long[] {4, 4 * valueDim, 4 * valueDim * valueHeads, 4 * valueDim * valueHeads * perSequence}, 0);
        Tensor newState = view(delta, new long[] {valueDim, valueDim, valueHeads, sequences},
                new long[] {4, 4 * valueDim, 4 * valueDim * valueDim, 4 * valueDim * valueDim * valueHeads},
                4 * valueDim * valueHeads * perSequence * sequences);
        graph.expand(copyOut(newState));
        Tensor normed = mul(rmsNorm(output), weight(valueDim));
        Tensor gated = mul(normed, op(true, new Tensor[] {reshape(z, valueDim, valueHeads, perSequence, sequences)},
                valueDim, valueHeads, perSequence, sequences));
        Tensor projected = mulMat(weight(inner, x.ne[0]), reshape(gated, inner, perSequence, sequences));
        return reshape(projected, x.ne[0], perSequence * sequences);
    }

    private static Tensor repeatHeads(Tensor x, long factor) {
        Tensor grouped = reshape(x, x.ne[0], 1, x.ne[1], x.ne[2] * x.ne[3]);
        Tensor repeated = op(false, new Tensor[] {grouped}, x.ne[0], factor, x.ne[1], x.ne[2] * x.ne[3]);
        return reshape(repeated, x.ne[0], x.ne[1] * factor, x.ne[2], x.ne[3]);
    }

    private static Tensor concat(Tensor a, Tensor b) {
        return op(false, new Tensor[] {a, b}, a.ne[0] + b.ne[0], a.ne[1], a.ne[2], a.ne[3]);
    }

    private Tensor feedForward(FeedForwardBlock block, Tensor x, String arch) {
        if (block instanceof MixtureOfExperts) {
            MixtureOfExperts moe = (MixtureOfExperts) block;
            Tensor routed = experts(moe, x, arch);
            if (moe.sharedSize() == 0) {
                return routed;
            }
            return add(routed, gatedFeedForward(x, moe.sharedSize()));
        }
        long width = ((DenseFeedForward) block).intermediateSize();
        if (arch.equals("phi3")) {
            // one projection to gate and up, split by the single-input SwiGLU
            Tensor up = mulMat(weight(x.ne[0], 2 * width), x);
            Tensor activated = op(false, new Tensor[] {up}, width, up.ne[1], up.ne[2], up.ne[3]);
            return mulMat(weight(width, x.ne[0]), activated);
        }
        return gatedFeedForward(x, width);
    }

    /** {@code build_ffn} with a parallel gate: up, gate, GLU (not in place), down. */
    private static Tensor gatedFeedForward(Tensor x, long width) {
        Tensor up = mulMat(weight(x.ne[0], width), x);
        Tensor gate = mulMat(weight(x.ne[0], width), x);
        Tensor activated = op(false, new Tensor[] {gate, up}, gate.ne);
        return mulMat(weight(width, x.ne[0]), activated);
    }

    /**
     * {@code build_moe_ffn}: router logits, the gating function (softmax for Qwen3 MoE; sigmoid with a selection bias
     * for MiniMax-M2 and GLM-4 MoE; gpt-oss's router bias and a softmax over the chosen experts' logits; Llama 4's
     * sigmoid, its experts chosen by the raw logits), the top experts (argsort and a view of its first columns), their
     * weights (normalized to sum 1 where the architecture asks), gate and up per expert ({@code MUL_MAT_ID}, gpt-oss
     * adding per-expert biases; Llama 4 feeding each expert the token scaled by its weight), the gated activation,
     * down, weighted (after the experts, but for Llama 4), and the experts' rows summed one by one.
     */
    private Tensor experts(MixtureOfExperts block, Tensor x, String arch) {
        long hidden = x.ne[0];
        long tokens = x.ne[1];
        long used = block.expertsPerToken();
        boolean oai = arch.equals("gpt-oss");
        boolean sigmoid = arch.equals("minimax-m2") || arch.equals("glm4moe");
        // Llama 4 picks its experts by the raw logits and weights each expert's input, not its output
        boolean llama4 = arch.equals("llama4");
        Tensor logits = mulMat(weight(hidden, block.experts()), x);
        if (oai) {
            logits = add(logits, weight(block.experts()));
        }
        Tensor probabilities = oai ? logits : op(true, new Tensor[] {logits}, logits.ne);
        Tensor selection = sigmoid ? add(probabilities, weight(block.experts())) : llama4 ? logits : probabilities;
        Tensor order = GraphAllocator.contiguous(GraphAllocator.I32, 4, false, new Tensor[] {selection},
                selection.ne);
        Tensor selected = view(order, new long[] {used, order.ne[1], order.ne[2], order.ne[3]}, order.nb, 0);
        Tensor weights = getRows(reshape(probabilities, 1, block.experts(), tokens), selected);
        if (oai) {
            weights = reshape(op(true, new Tensor[] {reshape(weights, used, tokens)}, used, tokens), 1, used, tokens);
        } else if (!arch.equals("deepseek2") && !llama4) {
            Tensor flat = reshape(weights, used, tokens);
            Tensor sum = op(false, new Tensor[] {flat}, 1, tokens);
            Tensor clamped = op(true, new Tensor[] {sum}, sum.ne);
            weights = reshape(op(true, new Tensor[] {flat, clamped}, flat.ne), 1, used, tokens);
        }
        graph.expand(weights);
        Tensor rows = reshape(x, hidden, 1, tokens);
        if (llama4) {
            // the token repeated once per chosen expert and scaled by its weight (ggml_repeat_4d, ggml_mul)
            rows = mul(op(false, new Tensor[] {rows}, hidden, used, tokens), weights);
        }
        Tensor up = mulMatId(weight(hidden, block.expertSize(), block.experts()), rows, selected);
        if (oai) {
            up = op(true, new Tensor[] {up, weight(block.expertSize(), block.experts()), selected}, up.ne);
        }
        Tensor gate = mulMatId(weight(hidden, block.expertSize(), block.experts()), rows, selected);
        if (oai) {
            gate = op(true, new Tensor[] {gate, weight(block.expertSize(), block.experts()), selected}, gate.ne);
        }
        Tensor activated = op(false, new Tensor[] {gate, up}, gate.ne);
        Tensor down = mulMatId(weight(block.expertSize(), hidden, block.experts()), activated, selected);
        if (oai) {
            down = op(true, new Tensor[] {down, weight(hidden, block.experts()), selected}, down.ne);
        }
        Tensor weighted = llama4 ? down : mul(down, weights);
        graph.expand(weighted);
        Tensor[] parts = new Tensor[(int) used];
        for (int i = 0; i < used; i++) {
            parts[i] = view(weighted, new long[] {hidden, tokens, 1, 1},
                    new long[] {weighted.nb[0], weighted.nb[2], weighted.nb[2] * tokens, weighted.nb[2] * tokens},
                    i * weighted.nb[1]);
            graph.expand(parts[i]);
        }
        Tensor sumOfExperts = parts[0];
        for (int i = 1; i < used; i++) {
            sumOfExperts = add(sumOfExperts, parts[i]);
            graph.expand(sumOfExperts);
        }
        return used == 1 ? op(false, new Tensor[] {sumOfExperts}, sumOfExperts.ne) : sumOfExperts;
    }

    private static Tensor mulMatId(Tensor experts, Tensor b, Tensor ids) {
        return op(false, new Tensor[] {experts, b, ids}, experts.ne[1], ids.ne[0], b.ne[2], 1);
    }

    private static int sameOrMinusOne(int seen, int value) {
        return seen == 0 ? value : seen == value ? seen : -1;
    }

    /** {@code llama_mul_mat_hadamard} ({@code src/llama-impl.h}): rows of the rotation's width, rotated, reshaped back. */
    private static Tensor hadamard(Tensor x, Tensor rotation) {
        long width = rotation.ne[0];
        Tensor rows = isContiguous(x) ? reshape(x, width, x.elements() / width)
                : op(false, new Tensor[] {x}, width, x.elements() / width);
        return reshape(mulMat(rotation, rows), x.ne);
    }

    /** {@code ggml_is_contiguous}. */
    private static boolean isContiguous(Tensor t) {
        if (t.ne[0] != t.blockSize && t.nb[0] != t.elementBytes) {
            return false;
        }
        long next = t.elementBytes * (t.ne[0] / t.blockSize);
        for (int i = 1; i < 4; i++) {
            if (t.ne[i] != 1 && t.nb[i] != next) {
                return false;
            }
            next *= t.ne[i];
        }
        return true;
    }

    // ---- ggml ops, shapes as ggml/src/ggml.c computes them

    private static Tensor input(int type, long elementBytes, long... shape) {
        return GraphAllocator.input(GraphAllocator.contiguous(type, elementBytes, false, new Tensor[0], shape));
    }

    /**
     * A weight: only its shape is read (the ops above size their results from it); it is never placed, viewed or
     * freed, so it gets no strides and the allocator keeps no record of it ({@link GraphAllocator#weight}).
     */
    private static Tensor weight(long... shape) {
        return GraphAllocator.weight(shape);
    }

    /** A new F32 result of an op whose sources are {@code src}. */
    private static Tensor op(boolean inPlace, Tensor[] src, long... shape) {
        return GraphAllocator.contiguous(GraphAllocator.F32, 4, inPlace, src, shape);
    }

    private static Tensor mulMat(Tensor a, Tensor b) {
        return op(false, new Tensor[] {a, b}, a.ne[1], b.ne[1], b.ne[2], b.ne[3]);
    }

    private static Tensor getRows(Tensor a, Tensor rows) {
        return op(false, new Tensor[] {a, rows}, a.ne[0], rows.ne[0], rows.ne[1], rows.ne[2]);
    }

    private static Tensor add(Tensor a, Tensor b) {
        return op(true, new Tensor[] {a, b}, a.ne);
    }

    private static Tensor mul(Tensor a, Tensor b) {
        return op(true, new Tensor[] {a, b}, a.ne);
    }

    private static Tensor rmsNorm(Tensor a) {
        return op(true, new Tensor[] {a}, a.ne);
    }

    private static Tensor rope(Tensor a, Tensor positions) {
        return op(true, new Tensor[] {a, positions}, a.ne);
    }

    private static Tensor cast(Tensor a) {
        Tensor[] src = new Tensor[2];
        Tensor result = GraphAllocator.contiguous(GraphAllocator.F16, 2, false, src, a.ne);
        src[0] = a;
        src[1] = result;
        return result;
    }

    private static Tensor setRows(Tensor cache, Tensor rows, Tensor indices) {
        // ggml_set_rows returns a view of the cache: placed outside the compute buffer
        Tensor result = GraphAllocator.view(cache, cache.ne, cache.nb, 0);
        return GraphAllocator.external(new Tensor(result.type, result.elementBytes, result.blockSize, result.ne,
                result.nb, false, new Tensor[] {rows, indices, cache}, cache, 0));
    }

    private static Tensor reshape(Tensor a, long... shape) {
        long[] ne = {1, 1, 1, 1};
        System.arraycopy(shape, 0, ne, 0, shape.length);
        long[] nb = new long[4];
        nb[0] = a.nb[0];
        nb[1] = nb[0] * (ne[0] / a.blockSize);
        for (int i = 2; i < 4; i++) {
            nb[i] = nb[i - 1] * ne[i - 1];
        }
        return GraphAllocator.view(a, ne, nb, 0);
    }

    private static Tensor view(Tensor a, long[] ne, long[] nb, long offset) {
        return GraphAllocator.view(a, ne, nb, offset);
    }

    private static Tensor permute(Tensor a, int axis0, int axis1, int axis2, int axis3) {
        int[] axes = {axis0, axis1, axis2, axis3};
        long[] ne = new long[4];
        long[] nb = new long[4];
        for (int i = 0; i < 4; i++) {
            ne[axes[i]] = a.ne[i];
            nb[axes[i]] = a.nb[i];
        }
        return GraphAllocator.view(a, ne, nb, 0);
    }
}
