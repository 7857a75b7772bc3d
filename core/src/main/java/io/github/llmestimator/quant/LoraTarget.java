package io.github.llmestimator.quant;

import java.util.List;

/**
 * A module a LoRA adapter adapts, by its PEFT name ({@code target_modules} in {@code adapter_config.json}), with the
 * GGUF tensors of llama.cpp it patches: {@code convert_lora_to_gguf.py} names each adapter pair after the base tensor
 * ({@code blk.N.attn_q.weight.lora_a} and {@code .lora_b}), and {@code src/llama-adapter.cpp} looks the base tensor up
 * by that name. A mixture-of-experts model's gate, up and down projections are its routed-expert and shared-expert
 * tensors.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum LoraTarget {
    /** {@code q_proj}: {@code attn_q}. */
    Q("q_proj", List.of("attn_q")),
    /** {@code k_proj}: {@code attn_k}. */
    K("k_proj", List.of("attn_k")),
    /** {@code v_proj}: {@code attn_v}. */
    V("v_proj", List.of("attn_v")),
    /** {@code o_proj}: {@code attn_output}. */
    O("o_proj", List.of("attn_output")),
    /** {@code gate_proj}: {@code ffn_gate}, or the experts' {@code ffn_gate_exps} and {@code ffn_gate_shexp}. */
    GATE("gate_proj", List.of("ffn_gate", "ffn_gate_exps", "ffn_gate_shexp")),
    /** {@code up_proj}: {@code ffn_up}, or the experts' {@code ffn_up_exps} and {@code ffn_up_shexp}. */
    UP("up_proj", List.of("ffn_up", "ffn_up_exps", "ffn_up_shexp")),
    /** {@code down_proj}: {@code ffn_down}, or the experts' {@code ffn_down_exps} and {@code ffn_down_shexp}. */
    DOWN("down_proj", List.of("ffn_down", "ffn_down_exps", "ffn_down_shexp")),
    /** {@code embed_tokens}: {@code token_embd}, whose A and B llama.cpp stores the other way round. */
    EMBED("embed_tokens", List.of("token_embd")),
    /** {@code lm_head}: {@code output} (absent when the model ties it to the embedding). */
    LM_HEAD("lm_head", List.of("output"));

    private final String peftName;
    private final List<String> ggufNames;

    LoraTarget(String peftName, List<String> ggufNames) {
        this.peftName = peftName;
        this.ggufNames = ggufNames;
    }

    /**
     * Returns the module's name in PEFT's {@code target_modules}.
     *
     * @return the name, such as {@code q_proj}
     */
    public String peftName() {
        return peftName;
    }

    /**
     * Returns whether a GGUF tensor name is a tensor of this module: {@code blk.N.<name>.weight} for a layer module,
     * {@code <name>.weight} for the embedding and the output head.
     *
     * @param tensorName a GGUF tensor name, not null
     * @return true when the adapter patches that tensor
     */
    boolean matches(String tensorName) {
        for (String gguf : ggufNames) {
            String suffix = gguf + ".weight";
            if (this == EMBED || this == LM_HEAD ? tensorName.equals(suffix)
                    : tensorName.startsWith("blk.") && tensorName.endsWith("." + suffix)
                            && tensorName.indexOf('.', 4) == tensorName.length() - suffix.length() - 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the target of a short name ({@code q}, {@code k}, {@code v}, {@code o}, {@code gate}, {@code up},
     * {@code down}, {@code embed}, {@code lm_head}) or of a PEFT module name ({@code q_proj} ...), in any case.
     *
     * @param name the name, not null
     * @return the target
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if the name is none of these
     */
    public static LoraTarget of(String name) {
        java.util.Objects.requireNonNull(name, "name");
        for (LoraTarget target : values()) {
            if (target.name().equalsIgnoreCase(name) || target.peftName.equalsIgnoreCase(name)) {
                return target;
            }
        }
        throw new IllegalArgumentException("name: '" + name + "' (expected: q, k, v, o, gate, up, down, embed or"
                + " lm_head, or the PEFT names q_proj ... down_proj, embed_tokens)");
    }
}
