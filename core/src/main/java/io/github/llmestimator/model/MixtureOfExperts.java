package io.github.llmestimator.model;

import static io.github.llmestimator.internal.TensorNames.FFN_DOWN_EXPS;
import static io.github.llmestimator.internal.TensorNames.FFN_DOWN_EXPS_BIAS;
import static io.github.llmestimator.internal.TensorNames.FFN_DOWN_SHEXP;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_EXPS;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_EXPS_BIAS;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_INP;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_INP_BIAS;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE_SHEXP;
import static io.github.llmestimator.internal.TensorNames.FFN_NORM;
import static io.github.llmestimator.internal.TensorNames.FFN_UP_EXPS;
import static io.github.llmestimator.internal.TensorNames.FFN_UP_EXPS_BIAS;
import static io.github.llmestimator.internal.TensorNames.FFN_UP_SHEXP;
import static io.github.llmestimator.internal.TensorNames.blk;

import io.github.llmestimator.internal.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * A mixture-of-experts feed-forward block: a router picks {@code expertsPerToken} of {@code experts} routed experts
 * for each token; shared experts, if any, see every token.
 *
 * <p>llama.cpp stores the routed experts stacked ({@code ffn_gate_exps} and {@code ffn_up_exps} of
 * {@code [n_embd, expertSize, experts]}, {@code ffn_down_exps} of {@code [expertSize, n_embd, experts]}), the router as
 * F32 {@code ffn_gate_inp} of {@code [n_embd, experts]}, and the shared experts merged into one block of width
 * {@code sharedSize} ({@code ffn_*_shexp}).
 *
 * @param experts routed experts ({@code num_experts}, {@code n_routed_experts}), at least 2
 * @param expertsPerToken experts each token uses ({@code num_experts_per_tok}), 1 to {@code experts}
 * @param expertSize hidden width of one routed expert ({@code moe_intermediate_size}), at least 1
 * @param sharedSize total hidden width of the shared experts ({@code shared_expert_intermediate_size}, or
 *     {@code n_shared_experts * moe_intermediate_size}), 0 when there are none
 * @param gated whether experts have a gate projection (false for Nemotron-H's squared-ReLU experts)
 * @param biased whether the router and the routed experts' projections have biases (gpt-oss: F32
 *     {@code ffn_*_exps.bias} of {@code [width, experts]})
 */
public record MixtureOfExperts(int experts, int expertsPerToken, int expertSize, int sharedSize, boolean gated,
        boolean biased) implements FeedForwardBlock {

    /**
     * Validates the components.
     *
     * @param experts routed experts ({@code num_experts}, {@code n_routed_experts}), at least 2
     * @param expertsPerToken experts each token uses ({@code num_experts_per_tok}), 1 to {@code experts}
     * @param expertSize hidden width of one routed expert ({@code moe_intermediate_size}), at least 1
     * @param sharedSize total hidden width of the shared experts ({@code shared_expert_intermediate_size}, or {@code
     *     n_shared_experts * moe_intermediate_size}), 0 when there are none
     * @param gated whether experts have a gate projection (false for Nemotron-H's squared-ReLU experts)
     * @param biased whether the router and the routed experts' projections have biases (gpt-oss: F32 {@code
     *     ffn_*_exps.bias} of {@code [width, experts]})
     * @throws IllegalArgumentException if a count is out of range
     */
    public MixtureOfExperts {
        if (experts < 2) {
            throw new IllegalArgumentException("experts: " + experts + " (expected: >= 2)");
        }
        if (expertsPerToken < 1 || expertsPerToken > experts) {
            throw new IllegalArgumentException(
                    "expertsPerToken: " + expertsPerToken + " (expected: 1 to experts = " + experts + ")");
        }
        Checks.positive("expertSize", expertSize);
        Checks.nonNegative("sharedSize", sharedSize);
    }

    /**
     * Returns a gated mixture of experts without shared experts (Mixtral, Qwen3 MoE, gpt-oss).
     *
     * @param experts routed experts
     * @param expertsPerToken experts per token
     * @param expertSize hidden width of one expert
     * @return the block
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static MixtureOfExperts of(int experts, int expertsPerToken, int expertSize) {
        return new MixtureOfExperts(experts, expertsPerToken, expertSize, 0, true, false);
    }

    /**
     * Returns this block with shared experts of the given total width.
     *
     * @param sharedSize total width of the shared experts, at least 1
     * @return a copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code sharedSize} is not positive
     */
    public MixtureOfExperts withSharedExperts(int sharedSize) {
        Checks.positive("sharedSize", sharedSize);
        return new MixtureOfExperts(experts, expertsPerToken, expertSize, sharedSize, gated, biased);
    }

    /**
     * Returns this block with biases on the router and the routed experts.
     *
     * @return a copy; this instance is immutable and unaffected by this method call
     */
    public MixtureOfExperts withBiases() {
        return new MixtureOfExperts(experts, expertsPerToken, expertSize, sharedSize, gated, true);
    }

    @Override
    public int routedExperts() {
        return experts;
    }

    @Override
    public List<Tensor> tensors(int layer, int hiddenSize) {
        ModelSpec.checkTensorArguments(layer, hiddenSize);
        List<Tensor> tensors = new ArrayList<>(8);
        TensorRole routed = TensorRole.ROUTED_EXPERTS;
        tensors.add(Tensor.vector(blk(layer, FFN_NORM), TensorRole.NORM, layer, hiddenSize));
        tensors.add(Tensor.matrix(blk(layer, FFN_GATE_INP), TensorRole.ROUTER, layer, hiddenSize, experts));
        if (gated) {
            tensors.add(Tensor.stacked(blk(layer, FFN_GATE_EXPS), routed, layer, hiddenSize, expertSize, experts));
        }
        tensors.add(Tensor.stacked(blk(layer, FFN_UP_EXPS), routed, layer, hiddenSize, expertSize, experts));
        tensors.add(Tensor.stacked(blk(layer, FFN_DOWN_EXPS), routed, layer, expertSize, hiddenSize, experts));
        if (biased) {
            tensors.add(Tensor.vector(blk(layer, FFN_GATE_INP_BIAS), TensorRole.ROUTER, layer, experts));
            if (gated) {
                tensors.add(Tensor.matrix(blk(layer, FFN_GATE_EXPS_BIAS), routed, layer, expertSize, experts));
            }
            tensors.add(Tensor.matrix(blk(layer, FFN_UP_EXPS_BIAS), routed, layer, expertSize, experts));
            tensors.add(Tensor.matrix(blk(layer, FFN_DOWN_EXPS_BIAS), routed, layer, hiddenSize, experts));
        }
        if (sharedSize > 0) {
            TensorRole shared = TensorRole.SHARED_EXPERTS;
            if (gated) {
                tensors.add(Tensor.matrix(blk(layer, FFN_GATE_SHEXP), shared, layer, hiddenSize, sharedSize));
            }
            tensors.add(Tensor.matrix(blk(layer, FFN_UP_SHEXP), shared, layer, hiddenSize, sharedSize));
            tensors.add(Tensor.matrix(blk(layer, FFN_DOWN_SHEXP), shared, layer, sharedSize, hiddenSize));
        }
        return List.copyOf(tensors);
    }
}
