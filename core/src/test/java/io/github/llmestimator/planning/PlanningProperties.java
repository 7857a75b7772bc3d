package io.github.llmestimator.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.hardware.ExpertsInSystemRam;
import io.github.llmestimator.hardware.GpuLayers;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ModelGenerators;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Laws of the planning solvers (issue 6): each answer fits according to the estimator, and the step beyond it does
 * not. The oracles here re-derive the step beyond by brute force (every layer count, every candidate, every cheaper
 * configuration), so they also check that the solvers' searches find the boundary. The catalog module runs the same
 * laws on every catalog model.
 */
final class PlanningProperties {

    /** The bindings the current law has produced, so that each law asserts it saw the cases that matter. */
    private static final Set<Binding> SEEN = EnumSet.noneOf(Binding.class);

    private static final KvCacheType[] CACHES = {KvCacheType.F16, KvCacheType.Q8_0, KvCacheType.Q4_0};

    /** Returns memory between just below {@code low} and just above {@code high}, placed by {@code permille}. */
    static long between(long low, long high, int permille) {
        long memory = low - (1L << 20) + (long) ((high - low + (2L << 20)) * (permille / 1000.0));
        return Math.max(1, memory);
    }

    /** Returns the device with the given usable memory (for unified memory, as near as its GPU share allows). */
    static Device withUsable(Device device, long usableBytes) {
        double share = device.gpuMemoryFraction().orElse(1);
        return device.withMemoryBytes(Math.max(1, (long) Math.ceil(usableBytes / share)));
    }

    // ---- maxContext

    static void maxContextFitsAndOneMoreTokenDoesNot(ModelSpec model, QuantScheme scheme, Device device, int seed) {
        int sequences = 1 + Math.floorMod(seed, 4);
        Estimator base = Estimator.of(model).quant(scheme).parallelSequences(sequences)
                .unifiedKvCache((seed >> 2 & 1) == 1).kvCacheType(CACHES[Math.floorMod(seed >> 3, CACHES.length)]);
        long small = base.context(1).estimate().totalBytes();
        long large = base.context(model.maxContextTokens()).estimate().totalBytes();
        long memory = between(small, large, Math.floorMod(seed >> 5, 1200));
        Estimator on = base.on(withUsable(device, memory));
        ContextPlan plan = ContextPlan.of(on);
        SEEN.add(plan.binding());
        checkContextPlan(model, on, plan, e -> e.fits());
        ContextPlan budget = ContextPlan.of(base, DataSize.ofBytes(memory));
        checkContextPlan(model, base, budget, e -> e.totalBytes() <= memory);
    }

    interface Fits {
        boolean test(Estimate estimate);
    }

    static void checkContextPlan(ModelSpec model, Estimator base, ContextPlan plan, Fits fits) {
        int c = plan.contextTokens();
        if (plan.fits()) {
            Estimate at = base.context(c).estimate();
            assertEquals(at, plan.estimate());
            assertTrue(fits.test(at), () -> plan + ": " + at);
            assertTrue(plan.headroomBytes() >= 0, plan::toString);
            if (plan.binding() == Binding.TRAINED_CONTEXT) {
                assertEquals(model.maxContextTokens(), c);
            } else {
                assertEquals(Binding.KV_CACHE, plan.binding());
                assertFalse(fits.test(base.context(c + 1).estimate()), () -> plan + ": " + (c + 1) + " fits too");
            }
        } else {
            assertFalse(fits.test(base.context(1).estimate()), plan::toString);
            assertTrue(plan.headroomBytes() < 0, plan::toString);
            assertTrue(plan.binding() == Binding.WEIGHTS || plan.binding() == Binding.KV_CACHE, plan::toString);
        }
    }

