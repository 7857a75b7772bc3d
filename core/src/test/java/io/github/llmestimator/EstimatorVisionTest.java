package io.github.llmestimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import io.github.llmestimator.vision.Projector;
import io.github.llmestimator.vision.ProjectorType;
import io.github.llmestimator.vision.VisionMemory;
import io.github.llmestimator.vision.VisionTower;
import io.github.llmestimator.vision.VisionTowerKind;
import org.junit.jupiter.api.Test;

/** A projector and images in an estimate: what they add to the total, and the context check. */
class EstimatorVisionTest {

    /** Qwen3.5-9B's vision_config: depth 27, hidden 1152, MLP 4304, 16 heads, patch 16, 2304 positions, out 4096. */
    private static final VisionTower QWEN35_9B = new VisionTower(VisionTowerKind.QWEN3_VL, 27, 1152, 4304, 16, 16,
            2, 2304, 4096, 0);

    private static final Estimator BASE = Estimator.of(ReferenceModels.qwen35_9b()).quant(QuantScheme.Q4_K_M)
            .context(8192);

    @Test
    void theProjectorAndEncoderAddToTheTotal() {
        Estimate without = BASE.estimate();
        Estimate with = BASE.projector(Projector.of(QWEN35_9B, ProjectorType.F16)).images(2, 1024, 768).estimate();
        VisionMemory vision = with.vision().orElseThrow();
        // projector: 927,587,264 bytes for out 5120 (VisionTowerTest) less mm.2 (4608 * 1024 F16 = 9,437,184 bytes
        // and 1024 F32 bias = 4,096 bytes): 918,145,984
        assertEquals(918_145_984L, vision.projectorBytes());
        // 1024x768 with 32-pixel cells: 32 x 24 = 768 embeddings + 2 markers, two images: 1540 tokens
        assertEquals(770, vision.tokensPerImage());
        assertEquals(1540, vision.imageTokens());
        // the warm-up image (46x46 cells, 92x92 = 8464 patches) is larger than 64x48 = 3072 patches:
        // 8464 * (6*1152 + 2*4304 = 15,520) floats * 4 bytes = 525,445,120 with flash attention (the default)
        assertEquals(525_445_120L, vision.encoderComputeBytes());
        assertEquals(without.totalBytes() + 918_145_984L + 525_445_120L, with.totalBytes());
        assertTrue(without.vision().isEmpty());
    }

    @Test
    void theSettingsSurviveEachOther() {
        Projector projector = Projector.of(QWEN35_9B, ProjectorType.Q8_0);
        Estimate a = Estimator.of(ReferenceModels.qwen35_9b()).images(1, 640, 480).projector(projector)
                .quant(QuantScheme.Q4_K_M).context(8192).estimate();
        Estimate b = BASE.projector(projector).images(1, 640, 480).estimate();
        assertEquals(b, a);
        assertEquals(QWEN35_9B.weightBytes(ProjectorType.Q8_0), a.vision().orElseThrow().projectorBytes());
    }

    @Test
    void imagesMustFitOneSequence() {
        // 4096 x 4096 caps at 4096 embeddings (+2): 3 images need 12,294 tokens > 8,192 cells
        Estimator tooMany = BASE.projector(Projector.of(QWEN35_9B, ProjectorType.F16)).images(3, 4096, 4096);
        VisionMemory vision = tooMany.estimate().vision().orElseThrow();
        assertEquals(12_294, vision.imageTokens());
        assertEquals(8192, vision.sequenceCells());
        assertFalse(vision.imagesFitContext());
        // two need 8,196 tokens, 4 more than the 8,192 cells; one fits
        assertFalse(tooMany.images(2, 4096, 4096).estimate().vision().orElseThrow().imagesFitContext());
        assertTrue(tooMany.images(1, 4096, 4096).estimate().vision().orElseThrow().imagesFitContext());
        IllegalStateException noProjector = assertThrows(IllegalStateException.class,
                () -> BASE.images(1, 64, 64).estimate());
        assertTrue(noProjector.getMessage().contains("projector"), noProjector.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BASE.images(-1, 64, 64));
        assertThrows(IllegalArgumentException.class, () -> BASE.images(1, 0, 64));
    }

    @Test
    void withoutImagesOnlyTheProjectorCounts() {
        VisionMemory vision = BASE.projector(Projector.of(QWEN35_9B, ProjectorType.F16)).estimate().vision()
                .orElseThrow();
        assertEquals(0, vision.imageTokens());
        assertFalse(vision.encoderComputeBytes() == 0);
    }

    @Test
    void theProjectorLoadsOnTheGpu() {
        Device gpu = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30).memoryBandwidthGBps(1008)
                .build();
        Device ram = Device.builder("RAM", DeviceKind.SYSTEM_RAM).memoryBytes(64L << 30).memoryBandwidthGBps(80)
                .build();
        Estimator vision = BASE.projector(Projector.of(QWEN35_9B, ProjectorType.F16)).images(1, 1024, 768);
        // on one GPU the device holds everything the total counts, the projector included
        assertEquals(vision.estimate().totalBytes(), vision.on(gpu).estimate().devices().get(0).totalBytes());
        // split with system RAM, the projector goes to the GPU: its weights and buffer grow by exactly the
        // projector's 918,145,984 bytes and the encoder's 525,445,120 (theProjectorAndEncoderAddToTheTotal)
        Deployment split = Deployment.gpuLayers(gpu, ram, 8);
        int g = split.devices().indexOf(gpu);
        DeviceUsage without = BASE.on(split).estimate().devices().get(g);
        DeviceUsage with = vision.on(split).estimate().devices().get(g);
        assertEquals(without.weightBytes() + 918_145_984L, with.weightBytes());
        assertEquals(without.computeBufferBytes() + 525_445_120L, with.computeBufferBytes());
        int r = split.devices().indexOf(ram);
        assertEquals(BASE.on(split).estimate().devices().get(r), vision.on(split).estimate().devices().get(r));
    }
}
