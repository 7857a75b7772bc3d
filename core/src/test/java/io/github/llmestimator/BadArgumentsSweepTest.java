package io.github.llmestimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.gguf.GgufFile;
import io.github.llmestimator.gguf.GgufFormatException;
import io.github.llmestimator.gguf.GgufModel;
import io.github.llmestimator.gguf.GgufSamples;
import io.github.llmestimator.gguf.GgufValue;
import io.github.llmestimator.gguf.GgufValueType;
import io.github.llmestimator.hardware.AppleWorkingSet;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.ExpertsInSystemRam;
import io.github.llmestimator.hardware.GpuLayers;
import io.github.llmestimator.hardware.Calibration;
import io.github.llmestimator.hardware.HostLink;
import io.github.llmestimator.hardware.LayerSplit;
import io.github.llmestimator.hardware.Placement;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.hardware.SingleDevice;
import io.github.llmestimator.hardware.TensorParallel;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.memory.MemoryKit;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.GatedDeltaNet;
import io.github.llmestimator.model.LatentAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.Mamba2;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.NoAttention;
import io.github.llmestimator.model.NoFeedForward;
import io.github.llmestimator.model.SlidingWindowAttention;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.planning.ConcurrencyPlan;
import io.github.llmestimator.planning.ContextPlan;
import io.github.llmestimator.planning.DecodeTarget;
import io.github.llmestimator.planning.HardwarePlan;
import io.github.llmestimator.planning.OffloadPlan;
import io.github.llmestimator.planning.PagedKvCache;
import io.github.llmestimator.planning.Plan;
import io.github.llmestimator.planning.SchemePlan;
import io.github.llmestimator.quant.GroupQuantizedType;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.QuantizedWeights;
import io.github.llmestimator.quant.StorageType;
import io.github.llmestimator.quant.TensorAssignment;
import io.github.llmestimator.quant.TensorType;
import io.github.llmestimator.testing.ReferenceModels;
import io.github.llmestimator.throughput.DeploymentEstimate;
import io.github.llmestimator.vision.ImageTokens;
import io.github.llmestimator.vision.Projector;
import io.github.llmestimator.vision.ProjectorTensor;
import io.github.llmestimator.vision.ProjectorType;
import io.github.llmestimator.vision.VisionMemory;
import io.github.llmestimator.vision.VisionTower;
import io.github.llmestimator.vision.VisionTowerKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls every public constructor and method of every public class of core's exported packages with bad values, one
 * parameter at a time, the others valid: {@code null} for a reference, 0, -1, the minimum and the maximum for an
 * {@code int} or {@code long}, and 0, -1, NaN, the infinities, {@code Double.MIN_VALUE} and {@code Double.MAX_VALUE} for
 * a {@code double}. Instance methods are called on a representative instance built from a small real spec.
 *
 * <p>Each call must either return, where {@link #LEGAL} says why the value is legal there, or throw a
 * {@link NullPointerException} whose message is the parameter's Java name (the build compiles with
 * {@code -parameters}), or an {@link IllegalArgumentException} (a {@link GgufFormatException} from a GGUF read) whose
 * message names the parameter, or the option a fluent step stands for, written as the method's name before a colon
 * or a parenthesis. Anything else (an {@link ArithmeticException}, an index out of bounds, an error, Java's own
 * null message, a message without the name) fails the sweep, as does an allowed case no call reaches.
 */
final class BadArgumentsSweepTest {

