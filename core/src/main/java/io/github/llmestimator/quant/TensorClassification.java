package io.github.llmestimator.quant;

import io.github.llmestimator.model.CheckpointFormat;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;
import java.util.List;
import java.util.Objects;

/**
 * A model's tensors classified once for llama.cpp's quantization recipe: which tensors a scheme may quantize, the
 * recipe category each tensor's name puts it in, and the model-wide facts the rules read (expert count, GQA ratio,
 * layer count, attn_v count). Assigning a scheme from a classification is then one pass over the tensors without string work,
 * which is what a sweep over many schemes of one model needs. Package-private: callers reach it through
 * {@link QuantizedWeights#withScheme(QuantScheme, boolean)}, which keeps the classification its weights came from.
 *
 * <p>This class is immutable and thread-safe.
 */
final class TensorClassification {

    final ModelSpec model;
    final Tensor[] tensors;
    final boolean[] quantizable;
    final LlamaQuantRecipe.Category[] categories;
    final int experts;
    final int gqa;
    final int layerCount;
    final int valueLikeCount;
    final boolean llama70B;
    final boolean mxfp4Experts;
    final int[] roles;
    final long loadedParameters;
    /** Row length and row count of each tensor, read once so that sizing a type is two multiplications. */
    final long[] rowLengths;
    final long[] rowCounts;
    /** Bytes per role of the tensors no scheme quantizes, stored as F32 in GGUF files and BF16 in checkpoints. */
    final long[] fixedF32BytesByRole;
    final long[] fixedBf16BytesByRole;
    /**
     * Quantizable tensors whose type can depend on their position (attn_v-like, ffn_gate, ffn_up, ffn_down: the
     * {@code use_more_bits} and counter rules), in file order; every other quantizable tensor's type depends only on
     * its category, role, row length and whether it is stacked (MXFP4_MOE), so those are pooled into groups sized once
     * per scheme.
     */
    final int[] positional;
    final int[] groupRepresentative;
    final long[] groupElements;

    private TensorClassification(ModelSpec model) {
        this.model = model;
        List<Tensor> list = model.tensors();
        this.tensors = list.toArray(new Tensor[0]);
        this.quantizable = new boolean[tensors.length];
        this.categories = new LlamaQuantRecipe.Category[tensors.length];
        boolean hasOutput = !model.tiedEmbeddings();
        int valueLike = 0;
        this.roles = new int[tensors.length];
        this.rowLengths = new long[tensors.length];
        this.rowCounts = new long[tensors.length];
        this.fixedF32BytesByRole = new long[TensorRole.values().length];
        this.fixedBf16BytesByRole = new long[TensorRole.values().length];
        long parameters = 0;
        for (int i = 0; i < tensors.length; i++) {
            roles[i] = tensors[i].role().ordinal();
            rowLengths[i] = tensors[i].ne0();
            rowCounts[i] = tensors[i].rows();
            if (tensors[i].role() != TensorRole.NEXT_TOKEN_PREDICTION) {
                parameters += tensors[i].elements();
            }
            quantizable[i] = LlamaQuantRecipe.isQuantizable(tensors[i]);
            if (!quantizable[i]) {
                fixedF32BytesByRole[roles[i]] += TensorType.F32.tensorBytes(rowLengths[i], rowCounts[i]);
                fixedBf16BytesByRole[roles[i]] += TensorType.BF16.tensorBytes(rowLengths[i], rowCounts[i]);
            }
            categories[i] = LlamaQuantRecipe.category(tensors[i], hasOutput);
            if (quantizable[i] && categories[i].isValueLike()) {
                valueLike++;
            }
        }
        this.valueLikeCount = valueLike;
        int[] positionalIndices = new int[tensors.length];
        int positionalCount = 0;
        java.util.Map<String, Integer> groupIndex = new java.util.HashMap<>();
        int[] representatives = new int[tensors.length];
        long[] elements = new long[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!quantizable[i]) {
                continue;
            }
            if (isPositional(categories[i])) {
                positionalIndices[positionalCount++] = i;
                continue;
            }
            String key = categories[i] + "/" + roles[i] + "/" + rowLengths[i] + "/" + (tensors[i].ne2() > 1);
            Integer group = groupIndex.get(key);
            if (group == null) {
                group = groupIndex.size();
                groupIndex.put(key, group);
                representatives[group] = i;
            }
            elements[group] += tensors[i].elements();
        }
        this.positional = java.util.Arrays.copyOf(positionalIndices, positionalCount);
        this.groupRepresentative = java.util.Arrays.copyOf(representatives, groupIndex.size());
        this.groupElements = java.util.Arrays.copyOf(elements, groupIndex.size());
        this.loadedParameters = parameters;
        this.experts = LlamaQuantRecipe.firstExpertCount(model);
        this.gqa = LlamaQuantRecipe.gqaRatio(model);
        this.layerCount = model.layers().size() + model.nextTokenPredictionLayers().size();
        this.llama70B = model.architecture().equals("llama") && model.layers().size() == 80 && gqa > 1;
        this.mxfp4Experts = model.checkpointFormat() == CheckpointFormat.MXFP4_EXPERTS;
    }

    /**
     * Classifies a model's tensors.
     *
     * @param model the model, not null
     * @return the classification
     * @throws NullPointerException if {@code model} is null
     */
    static TensorClassification of(ModelSpec model) {
        return new TensorClassification(Objects.requireNonNull(model, "model"));
    }

    /**
     * Returns the model this classification is of.
     *
     * @return the model, not null
     */
    ModelSpec model() {
        return model;
    }

    /**
     * Assigns every tensor its type under a scheme; the same as {@link QuantScheme#assign(ModelSpec, boolean)}.
     *
     * @param scheme the scheme, not null
     * @param importanceMatrix whether the file is made with an importance matrix
     * @return the assignment
     * @throws NullPointerException if {@code scheme} is null
     * @throws IllegalArgumentException if a tensor cannot be stored in this scheme
     */
    QuantizedWeights assign(QuantScheme scheme, boolean importanceMatrix) {
        Objects.requireNonNull(scheme, "scheme");
        return new QuantizedWeights(this, scheme, importanceMatrix);
    }

    private static boolean isPositional(LlamaQuantRecipe.Category category) {
        switch (category) {
            case V: case QKV: case KV_B: case GATE: case UP: case DOWN:
                return true;
            default:
                return false;
        }
    }

    long bytes(int index, StorageType type) {
        if (type instanceof TensorType) {
            TensorType ggml = (TensorType) type;
            // the recipe only returns types whose block divides the row (it falls back otherwise)
            return Math.multiplyExact(rowLengths[index] / ggml.blockSize() * ggml.bytesPerBlock(), rowCounts[index]);
        }
        return type.tensorBytes(rowLengths[index], rowCounts[index]);
    }
}
