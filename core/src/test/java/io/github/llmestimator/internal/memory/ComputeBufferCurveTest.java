package io.github.llmestimator.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.testing.ReferenceModels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The remembered compute buffer equals a fresh replay of llama.cpp's graph at every context, whichever contexts were
 * asked before: an interpolation between two replays is exact or is not made.
 */
final class ComputeBufferCurveTest {

    @Test
    void rememberedBuffersEqualFreshReplays() {
        Random random = new Random(20261201);
        // dense full attention, sliding-window (iSWA) with experts, latent attention, gated delta net with experts
        List<ModelSpec> models = List.of(ReferenceModels.llama31_8b(), ReferenceModels.gptOss20b(),
                ReferenceModels.deepSeekR1(), ReferenceModels.qwen3Next_80b(), ReferenceModels.gemma3_27b());
        for (ModelSpec model : models) {
            for (boolean flash : new boolean[] {true, false}) {
                KvLayout layout = KvLayout.of(model, ContextSettings.defaults(4096).withFlashAttention(flash));
                int trained = model.maxContextTokens();
                for (int i = 0; i < 12; i++) {
                    // contexts from below the micro-batch to the trained context, in no order
                    int context = i == 0 ? trained : 100 + random.nextInt(Math.min(trained, 140_000) - 100);
                    ContextSettings settings = ContextSettings.defaults(context).withFlashAttention(flash);
                    assertEquals(ComputeGraph.bytes(model, settings), layout.memory(settings).computeBufferBytes(),
                            () -> model.name() + ", flash " + flash + ", context " + context);
                }
            }
        }
    }

    @Test
    void sweptBuffersEqualFreshReplays() {
        // a sweep block by block, up and then down, is where the curve reaches ahead of the size asked (halving towards
        // the far end): every block must still equal its own replay
        Random random = new Random(20261202);
        List<ModelSpec> models = List.of(ReferenceModels.llama31_8b(), ReferenceModels.gptOss20b(),
                ReferenceModels.qwen3Next_80b(), ReferenceModels.gemma3_27b());
        for (ModelSpec model : models) {
            for (boolean flash : new boolean[] {true, false}) {
                KvLayout layout = KvLayout.of(model, ContextSettings.defaults(4096).withFlashAttention(flash));
                int start = 256 * (1 + random.nextInt(200));
                for (int block = 0; block < 80; block++) {
                    assertSameAsReplay(model, layout, start + 256 * block, flash);
                }
                for (int block = 0; block < 40; block++) {
                    assertSameAsReplay(model, layout, start + 256 * (160 - block), flash);
                }
            }
        }
    }

    private static void assertSameAsReplay(ModelSpec model, KvLayout layout, int context, boolean flash) {
        ContextSettings settings = ContextSettings.defaults(context).withFlashAttention(flash);
        assertEquals(ComputeGraph.bytes(model, settings), layout.memory(settings).computeBufferBytes(),
                () -> model.name() + ", flash " + flash + ", context " + context);
    }
}
