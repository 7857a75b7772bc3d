package io.github.llmestimator.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.quant.TensorType;
import org.junit.jupiter.api.Test;

/**
 * Projector bytes, image tokens and the encoder estimate, each against a value worked out by hand in a comment from
 * the tower's config.json values and llama.cpp's rules.
 */
class VisionTowerTest {

    /** google/gemma-3-4b-it vision_config: SigLIP 27 x 1152, MLP 4304, 16 heads, patch 14, image 896; text 2560. */
    static final VisionTower GEMMA3_4B = new VisionTower(VisionTowerKind.GEMMA3, 27, 1152, 4304, 16, 14, 4, 4096,
            2560, 0);

    /** Qwen/Qwen2.5-VL-7B-Instruct vision_config: depth 32, hidden 1280, MLP 3420, 16 heads, patch 14, out 3584. */
    static final VisionTower QWEN25_VL_7B = new VisionTower(VisionTowerKind.QWEN2_5_VL, 32, 1280, 3420, 16, 14, 2, 0,
            3584, 0);

    /** Qwen3.5-27B vision_config: depth 27, hidden 1152, MLP 4304, 16 heads, patch 16, 2304 positions, out 5120. */
    static final VisionTower QWEN35_27B = new VisionTower(VisionTowerKind.QWEN3_VL, 27, 1152, 4304, 16, 16, 2, 2304,
            5120, 0);

    /** Mistral Small 3.1 vision_config: Pixtral 24 x 1024, MLP 4096, 16 heads, patch 14; merge 2; text 5120. */
    static final VisionTower MISTRAL_SMALL = new VisionTower(VisionTowerKind.PIXTRAL, 24, 1024, 4096, 16, 14, 2, 0,
            5120, 0);

    @Test
    void gemma3F16BytesByHand() {
        // patch 1152*3*14*14 F32 = 2,709,504 + bias 4,608; positions 4096*1152 F32 = 18,874,368
        // per block: q,k,v,o 4*1152^2 + fc1, fc2 2*1152*4304 = 15,224,832 F16 = 30,449,664;
        //   F32 vectors 4 norms*1152 + 4 biases*1152 + 4304 + 1152 = 14,672 -> 58,688; 27 blocks: 823,725,504
        // post_ln 2*1152 F32 = 9,216; input projection 1152*2560 F16 = 5,898,240; soft_emb_norm 4,608
        assertEquals(851_226_048L, GEMMA3_4B.weightBytes(ProjectorType.F16));
        // BF16 stores every weight that F16 stores in 2 bytes, and the forced types are the same
        assertEquals(851_226_048L, GEMMA3_4B.weightBytes(ProjectorType.BF16));
    }

    @Test
    void gemma3Q8ZeroKeepsTheConvertersExceptions() {
        // Q8_0 rows of 1152: 36 blocks of 34 bytes = 1,224 bytes. Per block: q,k,v,o 4*1224*1152 = 5,640,192;
        // fc1 1224*4304 = 5,268,096; fc2 has rows of 4304, not a multiple of 32: F16 4304*1152*2 = 9,916,416;
        // vectors 58,688 -> 20,883,392 * 27 = 563,851,584. Patch and positions stay F32 (2,709,504 + 4,608 +
        // 18,874,368), post_ln 9,216, the input projection stays F16 (5,898,240), soft_emb_norm 4,608.
        assertEquals(591_352_128L, GEMMA3_4B.weightBytes(ProjectorType.Q8_0));
    }

    @Test
    void qwen25VlF16BytesByHand() {
        // per block: q,k,v,o 4*1280^2 = 6,553,600 + gate, up, down 3*1280*3420 = 13,132,800 -> 19,686,400 F16
        //   = 39,372,800; F32 vectors: 2 RMS norms 2,560 + q,k,v,o biases 5,120 + gate, up biases 6,840 + down
        //   bias 1,280 = 15,800 -> 63,200; 32 blocks: 1,261,952,000
        // patch: two halves of 1280*3*14*14 F16 = 3,010,560; merger: RMS norm 1280 F32 = 5,120;
        //   mm.0 5120^2 F16 = 52,428,800 + bias 20,480; mm.2 5120*3584 F16 = 36,700,160 + bias 14,336
        assertEquals(1_354_131_456L, QWEN25_VL_7B.weightBytes(ProjectorType.F16));
    }

