package io.github.llmestimator.gguf;

import io.github.llmestimator.internal.TensorNames;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.quant.TensorAssignment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;

/**
 * Gives each tensor of a GGUF file its {@link TensorRole} from its name, the way {@link io.github.llmestimator.model}
 * names and places the tensors of a spec. Rules, first match wins, for {@code blk.N.<rest>}:
 * <ol>
 *   <li>layer N at or beyond {@code block_count - nextn_predict_layers} (and below {@code block_count}), or a
 *       {@code nextn.} tensor: {@link TensorRole#NEXT_TOKEN_PREDICTION};</li>
 *   <li>{@code *_exps*}: {@link TensorRole#ROUTED_EXPERTS}; {@code *_shexp*}, {@code *_chexp*}:
 *       {@link TensorRole#SHARED_EXPERTS}; {@code ffn_gate_inp*}, {@code exp_probs_b*}: {@link TensorRole#ROUTER};</li>
 *   <li>{@code ffn_norm*}: {@link TensorRole#NORM}; other {@code ffn_*}: {@link TensorRole#DENSE_FEED_FORWARD};</li>
 *   <li>{@code ssm_*}, and {@code attn_*} in a layer that has an {@code ssm_*} tensor: {@link TensorRole#RECURRENT};</li>
 *   <li>{@code attn_*}: {@link TensorRole#ATTENTION}; other names with {@code norm}: {@link TensorRole#NORM};</li>
 *   <li>anything else: the layer's mixer ({@link TensorRole#RECURRENT} or {@link TensorRole#ATTENTION}).</li>
 * </ol>
 * Outside the layers, {@code token_embd*}, {@code per_layer_token_embd*}, {@code position_embd*} and
 * {@code token_types*} are {@link TensorRole#TOKEN_EMBEDDING}; everything else ({@code output}, {@code output_norm},
 * {@code rope_freqs}) is read once per token after the layers and counts as {@link TensorRole#OUTPUT}.
 */
final class TensorRoles {

    private TensorRoles() {
    }

    /**
     * Returns each tensor of the file with its role, real type and size, in file order.
     *
     * @param blockCount {@code block_count}, or -1 when unknown
     * @param trunkLayers the layers before the multi-token-prediction layers, or -1 when unknown
     */
    static List<TensorAssignment> assign(GgufFile file, int blockCount, int trunkLayers) {
        List<GgufTensorInfo> infos = file.tensors();
        BitSet recurrentLayers = new BitSet();
        for (GgufTensorInfo info : infos) {
            int layer = TensorNames.layerOf(info.name());
            if (layer >= 0 && info.name().startsWith("ssm_", restStart(info.name()))) {
                recurrentLayers.set(layer);
            }
        }
        List<TensorAssignment> assignments = new ArrayList<>(infos.size());
        for (GgufTensorInfo info : infos) {
            String name = info.name();
            int layer = TensorNames.layerOf(name);
            TensorRole role = layer < 0 ? roleOutsideLayers(name)
                    : roleInLayer(name, restStart(name), layer, blockCount, trunkLayers, recurrentLayers.get(layer));
            assignments.add(new TensorAssignment(tensorOf(info, role, layer), info.type(), info.bytes()));
        }
        return assignments;
    }

    static Tensor tensorOf(GgufTensorInfo info, TensorRole role, int layer) {
        List<Long> shape = info.shape();
        int dimensions = Math.max(1, Math.min(3, shape.size()));
        long ne0 = shape.isEmpty() ? 1 : shape.get(0);
        long ne1 = shape.size() > 1 ? shape.get(1) : 1;
        long ne2 = shape.size() > 2 ? shape.get(2) : 1;
        if (shape.size() > 3) {
            ne2 *= shape.get(3);
        }
        return new Tensor(info.name(), role, layer < 0 ? OptionalInt.empty() : OptionalInt.of(layer), dimensions, ne0,
                ne1, ne2);
    }

    private static int restStart(String name) {
        return name.indexOf('.', TensorNames.BLOCK_PREFIX.length()) + 1;
    }

    private static TensorRole roleOutsideLayers(String name) {
        if (name.startsWith("token_embd") || name.startsWith("per_layer_token_embd") || name.startsWith("position_embd")
                || name.startsWith("token_types")) {
            return TensorRole.TOKEN_EMBEDDING;
        }
        return TensorRole.OUTPUT;
    }

    private static TensorRole roleInLayer(String name, int rest, int layer, int blockCount, int trunkLayers,
            boolean recurrent) {
        if (trunkLayers >= 0 && layer >= trunkLayers && layer < blockCount || name.startsWith("nextn.", rest)) {
            return TensorRole.NEXT_TOKEN_PREDICTION;
        }
        if (name.indexOf("_exps", rest) >= 0) {
            return TensorRole.ROUTED_EXPERTS;
        }
        if (name.indexOf("_shexp", rest) >= 0 || name.indexOf("_chexp", rest) >= 0) {
            return TensorRole.SHARED_EXPERTS;
        }
        if (name.startsWith("ffn_gate_inp", rest) || name.startsWith("exp_probs_b", rest)) {
            return TensorRole.ROUTER;
        }
        if (name.startsWith("ffn_norm", rest)) {
            return TensorRole.NORM;
        }
        if (name.startsWith("ffn_", rest)) {
            return TensorRole.DENSE_FEED_FORWARD;
        }
        if (name.startsWith("ssm_", rest) || recurrent && name.startsWith("attn_", rest)) {
            return TensorRole.RECURRENT;
        }
        if (name.startsWith("attn_", rest)) {
            return TensorRole.ATTENTION;
        }
        if (name.indexOf("norm", rest) >= 0) {
            return TensorRole.NORM;
        }
        return recurrent ? TensorRole.RECURRENT : TensorRole.ATTENTION;
    }
}
