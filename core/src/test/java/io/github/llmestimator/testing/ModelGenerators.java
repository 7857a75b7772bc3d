package io.github.llmestimator.testing;

import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.CheckpointFormat;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.GatedDeltaNet;
import io.github.llmestimator.model.LatentAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.Mamba2;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.NoAttention;
import io.github.llmestimator.model.NoFeedForward;
import io.github.llmestimator.model.SlidingWindowAttention;
import io.github.llmestimator.quant.QuantScheme;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * The one place where random model specs, schemes, contexts and devices for the laws are generated. Every dimension
 * is a multiple of 32 so that every scheme and cache type can store every tensor; sizes are small so laws run fast.
 */
public final class ModelGenerators {

    /** Seed for every law, so that CI runs are reproducible. */
    public static final long SEED = 20261127L;

    private static final List<Integer> HIDDEN = List.of(256, 512, 768, 1024, 2048, 4096);
    private static final List<Integer> HEAD_DIMS = List.of(64, 128, 256);

    private ModelGenerators() {
    }

    private static int pick(RandomnessSource in, List<Integer> values) {
        return Generate.pick(values).generate(in);
    }

    private static int between(RandomnessSource in, int low, int high) {
        return Generate.range(low, high).generate(in);
    }

    /**
     * Generates a token mixer of any kind, recurrent and none included.
     *
     * @return the generator
     */
    public static Gen<MixerBlock> attentionBlocks() {
        return in -> {
            int heads = 1 << between(in, 0, 5);
            int kvHeads = heads >> between(in, 0, Integer.numberOfTrailingZeros(heads));
            int headDim = pick(in, HEAD_DIMS);
            switch (between(in, 0, 5)) {
                case 0:
                    return new FullAttention(heads, kvHeads, headDim, headDim, between(in, 0, 1) == 1, true, false);
                case 1:
                    return SlidingWindowAttention.of(heads, kvHeads, headDim, 32 * between(in, 1, 128));
                case 2:
                    return new LatentAttention(heads, 32 * between(in, 0, 16), 32 * between(in, 1, 16), 64, 128, 128);
                case 3:
                    int keyHeads = 1 << between(in, 0, 4);
                    return new GatedDeltaNet(keyHeads, keyHeads * (1 << between(in, 0, 2)), 128, 128, 4);
                case 4:
                    return new Mamba2(8 * between(in, 1, 8), 64, 32 * between(in, 1, 4), 8, 4);
                default:
                    return NoAttention.INSTANCE;
            }
        };
    }

    /**
     * Generates a feed-forward block of any kind, absent included.
     *
     * @return the generator
     */
    public static Gen<FeedForwardBlock> feedForwardBlocks() {
        return in -> {
            switch (between(in, 0, 2)) {
                case 0:
                    return new DenseFeedForward(32 * between(in, 1, 256), between(in, 0, 1) == 1);
                case 1:
                    int experts = between(in, 2, 64);
                    MixtureOfExperts moe = MixtureOfExperts.of(experts, between(in, 1, experts), 32 * between(in, 1, 64));
                    return between(in, 0, 1) == 1 ? moe.withSharedExperts(32 * between(in, 1, 64)) : moe;
                default:
                    return NoFeedForward.INSTANCE;
            }
        };
    }

