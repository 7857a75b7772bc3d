package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.AppleWorkingSet;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.quant.QuantScheme;
import org.junit.jupiter.api.Test;

/**
 * The worked case of the README: Llama 3.3 70B at Q4_K_M with an 8,192-token context on a 64 GB Mac fits macOS's
 * default working set (3/4 above 36 GiB) but not a flat 2/3 share, and pages under a wired limit set to 2/3.
 */
class AppleWorkingSetCaseTest {

    /** 64 GiB * 3/4 = 68,719,476,736 * 3 / 4 = 51,539,607,552 B = 48.00 GiB. */
    private static final long THREE_QUARTERS = 51_539_607_552L;
    /** 64 GiB * 2/3 = 68,719,476,736 * 2 / 3 = 45,812,984,490.67 B, floored: 45,812,984,490 B = 42.67 GiB. */
    private static final long TWO_THIRDS = 45_812_984_490L;

    private static Estimate on(Device mac) {
        return Estimator.of(Catalog.model("llama-3.3-70b").spec()).quant(QuantScheme.Q4_K_M).context(8192).on(mac)
                .estimate();
    }

    @Test
    void fitsThreeQuarters_notTwoThirds() {
        Device mac = Catalog.hardware("m1-max").device();
        assertEquals(64L << 30, mac.memoryBytes());
        assertEquals(THREE_QUARTERS, mac.usableMemoryBytes());
        assertEquals(AppleWorkingSet.Source.DEFAULT_THREE_QUARTERS, mac.appleWorkingSet().orElseThrow().source());

        Estimate estimate = on(mac);
        long total = estimate.devices().get(0).totalBytes();
        assertTrue(total > TWO_THIRDS && total <= THREE_QUARTERS, total + " B between the two limits");
        assertTrue(estimate.fits());

        // the flat 2/3 share the presets had before: 68,719,476,736 * 0.6667 = 45,815,275,139.89, floored: 45,815,275,139 B, still short
        Estimate flat = on(mac.withGpuMemoryFraction(0.6667));
        assertEquals(45_815_275_139L, flat.devices().get(0).usableBytes());
        assertFalse(flat.fits());
        assertFalse(flat.devices().get(0).paging(), "an explicit share is no macOS working set");

        // iogpu.wired_limit_mb=43690: 43,690 * 1,048,576 = 45,812,285,440 B, just under 2/3: pages, does not fit
        DeviceUsage wired = on(mac.withWiredLimitMiB(43_690)).devices().get(0);
        assertEquals(45_812_285_440L, wired.usableBytes());
        assertFalse(wired.fits());
        assertTrue(wired.paging());
    }
}
