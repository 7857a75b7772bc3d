package io.github.llmestimator.hardware;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * llama.cpp's tensor parallelism ({@code --split-mode tensor}, experimental; the "meta device" of
 * https://github.com/ggml-org/llama.cpp/pull/19378, documented in llama.cpp's {@code docs/multi-gpu.md},
 * https://github.com/ggml-org/llama.cpp/pull/22729): every weight matrix and every layer's KV cache (and recurrent state)
 * is split across the GPUs in proportion to {@code --tensor-split}, and the GPUs work on each token at the same time,
 * reducing across GPUs inside every layer. Unlike {@link TensorParallel} (vLLM) the GPUs may differ and the shares may
 * be unequal; the split follows the shares exactly, where llama.cpp rounds each split to its tensors' granularity.
 * All-reduce traffic is not modelled.
 *
 * <p>What llama.cpp refuses, refused here too: flash attention off ("SPLIT_MODE_TENSOR requires flash_attn to be
 * enabled") and a quantized KV cache ("simultaneous use of SPLIT_MODE_TENSOR and KV cache quantization not
 * implemented"), both checked when the estimate is made; the architectures it does not implement the mode for
 * ({@link #UNSUPPORTED_ARCHITECTURES}), checked against the model; and system RAM, which the meta device leaves out.
 *
 * <p>Devices: one accelerator ({@link DeviceKind#DISCRETE_GPU} or {@link DeviceKind#UNIFIED_MEMORY}) per proportion.
 *
 * @param proportions one non-negative, finite weight per GPU, at least two, not all zero; copied
 */
public record SplitModeTensor(List<Double> proportions) implements Placement {

    /** The most GPUs llama.cpp splits over in this mode: {@code GGML_CUDA_MAX_DEVICES}, 16. */
    public static final int MAX_DEVICES = 16;

    /**
     * The llama.cpp architectures ({@code general.architecture}) whose graphs do not implement the mode ("
     * LLAMA_SPLIT_MODE_TENSOR not implemented for architecture"), as {@code docs/multi-gpu.md} lists them; GLM-DSA and
     * Mistral 4, also listed, are left out because their architecture names could not be checked.
     */
    public static final Set<String> UNSUPPORTED_ARCHITECTURES = Set.of("grok", "mpt", "olmoe", "deepseek2",
            "nemotron_h", "nemotron_h_moe", "granitehybrid", "lfm2moe", "minimax-m2", "kimi-linear", "jamba",
            "falcon-h1", "mamba", "mamba2", "plamo2", "minicpm3", "gemma3n", "olmo2", "bitnet", "t5");

    /**
     * Validates and copies the proportions.
     *
     * @param proportions one non-negative, finite weight per GPU, 2 to {@value #MAX_DEVICES} of them, not all zero;
     *     copied
     * @throws NullPointerException if the list or an element is null
     * @throws IllegalArgumentException if there are fewer than 2 or more than {@value #MAX_DEVICES}, a proportion is
     *     negative, infinite or NaN, or all are zero
     */
    public SplitModeTensor {
        double sum = Shares.proportionSum(proportions);
        if (proportions.size() < 2 || proportions.size() > MAX_DEVICES || !(sum > 0)) {
            throw new IllegalArgumentException("proportions: " + proportions + " (expected: 2 to " + MAX_DEVICES
                    + " GPUs, with a positive proportion)");
        }
        proportions = List.copyOf(proportions);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException unless the devices are one accelerator per proportion
     */
    @Override
    public void checkDevices(List<Device> devices) {
        Objects.requireNonNull(devices, "devices");
        boolean ok = devices.size() == proportions.size();
        for (int i = 0; ok && i < devices.size(); i++) {
            ok = devices.get(i).kind() != DeviceKind.SYSTEM_RAM;
        }
        if (!ok) {
            throw Deployment.refusedDevices(devices, proportions.size() + " DISCRETE_GPU or UNIFIED_MEMORY devices, one per"
                    + " proportion (llama.cpp's meta device leaves system RAM out)");
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if llama.cpp does not implement the mode for the model's architecture
     */
    @Override
    public void checkModel(ModelSpec model, List<Device> devices) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(devices, "devices");
        if (UNSUPPORTED_ARCHITECTURES.contains(model.architecture())) {
            throw new IllegalArgumentException("model: " + model.name() + " (architecture '" + model.architecture()
                    + "'; expected: one llama.cpp implements --split-mode tensor for; it refuses with"
                    + " \"LLAMA_SPLIT_MODE_TENSOR not implemented for architecture\", use --split-mode layer)");
        }
    }

    private double share(int device) {
        double sum = 0;
        for (double p : proportions) {
            sum += p;
        }
        return proportions.get(device) / sum;
    }

    @Override
    public double weightShare(int device, Tensor tensor, ModelSpec model, List<Device> devices) {
        Shares.checkTensor(device, tensor, model, devices);
        return Shares.loaded(tensor) ? share(device) : 0;
    }

    @Override
    public double layerShare(int device, int layer, ModelSpec model, List<Device> devices) {
        Shares.checkLayer(device, layer, model, devices);
        return share(device);
    }

    @Override
    public boolean concurrent() {
        return true;
    }
}
