package io.github.llmestimator.internal.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ModelGenerators;
import io.github.llmestimator.throughput.DecodeSpeed;
import io.github.llmestimator.throughput.PrefillSpeed;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Laws of the speed estimates (issue 3), over generated models, schemes, devices and positions. */
final class ThroughputProperties {

    private static final double TOLERANCE = 1e-9;

    private static int position(ModelSpec model, int seed) {
        return Math.floorMod(seed, model.maxContextTokens() + 1);
    }

    private static boolean hasCompute(Device device) {
        return device.denseTflops(Precision.FP16).isPresent();
    }

    private static Device doubled(Device device) {
        return device.withMemoryBandwidthGBps(2 * device.memoryBandwidthGBps());
    }

    /**
     * A device that states no throughput is bandwidth-bound by definition: doubling its bandwidth halves the time its
     * bytes take, while the fixed time of its layers stays, so {@code 1/twice = (1/once - fixed)/2 + fixed}; the low
     * and high bounds likewise. Either way more bandwidth never slows a token, nor speeds it more than proportionally:
     * the speed rises by a factor between 1 and 2.
     */
    static void doublingBandwidthDoublesBandwidthBoundDecodeSpeed(ModelSpec model, QuantScheme scheme, Device device,
            int seed) {
        int p = position(model, seed);
        Estimator base = Estimator.of(model).quant(scheme);
        DecodeSpeed once = base.on(device).estimate().decode(p);
        DecodeSpeed twice = base.on(doubled(device)).estimate().decode(p);
        if (!hasCompute(device)) {
            double fixed = 0;
            for (var layer : model.layers()) {
                fixed += Efficiency.layerSeconds(device.backend())
                        + (layer.feedForward().routedExperts() > 0 ? Efficiency.expertLayerSeconds(device.backend()) : 0);
            }
            assertHalvedBytesTime(once.tokensPerSecond(), twice.tokensPerSecond(), fixed);
            assertHalvedBytesTime(once.lowTokensPerSecond(), twice.lowTokensPerSecond(), fixed);
            assertHalvedBytesTime(once.highTokensPerSecond(), twice.highTokensPerSecond(), fixed);
        }
        assertTrue(twice.tokensPerSecond() >= once.tokensPerSecond() * (1 - TOLERANCE)
                && twice.tokensPerSecond() <= 2 * once.tokensPerSecond() * (1 + TOLERANCE),
                () -> once + " / " + twice);
    }

    private static void assertHalvedBytesTime(double once, double twice, double fixedSeconds) {
        double expected = 1 / ((1 / once - fixedSeconds) / 2 + fixedSeconds);
        assertEquals(expected, twice, expected * TOLERANCE);
    }

    /**
     * The same for a split: doubling both devices' bandwidth halves the time of a bandwidth-bound {@code -ngl n}
     * step's bytes; the GPU and the CPU spend the same fixed time per layer, so the split leaves it at
     * {@code layers x time per layer}.
     */
    static void doublingBandwidthDoublesSplitDecodeSpeed(ModelSpec model, QuantScheme scheme, List<Device> pair,
            int seed) {
        Device gpu = Device.builder("GPU", pair.get(0).kind()).memoryBytes(pair.get(0).memoryBytes())
                .memoryBandwidthGBps(pair.get(0).memoryBandwidthGBps()).build();
        Device ram = Device.builder("RAM", pair.get(1).kind()).memoryBytes(pair.get(1).memoryBytes())
                .memoryBandwidthGBps(pair.get(1).memoryBandwidthGBps()).build();
        int layers = Math.floorMod(seed, model.layers().size() + 2);
        int p = position(model, seed);
        Estimator base = Estimator.of(model).quant(scheme);
        double once = base.on(Deployment.gpuLayers(gpu, ram, layers)).estimate().decode(p).tokensPerSecond();
        double twice = base.on(Deployment.gpuLayers(doubled(gpu), doubled(ram), layers)).estimate().decode(p)
                .tokensPerSecond();
        assertEquals(Efficiency.layerSeconds(gpu.backend()), Efficiency.layerSeconds(ram.backend()));
        assertHalvedBytesTime(once, twice, model.layers().size() * Efficiency.layerSeconds(gpu.backend()));
    }