    @Test
    void qwen35F16BytesByHand() {
        // per block: qkv 3*1152^2 + out 1152^2 + fc1, fc2 2*1152*4304 = 15,224,832 F16 = 30,449,664; vectors
        //   (2 LayerNorms with bias 4,608, qkv bias 3,456, out 1,152, fc1 4,304, fc2 1,152) 14,672 F32 = 58,688;
        //   27 blocks: 823,725,504
        // patch halves 2*1152*3*16*16 F16 = 3,538,944 + bias 4,608; positions 2304*1152 F32 = 10,616,832
        // merger: LayerNorm 1152 with bias F32 9,216; mm.0 4608^2 F16 42,467,328 + bias 18,432;
        //   mm.2 4608*5120 F16 47,185,920 + bias 20,480
        assertEquals(927_587_264L, QWEN35_27B.weightBytes(ProjectorType.F16));
    }

    @Test
    void deepstackMergersAddTheirTensors() {
        VisionTower withDeepstack = new VisionTower(VisionTowerKind.QWEN3_VL, 27, 1152, 4304, 16, 16, 2, 2304, 5120,
                3);
        // each deepstack merger: LayerNorm 4608 with bias F32 36,864; fc1 4608^2 F16 42,467,328 + bias 18,432;
        // fc2 4608*5120 F16 47,185,920 + bias 20,480 -> 89,729,024; three of them: 269,187,072
        assertEquals(269_187_072L,
                withDeepstack.weightBytes(ProjectorType.F16) - QWEN35_27B.weightBytes(ProjectorType.F16));
    }

    @Test
    void pixtralF16BytesByHand() {
        // patch 1024*3*14*14 F16 = 1,204,224; pre_ln 4,096
        // per block: q,k,v,o 4*1024^2 + gate, up, down 3*1024*4096 = 16,777,216 F16 = 33,554,432; 2 RMS norms
        //   8,192; 24 blocks: 805,502,976
        // projector: norm 4,096; patch merger 4096*1024 F16 8,388,608; mm.1 1024*5120 F16 10,485,760;
        //   mm.2 5120^2 F16 52,428,800; [IMG_BREAK] embedding 5120 F32 20,480
        assertEquals(878_039_040L, MISTRAL_SMALL.weightBytes(ProjectorType.F16));
        // Q8_0 keeps the patch embedding and merger in F32: 602,112*4 + 4,194,304*4 = 19,185,664 bytes for them
        ProjectorTensor merger = MISTRAL_SMALL.tensors().stream().filter(t -> t.name().equals("mm.patch_merger.weight"))
                .findFirst().orElseThrow();
        assertEquals(TensorType.F32, ProjectorType.Q8_0.typeOf(merger));
        assertEquals(TensorType.F16, ProjectorType.F16.typeOf(merger));
    }

    @Test
    void gemma3IsFixedAt256PerImage() {
        // mm_tokens_per_image 256: 896/14 = 64 patches per side, pooled 4x4 to 16x16, whatever the image's size
        for (int[] size : new int[][] {{1, 1}, {1024, 768}, {4000, 3000}}) {
            ImageTokens tokens = GEMMA3_4B.imageTokens(size[0], size[1]);
            assertEquals(256, tokens.embeddings());
            assertEquals(258, tokens.tokens()); // <start_of_image> and <end_of_image>
            assertEquals(4096, tokens.patches());
        }
    }

    @Test
    void qwenRoundsEachSideToTheMergedPatch() {
        // 1024x768 with 28-pixel cells: 1024/28 = 36.57 -> 37 (1036), 768/28 = 27.43 -> 27 (756): 999 embeddings
        ImageTokens qwen25 = QWEN25_VL_7B.imageTokens(1024, 768);
        assertEquals(1036, qwen25.width());
        assertEquals(756, qwen25.height());
        assertEquals(999, qwen25.embeddings());
        assertEquals(1001, qwen25.tokens()); // <|vision_start|> and <|vision_end|>
        assertEquals(74L * 54, qwen25.patches());
        // Qwen3.5 patches are 16 pixels: 32-pixel cells, 1024x768 -> 32 x 24 = 768
        assertEquals(768, QWEN35_27B.imageTokens(1024, 768).embeddings());
    }

    @Test
    void qwenScalesDownAboveFourThousandNinetySixTokens() {
        // 4000x3000 rounds to 4004x2996 = 11,995,984 pixels > 4096*28^2 = 3,211,264;
        // beta = sqrt(12,000,000 / 3,211,264) = 1.93309; floor(3000/1.93309/28) = 55 -> 1540,
        // floor(4000/1.93309/28) = 73 -> 2044: 73 * 55 = 4015 embeddings
        ImageTokens tokens = QWEN25_VL_7B.imageTokens(4000, 3000);
        assertEquals(2044, tokens.width());
        assertEquals(1540, tokens.height());
        assertEquals(4015, tokens.embeddings());
    }

