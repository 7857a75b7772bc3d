package io.github.llmestimator.examples;

import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.hardware.Device;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Says in words which class of machine runs a model, from the numbers: the smallest class whose catalog device holds
 * the estimate's total, and the speed rows that fit.
 */
public final class HardwareProfile {

    private HardwareProfile() {
    }

    /**
     * Says which class of machine runs a model of the given total, and the fastest speed row that fits.
     *
     * @param totalBytes the estimate's total
     * @param rows the speed matrix of the same estimate
     * @return the profile in words
     */
    public static String describe(long totalBytes, List<SpeedRow> rows) {
        double gib = totalBytes / (double) (1L << 30);
        // the M4 Pro's memory options, smallest first: a small model is not sent to the 64 GB machine
        Device laptop = Stream.of("m4-pro-24gb", "m4-pro-48gb", "m4-pro").map(id -> Catalog.hardware(id).device())
                .filter(d -> totalBytes <= d.usableMemoryBytes()).findFirst().orElse(null);
        Device desktopGpu = Catalog.hardware("rtx-5090").device();
        Device workstation = Catalog.hardware("m3-ultra").device();
        Device server = Catalog.hardware("h100-sxm").device();
        String fastest = rows.stream().filter(SpeedRow::fits)
                .max((a, b) -> Double.compare(a.decode().tokensPerSecond(), b.decode().tokensPerSecond()))
                .map(r -> String.format(Locale.ROOT, "; fastest fitting row: %s at %.1f tokens/s", r.label(),
                        r.decode().tokensPerSecond()))
                .orElse("");
        String size = String.format(Locale.ROOT, "needs %.1f GiB", gib);
        if (laptop != null) {
            return "laptop class (" + size + ": fits the GPU share of an " + laptop.name() + ")" + fastest;
        }
        if (totalBytes <= desktopGpu.usableMemoryBytes()) {
            return "desktop GPU class (" + size + ": fits one " + desktopGpu.name() + ")" + fastest;
        }
        if (totalBytes <= workstation.usableMemoryBytes()) {
            return "workstation / unified-memory class (" + size + ": fits the GPU share of an " + workstation.name()
                    + ", or system RAM with a GPU for the shared layers)" + fastest;
        }
        long gpus = (totalBytes + server.usableMemoryBytes() - 1) / server.usableMemoryBytes();
        return "multi-GPU server class (" + size + ": at least " + gpus + " x " + server.name() + ")" + fastest;
    }
}
