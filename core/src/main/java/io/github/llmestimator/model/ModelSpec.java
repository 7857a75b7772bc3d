package io.github.llmestimator.model;

import static io.github.llmestimator.internal.TensorNames.NEXTN_EH_PROJ;
import static io.github.llmestimator.internal.TensorNames.NEXTN_EMBED_TOKENS;
import static io.github.llmestimator.internal.TensorNames.NEXTN_ENORM;
import static io.github.llmestimator.internal.TensorNames.NEXTN_HNORM;
import static io.github.llmestimator.internal.TensorNames.NEXTN_SHARED_HEAD_HEAD;
import static io.github.llmestimator.internal.TensorNames.NEXTN_SHARED_HEAD_NORM;
import static io.github.llmestimator.internal.TensorNames.OUTPUT;
import static io.github.llmestimator.internal.TensorNames.OUTPUT_NORM;
import static io.github.llmestimator.internal.TensorNames.TOKEN_EMBD;
import static io.github.llmestimator.internal.TensorNames.blk;

import io.github.llmestimator.internal.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable description of a transformer-family model's architecture: an ordered list of layers, the vocabulary,
 * the hidden size, tied or separate output embedding and the maximum context, from which it derives its tensor
 * inventory (named and shaped as in a llama.cpp GGUF file) and its parameter counts.
 *
 * <p>Build one with {@link #builder(String)}, whose setters use the vocabulary of a Hugging Face {@code config.json}:
 * <pre>{@code
 * ModelSpec llama = ModelSpec.builder("Llama-3.1-8B")
 *         .architecture("llama")
 *         .hiddenSize(4096)
 *         .vocabularySize(128256)
 *         .maxContextTokens(131072)
 *         .addLayers(32, Layer.of(FullAttention.of(32, 8, 128), DenseFeedForward.gated(14336)))
 *         .build();
 * }</pre>
 *
 * <p>Multi-token-prediction (NextN) layers are kept apart: they are in the file ({@link #fileParameters()}) and count
 * in llama.cpp's {@code block_count}, but are not loaded for ordinary decoding and are not part of
 * {@link #totalParameters()}, as model cards count them (DeepSeek-V3: 671B + 14B MTP).
 *
 * <p>This class is immutable and thread-safe.
 */
public final class ModelSpec {

    /**
     * The most layers a spec holds, multi-token-prediction layers included: llama.cpp's {@code LLAMA_MAX_LAYERS}
     * ({@code src/llama-hparams.h}), beyond which it refuses a model's {@code block_count}.
     */
    public static final int MAX_LAYERS = 512;

    /**
     * The longest trained context a spec holds: the largest multiple of 256 that is an {@code int}, so that the
     * default context llama.cpp pads to 256 cells stays an {@code int} as it is there.
     */
    public static final int MAX_CONTEXT_TOKENS = Integer.MAX_VALUE / 256 * 256;

    /**
     * Architectures whose checkpoints give each MTP layer its own copy of the token embedding and output head
     * ({@code model.layers.N.embed_tokens} and {@code shared_head.head} in DeepSeek-V3's and GLM-4.5's safetensors
     * indexes), which llama.cpp's converter keeps as {@code nextn.embed_tokens} and {@code nextn.shared_head_head}
     * (gguf-py {@code constants.py}, the DEEPSEEK2 and GLM4_MOE tensor lists). Qwen3-Next and Qwen3.5 MTP layers
     * share the trunk's.
     */
    private static final Set<String> MTP_OWN_EMBEDDING_AND_HEAD = Set.of("deepseek2", "glm4moe");

    private final String name;
    private final String architecture;
    private final int hiddenSize;
    private final int vocabularySize;
    private final boolean tiedEmbeddings;
    private final int maxContextTokens;
    private final List<Layer> layers;
    private final List<Layer> nextTokenPredictionLayers;
    private final CheckpointFormat checkpointFormat;
    private final List<Tensor> tensors;
    private final long[] parametersByRole;
    private final long activeParameters;
    /** The hash code, worked out once: the estimators' memos across instances look models up by it, and it walks every layer. */
    private final int hash;

    private ModelSpec(Builder builder) {
        this.name = builder.name;
        this.architecture = require(builder.architecture, "architecture");
        this.hiddenSize = requireSet(builder.hiddenSize, "hiddenSize");
        this.vocabularySize = requireSet(builder.vocabularySize, "vocabularySize");
        this.maxContextTokens = requireSet(builder.maxContextTokens, "maxContextTokens");
        this.tiedEmbeddings = builder.tiedEmbeddings;
        this.layers = List.copyOf(builder.layers);
        this.nextTokenPredictionLayers = List.copyOf(builder.nextTokenPredictionLayers);
        this.checkpointFormat = builder.checkpointFormat;
        if (layers.isEmpty()) {
            throw new IllegalStateException("layers: none added (expected: at least one layer)");
        }
        for (int i = 0; i < layers.size(); i++) {
            int window = layers.get(i).mixer().slidingWindowTokens();
            if (window > maxContextTokens) {
                throw new IllegalArgumentException("sliding window of layer " + i + ": " + window
                        + " (expected: <= maxContextTokens = " + maxContextTokens + ")");
            }
        }
        this.tensors = buildTensors();
        this.parametersByRole = new long[TensorRole.values().length];
        for (Tensor tensor : tensors) {
            parametersByRole[tensor.role().ordinal()] += tensor.elements();
        }
        this.activeParameters = computeActiveParameters();
        this.hash = Objects.hash(name, architecture, hiddenSize, vocabularySize, tiedEmbeddings, maxContextTokens,
                layers, nextTokenPredictionLayers, checkpointFormat);
    }

    private static String require(String value, String setting) {
        if (value == null) {
            throw new IllegalStateException(setting + ": not set (expected: a value before build())");
        }
        return value;
    }

    private static int requireSet(int value, String setting) {
        if (value == 0) {
            throw new IllegalStateException(setting + ": not set (expected: a value before build())");
        }
        return value;
    }

    /**
     * Returns a builder for a model of the given name.
     *
     * @param name a display name, not null or blank
     * @return a new builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    private List<Tensor> buildTensors() {
        List<Tensor> list = new ArrayList<>(layers.size() * 16 + 8);
        list.add(Tensor.matrix(TOKEN_EMBD, TensorRole.TOKEN_EMBEDDING, Tensor.OUTSIDE_LAYERS, hiddenSize, vocabularySize));
        list.add(Tensor.vector(OUTPUT_NORM, TensorRole.OUTPUT, Tensor.OUTSIDE_LAYERS, hiddenSize));
        if (!tiedEmbeddings) {
            list.add(Tensor.matrix(OUTPUT, TensorRole.OUTPUT, Tensor.OUTSIDE_LAYERS, hiddenSize, vocabularySize));
        }
        for (int i = 0; i < layers.size(); i++) {
            list.addAll(ArchitectureTensors.layer(architecture, layers.get(i), i, hiddenSize));
        }
        for (int j = 0; j < nextTokenPredictionLayers.size(); j++) {
            int index = layers.size() + j;
            Layer layer = nextTokenPredictionLayers.get(j);
            List<Tensor> mtp = new ArrayList<>(ArchitectureTensors.layer(architecture, layer, index, hiddenSize));
            mtp.add(Tensor.matrix(blk(index, NEXTN_EH_PROJ), TensorRole.ATTENTION, index,
                    2L * hiddenSize, hiddenSize));
            mtp.add(Tensor.vector(blk(index, NEXTN_ENORM), TensorRole.NORM, index, hiddenSize));
            mtp.add(Tensor.vector(blk(index, NEXTN_HNORM), TensorRole.NORM, index, hiddenSize));
            mtp.add(Tensor.vector(blk(index, NEXTN_SHARED_HEAD_NORM), TensorRole.NORM, index, hiddenSize));
            if (MTP_OWN_EMBEDDING_AND_HEAD.contains(architecture)) {
                mtp.add(Tensor.matrix(blk(index, NEXTN_EMBED_TOKENS), TensorRole.TOKEN_EMBEDDING, index,
                        hiddenSize, vocabularySize));
                mtp.add(Tensor.matrix(blk(index, NEXTN_SHARED_HEAD_HEAD), TensorRole.OUTPUT, index,
                        hiddenSize, vocabularySize));
            }
            for (Tensor t : mtp) {
                list.add(new Tensor(t.name(), TensorRole.NEXT_TOKEN_PREDICTION, t.layer(), t.dimensions(), t.ne0(),
                        t.ne1(), t.ne2()));
            }
        }
        return List.copyOf(list);
    }

    private long computeActiveParameters() {
        long active = 0;
        for (Tensor tensor : tensors) {
            switch (tensor.role()) {
                case NEXT_TOKEN_PREDICTION:
                    break;
                case TOKEN_EMBEDDING:
                    active += hiddenSize;
                    break;
                case ROUTED_EXPERTS:
                    FeedForwardBlock moe = layers.get(tensor.layer().getAsInt()).feedForward();
                    active += tensor.elements() / moe.routedExperts() * moe.expertsPerToken();
                    break;
                default:
                    active += tensor.elements();
            }
        }
        return active;
    }

    /**
     * Returns the display name.
     *
     * @return the name, not null
     */
    public String name() {
        return name;
    }

    /**
     * Returns the llama.cpp architecture name ({@code general.architecture} of a GGUF file, such as {@code llama},
     * {@code qwen3moe}, {@code qwen35moe}); llama.cpp's quantization recipe has rules for some architectures.
     *
     * @return the architecture, not null
     */
    public String architecture() {
        return architecture;
    }

    /**
     * Returns the hidden size ({@code hidden_size}, llama.cpp {@code n_embd}).
     *
     * @return the hidden size
     */
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * Returns the vocabulary size ({@code vocab_size}).
     *
     * @return the vocabulary size
     */
    public int vocabularySize() {
        return vocabularySize;
    }

    /**
     * Returns whether the output head reuses the token embedding ({@code tie_word_embeddings}).
     *
     * @return true when tied
     */
    public boolean tiedEmbeddings() {
        return tiedEmbeddings;
    }

    /**
     * Returns the maximum context the model was trained for ({@code max_position_embeddings}), in tokens.
     *
     * @return the maximum context in tokens
     */
    public int maxContextTokens() {
        return maxContextTokens;
    }

    /**
     * Returns the layers in order, without the multi-token-prediction layers.
     *
     * @return the layers, an immutable list
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Returns the multi-token-prediction (NextN) layers, which follow the ordinary layers in the file.
     *
     * @return the MTP layers, an immutable list, empty when the model has none
     */
    public List<Layer> nextTokenPredictionLayers() {
        return nextTokenPredictionLayers;
    }

    /**
     * Returns how the publisher stores the official checkpoint.
     *
     * @return the checkpoint format, not null
     */
    public CheckpointFormat checkpointFormat() {
        return checkpointFormat;
    }

    /**
     * Returns every weight tensor in llama.cpp's GGUF naming: token embedding, output norm and head (absent when tied),
     * then each layer's tensors in layer order, then the MTP layers' tensors.
     *
     * @return the tensor inventory, an immutable list
     */
    public List<Tensor> tensors() {
        return tensors;
    }

    /**
     * Returns the parameters of one role, defined as the sum of {@link Tensor#elements()} over the tensors of that role.
     *
     * @param role the role, not null
     * @return the parameter count
     * @throws NullPointerException if {@code role} is null
     */
    public long parameters(TensorRole role) {
        return parametersByRole[Objects.requireNonNull(role, "role").ordinal()];
    }

    /**
     * Returns the model's parameters as model cards count them: every tensor except the multi-token-prediction
     * layers, with a tied embedding counted once.
     *
     * @return the total parameter count
     */
    public long totalParameters() {
        return fileParameters() - parameters(TensorRole.NEXT_TOKEN_PREDICTION);
    }

    /**
     * Returns the parameters stored in a complete GGUF file, MTP layers included.
     *
     * @return the parameter count of every tensor
     */
    public long fileParameters() {
        long sum = 0;
        for (long p : parametersByRole) {
            sum += p;
        }
        return sum;
    }

    /**
     * Returns the parameters one token touches: everything except the token embedding (of which one row of
     * {@code hiddenSize} is read) and the routed experts (of which {@code expertsPerToken / experts} are used per MoE
     * layer), without MTP layers. For a dense model this is {@link #totalParameters()} minus the embedding matrix plus
     * one row.
     *
     * @return the active parameter count, at most {@link #totalParameters()}
     */
    public long activeParameters() {
        return activeParameters;
    }

    /**
     * Returns whether any layer routes tokens to experts.
     *
     * @return true for a mixture-of-experts model
     */
    public boolean isMixtureOfExperts() {
        return parameters(TensorRole.ROUTED_EXPERTS) > 0;
    }

    /**
     * Returns this spec without its multi-token-prediction layers, as GGUF files converted without them hold it
     * (DeepSeek-R1 files of early 2025, most Qwen3.5 files). llama.cpp's quantization recipe counts MTP layers in
     * {@code block_count}, so the two specs quantize slightly differently.
     *
     * @return a spec without MTP layers (this one if it has none); this instance is immutable and unaffected by this
     *     method call
     */
    public ModelSpec withoutNextTokenPredictionLayers() {
        if (nextTokenPredictionLayers.isEmpty()) {
            return this;
        }
        Builder builder = builder(name).architecture(architecture).hiddenSize(hiddenSize).vocabularySize(vocabularySize)
                .maxContextTokens(maxContextTokens).tiedEmbeddings(tiedEmbeddings).checkpointFormat(checkpointFormat);
        layers.forEach(builder::addLayer);
        return builder.build();
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ModelSpec)) {
            return false;
        }
        ModelSpec that = (ModelSpec) other;
        return hiddenSize == that.hiddenSize && vocabularySize == that.vocabularySize
                && tiedEmbeddings == that.tiedEmbeddings && maxContextTokens == that.maxContextTokens
                && name.equals(that.name) && architecture.equals(that.architecture) && layers.equals(that.layers)
                && nextTokenPredictionLayers.equals(that.nextTokenPredictionLayers)
                && checkpointFormat == that.checkpointFormat;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "ModelSpec[" + name + ", " + architecture + ", " + layers.size() + " layers, hidden " + hiddenSize
                + ", vocab " + vocabularySize + ", " + totalParameters() + " parameters]";
    }

    /**
     * A builder of {@link ModelSpec}. Each setter checks its argument; {@link #build()} checks that the required
     * settings (architecture, hidden size, vocabulary size, maximum context, at least one layer) were given.
     *
     * <p>This class is mutable and not thread-safe; the spec it builds is immutable.
     */
    public static final class Builder {
        private final String name;
        private String architecture;
        private int hiddenSize;
        private int vocabularySize;
        private int maxContextTokens;
        private boolean tiedEmbeddings;
        private final List<Layer> layers = new ArrayList<>();
        private final List<Layer> nextTokenPredictionLayers = new ArrayList<>();
        private CheckpointFormat checkpointFormat = CheckpointFormat.BF16;

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: a non-blank name)");
            }
            this.name = name;
        }

        /**
         * Sets the llama.cpp architecture name ({@code general.architecture}).
         *
         * @param architecture the architecture, such as {@code llama} or {@code qwen3moe}, not null or blank
         * @return this builder
         * @throws NullPointerException if {@code architecture} is null
         * @throws IllegalArgumentException if {@code architecture} is blank
         */
        public Builder architecture(String architecture) {
            Objects.requireNonNull(architecture, "architecture");
            if (architecture.isBlank()) {
                throw new IllegalArgumentException("architecture: '' (expected: a llama.cpp architecture name)");
            }
            this.architecture = architecture;
            return this;
        }

        /**
         * Sets the hidden size ({@code hidden_size}).
         *
         * @param hiddenSize the hidden size, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code hiddenSize} is not positive
         */
        public Builder hiddenSize(int hiddenSize) {
            this.hiddenSize = Checks.positive("hiddenSize", hiddenSize);
            return this;
        }

        /**
         * Sets the vocabulary size ({@code vocab_size}).
         *
         * @param vocabularySize the vocabulary size, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code vocabularySize} is not positive
         */
        public Builder vocabularySize(int vocabularySize) {
            this.vocabularySize = Checks.positive("vocabularySize", vocabularySize);
            return this;
        }

        /**
         * Sets the maximum context ({@code max_position_embeddings}) in tokens.
         *
         * @param maxContextTokens the maximum context, 1 to {@value ModelSpec#MAX_CONTEXT_TOKENS}
         * @return this builder
         * @throws IllegalArgumentException if {@code maxContextTokens} is not 1 to
         *     {@value ModelSpec#MAX_CONTEXT_TOKENS}
         */
        public Builder maxContextTokens(int maxContextTokens) {
            if (maxContextTokens < 1 || maxContextTokens > MAX_CONTEXT_TOKENS) {
                throw new IllegalArgumentException("maxContextTokens: " + maxContextTokens + " (expected: 1 to "
                        + MAX_CONTEXT_TOKENS + ", so that llama.cpp's padding of the context to 256 stays an int)");
            }
            this.maxContextTokens = maxContextTokens;
            return this;
        }

        /**
         * Sets whether the output head reuses the token embedding ({@code tie_word_embeddings}); default false.
         *
         * @param tiedEmbeddings true when tied
         * @return this builder
         */
        public Builder tiedEmbeddings(boolean tiedEmbeddings) {
            this.tiedEmbeddings = tiedEmbeddings;
            return this;
        }

        /**
         * Appends one layer.
         *
         * @param layer the layer, not null
         * @return this builder
         * @throws NullPointerException if {@code layer} is null
         * @throws IllegalArgumentException if the spec already has {@value ModelSpec#MAX_LAYERS} layers
         */
        public Builder addLayer(Layer layer) {
            Objects.requireNonNull(layer, "layer");
            requireRoom("layer", 1);
            layers.add(layer);
            return this;
        }

        /** Checks that {@code count} more layers keep the spec within {@link ModelSpec#MAX_LAYERS}. */
        private void requireRoom(String parameter, int count) {
            int added = layers.size() + nextTokenPredictionLayers.size();
            if (count > MAX_LAYERS - added) {
                throw new IllegalArgumentException(parameter + ": " + count + " more layer" + (count == 1 ? "" : "s")
                        + " after " + added + " (expected: at most " + MAX_LAYERS
                        + " layers in all, llama.cpp's LLAMA_MAX_LAYERS)");
            }
        }

        /**
         * Appends {@code count} copies of one layer.
         *
         * @param count how many, at least 1, and at most {@value ModelSpec#MAX_LAYERS} layers in all
         * @param layer the layer, not null
         * @return this builder
         * @throws NullPointerException if {@code layer} is null
         * @throws IllegalArgumentException if {@code count} is not positive or would take the spec beyond
         *     {@value ModelSpec#MAX_LAYERS} layers
         */
        public Builder addLayers(int count, Layer layer) {
            Checks.positive("count", count);
            Objects.requireNonNull(layer, "layer");
            requireRoom("count", count);
            for (int i = 0; i < count; i++) {
                layers.add(layer);
            }
            return this;
        }

        /**
         * Appends a multi-token-prediction (NextN) layer ({@code num_nextn_predict_layers},
         * {@code mtp_num_hidden_layers}).
         *
         * @param layer the MTP layer's blocks, not null
         * @return this builder
         * @throws NullPointerException if {@code layer} is null
         * @throws IllegalArgumentException if the spec already has {@value ModelSpec#MAX_LAYERS} layers
         */
        public Builder addNextTokenPredictionLayer(Layer layer) {
            Objects.requireNonNull(layer, "layer");
            requireRoom("layer", 1);
            nextTokenPredictionLayers.add(layer);
            return this;
        }

        /**
         * Sets how the publisher stores the official checkpoint; default {@link CheckpointFormat#BF16}.
         *
         * @param checkpointFormat the format, not null
         * @return this builder
         * @throws NullPointerException if {@code checkpointFormat} is null
         */
        public Builder checkpointFormat(CheckpointFormat checkpointFormat) {
            this.checkpointFormat = Objects.requireNonNull(checkpointFormat, "checkpointFormat");
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         * @throws IllegalStateException if a required setting is missing; the message names it
         * @throws IllegalArgumentException if a layer's sliding window exceeds the maximum context
         */
        public ModelSpec build() {
            return new ModelSpec(this);
        }
    }

    /** Checks the arguments of a block's {@code tensors(layer, hiddenSize)}. */
    static void checkTensorArguments(int layer, int hiddenSize) {
        Checks.between("layer", layer, 0, MAX_LAYERS - 1, ", a layer of a spec");
        Checks.positive("hiddenSize", hiddenSize);
    }
}
