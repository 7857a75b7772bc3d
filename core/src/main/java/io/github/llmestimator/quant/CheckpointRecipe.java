package io.github.llmestimator.quant;

import io.github.llmestimator.model.CheckpointFormat;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;

/**
 * The per-tensor type rule of the checkpoint schemes (FP8, AWQ/GPTQ INT4, NVFP4, the publisher's native format): the
 * linear layers (attention, recurrent, feed-forward, expert and next-token-prediction projections) take the scheme's
 * type and everything else stays BF16, as AutoAWQ, AutoGPTQ, llm-compressor and TensorRT Model Optimizer write their
 * checkpoints. It is kept apart from {@link LlamaQuantRecipe} because it shares none of llama.cpp's rules: no
 * position, no counters, no name categories.
 */
final class CheckpointRecipe {

    private CheckpointRecipe() {
    }

    /**
     * Returns the type of one quantizable tensor under a checkpoint scheme; a row length the type cannot store (a
     * group or block that does not divide it) keeps BF16, as the quantizers skip such layers.
     *
     * @param t the tensor
     * @param scheme a scheme whose {@link QuantScheme#isGguf()} is false
     * @param published the format the model is published in, which {@link QuantScheme#NATIVE} keeps
     */
    static StorageType typeOf(Tensor t, QuantScheme scheme, CheckpointFormat published) {
        TensorRole role = t.role();
        boolean linear = role == TensorRole.ATTENTION || role == TensorRole.RECURRENT
                || role == TensorRole.DENSE_FEED_FORWARD || role == TensorRole.ROUTED_EXPERTS
                || role == TensorRole.SHARED_EXPERTS || role == TensorRole.NEXT_TOKEN_PREDICTION;
        if (!linear) {
            return TensorType.BF16;
        }
        StorageType target;
        if (scheme == QuantScheme.NATIVE) {
            switch (published) {
                case FP8:
                    target = TensorType.FP8_E4M3;
                    break;
                case MXFP4_EXPERTS:
                    target = role == TensorRole.ROUTED_EXPERTS ? TensorType.MXFP4 : TensorType.BF16;
                    break;
                default:
                    target = TensorType.BF16;
            }
        } else {
            target = scheme.defaultType();
        }
        return target.acceptsRowLength(t.ne0()) ? target : TensorType.BF16;
    }
}
