package io.github.llmestimator.hub;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the headers of a safetensors checkpoint state, all shards together: tensors, elements and bytes per dtype, the
 * model's parameters, and the checkpoint's exact bytes.
 *
 * <p>Parameters count each weight once, as the model holds it before packing:
 * <ul>
 *   <li>GPTQ and AWQ {@code *.qweight} tensors are {@code I32}, each holding {@code 32 / bits} weights
 *       ({@code quantization_config.bits} of {@code config.json});</li>
 *   <li>MXFP4 {@code *_blocks} tensors (gpt-oss) and NVFP4 {@code *.weight} tensors stored as {@code U8} hold two
 *       4-bit weights per byte;</li>
 *   <li>quantization metadata is not a parameter: GPTQ/AWQ {@code *.qzeros}, {@code *.scales} and {@code *.g_idx},
 *       MXFP4 {@code *_scales}, and FP8/NVFP4 {@code *.weight_scale}, {@code *.weight_scale_inv},
 *       {@code *.weight_scale_2}, {@code *.input_scale}, {@code *.k_scale}, {@code *.v_scale};</li>
 *   <li>every other tensor counts its elements.</li>
 * </ul>
 *
 * @param files the shards' URLs as messages show them, in order, not null
 * @param byDtype the totals of each dtype as the header spells it ({@code BF16}, {@code F8_E4M3}, {@code I32}...),
 *     sorted by name, not null
 * @param parameters the model's parameters (see above)
 * @param tensorBytes the tensor data of all shards, defined as the sum of each tensor's {@code data_offsets} length
 * @param fileBytes the size of all shards together: 8 + header + tensor data each
 * @param bytesFetched the bytes taken from the servers for the headers
 */
public record SafetensorsSummary(List<String> files, Map<String, DtypeTotals> byDtype, long parameters,
        long tensorBytes, long fileBytes, long bytesFetched) {

    /**
     * The tensors of one dtype.
     *
     * @param tensors how many tensors
     * @param elements their elements, as stored
     * @param bytes their bytes
     */
    public record DtypeTotals(long tensors, long elements, long bytes) {

        /**
         * Validates the components.
         *
         * @param tensors how many tensors, at least 0
         * @param elements their elements, at least 0
         * @param bytes their bytes, at least 0
         * @throws IllegalArgumentException if a count is negative
         */
        public DtypeTotals {
            if (tensors < 0 || elements < 0 || bytes < 0) {
                throw new IllegalArgumentException("tensors " + tensors + ", elements " + elements + ", bytes " + bytes
                        + " (expected: each >= 0)");
            }
        }
    }

    /**
     * Validates the components.
     *
     * @param files the shards, not null
     * @param byDtype the totals per dtype, not null
     * @param parameters the parameters, at least 0
     * @param tensorBytes the tensor data, at least 0
     * @param fileBytes the shards' size, at least {@code tensorBytes}
     * @param bytesFetched the bytes fetched, at least 0
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a count is negative or the files are smaller than their tensor data
     */
    public SafetensorsSummary {
        files = List.copyOf(Objects.requireNonNull(files, "files"));
        byDtype = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(byDtype, "byDtype")));
        if (parameters < 0 || tensorBytes < 0 || fileBytes < tensorBytes || bytesFetched < 0) {
            throw new IllegalArgumentException("parameters " + parameters + ", tensorBytes " + tensorBytes
                    + ", fileBytes " + fileBytes + ", bytesFetched " + bytesFetched
                    + " (expected: each >= 0 and fileBytes >= tensorBytes)");
        }
    }
}
