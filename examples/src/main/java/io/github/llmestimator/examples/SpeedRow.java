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
public record SpeedRow(String label, boolean fits, long headroomBytes, DecodeSpeed decode, Optional<PrefillSpeed> prefill) {

    /**
     * Makes the row of one deployment.
     *
     * @param label the hardware and placement
     * @param estimate the estimate on that deployment
     * @param position the decode position
     * @param promptTokens the prefill prompt length
     * @return the row
     */
    public static SpeedRow of(String label, Estimate estimate, int position, int promptTokens) {
        long headroom = Long.MAX_VALUE;
        for (DeviceUsage usage : estimate.devices()) {
            headroom = Math.min(headroom, usage.headroomBytes());
        }
        return new SpeedRow(label, estimate.fits(), headroom, estimate.decode(position),
                estimate.prefill(promptTokens));
    }

    /**
     * Says the decode speed with its range and bound, or "-" where the model does not fit.
     *
     * @return for example {@code "42.1 (33.0-51.6) [bw]"}
     */
    public String decodeText() {
        return fits ? Views.speed(decode.tokensPerSecond()) + " (" + Views.speed(decode.lowTokensPerSecond()) + "-"
                + Views.speed(decode.highTokensPerSecond()) + ") " + bound(decode.bound()) : "-";
    }

    /**
     * Says the prefill speed with its bound, or "-" where the model does not fit.
     *
     * @return for example {@code "2,310 [compute]"}
     */
    public String prefillText() {
        if (!fits) {
            return "-";
        }
        return prefill.map(p -> Views.speed(p.tokensPerSecond()) + " " + bound(p.bound()))
                .orElse("n/a (no compute figure)");
    }

    /**
     * Says whether the model fits, and otherwise how much memory is missing.
     *
     * @return {@code "yes"} or for example {@code "no, needs 3.20 GiB (3.44 GB) more"}
     */
    public String fitText() {
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

    /**
     * Returns the row as JSON, speeds null where the model does not fit.
     *
     * @return the object
     */
    public Map<String, Object> json() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("hardware", label);
        row.put("fits", fits);
        row.put("headroom", Views.size(headroomBytes));
        row.put("decode", fits ? Views.decode(decode) : null);
        row.put("prefill", fits ? prefill.map(Views::prefill).orElse(null) : null);
        return row;
    }
}