    /** More tokens in the context never make the next token faster: it reads at least as much cache. */
    static void moreContextNeverSpeedsUpDecode(ModelSpec model, QuantScheme scheme, Device device, int seed) {
        int a = position(model, seed);
        int b = position(model, seed / 7 + 31 * seed);
        Estimate e = Estimator.of(model).quant(scheme).on(device).estimate();
        DecodeSpeed near = e.decode(Math.min(a, b));
        DecodeSpeed far = e.decode(Math.max(a, b));
        assertTrue(far.tokensPerSecond() <= near.tokensPerSecond() * (1 + TOLERANCE), () -> near + " / " + far);
        assertTrue(far.bytesPerStep() >= near.bytesPerStep());
    }

    /**
     * Moving one more block from a GPU to slower system RAM ({@code -ngl n} to {@code -ngl n-1}: a layer's tensors and
     * cache, or the output head) never speeds up decoding or prompt processing.
     */
    static void movingALayerToSlowerMemoryNeverSpeedsItUp(ModelSpec model, QuantScheme scheme, List<Device> pair,
            int seed) {
        int n = 1 + Math.floorMod(seed, model.layers().size() + 1);
        int p = position(model, seed);
        int prompt = 1 + Math.floorMod(seed, 3000);
        Estimator base = Estimator.of(model).quant(scheme).context(4096);
        Estimate faster = base.on(Deployment.gpuLayers(pair.get(0), pair.get(1), n)).estimate();
        Estimate slower = base.on(Deployment.gpuLayers(pair.get(0), pair.get(1), n - 1)).estimate();
        int position = Math.min(p, 4096);
        assertTrue(slower.decode(position).tokensPerSecond() <= faster.decode(position).tokensPerSecond()
                * (1 + TOLERANCE), () -> "-ngl " + n + ": " + faster.decode(position) + "; -ngl " + (n - 1) + ": "
                + slower.decode(position));
        PrefillSpeed fast = faster.prefill(prompt).orElseThrow();
        PrefillSpeed slow = slower.prefill(prompt).orElseThrow();
        assertTrue(slow.tokensPerSecond() <= fast.tokensPerSecond() * (1 + TOLERANCE), () -> fast + " / " + slow);
    }

    /** Moving one more layer's routed experts to slower system RAM ({@code --n-cpu-moe}) never speeds anything up. */
    static void movingExpertsToSlowerMemoryNeverSpeedsItUp(ModelSpec model, QuantScheme scheme, List<Device> pair,
            int seed) {
        int k = Math.floorMod(seed, model.layers().size());
        Estimator base = Estimator.of(model).quant(scheme).context(4096);
        Estimate faster = base.on(Deployment.expertsInSystemRam(pair.get(0), pair.get(1), k)).estimate();
        Estimate slower = base.on(Deployment.expertsInSystemRam(pair.get(0), pair.get(1), k + 1)).estimate();
        int p = Math.min(position(model, seed), 4096);
        assertTrue(slower.decode(p).tokensPerSecond() <= faster.decode(p).tokensPerSecond() * (1 + TOLERANCE));
        int prompt = 1 + Math.floorMod(seed, 3000);
        assertTrue(slower.prefill(prompt).orElseThrow().tokensPerSecond()
                <= faster.prefill(prompt).orElseThrow().tokensPerSecond() * (1 + TOLERANCE));
    }

    /**
     * A mixture-of-experts model and a dense model that read the same bytes per token decode at the same speed on the
     * same device, but for the time the runtime spends per layer of routed experts (choosing and dispatching them):
     * {@code 1/moe = 1/dense + layers x expert-layer time}. The dense twin has the MoE's blocks with a dense FFN as wide as the active experts plus the shared
     * ones; in F32 the MoE's routers (4 x hidden x experts bytes per layer) are matched by {@code experts x layers}
     * more rows in the twin's output head, which every token reads too.
     */
    static void denseAndMoeWithSameActiveBytesDecodeAtTheSameSpeed(MixerBlock attention, MixtureOfExperts moe,
            Device device, int seed) {
        int hidden = 256 << Math.floorMod(seed, 4);
        int layers = 1 + Math.floorMod(seed / 4, 6);
        int vocabulary = 32 * (1 + Math.floorMod(seed / 32, 300));
        int width = moe.expertsPerToken() * moe.expertSize() + moe.sharedSize();
        ModelSpec mixture = ModelSpec.builder("moe").architecture("generated").hiddenSize(hidden)
                .vocabularySize(vocabulary).maxContextTokens(4096).addLayers(layers, Layer.of(attention, moe)).build();
        ModelSpec dense = ModelSpec.builder("dense").architecture("generated").hiddenSize(hidden)
                .vocabularySize(vocabulary + moe.experts() * layers).maxContextTokens(4096)
                .addLayers(layers, Layer.of(attention, new DenseFeedForward(width, moe.gated()))).build();
        int p = Math.floorMod(seed, 4097);
        DecodeSpeed a = Estimator.of(mixture).quant(QuantScheme.F32).on(device).estimate().decode(p);
        DecodeSpeed b = Estimator.of(dense).quant(QuantScheme.F32).on(device).estimate().decode(p);
        assertEquals(a.bytesPerStep(), b.bytesPerStep());
        double expected = 1 / (1 / b.tokensPerSecond() + layers * Efficiency.expertLayerSeconds(device.backend()));
        assertEquals(expected, a.tokensPerSecond(), expected * TOLERANCE);
    }