    @Test
    void qwenScalesUpBelowEightTokens() {
        // 50x50 rounds to 56x56 = 3,136 < 8*28^2 = 6,272; beta = sqrt(6272/2500) = 1.5839;
        // ceil(50*1.5839/28) = ceil(2.83) = 3 -> 84x84: 9 embeddings
        ImageTokens tokens = QWEN25_VL_7B.imageTokens(50, 50);
        assertEquals(84, tokens.width());
        assertEquals(9, tokens.embeddings());
    }

    @Test
    void pixtralAddsARowBreakAfterEveryRowButTheLast() {
        // 1024x768 -> 1036x756 (37 x 27 = 999 <= 1024 cells), plus 26 [IMG_BREAK]: 1025, then [IMG_END]
        ImageTokens tokens = MISTRAL_SMALL.imageTokens(1024, 768);
        assertEquals(1025, tokens.embeddings());
        assertEquals(1026, tokens.tokens());
        // the config's image_size 1540: 55 x 55 cells > 1024, beta = 1540/896 = 1.71875 exactly -> 32 x 32 cells,
        // 1024 + 31 breaks
        ImageTokens large = MISTRAL_SMALL.imageTokens(1540, 1540);
        assertEquals(896, large.width());
        assertEquals(1055, large.embeddings());
    }

    @Test
    void warmupImagesAreLlamaCppsReservationSizes() {
        // clip.cpp set_warmup_n_tokens: 46x46 for Qwen-VL (2116 embeddings of 2x2 patches), 16x16 for Pixtral
        assertEquals(2116, QWEN25_VL_7B.warmupImage().embeddings());
        assertEquals(8464, QWEN25_VL_7B.warmupImage().patches());
        assertEquals(16 * 16 + 15, MISTRAL_SMALL.warmupImage().embeddings());
        assertEquals(256, GEMMA3_4B.warmupImage().embeddings());
    }

    @Test
    void encoderEstimateFollowsItsFormula() {
        // 8464 patches * (6*1280 + 3*3420 = 17,940) floats * 4 bytes = 607,376,640
        assertEquals(607_376_640L, QWEN25_VL_7B.encoderComputeBytes(8464, true));
        // without flash attention also 2 * 16 heads * 8464^2 (71,639,296) floats = 2,292,457,472 -> 9,169,829,888
        // bytes more
        assertEquals(607_376_640L + 9_169_829_888L, QWEN25_VL_7B.encoderComputeBytes(8464, false));
        assertThrows(IllegalArgumentException.class, () -> QWEN25_VL_7B.encoderComputeBytes(0, true));
    }

    @Test
    void badTowersAndImagesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new VisionTower(VisionTowerKind.GEMMA3, 0, 1152, 4304, 16, 14, 4, 4096, 2560, 0));
        // hidden size not a multiple of the heads
        assertThrows(IllegalArgumentException.class,
                () -> new VisionTower(VisionTowerKind.PIXTRAL, 24, 1000, 4096, 16, 14, 2, 0, 5120, 0));
        // Pixtral has no learned positions; Gemma 3 needs a square number of them
        assertThrows(IllegalArgumentException.class,
                () -> new VisionTower(VisionTowerKind.PIXTRAL, 24, 1024, 4096, 16, 14, 2, 16, 5120, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new VisionTower(VisionTowerKind.GEMMA3, 27, 1152, 4304, 16, 14, 4, 4000, 2560, 0));
        // only Qwen3-VL has deepstack mergers
        assertThrows(IllegalArgumentException.class,
                () -> new VisionTower(VisionTowerKind.QWEN2_5_VL, 32, 1280, 3420, 16, 14, 2, 0, 3584, 1));
        IllegalArgumentException image = assertThrows(IllegalArgumentException.class,
                () -> QWEN25_VL_7B.imageTokens(0, 768));
        assertTrue(image.getMessage().startsWith("width: 0"), image.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> QWEN25_VL_7B.imageTokens(1024, VisionTower.MAX_IMAGE_SIDE + 1));
    }

    @Test
    void projectorTypesByName() {
        assertEquals(ProjectorType.Q8_0, ProjectorType.ofName("q8_0"));
        assertEquals(ProjectorType.BF16, ProjectorType.ofName(" BF16 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProjectorType.ofName("q4_k"));
        assertTrue(e.getMessage().contains("q4_k") && e.getMessage().contains("q8_0"), e.getMessage());
    }

    @Test
    void projectorOfATowerCarriesItsBytes() {
        Projector projector = Projector.of(MISTRAL_SMALL, ProjectorType.F16);
        assertEquals("pixtral", projector.projectorType());
        assertEquals(878_039_040L, projector.weightBytes());
        assertEquals(MISTRAL_SMALL, projector.tower().orElseThrow());
    }
}
