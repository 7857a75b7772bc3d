package io.github.llmestimator.hardware;

import io.github.llmestimator.internal.Checks;

/**
 * The PCIe link between a discrete GPU and the host, over which llama.cpp streams CPU-resident weights to the GPU for
 * large batches.
 *
 * @param pcieGeneration the PCIe generation, 3 to 6
 * @param lanes the link width in lanes, 1 to 16
 */
public record HostLink(int pcieGeneration, int lanes) {

    /**
     * Theoretical bandwidth of one lane in one direction, in GB/s, per generation 3 to 6: the transfer rate (8, 16, 32,
     * 64 GT/s) times the line-code efficiency (128b/130b for 3.0 to 5.0; 242/256 FLIT for 6.0), over 8 bits.
     */
    private static final double[] LANE_GBPS = {8 * 128 / 130.0 / 8, 16 * 128 / 130.0 / 8, 32 * 128 / 130.0 / 8,
        64 * 242 / 256.0 / 8};

    /**
     * Validates the components.
     *
     * @param pcieGeneration the PCIe generation, 3 to 6
     * @param lanes the link width in lanes, 1 to 16
     * @throws IllegalArgumentException if the generation is not 3 to 6 or the lanes not 1 to 16
     */
    public HostLink {
        Checks.between("pcieGeneration", pcieGeneration, 3, 6, "");
        Checks.between("lanes", lanes, 1, 16, "");
    }

    /**
     * Returns the theoretical bandwidth in one direction, defined as {@code lanes} times the per-lane rate after line
     * coding: 0.985 GB/s for PCIe 3.0, 1.969 for 4.0, 3.938 for 5.0, 7.5625 for 6.0 (so 4.0 x16 = 31.5 GB/s).
     *
     * @return GB/s (10^9 B/s)
     */
    public double bandwidthGBps() {
        return lanes * LANE_GBPS[pcieGeneration - 3];
    }
}