    /** On one device, the device holds exactly the device-independent estimate. */
    static void oneDeviceHoldsTheWholeEstimate(ModelSpec model, QuantScheme scheme, Device device, int context) {
        Estimate e = Estimator.of(model).quant(scheme).context(context).on(device).estimate();
        assertEquals(e.totalBytes(), e.devices().get(0).totalBytes());
        assertEquals(e.kvCacheBytes(), e.devices().get(0).kvCacheBytes());
    }

    /** Where the deployment is given in the chain does not matter. */
    static void deploymentIsIndependentOfCallOrder(ModelSpec model, QuantScheme scheme, List<Device> pair,
            int context) {
        Deployment split = Deployment.gpuLayers(pair.get(0), pair.get(1), Math.floorMod(context, 3));
        Estimate first = Estimator.of(model).on(split).quant(scheme).context(context).estimate();
        Estimate second = Estimator.of(model).context(context).quant(scheme).on(split).estimate();
        assertEquals(first, second);
        assertEquals(first.decode(0), second.decode(0));
    }

    private static Gen<MixtureOfExperts> mixtures() {
        return in -> {
            int experts = Generate.range(2, 16).generate(in);
            int perToken = Generate.range(1, experts).generate(in);
            int size = 32 * Generate.range(1, 32).generate(in);
            int shared = Generate.range(0, 1).generate(in) * 32 * Generate.range(1, 16).generate(in);
            boolean gated = Generate.range(0, 1).generate(in) == 1;
            return new MixtureOfExperts(experts, perToken, size, shared, gated, false);
        };
    }

    @Test
    void doublingBandwidthDoublesBandwidthBoundDecodeSpeed() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(200)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.devices(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(ThroughputProperties::doublingBandwidthDoublesBandwidthBoundDecodeSpeed);
    }

    @Test
    void doublingBandwidthDoublesSplitDecodeSpeed() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(100)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.gpuAndSlowerSystemRam(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(ThroughputProperties::doublingBandwidthDoublesSplitDecodeSpeed);
    }

    @Test
    void moreContextNeverSpeedsUpDecode() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(200)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.devices(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(ThroughputProperties::moreContextNeverSpeedsUpDecode);
    }

    @Test
    void movingALayerToSlowerMemoryNeverSpeedsItUp() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(150)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.gpuAndSlowerSystemRam(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(ThroughputProperties::movingALayerToSlowerMemoryNeverSpeedsItUp);
    }

    @Test
    void movingExpertsToSlowerMemoryNeverSpeedsItUp() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(150)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.gpuAndSlowerSystemRam(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(ThroughputProperties::movingExpertsToSlowerMemoryNeverSpeedsItUp);
    }

    @Test
    void denseAndMoeWithSameActiveBytesDecodeAtTheSameSpeed() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(200)
                .forAll(ModelGenerators.attentionBlocks(), mixtures(), ModelGenerators.devices(),
                        Generate.range(0, Integer.MAX_VALUE))
                .checkAssert(ThroughputProperties::denseAndMoeWithSameActiveBytesDecodeAtTheSameSpeed);
    }

    @Test
    void oneDeviceHoldsTheWholeEstimate() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(200)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.devices(),
                        ModelGenerators.contexts())
                .checkAssert(ThroughputProperties::oneDeviceHoldsTheWholeEstimate);
    }

    @Test
    void deploymentIsIndependentOfCallOrder() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(100)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.gpuAndSlowerSystemRam(),
                        ModelGenerators.contexts())
                .checkAssert(ThroughputProperties::deploymentIsIndependentOfCallOrder);
    }
}
