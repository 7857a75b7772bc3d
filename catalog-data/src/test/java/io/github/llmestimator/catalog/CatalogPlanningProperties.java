package io.github.llmestimator.catalog;

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
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.planning.Binding;
import io.github.llmestimator.planning.ConcurrencyPlan;
import io.github.llmestimator.planning.ContextPlan;
import io.github.llmestimator.planning.DecodeTarget;
import io.github.llmestimator.planning.HardwarePlan;
import io.github.llmestimator.planning.OffloadPlan;
import io.github.llmestimator.planning.PagedKvCache;
import io.github.llmestimator.planning.SchemePlan;
import io.github.llmestimator.quant.QuantScheme;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The planning laws of issue 6 on every catalog model: each solver's answer fits according to the estimator, and one
 * step beyond it (one more context token, the next better scheme, one more layer on the GPU, one more sequence, a
 * configuration with less memory) does not. Each law runs for every model, over devices and settings generated with a
 * fixed seed. (The core module's PlanningProperties checks the same laws, with brute-force oracles, on generated
 * models.)
 */
final class CatalogPlanningProperties {

    private static final long SEED = 20261127L;

    private static final List<Device> GPUS = List.of(Hardware.RTX_3060_12GB, Hardware.RTX_4090, Hardware.RTX_5090,
            Hardware.L40S, Hardware.H100_SXM, Hardware.H200, Hardware.B200, Hardware.MI300X);
    private static final List<Device> SINGLE_DEVICES = List.of(Hardware.RTX_4090, Hardware.RTX_5090, Hardware.H100_SXM,
            Hardware.M4_MAX, Hardware.M3_ULTRA, Hardware.DGX_SPARK, Hardware.RYZEN_AI_MAX_395,
            Hardware.DDR5_5600_DUAL_CHANNEL, Hardware.B200);
    private static final List<KvCacheType> CACHES = List.of(KvCacheType.F16, KvCacheType.Q8_0, KvCacheType.Q4_0);

    private static List<ModelPreset> models() {
        return Catalog.models();
    }

    private static boolean passes(Estimate estimate, double target) {
        int end = estimate.context().settings().contextTokens() / estimate.context().settings().parallelSequences();
        return estimate.fits() && (target == 0 || estimate.decode(end).tokensPerSecondPerSequence() >= target);
    }

    // ---- maxContext

    static void maxContextFitsAndOneMoreTokenDoesNot(ModelSpec model, Device device, KvCacheType cache,
            int sequences) {
        Estimator base = Estimator.of(model).quant(QuantScheme.Q4_K_M).kvCacheType(cache)
                .parallelSequences(sequences).on(device);
        ContextPlan plan = ContextPlan.of(base);
        int c = plan.contextTokens();
        if (plan.fits()) {
            assertTrue(base.context(c).estimate().fits(), plan::toString);
            if (plan.binding() == Binding.TRAINED_CONTEXT) {
                assertEquals(model.maxContextTokens(), c);
            } else {
                assertFalse(base.context(c + 1).estimate().fits(), () -> plan + ": one more token fits");
            }
        } else {
            assertFalse(base.context(1).estimate().fits());
            assertTrue(plan.headroomBytes() < 0);
        }
    }

    @Test
    void maxContextFitsAndOneMoreTokenDoesNot() {
        for (ModelPreset preset : models()) {
            qt().withFixedSeed(SEED).withExamples(12)
                    .forAll(Generate.pick(SINGLE_DEVICES), Generate.pick(CACHES), Generate.range(1, 4))
                    .checkAssert((device, cache, sequences) ->
                            maxContextFitsAndOneMoreTokenDoesNot(preset.spec(), device, cache, sequences));
        }
    }

    // ---- bestQuant

