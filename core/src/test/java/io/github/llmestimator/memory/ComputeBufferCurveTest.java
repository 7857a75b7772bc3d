package io.github.llmestimator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
