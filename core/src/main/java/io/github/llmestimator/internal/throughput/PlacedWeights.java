package io.github.llmestimator.internal.throughput;

import io.github.llmestimator.hardware.Backend;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Placement;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.internal.memory.KvLayout;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.quant.QuantizedWeights;
import io.github.llmestimator.quant.StorageType;
import io.github.llmestimator.quant.TensorAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Objects;

/**
 * A model's quantized weights spread over the devices of a deployment: the bytes each device holds, and what one
 * step reads and multiplies there, summed over the tensors once so that speed estimates are arithmetic only.
 *
 * <p>Tensors are grouped per device and storage type (so that every tensor of a group has the same FLOPs per byte and
 * the group's roofline time is the sum of its tensors'): dense tensors, routed experts of one
 * {@code (experts, expertsPerToken)} shape, the output head, and the token embedding apart. Per group it keeps the
 * stored bytes and the parameters; a step of {@code n} tokens reads a dense group whole and a routed group's
 * {@code U(n) / experts} share, with {@code U(n) = experts * (1 - (1 - k / experts)^n)} experts in use under uniform
 * routing ({@code U(1) = k}), and multiplies {@code 2 * n} FLOPs per active parameter.
 * Multi-token-prediction tensors are not loaded. With tied embeddings, the output head reads the whole embedding
 * matrix; where the head sits on another device than the embedding, that device holds a copy (llama.cpp duplicates it,
 * {@code src/llama-model.cpp}).
 *
 * <p>This class is immutable and thread-safe.
 */
public final class PlacedWeights {

    private final QuantizedWeights weights;
    private final Deployment deployment;

    final int deviceCount;
    final long[] weightBytes;
    final double[] embeddingRowBytes;
    final double[][] layerShare;
    final double[][] cacheShare;
    final boolean[] holdsLayers;
    final int outputBufferDevice;
    /**
     * The device a projector loads on: llama.cpp's {@code clip_init} takes the first GPU backend unless
     * {@code --no-mmproj-offload}, else the CPU; here the first device that is not system RAM, else the first.
     */
    final int projectorDevice;
    final int hostDevice;
    final int offloadDevice;

    /** Achieved rates per efficiency scenario (low, expected, high) and device; they depend on the devices only. */
    final double[][] bytesPerSecond;
    /** Weights a device's CPU cores multiply per second while decoding; infinite where they do not bound a step. */
    final double[][] weightsPerSecond;
    final double[][][] flopsPerSecond;
    /**
     * Per device and {@link KernelClass}: whether batches of more than a few tokens multiply F16 copies of the weights
     * (block types at the FP16 rate under CUDA or ROCm: llama.cpp's ggml_cuda_mul_mat_cublas converts them to F16
     * first, where no INT8 MMQ kernel takes them).
     */
    final boolean[][] dequantizes;
    /**
     * Whether a prompt's micro-batches flow through the devices as a pipeline: llama.cpp enables pipeline
     * parallelism when the model is on more than one device, all of them GPUs, split by layer (src/llama-context.cpp,
     * {@code pipeline_parallel}, PR #6017).
     */
    final boolean pipelined;
    final double[] linkBytesPerSecond;
    /** The runtime's fixed time per decode step: the layers each device runs times its time per layer. */
    final double decodeFixedSeconds;

    /**
     * The caches and step kernels under the last cache setting asked for; replaced when another is asked for. Each
     * value is immutable, so a racing thread at worst builds an equal one.
     */
    private volatile CacheSplit cacheSplit;

    /** Matmul groups, ordered by device. */
    final int[] groupDevice;
    final KernelClass[] groupClass;
    final double[] groupBytes;
    final double[] groupParameters;
    final int[] groupExperts;
    final int[] groupExpertsPerToken;
    final boolean[] groupOutput;

