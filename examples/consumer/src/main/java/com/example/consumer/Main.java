package com.example.consumer;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Models;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;

/** The README's code samples, as a user would paste them. */
public final class Main {

    private Main() {
    }

    /**
     * Prints the two README samples and whether it runs as a named module.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        ModelSpec llama = ModelSpec.builder("Llama-3.1-8B")
                .architecture("llama")
                .hiddenSize(4096).vocabularySize(128256).maxContextTokens(131072)
                .addLayers(32, Layer.of(FullAttention.of(32, 8, 128), DenseFeedForward.gated(14336)))
                .build();
        Estimate estimate = Estimator.of(llama).quant(QuantScheme.Q4_K_M).context(8192).estimate();
        System.out.println(estimate);
        Estimate flagship = Estimator.of(Models.QWEN3_5_397B_A17B).quant(QuantScheme.Q4_K_M).context(8192)
                .estimate();
        System.out.println("flagship total " + flagship.total() + ", kit " + flagship.recommendedKit());
        System.out.println("named module: " + Main.class.getModule().isNamed());
    }
}
