package io.github.llmestimator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import org.junit.jupiter.api.Test;

/** The README's first code sample, run as written, with the output the README prints. */
final class ReadmeExamplesTest {

    @Test
    void readme_firstSample() {
        ModelSpec llama = ModelSpec.builder("Llama-3.1-8B")
                .architecture("llama")
                .hiddenSize(4096).vocabularySize(128256).maxContextTokens(131072)
                .addLayers(32, Layer.of(FullAttention.of(32, 8, 128), DenseFeedForward.gated(14336)))
                .build();
        Estimate estimate = Estimator.of(llama).quant(QuantScheme.Q4_K_M).context(8192).estimate();
        assertEquals("Estimate[Llama-3.1-8B Q4_K_M, context 8192: weights 4.58 GiB (4.91 GB), KV 1.00 GiB (1.07 GB), "
                + "state 0.00 MiB (0.00 MB), total 6.84 GiB (7.34 GB), kit 8 GB]", estimate.toString());
    }
}
