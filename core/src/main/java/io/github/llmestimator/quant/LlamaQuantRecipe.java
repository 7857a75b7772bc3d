package io.github.llmestimator.quant;

import static io.github.llmestimator.internal.TensorNames.ATTN_K;
import static io.github.llmestimator.internal.TensorNames.ATTN_KV_B;
import static io.github.llmestimator.internal.TensorNames.ATTN_OUTPUT;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q;
import static io.github.llmestimator.internal.TensorNames.ATTN_QKV;
import static io.github.llmestimator.internal.TensorNames.ATTN_V;
import static io.github.llmestimator.internal.TensorNames.FFN_DOWN_FAMILY;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_FAMILY;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_INP_FAMILY;
import static io.github.llmestimator.internal.TensorNames.FFN_UP_FAMILY;
import static io.github.llmestimator.internal.TensorNames.OUTPUT;
import static io.github.llmestimator.internal.TensorNames.SSM_CONV1D_FAMILY;
import static io.github.llmestimator.internal.TensorNames.TOKEN_EMBD;

import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.GatedDeltaNet;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;

/**
 * llama.cpp's per-tensor type choice ({@code llama_tensor_get_type} in {@code src/llama-quant.cpp}), restated rule by
 * rule. The checkpoint schemes' rule is {@link CheckpointRecipe}; this class dispatches to it so that one pass over a
 * {@link TensorClassification} assigns either kind.
 */
final class LlamaQuantRecipe {

    enum Category {
        OUTPUT, TOKEN_EMBEDDING, QKV, KV_B, V, K, Q, ATTN_OUTPUT, UP, GATE, DOWN, OTHER;

        boolean isValueLike() {
            return this == V || this == QKV || this == KV_B;
        }
    }

    private final TensorClassification plan;
    private final QuantScheme scheme;
    private final boolean importanceMatrix;
    private final TensorType dflt;
    private final int experts;
    private final int gqa;
    private final int layerCount;
    private final int valueLikeCount;
    private int valueLikeIndex;
    private int ffnDownCounter;
    private int ffnGateCounter;
    private int ffnUpCounter;

    private LlamaQuantRecipe(TensorClassification plan, QuantScheme scheme, boolean importanceMatrix) {
        this.plan = plan;
        this.scheme = scheme;
        this.importanceMatrix = importanceMatrix;
        this.dflt = scheme.defaultType() instanceof TensorType ? (TensorType) scheme.defaultType() : null;
        this.experts = plan.experts;
        this.gqa = plan.gqa;
        this.layerCount = plan.layerCount;
        this.valueLikeCount = plan.valueLikeCount;
    }

    /**
     * Fills {@code bytesByRole} with the bytes per role, sizing the plan's position-independent groups once each and
     * only the positional tensors one by one; the same totals as {@link #assign(TensorClassification, QuantScheme,
     * boolean, StorageType[], long[])}, without per-tensor types.
     */
    static void size(TensorClassification plan, QuantScheme scheme, boolean importanceMatrix, long[] bytesByRole) {
        if (!scheme.isGguf()) {
            // group-quantized checkpoint types round each tensor to whole bytes, so size them one by one
            assign(plan, scheme, importanceMatrix, new StorageType[plan.tensors.length], bytesByRole);
            return;
        }
        LlamaQuantRecipe recipe = new LlamaQuantRecipe(plan, scheme, importanceMatrix);
        System.arraycopy(plan.fixedF32BytesByRole, 0, bytesByRole, 0, bytesByRole.length);
        int[] roles = plan.roles;
        for (int group = 0; group < plan.groupRepresentative.length; group++) {
            int index = plan.groupRepresentative[group];
            TensorType type = (TensorType) recipe.typeOf(index);
            long bytes = Math.multiplyExact(plan.groupElements[group] / type.blockSize(), type.bytesPerBlock());
            bytesByRole[roles[index]] = Math.addExact(bytesByRole[roles[index]], bytes);
        }
        for (int index : plan.positional) {
            bytesByRole[roles[index]] = Math.addExact(bytesByRole[roles[index]], plan.bytes(index, recipe.typeOf(index)));
        }
    }

    /**
     * Fills {@code types} with every tensor's type and {@code bytesByRole} with the bytes per role. Tensors that no
     * scheme quantizes take their precomputed sizes from the plan.
     */
    static void assign(TensorClassification plan, QuantScheme scheme, boolean importanceMatrix, StorageType[] types,
            long[] bytesByRole) {
        LlamaQuantRecipe recipe = new LlamaQuantRecipe(plan, scheme, importanceMatrix);
        TensorType fixed = scheme.isGguf() ? TensorType.F32 : TensorType.BF16;
        long[] fixedBytes = scheme.isGguf() ? plan.fixedF32BytesByRole : plan.fixedBf16BytesByRole;
        System.arraycopy(fixedBytes, 0, bytesByRole, 0, bytesByRole.length);
        boolean[] quantizable = plan.quantizable;
        int[] roles = plan.roles;
        for (int i = 0; i < types.length; i++) {
            if (!quantizable[i]) {
                types[i] = fixed;
                continue;
            }
            StorageType type = recipe.typeOf(i);
            types[i] = type;
            bytesByRole[roles[i]] = Math.addExact(bytesByRole[roles[i]], plan.bytes(i, type));
        }
    }

