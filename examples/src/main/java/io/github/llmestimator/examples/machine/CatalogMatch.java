package io.github.llmestimator.examples.machine;

import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.HardwarePreset;
import io.github.llmestimator.hardware.DeviceKind;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the catalog device a detected GPU or Apple chip is, by name: the names compared without vendor and brand words,
 * punctuation and memory sizes, with and without what the catalog puts in parentheses; a discrete GPU must also have
 * the catalog part's memory (within 10 %, since tools print a little less than the marketed size), and an Apple chip
 * the catalog variant's GPU core count when system_profiler states it.
 */
public final class CatalogMatch {

    private static final double MEMORY_TOLERANCE = 0.10;
    private static final Pattern APPLE_CORES = Pattern.compile("(\\d+)-core GPU");

    private CatalogMatch() {
    }

    /**
     * A catalog device found for a detected one.
     *
     * @param preset the catalog preset
     * @param note what the match assumed, or empty
     */
    public record Match(HardwarePreset preset, String note) {
    }

    /**
     * Finds a discrete GPU in the catalog.
     *
     * @param gpu the GPU as its tool names it, not null
     * @return the preset, or empty when no catalog GPU has that name and memory
     */
    public static Optional<Match> gpu(DetectedGpu gpu) {
        String key = key(gpu.name(), false);
        for (HardwarePreset preset : Catalog.hardware()) {
            if (preset.device().kind() != DeviceKind.DISCRETE_GPU) {
                continue;
            }
            String name = preset.displayName();
            if (!key.equals(key(name, false)) && !key.equals(key(name, true))) {
                continue;
            }
            long catalogBytes = preset.device().memoryBytes();
            if (gpu.memoryBytes().isPresent()
                    && Math.abs(gpu.memoryBytes().getAsLong() - catalogBytes) > MEMORY_TOLERANCE * catalogBytes) {
                continue;
            }
            return Optional.of(new Match(preset, gpu.memoryBytes().isPresent() ? ""
                    : "memory not stated by " + gpu.source() + ": the catalog's"));
        }
        return Optional.empty();
    }

    /**
     * Finds an Apple chip in the catalog: the preset of that chip and GPU cores with the installed memory, else the
     * chip's first memory option (the caller then gives it the installed memory).
     *
     * @param chip the chip name, such as {@code "Apple M2 Ultra"}, not null
     * @param gpuCores the GPU cores system_profiler states, or empty
     * @param memoryBytes the installed memory, or empty
     * @return the preset, or empty when the catalog has not that chip with those cores
     */
    public static Optional<Match> appleChip(String chip, java.util.OptionalInt gpuCores,
            java.util.OptionalLong memoryBytes) {
        String key = key(chip, false);
        Match first = null;
        for (HardwarePreset preset : Catalog.hardware()) {
            if (preset.device().kind() != DeviceKind.UNIFIED_MEMORY || !key.equals(key(preset.displayName(), false))) {
                continue;
            }
            Matcher m = APPLE_CORES.matcher(preset.displayName());
            int cores = m.find() ? Integer.parseInt(m.group(1)) : -1;
            if (gpuCores.isPresent() && gpuCores.getAsInt() != cores) {
                continue;
            }
            Match match = new Match(preset, gpuCores.isPresent() ? "" : "GPU cores not stated: the catalog's "
                    + cores + "-core variant");
            if (memoryBytes.isPresent() && memoryBytes.getAsLong() == preset.device().memoryBytes()) {
                return Optional.of(match);
            }
            if (first == null) {
                first = match;
            }
        }
        return Optional.ofNullable(first);
    }

    /** The comparable form of a name: lower case, no vendor or brand words, memory sizes or punctuation. */
    static String key(String name, boolean keepParentheses) {
        String text = name.toLowerCase(Locale.ROOT);
        text = keepParentheses ? text.replace("(", " ").replace(")", " ") : text.replaceAll("\\(.*?\\)", " ");
        text = text.replaceAll("\\b\\d+\\s*gb\\b", " ");
        text = text.replaceAll("\\b(nvidia|geforce|amd|radeon|edition)\\b", " ");
        return text.replaceAll("[^a-z0-9]", "");
    }
}
