package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.HardwarePreset;
import io.github.llmestimator.hardware.Backend;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.ExpertsInSystemRam;
import io.github.llmestimator.hardware.GpuLayers;
import io.github.llmestimator.hardware.Placement;
import io.github.llmestimator.hardware.SplitModeTensor;
import io.github.llmestimator.planning.OffloadPlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The hardware and the placement, with llama.cpp's own flags where it has them.
 *
 * <p>How the devices become a deployment: one device holds everything; a GPU and system RAM without a flag are split
 * as llama.cpp's {@code --fit} splits them (as many layers, or for a mixture of experts as many layers of experts, on
 * the GPU as fit); {@code -ngl}, {@code --n-cpu-moe} and {@code --cpu-moe} set that split; several GPUs share the
 * layers in proportion to their memory or to {@code --tensor-split}, with system RAM if given holding the token
 * embedding; {@code --tp N} is vLLM's tensor parallelism over N copies of one GPU.
 */
final class HardwareOptions {

    @Option(names = "--hardware", paramLabel = "DEVICE",
            description = "Repeatable: " + HardwareArgument.SYNTAX + ".")
    List<String> hardware = new ArrayList<>();

    @Option(names = {"-ngl", "--gpu-layers", "--n-gpu-layers"}, paramLabel = "N",
            description = "Layers on the GPU, the output head counting as the last (needs one GPU and system RAM).")
    Integer gpuLayers;

    @Option(names = {"-ncmoe", "--n-cpu-moe"}, paramLabel = "N",
            description = "Keep the experts of the first N layers in system RAM (needs one GPU and system RAM).")
    Integer cpuMoeLayers;

    @Option(names = {"-cmoe", "--cpu-moe"}, description = "Keep every layer's experts in system RAM.")
    boolean cpuMoe;

    @Option(names = {"-ts", "--tensor-split"}, paramLabel = "SHARE", split = ",",
            description = "Share of the layers per GPU, e.g. 3,1 (default: by memory).")
    List<Double> tensorSplit;

    @Option(names = "--tp", paramLabel = "N", description = "vLLM tensor parallelism over N copies of one GPU.")
    Integer tensorParallel;

    @Option(names = {"-sm", "--split-mode"}, paramLabel = "layer|tensor",
            description = "How several GPUs share the model: layer (default: consecutive layers per GPU) or tensor"
                    + " (llama.cpp's experimental tensor parallelism: every weight and the KV cache split by"
                    + " --tensor-split; needs flash attention and an f16/bf16/f32 cache).")
    String splitMode;

    @Option(names = "--wired-limit-mb", paramLabel = "MIB",
            description = "A Mac's GPU working-set limit as raised with sudo sysctl iogpu.wired_limit_mb=MIB (default:"
                    + " macOS's, 2/3 of the memory up to 36 GB and 3/4 above).")
    Long wiredLimitMiB;

    /** The devices as given, counts expanded, a Mac's working-set limit raised as {@code --wired-limit-mb} says. */
    List<Device> devices() {
        List<Device> devices = new ArrayList<>();
        boolean metal = false;
        for (String text : hardware) {
            HardwareArgument argument = HardwareArgument.parse(text);
            Device device = argument.device();
            if (wiredLimitMiB != null && device.backend() == Backend.METAL) {
                metal = true;
                try {
                    device = device.withWiredLimitMiB(wiredLimitMiB);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--wired-limit-mb: " + wiredLimitMiB + " (expected: 1 to "
                            + (device.memoryBytes() >> 20) + " MiB, the installed memory of " + device.name() + ")", e);
                }
            }
            devices.addAll(Collections.nCopies(argument.count(), device));
        }
        if (wiredLimitMiB != null && !metal) {
            throw new IllegalArgumentException("--wired-limit-mb: no Mac among the --hardware devices (expected: a"
                    + " unified-memory device with the metal backend, e.g. --hardware m3-max)");
        }
        return devices;
    }

    /** The calibration profile of the one device given, if the whole model is on it. */
    Optional<io.github.llmestimator.catalog.CalibrationProfile> singleProfile() {
        boolean flags = gpuLayers != null || cpuMoeLayers != null || cpuMoe || tensorSplit != null
                || tensorParallel != null;
        return hardware.size() != 1 || flags ? Optional.empty() : HardwareArgument.parse(hardware.get(0)).profile();
    }

    boolean given() {
        return !hardware.isEmpty();
    }

    /** The catalog id of the one device given, if the whole model is on one catalog device; else empty. */
    Optional<String> singleCatalogId() {
        boolean flags = gpuLayers != null || cpuMoeLayers != null || cpuMoe || tensorSplit != null
                || tensorParallel != null;
        if (hardware.size() != 1 || flags || hardware.get(0).contains(":")
                || HardwareArgument.parse(hardware.get(0)).count() != 1) {
            return Optional.empty();
        }
        List<HardwarePreset> named = Catalog.findHardwareByName(hardware.get(0).trim());
        return named.size() == 1 ? Optional.of(named.get(0).id()) : Optional.empty();
    }

