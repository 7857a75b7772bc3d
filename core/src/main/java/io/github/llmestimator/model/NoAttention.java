package io.github.llmestimator.model;

import java.util.List;

/**
 * The absence of a token mixer: a layer that is only a feed-forward block (Nemotron-H's MLP and MoE layers).
 */
public record NoAttention() implements MixerBlock {

    /** The single instance worth having. */
    public static final NoAttention INSTANCE = new NoAttention();

    @Override
    public int queryHeads() {
        return 0;
    }

    @Override
    public int keyValueHeads() {
        return 0;
    }

    @Override
    public long keyCacheElementsPerToken() {
        return 0;
    }

    @Override
    public long valueCacheElementsPerToken() {
        return 0;
    }

    @Override
    public List<Tensor> tensors(int layer, int hiddenSize) {
        ModelSpec.checkTensorArguments(layer, hiddenSize);
        return List.of();
    }
}