    static void bestQuantFitsAndEveryBetterSchemeDoesNot(ModelSpec model, Device device, int context, int target) {
        Estimator base = Estimator.of(model).context(context).on(device);
        SchemePlan plan = target == 0 ? SchemePlan.of(base) : SchemePlan.of(base, DecodeTarget.of(target));
        List<Estimate> ranked = new ArrayList<>();
        for (QuantScheme scheme : SchemePlan.DEFAULT_CANDIDATES) {
            ranked.add(base.quant(scheme).estimate());
        }
        ranked.sort(Comparator.comparingLong((Estimate e) -> -e.weightBytes())
                .thenComparingInt(e -> SchemePlan.QUALITY_ORDER.indexOf(e.weights().scheme())));
        for (Estimate candidate : ranked) {
            if (plan.fits() && candidate.weights().scheme() == plan.scheme()) {
                assertTrue(passes(candidate, target), plan::toString);
                return;
            }
            assertFalse(passes(candidate, target), () -> plan + ": better " + candidate.weights().scheme() + " passes");
        }
        assertFalse(plan.fits(), plan::toString);
    }

    @Test
    void bestQuantFitsAndEveryBetterSchemeDoesNot() {
        for (ModelPreset preset : models()) {
            qt().withFixedSeed(SEED).withExamples(3)
                    .forAll(Generate.pick(SINGLE_DEVICES), Generate.pick(List.of(4096, 32_768)),
                            Generate.pick(List.of(0, 0, 10, 40)))
                    .checkAssert((device, context, target) ->
                            bestQuantFitsAndEveryBetterSchemeDoesNot(preset.spec(), device, context, target));
        }
    }

    // ---- offloadSplit

    static void offloadSplitFitsAndOneMoreLayerOnTheGpuDoesNot(ModelSpec model, Device gpu, long ramGiB,
            int context) {
        Estimator base = Estimator.of(model).quant(QuantScheme.Q4_K_M).context(context);
        Device ram = Hardware.DDR5_5600_DUAL_CHANNEL.withMemoryBytes(ramGiB << 30);
        OffloadPlan plan = OffloadPlan.of(base, gpu, ram);
        assertEquals(base.on(plan.deployment()).estimate(), plan.estimate());
        int layers = model.layers().size();
        Estimate oneMore = null;
        if (plan.placement() instanceof GpuLayers) {
            int n = ((GpuLayers) plan.placement()).gpuLayers();
            if (n < layers + 1) {
                oneMore = base.on(Deployment.gpuLayers(gpu, ram, n + 1)).estimate();
            }
        } else {
            int k = ((ExpertsInSystemRam) plan.placement()).firstLayers();
            if (k > 0) {
                oneMore = base.on(Deployment.expertsInSystemRam(gpu, ram, k - 1)).estimate();
            }
        }
        assertTrue(plan.estimate().devices().get(0).fits(), plan::toString);
        if (oneMore != null) {
            Estimate next = oneMore;
            assertFalse(next.devices().get(0).fits(), () -> plan + ": one more on the GPU fits");
        } else {
            assertEquals(Binding.NONE, plan.fits() ? plan.binding() : Binding.NONE);
        }
        assertEquals(plan.estimate().fits(), plan.fits());
    }

    @Test
    void offloadSplitFitsAndOneMoreLayerOnTheGpuDoesNot() {
        for (ModelPreset preset : models()) {
            qt().withFixedSeed(SEED).withExamples(3)
                    .forAll(Generate.pick(List.of(Hardware.RTX_3060_12GB, Hardware.RTX_4090, Hardware.RTX_5090)),
                            Generate.pick(List.of(64L, 128L, 256L, 512L)), Generate.pick(List.of(8192, 32_768)))
                    .checkAssert((gpu, ram, context) ->
                            offloadSplitFitsAndOneMoreLayerOnTheGpuDoesNot(preset.spec(), gpu, ram, context));
        }
    }

    // ---- concurrency

    static Estimate slots(Estimator base, int sequences, int tokens) {
        return base.parallelSequences(sequences).context(sequences * tokens).estimate();
    }

