package io.github.llmestimator.catalog;

import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.quant.QuantScheme;
import java.util.Objects;
import java.util.Optional;

/**
 * One published llama.cpp speed measurement (a llama-bench {@code tgN} or {@code ppN} row) as its source prints it,
 * with the link: the data the speed model is fitted and judged on, and what a report can show beside an estimate.
 *
 * @param source the source group (a discussion, pull request, repository or post), for validation held out by source
 * @param url the link to the source
 * @param hardware the device as the source names it
 * @param hardwareId the catalog hardware id of the same part, if the catalog has it
 * @param deviceKind the kind of memory the device has
 * @param vendor nvidia, amd, intel, apple or cpu
 * @param gpuCount GPUs used (0 for a CPU-only row)
 * @param bandwidthGBps the device's peak memory bandwidth, as the source states it or from {@code bandwidthSource}
 * @param bandwidthSource where the bandwidth comes from
 * @param modelId the catalog model id, or {@code llama-2-7b} (LLaMA 2 7B, not a catalog model)
 * @param scheme the GGUF file type
 * @param test the llama-bench test: {@code tgN} (decode N tokens) or {@code ppN} (a prompt of N tokens)
 * @param depth tokens already in the context when the test ran
 * @param tokensPerSecond the measured speed
 * @param backend the backend as printed (CUDA, ROCm, Vulkan, Metal, CPU)
 * @param build the llama.cpp build, as given
 * @param placement {@code full}, {@code layer_split}, {@code cpu;threads=N} or {@code n_cpu_moe=N;ram=X GB/s} (with
 *     {@code ;threads=T} before {@code ram} where the source states the threads)
 * @param note what weakens the row, if anything (a secondary transcription, an unclear build)
 */
public record PublishedSpeed(String source, String url, String hardware, Optional<String> hardwareId,
        DeviceKind deviceKind, String vendor, int gpuCount, double bandwidthGBps, String bandwidthSource,
        String modelId, QuantScheme scheme, String test, int depth, double tokensPerSecond, String backend,
        String build, String placement, String note) {

    /**
     * Validates the components.
     *
     * @param source the source group
     * @param url the link to the source
     * @param hardware the device as the source names it
     * @param hardwareId the catalog hardware id of the same part, if the catalog has it
     * @param deviceKind the kind of memory the device has
     * @param vendor nvidia, amd, intel, apple or cpu
     * @param gpuCount GPUs used (0 for a CPU-only row)
     * @param bandwidthGBps the device's peak memory bandwidth
     * @param bandwidthSource where the bandwidth comes from
     * @param modelId the catalog model id, or {@code llama-2-7b}
     * @param scheme the GGUF file type
     * @param test the llama-bench test, {@code tgN} or {@code ppN}
     * @param depth tokens already in the context
     * @param tokensPerSecond the measured speed
     * @param backend the backend as printed
     * @param build the llama.cpp build, as given
     * @param placement how the model was placed
     * @param note what weakens the row
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the test is not {@code tgN}/{@code ppN} or a number is out of range
     */
    public PublishedSpeed {
        for (Object component : new Object[] {source, url, hardware, hardwareId, deviceKind, vendor, bandwidthSource,
            modelId, scheme, test, backend, build, placement, note}) {
            Objects.requireNonNull(component, "component of a published speed");
        }
        if (!test.matches("(tg|pp)[1-9][0-9]*")) {
            throw new IllegalArgumentException("test: '" + test + "' (expected: tgN or ppN)");
        }
        if (gpuCount < 0 || depth < 0 || !(bandwidthGBps > 0) || !(tokensPerSecond > 0)) {
            throw new IllegalArgumentException("published speed of " + hardware + ": gpuCount " + gpuCount + ", depth "
                    + depth + ", bandwidth " + bandwidthGBps + ", tokens/s " + tokensPerSecond
                    + " (expected: counts >= 0, bandwidth and speed > 0)");
        }
    }

    /**
     * Returns whether this is a decode row ({@code tgN}).
     *
     * @return true for {@code tgN}, false for {@code ppN}
     */
    public boolean isDecode() {
        return test.startsWith("tg");
    }

    /**
     * Returns the tokens of the test: generated ({@code tgN}) or in the prompt ({@code ppN}).
     *
     * @return N
     */
    public int tokens() {
        return Integer.parseInt(test.substring(2));
    }

    /**
     * Returns whether the row was copied from a copy of its source rather than the source itself.
     *
     * @return true for a secondary transcription
     */
    public boolean isSecondary() {
        return note.toLowerCase(java.util.Locale.ROOT).contains("secondary transcription");
    }
}
