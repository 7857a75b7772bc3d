package io.github.llmestimator.vision;

import java.util.Optional;

/**
 * The vision towers this package knows, each with the projector type llama.cpp writes into its {@code mmproj} file
 * ({@code clip.projector_type}, {@code gguf-py/gguf/constants.py VisionProjectorType}).
 */
public enum VisionTowerKind {
    /**
     * Gemma 3: a SigLIP encoder (learned position embeddings, LayerNorm with bias, GELU MLP with bias), average-pooled
     * to a fixed grid, then an RMS norm and one projection ({@code conversion/gemma.py Gemma3VisionModel}).
     */
    GEMMA3("gemma3"),
    /**
     * Qwen2.5-VL: a ViT with a Conv3d patch embedding split into two 2-D halves, RMS norms, gated SiLU MLP with biases,
     * 2-D rotary positions, and a 2x2 patch merger (RMS norm, two linear layers) ({@code conversion/qwenvl.py
     * Qwen2VLVisionModel}).
     */
    QWEN2_5_VL("qwen2.5vl_merger"),
    /**
     * Qwen3-VL and Qwen3.5/3.6: a ViT with learned position embeddings, LayerNorm with bias, fused QKV, GELU MLP with
     * bias, a 2x2 patch merger, and optional deepstack mergers ({@code conversion/qwen3vl.py Qwen3VLVisionModel}).
     */
    QWEN3_VL("qwen3vl_merger"),
    /**
     * Pixtral, the tower of Mistral Small 3.1/3.2 and Devstral Small 2: a ViT with RMS norms, gated SiLU MLP and no
     * biases, a 2x2 patch merger and a two-layer projector, plus the {@code [IMG_BREAK]} embedding
     * ({@code conversion/llava.py LlavaVisionModel}).
     */
    PIXTRAL("pixtral");

    private final String projectorType;

    VisionTowerKind(String projectorType) {
        this.projectorType = projectorType;
    }

    /**
     * Returns the value of {@code clip.projector_type} in this tower's {@code mmproj} file.
     *
     * @return the projector type name, such as {@code gemma3}
     */
    public String projectorType() {
        return projectorType;
    }

    /**
     * Returns the kind whose {@code mmproj} files carry the given {@code clip.projector_type}.
     *
     * @param projectorType the value read from a file, not null
     * @return the kind, or empty for a projector type this package does not model
     * @throws NullPointerException if {@code projectorType} is null
     */
    public static Optional<VisionTowerKind> ofProjectorType(String projectorType) {
        java.util.Objects.requireNonNull(projectorType, "projectorType");
        for (VisionTowerKind kind : values()) {
            if (kind.projectorType.equals(projectorType)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
