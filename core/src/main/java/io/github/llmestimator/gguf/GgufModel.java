package io.github.llmestimator.gguf;

import io.github.llmestimator.model.Architecture;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.ModelSpecSource;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.QuantizedWeights;
import io.github.llmestimator.quant.TensorAssignment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * A model as a GGUF file states it: the exact type and size of every tensor from the tensor table, and, for the
 * architectures this reader knows, the {@link ModelSpec} rebuilt from the {@code general.architecture} and
 * {@code <arch>.*} metadata, so that the KV cache, recurrent state and buffers can be estimated from the file's own
 * hyperparameters:
 * <pre>{@code
 * GgufModel file = GgufModel.read(Path.of("Qwen3-8B-Q4_K_M.gguf"));
 * long weightBytes = file.weightBytes();                       // exact, from the tensor table
 * ModelSpec spec = file.spec().orElseThrow();                  // for the KV cache
 * QuantizedWeights weights = file.weights().orElseThrow();     // the file's real types, for an estimate
 * }</pre>
 *
 * <p>Weights are exact for every file: each tensor's bytes from its real type, summed, with each tensor given a
 * {@link TensorRole} by its name (token embedding, attention, recurrent, dense feed-forward, router, routed and shared
 * experts, norms, output, multi-token-prediction layers), so that placements and speeds work per role. A file of an
 * architecture this reader does not map has no spec: {@link #spec()} is empty, and {@link #requireSpec()} says that
 * the KV cache cannot be estimated without the architecture's hyperparameters.
 *
 * <p>Known architectures: {@code llama}, {@code qwen2}, {@code qwen3}, {@code qwen3moe}, {@code qwen3next},
 * {@code qwen35}, {@code qwen35moe}, {@code gemma2}, {@code gemma3}, {@code gpt-oss}, {@code deepseek2},
 * {@code glm4moe}, {@code phi3}, {@code mamba2}, {@code nemotron_h}, {@code granitehybrid}, {@code minimax-m2},
 * {@code olmo2}, {@code granite}, {@code smollm3}, {@code cohere2}. For these, hyperparameters that are missing, out of range or
 * inconsistent with the tensor table make the file malformed ({@link GgufFormatException} naming the entry's offset), as
 * llama.cpp refuses to load such a file.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class GgufModel implements ModelSpecSource {

    private static final String ARCHITECTURE_KEY = "general.architecture";

    private final GgufFile file;
    private final String architecture;
    private final List<TensorAssignment> assignments;
    private final long[] bytesByRole;
    private final long parameters;
    private final ModelSpec spec;
    private final QuantizedWeights weights;

    private GgufModel(GgufFile file) throws GgufFormatException {
        this.file = file;
        Optional<GgufKeyValue> archEntry = file.entry(ARCHITECTURE_KEY);
        if (archEntry.isPresent() && !(archEntry.get().value() instanceof GgufValue.StringValue)) {
            throw new GgufFormatException(archEntry.get().offset(), ARCHITECTURE_KEY + ": "
                    + GgufFormatException.shown(archEntry.get().value())
                    + " of type " + archEntry.get().value().type() + " (expected: a STRING)");
        }
        this.architecture = file.string(ARCHITECTURE_KEY).orElse(null);
        int blockCount = -1;
        int trunkLayers = -1;
        if (architecture != null) {
            OptionalLong blocks = file.count(architecture + ".block_count");
            OptionalLong nextn = file.count(architecture + ".nextn_predict_layers");
            if (blocks.isPresent() && blocks.getAsLong() <= Integer.MAX_VALUE) {
                blockCount = (int) blocks.getAsLong();
                trunkLayers = (int) Math.max(0, blockCount - Math.min(blockCount, nextn.orElse(0)));
            }
        }
        this.assignments = List.copyOf(TensorRoles.assign(file, blockCount, trunkLayers));
        this.bytesByRole = new long[TensorRole.values().length];
        long elements = 0;
        for (TensorAssignment a : assignments) {
            bytesByRole[a.tensor().role().ordinal()] += a.bytes();
            elements += a.tensor().elements();
        }
        this.parameters = elements;
        if (architecture != null && Architecture.ofGgufName(architecture).isPresent()) {
            String name = file.string("general.name").filter(n -> !n.isBlank()).orElse(architecture);
            this.spec = ArchitectureMapper.map(file, architecture, name);
            Optional<QuantScheme> label = fileType();
            this.weights = label.isPresent() ? QuantizedWeights.ofFile(spec, label.get(), assignments)
                    : QuantizedWeights.ofFile(spec, assignments);
        } else {
            this.spec = null;
            this.weights = null;
        }
    }

    /**
     * Returns the model a GGUF header describes.
     *
     * @param file the header, not null
     * @return the model
     * @throws NullPointerException if {@code file} is null
     * @throws GgufFormatException if {@code general.architecture} is not a string, or the architecture is a known one
     *     and its hyperparameters are missing, out of range or inconsistent with the tensor table; the message names
     *     the entry's offset
     */
    public static GgufModel of(GgufFile file) throws GgufFormatException {
        return new GgufModel(Objects.requireNonNull(file, "file"));
    }

    /**
     * Reads the model of the GGUF file at the given path, reading only its header.
     *
     * @param path the file, not null
     * @return the model
     * @throws NullPointerException if {@code path} is null
     * @throws GgufFormatException if the file is malformed (see {@link GgufFile} and {@link #of(GgufFile)})
     * @throws IOException if the file cannot be read
     */
    public static GgufModel read(Path path) throws IOException {
        return of(GgufFile.read(path));
    }

    /**
     * Reads the model of a GGUF file from a channel (see {@link GgufFile#read(SeekableByteChannel)}).
     *
     * @param channel the channel, positioned at the start of the GGUF data, not null
     * @return the model
     * @throws NullPointerException if {@code channel} is null
     * @throws GgufFormatException if the bytes are malformed
     * @throws IOException if the channel cannot be read
     */
    public static GgufModel read(SeekableByteChannel channel) throws IOException {
        return of(GgufFile.read(channel));
    }

    /**
     * Reads the model of a GGUF file from a stream holding at least its header, such as a ranged download of its first
     * bytes (see {@link GgufFile#read(InputStream)}).
     *
     * @param in the stream, not null
     * @return the model
     * @throws NullPointerException if {@code in} is null
     * @throws GgufFormatException if the bytes are malformed or end before the header does
     * @throws IOException if the stream cannot be read
     */
    public static GgufModel read(InputStream in) throws IOException {
        return of(GgufFile.read(in));
    }

    /**
     * Returns the header this model was read from.
     *
     * @return the header, not null
     */
    public GgufFile file() {
        return file;
    }

    /**
     * Returns {@code general.architecture}.
     *
     * @return the architecture, such as {@code llama}, or empty when the file states none
     */
    public Optional<String> architecture() {
        return Optional.ofNullable(architecture);
    }

    /**
     * Returns {@code general.name}.
     *
     * @return the name, or empty when absent or not a string
     */
    public Optional<String> name() {
        return file.string("general.name");
    }

    /**
     * Returns {@code general.size_label}, such as {@code 8B} or {@code 30B-A3B}.
     *
     * @return the label, or empty when absent or not a string
     */
    public Optional<String> sizeLabel() {
        return file.string("general.size_label");
    }

    /**
     * Returns the {@code llama_ftype} id in {@code general.file_type}: a label the converter wrote, not necessarily the
     * type of every tensor.
     *
     * @return the id, or empty when absent or not a non-negative integer below 2^31
     */
    public OptionalInt fileTypeId() {
        OptionalLong id = file.count("general.file_type");
        return id.isPresent() && id.getAsLong() <= Integer.MAX_VALUE ? OptionalInt.of((int) id.getAsLong())
                : OptionalInt.empty();
    }

    /**
     * Returns the scheme {@code general.file_type} names, such as {@link QuantScheme#Q4_K_M} for id 15.
     *
     * @return the scheme, or empty when the file type is absent or names no scheme of this library
     */
    public Optional<QuantScheme> fileType() {
        OptionalInt id = fileTypeId();
        if (id.isEmpty()) {
            return Optional.empty();
        }
        for (QuantScheme scheme : QuantScheme.values()) {
            if (scheme.llamaFileType().equals(id)) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns {@code general.parameter_count}, which some tools write; {@link #parameters()} is exact.
     *
     * @return the stated count, or empty when absent or not a non-negative integer
     */
    public OptionalLong statedParameterCount() {
        return file.count("general.parameter_count");
    }

    /**
     * Returns the parameters stored in the file, defined as the sum of every tensor's element count (multi-token
     * prediction layers included).
     *
     * @return the parameter count
     */
    public long parameters() {
        return parameters;
    }

    /**
     * Returns every tensor of the file with its role, real type and size, in file order.
     *
     * @return the tensors, an immutable list
     */
    public List<TensorAssignment> tensors() {
        return assignments;
    }

    /**
     * Returns the tensor data of the whole file, defined as the sum of each tensor's bytes from its real type
     * ({@link GgufFile#tensorBytes()}).
     *
     * @return bytes
     */
    public long fileTensorBytes() {
        return file.tensorBytes();
    }

    /**
     * Returns the weights llama.cpp loads for ordinary decoding: {@link #fileTensorBytes()} without the
     * multi-token-prediction layers.
     *
     * @return bytes
     */
    public long weightBytes() {
        return file.tensorBytes() - bytesByRole[TensorRole.NEXT_TOKEN_PREDICTION.ordinal()];
    }

    /**
     * Returns the bytes of the tensors of one role.
     *
     * @param role the role, not null
     * @return bytes
     * @throws NullPointerException if {@code role} is null
     */
    public long weightBytes(TensorRole role) {
        return bytesByRole[Objects.requireNonNull(role, "role").ordinal()];
    }

    /**
     * Returns the spec rebuilt from the file's metadata.
     *
     * @return the spec, or empty when the architecture is absent or not one this reader maps
     */
    public Optional<ModelSpec> spec() {
        return Optional.ofNullable(spec);
    }

    /**
     * Returns the spec rebuilt from the file's metadata, for callers that cannot go on without one.
     *
     * @return the spec, not null
     * @throws IllegalStateException if the architecture is absent or not one this reader maps; the message says that
     *     the weights are exact but the KV cache cannot be estimated without the hyperparameters
     */
    public ModelSpec requireSpec() {
        if (spec == null) {
            throw new IllegalStateException(unmappedMessage());
        }
        return spec;
    }

    /**
     * Returns the spec rebuilt from the file's metadata; the same as {@link #requireSpec()}.
     *
     * @return the spec, not null
     * @throws IllegalStateException if the architecture is absent or not one this reader maps
     */
    @Override
    public ModelSpec modelSpec() {
        return requireSpec();
    }

    /**
     * Returns the file's tensors with their real types as {@link QuantizedWeights} of the rebuilt spec, labelled with
     * the scheme {@code general.file_type} names (if any).
     *
     * @return the weights, or empty when there is no spec
     */
    public Optional<QuantizedWeights> weights() {
        return Optional.ofNullable(weights);
    }

    /**
     * Returns the file's weights for callers that cannot go on without a spec.
     *
     * @return the weights, not null
     * @throws IllegalStateException if there is no spec (see {@link #requireSpec()})
     */
    public QuantizedWeights requireWeights() {
        requireSpec();
        return weights;
    }

    private String unmappedMessage() {
        TreeSet<String> names = new TreeSet<>();
        for (Architecture a : Architecture.values()) {
            names.add(a.ggufName());
        }
        String known = names.toString();
        String found = architecture == null ? "missing" : "'" + architecture + "'";
        return ARCHITECTURE_KEY + ": " + found + " (expected one of " + known + "); the weights ("
                + file.tensorBytes() + " bytes) are exact, but the KV cache and recurrent state cannot be estimated"
                + " without the architecture's hyperparameters";
    }

    @Override
    public String toString() {
        return "GgufModel[" + (architecture == null ? "no architecture" : architecture) + ", "
                + file.tensors().size() + " tensors, " + weightBytes() + " weight bytes"
                + (spec == null ? ", no spec" : "") + "]";
    }
}
