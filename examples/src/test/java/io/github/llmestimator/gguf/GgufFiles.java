package io.github.llmestimator.gguf;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;

/** GGUF headers for the command-line tests, written by core's test-side writer (same package, hence here). */
public final class GgufFiles {

    private GgufFiles() {
    }

    /**
     * Returns the header and tensor table of a model quantized with a scheme, as llama.cpp's converter writes them.
     *
     * @param spec the model
     * @param scheme the file type
     * @return the file's bytes, without tensor data
     */
    public static byte[] header(ModelSpec spec, QuantScheme scheme) {
        return GgufWriter.forModel(spec, scheme.assign(spec)).toBytes();
    }
}
