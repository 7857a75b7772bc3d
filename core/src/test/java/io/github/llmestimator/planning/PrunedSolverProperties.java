package io.github.llmestimator.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ModelGenerators;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The quantization solver prunes by a bound (a candidate whose weights alone exceed the memory of every device
 * together, or the budget, is passed over without an estimate). Here it is checked against the straightforward solver
 * it replaced, which estimates every candidate: over generated models, devices, placements, memory and targets, the two
 * give equal plans.
 */
final class PrunedSolverProperties {

    /** One ranked candidate of the straightforward solver. */
    private static final class Candidate {
        final Estimate estimate;
        final int rank;
        long headroom;
        int device = -1;
        boolean memoryFits;
        double speed;

        Candidate(Estimate estimate) {
            this.estimate = estimate;
            this.rank = SchemePlan.QUALITY_ORDER.indexOf(estimate.weights().scheme());
        }
    }

    /** The solver as it was: estimate every candidate, rank them, take the first that passes. */
    static SchemePlan reference(Estimator estimator, List<QuantScheme> candidates, long budgetBytes, double target) {
        boolean budget = budgetBytes > 0;
        List<Candidate> ranked = new ArrayList<>();
        for (Estimate estimate : Fit.storable(estimator, candidates)) {
            if (!budget) {
                Fit.deployment(estimate, "bestQuant()");
            }
            ranked.add(new Candidate(estimate));
        }
        ranked.sort(Comparator.comparingLong((Candidate c) -> -c.estimate.weightBytes()).thenComparingInt(c -> c.rank));
        Candidate previous = null;
        for (Candidate c : ranked) {
            if (budget) {
                c.headroom = Fit.headroom(c.estimate, budgetBytes);
            } else {
                c.device = Fit.tightest(c.estimate);
                c.headroom = Fit.headroom(c.estimate, c.device);
            }
            c.memoryFits = c.headroom >= 0;
            if (c.memoryFits && target > 0) {
                c.speed = Fit.speed(c.estimate);
            }
            if (c.memoryFits && (target == 0 || c.speed >= target)) {
                if (previous == null) {
                    return new SchemePlan(true, Binding.NONE, -1, c.headroom, target, c.estimate);
                }
                if (previous.memoryFits) {
                    return new SchemePlan(true, Binding.SPEED_TARGET, -1, c.headroom, target, c.estimate);
                }
                if (budget) {
                    return new SchemePlan(true, Fit.binding(previous.estimate, budgetBytes), -1, c.headroom, target,
                            c.estimate);
                }
                return new SchemePlan(true, Fit.binding(previous.estimate, previous.device), previous.device,
                        Fit.headroom(c.estimate, previous.device), target, c.estimate);
            }
            previous = c;
        }
        Candidate fastest = null;
        Candidate leastShort = null;
        for (Candidate c : ranked) {
            if (c.memoryFits && (fastest == null || c.speed > fastest.speed)) {
                fastest = c;
            }
            if (leastShort == null || c.headroom > leastShort.headroom) {
                leastShort = c;
            }
        }
        if (fastest != null) {
            return new SchemePlan(false, Binding.SPEED_TARGET, -1, fastest.headroom, target, fastest.estimate);
        }
        Binding binding = budget ? Fit.binding(leastShort.estimate, budgetBytes)
                : Fit.binding(leastShort.estimate, leastShort.device);
        return new SchemePlan(false, binding, leastShort.device, leastShort.headroom, target, leastShort.estimate);
    }

    /**
     * A deployment of the device chosen by the seed: alone, two or three of it by layers, or two tensor-parallel; alone
     * when the device or the model does not allow the choice.
     */
    private static Deployment deployment(ModelSpec model, Device device, int seed) {
        try {
            Deployment chosen;
            switch (Math.floorMod(seed, 4)) {
                case 1:
                    chosen = Deployment.layerSplit(List.of(device, device));
                    break;
                case 2:
                    chosen = Deployment.layerSplit(List.of(device, device, device));
                    break;
                case 3:
                    chosen = Deployment.tensorParallel(device, 2);
                    break;
                default:
                    chosen = Deployment.of(device);
            }
            chosen.checkModel(model);
            return chosen;
        } catch (IllegalArgumentException refused) {
            return Deployment.of(device);
        }
    }

    static void prunedBestQuantEqualsEstimatingEveryCandidate(ModelSpec model, Device device, int permille,
            int seed) {
        Estimator sized = Estimator.of(model).context(4096 * (1 + Math.floorMod(seed >> 4, 4)));
        List<Estimate> all = Fit.storable(sized, SchemePlan.DEFAULT_CANDIDATES);
        long low = all.stream().mapToLong(Estimate::totalBytes).min().orElseThrow();
        long high = all.stream().mapToLong(Estimate::totalBytes).max().orElseThrow();
        long memory = PlanningProperties.between(low, high, permille);
        Estimator base = sized.on(deployment(model, PlanningProperties.withUsable(device, memory), seed >> 2));
        double target = Math.floorMod(seed, 3) == 0 ? 0 : Math.floorMod(seed >> 8, 200) / 2.0;
        List<QuantScheme> candidates = Math.floorMod(seed >> 12, 2) == 0 ? SchemePlan.DEFAULT_CANDIDATES
                : SchemePlan.QUALITY_ORDER;
        SchemePlan pruned = target == 0 ? SchemePlan.of(base, candidates)
                : SchemePlan.of(base, candidates, DecodeTarget.of(target));
        assertEquals(reference(base, candidates, -1, target), pruned);
        assertEquals(reference(base, candidates, memory, 0), SchemePlan.of(base, candidates, DataSize.ofBytes(memory)));
    }

    @Test
    void prunedBestQuantEqualsEstimatingEveryCandidate() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(200)
                .forAll(ModelGenerators.models(), ModelGenerators.devices(), Generate.range(0, 1200),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(PrunedSolverProperties::prunedBestQuantEqualsEstimatingEveryCandidate);
    }
}
