package io.github.llmestimator.examples;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * One row of the report's speed matrix.
 *
 * @param label the hardware and placement
 * @param fits whether the model fits every device of the deployment
 * @param headroomBytes free bytes on the tightest device (negative: by how much it misses)
 * @param decodeTokensPerSecond expected decode speed
 * @param decodeLow lower end of the fit's range
 * @param decodeHigh upper end of the fit's range
 * @param prefillTokensPerSecond expected prefill speed, empty where the device states no compute throughput
 * @param bound what limits decode
 */
record SpeedRow(String label, boolean fits, long headroomBytes, double decodeTokensPerSecond, double decodeLow,
        double decodeHigh, OptionalDouble prefillTokensPerSecond, String bound) {

    String decodeText() {
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", decodeTokensPerSecond, decodeLow, decodeHigh);
    }

    String prefillText() {
        return prefillTokensPerSecond.isPresent()
                ? String.format(Locale.ROOT, "%.0f", prefillTokensPerSecond.getAsDouble()) : "- (no compute figure)";
    }
}
