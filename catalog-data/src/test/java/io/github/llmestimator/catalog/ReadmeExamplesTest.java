package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.memory.MemoryKit;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import org.junit.jupiter.api.Test;

/** The README's catalog sample, with the figures the README quotes. */
final class ReadmeExamplesTest {

    @Test
    void readme_catalogSample() {
        Estimate flagship = Estimator.of(Models.QWEN3_5_397B_A17B.spec()).quant(QuantScheme.Q4_K_M).context(8192)
                .estimate();
        assertEquals("225.44 GiB (242.06 GB)", flagship.total().toString());
        assertEquals(new MemoryKit(256), flagship.recommendedKit());
    }

    /**
     * The README's hardware sample: Llama-3.1-8B Q4_K_M at 8192 tokens fits an RTX 4090 (24 GiB); decode reads about
     * 4.9 GB of weights + 1 GiB of KV per token at 0.67 x 1008 GB/s, i.e. roughly 110 tokens/s.
     */
    @Test
    void readme_hardwareSample() {
        ModelSpec llama = ModelSpec.builder("Llama-3.1-8B")
                .architecture("llama")
                .hiddenSize(4096).vocabularySize(128256).maxContextTokens(131072)
                .addLayers(32, Layer.of(FullAttention.of(32, 8, 128), DenseFeedForward.gated(14336)))
                .build();
        Estimate onGpu = Estimator.of(llama).quant(QuantScheme.Q4_K_M).context(8192).on(Hardware.RTX_4090).estimate();
        assertTrue(onGpu.fits());
        double tokensPerSecond = onGpu.decode(8192).tokensPerSecond();
        assertTrue(tokensPerSecond > 90 && tokensPerSecond < 130, "decode " + tokensPerSecond);
        assertTrue(onGpu.prefill(4096).isPresent());
    }
}