    /**
     * Generates model specs mixing every layer kind, with or without tied embeddings and an MTP layer.
     *
     * @return the generator
     */
    public static Gen<ModelSpec> models() {
        Gen<MixerBlock> attention = attentionBlocks();
        Gen<FeedForwardBlock> feedForward = feedForwardBlocks();
        return in -> {
            ModelSpec.Builder builder = ModelSpec.builder("generated").architecture("generated")
                    .hiddenSize(pick(in, HIDDEN)).vocabularySize(32 * between(in, 1, 4000))
                    .maxContextTokens(4096 * between(in, 1, 64)).tiedEmbeddings(between(in, 0, 1) == 1)
                    .checkpointFormat(CheckpointFormat.values()[between(in, 0, CheckpointFormat.values().length - 1)]);
            int layers = between(in, 1, 12);
            for (int i = 0; i < layers; i++) {
                MixerBlock a = attention.generate(in);
                FeedForwardBlock f = feedForward.generate(in);
                if (a instanceof NoAttention || f instanceof NoFeedForward && !a.isRecurrent() && !a.hasKvCache()) {
                    f = DenseFeedForward.gated(1024);
                }
                builder.addLayer(Layer.of(a, f));
            }
            if (between(in, 0, 3) == 0) {
                builder.addNextTokenPredictionLayer(Layer.of(FullAttention.of(8, 2, 128), DenseFeedForward.gated(512)));
            }
            return builder.build();
        };
    }

    /**
     * Generates any quantization scheme.
     *
     * @return the generator
     */
    public static Gen<QuantScheme> schemes() {
        return Generate.enumValues(QuantScheme.class);
    }

    /**
     * Generates contexts from 1 token to 1M tokens.
     *
     * @return the generator
     */
    public static Gen<Integer> contexts() {
        return Generate.range(1, 1 << 20);
    }

    /**
     * Generates devices of every kind, with 1 to 10000 GB/s and 1 to 512 GiB; half of them state throughputs (0.1 to
     * 1000 TFLOPS in some precisions), half state none (and so are bandwidth-bound by definition).
     *
     * @return the generator
     */
    public static Gen<Device> devices() {
        return in -> {
            DeviceKind kind = DeviceKind.values()[between(in, 0, DeviceKind.values().length - 1)];
            Device.Builder b = Device.builder("generated " + kind, kind).memoryBytes((long) between(in, 1, 512) << 30)
                    .memoryBandwidthGBps(between(in, 10, 100000) / 10.0);
            if (kind == DeviceKind.UNIFIED_MEMORY) {
                b.gpuMemoryFraction(between(in, 50, 100) / 100.0);
            }
            if (kind == DeviceKind.DISCRETE_GPU) {
                b.hostLink(between(in, 3, 6), 1 << between(in, 0, 4));
            }
            if (between(in, 0, 1) == 1) {
                for (Precision p : Precision.values()) {
                    if (p == Precision.FP16 || between(in, 0, 1) == 1) {
                        b.denseTflops(p, between(in, 1, 10000) / 10.0);
                    }
                }
            }
            return b.build();
        };
    }

    /**
     * Generates a discrete GPU and a system-RAM device, in that order, where the GPU is faster in every respect, often
     * only just: 1.1 to 40 times the bandwidth (more achieved bandwidth at each fitted efficiency: 0.51/0.67/0.82 on a
     * GPU against 0.40/0.70/0.80 in RAM) and 4 to 200 times the RAM's FP16 rate in every precision (more achieved
     * throughput for every kernel: the lowest GPU efficiency, INT8 at 0.10/0.15/0.25, against 0.30/0.50/0.70).
     *
     * @return the generator
     */
    public static Gen<List<Device>> gpuAndSlowerSystemRam() {
        return in -> {
            double ramBandwidth = between(in, 10, 6000) / 10.0;
            double ramTflops = between(in, 1, 100) / 10.0;
            Device ram = Device.builder("RAM", DeviceKind.SYSTEM_RAM).memoryBytes(512L << 30)
                    .memoryBandwidthGBps(ramBandwidth).denseTflops(Precision.FP16, ramTflops).build();
            Device.Builder gpu = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(80L << 30)
                    .memoryBandwidthGBps(ramBandwidth * between(in, 11, 400) / 10.0).hostLink(between(in, 3, 6), 16);
            double gpuTflops = ramTflops * between(in, 4, 200);
            for (Precision p : Precision.values()) {
                gpu.denseTflops(p, gpuTflops);
            }
            return List.of(gpu.build(), ram);
        };
    }
}
