package io.github.llmestimator.internal.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.internal.memory.KvLayout;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.QuantizedWeights;
import io.github.llmestimator.testing.ModelGenerators;
import io.github.llmestimator.throughput.DeploymentEstimate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The pooled per-device cache accounting ({@link CacheSplit}) against the straightforward one it replaced: every
 * layer's cache, one by one, times each device's share, rounded up per layer. Over generated models, schemes,
 * placements, cache types and contexts the two give the same bytes on every device, and the step model built from the
 * pools gives the same speeds whether the placement's pools were built for these settings or rebuilt after others.
 */
final class CacheSplitProperties {

    private static final KvCacheType[] CACHE_TYPES = {KvCacheType.F16, KvCacheType.F16, KvCacheType.Q8_0,
        KvCacheType.Q4_0, KvCacheType.F32};

    /** One placement of each family, chosen by the seed, among those the model accepts. */
    private static Deployment deployment(ModelSpec model, List<Device> pair, int seed) {
        int layers = model.layers().size();
        Device gpu = pair.get(0);
        Device ram = pair.get(1);
        Deployment[] choices = {Deployment.of(gpu), Deployment.gpuLayers(gpu, ram, Math.floorMod(seed, layers + 2)),
            Deployment.expertsInSystemRam(gpu, ram, Math.floorMod(seed, layers + 1)),
            Deployment.layerSplit(List.of(gpu, gpu, gpu)), Deployment.tensorParallel(gpu, 2 + Math.floorMod(seed, 3))};
        for (int i = 0; i < choices.length; i++) {
            Deployment d = choices[Math.floorMod(seed + i, choices.length)];
            try {
                d.checkModel(model);
                return d;
            } catch (IllegalArgumentException refused) {
                // the model cannot be split this way (heads not divisible, say): the next family
            }
        }
        return choices[0];
    }

    private static ContextSettings settings(ModelSpec model, int context, int seed) {
        KvCacheType type = CACHE_TYPES[Math.floorMod(seed, CACHE_TYPES.length)];
        boolean flash = Math.floorMod(seed >> 3, 4) != 0;
        int sequences = 1 + Math.floorMod(seed >> 5, 4);
        ContextSettings s = ContextSettings.defaults(model.maxContextTokens()).withContextTokens(context)
                .withCacheTypes(type, flash || !type.isQuantized() ? type : KvCacheType.F16)
                .withFlashAttention(flash).withParallelSequences(sequences)
                .withUnifiedKvCache(Math.floorMod(seed >> 7, 2) == 0)
                .withFullSlidingWindowCache(Math.floorMod(seed >> 8, 5) == 0);
        return s;
    }

    /** The KV bytes per cell of one layer, as the per-layer accounting wrote it out. */
    private static long referenceBytesPerCell(MixerBlock a, ContextSettings settings, long maxValueElements) {
        long valueElements = a.valueCacheElementsPerToken();
        if (valueElements > 0 && !settings.llamaCpp().flashAttention()) {
            valueElements = maxValueElements;
        }
        return settings.keyCacheType().tensorType().rowBytes(a.keyCacheElementsPerToken())
                + (valueElements > 0 ? settings.valueCacheType().tensorType().rowBytes(valueElements) : 0);
    }