    /**
     * Sums each device's layers times its time per layer (more for a layer of routed experts): devices that take turns
     * add; devices that run every layer at once (tensor parallel) each launch every layer they share in, so the
     * slowest counts.
     */
    private static double fixedSeconds(ModelSpec model, double[][] layerShare, List<Device> devices,
            boolean concurrent) {
        double total = 0;
        for (int d = 0; d < layerShare.length; d++) {
            Device device = devices.get(d);
            double perLayer = Efficiency.layerSeconds(device);
            double perExpertLayer = Efficiency.expertLayerSeconds(device);
            double seconds = 0;
            for (int l = 0; l < layerShare[d].length; l++) {
                double share = layerShare[d][l];
                double layer = perLayer
                        + (model.layers().get(l).feedForward().routedExperts() > 0 ? perExpertLayer : 0);
                seconds += (concurrent ? (share > 0 ? 1 : 0) : share) * layer;
            }
            total = concurrent ? Math.max(total, seconds) : total + seconds;
        }
        return total;
    }

    /**
     * The round trips of a token to devices that hold some of a layer's weights but do not run the layer (the routed
     * experts of {@code --n-cpu-moe} layers in system RAM): one {@link Efficiency#VISIT_SECONDS} per such layer and
     * device, since llama.cpp's scheduler splits the graph there and each split copies the activations over and
     * waits for both devices.
     */
    private static double visitSeconds(boolean[][] visited) {
        int visits = 0;
        for (boolean[] device : visited) {
            for (boolean layer : device) {
                visits += layer ? 1 : 0;
            }
        }
        return visits * Efficiency.VISIT_SECONDS;
    }

