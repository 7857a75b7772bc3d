package io.github.llmestimator.internal;

/**
 * The names of the tensors of a llama.cpp GGUF file, the one place the library spells them: the model blocks write
 * them, the GGUF reader looks them up and the quantization recipe classifies them. The names are llama.cpp's
 * ({@code src/llama-arch.cpp}, {@code LLM_TENSOR_NAMES}); a tensor of layer {@code N} is {@code blk.N.<name>}.
 *
 * <p>Not exported: the module does not export this package; its types may change without notice.
 */
public final class TensorNames {

    /** The prefix of every tensor of a layer. */
    public static final String BLOCK_PREFIX = "blk.";

    /** Layer numbers above this are not read as layers (llama.cpp allows 512). */
    private static final int MAX_LAYER = 1 << 20;

    /** {@code attn_gate.weight}. */
    public static final String ATTN_GATE = "attn_gate.weight";

    /** {@code attn_k.bias}. */
    public static final String ATTN_K_BIAS = "attn_k.bias";

    /** {@code attn_k.weight}. */
    public static final String ATTN_K = "attn_k.weight";

    /** {@code attn_k_b.weight}. */
    public static final String ATTN_K_B = "attn_k_b.weight";

    /** {@code attn_k_norm.weight}. */
    public static final String ATTN_K_NORM = "attn_k_norm.weight";

    /** {@code attn_kv_a_mqa.weight}. */
    public static final String ATTN_KV_A_MQA = "attn_kv_a_mqa.weight";

    /** {@code attn_kv_a_norm.weight}. */
    public static final String ATTN_KV_A_NORM = "attn_kv_a_norm.weight";

    /** {@code attn_kv_b.weight}. */
    public static final String ATTN_KV_B = "attn_kv_b.weight";

    /** {@code attn_norm.weight}. */
    public static final String ATTN_NORM = "attn_norm.weight";

    /** {@code attn_output.bias}. */
    public static final String ATTN_OUTPUT_BIAS = "attn_output.bias";

    /** {@code attn_output.weight}. */
    public static final String ATTN_OUTPUT = "attn_output.weight";

    /** {@code attn_q.bias}. */
    public static final String ATTN_Q_BIAS = "attn_q.bias";

    /** {@code attn_q.weight}. */
    public static final String ATTN_Q = "attn_q.weight";

    /** {@code attn_q_a.weight}. */
    public static final String ATTN_Q_A = "attn_q_a.weight";

    /** {@code attn_q_a_norm.weight}. */
    public static final String ATTN_Q_A_NORM = "attn_q_a_norm.weight";

    /** {@code attn_q_b.weight}. */
    public static final String ATTN_Q_B = "attn_q_b.weight";

    /** {@code attn_q_norm.weight}. */
    public static final String ATTN_Q_NORM = "attn_q_norm.weight";

    /** {@code attn_qkv.bias}. */
    public static final String ATTN_QKV_BIAS = "attn_qkv.bias";

    /** {@code attn_qkv.weight}. */
    public static final String ATTN_QKV = "attn_qkv.weight";

    /** {@code attn_sinks.weight}. */
    public static final String ATTN_SINKS = "attn_sinks.weight";

    /** {@code attn_v.bias}. */
    public static final String ATTN_V_BIAS = "attn_v.bias";

    /** {@code attn_v.weight}. */
    public static final String ATTN_V = "attn_v.weight";

    /** {@code attn_v_b.weight}. */
    public static final String ATTN_V_B = "attn_v_b.weight";

    /** {@code exp_probs_b.bias}. */
    public static final String EXP_PROBS_B_BIAS = "exp_probs_b.bias";

    /** {@code ffn_down.weight}. */
    public static final String FFN_DOWN = "ffn_down.weight";

    /** {@code ffn_down_exps.bias}. */
    public static final String FFN_DOWN_EXPS_BIAS = "ffn_down_exps.bias";

    /** {@code ffn_down_exps.weight}. */
    public static final String FFN_DOWN_EXPS = "ffn_down_exps.weight";

    /** {@code ffn_down_shexp.weight}. */
    public static final String FFN_DOWN_SHEXP = "ffn_down_shexp.weight";

    /** {@code ffn_gate.weight}. */
    public static final String FFN_GATE = "ffn_gate.weight";

    /** {@code ffn_gate_exps.bias}. */
    public static final String FFN_GATE_EXPS_BIAS = "ffn_gate_exps.bias";

    /** {@code ffn_gate_exps.weight}. */
    public static final String FFN_GATE_EXPS = "ffn_gate_exps.weight";

    /** {@code ffn_gate_inp.bias}. */
    public static final String FFN_GATE_INP_BIAS = "ffn_gate_inp.bias";

    /** {@code ffn_gate_inp.weight}. */
    public static final String FFN_GATE_INP = "ffn_gate_inp.weight";

    /** {@code ffn_gate_inp_shexp.weight}. */
    public static final String FFN_GATE_INP_SHEXP = "ffn_gate_inp_shexp.weight";

    /** {@code ffn_gate_shexp.weight}. */
    public static final String FFN_GATE_SHEXP = "ffn_gate_shexp.weight";

    /** {@code ffn_gate_up_exps.weight}. */
    public static final String FFN_GATE_UP_EXPS = "ffn_gate_up_exps.weight";

