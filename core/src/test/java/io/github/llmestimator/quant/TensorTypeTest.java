package io.github.llmestimator.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Block sizes, bytes and ids against ggml's type-traits table ({@code ggml/src/ggml.c}). */
final class TensorTypeTest {

    @ParameterizedTest(name = "{0}: id {1}, {2} weights in {3} bytes = {4} bpw")
    @CsvSource({
        "F32, 0, 1, 4, 32", "F16, 1, 1, 2, 16", "Q4_0, 2, 32, 18, 4.5", "Q4_1, 3, 32, 20, 5.0",
        "Q5_0, 6, 32, 22, 5.5", "Q5_1, 7, 32, 24, 6.0", "Q8_0, 8, 32, 34, 8.5", "Q2_K, 10, 256, 84, 2.625",
        "Q3_K, 11, 256, 110, 3.4375", "Q4_K, 12, 256, 144, 4.5", "Q5_K, 13, 256, 176, 5.5",
        "Q6_K, 14, 256, 210, 6.5625", "Q8_K, 15, 256, 292, 9.125", "IQ2_XXS, 16, 256, 66, 2.0625",
        "IQ2_XS, 17, 256, 74, 2.3125", "IQ3_XXS, 18, 256, 98, 3.0625", "IQ1_S, 19, 256, 50, 1.5625",
        "IQ4_NL, 20, 32, 18, 4.5", "IQ3_S, 21, 256, 110, 3.4375", "IQ2_S, 22, 256, 82, 2.5625",
        "IQ4_XS, 23, 256, 136, 4.25", "IQ1_M, 29, 256, 56, 1.75", "BF16, 30, 1, 2, 16", "TQ1_0, 34, 256, 54, 1.6875",
        "TQ2_0, 35, 256, 66, 2.0625", "MXFP4, 39, 32, 17, 4.25", "NVFP4, 40, 64, 36, 4.5", "Q1_0, 41, 128, 18, 1.125",
        "Q2_0, 42, 64, 18, 2.25"
    })
    void ggmlTable(TensorType type, int id, int block, int bytes, double bitsPerWeight) {
        assertEquals(OptionalInt.of(id), type.ggmlId());
        assertEquals(block, type.blockSize());
        assertEquals(bytes, type.bytesPerBlock());
        assertEquals(bitsPerWeight, type.bitsPerWeight(), 0.0);
        assertEquals(type, TensorType.ofGgmlId(id).orElseThrow());
    }

    @Test
    void ofGgmlId_removedTypes() {
        for (int id : new int[] {4, 5, 31, 32, 33, 36, 37, 38, 43, -1}) {
            assertTrue(TensorType.ofGgmlId(id).isEmpty(), "id " + id);
        }
    }

    @Test
    void rowBytes_q4K() {
        // 4096 weights = 16 super-blocks of 144 bytes
        assertEquals(2304, TensorType.Q4_K.rowBytes(4096));
        assertEquals(2304L * 14336, TensorType.Q4_K.tensorBytes(4096, 14336));
    }

    @Test
    void rowBytes_notMultipleOfBlock() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorType.Q4_K.rowBytes(128));
        assertEquals("rowLength: 128 (expected: a positive multiple of 256 for Q4_K)", e.getMessage());
        assertFalse(TensorType.Q8_0.acceptsRowLength(0));
        assertThrows(IllegalArgumentException.class, () -> TensorType.F16.tensorBytes(16, 0));
    }

    @Test
    void tensorBytes_overflow() {
        // an F32 row of 2^40 elements is 2^42 bytes; (2^63 - 1) / 2^42 = 2097151 rows fit a long
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorType.F32.tensorBytes(1L << 40, 1L << 30));
        assertEquals("rows: 1073741824 (expected: 1 to 2097151, so that rows of 4398046511104 bytes fit a long)",
                e.getMessage());
        assertEquals(2097151L << 42, TensorType.F32.tensorBytes(1L << 40, 2097151));
    }

    @Test
    void ofName_caseInsensitive() {
        assertEquals(TensorType.Q4_K, TensorType.ofName("q4_k"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorType.ofName("Q4_KM"));
        assertTrue(e.getMessage().startsWith("tensor type: 'Q4_KM' (expected one of [F32, F16"), e.getMessage());
    }

    @Test
    void groupQuantized_awqInt4() {
        // per group of 128: 128 x 4 bits + fp16 scale + 4-bit zero = 532 bits -> 4.15625 bits per weight
        assertEquals(4.15625, GroupQuantizedType.INT4_G128.bitsPerWeight(), 0.0);
        // 4096 x 4096 matrix: 32 groups per row x 4096 rows x 532 bits / 8
        assertEquals(32L * 4096 * 532 / 8, GroupQuantizedType.INT4_G128.tensorBytes(4096, 4096));
        assertEquals("INT4_G128", GroupQuantizedType.INT4_G128.label());
        assertThrows(IllegalArgumentException.class, () -> new GroupQuantizedType(5, 128, true));
        assertThrows(IllegalArgumentException.class, () -> new GroupQuantizedType(4, 100, true));
        assertThrows(IllegalArgumentException.class, () -> GroupQuantizedType.INT4_G128.tensorBytes(64, 1));
    }

    /** The FP8 types are checkpoint types: no GGUF file holds them, so they have no ggml id. */
    @Test
    void fp8HasNoGgmlId() {
        assertEquals(OptionalInt.empty(), TensorType.FP8_E4M3.ggmlId());
        assertEquals(OptionalInt.empty(), TensorType.FP8_E5M2.ggmlId());
    }
}
