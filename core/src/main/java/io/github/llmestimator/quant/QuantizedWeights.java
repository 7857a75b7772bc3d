package io.github.llmestimator.quant;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.TensorRole;
import java.util.List;
import java.util.Objects;

/**
 * A model's tensors with the storage type a quantization scheme gives each, and the resulting sizes.
 *
 * <p>Sizes are tensor data only, the figure llama.cpp prints as "file size" and llama-bench as "size": a GGUF file is
 * larger by its header and metadata (a few MB, mostly the tokenizer) and by padding each tensor to 32 bytes.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class QuantizedWeights {

    private final ModelSpec model;
    private final QuantScheme scheme;
    private final boolean importanceMatrix;
    private final List<TensorAssignment> assignments;
    private final long[] bytesByRole;

    QuantizedWeights(ModelSpec model, QuantScheme scheme, boolean importanceMatrix, List<TensorAssignment> assignments) {
        this.model = model;
        this.scheme = scheme;
        this.importanceMatrix = importanceMatrix;
        this.assignments = List.copyOf(assignments);
        this.bytesByRole = new long[TensorRole.values().length];
        for (TensorAssignment a : this.assignments) {
            int role = a.tensor().role().ordinal();
            bytesByRole[role] = Math.addExact(bytesByRole[role], a.bytes());
        }
    }

    /**
     * Returns the model.
     *
     * @return the model, not null
     */
    public ModelSpec model() {
        return model;
    }

    /**
     * Returns the scheme.
     *
     * @return the scheme, not null
     */
    public QuantScheme scheme() {
        return scheme;
    }

    /**
     * Returns whether the assignment assumed a file made with an importance matrix.
     *
     * @return true with an importance matrix
     */
    public boolean importanceMatrix() {
        return importanceMatrix;
    }

    /**
     * Returns every tensor with its type and size, in the order of {@link ModelSpec#tensors()}.
     *
     * @return the assignments, an immutable list
     */
    public List<TensorAssignment> assignments() {
        return assignments;
    }

    /**
     * Returns the bytes of the tensors of one role.
     *
     * @param role the role, not null
     * @return bytes
     * @throws NullPointerException if {@code role} is null
     */
    public long bytes(TensorRole role) {
        return bytesByRole[Objects.requireNonNull(role, "role").ordinal()];
    }

    /**
     * Returns the tensor data of the whole file, multi-token-prediction layers included.
     *
     * @return bytes
     */
    public long fileTensorBytes() {
        long sum = 0;
        for (long b : bytesByRole) {
            sum += b;
        }
        return sum;
    }

    /**
     * Returns the weights llama.cpp loads for ordinary decoding: the file's tensor data without the
     * multi-token-prediction layers, which it skips.
     *
     * @return bytes
     */
    public long loadedBytes() {
        return fileTensorBytes() - bytes(TensorRole.NEXT_TOKEN_PREDICTION);
    }

    /**
     * Returns the average bits per loaded weight, defined as {@code 8 * loadedBytes / totalParameters}.
     *
     * @return bits per weight
     */
    public double bitsPerWeight() {
        return 8.0 * loadedBytes() / model.totalParameters();
    }

    /**
     * Returns whether another object is an assignment of the same model, scheme and importance-matrix choice.
     *
     * @param other the other object
     * @return true when equal
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof QuantizedWeights)) {
            return false;
        }
        QuantizedWeights that = (QuantizedWeights) other;
        return scheme == that.scheme && importanceMatrix == that.importanceMatrix && model.equals(that.model)
                && assignments.equals(that.assignments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, scheme, importanceMatrix, assignments);
    }

    @Override
    public String toString() {
        return "QuantizedWeights[" + model.name() + ", " + scheme + ", " + loadedBytes() + " bytes loaded]";
    }
}
