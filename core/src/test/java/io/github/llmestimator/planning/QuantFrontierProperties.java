package io.github.llmestimator.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QualityModel;
import io.github.llmestimator.quant.QuantQuality;
import io.github.llmestimator.testing.ModelGenerators;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * Laws of {@link QuantFrontier}, on random models and devices sized so that some schemes fit and some do not:
 * <ul>
 *   <li>with quality falling as bits per weight rise, the best-quality choice is {@link SchemePlan}'s, the largest
 *   scheme that fits, and there is a choice exactly when the plan fits;</li>
 *   <li>for any quality figures: a larger KL-divergence limit never gives a larger smallest choice, nor a slower
 *   fastest choice, and never takes a choice away;</li>
 *   <li>every choice fits and is within its limit; the best-quality choice is on the frontier and has the least
 *   divergence of all that fit; along the frontier, fewer bytes always cost more divergence (and equal bytes, equal
 *   divergence: a tie neither side beats).</li>
 * </ul>
 */
final class QuantFrontierProperties {

    private static final List<io.github.llmestimator.quant.QuantScheme> CANDIDATES = SchemePlan.DEFAULT_CANDIDATES;

    private static Estimator sized(ModelSpec model, Device device, int permille) {
        Estimator base = Estimator.of(model).context(4096);
        List<Estimate> all = PlanningProperties.ranked(base, CANDIDATES);
        long low = all.get(all.size() - 1).totalBytes();
        long high = all.get(0).totalBytes();
        return base.on(PlanningProperties.withUsable(device, PlanningProperties.between(low, high, permille)));
    }

    /** Falls strictly with bits per weight. */
    private static final QualityModel MONOTONE = (scheme, bits) -> Optional.of(
            new QuantQuality(Math.exp(-bits), Math.exp(-bits), Math.exp(-bits), "exp(-bpw)"));

    /** Not monotone: a factor of 1 to 3 per scheme, by the seed. */
    private static QualityModel scrambled(int seed) {
        return (scheme, bits) -> {
            double k = Math.exp(-bits) * (1 + Math.floorMod(scheme.ordinal() * 31 + seed, 7) / 3.0);
            return Optional.of(new QuantQuality(k, k, k, "scrambled"));
        };
    }

    static void bestQualityIsSchemePlansAnswerWhenQualityIsMonotone(ModelSpec model, Device device, int permille) {
        Estimator setup = sized(model, device, permille);
        SchemePlan plan = SchemePlan.of(setup);
        QuantFrontier frontier = QuantFrontier.of(setup, CANDIDATES, MONOTONE, QuantObjective.bestQuality());
        assertEquals(plan.fits(), frontier.chosen().isPresent(), frontier::toString);
        if (plan.fits()) {
            assertEquals(plan.scheme(), frontier.chosen().get().scheme(), () -> plan + " vs " + frontier);
        }
    }

    @Test
    void bestQualityIsSchemePlansAnswerWhenQualityIsMonotone() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(100)
                .forAll(ModelGenerators.models(), ModelGenerators.devices(), Generate.range(0, 1200))
                .checkAssert(QuantFrontierProperties::bestQualityIsSchemePlansAnswerWhenQualityIsMonotone);
    }

    static void largerLimitsNeverChooseWorse(ModelSpec model, Device device, int permille, int seed) {
        Estimator setup = sized(model, device, permille);
        QualityModel quality = scrambled(seed);
        QuantFrontier best = QuantFrontier.of(setup, CANDIDATES, quality, QuantObjective.bestQuality());
        double least = Double.POSITIVE_INFINITY;
        for (QuantFrontier.Option o : best.options()) {
            if (o.fits()) {
                least = Math.min(least, o.meanKld());
            }
        }
        if (best.chosen().isPresent()) {
            QuantFrontier.Option chosen = best.chosen().get();
            assertEquals(least, chosen.meanKld());
            assertTrue(chosen.onFrontier(), best::toString);
        }
        List<QuantFrontier.Option> line = best.frontier();
        for (int i = 1; i < line.size(); i++) {
            long bytes = line.get(i).estimate().weightBytes();
            long previous = line.get(i - 1).estimate().weightBytes();
            assertTrue(bytes <= previous);
            if (bytes < previous) {
                assertTrue(line.get(i).meanKld() > line.get(i - 1).meanKld(), best::toString);
            } else {
                assertEquals(line.get(i - 1).meanKld(), line.get(i).meanKld(), best::toString);
            }
        }
        QuantFrontier.Option smaller = null;
        QuantFrontier.Option faster = null;
        for (double limit : new double[] {0.01, 0.03, 0.1, 0.3, 1}) {
            QuantFrontier smallest = QuantFrontier.of(setup, CANDIDATES, quality, QuantObjective.smallestWithin(limit));
            QuantFrontier fastest = QuantFrontier.of(setup, CANDIDATES, quality, QuantObjective.fastestWithin(limit));
            if (smaller != null) {
                QuantFrontier.Option was = smaller;
                QuantFrontier.Option now = smallest.chosen().orElseThrow(() -> new AssertionError(limit + " lost it"));
                assertTrue(now.estimate().totalBytes() <= was.estimate().totalBytes(), smallest::toString);
            }
            if (faster != null) {
                QuantFrontier.Option was = faster;
                QuantFrontier.Option now = fastest.chosen().orElseThrow(() -> new AssertionError(limit + " lost it"));
                assertTrue(now.decodeTokensPerSecond().getAsDouble() >= was.decodeTokensPerSecond().getAsDouble());
            }
            for (QuantFrontier f : List.of(smallest, fastest)) {
                f.chosen().ifPresent(c -> {
                    assertTrue(c.fits());
                    assertTrue(c.meanKld() <= limit);
                });
            }
            smaller = smallest.chosen().orElse(smaller);
            faster = fastest.chosen().orElse(faster);
        }
    }

    @Test
    void largerLimitsNeverChooseWorse() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(60)
                .forAll(ModelGenerators.models(), ModelGenerators.devices(), Generate.range(0, 1200),
                        Generate.range(0, 1000))
                .checkAssert(QuantFrontierProperties::largerLimitsNeverChooseWorse);
    }
}
