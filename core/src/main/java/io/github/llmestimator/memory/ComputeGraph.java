package io.github.llmestimator.memory;

import io.github.llmestimator.memory.GraphAllocator.Tensor;
import io.github.llmestimator.model.AttentionBlock;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
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
 * the larger of the two. Architectures whose graph is not built here have no exact size ({@link #bytes} returns -1).
 */
final class ComputeGraph {

    /**
     * Architectures built here: decoder layers of full attention and a SiLU-gated feed-forward block, dense or (Qwen3
     * MoE) softmax-routed experts with normalized weights ({@code src/models/llama.cpp}, {@code qwen2.cpp},
     * {@code qwen3.cpp}, {@code qwen3moe.cpp}, {@code granite.cpp}, {@code smollm3.cpp}).
     */
    private static final Set<String> BUILT = Set.of("llama", "qwen2", "qwen3", "qwen3moe", "granite", "smollm3");

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
    private Tensor keyRotation;
    private Tensor valueRotation;

    private ComputeGraph(ModelSpec model, ContextSettings settings, int tokens, int outputs) {
        this.model = model;
        this.settings = settings;
        this.tokens = tokens;
        this.outputs = outputs;
        this.streams = settings.streams();
        this.cellsPerStream = settings.cellsPerStream();
        this.keyTensorType = settings.keyCacheType().tensorType();
        this.valueTensorType = settings.valueCacheType().tensorType();
        this.keyType = keyTensorType.ggmlId();
        this.valueType = valueTensorType.ggmlId();
        this.flash = settings.flashAttention();
    }

    /**
     * Returns llama.cpp's compute buffer for this model and these settings, or -1 where the architecture's graph is not
     * built here.
     *
     * @param model the model
     * @param settings the settings (cache types and layout already accepted)
     * @return bytes, or -1
     */
    static long bytes(ModelSpec model, ContextSettings settings) {
        if (!supports(model)) {
            return -1;
        }
        // n_tokens = min(n_ctx, n_ubatch), n_ubatch itself capped by n_batch and the context as asked (before padding)
        int tokens = Math.min(Math.min(settings.contextTokens(), settings.batchTokens()), settings.microBatchTokens());
        int sequences = settings.parallelSequences();
        long prompt = new ComputeGraph(model, settings, tokens, tokens).build();
        long generation = new ComputeGraph(model, settings, sequences, sequences).build();
        return Math.max(prompt, generation);
    }

    private static boolean supports(ModelSpec model) {
        if (!BUILT.contains(model.architecture()) || !model.nextTokenPredictionLayers().isEmpty()) {
            return false;
        }
        boolean experts = model.architecture().equals("qwen3moe");
        for (Layer layer : model.layers()) {
            FeedForwardBlock block = layer.feedForward();
            boolean feedForward = experts ? block instanceof MixtureOfExperts && ((MixtureOfExperts) block).gated()
                    && ((MixtureOfExperts) block).sharedSize() == 0 && !((MixtureOfExperts) block).biased()
                    : block instanceof DenseFeedForward && ((DenseFeedForward) block).gated();
            if (!(layer.attention() instanceof FullAttention) || !feedForward
                    || ((FullAttention) layer.attention()).outputGate()) {
                return false;
            }
        }
        return true;
    }

    private long build() {
        long hidden = model.hiddenSize();
        Tensor tokenIds = input(GraphAllocator.I32, 4, tokens);
        Tensor embeddings = input(GraphAllocator.F32, 4, hidden, tokens);
        Tensor current = getRows(weight(hidden, model.vocabularySize()), tokenIds);
        graph.expand(current);
        graph.expand(embeddings);
        Tensor positions = input(GraphAllocator.I32, 4, tokens);
        Tensor keyIndices = input(GraphAllocator.I64, 8, tokens);
        long widestValue = 0;
        for (Layer layer : model.layers()) {
            widestValue = Math.max(widestValue, layer.attention().valueCacheElementsPerToken());
        }
        Tensor valueIndices = input(GraphAllocator.I64, 8, flash ? tokens : tokens * widestValue);
        Tensor mask = input(flash ? GraphAllocator.F16 : GraphAllocator.F32, flash ? 2 : 4, cellsPerStream,
                tokens / streams, 1, streams);
        // llama_kv_cache::build_input_k_rot/v_rot: Hadamard rotations for quantized caches of 64-multiple heads
        int headK = 0;
        int headV = 0;
        for (Layer layer : model.layers()) {
            headK = sameOrMinusOne(headK, ((FullAttention) layer.attention()).keyLength());
            headV = sameOrMinusOne(headV, ((FullAttention) layer.attention()).valueLength());
        }
        FullAttention first = (FullAttention) model.layers().get(0).attention();
        if (headK > 0 && keyTensorType.isBlockQuantized() && first.keyLength() % 64 == 0) {
            int rotation = 64;
            do {
                rotation *= 2;
            } while (headK % rotation == 0);
            keyRotation = input(GraphAllocator.F32, 4, rotation / 2, rotation / 2);
        }
        if (headV > 0 && valueTensorType.isBlockQuantized() && first.valueLength() % 64 == 0) {
            valueRotation = input(GraphAllocator.F32, 4, 64, 64);
        }
        Tensor outputIds = input(GraphAllocator.I32, 4, outputs);
        List<Layer> layers = model.layers();
        for (int il = 0; il < layers.size(); il++) {
            Layer layer = layers.get(il);
            Tensor residual = current;
            Tensor normed = mul(rmsNorm(current), weight(hidden));
            Tensor attention = attention((FullAttention) layer.attention(), normed, positions, keyIndices, valueIndices,
                    mask);
            if (il == layers.size() - 1) {
                attention = getRows(attention, outputIds);
                residual = getRows(residual, outputIds);
            }
            Tensor ffnInput = add(attention, residual);
            Tensor ffnNormed = mul(rmsNorm(ffnInput), weight(hidden));
            current = add(feedForward(layer.feedForward(), ffnNormed), ffnInput);
        }
        Tensor norm = GraphAllocator.output(mul(rmsNorm(current), weight(hidden)));
        Tensor logits = GraphAllocator.output(mulMat(weight(hidden, model.vocabularySize()), norm));
        graph.expand(logits);
        return graph.bufferBytes();
    }

    private Tensor attention(FullAttention block, Tensor x, Tensor positions, Tensor keyIndices, Tensor valueIndices,
            Tensor mask) {
        long headDim = block.keyLength();
        long valueDim = block.valueLength();
        long heads = block.heads();
        long kvHeads = block.kvHeads();
        Tensor q = mulMat(weight(x.ne[0], heads * headDim), x);
        Tensor k = mulMat(weight(x.ne[0], kvHeads * headDim), x);
        Tensor v = mulMat(weight(x.ne[0], kvHeads * valueDim), x);
        if (block.qkvBias()) {
            q = add(q, weight(heads * headDim));
            k = add(k, weight(kvHeads * headDim));
            v = add(v, weight(kvHeads * valueDim));
        }
        q = reshape(q, headDim, heads, x.ne[1]);
        k = reshape(k, headDim, kvHeads, x.ne[1]);
        v = reshape(v, valueDim, kvHeads, x.ne[1]);
        if (block.qkNorm()) {
            q = mul(rmsNorm(q), weight(headDim));
        }
        q = rope(q, positions);
        if (block.qkNorm()) {
            k = mul(rmsNorm(k), weight(headDim));
        }
        k = rope(k, positions);
        if (keyRotation != null) {
            q = hadamard(q, keyRotation);
            k = hadamard(k, keyRotation);
        }
        if (valueRotation != null) {
            v = hadamard(v, valueRotation);
        }
        graph.expand(q);
        graph.expand(v);
        graph.expand(k);
        long keyRow = keyTensorType.rowBytes(kvHeads * headDim);
        Tensor keyCache = GraphAllocator.external(GraphAllocator.quantized(keyType, keyTensorType.bytesPerBlock(),
                keyTensorType.blockSize(), false, new Tensor[0], kvHeads * headDim, cellsPerStream, streams));
        graph.expand(setRows(keyCache, view(k, new long[] {kvHeads * headDim, x.ne[1], 1, 1},
                new long[] {k.nb[0], k.nb[2], k.nb[2] * x.ne[1], k.nb[2] * x.ne[1]}, 0), keyIndices));
        Tensor valueCache;
        if (flash) {
            valueCache = GraphAllocator.external(GraphAllocator.quantized(valueType, valueTensorType.bytesPerBlock(),
                    valueTensorType.blockSize(), false, new Tensor[0], kvHeads * valueDim, cellsPerStream, streams));
            graph.expand(setRows(valueCache, view(v, new long[] {kvHeads * valueDim, x.ne[1], 1, 1},
                    new long[] {v.nb[0], v.nb[2], v.nb[2] * x.ne[1], v.nb[2] * x.ne[1]}, 0), valueIndices));
        } else {
            valueCache = GraphAllocator.external(GraphAllocator.quantized(valueType, valueTensorType.bytesPerBlock(),
                    valueTensorType.blockSize(), false, new Tensor[0], valueIndices.ne[0] / x.ne[1], cellsPerStream,
                    streams));
            Tensor flat = reshape(reshape(v, kvHeads * valueDim, x.ne[1]), v.elements());
            graph.expand(setRows(valueCache, flat, valueIndices));
        }
        // build_attn_mha: Q split into streams and permuted; K and V are views of the caches
        long perStream = x.ne[1] / streams;
        Tensor q4 = view(q, new long[] {headDim, heads, perStream, streams},
                new long[] {q.nb[0], q.nb[1], q.nb[2], q.nb[3] / streams}, 0);
        Tensor qp = permute(q4, 0, 2, 1, 3);
        long keyElement = keyTensorType.rowBytes(headDim);
        Tensor kView = GraphAllocator.view(keyCache, new long[] {headDim, kvHeads, cellsPerStream, streams},
                new long[] {keyCache.nb[0], keyElement, keyRow, keyRow * cellsPerStream}, 0);
        Tensor kp = permute(kView, 0, 2, 1, 3);
        Tensor out;
        if (flash) {
            long valueRow = valueTensorType.rowBytes(kvHeads * valueDim);
            Tensor vView = GraphAllocator.view(valueCache, new long[] {valueDim, kvHeads, cellsPerStream, streams},
                    new long[] {valueCache.nb[0], valueTensorType.rowBytes(valueDim), valueRow,
                        valueRow * cellsPerStream}, 0);
            Tensor vp = permute(vView, 0, 2, 1, 3);
            if (keyType == GraphAllocator.F32) {
                kp = cast(kp);
            }
            if (valueType == GraphAllocator.F32) {
                vp = cast(vp);
            }
            Tensor attended = op(false, new Tensor[] {qp, kp, vp, mask}, vp.ne[0], qp.ne[2], qp.ne[1], qp.ne[3]);
            out = reshape(attended, attended.ne[0] * attended.ne[1], attended.ne[2] * attended.ne[3]);
        } else {
            long cacheRow = valueCache.ne[0];
            long element = valueCache.nb[0];
            Tensor vView = GraphAllocator.view(valueCache, new long[] {cellsPerStream, kvHeads, valueDim, streams},
                    new long[] {element, element * cellsPerStream * valueDim, element * cellsPerStream,
                        element * cellsPerStream * cacheRow}, 0);
            Tensor vp = permute(vView, 0, 2, 1, 3);
            Tensor scores = mulMat(kp, qp);
            scores = op(true, new Tensor[] {scores, mask}, scores.ne);
            Tensor weighted = mulMat(vp, scores);
            Tensor merged = permute(weighted, 0, 2, 1, 3);
            out = op(false, new Tensor[] {merged}, merged.ne[0] * merged.ne[1], merged.ne[2] * merged.ne[3]);
        }
        graph.expand(out);
        if (valueRotation != null) {
            out = hadamard(out, valueRotation);
        }
        return mulMat(weight(heads * valueDim, x.ne[0]), out);
    }

    private Tensor feedForward(FeedForwardBlock block, Tensor x) {
        if (block instanceof MixtureOfExperts) {
            return experts((MixtureOfExperts) block, x);
        }
        long width = ((DenseFeedForward) block).intermediateSize();
        Tensor up = mulMat(weight(x.ne[0], width), x);
        Tensor gate = mulMat(weight(x.ne[0], width), x);
        Tensor activated = op(false, new Tensor[] {gate, up}, gate.ne);
        return mulMat(weight(width, x.ne[0]), activated);
    }

    /**
     * {@code build_moe_ffn}: router logits, softmax, the top experts (argsort and a view of its first columns), their
     * weights normalized to sum 1, gate and up per expert ({@code MUL_MAT_ID}), SwiGLU, down, weighted, and the
     * experts' rows summed one by one.
     */
    private Tensor experts(MixtureOfExperts block, Tensor x) {
        long hidden = x.ne[0];
        long tokens = x.ne[1];
        long used = block.expertsPerToken();
        Tensor logits = mulMat(weight(hidden, block.experts()), x);
        Tensor probabilities = op(true, new Tensor[] {logits}, logits.ne);
        Tensor order = GraphAllocator.contiguous(GraphAllocator.I32, 4, false, new Tensor[] {probabilities},
                probabilities.ne);
        Tensor selected = view(order, new long[] {used, order.ne[1], order.ne[2], order.ne[3]}, order.nb, 0);
        Tensor weights = getRows(reshape(probabilities, 1, block.experts(), tokens), selected);
        Tensor flat = reshape(weights, used, tokens);
        Tensor sum = op(false, new Tensor[] {flat}, 1, tokens);
        Tensor clamped = op(true, new Tensor[] {sum}, sum.ne);
        weights = reshape(op(true, new Tensor[] {flat, clamped}, flat.ne), 1, used, tokens);
        graph.expand(weights);
        Tensor rows = reshape(x, hidden, 1, tokens);
        Tensor up = mulMatId(weight(hidden, block.expertSize(), block.experts()), rows, selected);
        Tensor gate = mulMatId(weight(hidden, block.expertSize(), block.experts()), rows, selected);
        Tensor activated = op(false, new Tensor[] {gate, up}, gate.ne);
        Tensor down = mulMatId(weight(block.expertSize(), hidden, block.experts()), activated, selected);
        Tensor weighted = mul(down, weights);
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

    private static Tensor weight(long... shape) {
        return GraphAllocator.external(GraphAllocator.contiguous(GraphAllocator.F32, 4, false, new Tensor[0], shape));
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
