package io.github.llmestimator.model;

import static io.github.llmestimator.internal.TensorNames.ATTN_K_NORM;
import static io.github.llmestimator.internal.TensorNames.ATTN_NORM;
import static io.github.llmestimator.internal.TensorNames.ATTN_OUTPUT_BIAS;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q_NORM;
import static io.github.llmestimator.internal.TensorNames.ATTN_SINKS;
import static io.github.llmestimator.internal.TensorNames.EXP_PROBS_B_BIAS;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_INP_SHEXP;
import static io.github.llmestimator.internal.TensorNames.FFN_NORM;
import static io.github.llmestimator.internal.TensorNames.FFN_UP;
import static io.github.llmestimator.internal.TensorNames.POST_ATTENTION_NORM;
import static io.github.llmestimator.internal.TensorNames.POST_FFW_NORM;
import static io.github.llmestimator.internal.TensorNames.SSM_A;
import static io.github.llmestimator.internal.TensorNames.SSM_ALPHA;
import static io.github.llmestimator.internal.TensorNames.SSM_BA;
import static io.github.llmestimator.internal.TensorNames.SSM_BETA;
import static io.github.llmestimator.internal.TensorNames.SSM_D;
import static io.github.llmestimator.internal.TensorNames.blk;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of one layer as llama.cpp's loader of each architecture requires them ({@code src/models/<arch>.cpp},
 * {@code load_tensors}), where they differ from the blocks' architecture-neutral inventory: names of the norm between
 * mixer and feed-forward block, extra norms, router and sink vectors, fused projections and state shapes.
 */
final class ArchitectureTensors {

    private ArchitectureTensors() {
    }

    static List<Tensor> layer(String arch, Layer layer, int index, int hiddenSize) {
        List<Tensor> attention = new ArrayList<>(layer.mixer().tensors(index, hiddenSize));
        List<Tensor> feedForward = new ArrayList<>(layer.feedForward().tensors(index, hiddenSize));
        switch (arch) {
            case "gemma2":
            case "gemma3":
                attention.add(Tensor.vector(blk(index, POST_ATTENTION_NORM), TensorRole.NORM, index,
                        hiddenSize));
                feedForward.add(Tensor.vector(blk(index, POST_FFW_NORM), TensorRole.NORM, index,
                        hiddenSize));
                break;
            case "gpt-oss":
                rename(feedForward, FFN_NORM, POST_ATTENTION_NORM);
                attention.add(Tensor.vector(blk(index, ATTN_SINKS), TensorRole.ATTENTION, index,
                        layer.mixer().queryHeads()));
                attention.add(Tensor.vector(blk(index, ATTN_OUTPUT_BIAS), TensorRole.ATTENTION, index,
                        hiddenSize));
                break;
            case "glm4moe":
                rename(feedForward, FFN_NORM, POST_ATTENTION_NORM);
                if (layer.feedForward() instanceof MixtureOfExperts) {
                    feedForward.add(Tensor.vector(blk(index, EXP_PROBS_B_BIAS), TensorRole.ROUTER, index,
                            layer.feedForward().routedExperts()));
                }
                break;
            case "minimax-m2":
                wholeProjectionQkNorms(attention, index, layer.mixer());
                if (layer.feedForward() instanceof MixtureOfExperts) {
                    feedForward.add(Tensor.vector(blk(index, EXP_PROBS_B_BIAS), TensorRole.ROUTER, index,
                            layer.feedForward().routedExperts()));
                }
                break;
            case "olmo2":
                // OLMo 2 normalizes each block's output, not its input: no attn_norm or ffn_norm
                rename(attention, ATTN_NORM, POST_ATTENTION_NORM, TensorRole.NORM);
                rename(feedForward, FFN_NORM, POST_FFW_NORM);
                wholeProjectionQkNorms(attention, index, layer.mixer());
                break;
            case "cohere2":
                // attention and feed-forward read the same normalized input: one norm per layer
                feedForward.removeIf(t -> t.name().equals(blk(index, FFN_NORM)));
                break;
            case "qwen3next":
            case "qwen35":
            case "qwen35moe":
                rename(feedForward, FFN_NORM, POST_ATTENTION_NORM);
                if (arch.equals("qwen3next")) {
                    fuseBetaAlpha(attention, index);
                }
                if (layer.feedForward() instanceof MixtureOfExperts
                        && ((MixtureOfExperts) layer.feedForward()).sharedSize() > 0) {
                    feedForward.add(Tensor.vector(blk(index, FFN_GATE_INP_SHEXP), TensorRole.SHARED_EXPERTS,
                            index, hiddenSize));
                }
                break;
            case "phi3":
                fuseQkv(attention, index);
                fuseGateAndUp(feedForward, index);
                break;
            case "nemotron_h":
                if (!layer.mixer().hasKvCache() && !layer.mixer().isRecurrent()) {
                    // an MLP-only block's one norm is its block norm
                    rename(feedForward, FFN_NORM, ATTN_NORM, TensorRole.ATTENTION);
                }
                columnVectors(attention, index);
                break;
            case "mamba2":
            case "granitehybrid":
                columnVectors(attention, index);
                break;
            default:
                break;
        }
        attention.addAll(feedForward);
        return attention;
    }

