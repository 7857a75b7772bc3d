package io.github.llmestimator.quant;

import io.github.llmestimator.model.ModelSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a user picks when choosing how to store a model: a llama.cpp GGUF file type (Q4_K_M, IQ4_XS, ...) or a
 * checkpoint format served by vLLM-style runtimes (FP8, AWQ/GPTQ INT4, NVFP4, the publisher's native format).
 *
 * <p>A scheme is a rule that gives each tensor of a model's inventory its {@link StorageType}. GGUF file types follow
 * llama.cpp's {@code llama_tensor_get_type} ({@code src/llama-quant.cpp}, 2026): tensors that are not 2-D or 3-D
 * weights, norms, MoE routers and convolution kernels stay F32; the output head gets more bits; the
 * {@code use_more_bits} layers of {@code attn_v} and {@code ffn_down} get more bits in the _M schemes; models with 8
 * experts (Mixtral) and 80-layer GQA Llamas get the documented bumps; and a row length that is not a multiple of the
 * chosen block falls back to a type whose block divides it. MXFP4 experts of a model published that way (gpt-oss)
 * keep MXFP4 in every GGUF file type, as llama.cpp's converter writes them. Falcon's special rules are not modelled.
 *
 * <p>Checkpoint schemes quantize the linear layers (attention, recurrent, feed-forward and expert projections) and keep
 * embeddings, output head, routers, norms and small tensors in BF16, as AutoAWQ, AutoGPTQ, llm-compressor and
 * TensorRT Model Optimizer checkpoints do.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum QuantScheme {
    /** All weights F32 ({@code LLAMA_FTYPE_ALL_F32}). */
    F32(0, TensorType.F32, Format.GGUF_UNIFORM),
    /** All weights F16 ({@code MOSTLY_F16}); 1-D tensors stay F32. */
    F16(1, TensorType.F16, Format.GGUF_UNIFORM),
    /** All weights BF16 ({@code MOSTLY_BF16}); 1-D tensors stay F32. */
    BF16(32, TensorType.BF16, Format.GGUF_UNIFORM),
    /** 8.5 bits per weight; the output head stays Q8_0. */
    Q8_0(7, TensorType.Q8_0, Format.GGUF),
    /** 6.5625 bits per weight everywhere. */
    Q6_K(18, TensorType.Q6_K, Format.GGUF),
    /** Q5_K with Q6_K for the {@code use_more_bits} layers of attn_v and ffn_down. */
    Q5_K_M(17, TensorType.Q5_K, Format.GGUF),
    /** Q5_K everywhere but the Q6_K output head. */
    Q5_K_S(16, TensorType.Q5_K, Format.GGUF),
    /** Legacy 5.5-bit quant. */
    Q5_0(8, TensorType.Q5_0, Format.GGUF),
    /** Legacy 6-bit quant with minimum. */
    Q5_1(9, TensorType.Q5_1, Format.GGUF),
    /** Q4_K with Q6_K for the {@code use_more_bits} layers of attn_v and ffn_down: the usual default. */
    Q4_K_M(15, TensorType.Q4_K, Format.GGUF),
    /** Q4_K with Q5_K for the first four attn_v and the first eighth of ffn_down. */
    Q4_K_S(14, TensorType.Q4_K, Format.GGUF),
    /** Legacy 4.5-bit quant. */
    Q4_0(2, TensorType.Q4_0, Format.GGUF),
    /** Legacy 5-bit quant with minimum. */
    Q4_1(3, TensorType.Q4_1, Format.GGUF),
    /** Q3_K with Q5_K attn_v, attn_output and ffn_down. */
    Q3_K_L(13, TensorType.Q3_K, Format.GGUF),
    /** Q3_K with Q4_K/Q5_K attn_v, attn_output and ffn_down. */
    Q3_K_M(12, TensorType.Q3_K, Format.GGUF),
    /** Q3_K everywhere but the output head. */
    Q3_K_S(11, TensorType.Q3_K, Format.GGUF),
    /** Q2_K with Q3_K/Q4_K attn_v, attn_output and ffn_down. */
    Q2_K(10, TensorType.Q2_K, Format.GGUF),
    /** Smaller Q2_K (imatrix only in practice). */
    Q2_K_S(21, TensorType.Q2_K, Format.GGUF),
    /** 4.25-bit non-linear quant. */
    IQ4_XS(30, TensorType.IQ4_XS, Format.GGUF),
    /** 4.5-bit non-linear quant with blocks of 32. */
    IQ4_NL(25, TensorType.IQ4_NL, Format.GGUF),
    /** IQ3_S with Q4_K attn_v and attn_output. */
    IQ3_M(27, TensorType.IQ3_S, Format.GGUF),
    /** 3.4375-bit i-quant. */
    IQ3_S(26, TensorType.IQ3_S, Format.GGUF),
    /** IQ3_S with IQ3_XXS attn_q/attn_k and middle-layer gate/up. */
    IQ3_XS(22, TensorType.IQ3_S, Format.GGUF),
    /** 3.0625-bit i-quant (imatrix only in practice). */
    IQ3_XXS(23, TensorType.IQ3_XXS, Format.GGUF),
    /** IQ2_S with IQ3_S attn_output and early ffn_down (imatrix only). */
    IQ2_M(29, TensorType.IQ2_S, Format.GGUF),
    /** IQ2_XS default with IQ3_S extras (imatrix only). */
    IQ2_S(28, TensorType.IQ2_XS, Format.GGUF),
    /** 2.3125-bit i-quant (imatrix only). */
    IQ2_XS(20, TensorType.IQ2_XS, Format.GGUF),
    /** 2.0625-bit i-quant (imatrix only). */
    IQ2_XXS(19, TensorType.IQ2_XXS, Format.GGUF),
    /** 1.75-bit i-quant (imatrix only). */
    IQ1_M(31, TensorType.IQ1_M, Format.GGUF),
    /** 1.5625-bit i-quant (imatrix only). */
    IQ1_S(24, TensorType.IQ1_S, Format.GGUF),
    /** Ternary 1.6875-bit quant. */
    TQ1_0(36, TensorType.TQ1_0, Format.GGUF),
    /** Ternary 2.0625-bit quant. */
    TQ2_0(37, TensorType.TQ2_0, Format.GGUF),
    /** MXFP4 for 3-D expert tensors, Q8_0 for everything else quantizable. */
    MXFP4_MOE(38, TensorType.MXFP4, Format.GGUF),
    /** FP8 E4M3 linear layers (vLLM {@code --quantization fp8}, DeepSeek-V3's own format); the rest BF16. */
    FP8(-1, TensorType.FP8_E4M3, Format.CHECKPOINT),
    /** AWQ: 4-bit linear layers, group 128 with zero points; the rest BF16. */
    AWQ_INT4(-1, GroupQuantizedType.INT4_G128, Format.CHECKPOINT),
    /** GPTQ: 4-bit linear layers, group 128 with zero points; the rest BF16. */
    GPTQ_INT4(-1, GroupQuantizedType.INT4_G128, Format.CHECKPOINT),
    /** NVIDIA NVFP4 linear layers (4.5 bits per weight with scales); the rest BF16. */
    NVFP4(-1, TensorType.NVFP4, Format.CHECKPOINT),
    /**
     * The publisher's own checkpoint format ({@link io.github.llmestimator.model.CheckpointFormat}): BF16 for most
     * models, FP8 linear layers for DeepSeek-V3 and Kimi K2, MXFP4 experts for gpt-oss.
     */
    NATIVE(-1, TensorType.BF16, Format.CHECKPOINT);

    enum Format {
        GGUF, GGUF_UNIFORM, CHECKPOINT
    }

    private final int llamaFileType;
    private final StorageType defaultType;
    private final Format format;

    QuantScheme(int llamaFileType, StorageType defaultType, Format format) {
        this.llamaFileType = llamaFileType;
        this.defaultType = defaultType;
        this.format = format;
    }

    /**
     * Returns the scheme with the given name, ignoring case; {@code FP16} is accepted for {@link #F16}.
     *
     * @param name the name, such as {@code "Q4_K_M"} or {@code "q4_k_m"}, not null
     * @return the scheme
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if no scheme has that name; the message lists the known names
     */
    public static QuantScheme ofName(String name) {
        Objects.requireNonNull(name, "name");
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (key.equals("FP16")) {
            return F16;
        }
        for (QuantScheme scheme : values()) {
            if (scheme.name().equals(key)) {
                return scheme;
            }
        }
        throw new IllegalArgumentException(
                "quantization scheme: '" + name + "' (expected one of " + Arrays.toString(values()) + ")");
    }

    /**
     * Returns the llama.cpp file type id ({@code general.file_type}); empty for a checkpoint scheme, which no GGUF file
     * is.
     *
     * @return the {@code llama_ftype} id, or empty
     */
    public OptionalInt llamaFileType() {
        return llamaFileType < 0 ? OptionalInt.empty() : OptionalInt.of(llamaFileType);
    }

    /**
     * Returns the type most tensors get: the {@code default} type of the llama.cpp file type, or the linear-layer type
     * of a checkpoint scheme.
     *
     * @return the default type, not null
     */
    public StorageType defaultType() {
        return defaultType;
    }

    /**
     * Returns whether this is a llama.cpp GGUF file type.
     *
     * @return true for GGUF file types, false for checkpoint schemes
     */
    public boolean isGguf() {
        return format != Format.CHECKPOINT;
    }

    /**
     * Returns whether llama.cpp refuses to make this file type without an importance matrix (IQ1, IQ2, IQ3_XXS and
     * Q2_K_S), so that published files of this type were all made with one.
     *
     * @return true when an importance matrix is required
     */
    public boolean requiresImportanceMatrix() {
        switch (this) {
            case IQ1_S: case IQ1_M: case IQ2_XXS: case IQ2_XS: case IQ2_S: case IQ2_M: case IQ3_XXS: case Q2_K_S:
                return true;
            default:
                return false;
        }
    }

    Format format() {
        return format;
    }

    /**
     * Assigns a storage type to every tensor of a model, without an importance matrix unless the scheme requires one.
     *
     * @param model the model, not null
     * @return the assignment
     * @throws NullPointerException if {@code model} is null
     * @throws IllegalArgumentException if a tensor cannot be stored in this scheme (a row length no fallback divides)
     */
    public QuantizedWeights assign(ModelSpec model) {
        return assign(model, requiresImportanceMatrix());
    }

    /**
     * Assigns a storage type to every tensor of a model. An importance matrix changes llama.cpp's choices for a few
     * schemes (Q4_0 and Q5_0 bump early ffn_down; IQ4_XS, IQ4_NL and IQ3_XXS drop their no-imatrix bumps); most
     * published GGUF files (bartowski, unsloth, mradermacher i1) were made with one.
     *
     * @param model the model, not null
     * @param importanceMatrix whether the file is made with an importance matrix
     * @return the assignment
     * @throws NullPointerException if {@code model} is null
     * @throws IllegalArgumentException if a tensor cannot be stored in this scheme
     */
    public QuantizedWeights assign(ModelSpec model, boolean importanceMatrix) {
        return TensorClassification.of(Objects.requireNonNull(model, "model")).assign(this, importanceMatrix);
    }
}
