package io.github.llmestimator.gguf;

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
import io.github.llmestimator.model.SlidingWindowAttention;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.quant.QuantizedWeights;
import io.github.llmestimator.quant.TensorAssignment;
import io.github.llmestimator.quant.TensorType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Writes GGUF headers for tests, as llama.cpp's converter lays them out: magic, version, counts, metadata, tensor
 * table with each data offset the end of the previous tensor padded to the alignment, then padding to the alignment.
 * No tensor data is written unless asked for.
 *
 * <p>{@link #forModel(ModelSpec, QuantizedWeights)} writes the {@code <arch>.*} keys of a spec the way
 * {@code convert_hf_to_gguf.py} writes them for each architecture, and its tensor table from the assigned types.
 *
 * <p>Public, with the few methods the benchmarks module uses, so that the benchmarks live in their own package.
 */
public final class GgufWriter {

    private final List<byte[]> entries = new ArrayList<>();
    private final List<Object[]> tensors = new ArrayList<>();
    private int version = 3;
    private long alignment = 32;

    /** Creates an empty header: no metadata, no tensors, version 3, alignment 32. */
    public GgufWriter() {
    }

    GgufWriter version(int version) {
        this.version = version;
        return this;
    }

    GgufWriter alignment(int alignment) {
        this.alignment = alignment;
        return u32("general.alignment", alignment);
    }

    private GgufWriter entry(String key, int type, Out value) {
        Out out = new Out();
        out.string(key);
        out.i32(type);
        out.bytes(value.toByteArray());
        entries.add(out.toByteArray());
        return this;
    }

    GgufWriter u8(String key, int value) {
        Out v = new Out();
        v.u8(value);
        return entry(key, 0, v);
    }

    GgufWriter u32(String key, long value) {
        Out v = new Out();
        v.i32((int) value);
        return entry(key, 4, v);
    }

    GgufWriter i32(String key, int value) {
        Out v = new Out();
        v.i32(value);
        return entry(key, 5, v);
    }

    GgufWriter f32(String key, float value) {
        Out v = new Out();
        v.i32(Float.floatToIntBits(value));
        return entry(key, 6, v);
    }

    GgufWriter bool(String key, boolean value) {
        Out v = new Out();
        v.u8(value ? 1 : 0);
        return entry(key, 7, v);
    }

    GgufWriter string(String key, String value) {
        Out v = new Out();
        v.string(value);
        return entry(key, 8, v);
    }

    GgufWriter u64(String key, long value) {
        Out v = new Out();
        v.i64(value);
        return entry(key, 10, v);
    }

    GgufWriter f64(String key, double value) {
        Out v = new Out();
        v.i64(Double.doubleToLongBits(value));
        return entry(key, 12, v);
    }

    /** Writes an array of 32-bit integers ({@code UINT32} when {@code unsigned}, else {@code INT32}). */
    GgufWriter u32Array(String key, int[] values) {
        Out v = new Out();
        v.i32(4);
        v.i64(values.length);
        for (int value : values) {
            v.i32(value);
        }
        return entry(key, 9, v);
    }

    GgufWriter i32Array(String key, int[] values) {
        Out v = new Out();
        v.i32(5);
        v.i64(values.length);
        for (int value : values) {
            v.i32(value);
        }
        return entry(key, 9, v);
    }

    GgufWriter boolArray(String key, boolean[] values) {
        Out v = new Out();
        v.i32(7);
        v.i64(values.length);
        for (boolean value : values) {
            v.u8(value ? 1 : 0);
        }
        return entry(key, 9, v);
    }

    public GgufWriter f32Array(String key, int length) {
        Out v = new Out();
        v.i32(6);
        v.i64(length);
        for (int i = 0; i < length; i++) {
            v.i32(Float.floatToIntBits(-i));
        }
        return entry(key, 9, v);
    }

    public GgufWriter stringArray(String key, int length, IntFunction<String> element) {
        Out v = new Out();
        v.i32(8);
        v.i64(length);
        for (int i = 0; i < length; i++) {
            v.string(element.apply(i));
        }
        return entry(key, 9, v);
    }

    GgufWriter tensor(String name, TensorType type, long... shape) {
        tensors.add(new Object[] {name, type, shape.clone()});
        return this;
    }

    /** Returns the header, padded to the alignment, without tensor data. */
    public byte[] toBytes() {
        return toBytes(false);
    }

    /** Returns the header and, when {@code withData}, zeroed tensor data of the stated sizes. */
    byte[] toBytes(boolean withData) {
        return toBytes(withData, null);
    }

    /**
     * Returns the header and tensor data: F32 tensors hold small values drawn from {@code random} (so that a
     * quantizer has something to quantize), other types zero blocks, which every type decodes.
     */
    byte[] toBytes(Random random) {
        return toBytes(true, random);
    }

    private byte[] toBytes(boolean withData, Random random) {
        Out out = new Out();
        out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.i32(version);
        out.i64(tensors.size());
        out.i64(entries.size());
        entries.forEach(out::bytes);
        long offset = 0;
        for (Object[] t : tensors) {
            long[] shape = (long[]) t[2];
            out.string((String) t[0]);
            out.i32(shape.length);
            for (long d : shape) {
                out.i64(d);
            }
            TensorType type = (TensorType) t[1];
            out.i32(type.ggmlId().orElseThrow());
            out.i64(offset);
            offset += pad(bytes(type, shape), alignment);
        }
        while (out.size() % alignment != 0) {
            out.u8(0);
        }
        if (withData) {
            for (Object[] t : tensors) {
                long bytes = bytes((TensorType) t[1], (long[]) t[2]);
                if (random != null && t[1] == TensorType.F32) {
                    for (long i = 0; i < bytes / 4; i++) {
                        out.i32(Float.floatToIntBits((random.nextFloat() - 0.5f) * 0.1f));
                    }
                } else {
                    out.bytes(new byte[(int) bytes]);
                }
                out.bytes(new byte[(int) (pad(bytes, alignment) - bytes)]);
            }
        }
        return out.toByteArray();
    }

    static long bytes(TensorType type, long[] shape) {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        long rowLength = shape.length == 0 ? 1 : shape[0];
        return type.tensorBytes(rowLength, elements / rowLength);
    }

    private static long pad(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** Little-endian output. */
    private static final class Out extends ByteArrayOutputStream {
        void u8(int v) {
            write(v);
        }

        void i32(int v) {
            for (int i = 0; i < 4; i++) {
                write(v >>> (8 * i));
            }
        }

        void i64(long v) {
            for (int i = 0; i < 8; i++) {
                write((int) (v >>> (8 * i)));
            }
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            bytes(b);
        }
    }

    // ---- a spec written as the converter writes it ----

    /** Writes the metadata and tensor table of a spec with the types of {@code weights}, tokenizer included. */
    static GgufWriter forModel(ModelSpec spec, QuantizedWeights weights) {
        return forModel(spec, weights, true);
    }

    /**
     * Writes the metadata and tensor table of a spec with a vocabulary llama.cpp loads: a SentencePiece ({@code llama})
     * vocabulary with scores and token types, {@code <unk>}, {@code <s>}, {@code </s>}, the newline byte token and
     * {@code <|endoftext|>} first (a BPE vocabulary would also need merges).
     */
    static GgufWriter forLlamaCpp(ModelSpec spec, QuantizedWeights weights) {
        GgufWriter w = forModel(spec, weights, false);
        int n = spec.vocabularySize();
        // llama.cpp's vocabulary loader looks up <|endoftext|> by name for models named phi3
        String[] special = {"<unk>", "<s>", "</s>", "<0x0A>", "<|endoftext|>"};
        int[] kinds = {2, 3, 3, 6, 3};
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = i < kinds.length ? kinds[i] : 1;
        }
        w.string("tokenizer.ggml.model", "llama");
        w.stringArray("tokenizer.ggml.tokens", n, i -> i < special.length ? special[i] : "tok" + i);
        w.f32Array("tokenizer.ggml.scores", n);
        w.i32Array("tokenizer.ggml.token_type", types);
        w.u32("tokenizer.ggml.unknown_token_id", 0);
        w.u32("tokenizer.ggml.bos_token_id", 1);
        w.u32("tokenizer.ggml.eos_token_id", 2);
        return w;
    }

    public static GgufWriter forModel(ModelSpec spec, QuantizedWeights weights, boolean withTokens) {
        String arch = spec.architecture();
        GgufWriter w = new GgufWriter();
        w.string("general.architecture", arch);
        w.string("general.type", "model");
        w.string("general.name", spec.name());
        w.u32("general.quantization_version", 2);
        if (weights.scheme().llamaFileType().isPresent()) {
            w.u32("general.file_type", weights.scheme().llamaFileType().getAsInt());
        }
        List<Layer> all = new ArrayList<>(spec.layers());
        all.addAll(spec.nextTokenPredictionLayers());
        int n = all.size();
        String a = arch + ".";
        w.u32(a + "block_count", n);
        w.u32(a + "context_length", spec.maxContextTokens());
        w.u32(a + "embedding_length", spec.hiddenSize());
        if (!spec.nextTokenPredictionLayers().isEmpty()) {
            w.u32(a + "nextn_predict_layers", spec.nextTokenPredictionLayers().size());
        }
        w.f32(a + "attention.layer_norm_rms_epsilon", 1e-6f);
        w.f32(a + "rope.freq_base", 1_000_000f);
        boolean hybrid = arch.equals("nemotron_h") || arch.equals("granitehybrid");
        if (arch.equals("nemotron_h")) {
            w.f32(a + "attention.layer_norm_epsilon", 1e-5f);
        }
        if (arch.equals("granite") || arch.equals("cohere2")) {
            // llama.cpp's granite and cohere2 loaders require the logits multiplier (src/models/<arch>.cpp)
            w.f32(a + "logit_scale", 0.25f);
        }
        if (arch.equals("cohere2")) {
            w.f32(a + "attention.layer_norm_epsilon", 1e-5f);
        }
        if (arch.equals("minimax-m2")) {
            // the converter writes scoring_func "sigmoid" as gguf's ExpertGatingFuncType.SIGMOID (2); llama.cpp's graph
            // aborts on the default
            w.u32(a + "expert_gating_func", 2);
        }
        if (arch.equals("glm4moe")) {
            // the converter writes norm_topk_prob (true for GLM-4.5/4.6) as expert_weights_norm
            w.bool(a + "expert_weights_norm", true);
        }
        if (arch.equals("qwen35") || arch.equals("qwen35moe")) {
            w.u32Array(a + "rope.dimension_sections", new int[] {11, 11, 10, 0});
        }
        writeAttention(w, a, all, hybrid);
        writeFeedForward(w, a, arch, all);
        writeRecurrent(w, a, all);
        if (withTokens) {
            w.string("tokenizer.ggml.model", "gpt2");
            w.stringArray("tokenizer.ggml.tokens", spec.vocabularySize(), i -> "tok" + i);
            w.u32("tokenizer.ggml.bos_token_id", 1);
        }
        for (TensorAssignment assignment : weights.assignments()) {
            Tensor t = assignment.tensor();
            long[] shape = t.dimensions() == 1 ? new long[] {t.ne0()}
                    : t.dimensions() == 2 ? new long[] {t.ne0(), t.ne1()} : new long[] {t.ne0(), t.ne1(), t.ne2()};
            w.tensor(t.name(), (TensorType) assignment.type(), shape);
        }
        return w;
    }

    private static void writeAttention(GgufWriter w, String a, List<Layer> all, boolean hybrid) {
        int n = all.size();
        int[] heads = new int[n];
        int[] kvHeads = new int[n];
        MixerBlock first = null;
        int window = 0;
        int firstFull = -1;
        boolean anySliding = false;
        for (int i = 0; i < n; i++) {
            MixerBlock block = all.get(i).mixer();
            heads[i] = block.queryHeads();
            kvHeads[i] = block.keyValueHeads();
            if (block.hasKvCache() && first == null) {
                first = block;
            }
            if (block instanceof SlidingWindowAttention) {
                window = block.slidingWindowTokens();
                anySliding = true;
            } else if (block.hasKvCache() && firstFull < 0) {
                firstFull = i;
            }
        }
        if (first == null) {
            return;
        }
        if (hybrid) {
            // one head count for every layer: llama.cpp derives the key length of the attention layers from it
            w.u32(a + "attention.head_count", first.queryHeads());
            w.u32Array(a + "attention.head_count_kv", kvHeads);
        } else {
            w.u32(a + "attention.head_count", first.queryHeads());
            w.u32(a + "attention.head_count_kv", first.keyValueHeads());
        }
        if (first instanceof LatentAttention) {
            LatentAttention mla = (LatentAttention) first;
            w.u32(a + "attention.key_length", mla.kvLoraRank() + mla.ropeDim());
            w.u32(a + "attention.value_length", mla.kvLoraRank());
            w.u32(a + "attention.key_length_mla", mla.nopeDim() + mla.ropeDim());
            w.u32(a + "attention.value_length_mla", mla.valueDim());
            if (mla.qLoraRank() > 0) {
                w.u32(a + "attention.q_lora_rank", mla.qLoraRank());
            }
            w.u32(a + "attention.kv_lora_rank", mla.kvLoraRank());
            w.u32(a + "rope.dimension_count", mla.ropeDim());
        } else if (first instanceof FullAttention) {
            w.u32(a + "attention.key_length", ((FullAttention) first).keyLength());
            w.u32(a + "attention.value_length", ((FullAttention) first).valueLength());
        } else {
            w.u32(a + "attention.key_length", ((SlidingWindowAttention) first).keyLength());
            w.u32(a + "attention.value_length", ((SlidingWindowAttention) first).valueLength());
        }
        if (anySliding) {
            w.u32(a + "attention.sliding_window", window);
            // layer il slides iff il % p < p - 1: the first full layer is p - 1
            w.u32(a + "attention.sliding_window_pattern", firstFull + 1);
        } else if (a.equals("llama4.")) {
            // without the key llama.cpp chunks Llama 4's attention; 0 turns it off
            w.u32(a + "attention.sliding_window", 0);
        }
    }

    private static void writeFeedForward(GgufWriter w, String a, String arch, List<Layer> all) {
        int n = all.size();
        int[] widths = new int[n];
        int dense = 0;
        int leadingDense = 0;
        boolean leading = true;
        MixtureOfExperts moe = null;
        for (int i = 0; i < n; i++) {
            FeedForwardBlock block = all.get(i).feedForward();
            if (block instanceof DenseFeedForward) {
                widths[i] = ((DenseFeedForward) block).intermediateSize();
                dense = dense == 0 ? widths[i] : dense;
                leadingDense += leading ? 1 : 0;
            } else if (block instanceof MixtureOfExperts) {
                moe = moe == null ? (MixtureOfExperts) block : moe;
                widths[i] = moe.expertSize();
                leading = false;
            }
        }
        if (arch.equals("nemotron_h")) {
            w.u32Array(a + "feed_forward_length", widths);
        } else if (dense > 0) {
            w.u32(a + "feed_forward_length", dense);
        } else if (moe != null && (arch.equals("llama") || arch.equals("granitehybrid") || arch.equals("minimax-m2"))) {
            w.u32(a + "feed_forward_length", moe.expertSize());
        }
        if (moe == null) {
            return;
        }
        w.u32(a + "expert_count", moe.experts());
        w.u32(a + "expert_used_count", moe.expertsPerToken());
        if (!arch.equals("llama") && !arch.equals("granitehybrid")) {
            w.u32(a + "expert_feed_forward_length", moe.expertSize());
        }
        if (arch.equals("llama4")) {
            // the converter writes the step and no shared width: llama.cpp sizes the shared expert as a routed one
            int firstMoe = 0;
            while (!(all.get(firstMoe).feedForward() instanceof MixtureOfExperts)) {
                firstMoe++;
            }
            w.u32(a + "interleave_moe_layer_step", firstMoe + 1);
        } else if (arch.equals("deepseek2") || arch.equals("glm4moe")) {
            w.u32(a + "leading_dense_block_count", leadingDense);
            w.u32(a + "expert_shared_count", moe.sharedSize() / moe.expertSize());
        } else if (moe.sharedSize() > 0) {
            w.u32(a + "expert_shared_feed_forward_length", moe.sharedSize());
        }
    }

    private static void writeRecurrent(GgufWriter w, String a, List<Layer> all) {
        int firstFull = -1;
        MixerBlock recurrent = null;
        for (int i = 0; i < all.size(); i++) {
            MixerBlock block = all.get(i).mixer();
            if (block.isRecurrent()) {
                recurrent = recurrent == null ? block : recurrent;
            } else if (block.hasKvCache() && firstFull < 0) {
                firstFull = i;
            }
        }
        if (recurrent instanceof GatedDeltaNet) {
            GatedDeltaNet d = (GatedDeltaNet) recurrent;
            w.u32(a + "ssm.conv_kernel", d.convKernel());
            w.u32(a + "ssm.state_size", d.keyHeadDim());
            w.u32(a + "ssm.group_count", d.keyHeads());
            w.u32(a + "ssm.time_step_rank", d.valueHeads());
            w.u32(a + "ssm.inner_size", d.valueHeads() * d.valueHeadDim());
            w.u32(a + "full_attention_interval", firstFull + 1);
        } else if (recurrent instanceof Mamba2) {
            Mamba2 m = (Mamba2) recurrent;
            w.u32(a + "ssm.conv_kernel", m.convKernel());
            w.u32(a + "ssm.state_size", m.stateSize());
            w.u32(a + "ssm.group_count", m.groups());
            w.u32(a + "ssm.time_step_rank", m.heads());
            w.u32(a + "ssm.inner_size", m.heads() * m.headDim());
        }
    }
}
