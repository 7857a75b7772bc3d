package io.github.llmestimator.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.quant.TensorType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Split GGUF files (llama.cpp's gguf-split) joined into one header. */
final class GgufSplitTest {

    private static GgufFile part(int number, int count, int tensorsInAll, String... names) throws IOException {
        GgufWriter w = new GgufWriter().u32("split.no", number).u32("split.count", count)
                .i32("split.tensors.count", tensorsInAll);
        for (String name : names) {
            w.tensor(name, TensorType.F32, 64);
        }
        return GgufFile.read(new ByteArrayInputStream(w.toBytes()));
    }

    /**
     * Two parts of one F32 tensor of 64 elements each and one of two: 3 x 256 = 768 tensor bytes; each part is its
     * 32-aligned header plus 256 bytes per tensor, and the joined file is both parts.
     */
    @Test
    void joinsParts() throws IOException {
        GgufFile first = part(0, 2, 3, "a", "b");
        GgufFile second = part(1, 2, 3, "c");
        GgufFile joined = GgufFile.ofSplits(List.of(first, second));
        assertEquals(3, joined.tensors().size());
        assertEquals(768, joined.tensorBytes());
        assertEquals(first.fileBytes() + second.fileBytes(), joined.fileBytes());
        assertEquals(first.headerBytes() + second.headerBytes(), joined.headerBytes());
        assertEquals(first.metadata(), joined.metadata());
        assertTrue(joined.tensor("c").isPresent());
    }

    @Test
    void singleFileAsItIs() throws IOException {
        GgufFile single = GgufFile.read(new ByteArrayInputStream(new GgufWriter().tensor("a", TensorType.F32, 64)
                .toBytes()));
        assertSame(single, GgufFile.ofSplits(List.of(single)));
    }

    @Test
    void refusesPartsThatDoNotFit() throws IOException {
        GgufFile first = part(0, 2, 3, "a", "b");
        assertTrue(assertThrows(GgufFormatException.class, () -> GgufFile.ofSplits(List.of(first,
                part(0, 2, 3, "c")))).getMessage().contains("split.no: 0 (expected: 1, its place among the parts"));
        assertTrue(assertThrows(GgufFormatException.class, () -> GgufFile.ofSplits(List.of(first)))
                .getMessage().contains("split.count: 2 (expected: 1, the number of parts)"));
        assertTrue(assertThrows(GgufFormatException.class, () -> GgufFile.ofSplits(List.of(first,
                part(1, 2, 3, "b")))).getMessage().contains("tensor name 'b' of part 2: also in an earlier part"));
        assertTrue(assertThrows(GgufFormatException.class, () -> GgufFile.ofSplits(List.of(first,
                part(1, 2, 3, "c", "d")))).getMessage().contains("split.tensors.count: 3 (expected: 4"));
        assertThrows(IllegalArgumentException.class, () -> GgufFile.ofSplits(List.of()));
    }
}