    /** Each device's KV cache and recurrent state, layer by layer ({@code [0]} KV, {@code [1]} state). */
    private static long[][] reference(PlacedWeights placed, ContextSettings settings) {
        ModelSpec model = placed.weights().model();
        List<Layer> layers = model.layers();
        List<Layer> cached = KvLayout.cachedLayers(model);
        int devices = placed.deviceCount;
        long maxValueElements = 0;
        for (Layer layer : cached) {
            maxValueElements = Math.max(maxValueElements, layer.mixer().valueCacheElementsPerToken());
        }
        long[] kv = new long[devices];
        long[] state = new long[devices];
        long fullCells = settings.paddedContextTokens();
        for (int l = 0; l < cached.size(); l++) {
            MixerBlock a = cached.get(l).mixer();
            int placedLayer = Math.min(l, layers.size() - 1);
            long stateElements = a.convolutionStateElements() + a.recurrentStateElements();
            if (l < layers.size() && stateElements > 0) {
                long layerState = 4L * stateElements * settings.parallelSequences();
                for (int d = 0; d < devices; d++) {
                    state[d] += PlacedWeights.shareOf(layerState, placed.cacheShare[d][l]);
                }
            }
            if (a.hasKvCache()) {
                int window = a.slidingWindowTokens();
                long layerKv = (window > 0 ? settings.slidingWindowCells(window) : fullCells)
                        * referenceBytesPerCell(a, settings, maxValueElements);
                for (int d = 0; d < devices; d++) {
                    kv[d] += PlacedWeights.shareOf(layerKv, placed.cacheShare[d][placedLayer]);
                }
            }
        }
        return new long[][] {kv, state};
    }

    /** An estimate without adapters, projector or runtime allowance, as the estimator makes it. */
    private static DeploymentEstimate estimate(PlacedWeights placed, ContextMemory memory) {
        return DeploymentEstimates.of(placed, memory, 0, new long[placed.deviceCount()]);
    }

    static void pooledCachesEqualLayerByLayer(ModelSpec model, QuantScheme scheme, List<Device> pair, int seed) {
        // a context of 1 token to 1M tokens, drawn from the seed's bits apart from those the settings use
        int context = 1 + Math.floorMod(seed * 0x9E3779B1, 1 << 20);
        QuantizedWeights weights;
        try {
            weights = scheme.assign(model, false);
        } catch (IllegalArgumentException cannotStore) {
            return;
        }
        PlacedWeights placed = PlacedWeights.of(weights, deployment(model, pair, seed));
        ContextSettings settings = settings(model, Math.min(context, model.maxContextTokens()), seed);
        KvLayout layout = KvLayout.of(model, settings);
        ContextMemory memory;
        try {
            memory = layout.memory(settings);
        } catch (IllegalArgumentException refused) {
            return;
        }
        DeploymentEstimate estimate;
        try {
            estimate = estimate(placed, memory);
        } catch (IllegalStateException refused) {
            return;
        }
        long[][] expected = reference(placed, settings);
        List<DeviceUsage> usages = estimate.devices();
        for (int d = 0; d < usages.size(); d++) {
            assertEquals(expected[0][d], usages.get(d).kvCacheBytes(), "KV on device " + d + " of " + placed);
            assertEquals(expected[1][d], usages.get(d).recurrentStateBytes(), "state on device " + d + " of " + placed);
        }
        // fits() is worked out with the estimate, once per run of devices with equal pools; the usages one by one
        assertEquals(usages.stream().allMatch(DeviceUsage::fits), estimate.fits(), "fits on " + placed);
        // another cache setting replaces the placement's pools; coming back rebuilds equal ones
        ContextSettings other = settings.withCacheTypes(KvCacheType.F32, KvCacheType.F32).withFlashAttention(true);
        estimate(placed, KvLayout.of(model, other).memory(other));
        DeploymentEstimate again = estimate(placed, memory);
        PlacedWeights fresh = PlacedWeights.of(weights, placed.deployment());
        DeploymentEstimate rebuilt = estimate(fresh, memory);
        assertEquals(estimate.devices(), again.devices());
        assertEquals(rebuilt.devices(), again.devices());
        int position = settings.contextTokens() / settings.parallelSequences();
        assertEquals(rebuilt.decode(position), again.decode(position));
        if (position > 0) {
            assertEquals(rebuilt.prefill(position), again.prefill(position));
        }
    }

    @Test
    void pooledCachesEqualLayerByLayer() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(400)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.gpuAndSlowerSystemRam(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(CacheSplitProperties::pooledCachesEqualLayerByLayer);
    }
}
