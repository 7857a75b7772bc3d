package io.github.llmestimator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The laptop class names the smallest M4 Pro memory option whose GPU share holds the model: macOS lets the GPU use 2/3
 * of 24 GiB (16 GiB) and 3/4 of 48 GiB (36 GiB) and of 64 GiB (48 GiB).
 */
final class HardwareProfileTest {

    @Test
    void laptopClass_smallestMemoryOptionThatHoldsTheModel() {
        assertEquals("laptop class (needs 7.0 GiB: fits the GPU share of an Apple M4 Pro (20-core GPU, 24 GB))",
                HardwareProfile.describe(7L << 30, List.of()));
        assertEquals("laptop class (needs 20.0 GiB: fits the GPU share of an Apple M4 Pro (20-core GPU, 48 GB))",
                HardwareProfile.describe(20L << 30, List.of()));
        assertEquals("laptop class (needs 40.0 GiB: fits the GPU share of an Apple M4 Pro (20-core GPU, 64 GB))",
                HardwareProfile.describe(40L << 30, List.of()));
    }
}