    private static final ModelSpec MODEL = ReferenceModels.llama31_8b();
    private static final Device GPU = Device.builder("gpu", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
            .memoryBandwidthGBps(1008).denseTflops(Precision.FP16, 165).hostLink(4, 16).build();
    private static final Device RAM = Device.builder("ram", DeviceKind.SYSTEM_RAM).memoryBytes(64L << 30)
            .memoryBandwidthGBps(80).denseTflops(Precision.FP16, 2).build();
    private static final Device UNIFIED = Device.builder("mac", DeviceKind.UNIFIED_MEMORY).memoryBytes(64L << 30)
            .memoryBandwidthGBps(400).gpuMemoryFraction(0.75).build();
    private static final Estimator ESTIMATOR = Estimator.of(MODEL).quant(QuantScheme.Q4_K_M).context(4096).on(GPU);
    private static final QuantizedWeights WEIGHTS = QuantScheme.Q4_K_M.assign(MODEL);
    private static final byte[] GGUF = GgufSamples.tinyLlama();

    /**
     * Values that are legal where they are passed, keyed {@code Class.method(parameter=value)}: the call returns and
     * that is right. Each says why.
     */
    private static final Map<String, String> LEGAL = new LinkedHashMap<>();

    // Why a value is legal where it is passed: one line per kind, shared by the calls below.
    private static final String INDEX = "0 is an index: the first device or layer";
    private static final String ZERO = "0 bytes, tokens or cells is a size: none of that kind";
    private static final String WIDTH = "any positive int is a width, head count, rank or expert count; the tensor sizes"
            + " they make are longs, and Tensor rejects one that overflows";
    private static final String HEADROOM = "headroom is signed by design: negative by as much as the plan misses";
    private static final String RESULT = "a result record holds what the estimator found: any count >= 0 or finite"
            + " speed > 0 is one";
    private static final String NOTHING_FITS = "0 is documented as 'not even one fits'";
    private static final String BATCH = "llama.cpp uses min(n_ctx, n_batch): a batch longer than the context is capped"
            + " by it";
    private static final String WINDOW = "a window longer than the context caches the context (min of the two); a"
            + " spec checks its windows against maxContextTokens";
    private static final String CELLS = "a cell count; the byte sizes, not the cells, must add up within a long";
    private static final String FIRST_TOKEN = "position 0 is the first token of the context";
    private static final String SIZE = "any non-negative byte count (any positive GB count for a kit) is a size";
    private static final String RATE = "any finite positive bandwidth, throughput, speed or share in (0, 1] is one";
    private static final String PAGED = "vLLM takes any positive block size and batched-token budget";
    private static final String LATER = "checked against the model when the deployment meets it (Estimator.on), as"
            + " documented";
    private static final String OFFSET = "any non-negative byte offset into a GGUF file";
    private static final String FLOAT = "a GGUF float holds any IEEE value, NaN and the infinities included";
    private static final String PREDICATE = "a predicate: any argument gives true or false";
    private static final String LOOKUP = "a lookup by id: an unknown id gives Optional.empty(), as documented";
    private static final String NO_Q_COMPRESSION = "0 means no query compression (DeepSeek-V2-Lite)";
    private static final String NO_SHARED_EXPERT = "0 means no shared expert";
    private static final String UINT32_ZERO = "0 is a UINT32 value";
    private static final String EQUALS = "equals(null) is false by Object's contract";
    private static final String CALIBRATION = "a fitted time per layer may be 0 (none measurable) or any small positive"
            + " number";
    private static final String SCENARIO = "0 is the low scenario";
    private static final String NO_LIMIT = "Infinity is BEST_QUALITY's documented 'no limit' (the first kind)";
    private static final String KLD = "any finite KL-divergence >= 0 bounds a range, 0 being no divergence";
    private static final String FREE = "a price of 0 is a free supply: the cost is 0";
    private static final String CPU_COUNT = "a CPU with no efficiency cores has 0; any positive channel count,"
            + " transfer rate, clock or FLOPs per cycle describes some CPU";
    private static final String IDLE = "an idle draw of 0 W is a published figure like any other";

    /** A quality model that checks its arguments as the interface documents, for the calls that take one. */
    private static final io.github.llmestimator.quant.QualityModel SWEEP_QUALITY = (scheme, bitsPerWeight) -> {
        java.util.Objects.requireNonNull(scheme, "scheme");
        if (!(bitsPerWeight > 0) || Double.isInfinite(bitsPerWeight)) {
            throw new IllegalArgumentException("bitsPerWeight: " + bitsPerWeight + " (expected: a finite number > 0)");
        }
        return java.util.Optional.of(new io.github.llmestimator.quant.QuantQuality(0.03, 0.02, 0.04, "test"));
    };

    private static Path ggufPath;
    private static final Map<Class<?>, Supplier<?>> INSTANCES = new LinkedHashMap<>();

    @BeforeAll
    static void writeGgufFile() throws IOException {
        ggufPath = Files.createTempFile("sweep", ".gguf");
        Files.write(ggufPath, GGUF);
    }

    @AfterAll
    static void deleteGgufFile() throws IOException {
        Files.deleteIfExists(ggufPath);
    }

    /** Allows {@code call}, written {@code Class.method(parameter)}, to return for each of the values. */
    private static void legal(String reason, String call, String... values) {
        for (String value : values) {
            LEGAL.put(call.substring(0, call.length() - 1) + "=" + value + ")", reason);
        }
    }

    static {
        legal(EQUALS, "Object.equals(other)", "null");
        // a record's generated equals names its parameter o
        legal(EQUALS, "Object.equals(o)", "null");
        legal(WIDTH, "MixerBlock.tensors(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "DenseFeedForward.DenseFeedForward(intermediateSize)", "MAX_VALUE");
        legal(WIDTH, "DenseFeedForward.gated(intermediateSize)", "MAX_VALUE");
        legal(WIDTH, "DenseFeedForward.tensors(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "FeedForwardBlock.tensors(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "FullAttention.FullAttention(keyLength)", "MAX_VALUE");
        legal(WIDTH, "FullAttention.FullAttention(valueLength)", "MAX_VALUE");
        legal(WIDTH, "FullAttention.of(headDim)", "MAX_VALUE");
        legal(WIDTH, "FullAttention.of(heads)", "MAX_VALUE");
        legal(WIDTH, "FullAttention.tensors(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "GatedDeltaNet.GatedDeltaNet(convKernel)", "MAX_VALUE");
        legal(WIDTH, "GatedDeltaNet.GatedDeltaNet(keyHeadDim)", "MAX_VALUE");
        legal(WIDTH, "GatedDeltaNet.GatedDeltaNet(valueHeadDim)", "MAX_VALUE");
        legal(WIDTH, "GatedDeltaNet.tensors(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "LatentAttention.LatentAttention(heads)", "MAX_VALUE");
        legal(WIDTH, "LatentAttention.LatentAttention(kvLoraRank)", "MAX_VALUE");
        legal(WIDTH, "LatentAttention.LatentAttention(nopeDim)", "MAX_VALUE");
        legal(WIDTH, "LatentAttention.LatentAttention(qLoraRank)", "MAX_VALUE");
        legal(WIDTH, "LatentAttention.LatentAttention(ropeDim)", "MAX_VALUE");
        legal(WIDTH, "LatentAttention.LatentAttention(valueDim)", "MAX_VALUE");
        legal(WIDTH, "LatentAttention.tensors(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "Mamba2.Mamba2(convKernel)", "MAX_VALUE");
        legal(WIDTH, "Mamba2.Mamba2(headDim)", "MAX_VALUE");
        legal(WIDTH, "Mamba2.Mamba2(heads)", "MAX_VALUE");
        legal(WIDTH, "Mamba2.Mamba2(stateSize)", "MAX_VALUE");
        legal(WIDTH, "Mamba2.tensors(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "MixtureOfExperts.MixtureOfExperts(expertSize)", "MAX_VALUE");
        legal(WIDTH, "MixtureOfExperts.MixtureOfExperts(experts)", "MAX_VALUE");
        legal(WIDTH, "MixtureOfExperts.MixtureOfExperts(sharedSize)", "MAX_VALUE");
        legal(WIDTH, "MixtureOfExperts.of(expertSize)", "MAX_VALUE");
        legal(WIDTH, "MixtureOfExperts.of(experts)", "MAX_VALUE");
        legal(WIDTH, "MixtureOfExperts.tensors(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "MixtureOfExperts.withSharedExperts(sharedSize)", "MAX_VALUE");
        legal(WIDTH, "ModelSpec.Builder.hiddenSize(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "ModelSpec.Builder.vocabularySize(vocabularySize)", "MAX_VALUE");
        legal(WIDTH, "NoAttention.tensors(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "NoFeedForward.tensors(hiddenSize)", "MAX_VALUE");
        legal(WIDTH, "SlidingWindowAttention.SlidingWindowAttention(keyLength)", "MAX_VALUE");
        legal(WIDTH, "SlidingWindowAttention.SlidingWindowAttention(valueLength)", "MAX_VALUE");
        legal(WIDTH, "SlidingWindowAttention.of(headDim)", "MAX_VALUE");
        legal(WIDTH, "SlidingWindowAttention.of(heads)", "MAX_VALUE");
        legal(WIDTH, "SlidingWindowAttention.tensors(hiddenSize)", "MAX_VALUE");
        legal(INDEX, "MixerBlock.tensors(layer)", "0");
        legal(INDEX, "DenseFeedForward.tensors(layer)", "0");
        legal(INDEX, "ExpertsInSystemRam.layerShare(device)", "0");
        legal(INDEX, "ExpertsInSystemRam.layerShare(layer)", "0");
        legal(INDEX, "ExpertsInSystemRam.weightShare(device)", "0");
        legal(INDEX, "FeedForwardBlock.tensors(layer)", "0");
        legal(INDEX, "FullAttention.tensors(layer)", "0");
        legal(INDEX, "GatedDeltaNet.tensors(layer)", "0");
        legal(INDEX, "GpuLayers.layerShare(device)", "0");
        legal(INDEX, "GpuLayers.layerShare(layer)", "0");
        legal(INDEX, "GpuLayers.weightShare(device)", "0");
        legal(INDEX, "LatentAttention.tensors(layer)", "0");
        legal(INDEX, "LayerSplit.layerShare(device)", "0");
        legal(INDEX, "LayerSplit.layerShare(layer)", "0");
        legal(INDEX, "LayerSplit.weightShare(device)", "0");
        legal(INDEX, "Mamba2.tensors(layer)", "0");
        legal(INDEX, "MixtureOfExperts.tensors(layer)", "0");
        legal(INDEX, "NoAttention.tensors(layer)", "0");
        legal(INDEX, "NoFeedForward.tensors(layer)", "0");
        legal(INDEX, "Placement.cacheShare(device)", "0");
        legal(INDEX, "Placement.cacheShare(layer)", "0");
        legal(INDEX, "Placement.layerShare(device)", "0");
        legal(INDEX, "Placement.layerShare(layer)", "0");
        legal(INDEX, "Placement.weightShare(device)", "0");
        legal(INDEX, "SingleDevice.layerShare(device)", "0");
        legal(INDEX, "SingleDevice.layerShare(layer)", "0");
        legal(INDEX, "SingleDevice.weightShare(device)", "0");
        legal(INDEX, "SlidingWindowAttention.tensors(layer)", "0");
        legal(INDEX, "SplitModeTensor.layerShare(device)", "0");
        legal(INDEX, "SplitModeTensor.layerShare(layer)", "0");
        legal(INDEX, "SplitModeTensor.weightShare(device)", "0");
        legal(INDEX, "TensorParallel.cacheShare(device)", "0");
        legal(INDEX, "TensorParallel.cacheShare(layer)", "0");
        legal(INDEX, "TensorParallel.layerShare(device)", "0");
        legal(INDEX, "TensorParallel.layerShare(layer)", "0");
        legal(INDEX, "TensorParallel.weightShare(device)", "0");
        legal(RESULT, "ConcurrencyPlan.ConcurrencyPlan(bytesPerSequence)", "0", "MAX_VALUE");
        legal(RESULT, "ConcurrencyPlan.ConcurrencyPlan(sequences)", "MAX_VALUE");
        legal(RESULT, "ConcurrencyPlan.ConcurrencyPlan(tokensPerSequence)", "MAX_VALUE");
        legal(RESULT, "ContextPlan.ContextPlan(contextTokens)", "MAX_VALUE");
        legal(RESULT, "DecodeSpeed.DecodeSpeed(bytesPerStep)", "0", "MAX_VALUE");
        legal(RESULT, "DecodeSpeed.DecodeSpeed(highTokensPerSecond)", "MAX_VALUE");
        legal(RESULT, "DecodeSpeed.DecodeSpeed(lowTokensPerSecond)", "MIN_VALUE");
        legal(RESULT, "DecodeSpeed.DecodeSpeed(positionTokens)", "MAX_VALUE");
        legal(RESULT, "DecodeSpeed.DecodeSpeed(sequences)", "MAX_VALUE");
        legal(RESULT, "PrefillSpeed.PrefillSpeed(highTokensPerSecond)", "MAX_VALUE");
        legal(RESULT, "PrefillSpeed.PrefillSpeed(lowTokensPerSecond)", "MIN_VALUE");
        legal(RESULT, "PrefillSpeed.PrefillSpeed(promptTokens)", "MAX_VALUE");
        legal(HEADROOM, "ConcurrencyPlan.ConcurrencyPlan(headroomBytes)", "0", "-1", "MIN_VALUE", "MAX_VALUE");
        legal(HEADROOM, "ContextPlan.ContextPlan(headroomBytes)", "0", "-1", "MIN_VALUE", "MAX_VALUE");
        legal(HEADROOM, "HardwarePlan.HardwarePlan(headroomBytes)", "0", "-1", "MIN_VALUE", "MAX_VALUE");
        legal(HEADROOM, "OffloadPlan.OffloadPlan(headroomBytes)", "0", "-1", "MIN_VALUE", "MAX_VALUE");
        legal(HEADROOM, "SchemePlan.SchemePlan(headroomBytes)", "0", "-1", "MIN_VALUE", "MAX_VALUE");
        legal(NOTHING_FITS, "ConcurrencyPlan.ConcurrencyPlan(sequences)", "0");
        legal(NOTHING_FITS, "ContextPlan.ContextPlan(contextTokens)", "0");
        legal(ZERO, "ContextMemory.ContextMemory(computeBufferBytes)", "0");
        legal(ZERO, "ContextMemory.ContextMemory(fullAttentionCells)", "0");
        legal(ZERO, "ContextMemory.ContextMemory(fullAttentionKvBytes)", "0");
        legal(ZERO, "ContextMemory.ContextMemory(outputBufferBytes)", "0");
        legal(ZERO, "ContextMemory.ContextMemory(recurrentStateBytes)", "0");
        legal(ZERO, "ContextMemory.ContextMemory(slidingWindowCells)", "0");
        legal(ZERO, "ContextMemory.ContextMemory(slidingWindowKvBytes)", "0");
        legal(ZERO, "ContextSettings.pad(value)", "0");
        legal(ZERO, "DataSize.ofGB(gigabytes)", "0");
        legal(ZERO, "DataSize.ofGiB(gibibytes)", "0");
        legal(ZERO, "DataSize.ofMiB(mebibytes)", "0");
        legal(ZERO, "Estimate.Estimate(runtimeOverheadBytes)", "0");
        legal(CELLS, "ContextMemory.ContextMemory(fullAttentionCells)", "MAX_VALUE");
        legal(CELLS, "ContextMemory.ContextMemory(slidingWindowCells)", "MAX_VALUE");
        legal(BATCH, "LlamaCppContext.LlamaCppContext(batchTokens)", "MAX_VALUE");
        legal(BATCH, "LlamaCppContext.LlamaCppContext(microBatchTokens)", "MAX_VALUE");
        legal(BATCH, "LlamaCppContext.withBatchTokens(batchTokens)", "MAX_VALUE");
        legal(BATCH, "LlamaCppContext.withBatchTokens(microBatchTokens)", "MAX_VALUE");
        legal(BATCH, "ContextSettings.withBatchTokens(batchTokens)", "MAX_VALUE");
        legal(BATCH, "ContextSettings.withBatchTokens(microBatchTokens)", "MAX_VALUE");
        legal(BATCH, "Estimator.batch(batchTokens)", "MAX_VALUE");
        legal(BATCH, "Estimator.batch(microBatchTokens)", "MAX_VALUE");
        legal(WINDOW, "ContextSettings.slidingWindowCells(window)", "MAX_VALUE");
        legal(WINDOW, "SlidingWindowAttention.SlidingWindowAttention(window)", "MAX_VALUE");
        legal(WINDOW, "SlidingWindowAttention.of(window)", "MAX_VALUE");
        legal(SIZE, "DataSize.DataSize(bytes)", "0", "MAX_VALUE");
        legal(SIZE, "DataSize.ofBytes(bytes)", "0", "MAX_VALUE");
        legal(SIZE, "Device.Builder.memoryBytes(bytes)", "MAX_VALUE");
        legal(SIZE, "Device.withMemoryBytes(memoryBytes)", "MAX_VALUE");
        legal("0 is macOS's default working set; the limit is checked against the memory by build()",
                "Device.Builder.wiredLimitMiB(mib)", "0");
        legal(SIZE, "AppleWorkingSet.AppleWorkingSet(installedBytes)", "MAX_VALUE");
        legal(SIZE, "MemoryKit.MemoryKit(nominalGiB)", "MAX_VALUE");
        legal(FIRST_TOKEN, "DecodeSpeed.DecodeSpeed(positionTokens)", "0");
        legal(FIRST_TOKEN, "DeploymentEstimate.decode(positionTokens)", "0");
        legal(FIRST_TOKEN, "Estimate.decode(positionTokens)", "0");
        legal(RATE, "DecodeTarget.DecodeTarget(tokensPerSecond)", "MIN_VALUE", "MAX_VALUE");
        legal(RATE, "DecodeTarget.of(tokensPerSecond)", "MIN_VALUE", "MAX_VALUE");
        legal(RATE, "Device.Builder.denseTflops(tflops)", "MIN_VALUE", "MAX_VALUE");
        legal(RATE, "Device.Builder.gpuMemoryFraction(fraction)", "MIN_VALUE");
        legal(RATE, "Device.Builder.memoryBandwidthGBps(gbPerSecond)", "MIN_VALUE", "MAX_VALUE");
        legal(RATE, "Device.withGpuMemoryFraction(gpuMemoryFraction)", "MIN_VALUE");
        legal(RATE, "Device.withMemoryBandwidthGBps(memoryBandwidthGBps)", "MIN_VALUE", "MAX_VALUE");
        legal(RATE, "DeviceUsage.DeviceUsage(computeBufferBytes)", "0");
        legal(RATE, "DeviceUsage.DeviceUsage(kvCacheBytes)", "0");
        legal(RATE, "DeviceUsage.DeviceUsage(outputBufferBytes)", "0");
        legal(RATE, "DeviceUsage.DeviceUsage(recurrentStateBytes)", "0");
        legal(RATE, "DeviceUsage.DeviceUsage(runtimeOverheadBytes)", "0");
        legal(RATE, "DeviceUsage.DeviceUsage(weightBytes)", "0");
        legal(RATE, "PagedKvCache.PagedKvCache(gpuMemoryUtilization)", "MIN_VALUE");
        legal(RATE, "PagedKvCache.withGpuMemoryUtilization(gpuMemoryUtilization)", "MIN_VALUE");
        legal(RATE, "Calibration.ofDecode(lowMemoryEfficiency)", "MIN_VALUE");
        legal(RATE, "Calibration.ofDecode(highMemoryEfficiency)", "MAX_VALUE");
        legal(CALIBRATION, "Calibration.ofDecode(layerSeconds)", "0.0", "MIN_VALUE");
        legal(RESULT, "Calibration.ofDecode(runs)", "MAX_VALUE");
        legal(RATE, "Calibration.Calibration(lowMemoryEfficiency)", "MIN_VALUE");
        legal(RATE, "Calibration.Calibration(highMemoryEfficiency)", "MAX_VALUE");
        legal(CALIBRATION, "Calibration.Calibration(layerSeconds)", "0.0", "MIN_VALUE");
        legal(RESULT, "Calibration.Calibration(runs)", "MAX_VALUE");
        legal(SCENARIO, "Calibration.memoryEfficiency(scenario)", "0");
        legal(LATER, "Deployment.expertsInSystemRam(firstLayers)", "0", "MAX_VALUE");
        legal(LATER, "Deployment.gpuLayers(gpuLayers)", "0", "MAX_VALUE");
        legal(LATER, "ExpertsInSystemRam.ExpertsInSystemRam(firstLayers)", "0", "MAX_VALUE");
        legal(LATER, "GpuLayers.GpuLayers(gpuLayers)", "0", "MAX_VALUE");
        legal(OFFSET, "GgufFormatException.GgufFormatException(offset)", "0", "MAX_VALUE");
        legal(OFFSET, "GgufKeyValue.GgufKeyValue(offset)", "0", "MAX_VALUE");
        legal(OFFSET, "GgufTensorInfo.GgufTensorInfo(dataOffset)", "0", "MAX_VALUE");
        legal(OFFSET, "GgufTensorInfo.GgufTensorInfo(infoOffset)", "0", "MAX_VALUE");
        legal(FLOAT, "GgufValue.FloatValue.FloatValue(value)", "MIN_VALUE", "MAX_VALUE", "0.0", "-1.0", "NaN", "-Infinity", "Infinity");
        legal(UINT32_ZERO, "GgufValue.IntegerValue.IntegerValue(value)", "0");
        legal(PREDICATE, "GgufValue.IntegerValue.isBetween(max)", "0", "-1", "MIN_VALUE", "MAX_VALUE");
        legal(PREDICATE, "GgufValue.IntegerValue.isBetween(min)", "0", "-1", "MIN_VALUE", "MAX_VALUE");
        legal(PREDICATE, "StorageType.acceptsRowLength(rowLength)", "0", "-1", "MIN_VALUE", "MAX_VALUE");
        legal(LOOKUP, "GgufValueType.ofId(id)", "0", "-1", "MIN_VALUE", "MAX_VALUE");
        legal(LOOKUP, "TensorType.ofGgmlId(ggmlId)", "0", "-1", "MIN_VALUE", "MAX_VALUE");
        legal(NO_Q_COMPRESSION, "LatentAttention.LatentAttention(qLoraRank)", "0");
        legal(NO_SHARED_EXPERT, "MixtureOfExperts.MixtureOfExperts(sharedSize)", "0");
        legal(PAGED, "PagedKvCache.PagedKvCache(blockSizeTokens)", "MAX_VALUE");
        legal(PAGED, "PagedKvCache.PagedKvCache(maxBatchedTokens)", "MAX_VALUE");
        legal(NO_LIMIT, "QuantObjective.QuantObjective(maxKld)", "Infinity");
        legal(RATE, "QualityModel.quality(bitsPerWeight)", "MIN_VALUE", "MAX_VALUE");
        legal(KLD, "QuantQuality.QuantQuality(lowKld)", "0.0", "MIN_VALUE");
        legal(KLD, "QuantQuality.QuantQuality(highKld)", "MAX_VALUE");
        legal(RATE, "QuantObjective.fastestWithin(maxKld)", "MIN_VALUE", "MAX_VALUE");
        legal(RATE, "QuantObjective.smallestWithin(maxKld)", "MIN_VALUE", "MAX_VALUE");
        legal(RATE, "TokenEnergy.TokenEnergy(watts)", "MIN_VALUE", "MAX_VALUE");
        legal(RATE, "TokenEnergy.TokenEnergy(tokensPerSecond)", "MIN_VALUE", "MAX_VALUE");
        legal(RATE, "TokenEnergy.electricityCostPerMillionTokens(pricePerKwh)", "MIN_VALUE", "MAX_VALUE");
        legal(FREE, "TokenEnergy.electricityCostPerMillionTokens(pricePerKwh)", "0.0");
        legal(RATE, "TokenEnergy.rentalCostPerMillionTokens(pricePerHour)", "MIN_VALUE", "MAX_VALUE");
        legal(FREE, "TokenEnergy.rentalCostPerMillionTokens(pricePerHour)", "0.0");
        legal(RATE, "TokenEnergy.rentalCostPerMillionTokens(tokensPerSecond)", "MIN_VALUE", "MAX_VALUE");
        legal(RATE, "Power.Power(maxWatts)", "MIN_VALUE", "MAX_VALUE");
        legal(IDLE, "Power.Power(idleWatts)", "0.0");
        legal(CPU_COUNT, "CpuTopology.CpuTopology(efficiencyCores)", "0");
        legal(CPU_COUNT, "CpuTopology.CpuTopology(memoryChannels)", "MAX_VALUE");
        legal(CPU_COUNT, "CpuTopology.CpuTopology(memoryMTps)", "MAX_VALUE");
        legal(CPU_COUNT, "CpuTopology.CpuTopology(clockGHz)", "MIN_VALUE", "MAX_VALUE");
        legal(CPU_COUNT, "CpuTopology.CpuTopology(fp32FlopsPerCycle)", "MAX_VALUE");
        // speculative decoding
        String acceptance = "any acceptance in [0, 1) is a probability, 0 being nothing accepted";
        legal(acceptance, "Speculation.mtp(acceptance)", "0.0", "MIN_VALUE");
        legal(acceptance, "Speculation.draftModel(acceptance)", "0.0", "MIN_VALUE");
        legal(acceptance, "Speculation.withAcceptance(acceptance)", "0.0", "MIN_VALUE");
        legal(acceptance, "Speculation.perTokenAcceptance(draftAcceptanceRate)", "0.0", "MIN_VALUE");
        legal(FIRST_TOKEN, "DeploymentEstimate.batchStep(positionTokens)", "0");
        legal(FIRST_TOKEN, "SpeculativeDecoding.decode(positionTokens)", "0");
        legal(RESULT, "SpeculativeSpeed.SpeculativeSpeed(positionTokens)", "0", "MAX_VALUE");
        legal(RESULT, "SpeculativeSpeed.SpeculativeSpeed(expectedTokensPerStep)", "MAX_VALUE");
        legal(RESULT, "SpeculativeSpeed.SpeculativeSpeed(draftSeconds)", "0.0", "MIN_VALUE", "MAX_VALUE");
        legal(RESULT, "SpeculativeSpeed.SpeculativeSpeed(verifySeconds)", "MIN_VALUE", "MAX_VALUE");
        legal(RESULT, "SpeculativeSpeed.SpeculativeSpeed(catchUpSeconds)", "0.0", "MIN_VALUE", "MAX_VALUE");
        legal(RESULT, "SpeculativeSpeed.SpeculativeSpeed(lowTokensPerSecond)", "MIN_VALUE");
        legal(RESULT, "SpeculativeSpeed.SpeculativeSpeed(highTokensPerSecond)", "MAX_VALUE");
        legal(RATE, "Power.Power(idleWatts)", "MIN_VALUE");

        // vision (issue 16): results hold what a tower rule gave; a tower's widths are widths
        legal(RESULT, "ImageTokens.ImageTokens(width)", "MAX_VALUE");
        legal(RESULT, "ImageTokens.ImageTokens(height)", "MAX_VALUE");
        legal(RESULT, "ImageTokens.ImageTokens(patches)", "MAX_VALUE");
        legal(ZERO, "ImageTokens.ImageTokens(markerTokens)", "0");
        legal(ZERO, "VisionMemory.VisionMemory(projectorBytes)", "0");
        legal(ZERO, "VisionMemory.VisionMemory(encoderComputeBytes)", "0");
        legal(ZERO, "VisionMemory.VisionMemory(images)", "0");
        legal(RESULT, "VisionMemory.VisionMemory(images)", "MAX_VALUE");
        legal(ZERO, "VisionMemory.VisionMemory(tokensPerImage)", "0");
        legal(RESULT, "VisionMemory.VisionMemory(tokensPerImage)", "MAX_VALUE");
        legal(CELLS, "VisionMemory.VisionMemory(sequenceCells)", "MAX_VALUE");
        legal(WIDTH, "VisionTower.VisionTower(layers)", "MAX_VALUE");
        legal(WIDTH, "VisionTower.VisionTower(intermediateSize)", "MAX_VALUE");
        legal(WIDTH, "VisionTower.VisionTower(patchSize)", "MAX_VALUE");
        legal(WIDTH, "VisionTower.VisionTower(mergeSize)", "MAX_VALUE");
        legal(WIDTH, "VisionTower.VisionTower(textHiddenSize)", "MAX_VALUE");
        legal(ZERO, "VisionTower.VisionTower(deepstackLayers)", "0");
        legal(ZERO, "Estimator.images(count)", "0");
        VisionTower tower = new VisionTower(VisionTowerKind.QWEN3_VL, 27, 1152, 4304, 16, 16, 2, 2304, 5120, 0);
        INSTANCES.put(VisionTower.class, () -> tower);
        INSTANCES.put(VisionTowerKind.class, () -> VisionTowerKind.QWEN3_VL);
        INSTANCES.put(ProjectorType.class, () -> ProjectorType.F16);
        INSTANCES.put(ProjectorTensor.class, () -> tower.tensors().get(0));
        INSTANCES.put(ImageTokens.class, () -> tower.imageTokens(1024, 768));
        INSTANCES.put(Projector.class, () -> Projector.of(tower, ProjectorType.F16));
        INSTANCES.put(VisionMemory.class, () -> new VisionMemory(918_145_984L, 525_445_120L, 1, 770, 8192));

        INSTANCES.put(ModelSpec.class, () -> MODEL);
        INSTANCES.put(ModelSpec.Builder.class, () -> ModelSpec.builder("x").architecture("llama").hiddenSize(256)
                .vocabularySize(100).maxContextTokens(2048));
        INSTANCES.put(Layer.class, () -> MODEL.layers().get(0));
        INSTANCES.put(FullAttention.class, () -> FullAttention.of(32, 8, 128));
        INSTANCES.put(SlidingWindowAttention.class, () -> SlidingWindowAttention.of(32, 16, 128, 1024));
        INSTANCES.put(LatentAttention.class, () -> new LatentAttention(128, 1536, 512, 64, 128, 128));
        INSTANCES.put(GatedDeltaNet.class, () -> new GatedDeltaNet(16, 32, 128, 128, 4));
        INSTANCES.put(Mamba2.class, () -> new Mamba2(8, 64, 64, 1, 4));
        INSTANCES.put(NoAttention.class, () -> NoAttention.INSTANCE);
        INSTANCES.put(MixerBlock.class, () -> FullAttention.of(32, 8, 128));
        INSTANCES.put(DenseFeedForward.class, () -> DenseFeedForward.gated(14336));
        INSTANCES.put(MixtureOfExperts.class, () -> MixtureOfExperts.of(8, 2, 14336));
        INSTANCES.put(NoFeedForward.class, () -> NoFeedForward.INSTANCE);
        INSTANCES.put(FeedForwardBlock.class, () -> DenseFeedForward.gated(14336));
        INSTANCES.put(Tensor.class, () -> MODEL.tensors().get(0));
        INSTANCES.put(TensorRole.class, () -> TensorRole.ATTENTION);

        INSTANCES.put(QuantScheme.class, () -> QuantScheme.Q4_K_M);
        INSTANCES.put(TensorType.class, () -> TensorType.Q4_K);
        INSTANCES.put(StorageType.class, () -> TensorType.Q4_K);
        INSTANCES.put(GroupQuantizedType.class, () -> new GroupQuantizedType(4, 128, false));
        INSTANCES.put(QuantizedWeights.class, () -> WEIGHTS);
        INSTANCES.put(TensorAssignment.class, () -> WEIGHTS.assignments().get(0));

        INSTANCES.put(ContextSettings.class, () -> ContextSettings.defaults(4096));
        INSTANCES.put(io.github.llmestimator.memory.LlamaCppContext.class,
                () -> io.github.llmestimator.memory.LlamaCppContext.DEFAULTS);
        INSTANCES.put(ContextMemory.class, () -> ContextMemory.of(MODEL, ContextSettings.defaults(4096)));
        INSTANCES.put(KvCacheType.class, () -> KvCacheType.F16);
        INSTANCES.put(DataSize.class, () -> DataSize.ofGiB(1));
        INSTANCES.put(MemoryKit.class, () -> new MemoryKit(32));

        INSTANCES.put(Device.class, () -> GPU);
        INSTANCES.put(Device.Builder.class, () -> Device.builder("gpu", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
                .memoryBandwidthGBps(1008));
        INSTANCES.put(DeviceKind.class, () -> DeviceKind.DISCRETE_GPU);
        INSTANCES.put(Precision.class, () -> Precision.FP16);
        INSTANCES.put(HostLink.class, () -> new HostLink(4, 16));
        INSTANCES.put(AppleWorkingSet.class, () -> new AppleWorkingSet(64L << 30, OptionalLong.empty()));
        INSTANCES.put(io.github.llmestimator.quant.LoraAdapter.class, () -> new io.github.llmestimator.quant.LoraAdapter(
                16, java.util.Set.of(io.github.llmestimator.quant.LoraTarget.Q), TensorType.F16));
        INSTANCES.put(Calibration.class, () -> new Calibration(0.6, 0.7, 0.8, 50e-6, OptionalDouble.of(0.5), 3));
        INSTANCES.put(OptionalDouble.class, () -> OptionalDouble.of(0.5));
        INSTANCES.put(OptionalInt.class, OptionalInt::empty);
        INSTANCES.put(Deployment.class, () -> Deployment.of(GPU));
        INSTANCES.put(SingleDevice.class, () -> SingleDevice.INSTANCE);
        INSTANCES.put(GpuLayers.class, () -> new GpuLayers(16));
        INSTANCES.put(ExpertsInSystemRam.class, () -> new ExpertsInSystemRam(4));
        INSTANCES.put(LayerSplit.class, () -> new LayerSplit(List.of(1.0)));
        INSTANCES.put(TensorParallel.class, () -> new TensorParallel(2));
        INSTANCES.put(io.github.llmestimator.hardware.SplitModeTensor.class,
                () -> new io.github.llmestimator.hardware.SplitModeTensor(List.of(1.0, 1.0)));
        INSTANCES.put(Placement.class, () -> SingleDevice.INSTANCE);
        INSTANCES.put(io.github.llmestimator.hardware.DeviceUsage.class, () -> ESTIMATOR.estimate().devices().get(0));

        // runtimes (issue 14)
        INSTANCES.put(io.github.llmestimator.runtime.LlamaCpp.class, io.github.llmestimator.runtime.Runtime::llamaCpp);
        INSTANCES.put(io.github.llmestimator.runtime.Ollama.class, io.github.llmestimator.runtime.Runtime::ollama);
        INSTANCES.put(io.github.llmestimator.runtime.Vllm.class, io.github.llmestimator.runtime.Runtime::vllm);
        INSTANCES.put(io.github.llmestimator.runtime.SgLang.class, io.github.llmestimator.runtime.Runtime::sglang);
        INSTANCES.put(io.github.llmestimator.runtime.Mlx.class, io.github.llmestimator.runtime.Runtime::mlx);
        INSTANCES.put(io.github.llmestimator.runtime.Runtime.class, io.github.llmestimator.runtime.Runtime::vllm);
        INSTANCES.put(io.github.llmestimator.runtime.SupportedArchitectures.class,
                () -> io.github.llmestimator.runtime.Runtime.vllm().architectures());
        INSTANCES.put(io.github.llmestimator.runtime.PagedPool.class,
                () -> io.github.llmestimator.runtime.Runtime.vllm().pool(MODEL, 16L << 30, 24L << 30, "gpu", 1, 8192));
        String request = "any positive request length: the pool is what it is, and fits() says whether one fits";
        String vllmDefault = "0 is documented as vLLM's default for the GPU";
        String pool = "a pool holds what the runtime's arithmetic gave: any size, what is left signed";
        legal(request, "Estimator.runtimePool(maxModelLen)", "MAX_VALUE");
        legal(request, "Vllm.pool(maxModelLen)", "MAX_VALUE");
        legal(request, "SgLang.pool(contextLength)", "MAX_VALUE");
        legal(ZERO, "Mlx.kvCacheBytes(tokens)", "0");
        legal(ZERO, "Mlx.quantizedBytes(elements)", "0");
        for (String component : List.of("budgetBytes", "weightBytes", "activationBytes", "otherBytes",
                "kvCacheBytes", "tokens")) {
            legal(pool, "PagedPool.PagedPool(" + component + ")", "0");
        }
        for (String component : List.of("deviceMemoryBytes", "budgetBytes", "weightBytes", "activationBytes",
                "otherBytes", "kvCacheBytes", "bytesPerToken", "tokens", "maxModelLen")) {
            legal(pool, "PagedPool.PagedPool(" + component + ")", "MAX_VALUE");
        }
        legal(pool, "PagedPool.PagedPool(kvCacheBytes)", "-1", "MIN_VALUE");
        legal(RATE, "SgLang.SgLang(memFractionStatic)", "MIN_VALUE");
        legal(RATE, "SgLang.withMemFractionStatic(memFractionStatic)", "MIN_VALUE");
        legal(RATE, "Vllm.Vllm(gpuMemoryUtilization)", "MIN_VALUE");
        legal(RATE, "Vllm.withGpuMemoryUtilization(gpuMemoryUtilization)", "MIN_VALUE");
        legal(PAGED, "Vllm.Vllm(blockSize)", "MAX_VALUE");
        for (String call : List.of("Vllm.Vllm(maxNumBatchedTokens)", "Vllm.Vllm(maxNumSeqs)",
                "Vllm.withProfileSizes(maxNumBatchedTokens)", "Vllm.withProfileSizes(maxNumSeqs)")) {
            legal(vllmDefault, call, "0");
            legal(PAGED, call, "MAX_VALUE");
        }
        for (String call : List.of("SgLang.SgLang(contextBytes)", "Vllm.Vllm(nonTorchBytes)",
                "Vllm.Vllm(cudaReservedBytes)", "Vllm.withCudaReservedBytes(cudaReservedBytes)",
                "SgLang.pool(weightBytes)", "Vllm.pool(weightBytes)")) {
            legal(SIZE, call, "0", "MAX_VALUE");
        }
        for (String call : List.of("SgLang.pool(gpuMemoryBytes)", "Vllm.pool(gpuMemoryBytes)",
                "Vllm.defaultMaxNumBatchedTokens(gpuMemoryBytes)", "Vllm.defaultMaxNumSeqs(gpuMemoryBytes)")) {
            legal(SIZE, call, "MAX_VALUE");
        }

        INSTANCES.put(Estimator.class, () -> ESTIMATOR);
        INSTANCES.put(Estimate.class, ESTIMATOR::estimate);
        INSTANCES.put(DeploymentEstimate.class, () -> ESTIMATOR.estimate().deployment().orElseThrow());
        INSTANCES.put(io.github.llmestimator.throughput.DecodeSpeed.class, () -> ESTIMATOR.estimate().decode(1024));
        INSTANCES.put(io.github.llmestimator.throughput.PrefillSpeed.class,
                () -> ESTIMATOR.estimate().prefill(512).orElseThrow());

        INSTANCES.put(io.github.llmestimator.throughput.Speculation.class,
                io.github.llmestimator.throughput.Speculation::mtp);
        INSTANCES.put(SpeculativeDecoding.class, () -> ESTIMATOR.speculative(
                io.github.llmestimator.throughput.Speculation.draftModel(ReferenceModels.llama31_8b(),
                        QuantScheme.Q8_0)).estimate().speculative().orElseThrow());
        INSTANCES.put(io.github.llmestimator.throughput.SpeculativeSpeed.class, () -> ESTIMATOR.speculative(
                io.github.llmestimator.throughput.Speculation.draftModel(ReferenceModels.llama31_8b(),
                        QuantScheme.Q8_0)).estimate().speculative().orElseThrow().decode(1024));
        INSTANCES.put(DecodeTarget.class, () -> DecodeTarget.of(10));
        INSTANCES.put(io.github.llmestimator.hardware.Power.class,
                () -> new io.github.llmestimator.hardware.Power(450, 20, io.github.llmestimator.hardware.Power.Scope.BOARD));
        INSTANCES.put(io.github.llmestimator.hardware.CpuTopology.class,
                () -> new io.github.llmestimator.hardware.CpuTopology(16, 0, 32, 2, 5600, 1, 4.3, 64));
        INSTANCES.put(io.github.llmestimator.throughput.TokenEnergy.class,
                () -> new io.github.llmestimator.throughput.TokenEnergy(270, 100));
        INSTANCES.put(io.github.llmestimator.quant.QuantQuality.class,
                () -> new io.github.llmestimator.quant.QuantQuality(0.03, 0.02, 0.04, "test"));
        INSTANCES.put(io.github.llmestimator.quant.QualityModel.class, () -> SWEEP_QUALITY);
        INSTANCES.put(io.github.llmestimator.planning.QuantObjective.class,
                io.github.llmestimator.planning.QuantObjective::bestQuality);
        INSTANCES.put(io.github.llmestimator.planning.QuantFrontier.class,
                () -> io.github.llmestimator.planning.QuantFrontier.of(ESTIMATOR, List.of(QuantScheme.Q4_K_M),
                        SWEEP_QUALITY, io.github.llmestimator.planning.QuantObjective.bestQuality()));
        INSTANCES.put(io.github.llmestimator.planning.QuantFrontier.Option.class,
                () -> io.github.llmestimator.planning.QuantFrontier.of(ESTIMATOR, List.of(QuantScheme.Q4_K_M),
                        SWEEP_QUALITY, io.github.llmestimator.planning.QuantObjective.bestQuality()).options().get(0));
        INSTANCES.put(PagedKvCache.class, () -> PagedKvCache.VLLM_DEFAULTS);
        INSTANCES.put(io.github.llmestimator.planning.ContextPlan.class, () -> ContextPlan.of(ESTIMATOR));
        INSTANCES.put(io.github.llmestimator.planning.SchemePlan.class, () -> SchemePlan.of(ESTIMATOR));
        INSTANCES.put(io.github.llmestimator.planning.OffloadPlan.class, () -> OffloadPlan.of(ESTIMATOR, GPU, RAM));
        INSTANCES.put(io.github.llmestimator.planning.ConcurrencyPlan.class, () -> ConcurrencyPlan.of(ESTIMATOR, 4096));
        INSTANCES.put(io.github.llmestimator.planning.HardwarePlan.class,
                () -> HardwarePlan.of(ESTIMATOR, List.of(GPU)));
        INSTANCES.put(Plan.class, () -> ContextPlan.of(ESTIMATOR));

        INSTANCES.put(GgufFile.class, BadArgumentsSweepTest::ggufFile);
        INSTANCES.put(GgufModel.class, () -> {
            try {
                return GgufModel.of(ggufFile());
            } catch (GgufFormatException e) {
                throw new IllegalStateException(e);
            }
        });
        INSTANCES.put(io.github.llmestimator.gguf.GgufKeyValue.class, () -> ggufFile().metadata().get(0));
        INSTANCES.put(io.github.llmestimator.gguf.GgufTensorInfo.class, () -> ggufFile().tensors().get(0));
        INSTANCES.put(GgufValue.class, () -> new GgufValue.IntegerValue(GgufValueType.UINT32, 7));
        INSTANCES.put(GgufValue.IntegerValue.class, () -> new GgufValue.IntegerValue(GgufValueType.UINT32, 7));
        INSTANCES.put(GgufValue.FloatValue.class, () -> new GgufValue.FloatValue(GgufValueType.FLOAT32, 0.5));
        INSTANCES.put(GgufValue.BoolValue.class, () -> new GgufValue.BoolValue(true));
        INSTANCES.put(GgufValue.StringValue.class, () -> new GgufValue.StringValue("llama"));
        INSTANCES.put(GgufValue.ArrayValue.class, () -> new GgufValue.ArrayValue(GgufValueType.UINT32, 1,
                List.of(new GgufValue.IntegerValue(GgufValueType.UINT32, 7))));
        INSTANCES.put(GgufValueType.class, () -> GgufValueType.UINT32);
        INSTANCES.put(GgufFormatException.class, () -> new GgufFormatException(1, "x: 1 (expected: 2)"));
    }

    private static GgufFile ggufFile() {
        try {
            return GgufFile.read(new ByteArrayInputStream(GGUF));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Valid arguments where the type alone does not give one, keyed {@code Class.method(parameter)} or by parameter
     * name alone.
     */
    private static Object validByName(Executable executable, Parameter parameter) {
        String name = parameter.getName();
        String method = typeName(executable.getDeclaringClass()) + "." + executableName(executable);
        switch (method + "(" + name + ")") {
            case "TensorType.ofName(name)":
                return "Q4_K";
            case "QuantScheme.ofName(name)":
                return "Q4_K_M";
            case "KvCacheType.ofName(name)":
                return "q8_0";
            case "GgufFile.entry(key)":
            case "GgufFile.value(key)":
            case "GgufFile.string(key)":
            case "GgufFile.count(key)":
                return "general.architecture";
            case "GgufFile.tensor(name)":
                return "token_embd.weight";
            case "TensorParallel.TensorParallel(devices)":
            case "Deployment.tensorParallel(count)":
                return 2;
            case "HostLink.HostLink(lanes)":
                return 16;
            case "HostLink.HostLink(pcieGeneration)":
            case "Device.Builder.hostLink(pcieGeneration)":
                return 4;
            case "Device.Builder.hostLink(lanes)":
                return 16;
            case "Calibration.ofDecode(layerSeconds)":
                return 50e-6;
            case "MixtureOfExperts.of(experts)":
            case "MixtureOfExperts.MixtureOfExperts(experts)":
                return 8;
            case "TensorType.tensorBytes(rowLength)":
            case "StorageType.tensorBytes(rowLength)":
            case "GroupQuantizedType.tensorBytes(rowLength)":
                return 256L;
            case "GroupQuantizedType.GroupQuantizedType(bits)":
                return 4;
            case "GroupQuantizedType.GroupQuantizedType(groupSize)":
                return 128;
            default:
                break;
        }
        switch (name) {
            case "systemRam":
                return RAM;
            case "gpuMemoryBytes":
                return 24L << 30;
            case "device":
            case "layer":
                // indexes: the first device, the first layer
                return parameter.getType() == int.class ? 0 : null;
            case "file":
                return parameter.getType() == GgufFile.class ? ggufFile() : null;
            default:
                return null;
        }
    }

    /**
     * Returns a valid argument for a parameter: a record's canonical constructor gets the components of the
     * representative record, so that they fit together; otherwise from the parameter's name, then its type.
     */
    private static Object valid(Executable executable, Parameter parameter) {
        Class<?> declaring = executable.getDeclaringClass();
        if (executable instanceof Constructor && declaring.isRecord() && INSTANCES.containsKey(declaring)) {
            RecordComponent[] components = declaring.getRecordComponents();
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            if (Arrays.equals(types, executable.getParameterTypes())) {
                int index = Arrays.asList(executable.getParameters()).indexOf(parameter);
                try {
                    return components[index].getAccessor().invoke(INSTANCES.get(declaring).get());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        Object byName = validByName(executable, parameter);
        if (byName != null) {
            return byName;
        }
        Class<?> type = parameter.getType();
        if (type.isEnum() && !INSTANCES.containsKey(type)) {
            return type.getEnumConstants()[0];
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == double.class) {
            return 1.0;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == String.class) {
            return "x";
        }
        if (type == Path.class) {
            return ggufPath;
        }
        if (type == InputStream.class) {
            return new ByteArrayInputStream(GGUF);
        }
        if (type == SeekableByteChannel.class) {
            return GgufSamples.channel(GGUF);
        }
        if (type == List.class) {
            return List.of(validElement(executable, parameter));
        }
        if (type == Object.class) {
            return "x";
        }
        Supplier<?> instance = INSTANCES.get(type);
        if (instance == null) {
            throw new IllegalStateException("no valid argument for " + describe(executable) + " parameter "
                    + parameter.getName() + " of " + type.getName());
        }
        return instance.get();
    }

    private static Object validElement(Executable executable, Parameter parameter) {
        Type element = ((ParameterizedType) parameter.getParameterizedType()).getActualTypeArguments()[0];
        if (element == Double.class) {
            return 1.0;
        }
        if (element == Long.class) {
            return 256L;
        }
        if (element == Device.class) {
            return GPU;
        }
        if (element == QuantScheme.class) {
            return QuantScheme.Q4_K_M;
        }
        if (element == TensorAssignment.class) {
            return WEIGHTS.assignments().get(0);
        }
        if (element == GgufValue.class) {
            return new GgufValue.IntegerValue(GgufValueType.UINT32, 7);
        }
        throw new IllegalStateException("no valid list element for " + describe(executable) + " " + element);
    }

    /** The bad values of a parameter of this type: null for a reference, edge numbers for a primitive. */
    private static List<Object> badValues(Class<?> type) {
        if (type == int.class) {
            return List.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (type == long.class) {
            return List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (type == double.class) {
            return List.of(0.0, -1.0, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    Double.MIN_VALUE, Double.MAX_VALUE);
        }
        if (type.isPrimitive()) {
            return List.of();
        }
        return Arrays.asList((Object) null);
    }

    /** The class's name within its package, nested classes after their outer class: {@code Device.Builder}. */
    private static String typeName(Class<?> type) {
        return type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
    }

    private static String executableName(Executable executable) {
        return executable instanceof Constructor ? executable.getDeclaringClass().getSimpleName()
                : executable.getName();
    }

    private static String describe(Executable executable) {
        return typeName(executable.getDeclaringClass()) + "." + executableName(executable) + "("
                + Arrays.stream(executable.getParameters()).map(Parameter::getName).collect(Collectors.joining(", "))
                + ")";
    }

    private static String show(Object value) {
        if (value instanceof Double) {
            double d = (Double) value;
            return d == Double.MAX_VALUE ? "MAX_VALUE" : d == Double.MIN_VALUE ? "MIN_VALUE" : value.toString();
        }
        if (value instanceof Integer) {
            int i = (Integer) value;
            return i == Integer.MAX_VALUE ? "MAX_VALUE" : i == Integer.MIN_VALUE ? "MIN_VALUE" : value.toString();
        }
        if (value instanceof Long) {
            long l = (Long) value;
            return l == Long.MAX_VALUE ? "MAX_VALUE" : l == Long.MIN_VALUE ? "MIN_VALUE" : value.toString();
        }
        return String.valueOf(value);
    }

    /** The public classes of core's exported packages, read from its compiled module descriptor and class files. */
    static List<Class<?>> publicClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Estimator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor = ModuleFinder.of(classes).findAll().iterator().next().descriptor();
        List<Class<?>> result = new ArrayList<>();
        for (ModuleDescriptor.Exports export : descriptor.exports()) {
            Path folder = classes.resolve(export.source().replace('.', '/'));
            List<String> names;
            try (Stream<Path> files = Files.list(folder)) {
                names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                        .map(n -> n.substring(0, n.length() - ".class".length())).sorted().toList();
            }
            for (String name : names) {
                Class<?> type = Class.forName(export.source() + "." + name, false,
                        Estimator.class.getClassLoader());
                if (isPublic(type) && !type.isAnonymousClass() && !type.isSynthetic()) {
                    result.add(type);
                }
            }
        }
        return result;
    }

    private static boolean isPublic(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** The executables the sweep calls: public constructors and declared public methods, without enum plumbing. */
    private static List<Executable> executables(Class<?> type) {
        List<Executable> result = new ArrayList<>();
        if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers()) && !type.isEnum()) {
            result.addAll(Arrays.asList(type.getConstructors()));
        }
        for (Method m : type.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic() || m.isBridge()) {
                continue;
            }
            // the compiler's Enum.valueOf(String) and values() are not this library's code
            if (type.isEnum() && (m.getName().equals("valueOf") || m.getName().equals("values"))) {
                continue;
            }
            result.add(m);
        }
        result.sort(Comparator.comparing(BadArgumentsSweepTest::describe));
        return result;
    }

    private static Object receiver(Executable executable) {
        if (executable instanceof Constructor || Modifier.isStatic(executable.getModifiers())) {
            return null;
        }
        if (executable.getName().equals("runtimePool")) {
            // a pool is vLLM's or SGLang's; on llama.cpp the call is an IllegalStateException
            return ESTIMATOR.runtime(io.github.llmestimator.runtime.Runtime.vllm());
        }
        if (executable.getName().equals("withGpuMemoryFraction")) {
            // only unified memory has a GPU share; on a discrete GPU the call is an IllegalStateException
            return UNIFIED;
        }
        Supplier<?> instance = INSTANCES.get(executable.getDeclaringClass());
        if (instance == null) {
            throw new IllegalStateException("no representative instance of " + executable.getDeclaringClass());
        }
        return instance.get();
    }

    private static Object invoke(Executable executable, Object[] args) throws Throwable {
        Object target = receiver(executable);
        try {
            if (executable instanceof Constructor) {
                return ((Constructor<?>) executable).newInstance(args);
            }
            return ((Method) executable).invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static boolean namesParameter(String message, String parameter, Executable executable) {
        if (message == null) {
            return false;
        }
        Pattern name = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(parameter) + "(?![A-Za-z0-9_])");
        String option = executableName(executable);
        return name.matcher(message).find() || message.startsWith(option + ":") || message.startsWith(option + "(");
    }

    /** The outcome of one call, or null when it is acceptable. */
    private static String problem(Executable executable, int index, Object value, Set<String> legalUsed) {
        Parameter parameter = executable.getParameters()[index];
        Object[] args = new Object[executable.getParameterCount()];
        String key = typeName(executable.getDeclaringClass()) + "." + executableName(executable) + "("
                + parameter.getName() + "=" + show(value) + ")";
        String objectKey = "Object." + executableName(executable) + "(" + parameter.getName() + "=" + show(value) + ")";
        try {
            for (int i = 0; i < args.length; i++) {
                args[i] = i == index ? value : valid(executable, executable.getParameters()[i]);
            }
        } catch (IllegalStateException e) {
            return "sweep setup: " + e.getMessage();
        }
        try {
            invoke(executable, args);
            for (String legal : List.of(key, objectKey)) {
                if (LEGAL.containsKey(legal)) {
                    legalUsed.add(legal);
                    return null;
                }
            }
            return key + " returned normally";
        } catch (NullPointerException e) {
            // Objects.requireNonNull(value, name): the message is the parameter's name and nothing else
            return parameter.getName().equals(e.getMessage()) ? null
                    : key + " threw NullPointerException whose message is not '" + parameter.getName() + "': "
                    + e.getMessage();
        } catch (IllegalArgumentException e) {
            return namesParameter(e.getMessage(), parameter.getName(), executable) ? null
                    : key + " threw " + e.getClass().getSimpleName() + " not naming '" + parameter.getName() + "': "
                    + e.getMessage();
        } catch (Throwable e) {
            return key + " threw " + e;
        }
    }

    @Test
    void everyBadArgumentIsRejectedNamingItsParameter() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> legalUsed = new TreeSet<>();
        int calls = 0;
        int executables = 0;
        for (Class<?> type : publicClasses()) {
            for (Executable executable : executables(type)) {
                executables++;
                Parameter[] parameters = executable.getParameters();
                for (int i = 0; i < parameters.length; i++) {
                    for (Object value : badValues(parameters[i].getType())) {
                        calls++;
                        String problem = problem(executable, i, value, legalUsed);
                        if (problem != null) {
                            problems.add(problem);
                        }
                    }
                }
            }
        }
        System.out.println("BadArgumentsSweepTest: " + calls + " calls over " + executables
                + " constructors and methods; " + LEGAL.size() + " legal cases allowed");
        assertTrue(problems.isEmpty(), problems.size() + " bad outcomes:\n" + String.join("\n", problems));
        Set<String> unused = new TreeSet<>(LEGAL.keySet());
        unused.removeAll(legalUsed);
        assertEquals(Set.of(), unused, "legal cases no call reached");
    }
}