    @Test
    void maxContextFitsAndOneMoreTokenDoesNot() {
        SEEN.clear();
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(1000)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.devices(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(PlanningProperties::maxContextFitsAndOneMoreTokenDoesNot);
        assertEquals(EnumSet.of(Binding.TRAINED_CONTEXT, Binding.KV_CACHE, Binding.WEIGHTS), SEEN);
    }

    // ---- bestQuant

    /** Returns the candidates that can store the model, best first: most weight bytes, then the quality order. */
    static List<Estimate> ranked(Estimator base, List<QuantScheme> candidates) {
        List<Estimate> ranked = new ArrayList<>();
        for (QuantScheme scheme : candidates) {
            try {
                ranked.add(base.quant(scheme).estimate());
            } catch (IllegalArgumentException cannotStore) {
                // left out, as the solver leaves it out
            }
        }
        ranked.sort(Comparator.comparingLong((Estimate e) -> -e.weightBytes())
                .thenComparingInt(e -> SchemePlan.QUALITY_ORDER.indexOf(e.weights().scheme())));
        return ranked;
    }

    static boolean passes(Estimate estimate, double target) {
        return estimate.fits() && (target == 0 || estimate.decode(Fit.endPosition(estimate))
                .tokensPerSecondPerSequence() >= target);
    }

    static void bestQuantFitsAndEveryBetterSchemeDoesNot(ModelSpec model, Device device, int permille, int seed) {
        Estimator sized = Estimator.of(model).context(4096);
        List<Estimate> all = ranked(sized, SchemePlan.DEFAULT_CANDIDATES);
        long low = all.get(all.size() - 1).totalBytes();
        long high = all.get(0).totalBytes();
        Estimator base = sized.on(withUsable(device, between(low, high, permille)));
        List<Estimate> ranked = ranked(base, SchemePlan.DEFAULT_CANDIDATES);
        double target = 0;
        SchemePlan plan;
        if (seed % 2 == 0) {
            plan = SchemePlan.of(base);
        } else {
            // a target between the slowest and the fastest candidate's speed
            double slow = Double.MAX_VALUE;
            double fast = 0;
            for (Estimate e : ranked) {
                double speed = e.decode(Fit.endPosition(e)).tokensPerSecondPerSequence();
                slow = Math.min(slow, speed);
                fast = Math.max(fast, speed);
            }
            target = slow + (fast - slow) * Math.floorMod(seed, 1100) / 1000.0;
            plan = SchemePlan.of(base, DecodeTarget.of(target));
        }
        double t = target;
        SEEN.add(plan.binding());
        if (plan.fits()) {
            assertTrue(passes(plan.estimate(), t), plan::toString);
            for (Estimate better : ranked) {
                if (better.weights().scheme() == plan.scheme()) {
                    break;
                }
                assertFalse(passes(better, t), () -> plan + ": " + better.weights().scheme() + " passes too");
            }
            Estimate same = base.quant(plan.scheme()).estimate();
            assertEquals(same, plan.estimate());
        } else {
            for (Estimate candidate : ranked) {
                assertFalse(passes(candidate, t), () -> plan + ": " + candidate.weights().scheme() + " passes");
            }
            assertTrue(plan.binding() == Binding.SPEED_TARGET || plan.headroomBytes() < 0, plan::toString);
        }
    }

    @Test
    void bestQuantFitsAndEveryBetterSchemeDoesNot() {
        SEEN.clear();
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(300)
                .forAll(ModelGenerators.models(), ModelGenerators.devices(), Generate.range(0, 1200),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(PlanningProperties::bestQuantFitsAndEveryBetterSchemeDoesNot);
        assertTrue(SEEN.containsAll(EnumSet.of(Binding.NONE, Binding.WEIGHTS, Binding.SPEED_TARGET)), SEEN::toString);
    }

    // ---- offloadSplit

    static boolean gpuFits(Estimate estimate) {
        return estimate.devices().get(0).fits();
    }

    static void offloadSplitFitsAndOneMoreLayerOnTheGpuDoesNot(ModelSpec model, QuantScheme scheme,
            List<Device> gpuAndRam, int permille) {
        Estimator base = Estimator.of(model).quant(scheme).context(Math.min(8192, model.maxContextTokens()));
        long total = base.estimate().totalBytes();
        Device gpu = gpuAndRam.get(0).withMemoryBytes(Math.max(1, total * permille / 1000));
        Device ram = permille % 7 == 0 ? gpuAndRam.get(1).withMemoryBytes(Math.max(1, total / 2))
                : gpuAndRam.get(1);
        OffloadPlan plan = OffloadPlan.of(base, gpu, ram);
        SEEN.add(plan.binding());
        int layers = model.layers().size();
        // brute force: the most -ngl and the fewest --n-cpu-moe the GPU holds
        int mostGpuLayers = -1;
        for (int n = 0; n <= layers + 1; n++) {
            if (gpuFits(base.on(Deployment.gpuLayers(gpu, ram, n)).estimate())) {
                assertEquals(n, mostGpuLayers + 1, "GPU memory is not monotone in -ngl");
                mostGpuLayers = n;
            }
        }
        int fewestCpuMoe = -1;
        if (model.isMixtureOfExperts()) {
            for (int k = layers; k >= 0 && gpuFits(base.on(Deployment.expertsInSystemRam(gpu, ram, k)).estimate());
                    k--) {
                fewestCpuMoe = k;
            }
        }
        Estimate byLayers = base.on(Deployment.gpuLayers(gpu, ram, mostGpuLayers)).estimate();
        Estimate byExperts = fewestCpuMoe < 0 ? null
                : base.on(Deployment.expertsInSystemRam(gpu, ram, fewestCpuMoe)).estimate();
        assertEquals(base.on(plan.deployment()).estimate(), plan.estimate());
        if (plan.placement() instanceof GpuLayers) {
            assertEquals(mostGpuLayers, ((GpuLayers) plan.placement()).gpuLayers(), plan::toString);
        } else {
            assertEquals(fewestCpuMoe, ((ExpertsInSystemRam) plan.placement()).firstLayers(), plan::toString);
        }
        if (plan.fits()) {
            assertTrue(plan.estimate().fits());
            double speed = plan.decode().tokensPerSecond();
            for (Estimate other : new Estimate[] {byLayers, byExperts}) {
                if (other != null && other.fits()) {
                    assertTrue(speed >= Fit.speed(other), () -> plan + " is slower than " + other);
                }
            }
            assertEquals(plan.binding() == Binding.NONE, plan.limitingDeviceIndex().isEmpty());
        } else {
            assertFalse(byLayers.fits());
            assertTrue(byExperts == null || !byExperts.fits());
            assertTrue(plan.headroomBytes() < 0);
        }
    }

    @Test
    void offloadSplitFitsAndOneMoreLayerOnTheGpuDoesNot() {
        SEEN.clear();
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(500)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.gpuAndSlowerSystemRam(),
                        Generate.range(0, 1100))
                .checkAssert(PlanningProperties::offloadSplitFitsAndOneMoreLayerOnTheGpuDoesNot);
        assertTrue(SEEN.containsAll(EnumSet.of(Binding.NONE, Binding.WEIGHTS, Binding.KV_CACHE)), SEEN::toString);
    }

    // ---- concurrency

    static Estimate slots(Estimator base, int sequences, int tokens) {
        return base.parallelSequences(sequences).context(sequences * tokens).estimate();
    }

    static void concurrencyFitsAndOneMoreSequenceDoesNot(ModelSpec model, QuantScheme scheme, Device device,
            int seed) {
        int tokens = 256 * (1 + Math.floorMod(seed, 64)) - Math.floorMod(seed >> 6, 3) * 100;
        Estimator sized = Estimator.of(model).quant(scheme).unifiedKvCache((seed >> 8 & 1) == 1);
        long one = slots(sized, 1, tokens).totalBytes();
        long many = slots(sized, 40, tokens).totalBytes();
        Estimator base = sized.on(withUsable(device, between(one, many, Math.floorMod(seed >> 9, 1100))));
        ConcurrencyPlan plan = ConcurrencyPlan.of(base, tokens);
        SEEN.add(plan.binding());
        int p = plan.sequences();
        if (plan.fits()) {
            Estimate at = slots(base, p, tokens);
            assertEquals(at, plan.estimate());
            assertTrue(at.fits(), plan::toString);
            if (plan.binding() == Binding.SEARCH_LIMIT) {
                assertEquals(ConcurrencyPlan.LLAMA_MAX_SEQUENCES, p);
            } else {
                assertEquals(Binding.KV_CACHE, plan.binding());
                assertFalse(slots(base, p + 1, tokens).fits(), () -> plan + ": one more fits too");
            }
            assertEquals(at.decode(tokens), plan.decode());
        } else {
            assertFalse(slots(base, 1, tokens).fits(), plan::toString);
        }
    }

    @Test
    void concurrencyFitsAndOneMoreSequenceDoesNot() {
        SEEN.clear();
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(1000)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.devices(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(PlanningProperties::concurrencyFitsAndOneMoreSequenceDoesNot);
        assertTrue(SEEN.containsAll(EnumSet.of(Binding.KV_CACHE, Binding.WEIGHTS)), SEEN::toString);
    }

    /**
     * The paged view holds exactly the requests that fit what is left on the limiting device after the estimator's
     * weights and buffers: {@code sequences * bytesPerSequence <= available < (sequences + 1) * bytesPerSequence}.
     */
    static void pagedConcurrencyHoldsExactlyTheRequestsThatFit(ModelSpec model, QuantScheme scheme, Device device,
            int seed) {
        int tokens = 1 + Math.floorMod(seed, 65536);
        PagedKvCache cache = new PagedKvCache(0.5 + Math.floorMod(seed >> 16, 50) / 100.0,
                1 << Math.floorMod(seed >> 8, 6), 256 * (1 + Math.floorMod(seed >> 11, 16)), 1 + Math.floorMod(seed, 2));
        Estimator base = Estimator.of(model).quant(scheme).on(device);
        ConcurrencyPlan plan = ConcurrencyPlan.of(base, tokens, cache);
        SEEN.add(plan.binding());
        Estimate one = slots(base, 1, tokens);
        assertEquals(one, plan.estimate());
        assertTrue(plan.paged());
        int index = plan.limitingDeviceIndex().orElse(0);
        DeviceUsage usage = one.devices().get(index);
        long available = (long) Math.floor(cache.gpuMemoryUtilization() * usage.usableBytes())
                - (usage.weightBytes() + usage.outputBufferBytes() + usage.computeBufferBytes()
                + usage.runtimeOverheadBytes());
        long p = plan.sequences();
        if (plan.binding() == Binding.WEIGHTS) {
            assertEquals(0, p);
            assertEquals(available, plan.headroomBytes());
            assertTrue(available < 0);
            return;
        }
        assertEquals(available - Math.max(p, 1) * plan.bytesPerSequence(), plan.headroomBytes(), plan::toString);
        if (plan.binding() == Binding.KV_CACHE && p > 0) {
            assertTrue(plan.headroomBytes() >= 0 && plan.headroomBytes() < plan.bytesPerSequence(), plan::toString);
            assertEquals(slots(base, (int) p, tokens).decode(tokens), plan.decode());
        }
        if (p == 0) {
            assertEquals(Binding.KV_CACHE, plan.binding());
            assertTrue(available < plan.bytesPerSequence());
        }
    }

    @Test
    void pagedConcurrencyHoldsExactlyTheRequestsThatFit() {
        SEEN.clear();
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(1000)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.devices(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(PlanningProperties::pagedConcurrencyHoldsExactlyTheRequestsThatFit);
        assertTrue(SEEN.containsAll(EnumSet.of(Binding.KV_CACHE, Binding.WEIGHTS)), SEEN::toString);
    }

    // ---- minimumHardware

    /** The configurations the solver considers: each distinct device once, a discrete GPU up to 8 times. */
    static List<Deployment> configurations(List<Device> devices) {
        List<Deployment> all = new ArrayList<>();
        for (Device device : devices.stream().distinct().toList()) {
            int most = device.kind() == DeviceKind.DISCRETE_GPU ? HardwarePlan.MAX_DEVICES : 1;
            for (int n = 1; n <= most; n++) {
                all.add(n == 1 ? Deployment.of(device) : Deployment.layerSplit(Collections.nCopies(n, device)));
            }
        }
        return all;
    }

    static long installed(Deployment deployment) {
        return deployment.devices().size() * deployment.devices().get(0).memoryBytes();
    }

    static void minimumHardwareFitsAndNoConfigurationWithLessMemoryDoes(ModelSpec model, QuantScheme scheme,
            List<Device> generated, int seed) {
        Estimator base = Estimator.of(model).quant(scheme).context(Math.min(4096, model.maxContextTokens()));
        long total = base.estimate().totalBytes();
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            // from a twentieth of the model to one and a half times it, so that counts of GPUs matter
            int permille = 50 + Math.floorMod(seed >> (4 * i), 16) * 90;
            devices.add(generated.get(i).withMemoryBytes(Math.max(1, total / 1000 * permille)));
        }
        double target = 0;
        HardwarePlan plan;
        if (seed % 3 == 0) {
            plan = HardwarePlan.of(base, devices);
        } else {
            target = 1 + Math.floorMod(seed, 200);
            plan = HardwarePlan.of(base, devices, DecodeTarget.of(target));
        }
        double t = target;
        SEEN.add(plan.binding());
        long answer = plan.fits() ? plan.installedMemoryBytes() : Long.MAX_VALUE;
        for (Deployment config : configurations(devices)) {
            if (installed(config) < answer) {
                Estimate e = base.on(config).estimate();
                assertFalse(passes(e, t), () -> plan + ": " + config + " has less memory and passes");
            }
        }
        if (plan.fits()) {
            assertTrue(passes(plan.estimate(), t), plan::toString);
            assertEquals(base.on(plan.deployment()).estimate(), plan.estimate());
        }
    }

    static Gen<List<Device>> deviceLists() {
        Gen<Device> device = ModelGenerators.devices();
        return in -> {
            int size = Generate.range(1, 3).generate(in);
            List<Device> list = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                list.add(device.generate(in));
            }
            return list;
        };
    }

    @Test
    void minimumHardwareFitsAndNoConfigurationWithLessMemoryDoes() {
        SEEN.clear();
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(500)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), deviceLists(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(PlanningProperties::minimumHardwareFitsAndNoConfigurationWithLessMemoryDoes);
        assertTrue(SEEN.containsAll(EnumSet.of(Binding.NONE, Binding.WEIGHTS, Binding.SPEED_TARGET)), SEEN::toString);
    }

    // ---- the search itself

    /** The search finds the last non-negative point of any non-increasing sequence, in O(log n) probes. */
    static void searchFindsTheBoundaryInLogarithmicProbes(int length, int boundary, int slopeSeed) {
        long high = length;
        long last = Math.min(boundary, length) - 1;
        // a non-increasing, piecewise linear headroom crossing zero after `last`
        long slope = 1 + Math.floorMod(slopeSeed, 1000);
        long kink = Math.floorMod(slopeSeed >> 10, length + 1);
        int[] probes = {0};
        Search.Outcome<Long> found = Search.lastFitting(0, high - 1, x -> {
            probes[0]++;
            long h = (last - x) * slope + (x > kink ? -(x - kink) * (slopeSeed & 7) : 0);
            return x <= last ? Math.max(h, 0) : Math.min(h, -1);
        }, x -> x);
        assertEquals(last, found.last);
        int log = 64 - Long.numberOfLeadingZeros(high);
        assertTrue(probes[0] <= 3 * log + 3, () -> probes[0] + " probes for " + high + " points");
    }

    @Test
    void searchFindsTheBoundaryInLogarithmicProbes() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(2000)
                .forAll(Generate.range(1, 10_000_000), Generate.range(0, 10_000_001),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(PlanningProperties::searchFindsTheBoundaryInLogarithmicProbes);
    }
}
