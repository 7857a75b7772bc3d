package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Power;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.throughput.TokenEnergy;
import org.junit.jupiter.api.Test;

/**
 * Energy per decoded token (the speed model and {@link TokenEnergy}'s utilisation rule over the catalog's power
 * figures) against published measurements of tokens per second and watts during generation: Jeff Geerling's
 * ai-benchmarks, whose README tables give the eval rate and the peak power at the wall of Ollama runs
 * (https://github.com/geerlingguy/ai-benchmarks/blob/main/README.md; Ollama's default files: Q4_K_M for the Llama
 * tags, MXFP4 for gpt-oss). The published joules per token are watts over tokens per second.
 *
 * <p>The band is a factor of 2 either way, and it is wide for stated reasons: the published watts are the whole
 * computer's peak at the wall (the host CPU, fans and power-supply losses of the RTX 4090 system included; Apple's own
 * maximum is the whole Mac's, so the Mac mini compares like with like), while the estimate is the device's share of
 * its published maximum; and the speed model's own range is about -30 % to +20 % at these sizes (its low and high
 * efficiencies). The ratios of estimate to measurement at this commit are in each comment (1.52, 1.45, 0.86, 0.55,
 * 0.76: geometric mean 0.95); {@code ./mvnw -B verify -pl catalog-data -am -Dtest=PublishedEnergyTest
 * -Dsurefire.failIfNoSpecifiedTests=false} fails with the ratio when one leaves the band.
 */
final class PublishedEnergyTest {

    /** A factor of 2 either way, for the reasons in the class comment. */
    private static final double BAND = 2.0;

    private static double estimatedJoulesPerToken(String model, QuantScheme scheme, String hardware) {
        Estimate estimate = Estimator.of(Catalog.model(model).spec()).quant(scheme).context(4096)
                .on(Catalog.hardware(hardware).device()).estimate();
        Deployment deployment = estimate.deployment().orElseThrow().deployment();
        return TokenEnergy.decode(deployment, estimate.decode(512)).orElseThrow().joulesPerToken();
    }

    private static void withinBand(double published, double estimated) {
        double ratio = estimated / published;
        assertTrue(ratio >= 1 / BAND && ratio <= BAND, "estimate " + estimated + " J/token against published "
                + published + " J/token: ratio " + ratio + " (expected: within a factor of " + BAND + ")");
    }

    /**
     * M4 Mac mini (10-core GPU, 32 GB), Llama 3.2 3B: 41.31 tokens/s at 30.1 W, 0.729 J/token
     * (https://github.com/geerlingguy/ai-benchmarks/issues/2). Estimate: 0.6 x 65 W (Apple's maximum for the Mac
     * mini) = 39 W over the estimated 35.2 tokens/s, 1.107 J/token; ratio 1.52: the speed model is slower than this run
     * and the Mac drew less than 0.6 of its maximum.
     */
    @Test
    void m4MacMini_llama32_3b() {
        Power power = Catalog.hardware("m4").device().power().orElseThrow();
        assertEquals(65, power.maxWatts());
        assertEquals(Power.Scope.SYSTEM, power.scope());
        withinBand(30.1 / 41.31, estimatedJoulesPerToken("llama-3.2-3b", QuantScheme.Q4_K_M, "m4"));
    }

    /**
     * RTX 4090 in an Intel Core Ultra 265K PC, Llama 3.2 3B: 334.67 tokens/s at 261.9 W for the whole PC, 0.783
     * J/token (https://github.com/geerlingguy/ai-benchmarks/issues/43). Estimate: 0.6 x 450 W = 270 W for the card
     * alone, over the estimated 238 tokens/s, 1.133 J/token; ratio 1.45 (the estimated speed is below this run's).
     */
    @Test
    void rtx4090_llama32_3b() {
        withinBand(261.9 / 334.67, estimatedJoulesPerToken("llama-3.2-3b", QuantScheme.Q4_K_M, "rtx-4090"));
    }

    /**
     * Dell Pro Max with GB10 (a DGX Spark), gpt-oss 20B: 87.97 tokens/s at 122.8 W, 1.396 J/token
     * (https://github.com/geerlingguy/ai-benchmarks/issues/34). Estimate: 0.6 x 140 W (GB10's package power) = 84 W
     * over the estimated 69.8 tokens/s, 1.204 J/token; ratio 0.86.
     */
    @Test
    void dgxSpark_gptOss20b() {
        withinBand(122.8 / 87.97, estimatedJoulesPerToken("gpt-oss-20b", QuantScheme.MXFP4_MOE, "dgx-spark"));
    }

    /**
     * The same GB10, Llama 3.1 70B: 4.71 tokens/s at 156 W, 33.1 J/token
     * (https://github.com/geerlingguy/ai-benchmarks/issues/34). Estimate: 84 W over the estimated 4.6 tokens/s, 18.3
     * J/token; ratio 0.55, near the low end: the box drew more than the rule gives the package (the whole box, not the
     * GB10 alone, is measured).
     */
    @Test
    void dgxSpark_llama31_70b() {
        withinBand(156 / 4.71, estimatedJoulesPerToken("llama-3.1-70b", QuantScheme.Q4_K_M, "dgx-spark"));
    }

    /**
     * The same GB10, Llama 3.2 3B: 97.93 tokens/s at 128.5 W, 1.312 J/token
     * (https://github.com/geerlingguy/ai-benchmarks/issues/34). Estimate: 84 W over the estimated 84.2 tokens/s,
     * 0.998 J/token; ratio 0.76.
     */
    @Test
    void dgxSpark_llama32_3b() {
        withinBand(128.5 / 97.93, estimatedJoulesPerToken("llama-3.2-3b", QuantScheme.Q4_K_M, "dgx-spark"));
    }
}