    /** {@code ffn_norm.weight}. */
    public static final String FFN_NORM = "ffn_norm.weight";

    /** {@code ffn_up.weight}. */
    public static final String FFN_UP = "ffn_up.weight";

    /** {@code ffn_up_exps.bias}. */
    public static final String FFN_UP_EXPS_BIAS = "ffn_up_exps.bias";

    /** {@code ffn_up_exps.weight}. */
    public static final String FFN_UP_EXPS = "ffn_up_exps.weight";

    /** {@code ffn_up_shexp.weight}. */
    public static final String FFN_UP_SHEXP = "ffn_up_shexp.weight";

    /** {@code nextn.eh_proj.weight}. */
    public static final String NEXTN_EH_PROJ = "nextn.eh_proj.weight";

    /** {@code nextn.embed_tokens.weight}. */
    public static final String NEXTN_EMBED_TOKENS = "nextn.embed_tokens.weight";

    /** {@code nextn.enorm.weight}. */
    public static final String NEXTN_ENORM = "nextn.enorm.weight";

    /** {@code nextn.hnorm.weight}. */
    public static final String NEXTN_HNORM = "nextn.hnorm.weight";

    /** {@code nextn.shared_head_head.weight}. */
    public static final String NEXTN_SHARED_HEAD_HEAD = "nextn.shared_head_head.weight";

    /** {@code nextn.shared_head_norm.weight}. */
    public static final String NEXTN_SHARED_HEAD_NORM = "nextn.shared_head_norm.weight";

    /** {@code output.weight}. */
    public static final String OUTPUT = "output.weight";

    /** {@code output_norm.weight}. */
    public static final String OUTPUT_NORM = "output_norm.weight";

    /** {@code post_attention_norm.weight}. */
    public static final String POST_ATTENTION_NORM = "post_attention_norm.weight";

    /** {@code post_ffw_norm.weight}. */
    public static final String POST_FFW_NORM = "post_ffw_norm.weight";

    /** {@code ssm_a}. */
    public static final String SSM_A = "ssm_a";

    /** {@code ssm_alpha.weight}. */
    public static final String SSM_ALPHA = "ssm_alpha.weight";

    /** {@code ssm_ba.weight}. */
    public static final String SSM_BA = "ssm_ba.weight";

    /** {@code ssm_beta.weight}. */
    public static final String SSM_BETA = "ssm_beta.weight";

    /** {@code ssm_conv1d.bias}. */
    public static final String SSM_CONV1D_BIAS = "ssm_conv1d.bias";

    /** {@code ssm_conv1d.weight}. */
    public static final String SSM_CONV1D = "ssm_conv1d.weight";

    /** {@code ssm_d}. */
    public static final String SSM_D = "ssm_d";

    /** {@code ssm_dt.bias}. */
    public static final String SSM_DT_BIAS = "ssm_dt.bias";

    /** {@code ssm_in.weight}. */
    public static final String SSM_IN = "ssm_in.weight";

    /** {@code ssm_norm.weight}. */
    public static final String SSM_NORM = "ssm_norm.weight";

    /** {@code ssm_out.weight}. */
    public static final String SSM_OUT = "ssm_out.weight";

    /** {@code token_embd.weight}. */
    public static final String TOKEN_EMBD = "token_embd.weight";

    /** Every tensor whose name contains {@code ffn_down}, as llama.cpp's quantizer matches them by substring. */
    public static final String FFN_DOWN_FAMILY = "ffn_down";

    /** Every tensor whose name contains {@code ffn_gate}, as llama.cpp's quantizer matches them by substring. */
    public static final String FFN_GATE_FAMILY = "ffn_gate";

    /** Every tensor whose name contains {@code ffn_gate_inp}, as llama.cpp's quantizer matches them by substring. */
    public static final String FFN_GATE_INP_FAMILY = "ffn_gate_inp";

    /** Every tensor whose name contains {@code ffn_up}, as llama.cpp's quantizer matches them by substring. */
    public static final String FFN_UP_FAMILY = "ffn_up";

    /** Every tensor whose name contains {@code ssm_conv1d}, as llama.cpp's quantizer matches them by substring. */
    public static final String SSM_CONV1D_FAMILY = "ssm_conv1d";

    private TensorNames() {
    }

    /**
     * Returns the name of a tensor of a layer.
     *
     * @param layer the layer index
     * @param tensor the tensor's name within the layer, e.g. {@link #ATTN_Q}
     * @return {@code blk.<layer>.<tensor>}
     */
    public static String blk(int layer, String tensor) {
        return BLOCK_PREFIX + layer + "." + tensor;
    }

    /**
     * Returns the layer of a tensor name.
     *
     * @param name a tensor name, not null
     * @return N for a name {@code blk.N.<rest>}, or -1 for any other name
     */
    public static int layerOf(String name) {
        if (!name.startsWith(BLOCK_PREFIX)) {
            return -1;
        }
        int start = BLOCK_PREFIX.length();
        int layer = 0;
        int i = start;
        for (; i < name.length() && name.charAt(i) != '.'; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9' || layer > MAX_LAYER) {
                return -1;
            }
            layer = layer * 10 + (c - '0');
        }
        return i == start || i == name.length() || layer > MAX_LAYER ? -1 : layer;
    }
}
