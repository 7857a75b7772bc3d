package io.github.llmestimator.quant;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.testing.ReferenceModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The recipe's tensor data against the sizes of real published GGUF files (published-gguf-sizes.csv, each row with its source). Each
 * row of the CSV names its source; the unit column says how the figure was printed.
 */
final class PublishedGgufSizesTest {

    /** A GGUF header with its tokenizer and metadata: 5.96 MB for Qwen3, 7.84 MB for Llama 3 in the exact rows. */
    private static final long MAX_METADATA_BYTES = 16L << 20;

    @ParameterizedTest(name = "{0} {1} = {3} {4}")
    @CsvFileSource(resources = "published-gguf-sizes.csv", delimiter = ',', maxCharsPerColumn = 4096)
    void tensorData_matchesPublishedFile(String model, String scheme, boolean imatrix, double value, String unit,
            double halfWidth, String source) {
        long tensorBytes = QuantScheme.ofName(scheme).assign(ReferenceModels.byKey(model), imatrix).loadedBytes();
        switch (unit) {
            case "BYTES": {
                long metadata = (long) value - tensorBytes;
                assertTrue(metadata >= 0 && metadata <= MAX_METADATA_BYTES, () -> model + " " + scheme
                        + ": file " + (long) value + " B minus tensor data " + tensorBytes + " B = " + metadata
                        + " B of header (expected 0.." + MAX_METADATA_BYTES + "); source " + source);
                break;
            }
            case "GIB": {
                double gib = tensorBytes / (double) (1L << 30);
                assertTrue(Math.abs(gib - value) <= halfWidth + 1e-9, () -> model + " " + scheme + ": " + gib
                        + " GiB (expected " + value + " +- " + halfWidth + "); source " + source);
                break;
            }
            case "GB": {
                // the file holds the tensor data plus 0..16 MiB of metadata; its rounded size is value +- halfWidth
                double low = tensorBytes / 1e9;
                double high = (tensorBytes + MAX_METADATA_BYTES) / 1e9;
                boolean overlaps = high >= value - halfWidth && low <= value + halfWidth;
                assertTrue(overlaps, () -> model + " " + scheme + ": file between " + low + " and " + high
                        + " GB (expected " + value + " +- " + halfWidth + " GB); source " + source);
                break;
            }
            default:
                throw new IllegalArgumentException("unit: " + unit);
        }
    }
}
