package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.memory.MemoryKit;
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
}