    private PlacedWeights(QuantizedWeights weights, Deployment deployment) {
        this.weights = weights;
        this.deployment = deployment;
        ModelSpec model = weights.model();
        List<Device> devices = deployment.devices();
        Placement placement = deployment.placement();
        int layers = model.layers().size();
        deviceCount = devices.size();
        weightBytes = new long[deviceCount];
        embeddingRowBytes = new double[deviceCount];
        layerShare = new double[deviceCount][layers];
        cacheShare = new double[deviceCount][layers];
        holdsLayers = new boolean[deviceCount];
        int host = -1;
        int gpu = -1;
        for (int d = 0; d < deviceCount; d++) {
            DeviceKind kind = devices.get(d).kind();
            if (kind == DeviceKind.SYSTEM_RAM && host < 0) {
                host = d;
            }
            if (kind == DeviceKind.DISCRETE_GPU && gpu < 0) {
                gpu = d;
            }
            for (int l = 0; l < layers; l++) {
                layerShare[d][l] = placement.layerShare(d, l, model, devices);
                cacheShare[d][l] = placement.cacheShare(d, l, model, devices);
                holdsLayers[d] |= layerShare[d][l] > 0 || cacheShare[d][l] > 0;
            }
        }
        hostDevice = host;
        pipelined = deviceCount > 1 && host < 0 && !placement.concurrent();
        int projector = 0;
        for (int d = deviceCount - 1; d >= 0; d--) {
            if (devices.get(d).kind() != DeviceKind.SYSTEM_RAM) {
                projector = d;
            }
        }
        projectorDevice = projector;
        offloadDevice = host >= 0 ? gpu : -1;
        int classes = KernelClass.values().length;
        bytesPerSecond = new double[Efficiency.SCENARIOS][deviceCount];
        weightsPerSecond = new double[Efficiency.SCENARIOS][deviceCount];
        flopsPerSecond = new double[Efficiency.SCENARIOS][deviceCount][classes];
        dequantizes = new boolean[deviceCount][classes];
        linkBytesPerSecond = new double[Efficiency.SCENARIOS];
        for (int s = 0; s < Efficiency.SCENARIOS; s++) {
            for (int d = 0; d < deviceCount; d++) {
                Device device = devices.get(d);
                bytesPerSecond[s][d] = Efficiency.memory(device, s) * device.memoryBandwidthGBps() * 1e9;
                weightsPerSecond[s][d] = Efficiency.cpuWeightsPerSecond(device, s);
                for (KernelClass kernel : KernelClass.values()) {
                    Precision precision = kernel.precisionOn(device);
                    OptionalDouble tflops = kernel.denseTflops(device, precision);
                    if (tflops.isEmpty() && precision != Precision.FP16) {
                        precision = Precision.FP16;
                        tflops = device.denseTflops(precision);
                    }
                    dequantizes[d][kernel.ordinal()] = precision == Precision.FP16
                            && (kernel == KernelClass.BLOCK_QUANT || kernel == KernelClass.FP4)
                            && (device.backend() == Backend.CUDA || device.backend() == Backend.ROCM);
                    flopsPerSecond[s][d][kernel.ordinal()] = tflops.isPresent()
                            ? Efficiency.compute(device, precision, s) * tflops.getAsDouble() * 1e12
                            : Double.NaN;
                }
            }
            linkBytesPerSecond[s] = offloadDevice >= 0
                    ? devices.get(offloadDevice).hostLink()
                            .map(link -> link.bandwidthGBps() * 1e9).orElse(Double.NaN) * Efficiency.hostLink(s)
                    : Double.NaN;
        }

        List<Group> groups = new ArrayList<>();
        double[] outputShare = new double[deviceCount];
        boolean[][] visited = new boolean[deviceCount][layers];
        TensorAssignment embedding = null;
        for (TensorAssignment a : weights.assignments()) {
            Tensor tensor = a.tensor();
            TensorRole role = tensor.role();
            if (role == TensorRole.NEXT_TOKEN_PREDICTION) {
                continue;
            }
            if (role == TensorRole.TOKEN_EMBEDDING) {
                embedding = a;
            }
            StorageType type = a.type();
            int experts = 0;
            int perToken = 0;
            if (role == TensorRole.ROUTED_EXPERTS) {
                FeedForwardBlock ffn = model.layers().get(tensor.layer().getAsInt()).feedForward();
                experts = ffn.routedExperts();
                perToken = ffn.expertsPerToken();
            }
            for (int d = 0; d < deviceCount; d++) {
                double share = placement.weightShare(d, tensor, model, devices);
                if (share <= 0) {
                    continue;
                }
                weightBytes[d] = Math.addExact(weightBytes[d], shareOf(a.bytes(), share));
                int layer = tensor.layer().orElse(layers);
                if (layer < layers && layerShare[d][layer] <= 0) {
                    visited[d][layer] = true;
                }
                if (role == TensorRole.TOKEN_EMBEDDING) {
                    embeddingRowBytes[d] += a.type().tensorBytes(tensor.ne0(), 1) * share;
                    continue;
                }
                if (role == TensorRole.OUTPUT) {
                    outputShare[d] = Math.max(outputShare[d], share);
                    holdsLayers[d] = true;
                }
                add(groups, d, type, a.bytes() * share, tensor.elements() * share, experts, perToken,
                        role == TensorRole.OUTPUT);
            }
        }
        if (model.tiedEmbeddings() && embedding != null) {
            StorageType type = embedding.type();
            for (int d = 0; d < deviceCount; d++) {
                if (outputShare[d] <= 0) {
                    continue;
                }
                double embeddingShare = placement.weightShare(d, embedding.tensor(), model, devices);
                if (embeddingShare <= 0) {
                    weightBytes[d] = Math.addExact(weightBytes[d], shareOf(embedding.bytes(), outputShare[d]));
                }
                add(groups, d, type, embedding.bytes() * outputShare[d],
                        embedding.tensor().elements() * outputShare[d], 0, 0, true);
            }
        }
        decodeFixedSeconds = fixedSeconds(model, layerShare, devices, placement.concurrent())
                + visitSeconds(visited);
        int outputDevice = 0;
        for (int d = deviceCount - 1; d >= 0; d--) {
            if (outputShare[d] > 0) {
                outputDevice = d;
            }
        }
        outputBufferDevice = host >= 0 ? host : outputDevice;

        groups.sort((x, y) -> Integer.compare(x.device, y.device));
        int n = groups.size();
        groupDevice = new int[n];
        groupClass = new KernelClass[n];
        groupBytes = new double[n];
        groupParameters = new double[n];
        groupExperts = new int[n];
        groupExpertsPerToken = new int[n];
        groupOutput = new boolean[n];
        for (int i = 0; i < n; i++) {
            Group g = groups.get(i);
            groupDevice[i] = g.device;
            groupClass[i] = KernelClass.of(g.type);
            groupBytes[i] = g.bytes;
            groupParameters[i] = g.parameters;
            groupExperts[i] = g.experts;
            groupExpertsPerToken[i] = g.perToken;
            groupOutput[i] = g.output;
        }
    }

