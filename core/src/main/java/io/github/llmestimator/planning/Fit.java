package io.github.llmestimator.planning;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.throughput.DecodeSpeed;
import io.github.llmestimator.throughput.DeploymentEstimate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** What the solvers read from an estimate, and the messages of their checks, kept in one place. */
final class Fit {

    /** The largest context llama.cpp accepts: the largest multiple of 256 that is an {@code int}. */
    static final int MAX_CONTEXT_TOKENS = Integer.MAX_VALUE / ContextSettings.CONTEXT_PADDING
            * ContextSettings.CONTEXT_PADDING;

    private Fit() {
    }

    /**
     * The estimates of the distinct candidates that can store every tensor of the model, in the candidates' order:
     * the candidate set both quantization solvers search.
     */
    static List<Estimate> storable(Estimator estimator, List<QuantScheme> candidates) {
        List<Estimate> estimates = new ArrayList<>();
        for (Estimator quantized : storableEstimators(estimator, candidates).values()) {
            estimates.add(quantized.estimate());
        }
        return estimates;
    }

    /**
     * The estimators of the distinct candidates that can store every tensor of the model, by scheme in the candidates'
     * order, not yet estimated.
     */
    static Map<QuantScheme, Estimator> storableEstimators(Estimator estimator, List<QuantScheme> candidates) {
        Objects.requireNonNull(estimator, "estimator");
        Objects.requireNonNull(candidates, "candidates");
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i) == null) {
                throw new NullPointerException("candidates[" + i + "]");
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates: [] (expected: at least one scheme)");
        }
        Map<QuantScheme, Estimator> estimators = new LinkedHashMap<>();
        for (QuantScheme scheme : candidates) {
            if (estimators.containsKey(scheme)) {
                continue;
            }
            try {
                estimators.put(scheme, estimator.quant(scheme));
            } catch (IllegalArgumentException cannotStore) {
                continue;
            }
        }
        if (estimators.isEmpty()) {
            throw new IllegalArgumentException("candidates: " + candidates + " (expected: at least one scheme that can"
                    + " store every tensor of " + estimator.model().name() + ")");
        }
        return estimators;
    }

    static DeploymentEstimate deployment(Estimate estimate, String call) {
        return estimate.deployment().orElseThrow(() -> new IllegalStateException("deployment: not set (expected:"
                + " Estimator.on(device) or Estimator.on(deployment) before " + call + ")"));
    }

    /** Each device's usage, a speculative drafter's memory included. */
    static List<DeviceUsage> devices(Estimate estimate) {
        return estimate.devices();
    }

    /** Returns the index of the device with the least headroom, the first of equals. */
    static int tightest(Estimate estimate) {
        List<DeviceUsage> usages = devices(estimate);
        int index = 0;
        for (int d = 1; d < usages.size(); d++) {
            if (usages.get(d).headroomBytes() < usages.get(index).headroomBytes()) {
                index = d;
            }
        }
        return index;
    }

    /** Returns the least headroom of all devices: negative when the estimate does not fit. */
    static long headroom(Estimate estimate) {
        return devices(estimate).get(tightest(estimate)).headroomBytes();
    }

    static long headroom(Estimate estimate, int device) {
        return devices(estimate).get(device).headroomBytes();
    }

    /** Returns the memory left under a budget: negative when the total exceeds it. */
    static long headroom(Estimate estimate, long budgetBytes) {
        return budgetBytes - estimate.totalBytes();
    }

    /** Returns why a device that does not fit fails: the weights alone, or the cache on top of them. */
    static Binding binding(DeviceUsage usage) {
        long caches = usage.kvCacheBytes() + usage.recurrentStateBytes();
        return caches > 0 && usage.totalBytes() - caches <= usage.usableBytes() ? Binding.KV_CACHE : Binding.WEIGHTS;
    }

    static Binding binding(Estimate estimate, int device) {
        return binding(devices(estimate).get(device));
    }

    /** Returns why an estimate that exceeds a budget fails: the weights alone, or the cache on top of them. */
    static Binding binding(Estimate estimate, long budgetBytes) {
        long caches = estimate.kvCacheBytes() + estimate.recurrentStateBytes();
        return caches > 0 && estimate.totalBytes() - caches <= budgetBytes ? Binding.KV_CACHE : Binding.WEIGHTS;
    }

    /** Returns the last position of one sequence's context, where decoding is slowest. */
    static int endPosition(Estimate estimate) {
        ContextSettings settings = estimate.context().settings();
        return settings.contextTokens() / settings.parallelSequences();
    }

    static DecodeSpeed decodeAtEnd(Estimate estimate) {
        return estimate.decode(endPosition(estimate));
    }

    /** Returns the decode speed per sequence at the end of the context. */
    static double speed(Estimate estimate) {
        return decodeAtEnd(estimate).tokensPerSecondPerSequence();
    }

    static OptionalInt checkDeviceIndex(OptionalInt index, Estimate estimate) {
        Objects.requireNonNull(index, "limitingDeviceIndex");
        int devices = estimate.deployment().map(d -> d.devices().size()).orElse(0);
        if (index.isPresent() && (index.getAsInt() < 0 || index.getAsInt() >= devices)) {
            throw new IllegalArgumentException("limitingDeviceIndex: " + index.getAsInt()
                    + " (expected: empty or a device index below " + devices + ")");
        }
        return index;
    }

    /** The decode target as a plan states it, from the solvers' tokens per second (0 for none). */
    static Optional<DecodeTarget> target(double tokensPerSecond) {
        return tokensPerSecond > 0 ? Optional.of(DecodeTarget.of(tokensPerSecond)) : Optional.empty();
    }

    /** The limiting device as a plan states it, from the solvers' index (-1 for none). */
    static OptionalInt index(int device) {
        return device < 0 ? OptionalInt.empty() : OptionalInt.of(device);
    }

    static Device kind(String name, Device device, DeviceKind kind) {
        Objects.requireNonNull(device, name);
        if (device.kind() != kind) {
            throw new IllegalArgumentException(name + ": " + device.name() + " is " + device.kind() + " (expected: a "
                    + kind + " device)");
        }
        return device;
    }

    /** Formats a signed byte count for a plan's {@code toString()}. */
    static String bytes(long bytes) {
        return bytes < 0 ? "-" + DataSize.ofBytes(-bytes) : DataSize.ofBytes(bytes).toString();
    }

    static String deviceName(Estimate estimate, OptionalInt index) {
        return index.isEmpty() ? "" : " on " + devices(estimate).get(index.getAsInt()).device().name();
    }
}