    /** llama.cpp's hparams.n_expert: the expert count of the MoE layers, 0 for a dense model. */
    static int firstExpertCount(ModelSpec model) {
        for (Layer layer : model.layers()) {
            if (layer.feedForward().routedExperts() > 0) {
                return layer.feedForward().routedExperts();
            }
        }
        return 0;
    }

    /**
     * llama.cpp's {@code n_gqa()} reads layer 0. Gated-DeltaNet hybrids store one scalar head count for all layers, so
     * layer 0 reports the attention layers' ratio; Mamba hybrids store per-layer arrays with 0 KV heads on Mamba
     * layers, so their ratio is 0 when layer 0 is a Mamba layer.
     */
    static int gqaRatio(ModelSpec model) {
        MixerBlock first = model.layers().get(0).mixer();
        if (first.keyValueHeads() > 0) {
            return first.queryHeads() / first.keyValueHeads();
        }
        if (first instanceof GatedDeltaNet) {
            for (Layer layer : model.layers()) {
                MixerBlock a = layer.mixer();
                if (a.keyValueHeads() > 0) {
                    return a.queryHeads() / a.keyValueHeads();
                }
            }
        }
        return 0;
    }

    /** The converter writes these as F32 and llama-quantize leaves them alone. */
    static boolean isQuantizable(Tensor t) {
        String name = t.name();
        return t.dimensions() >= 2 && name.endsWith("weight") && !name.endsWith("_norm.weight")
                && !name.contains(FFN_GATE_INP_FAMILY) && !name.contains(SSM_CONV1D_FAMILY);
    }

    static Category category(Tensor t, boolean hasOutput) {
        String name = t.name();
        if (name.equals(OUTPUT) || (!hasOutput && name.equals(TOKEN_EMBD))) {
            return Category.OUTPUT;
        }
        if (name.equals(TOKEN_EMBD)) {
            return Category.TOKEN_EMBEDDING;
        }
        if (name.contains(ATTN_QKV)) {
            return Category.QKV;
        }
        if (name.contains(ATTN_KV_B)) {
            return Category.KV_B;
        }
        if (name.contains(ATTN_V)) {
            return Category.V;
        }
        if (name.contains(ATTN_K)) {
            return Category.K;
        }
        if (name.contains(ATTN_Q)) {
            return Category.Q;
        }
        if (name.contains(ATTN_OUTPUT)) {
            return Category.ATTN_OUTPUT;
        }
        if (name.contains(FFN_UP_FAMILY)) {
            return Category.UP;
        }
        if (name.contains(FFN_GATE_FAMILY)) {
            return Category.GATE;
        }
        if (name.contains(FFN_DOWN_FAMILY)) {
            return Category.DOWN;
        }
        return Category.OTHER;
    }

    private StorageType typeOf(int index) {
        Tensor t = plan.tensors[index];
        if (!plan.quantizable[index]) {
            return scheme.isGguf() ? TensorType.F32 : TensorType.BF16;
        }
        boolean mxfp4Experts = plan.mxfp4Experts && t.role() == TensorRole.ROUTED_EXPERTS;
        switch (scheme.format()) {
            case CHECKPOINT:
                return CheckpointRecipe.typeOf(t, scheme, plan.model.checkpointFormat());
            case GGUF_UNIFORM:
                return mxfp4Experts ? TensorType.MXFP4 : dflt;
            default:
                Category category = plan.categories[index];
                if (mxfp4Experts) {
                    // still advance the counters the way llama.cpp does: it visits the tensor, then keeps its type
                    ggufType(t, category);
                    return TensorType.MXFP4;
                }
                return withShapeFallback(t, ggufType(t, category));
        }
    }

    private static boolean useMoreBits(int i, int n) {
        return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
    }

    private boolean isIq1Or2() {
        switch (scheme) {
            case IQ2_XXS: case IQ2_XS: case IQ2_S: case IQ2_M: case IQ1_S: case IQ1_M:
                return true;
            default:
                return false;
        }
    }

    /** The layer index llama.cpp uses for FFN rules: parsed from the name in MoE models, else a running counter. */
    private int ffnIndex(Tensor t, int counter) {
        return experts > 1 ? t.layer().getAsInt() : counter;
    }

