package io.github.llmestimator.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.model.ModelSpecSource;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code Estimator.of(GgufModel)}: a file's exact weights with the KV cache of its metadata. */
final class GgufEstimatorTest {

    private static GgufModel llamaFile() throws IOException {
        var spec = ReferenceModels.llama31_8b();
        byte[] header = GgufWriter.forModel(spec, QuantScheme.Q4_K_M.assign(spec), false).toBytes();
        return GgufModel.read(new ByteArrayInputStream(header));
    }

    /**
     * A Llama-3.1-8B Q4_K_M header: weights 4912898048 B (the published 4.58 GiB), KV at 8192 f16 tokens
     * 32 x 8192 x 2 x 8 x 128 x 2 B = 1 GiB; requantized to Q8_0 with the recipe: 8532934656 B (8.54 GB listed by
     * Hugging Face for the published Q8_0 file, 7.84 MB of it metadata).
     */
    @Test
    void estimate_fromFile() throws IOException {
        Estimator fromFile = Estimator.of(llamaFile());
        Estimate estimate = fromFile.context(8192).estimate();
        assertEquals(4912898048L, estimate.weightBytes());
        assertEquals(1L << 30, estimate.kvCacheBytes());
        assertTrue(estimate.weights().isFromFile());
        assertTrue(estimate.toString().startsWith("Estimate[Llama-3.1-8B Q4_K_M, context 8192"), estimate.toString());
        assertEquals(8532934656L, fromFile.quant(QuantScheme.Q8_0).context(8192).estimate().weightBytes());
    }

    /**
     * The same file seen only as a {@link ModelSpecSource} still gives its exact weights (4912898048 B, above), not the
     * recipe's requantization of its spec; the spec source of a plain spec gives the recipe's Q4_K_M weights, which for
     * this model equal the file's (the file was written with the recipe).
     */
    @Test
    void estimate_fromSpecSource() throws IOException {
        ModelSpecSource source = llamaFile();
        Estimate estimate = Estimator.of(source).context(8192).estimate();
        assertEquals(4912898048L, estimate.weightBytes());
        assertTrue(estimate.weights().isFromFile());
        ModelSpecSource plain = ReferenceModels::llama31_8b;
        Estimate fromSpec = Estimator.of(plain).quant(QuantScheme.Q4_K_M).context(8192).estimate();
        assertEquals(4912898048L, fromSpec.weightBytes());
        assertTrue(!fromSpec.weights().isFromFile());
        assertThrows(NullPointerException.class, () -> Estimator.of((ModelSpecSource) null));
    }

    @Test
    void importanceMatrix_onFileWeights() throws IOException {
        Estimator fromFile = Estimator.of(llamaFile());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fromFile.importanceMatrix(true));
        assertTrue(e.getMessage().startsWith("importanceMatrix: the weights are a GGUF file's own tensor types"),
                e.getMessage());
        assertThrows(NullPointerException.class, () -> Estimator.of((GgufModel) null));
    }
}
