package io.github.llmestimator.examples;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.throughput.Bound;
import io.github.llmestimator.throughput.DecodeSpeed;
import io.github.llmestimator.throughput.PrefillSpeed;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One row of the report's speed matrix: a hardware setup, whether the model fits it, and its speeds. Speeds of a
 * setup that does not fit are never shown; the row says how much memory it lacks instead.
 *
 * @param label the hardware and placement
 * @param fits whether the model fits every device of the deployment
 * @param headroomBytes free bytes on the tightest device (negative: by how much it misses)
 * @param decode the decode speed at the end of the context
 * @param prefill the prefill speed, empty where a device states no compute throughput
 */
record SpeedRow(String label, boolean fits, long headroomBytes, DecodeSpeed decode, Optional<PrefillSpeed> prefill) {

    static SpeedRow of(String label, Estimate estimate, int position, int promptTokens) {
        long headroom = Long.MAX_VALUE;
        for (DeviceUsage usage : estimate.devices()) {
            headroom = Math.min(headroom, usage.headroomBytes());
        }
        return new SpeedRow(label, estimate.fits(), headroom, estimate.decode(position),
                estimate.prefill(promptTokens));
    }

    String decodeText() {
        return fits ? Views.speed(decode.tokensPerSecond()) + " (" + Views.speed(decode.lowTokensPerSecond()) + "-"
                + Views.speed(decode.highTokensPerSecond()) + ") " + bound(decode.bound()) : "-";
    }

    String prefillText() {
        if (!fits) {
            return "-";
        }
        return prefill.map(p -> Views.speed(p.tokensPerSecond()) + " " + bound(p.bound()))
                .orElse("n/a (no compute figure)");
    }

    String fitText() {
        return fits ? "yes" : "no, needs " + Views.gib(-headroomBytes) + " more";
    }

    private static String bound(Bound bound) {
        switch (bound) {
            case MEMORY_BANDWIDTH:
                return "[bw]";
            case COMPUTE:
                return "[compute]";
            case LAUNCH_OVERHEAD:
                return "[launch]";
            default:
                return "[pcie]";
        }
    }

    Map<String, Object> json() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("hardware", label);
        row.put("fits", fits);
        row.put("headroom", Views.size(headroomBytes));
        row.put("decode", fits ? Views.decode(decode) : null);
        row.put("prefill", fits ? prefill.map(Views::prefill).orElse(null) : null);
        return row;
    }
}
