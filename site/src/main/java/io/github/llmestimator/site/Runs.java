package io.github.llmestimator.site;

import java.util.ArrayList;
import java.util.List;

/**
 * Run-length coding of a series the library computes at every 256-token block of context. llama.cpp pads the context
 * to 256 cells, so context memory is a function of the block; it grows by the same bytes from block to block over long
 * stretches (a full-attention cache by its bytes per cell, a sliding window not at all once it is full), so a table
 * of every block shrinks to a few runs, each {@code [first block, value there, step per block]}. The page reads a
 * value back as {@code value + (block - first) * step}: exact in JavaScript's doubles below 2^53 bytes.
 */
final class Runs {

    private Runs() {
    }

    /**
     * Encodes {@code values[i]}, the value at block {@code i + 1}.
     *
     * @return the runs, each {@code [first block, value, step]}, in block order
     */
    static List<long[]> encode(long[] values) {
        List<long[]> runs = new ArrayList<>();
        int i = 0;
        while (i < values.length) {
            long step = i + 1 < values.length ? values[i + 1] - values[i] : 0;
            int j = i + 1;
            while (j < values.length && values[j] - values[j - 1] == step) {
                j++;
            }
            runs.add(new long[] {i + 1, values[i], step});
            i = j;
        }
        return runs;
    }
}
