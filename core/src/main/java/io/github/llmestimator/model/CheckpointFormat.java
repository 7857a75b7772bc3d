package io.github.llmestimator.model;

/**
 * How a model's publisher stores its weights in the official checkpoint. The quantization schemes that keep a model
 * "as published" read this, and so does llama.cpp's converter: it keeps MXFP4 experts as MXFP4 in every GGUF file type.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum CheckpointFormat {
    /** Every weight in BF16 (most models). */
    BF16,
    /** Linear weights in FP8 E4M3 with block scales, embeddings and norms in BF16 (DeepSeek-V3, Kimi K2). */
    FP8,
    /** Routed experts in MXFP4, everything else in BF16 (gpt-oss). */
    MXFP4_EXPERTS
}