    static void concurrencyFitsAndOneMoreSequenceDoesNot(ModelSpec model, Device device, QuantScheme scheme,
            int tokens) {
        Estimator base = Estimator.of(model).quant(scheme).on(device);
        ConcurrencyPlan plan = ConcurrencyPlan.of(base, tokens);
        int p = plan.sequences();
        if (plan.fits()) {
            assertTrue(slots(base, p, tokens).fits(), plan::toString);
            if (plan.binding() != Binding.SEARCH_LIMIT) {
                assertFalse(slots(base, p + 1, tokens).fits(), () -> plan + ": one more sequence fits");
            }
        } else {
            assertFalse(slots(base, 1, tokens).fits());
        }
        ConcurrencyPlan paged = ConcurrencyPlan.of(base, tokens, PagedKvCache.VLLM_DEFAULTS);
        if (paged.fits() && paged.binding() == Binding.KV_CACHE) {
            // one more request's blocks do not fit what vLLM's share leaves after the estimator's weights and buffers
            DeviceUsage usage = paged.estimate().devices().get(paged.limitingDeviceIndex().getAsInt());
            long available = (long) Math.floor(0.92 * usage.usableBytes()) - (usage.weightBytes()
                    + usage.outputBufferBytes() + usage.computeBufferBytes() + usage.runtimeOverheadBytes());
            assertEquals(available - paged.sequences() * paged.bytesPerSequence(), paged.headroomBytes());
            assertTrue(paged.headroomBytes() >= 0 && paged.headroomBytes() < paged.bytesPerSequence(),
                    paged::toString);
        }
    }

    @Test
    void concurrencyFitsAndOneMoreSequenceDoesNot() {
        for (ModelPreset preset : models()) {
            qt().withFixedSeed(SEED).withExamples(4)
                    .forAll(Generate.pick(List.of(Hardware.H100_SXM, Hardware.H200, Hardware.B200, Hardware.M3_ULTRA,
                            Hardware.RTX_PRO_6000_BLACKWELL)), Generate.pick(List.of(QuantScheme.Q4_K_M,
                            QuantScheme.FP8, QuantScheme.BF16)), Generate.pick(List.of(2048, 8192, 32_768, 131_072)))
                    .checkAssert((device, scheme, tokens) ->
                            concurrencyFitsAndOneMoreSequenceDoesNot(preset.spec(), device, scheme, tokens));
        }
    }

    // ---- minimumHardware

    static void minimumHardwareFitsAndNoConfigurationWithLessMemoryDoes(ModelSpec model, int context, int target) {
        Estimator base = Estimator.of(model).quant(QuantScheme.Q4_K_M).context(context);
        HardwarePlan plan = target == 0 ? CatalogPlanning.minimumHardware(base)
                : CatalogPlanning.minimumHardware(base, DecodeTarget.of(target));
        long answer = plan.fits() ? plan.installedMemoryBytes() : Long.MAX_VALUE;
        if (plan.fits()) {
            assertTrue(passes(plan.estimate(), target), plan::toString);
        }
        long lowerBound = base.estimate().totalBytes();
        for (Device device : CatalogPlanning.devices()) {
            int most = device.kind() == DeviceKind.DISCRETE_GPU ? HardwarePlan.MAX_DEVICES : 1;
            for (int n = 1; n <= most && n * device.memoryBytes() < answer; n++) {
                if (n * device.usableMemoryBytes() < lowerBound && target == 0) {
                    continue; // it cannot fit: each device holds its share and its own buffers
                }
                Deployment config = n == 1 ? Deployment.of(device)
                        : Deployment.layerSplit(Collections.nCopies(n, device));
                Estimate e = base.on(config).estimate();
                assertFalse(passes(e, target), () -> plan + ": " + config + " has less memory and passes");
            }
        }
    }

    @Test
    void minimumHardwareFitsAndNoConfigurationWithLessMemoryDoes() {
        for (ModelPreset preset : models()) {
            qt().withFixedSeed(SEED).withExamples(2)
                    .forAll(Generate.pick(List.of(4096, 32_768)), Generate.pick(List.of(0, 20)))
                    .checkAssert((context, target) ->
                            minimumHardwareFitsAndNoConfigurationWithLessMemoryDoes(preset.spec(), context, target));
        }
    }
}