    /** A deployment and how it was chosen, in llama.cpp's words. */
    record Chosen(Deployment deployment, String placement) {
    }

    /**
     * Builds the deployment for a configured estimator (with scheme and settings: the automatic split needs them).
     *
     * @return the deployment, or empty when no hardware was given
     */
    Optional<Chosen> deployment(Estimator estimator) {
        boolean placementFlag = gpuLayers != null || cpuMoeLayers != null || cpuMoe;
        if (!given()) {
            if (placementFlag || tensorSplit != null || tensorParallel != null || wiredLimitMiB != null) {
                throw new IllegalArgumentException("--hardware: not given (expected: the devices that -ngl,"
                        + " --n-cpu-moe, --cpu-moe, --tensor-split, --tp or --wired-limit-mb apply to)");
            }
            return Optional.empty();
        }
        List<Device> devices = devices();
        List<Device> gpus = new ArrayList<>();
        Device ram = null;
        Device unified = null;
        for (Device device : devices) {
            if (device.kind() == DeviceKind.DISCRETE_GPU) {
                gpus.add(device);
            } else if (device.kind() == DeviceKind.SYSTEM_RAM) {
                ram = once(ram, device);
            } else {
                unified = once(unified, device);
            }
        }
        if (unified != null) {
            if (devices.size() > 1 || placementFlag || tensorSplit != null || tensorParallel != null
                    || splitMode != null) {
                throw new IllegalArgumentException("--hardware: unified memory is one pool (expected: it alone, without"
                        + " placement flags)");
            }
            return Optional.of(new Chosen(Deployment.of(unified), "everything in unified memory"));
        }
        if (tensorParallel != null && splitMode != null) {
            throw new IllegalArgumentException("--tp with --split-mode: give one (expected: --tp N for vLLM, or"
                    + " --split-mode tensor for llama.cpp)");
        }
        if (tensorParallel != null) {
            return Optional.of(tensorParallel(gpus, ram, placementFlag));
        }
        if (placementFlag && (gpus.size() != 1 || ram == null)) {
            throw new IllegalArgumentException("-ngl/--n-cpu-moe/--cpu-moe: need exactly one GPU and system RAM"
                    + " (expected: e.g. --hardware rtx-4090 --hardware ram:64GiB@89.6GB/s; given " + gpus.size()
                    + " GPU(s)" + (ram == null ? " and no system RAM" : "") + ")");
        }
        if (gpuLayers != null && (cpuMoeLayers != null || cpuMoe)) {
            throw new IllegalArgumentException("-ngl with --n-cpu-moe/--cpu-moe: not modelled together (expected: one"
                    + " of them; --n-cpu-moe keeps every layer's attention on the GPU)");
        }
        if (cpuMoeLayers != null && cpuMoe) {
            throw new IllegalArgumentException("--cpu-moe with --n-cpu-moe: give one (expected: --cpu-moe, or"
                    + " --n-cpu-moe N)");
        }
        if (gpus.isEmpty()) {
            return Optional.of(new Chosen(Deployment.of(ram), "everything in system RAM"));
        }
        if (splitMode != null && !splitMode.equals("layer") && !splitMode.equals("tensor")) {
            throw new IllegalArgumentException("--split-mode: '" + splitMode + "' (expected: layer or tensor; row is"
                    + " deprecated in llama.cpp and not modelled)");
        }
        if ("tensor".equals(splitMode)) {
            return Optional.of(splitModeTensor(gpus, ram, placementFlag));
        }
        if (gpus.size() > 1) {
            return Optional.of(split(gpus, ram));
        }
        if (tensorSplit != null) {
            throw new IllegalArgumentException("--tensor-split: one GPU (expected: two or more GPUs to split across)");
        }
        Device gpu = gpus.get(0);
        if (ram == null) {
            return Optional.of(new Chosen(Deployment.of(gpu), "everything on the GPU"));
        }
        int layers = estimator.model().layers().size();
        if (gpuLayers != null) {
            return Optional.of(new Chosen(Deployment.gpuLayers(gpu, ram, gpuLayers), "-ngl " + gpuLayers));
        }
        if (cpuMoe || cpuMoeLayers != null) {
            requireExperts(estimator, cpuMoe ? "--cpu-moe" : "--n-cpu-moe");
            int first = cpuMoe ? layers : cpuMoeLayers;
            return Optional.of(new Chosen(Deployment.expertsInSystemRam(gpu, ram, first),
                    cpuMoe ? "--cpu-moe" : "--n-cpu-moe " + first));
        }
        OffloadPlan fit = OffloadPlan.of(estimator, gpu, ram);
        return Optional.of(new Chosen(fit.deployment(), flags(fit.placement(), layers) + ", as llama.cpp's --fit would choose"
                + " (set -ngl or --n-cpu-moe to choose yourself)"));
    }