    /**
     * Returns the caches and step kernels of these weights under the cache types and flash-attention mode of the
     * settings, built on first use and kept until other cache settings are asked for.
     *
     * @param settings the settings, not null
     * @return the split
     */
    public CacheSplit cacheSplit(ContextSettings settings) {
        CacheSplit split = cacheSplit;
        if (split == null || !split.matches(settings)) {
            split = new CacheSplit(this, KvLayout.of(weights.model(), settings));
            cacheSplit = split;
        }
        return split;
    }

    /** Returns {@code bytes * share}, exact for whole tensors and rounded up for shards. */
    static long shareOf(long bytes, double share) {
        if (share >= 1) {
            return bytes;
        }
        return share <= 0 ? 0 : (long) Math.ceil(bytes * share);
    }

    private static void add(List<Group> groups, int device, StorageType type, double bytes, double parameters,
            int experts, int perToken, boolean output) {
        for (Group g : groups) {
            if (g.device == device && g.type.equals(type) && g.experts == experts && g.perToken == perToken
                    && g.output == output) {
                g.bytes += bytes;
                g.parameters += parameters;
                return;
            }
        }
        Group g = new Group(device, type, experts, perToken, output);
        g.bytes = bytes;
        g.parameters = parameters;
        groups.add(g);
    }

    private static final class Group {
        final int device;
        final StorageType type;
        final int experts;
        final int perToken;
        final boolean output;
        double bytes;
        double parameters;

        Group(int device, StorageType type, int experts, int perToken, boolean output) {
            this.device = device;
            this.type = type;
            this.experts = experts;
            this.perToken = perToken;
            this.output = output;
        }
    }

    /**
     * Places quantized weights on a deployment.
     *
     * @param weights the quantized weights, not null
     * @param deployment the deployment, not null
     * @return the placed weights
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the placement names more layers than the model has, or cannot split it
     * @throws ArithmeticException if a device's bytes overflow a {@code long}
     */
    public static PlacedWeights of(QuantizedWeights weights, Deployment deployment) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(deployment, "deployment");
        deployment.checkModel(weights.model());
        return new PlacedWeights(weights, deployment);
    }

    /**
     * Returns the quantized weights.
     *
     * @return the weights, not null
     */
    public QuantizedWeights weights() {
        return weights;
    }

    /**
     * Returns the deployment.
     *
     * @return the deployment, not null
     */
    public Deployment deployment() {
        return deployment;
    }

    /**
     * Returns the weight bytes one device holds: its share of every loaded tensor (shards rounded up), plus a copy of a
     * tied embedding where it holds the output head but not the embedding.
     *
     * @param device the device's index in {@link Deployment#devices()}
     * @return bytes
     * @throws IllegalArgumentException if there is no such device
     */
    public long weightBytes(int device) {
        if (device < 0 || device >= weightBytes.length) {
            throw new IllegalArgumentException("device: " + device + " (expected: 0 to " + (weightBytes.length - 1)
                    + ", an index into the deployment's " + weightBytes.length + " devices)");
        }
        return weightBytes[device];
    }

    /**
     * Returns the number of devices of the deployment.
     *
     * @return the devices
     */
    public int deviceCount() {
        return deviceCount;
    }

    /**
     * Returns whether a device runs a layer or the output head, or holds a layer's cache: such a device holds the
     * whole compute buffer, a device that only holds weights a smaller host buffer.
     *
     * @param device the device's index in {@link Deployment#devices()}, 0 to {@link #deviceCount()} - 1
     * @return true when the device runs part of the model
     */
    public boolean holdsLayers(int device) {
        return holdsLayers[device];
    }

    /**
     * Returns the device that holds the output (logits) buffer: system RAM when the deployment has it, else the first
     * device with the output head.
     *
     * @return the device's index in {@link Deployment#devices()}
     */
    public int outputBufferDevice() {
        return outputBufferDevice;
    }

    /**
     * Returns the device a projector ({@code --mmproj}) loads on: the first that is not system RAM, else the first.
     *
     * @return the device's index in {@link Deployment#devices()}
     */
    public int projectorDevice() {
        return projectorDevice;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof PlacedWeights)) {
            return false;
        }
        PlacedWeights that = (PlacedWeights) other;
        return weights.equals(that.weights) && deployment.equals(that.deployment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(weights, deployment);
    }

    @Override
    public String toString() {
        return "PlacedWeights[" + weights + " on " + deployment.devices().size() + " devices, "
                + deployment.placement() + "]";
    }
}