    private TensorType ggufType(Tensor t, Category category) {
        QuantScheme s = scheme;
        if (s == QuantScheme.MXFP4_MOE) {
            if (category.isValueLike()) {
                valueLikeIndex++;
            }
            // llama.cpp takes every stacked tensor for an expert one, MLA's per-head attn_k_b/attn_v_b included
            return t.ne2() > 1 ? TensorType.MXFP4 : TensorType.Q8_0;
        }
        if (category == Category.OUTPUT) {
            return outputType(t);
        }
        if (category == Category.TOKEN_EMBEDDING) {
            return tokenEmbeddingType();
        }
        if (isIq1Or2()) {
            return iqLowBitType(t, category);
        }
        int n = layerCount;
        switch (category) {
            case V:
            case QKV:
            case KV_B:
                return valueType();
            case K:
                if (experts == 8) {
                    return TensorType.Q8_0;
                }
                if (s == QuantScheme.IQ3_XS) {
                    return TensorType.IQ3_XXS;
                }
                return s == QuantScheme.IQ3_XXS ? TensorType.IQ2_S : dflt;
            case Q:
                if (s == QuantScheme.IQ3_XS) {
                    return TensorType.IQ3_XXS;
                }
                return s == QuantScheme.IQ3_XXS ? TensorType.IQ2_S : dflt;
            case DOWN: {
                int i = ffnIndex(t, ffnDownCounter++);
                return downType(i, n);
            }
            case ATTN_OUTPUT:
                return attentionOutputType();
            case GATE: {
                int i = ffnIndex(t, ffnGateCounter++);
                return middleLayersIq3Xxs(i, n);
            }
            case UP: {
                int i = ffnIndex(t, ffnUpCounter++);
                return middleLayersIq3Xxs(i, n);
            }
            default:
                return dflt;
        }
    }

    private TensorType outputType(Tensor t) {
        QuantScheme s = scheme;
        if (t.ne0() % dflt.blockSize() != 0) {
            return TensorType.Q8_0;
        }
        switch (s) {
            case IQ2_XXS: case IQ2_XS: case IQ3_XXS: case IQ1_S: case IQ2_S: case IQ2_M: case IQ1_M:
                return TensorType.Q5_K;
            default:
                return dflt == TensorType.Q8_0 ? TensorType.Q8_0 : TensorType.Q6_K;
        }
    }

    private TensorType tokenEmbeddingType() {
        switch (scheme) {
            case IQ2_XXS: case IQ2_XS: case IQ1_S: case IQ1_M:
                return TensorType.Q2_K;
            case IQ2_S: case IQ2_M: case IQ3_XXS:
                return TensorType.IQ3_S;
            case TQ1_0: case TQ2_0:
                return TensorType.Q4_K;
            default:
                return dflt;
        }
    }

    private TensorType iqLowBitType(Tensor t, Category category) {
        QuantScheme s = scheme;
        boolean twoS = s == QuantScheme.IQ2_S || s == QuantScheme.IQ2_M;
        switch (category) {
            case V:
            case QKV:
            case KV_B:
                valueLikeIndex++;
                if (gqa >= 4 || experts >= 4) {
                    return TensorType.Q4_K;
                }
                return twoS ? TensorType.IQ3_S : TensorType.Q2_K;
            case K:
                return experts == 8 ? TensorType.Q4_K : dflt;
            case DOWN: {
                // these schemes compare the running counter, not the layer, with n/8
                int counter = ffnDownCounter++;
                if (counter < layerCount / 8) {
                    return twoS ? TensorType.IQ3_S : TensorType.Q2_K;
                }
                return dflt;
            }
            case ATTN_OUTPUT:
                if (experts == 8) {
                    return TensorType.Q5_K;
                }
                if (s == QuantScheme.IQ1_S || s == QuantScheme.IQ1_M) {
                    return TensorType.IQ2_XXS;
                }
                return twoS ? TensorType.IQ3_S : dflt;
            case GATE:
                ffnGateCounter++;
                return dflt;
            case UP:
                ffnUpCounter++;
                return dflt;
            default:
                return dflt;
        }
    }