    private static void rename(List<Tensor> tensors, String from, String to) {
        rename(tensors, from, to, null);
    }

    /** Renames a tensor, and gives it {@code role} unless that is null (the role a GGUF reader gives the new name). */
    private static void rename(List<Tensor> tensors, String from, String to, TensorRole role) {
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.name().endsWith("." + from)) {
                String name = t.name().substring(0, t.name().length() - from.length()) + to;
                tensors.set(i, new Tensor(name, role == null ? t.role() : role, t.layer(), t.dimensions(), t.ne0(),
                        t.ne1(), t.ne2()));
            }
        }
    }

    /**
     * MiniMax-M2 and OLMo 2 normalize the whole Q and the whole K projection at once rather than each head, so their
     * {@code attn_q_norm} holds {@code heads * key_length} weights and {@code attn_k_norm}
     * {@code kv_heads * key_length} (llama.cpp {@code src/models/minimax-m2.cpp} and {@code src/models/olmo2.cpp},
     * {@code load_arch_tensors}).
     */
    private static void wholeProjectionQkNorms(List<Tensor> tensors, int index, MixerBlock attention) {
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.name().equals(blk(index, ATTN_Q_NORM))) {
                tensors.set(i, Tensor.vector(t.name(), t.role(), index, attention.queryHeads() * t.ne0()));
            } else if (t.name().equals(blk(index, ATTN_K_NORM))) {
                tensors.set(i, Tensor.vector(t.name(), t.role(), index, attention.keyValueHeads() * t.ne0()));
            }
        }
    }

    /** Qwen3-Next holds beta and alpha as one {@code ssm_ba} projection of twice the rows. */
    private static void fuseBetaAlpha(List<Tensor> tensors, int index) {
        String beta = blk(index, SSM_BETA);
        String alpha = blk(index, SSM_ALPHA);
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.name().equals(beta)) {
                tensors.set(i, Tensor.matrix(blk(index, SSM_BA), t.role(), index, t.ne0(), 2 * t.ne1()));
            }
        }
        tensors.removeIf(t -> t.name().equals(alpha));
    }

    /**
     * Phi-3 holds the Q, K and V projections as one {@code attn_qkv} of their summed widths (and their biases as one
     * {@code attn_qkv.bias}), as its checkpoint's {@code qkv_proj} is converted. The fused tensor matters beyond its
     * name: llama.cpp's recipe gives it the attention-V rules for every layer (llama-quant.cpp,
     * {@code category_is_attn_v}), so a Q4_K_M file holds more Q6_K than three separate projections would.
     */
    private static void fuseQkv(List<Tensor> tensors, int index) {
        fuse(tensors, index, "weight");
        fuse(tensors, index, "bias");
    }

    private static void fuse(List<Tensor> tensors, int index, String kind) {
        String q = blk(index, "attn_q." + kind);
        String k = blk(index, "attn_k." + kind);
        String v = blk(index, "attn_v." + kind);
        int at = -1;
        long width = 0;
        Tensor first = null;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.name().equals(q) || t.name().equals(k) || t.name().equals(v)) {
                if (first == null) {
                    first = t;
                    at = i;
                }
                width += t.dimensions() == 1 ? t.ne0() : t.ne1();
            }
        }
        if (first == null) {
            return;
        }
        tensors.removeIf(t -> t.name().equals(q) || t.name().equals(k) || t.name().equals(v));
        String name = blk(index, "attn_qkv." + kind);
        tensors.add(at, first.dimensions() == 1 ? Tensor.vector(name, first.role(), index, width)
                : Tensor.matrix(name, first.role(), index, first.ne0(), width));
    }

    /** Phi-3 holds the gate and up projections as one {@code ffn_up} of twice the width. */
    private static void fuseGateAndUp(List<Tensor> tensors, int index) {
        String gate = blk(index, FFN_GATE);
        String up = blk(index, FFN_UP);
        if (tensors.removeIf(t -> t.name().equals(gate))) {
            for (int i = 0; i < tensors.size(); i++) {
                Tensor t = tensors.get(i);
                if (t.name().equals(up)) {
                    tensors.set(i, Tensor.matrix(up, t.role(), index, t.ne0(), 2 * t.ne1()));
                }
            }
        }
    }

    /** Mamba-2 stores {@code ssm_a} and {@code ssm_d} as [1, heads]. */
    private static void columnVectors(List<Tensor> tensors, int index) {
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.name().equals(blk(index, SSM_A)) || t.name().equals(blk(index, SSM_D))) {
                tensors.set(i, Tensor.matrix(t.name(), t.role(), index, 1, t.ne0()));
            }
        }
    }
}
