package io.github.llmestimator.quant;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.TensorRole;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's tensors with the storage type a quantization scheme gives each, and the resulting sizes.
 *
 * <p>Sizes are tensor data only, the figure llama.cpp prints as "file size" and llama-bench as "size": a GGUF file is
 * larger by its header and metadata (a few MB, mostly the tokenizer) and by padding each tensor to 32 bytes.
 *
 * <p>Weights come either from a scheme's recipe ({@link QuantScheme#assign(ModelSpec)}), which predicts the type of each
 * tensor, or from a GGUF file's tensor table ({@link #ofFile(ModelSpec, QuantScheme, List)}), which states it. A file's
 * {@code general.file_type} is only a label; {@link #knownScheme()} gives it when it names a scheme.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class QuantizedWeights {

    private final ModelSpec model;
    private final QuantScheme scheme;
    private final boolean importanceMatrix;
    private final long[] bytesByRole;
    /** The sum of {@link #bytesByRole}, worked out once: every estimate's total asks for it. */
    private final long fileTensorBytes;
    private final long loadedParameters;
    private final boolean fromFile;
    /** For a recipe's weights, its classification; the per-tensor types are worked out only when the assignments are asked for. */
    private final TensorClassification plan;
    private volatile List<TensorAssignment> assignments;

    /** A recipe's weights: the types of a classification's tensors under a scheme, in its order. */
    QuantizedWeights(TensorClassification plan, QuantScheme scheme, boolean importanceMatrix) {
        this.model = plan.model;
        this.scheme = scheme;
        this.importanceMatrix = importanceMatrix;
        this.fromFile = false;
        this.plan = plan;
        this.bytesByRole = new long[TensorRole.values().length];
        LlamaQuantRecipe.size(plan, scheme, importanceMatrix, bytesByRole);
        this.fileTensorBytes = sum(bytesByRole);
        this.loadedParameters = plan.loadedParameters;
    }

    /** {@code scheme} is null only for weights from a file whose {@code general.file_type} names no scheme. */
    private QuantizedWeights(ModelSpec model, QuantScheme scheme, boolean importanceMatrix,
            List<TensorAssignment> assignments, boolean fromFile) {
        this.model = model;
        this.scheme = scheme;
        this.importanceMatrix = importanceMatrix;
        this.assignments = List.copyOf(assignments);
        this.fromFile = fromFile;
        this.plan = null;
        this.bytesByRole = new long[TensorRole.values().length];
        long parameters = 0;
        for (TensorAssignment a : this.assignments) {
            int role = a.tensor().role().ordinal();
            bytesByRole[role] = Math.addExact(bytesByRole[role], a.bytes());
            if (a.tensor().role() != TensorRole.NEXT_TOKEN_PREDICTION) {
                parameters = Math.addExact(parameters, a.tensor().elements());
            }
        }
        this.fileTensorBytes = sum(bytesByRole);
        this.loadedParameters = parameters;
    }

    private static long sum(long[] bytes) {
        long sum = 0;
        for (long b : bytes) {
            sum = Math.addExact(sum, b);
        }
        return sum;
    }

    /**
     * Returns the weights of a GGUF file: each tensor of its tensor table with its real type, labelled with the scheme
     * its {@code general.file_type} names.
     *
     * @param model the model the file's metadata describes, not null
     * @param fileType the scheme the file's {@code general.file_type} names, not null
     * @param assignments every tensor of the file with its type, size and role, in file order; not null
     * @return the weights
     * @throws NullPointerException if an argument or an assignment is null
     * @throws ArithmeticException if the total size overflows a {@code long}
     */
    public static QuantizedWeights ofFile(ModelSpec model, QuantScheme fileType, List<TensorAssignment> assignments) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(fileType, "fileType");
        Objects.requireNonNull(assignments, "assignments");
        return new QuantizedWeights(model, fileType, false, assignments, true);
    }

    /**
     * Returns the weights of a GGUF file whose {@code general.file_type} is absent or names no scheme: each tensor of
     * its tensor table with its real type.
     *
     * @param model the model the file's metadata describes, not null
     * @param assignments every tensor of the file with its type, size and role, in file order; not null
     * @return the weights, whose {@link #knownScheme()} is empty
     * @throws NullPointerException if an argument or an assignment is null
     * @throws ArithmeticException if the total size overflows a {@code long}
     */
    public static QuantizedWeights ofFile(ModelSpec model, List<TensorAssignment> assignments) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(assignments, "assignments");
        return new QuantizedWeights(model, null, false, assignments, true);
    }

    /**
     * Returns the same model's weights under another scheme, as {@code scheme.assign(model(), importanceMatrix)}
     * gives them. Weights from a recipe keep the classification of the model's tensors they were assigned from, so a
     * sweep over many schemes of one model classifies its tensors once; weights from a file classify them anew.
     *
     * @param scheme the scheme, not null
     * @param importanceMatrix whether the file is made with an importance matrix
     * @return the weights under {@code scheme}
     * @throws NullPointerException if {@code scheme} is null
     * @throws IllegalArgumentException if a tensor cannot be stored in this scheme
     */
    public QuantizedWeights withScheme(QuantScheme scheme, boolean importanceMatrix) {
        Objects.requireNonNull(scheme, "scheme");
        return (plan == null ? TensorClassification.of(model) : plan).assign(scheme, importanceMatrix);
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
     * Returns the scheme: the one whose recipe assigned the types, or the label of the file they were read from.
     *
     * @return the scheme, not null
     * @throws IllegalStateException if the weights come from a file whose {@code general.file_type} names no scheme;
     *     {@link #knownScheme()} tells without throwing
     */
    public QuantScheme scheme() {
        if (scheme == null) {
            throw new IllegalStateException("scheme: unknown for weights read from a file whose general.file_type names"
                    + " no scheme (expected: a check of knownScheme() first)");
        }
        return scheme;
    }

    /**
     * Returns the scheme if there is one: always for a recipe's weights, and for a file's weights when its
     * {@code general.file_type} names a scheme.
     *
     * @return the scheme, or empty
     */
    public Optional<QuantScheme> knownScheme() {
        return Optional.ofNullable(scheme);
    }

    /**
     * Returns whether the types were read from a GGUF file's tensor table rather than assigned by a recipe.
     *
     * @return true for a file's weights
     */
    public boolean isFromFile() {
        return fromFile;
    }

    /**
     * Returns whether the assignment assumed a file made with an importance matrix; always false for a file's weights,
     * whose types already show whatever the importance matrix changed.
     *
     * @return true with an importance matrix
     */
    public boolean importanceMatrix() {
        return importanceMatrix;
    }

    /**
     * Returns every tensor with its type and size, in the order of {@link ModelSpec#tensors()} (for a file's weights,
     * in the order of its tensor table).
     *
     * @return the assignments, an immutable list
     */
    public List<TensorAssignment> assignments() {
        List<TensorAssignment> list = assignments;
        if (list == null) {
            StorageType[] types = new StorageType[plan.tensors.length];
            LlamaQuantRecipe.assign(plan, scheme, importanceMatrix, types, new long[TensorRole.values().length]);
            TensorAssignment[] built = new TensorAssignment[types.length];
            for (int i = 0; i < types.length; i++) {
                built[i] = new TensorAssignment(plan.tensors[i], types[i], plan.bytes(i, types[i]));
            }
            list = List.of(built);
            assignments = list;
        }
        return list;
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
        return fileTensorBytes;
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
     * Returns the parameters of the loaded weights, defined as the sum of {@link io.github.llmestimator.model.Tensor#elements()}
     * over the assignments without the multi-token-prediction layers; for a recipe's weights this is
     * {@link ModelSpec#totalParameters()}.
     *
     * @return the parameter count
     */
    public long loadedParameters() {
        return loadedParameters;
    }

    /**
     * Returns the average bits per loaded weight, defined as {@code 8 * loadedBytes / loadedParameters}.
     *
     * @return bits per weight
     */
    public double bitsPerWeight() {
        return 8.0 * loadedBytes() / loadedParameters;
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
        return scheme == that.scheme && importanceMatrix == that.importanceMatrix && fromFile == that.fromFile
                && model.equals(that.model) && assignments().equals(that.assignments());
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, scheme, importanceMatrix, fromFile, assignments());
    }

    @Override
    public String toString() {
        String source = fromFile ? "from file, " + (scheme == null ? "unknown file type" : scheme) : String.valueOf(scheme);
        return "QuantizedWeights[" + model.name() + ", " + source + ", " + loadedBytes() + " bytes loaded]";
    }
}