    /** llama.cpp's flags for a split between one GPU and system RAM, or null for any other placement. */
    static String flags(Placement placement, int layers) {
        if (placement instanceof ExpertsInSystemRam experts) {
            return experts.firstLayers() == layers ? "--cpu-moe" : "--n-cpu-moe " + experts.firstLayers();
        }
        if (placement instanceof GpuLayers gpuLayers) {
            return "-ngl " + gpuLayers.gpuLayers();
        }
        return null;
    }

    private static void requireExperts(Estimator estimator, String flag) {
        if (!estimator.model().isMixtureOfExperts()) {
            throw new IllegalArgumentException(flag + ": " + estimator.model().name() + " is dense (expected: a"
                    + " mixture-of-experts model; use -ngl for a dense one)");
        }
    }

    private Chosen tensorParallel(List<Device> gpus, Device ram, boolean placementFlag) {
        if (gpus.isEmpty() || ram != null || placementFlag || tensorSplit != null) {
            throw new IllegalArgumentException("--tp: needs GPUs only, of one kind, without -ngl, --n-cpu-moe or"
                    + " --tensor-split (expected: e.g. --hardware 8x h100-sxm --tp 8)");
        }
        Device gpu = gpus.get(0);
        for (Device other : gpus) {
            if (!other.equals(gpu)) {
                throw new IllegalArgumentException("--tp: GPUs of different kinds (expected: copies of one GPU)");
            }
        }
        if (gpus.size() != 1 && gpus.size() != tensorParallel) {
            throw new IllegalArgumentException("--tp " + tensorParallel + ": " + gpus.size() + " GPUs given (expected: "
                    + tensorParallel + ", or one to copy)");
        }
        if (tensorParallel < 2 || tensorParallel > HardwareArgument.MAX_COUNT) {
            throw new IllegalArgumentException("--tp: " + tensorParallel + " (expected: 2 to "
                    + HardwareArgument.MAX_COUNT + ")");
        }
        return new Chosen(Deployment.tensorParallel(gpu, tensorParallel), "tensor parallel over " + tensorParallel
                + " GPUs (vLLM --tensor-parallel-size " + tensorParallel + ")");
    }

    private Chosen splitModeTensor(List<Device> gpus, Device ram, boolean placementFlag) {
        if (gpus.size() < 2 || ram != null || placementFlag) {
            throw new IllegalArgumentException("--split-mode tensor: " + gpus.size() + " GPU(s)"
                    + (ram != null ? " and system RAM" : "") + (placementFlag ? " with -ngl/--n-cpu-moe/--cpu-moe" : "")
                    + " (expected: two or more GPUs only; llama.cpp's meta device leaves the CPU out)");
        }
        List<Double> proportions = new ArrayList<>();
        if (tensorSplit == null) {
            gpus.forEach(gpu -> proportions.add((double) gpu.memoryBytes()));
        } else if (tensorSplit.size() != gpus.size()) {
            throw new IllegalArgumentException("--tensor-split: " + tensorSplit.size() + " shares for " + gpus.size()
                    + " GPUs (expected: one share per GPU)");
        } else {
            proportions.addAll(tensorSplit);
        }
        return new Chosen(new Deployment(gpus, new SplitModeTensor(proportions)), "weights and KV cache split across "
                + gpus.size() + " GPUs " + (tensorSplit == null ? "by memory" : "as --tensor-split " + join(tensorSplit))
                + " (llama.cpp --split-mode tensor, experimental)");
    }

    private Chosen split(List<Device> gpus, Device ram) {
        List<Double> proportions = new ArrayList<>();
        if (tensorSplit == null) {
            gpus.forEach(gpu -> proportions.add((double) gpu.memoryBytes()));
        } else {
            if (tensorSplit.size() != gpus.size()) {
                throw new IllegalArgumentException("--tensor-split: " + tensorSplit.size() + " shares for "
                        + gpus.size() + " GPUs (expected: one share per GPU)");
            }
            proportions.addAll(tensorSplit);
        }
        Deployment deployment = ram == null ? Deployment.layerSplit(gpus, proportions)
                : Deployment.layerSplit(gpus, proportions, ram);
        return new Chosen(deployment, "layers split across " + gpus.size() + " GPUs "
                + (tensorSplit == null ? "by memory (llama.cpp's default)" : "as --tensor-split " + join(tensorSplit))
                + (ram == null ? "" : ", token embedding in system RAM"));
    }

    private static String join(List<Double> shares) {
        StringBuilder text = new StringBuilder();
        for (double share : shares) {
            text.append(text.length() == 0 ? "" : ",").append(share == Math.rint(share) ? String.valueOf((long) share)
                    : String.valueOf(share));
        }
        return text.toString();
    }

    private static Device once(Device previous, Device device) {
        if (previous != null) {
            throw new IllegalArgumentException("--hardware: two " + device.kind() + " devices (expected: at most one"
                    + " system RAM or unified-memory pool)");
        }
        return device;
    }
}
