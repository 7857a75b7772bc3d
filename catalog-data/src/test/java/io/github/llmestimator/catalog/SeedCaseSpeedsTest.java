package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Backend;
import io.github.llmestimator.hardware.CpuTopology;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.throughput.DecodeSpeed;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The flagship question, Qwen3.5-397B-A17B at Q4_K_M with an 8,192-token context, on the setups people ask about,
 * each printed beside the published llama.cpp measurements of that model found for a similar setup. Published runs of
 * this model are few: none CPU-only on DDR4 or DDR5, none with a consumer GPU and experts in DDR5 that states its
 * memory; what exists is an 8-channel DDR4 server with four GPUs (asserted here at the run's own settings, and part of
 * published-speeds.tsv) and a 12-channel DDR5 server with one GPU under ik_llama.cpp with its own quantization types
 * (printed for reference only: another engine, a type llama.cpp lacks).
 */
final class SeedCaseSpeedsTest {

    private static final ModelSpec MODEL = Catalog.model("qwen3.5-397b-a17b").spec();
    private static final int CONTEXT = 8192;
    /** llama-bench's tg128: 128 tokens after an empty prompt, a context of 129 cells, read at position 64 on average. */
    private static final int TG128 = 129;
    /** Every one of the model's 60 layers holds routed experts: --cpu-moe moves them all. */
    private static final int LAYERS = 60;

    /** System RAM read by a CPU of {@code cores} at {@code baseGHz}, its bandwidth from channels x MT/s x 8 B. */
    private static Device ram(String name, long gib, int cores, double baseGHz, int flopsPerCycle, int channels,
            int mtps) {
        CpuTopology cpu = new CpuTopology(cores, 0, 2 * cores, channels, mtps, 1, baseGHz, flopsPerCycle);
        return Device.builder(name, DeviceKind.SYSTEM_RAM).memoryBytes(gib << 30)
                .memoryBandwidthGBps(cpu.memoryBandwidthGBps()).cpu(cpu).build();
    }

    /** A row of the table: decode at the context's end, or for a llama-bench tg128 run (context 129) at its middle. */
    private static String row(String setup, Deployment deployment, QuantScheme scheme, int context, String published) {
        Estimate e = Estimator.of(MODEL).quant(scheme).context(context).on(deployment).estimate();
        String speed;
        if (e.fits()) {
            DecodeSpeed d = e.decode(context == TG128 ? TG128 / 2 : context);
            speed = String.format(Locale.ROOT, "%5.1f t/s (%.1f-%.1f)", d.tokensPerSecond(),
                    d.lowTokensPerSecond(), d.highTokensPerSecond());
        } else {
            speed = "does not fit";
        }
        return String.format(Locale.ROOT, "%-72s %-24s %s%n", setup, speed, published);
    }

