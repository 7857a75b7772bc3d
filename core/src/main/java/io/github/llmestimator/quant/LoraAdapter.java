package io.github.llmestimator.quant;

import static io.github.llmestimator.internal.TensorNames.TOKEN_EMBD;

import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A LoRA adapter as llama.cpp loads it ({@code --lora FILE}): for each adapted tensor {@code W} of shape
 * {@code [in, out]} (GGUF order, {@code ne0 = in}), a pair {@code A} of shape {@code [in, rank]} and {@code B} of shape
 * {@code [rank, out]}, one per expert for an expert tensor; for the token embedding A is {@code [rank, vocab]} and B
 * {@code [rank, n_embd]}. {@code src/llama-adapter.cpp} ({@code llama_adapter_lora_init_impl}) checks those shapes,
 * duplicates both tensors with their file type into a buffer of the base tensor's own buffer type, and so holds them
 * on the device that holds {@code W}; it logs the total as "LoRA buffer size".
 *
 * <p>Bytes per adapted tensor: {@code (rowBytes(in) * rank + rowBytes(rank) * out) * experts}, with the type's row
 * size. {@code convert_lora_to_gguf.py --outtype q8_0} stores a tensor whose rows are not a multiple of Q8_0's 32-value
 * block in F16 instead (its {@code prepare_tensors}: "falling back to F16"), which this class follows; so a rank-16
 * adapter's B tensors are F16 even in a Q8_0 file.
 *
 * <p>Only the memory is modelled: the adapter's extra reads per token (a few percent of the adapted tensors at rank 16)
 * are not added to the speed estimates.
 *
 * @param rank the rank {@code r}, 1 to {@value #MAX_RANK}
 * @param targets the adapted modules, at least one; copied
 * @param type the adapter file's tensor type: F16, BF16, F32 or Q8_0
 */
public record LoraAdapter(int rank, Set<LoraTarget> targets, TensorType type) {

    /** The largest rank accepted: 4,096, beyond any published adapter (PEFT ranks are 4 to 256). */
    public static final int MAX_RANK = 4096;

    /**
     * Validates and copies the components.
     *
     * @param rank the rank {@code r}, 1 to {@value #MAX_RANK}
     * @param targets the adapted modules, at least one; copied
     * @param type the adapter file's tensor type: F16, BF16, F32 or Q8_0
     * @throws NullPointerException if {@code targets}, a target or {@code type} is null
     * @throws IllegalArgumentException if the rank is out of range, there is no target, or the type is another
     */
    public LoraAdapter {
        if (rank < 1 || rank > MAX_RANK) {
            throw new IllegalArgumentException("rank: " + rank + " (expected: 1 to " + MAX_RANK + ")");
        }
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(type, "type");
        for (LoraTarget target : targets) {
            Objects.requireNonNull(target, "targets[]");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets: [] (expected: at least one module, e.g. q, k, v, o)");
        }
        if (type != TensorType.F16 && type != TensorType.BF16 && type != TensorType.F32 && type != TensorType.Q8_0) {
            throw new IllegalArgumentException("type: " + type + " (expected: F16, BF16, F32 or Q8_0, the types"
                    + " convert_lora_to_gguf.py writes)");
        }
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }

    /**
     * Returns the adapter's bytes for a model: the sum over the tensors it patches.
     *
     * @param model the base model, not null
     * @return bytes
     * @throws NullPointerException if {@code model} is null
     * @throws IllegalArgumentException if a target matches no tensor of the model (a fused QKV or gate-up tensor, an
     *     output head tied to the embedding)
     */
    public long bytes(ModelSpec model) {
        long total = 0;
        for (Tensor tensor : adapted(model)) {
            total = Math.addExact(total, bytes(tensor));
        }
        return total;
    }

    /**
     * Returns the adapter's bytes on each device of a deployment: each adapted tensor's pair goes where its base
     * tensor is, in the base tensor's share.
     *
     * @param model the base model, not null
     * @param deployment the deployment, not null
     * @return bytes per device, in the order of {@link Deployment#devices()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a target matches no tensor of the model, or the deployment cannot hold it
     */
    public long[] bytesOnDevices(ModelSpec model, Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment");
        deployment.checkModel(model);
        long[] perDevice = new long[deployment.devices().size()];
        for (Tensor tensor : adapted(model)) {
            long bytes = bytes(tensor);
            for (int d = 0; d < perDevice.length; d++) {
                double share = deployment.placement().weightShare(d, tensor, model, deployment.devices());
                perDevice[d] = Math.addExact(perDevice[d], (long) Math.ceil(bytes * share));
            }
        }
        return perDevice;
    }

    private List<Tensor> adapted(ModelSpec model) {
        Objects.requireNonNull(model, "model");
        List<Tensor> adapted = new java.util.ArrayList<>();
        for (LoraTarget target : targets) {
            int found = 0;
            for (Tensor tensor : model.tensors()) {
                // multi-token-prediction layers are not loaded, so nothing patches them
                if (tensor.role() != TensorRole.NEXT_TOKEN_PREDICTION && target.matches(tensor.name())) {
                    adapted.add(tensor);
                    found++;
                }
            }
            if (found == 0) {
                throw new IllegalArgumentException("targets: " + target.name().toLowerCase(java.util.Locale.ROOT)
                        + " matches no tensor of " + model.name() + " (expected: a module the model has as its own"
                        + " tensor; a fused QKV or gate-up tensor, or an output head tied to the embedding, has none)");
            }
        }
        return adapted;
    }

    private long bytes(Tensor tensor) {
        if (tensor.name().equals(TOKEN_EMBD)) {
            // A is [rank, vocab] and B [rank, n_embd]: both have rows of rank values
            return Math.multiplyExact(rowBytes(rank), Math.addExact(tensor.ne1(), tensor.ne0()));
        }
        long a = Math.multiplyExact(rowBytes(tensor.ne0()), rank);
        long b = Math.multiplyExact(rowBytes(rank), tensor.ne1());
        return Math.multiplyExact(Math.addExact(a, b), tensor.ne2());
    }

    private long rowBytes(long length) {
        return (type.acceptsRowLength(length) ? type : TensorType.F16).rowBytes(length);
    }
}
