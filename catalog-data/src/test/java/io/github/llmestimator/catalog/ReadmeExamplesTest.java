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
import io.github.llmestimator.planning.ContextPlan;
import io.github.llmestimator.planning.OffloadPlan;
import io.github.llmestimator.planning.SchemePlan;
import io.github.llmestimator.quant.QuantScheme;
import org.junit.jupiter.api.Test;

/** The README's catalog sample, with the figures the README quotes. */
final class ReadmeExamplesTest {

    @Test
    void readme_catalogSample() {
        Estimate flagship = Estimator.of(Models.QWEN3_5_397B_A17B).quant(QuantScheme.Q4_K_M).context(8192)
                .estimate();
        assertEquals("225.46 GiB (242.09 GB)", flagship.total().toString());
        assertEquals(new MemoryKit(256), flagship.recommendedKit());
    }

    /**
     * The README's hardware sample: Llama-3.1-8B Q4_K_M at 8192 tokens fits an RTX 4090 (24 GiB); decode reads about
     * 4.9 GB of weights + 1 GiB of KV per token at 0.72 x 1008 GB/s (7.3 ms) plus 32 layers at 48 us (1.5 ms), i.e.
     * roughly 112 tokens/s.
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

    /**
     * The README's planning lines (worked by hand in core's planning tests): Llama-3.1-8B Q4_K_M on a 12 GiB RTX 3060
     * reaches 50,432 tokens with an f16 cache; at 8192 tokens the best scheme that fits is Q8_0; Qwen3.5-397B-A17B
     * Q4_K_M at 32K on an RTX 5090 with 256 GiB of DDR5-5600 keeps the experts of the first 54 layers in RAM.
     */
    @Test
    void readme_planningSamples() {
        ModelSpec llama = Models.LLAMA_3_1_8B.spec();
        assertEquals(50432, ContextPlan.of(Estimator.of(llama).quant(QuantScheme.Q4_K_M).on(Hardware.RTX_3060_12GB))
                .contextTokens());
        assertEquals(QuantScheme.Q8_0, SchemePlan.of(Estimator.of(llama).context(8192).on(Hardware.RTX_3060_12GB))
                .scheme());
        var ddr5 = Hardware.DDR5_5600_DUAL_CHANNEL.withMemoryBytes(256L << 30);
        var plan = OffloadPlan.of(Estimator.of(Models.QWEN3_5_397B_A17B).quant(QuantScheme.Q4_K_M).context(32768),
                Hardware.RTX_5090, ddr5);
        assertEquals(new io.github.llmestimator.hardware.ExpertsInSystemRam(54), plan.placement());
    }
}