    @Test
    void flagshipOnTheUsualSetups() {
        // AMD EPYC 7713 (64 cores, base 2.0 GHz) and Ryzen 9 9950X (16 cores, base 4.3 GHz), their makers' pages
        Device ddr4Server = ram("8-channel DDR4-3200, 64-core EPYC 7713, 512 GiB", 512, 64, 2.0, 32, 8, 3200);
        Device ddr5Desktop = ram("dual-channel DDR5-5600, Ryzen 9 9950X, 256 GiB", 256, 16, 4.3, 64, 2, 5600);
        Device mac = Device.builder("Mac, 96 GiB unified at 300 GB/s (M3 Max 30-core GPU)", DeviceKind.UNIFIED_MEMORY)
                .memoryBytes(96L << 30).memoryBandwidthGBps(300).backend(Backend.METAL).build();
        Device epyc12 = Catalog.hardware("epyc-9554").device();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "Qwen3.5-397B-A17B Q4_K_M, context %d, decode at position %d%n%-72s %-24s %s%n", CONTEXT, CONTEXT,
                "setup", "estimate", "published (this model)"));
        table.append(row("CPU only, " + ddr4Server.name(), Deployment.of(ddr4Server), QuantScheme.Q4_K_M, CONTEXT,
                "none found"));
        table.append(row("CPU only, " + ddr5Desktop.name(), Deployment.of(ddr5Desktop), QuantScheme.Q4_K_M, CONTEXT,
                "none found"));
        table.append(row(mac.name(), Deployment.of(mac), QuantScheme.Q4_K_M, CONTEXT,
                "none at 300 GB/s"));
        table.append(row("RTX 4090 + experts in " + ddr5Desktop.name(),
                Deployment.expertsInSystemRam(Hardware.RTX_4090, ddr5Desktop, LAYERS), QuantScheme.Q4_K_M, CONTEXT,
                "none that states its memory"));
        table.append(row("RTX 4090 + experts in 12-channel DDR5-4800 (EPYC 9554)",
                Deployment.expertsInSystemRam(Hardware.RTX_4090, epyc12, LAYERS), QuantScheme.Q4_K_M, CONTEXT,
                "none found (12-channel runs below)"));
        // AMD EPYC 9175F: 16 cores, base 4.2 GHz
        Device epyc9175f = ram("12-channel DDR5-6400, 16-core EPYC 9175F, 768 GiB", 768, 16, 4.2, 64, 12, 6400);
        table.append(row("RTX PRO 6000 + experts in " + epyc9175f.name(),
                Deployment.expertsInSystemRam(Hardware.RTX_PRO_6000_BLACKWELL, epyc9175f, LAYERS), QuantScheme.Q4_K_M,
                CONTEXT, "20.8-24.0 t/s, ik_llama.cpp, IQ4_KSS (loftllc.dev, reference only)"));
        // The 8-channel DDR4 server with four Radeon PRO V620 (llm-performance-engineering-notebook, results/
        // qwen-3.5-397b.md, build 8746): bartowski Q6_K_L (file type Q6_K), 40 of 60 layers' experts in RAM, tg128
        // at 16-96 threads of a 64-core EPYC 7713 (base 2.0 GHz). The four GPUs run their layers in turn: one GPU at a
        // card's 512 GB/s.
        Device v620s = Device.builder("4x Radeon PRO V620 (layer split)", DeviceKind.DISCRETE_GPU)
                .memoryBytes(122L << 30).memoryBandwidthGBps(512).backend(Backend.ROCM).build();
        int[] threads = {16, 32, 48, 64, 96};
        double[] measured = {11.52, 11.67, 11.63, 11.51, 11.34};
        double[] ratios = new double[threads.length];
        for (int i = 0; i < threads.length; i++) {
            Device epyc7713 = ram("8-channel DDR4-2933, EPYC 7713 at " + threads[i] + " threads", 1024,
                    Math.min(threads[i], 64), 2.0, 32, 8, 2933);
            Deployment galactus = Deployment.expertsInSystemRam(v620s, epyc7713, 40);
            ratios[i] = Estimator.of(MODEL).quant(QuantScheme.Q6_K).context(TG128).on(galactus).estimate()
                    .decode(TG128 / 2).tokensPerSecond() / measured[i];
            table.append(row("4x V620 + 40 layers' experts in " + epyc7713.name() + ", Q6_K", galactus,
                    QuantScheme.Q6_K, TG128, String.format(Locale.ROOT, "%.2f t/s tg128, llama.cpp (ratio %.2f)",
                            measured[i], ratios[i])));
        }
        System.out.print(table);

        // 225.46 GiB of weights, cache and buffers cannot fit a Mac whose GPU may wire 3/4 of 96 GiB = 72 GiB.
        assertFalse(Estimator.of(MODEL).quant(QuantScheme.Q4_K_M).context(CONTEXT).on(mac).estimate().fits(),
                table::toString);
        // The published run at its own settings: each thread count's within 0.75-1.33 of the estimate.
        for (double ratio : ratios) {
            assertTrue(ratio >= 0.75 && ratio <= 1.33, () -> ratio + "\n" + table);
        }
    }
}
