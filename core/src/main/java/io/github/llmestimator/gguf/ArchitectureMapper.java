package io.github.llmestimator.gguf;

import static io.github.llmestimator.internal.TensorNames.ATTN_QKV_BIAS;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q_BIAS;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q_NORM;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_EXPS;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_INP_BIAS;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_UP_EXPS;
import static io.github.llmestimator.internal.TensorNames.FFN_UP;
import static io.github.llmestimator.internal.TensorNames.FFN_UP_EXPS;
import static io.github.llmestimator.internal.TensorNames.FFN_UP_EXPS_BIAS;
import static io.github.llmestimator.internal.TensorNames.OUTPUT;
import static io.github.llmestimator.internal.TensorNames.TOKEN_EMBD;
import static io.github.llmestimator.internal.TensorNames.blk;

import io.github.llmestimator.internal.TensorNames;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.CheckpointFormat;
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
import io.github.llmestimator.model.Tensor;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Rebuilds a {@link ModelSpec} from the {@code general.architecture} and {@code <arch>.*} metadata of a GGUF file, for
 * every {@link io.github.llmestimator.model.Architecture} (the table the config.json importer reads too), the
 * way llama.cpp reads them ({@code src/llama-model.cpp} {@code load_hparams}, {@code src/models/<arch>.cpp}), and
 * checks it against the tensor table: every tensor the spec derives that the file also holds must have the same
 * element count, as llama.cpp's loader requires of the shapes.
 *
 * <p>Which layer is which: recurrent layers of Qwen3-Next/Qwen3.5 from {@code attention.recurrent_layers} or
 * {@code full_attention_interval} (default 4: layer {@code il} is recurrent iff {@code (il + 1) % 4 != 0}); Nemotron-H
 * layers from the per-layer {@code head_count_kv} and {@code feed_forward_length} (Mamba-2 when both are 0, attention
 * when only the latter is); Granite hybrid layers are Mamba-2 where {@code head_count_kv} is 0; sliding-window layers
 * from {@code attention.sliding_window_pattern} (a period {@code p}: layer {@code il} slides iff
 * {@code il % p < p - 1}, all of them when {@code p} is 0; or a per-layer array), with llama.cpp's defaults (Gemma 2:
 * window 4096, period 2; Gemma 3: period 6, sliding only when a window is given; gpt-oss: period 2; Cohere2: period
 * 4; OLMo 2/3: period 4, sliding only when a window is given; Llama 4: chunks of 8192 tokens, period 4, unless the
 * window is stated as 0; Phi-3's window is ignored, as llama.cpp ignores it). Llama 4's experts sit on every
 * {@code interleave_moe_layer_step}-th layer, each with one shared expert as wide as a routed one. What the metadata does
 * not say is read from the tensor table: tied embeddings (no {@code output.weight}), QK norms ({@code attn_q_norm}),
 * QKV biases ({@code attn_q.bias}), gated feed-forward blocks ({@code ffn_gate}, or Phi-3's fused {@code ffn_up}) and
 * expert biases.
 */
final class ArchitectureMapper {

    /**
     * Llama 4's attention chunk: llama.cpp sets it in code, not from the file ({@code src/llama-model.cpp},
     * {@code load_hparams}, {@code LLM_ARCH_LLAMA4}: {@code n_swa = 8192}, "the same for Scout and Maverick").
     */
    private static final int LLAMA4_CHUNK = 8192;

    /** llama.cpp's {@code LLAMA_MAX_LAYERS}. */
    static final int MAX_LAYERS = ModelSpec.MAX_LAYERS;
    /** Bound on widths, head counts and ranks: far above any model, far below overflow of their products. */
    private static final int MAX_WIDTH = 1 << 24;
    /** Bound on the trained context: 2^30 tokens, so that padding it to 256 stays an {@code int}. */
    private static final int MAX_CONTEXT = 1 << 30;
    /** Bound on the expert count (llama.cpp's {@code LLAMA_MAX_EXPERTS} is 512). */
    private static final int MAX_EXPERTS = 1 << 16;

    private final GgufFile file;
    private final String arch;
    private final long metadataEnd;

    private ArchitectureMapper(GgufFile file, String arch) {
        this.file = file;
        this.arch = arch;
        this.metadataEnd = file.tensors().isEmpty() ? file.headerBytes() : file.tensors().get(0).infoOffset();
    }

    static ModelSpec map(GgufFile file, String arch, String name) throws GgufFormatException {
        ArchitectureMapper mapper = new ArchitectureMapper(file, arch);
        ModelSpec spec = mapper.build(name);
        mapper.checkAgainstTensorTable(spec);
        return spec;
    }

    private String key(String suffix) {
        return arch + "." + suffix;
    }

    private boolean has(String tensor) {
        return file.tensor(tensor).isPresent();
    }

    private ModelSpec build(String name) throws GgufFormatException {
        int blockCount = requireInt("block_count", 1, MAX_LAYERS);
        int nextn = optionalInt("nextn_predict_layers", 0, blockCount - 1).orElse(0);
        int trunk = blockCount - nextn;
        int hidden = requireInt("embedding_length", 1, MAX_WIDTH);
        int context = requireInt("context_length", 1, MAX_CONTEXT);
        int vocabulary = vocabularySize();
        int[] heads = perLayer("attention.head_count", blockCount, null);
        int[] kvHeads = perLayer("attention.head_count_kv", blockCount, heads);
        int[] feedForward = perLayer("feed_forward_length", blockCount, null);
        int firstHeads = 0;
        for (int h : heads) {
            if (h > 0) {
                firstHeads = h;
                break;
            }
        }
        int keyLength = optionalInt("attention.key_length", 1, MAX_WIDTH).orElse(firstHeads > 0 ? hidden / firstHeads : 0);
        int valueLength = optionalInt("attention.value_length", 1, MAX_WIDTH)
                .orElse(firstHeads > 0 ? hidden / firstHeads : 0);
        int keyLengthSwa = optionalInt("attention.key_length_swa", 1, MAX_WIDTH).orElse(keyLength);
        int valueLengthSwa = optionalInt("attention.value_length_swa", 1, MAX_WIDTH).orElse(valueLength);
        boolean[] recurrent = recurrentLayers(blockCount, trunk, kvHeads, feedForward);
        int window = slidingWindow();
        boolean[] sliding = slidingLayers(blockCount, trunk, window);

        ModelSpec.Builder builder = ModelSpec.builder(name).architecture(arch).hiddenSize(hidden)
                .vocabularySize(vocabulary).maxContextTokens(context).tiedEmbeddings(!has(OUTPUT));
        if (arch.equals("gpt-oss")) {
            builder.checkpointFormat(CheckpointFormat.MXFP4_EXPERTS);
        }
        FeedForwardRule ffn = new FeedForwardRule(feedForward);
        for (int i = 0; i < blockCount; i++) {
            MixerBlock attention;
            if (recurrent[i]) {
                attention = recurrentMixer();
            } else if (arch.equals("nemotron_h") && feedForward[i] > 0) {
                attention = NoAttention.INSTANCE;
            } else if (arch.equals("deepseek2")) {
                attention = latentAttention(i, heads[i], kvHeads[i], keyLength, valueLength);
            } else {
                attention = attention(i, heads[i], kvHeads[i], sliding[i] ? keyLengthSwa : keyLength,
                        sliding[i] ? valueLengthSwa : valueLength, sliding[i] ? window : 0);
            }
            FeedForwardBlock feedForwardBlock = ffn.block(i, attention);
            Layer layer = layer(attention, feedForwardBlock, i);
            if (i < trunk) {
                builder.addLayer(layer);
            } else {
                builder.addNextTokenPredictionLayer(layer);
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            throw new GgufFormatException(offsetOf("context_length"), "hyperparameters of '" + arch
                    + "': " + e.getMessage());
        }
    }

    private Layer layer(MixerBlock attention, FeedForwardBlock feedForward, int i) throws GgufFormatException {
        try {
            return Layer.of(attention, feedForward);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(offsetOf("feed_forward_length"), "layer " + i + " of '" + arch
                    + "': neither a mixer nor a feed-forward block (expected: at least one, from "
                    + key("attention.head_count_kv") + " and " + key("feed_forward_length") + ")");
        }
    }

    private int vocabularySize() throws GgufFormatException {
        Optional<GgufTensorInfo> embedding = file.tensor(TOKEN_EMBD);
        if (embedding.isPresent() && embedding.get().shape().size() >= 2) {
            long rows = embedding.get().shape().get(1);
            if (rows > Integer.MAX_VALUE) {
                throw new GgufFormatException(embedding.get().infoOffset(), "vocabulary of token_embd.weight: " + rows
                        + " rows (expected: at most " + Integer.MAX_VALUE + ")");
            }
            return (int) rows;
        }
        OptionalInt stated = optionalInt("vocab_size", 1, Integer.MAX_VALUE);
        if (stated.isPresent()) {
            return stated.getAsInt();
        }
        Optional<GgufKeyValue> tokens = file.entry("tokenizer.ggml.tokens");
        if (tokens.isPresent() && tokens.get().value() instanceof GgufValue.ArrayValue) {
            long length = ((GgufValue.ArrayValue) tokens.get().value()).length();
            if (length >= 1 && length <= Integer.MAX_VALUE) {
                return (int) length;
            }
        }
        throw new GgufFormatException(metadataEnd, "vocabulary size: missing (expected: a token_embd.weight tensor, "
                + key("vocab_size") + " or tokenizer.ggml.tokens)");
    }

    private boolean[] recurrentLayers(int blockCount, int trunk, int[] kvHeads, int[] feedForward)
            throws GgufFormatException {
        boolean[] recurrent = new boolean[blockCount];
        switch (arch) {
            case "qwen3next":
            case "qwen35":
            case "qwen35moe":
                Optional<GgufKeyValue> explicit = file.entry(key("attention.recurrent_layers"));
                if (explicit.isPresent()) {
                    int[] flags = perLayer("attention.recurrent_layers", blockCount, null);
                    for (int i = 0; i < trunk; i++) {
                        recurrent[i] = flags[i] != 0;
                    }
                } else {
                    int interval = optionalInt("full_attention_interval", 1, MAX_LAYERS).orElse(4);
                    for (int i = 0; i < trunk; i++) {
                        recurrent[i] = (i + 1) % interval != 0;
                    }
                }
                break;
            case "mamba2":
                java.util.Arrays.fill(recurrent, 0, trunk, true);
                break;
            case "nemotron_h":
                for (int i = 0; i < trunk; i++) {
                    recurrent[i] = kvHeads[i] == 0 && feedForward[i] == 0;
                }
                break;
            case "granitehybrid":
                for (int i = 0; i < trunk; i++) {
                    recurrent[i] = kvHeads[i] == 0;
                }
                break;
            default:
                break;
        }
        return recurrent;
    }

    private int slidingWindow() throws GgufFormatException {
        switch (arch) {
            case "gemma2":
                return optionalInt("attention.sliding_window", 1, MAX_CONTEXT).orElse(4096);
            case "gemma3":
                return optionalInt("attention.sliding_window", 0, MAX_CONTEXT).orElse(0);
            case "gpt-oss":
            case "cohere2":
                return requireInt("attention.sliding_window", 1, MAX_CONTEXT);
            case "olmo2":
                return optionalInt("attention.sliding_window", 0, MAX_CONTEXT).orElse(0);
            case "llama4":
                // a stated window of 0 turns chunking off; any other value is ignored for the fixed chunk
                OptionalInt stated = optionalInt("attention.sliding_window", 0, MAX_CONTEXT);
                return stated.isPresent() && stated.getAsInt() == 0 ? 0 : LLAMA4_CHUNK;
            default:
                return 0;
        }
    }

    private boolean[] slidingLayers(int blockCount, int trunk, int window) throws GgufFormatException {
        boolean[] sliding = new boolean[blockCount];
        if (window == 0) {
            return sliding;
        }
        String patternKey = "attention.sliding_window_pattern";
        Optional<GgufKeyValue> entry = file.entry(key(patternKey));
        if (entry.isPresent() && entry.get().value() instanceof GgufValue.ArrayValue) {
            int[] flags = perLayer(patternKey, blockCount, null);
            for (int i = 0; i < trunk; i++) {
                sliding[i] = flags[i] != 0;
            }
            return sliding;
        }
        int period = optionalInt(patternKey, 0, MAX_LAYERS)
                .orElse(arch.equals("gemma3") ? 6
                        : arch.equals("olmo2") || arch.equals("cohere2") || arch.equals("llama4") ? 4 : 2);
        for (int i = 0; i < trunk; i++) {
            sliding[i] = period == 0 || i % period < period - 1;
        }
        return sliding;
    }

    private MixerBlock attention(int i, int heads, int kvHeads, int keyLength, int valueLength, int window)
            throws GgufFormatException {
        boolean qkNorm = has(blk(i, ATTN_Q_NORM));
        boolean qkvBias = has(blk(i, ATTN_Q_BIAS)) || has(blk(i, ATTN_QKV_BIAS));
        boolean outputGate = arch.startsWith("qwen3next") || arch.startsWith("qwen35");
        try {
            if (window > 0) {
                return new SlidingWindowAttention(heads, kvHeads, keyLength, valueLength, window, qkNorm, qkvBias);
            }
            return new FullAttention(heads, kvHeads, keyLength, valueLength, outputGate, qkNorm, qkvBias);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(offsetOf(file.entry(key("attention.head_count_kv")).isPresent()
                    ? "attention.head_count_kv" : "attention.head_count"),
                    "attention of layer " + i + " of '" + arch + "': " + e.getMessage());
        }
    }

    private MixerBlock latentAttention(int i, int heads, int kvHeads, int keyLength, int valueLength)
            throws GgufFormatException {
        OptionalInt keyMla = optionalInt("attention.key_length_mla", 1, MAX_WIDTH);
        OptionalInt valueMla = optionalInt("attention.value_length_mla", 1, MAX_WIDTH);
        if (keyMla.isEmpty() || valueMla.isEmpty()) {
            // Files converted before the *_mla keys cache full per-head K and V, as plain attention does.
            return attention(i, heads, kvHeads, keyLength, valueLength, 0);
        }
        int kvLoraRank = requireInt("attention.kv_lora_rank", 1, MAX_WIDTH);
        int qLoraRank = optionalInt("attention.q_lora_rank", 0, MAX_WIDTH).orElse(0);
        int ropeDim = optionalInt("rope.dimension_count", 1, MAX_WIDTH).orElse(keyLength);
        if (keyLength != kvLoraRank + ropeDim) {
            throw new GgufFormatException(offsetOf("attention.key_length"), key("attention.key_length") + ": "
                    + keyLength + " (expected: kv_lora_rank + rope.dimension_count = " + (kvLoraRank + ropeDim)
                    + ", the latent MLA caches)");
        }
        if (kvHeads != 1) {
            throw new GgufFormatException(offsetOf("attention.head_count_kv"), key("attention.head_count_kv")
                    + " of layer " + i + ": " + kvHeads + " (expected: 1, the shared latent of MLA)");
        }
        int nopeDim = keyMla.getAsInt() - ropeDim;
        try {
            return new LatentAttention(heads, qLoraRank, kvLoraRank, ropeDim, nopeDim, valueMla.getAsInt());
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(offsetOf("attention.key_length_mla"),
                    "latent attention of layer " + i + " of '" + arch + "': " + e.getMessage());
        }
    }

    private MixerBlock recurrentMixer() throws GgufFormatException {
        int convKernel = requireInt("ssm.conv_kernel", 1, MAX_WIDTH);
        int inner = requireInt("ssm.inner_size", 1, MAX_WIDTH);
        int state = requireInt("ssm.state_size", 1, MAX_WIDTH);
        int timeStepRank = requireInt("ssm.time_step_rank", 1, MAX_WIDTH);
        int groups = requireInt("ssm.group_count", 1, MAX_WIDTH);
        if (inner % timeStepRank != 0) {
            throw new GgufFormatException(offsetOf("ssm.inner_size"), key("ssm.inner_size") + ": " + inner
                    + " (expected: a multiple of ssm.time_step_rank = " + timeStepRank + ", the head count)");
        }
        try {
            if (arch.startsWith("qwen3")) {
                return new GatedDeltaNet(groups, timeStepRank, state, inner / timeStepRank, convKernel);
            }
            return new Mamba2(timeStepRank, inner / timeStepRank, state, groups, convKernel);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(offsetOf("ssm.group_count"), "recurrent mixer of '" + arch + "': "
                    + e.getMessage());
        }
    }

    /** Chooses and builds the feed-forward block of each layer. */
    private final class FeedForwardRule {
        private final int[] feedForward;

        FeedForwardRule(int[] feedForward) {
            this.feedForward = feedForward;
        }

        FeedForwardBlock block(int i, MixerBlock attention) throws GgufFormatException {
            switch (arch) {
                case "mamba2":
                    return NoFeedForward.INSTANCE;
                case "nemotron_h":
                    if (feedForward[i] == 0) {
                        return NoFeedForward.INSTANCE;
                    }
                    return expertCount() > 0 ? experts(i) : dense(i);
                case "deepseek2":
                case "glm4moe":
                    int leading = optionalInt("leading_dense_block_count", 0, MAX_LAYERS).orElse(0);
                    return i < leading ? dense(i) : experts(i);
                case "qwen3next":
                case "qwen35moe":
                    return experts(i);
                case "qwen35":
                    return dense(i);
                case "llama4":
                    int step = requireInt("interleave_moe_layer_step", 1, MAX_LAYERS);
                    return (i + 1) % step == 0 ? experts(i) : dense(i);
                default:
                    return expertCount() > 0 ? experts(i) : dense(i);
            }
        }

        private int expertCount() throws GgufFormatException {
            return optionalInt("expert_count", 0, MAX_EXPERTS).orElse(0);
        }

        private FeedForwardBlock dense(int i) throws GgufFormatException {
            if (feedForward[i] < 1) {
                throw new GgufFormatException(offsetOf("feed_forward_length"), key("feed_forward_length")
                        + " of layer " + i + ": " + feedForward[i] + " (expected: >= 1 for a dense feed-forward layer)");
            }
            boolean gated = has(blk(i, FFN_UP))
                    ? has(blk(i, FFN_GATE)) || arch.equals("phi3")
                    : !arch.equals("nemotron_h");
            return new DenseFeedForward(feedForward[i], gated);
        }

        private FeedForwardBlock experts(int i) throws GgufFormatException {
            int experts = requireInt("expert_count", 2, MAX_EXPERTS);
            int used = requireInt("expert_used_count", 1, experts);
            boolean derivedWidth = arch.equals("glm4moe") || arch.equals("nemotron_h");
            // llama.cpp's minimax-m2 loader shapes the experts by feed_forward_length, which its converter sets to the
            // expert width (src/models/minimax-m2.cpp, load_arch_tensors)
            OptionalInt stated = arch.equals("minimax-m2") && feedForward[i] > 0 ? OptionalInt.of(feedForward[i])
                    : optionalInt("expert_feed_forward_length", 1, MAX_WIDTH);
            int expertSize = stated.isPresent() ? stated.getAsInt()
                    : derivedWidth ? feedForward[i] / used : feedForward[i];
            if (expertSize < 1) {
                throw new GgufFormatException(offsetOf("feed_forward_length"), key("expert_feed_forward_length")
                        + ": missing, and " + key("feed_forward_length") + " of layer " + i + " gives "
                        + expertSize + " (expected: an expert width >= 1)");
            }
            OptionalInt sharedWidth = optionalInt("expert_shared_feed_forward_length", 0, MAX_WIDTH);
            int shared;
            if (arch.equals("llama4")) {
                // one shared expert as wide as a routed one, whatever the file says (llama.cpp load_tensors,
                // LLM_ARCH_LLAMA4: n_ff_shexp = n_ff_exp)
                shared = expertSize;
            } else if (sharedWidth.isPresent()) {
                shared = sharedWidth.getAsInt();
            } else {
                long count = optionalInt("expert_shared_count", 0, MAX_EXPERTS).orElse(0);
                if (count * expertSize > MAX_WIDTH) {
                    throw new GgufFormatException(offsetOf("expert_shared_count"), key("expert_shared_count") + ": "
                            + count + " (expected: a shared width of at most " + MAX_WIDTH + ")");
                }
                shared = (int) (count * expertSize);
            }
            boolean gated = has(blk(i, FFN_UP_EXPS))
                    ? has(blk(i, FFN_GATE_EXPS)) || has(blk(i, FFN_GATE_UP_EXPS))
                    : !arch.equals("nemotron_h");
            boolean biased = has(blk(i, FFN_GATE_INP_BIAS)) || has(blk(i, FFN_UP_EXPS_BIAS));
            return new MixtureOfExperts(experts, used, expertSize, shared, gated, biased);
        }
    }

    private void checkAgainstTensorTable(ModelSpec spec) throws GgufFormatException {
        checkBlockCount(spec.layers().size() + spec.nextTokenPredictionLayers().size());
        for (Tensor expected : spec.tensors()) {
            Optional<GgufTensorInfo> found = file.tensor(expected.name());
            if (found.isEmpty() || found.get().elements() == expected.elements()) {
                continue;
            }
            GgufTensorInfo actual = found.get();
            throw new GgufFormatException(actual.infoOffset(), "shape of tensor '" + actual.name() + "': "
                    + actual.shape() + " (expected: " + expected.elements() + " elements, [" + expected.ne0() + ", "
                    + expected.ne1() + (expected.dimensions() > 2 ? ", " + expected.ne2() : "")
                    + "], as the metadata of '" + arch + "' gives it)");
        }
    }

    /**
     * Checks that no tensor belongs to a layer at or beyond {@code block_count}: llama.cpp creates the tensors of
     * {@code block_count} layers only and refuses a file with tensors it did not create ("wrong number of tensors",
     * {@code src/llama-model-loader.cpp}), and the placements index layers by the spec's count.
     */
    private void checkBlockCount(int blockCount) throws GgufFormatException {
        GgufTensorInfo highest = null;
        int highestLayer = -1;
        for (GgufTensorInfo info : file.tensors()) {
            int layer = TensorNames.layerOf(info.name());
            if (layer > highestLayer) {
                highestLayer = layer;
                highest = info;
            }
        }
        if (highestLayer >= blockCount) {
            throw new GgufFormatException(offsetOf("block_count"), key("block_count") + ": " + blockCount
                    + " (expected: " + (highestLayer + 1) + ", the layers of the tensor table, whose tensor '"
                    + highest.name() + "' at byte " + highest.infoOffset() + " is in layer " + highestLayer
                    + "; llama.cpp refuses tensors of layers beyond block_count)");
        }
    }

    // ---- metadata access, each failure naming the entry's offset ----

    private long offsetOf(String suffix) {
        return file.entry(key(suffix)).map(GgufKeyValue::offset).orElse(metadataEnd);
    }

    private int requireInt(String suffix, int min, int max) throws GgufFormatException {
        OptionalInt value = optionalInt(suffix, min, max);
        if (value.isEmpty()) {
            throw new GgufFormatException(metadataEnd, key(suffix) + ": missing (expected: an integer from " + min
                    + " to " + max + ", which architecture '" + arch + "' requires)");
        }
        return value.getAsInt();
    }

    private OptionalInt optionalInt(String suffix, int min, int max) throws GgufFormatException {
        Optional<GgufKeyValue> entry = file.entry(key(suffix));
        if (entry.isEmpty()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(checkedInt(entry.get(), entry.get().value(), suffix, min, max));
    }

    private int checkedInt(GgufKeyValue entry, GgufValue value, String what, int min, int max)
            throws GgufFormatException {
        if (value instanceof GgufValue.IntegerValue && ((GgufValue.IntegerValue) value).isBetween(min, max)) {
            return (int) ((GgufValue.IntegerValue) value).value();
        }
        if (value instanceof GgufValue.BoolValue && min <= 1 && max >= 1) {
            return ((GgufValue.BoolValue) value).value() ? 1 : 0;
        }
        throw new GgufFormatException(entry.offset(), key(what) + ": " + GgufFormatException.shown(value) + " of type "
                + value.type() + " (expected: an integer from " + min + " to " + max + ")");
    }

    /**
     * Reads a value that is one integer for every layer or an array of one per layer ({@code get_key_or_arr}), each
     * from 0 to {@link #MAX_WIDTH}; absent, it is {@code absent} (or all 0 when that is null).
     */
    private int[] perLayer(String suffix, int layers, int[] absent) throws GgufFormatException {
        Optional<GgufKeyValue> found = file.entry(key(suffix));
        if (found.isEmpty()) {
            return absent != null ? absent.clone() : new int[layers];
        }
        GgufKeyValue entry = found.get();
        int[] values = new int[layers];
        if (entry.value() instanceof GgufValue.ArrayValue) {
            GgufValue.ArrayValue array = (GgufValue.ArrayValue) entry.value();
            if (array.length() != layers || !array.isKept()) {
                throw new GgufFormatException(entry.offset(), key(suffix) + ": an array of " + array.length()
                        + " elements (expected: one per layer, block_count = " + layers + ")");
            }
            List<GgufValue> elements = array.elements();
            for (int i = 0; i < layers; i++) {
                values[i] = checkedInt(entry, elements.get(i), suffix + "[" + i + "]", 0, MAX_WIDTH);
            }
            return values;
        }
        java.util.Arrays.fill(values, checkedInt(entry, entry.value(), suffix, 0, MAX_WIDTH));
        return values;
    }
}