    private TensorType valueType() {
        int i = valueLikeIndex++;
        int n = valueLikeCount;
        TensorType type = dflt;
        switch (scheme) {
            case Q2_K:
                type = gqa >= 4 ? TensorType.Q4_K : TensorType.Q3_K;
                break;
            case Q2_K_S:
                type = gqa >= 4 ? TensorType.Q4_K : dflt;
                break;
            case IQ3_XXS:
                type = gqa >= 4 ? TensorType.Q4_K : importanceMatrix ? TensorType.IQ3_XXS : TensorType.IQ3_S;
                break;
            case IQ3_XS:
            case IQ3_S:
                type = gqa >= 4 ? TensorType.Q4_K : dflt;
                break;
            case IQ3_M:
                type = TensorType.Q4_K;
                break;
            case Q3_K_M:
                type = i < 2 ? TensorType.Q5_K : TensorType.Q4_K;
                break;
            case Q3_K_L:
                type = TensorType.Q5_K;
                break;
            case IQ4_NL:
            case IQ4_XS:
                type = gqa >= 4 ? TensorType.Q5_K : dflt;
                break;
            case Q4_K_M:
            case Q5_K_M:
                type = useMoreBits(i, n) ? TensorType.Q6_K : dflt;
                break;
            case Q4_K_S:
                type = i < 4 ? TensorType.Q5_K : dflt;
                break;
            default:
                break;
        }
        if (plan.llama70B && (type == TensorType.Q3_K || type == TensorType.Q4_K)) {
            type = TensorType.Q5_K;
        }
        return experts == 8 ? TensorType.Q8_0 : type;
    }

    private TensorType downType(int i, int n) {
        switch (scheme) {
            case Q2_K:
                return TensorType.Q3_K;
            case Q2_K_S:
                return i < n / 8 ? TensorType.Q4_K : dflt;
            case IQ3_XXS:
                if (!importanceMatrix) {
                    return i < n / 8 ? TensorType.Q4_K : TensorType.Q3_K;
                }
                return dflt;
            case Q3_K_M:
                return i < n / 16 ? TensorType.Q5_K : TensorType.Q4_K;
            case IQ3_M:
                return i < n / 8 || (experts == 8 && useMoreBits(i, n)) ? TensorType.Q4_K : dflt;
            case Q3_K_L:
                return TensorType.Q5_K;
            case Q4_K_M:
            case Q5_K_M:
                return useMoreBits(i, n) ? TensorType.Q6_K : dflt;
            case IQ4_NL:
            case IQ4_XS:
                return i < n / 8 && !importanceMatrix ? TensorType.Q5_K : dflt;
            case Q4_K_S:
                return i < n / 8 ? TensorType.Q5_K : dflt;
            case Q4_0:
                return importanceMatrix && i < n / 8 ? TensorType.Q4_1 : dflt;
            case Q5_0:
                return importanceMatrix && i < n / 8 ? TensorType.Q5_1 : dflt;
            default:
                return dflt;
        }
    }

    private TensorType attentionOutputType() {
        QuantScheme s = scheme;
        if (experts == 8) {
            switch (s) {
                case Q2_K: case IQ3_XS: case IQ3_XXS: case Q3_K_S: case Q3_K_M: case IQ4_NL: case Q4_K_S: case Q4_K_M:
                case IQ3_S: case IQ3_M: case IQ4_XS:
                    return TensorType.Q5_K;
                default:
                    return dflt;
            }
        }
        switch (s) {
            case Q2_K:
                return TensorType.Q3_K;
            case IQ3_M:
            case Q3_K_M:
                return TensorType.Q4_K;
            case Q3_K_L:
                return TensorType.Q5_K;
            case IQ3_XXS:
                return TensorType.IQ3_S;
            default:
                return dflt;
        }
    }

    private TensorType middleLayersIq3Xxs(int i, int n) {
        if (scheme == QuantScheme.IQ3_XS && i >= n / 8 && i < 7 * n / 8) {
            return TensorType.IQ3_XXS;
        }
        return dflt;
    }

    /** llama.cpp's fallback when the row length is not a multiple of the chosen type's block. */
    private static StorageType withShapeFallback(Tensor t, TensorType chosen) {
        if (chosen.acceptsRowLength(t.ne0())) {
            return chosen;
        }
        TensorType fallback;
        switch (chosen) {
            case IQ1_S: case IQ1_M: case IQ2_XXS: case IQ2_XS: case IQ2_S: case IQ3_XXS: case IQ3_S: case IQ4_XS:
                fallback = TensorType.IQ4_NL;
                break;
            case Q2_0: case Q2_K: case Q3_K: case TQ1_0: case TQ2_0:
                fallback = TensorType.Q4_0;
                break;
            case Q4_K:
                fallback = TensorType.Q5_0;
                break;
            case Q5_K:
                fallback = TensorType.Q5_1;
                break;
            case Q6_K:
                fallback = TensorType.Q8_0;
                break;
            default:
                throw new IllegalArgumentException("tensor " + t.name() + ": row length " + t.ne0()
                        + " is not a multiple of " + chosen.blockSize() + " and " + chosen
                        + " has no fallback type (expected: a row length the type's block divides)");
        }
        return fallback.acceptsRowLength(t.ne0()) ? fallback : TensorType.F16;
    }
}
