package io.github.llmestimator.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.TensorType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The header reader on valid and malformed input. Offsets are worked by hand from the layout: magic at 0, version at
 * 4, tensor count at 8, metadata entry count at 16, the first entry at 24; an entry is an 8-byte key length, the key,
 * a 4-byte type id and the value; a tensor entry is an 8-byte name length, the name, a 4-byte dimension count, 8 bytes
 * per dimension, a 4-byte type id and an 8-byte data offset.
 */
final class GgufFileTest {

    /** Little-endian raw bytes, for headers no writer would produce. */
    private static final class Raw {
        private final ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

        Raw magic() {
            b.put(new byte[] {'G', 'G', 'U', 'F'});
            return this;
        }

        Raw u8(int v) {
            b.put((byte) v);
            return this;
        }

        Raw u32(int v) {
            b.putInt(v);
            return this;
        }

        Raw u64(long v) {
            b.putLong(v);
            return this;
        }

        Raw str(String s) {
            byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            b.putLong(utf8.length);
            b.put(utf8);
            return this;
        }

        /** Appends zero bytes, so that a channel's size does not end the header before the byte under test. */
        Raw pad(int n) {
            b.put(new byte[n]);
            return this;
        }

        /** Magic, version 3 and the two counts. */
        Raw header(long tensors, long entries) {
            return magic().u32(3).u64(tensors).u64(entries);
        }

        byte[] bytes() {
            return Arrays.copyOf(b.array(), b.position());
        }
    }

    private static GgufFormatException failsFromStream(byte[] bytes) {
        return assertThrows(GgufFormatException.class, () -> GgufFile.read(new ByteArrayInputStream(bytes)));
    }

    private static GgufFormatException failsFromChannel(byte[] bytes) {
        return assertThrows(GgufFormatException.class, () -> GgufFile.read(new ByteArrayChannel(bytes)));
    }

    /** Both inputs fail at the same offset; returns the stream's exception. */
    private static GgufFormatException fails(byte[] bytes, long offset) {
        GgufFormatException stream = failsFromStream(bytes);
        GgufFormatException channel = failsFromChannel(bytes);
        assertEquals(offset, stream.offset(), stream.getMessage());
        assertEquals(offset, channel.offset(), channel.getMessage());
        assertTrue(stream.getMessage().startsWith("at byte " + offset + ": "), stream.getMessage());
        return stream;
    }

    @Test
    void read_minimalHeader() throws IOException {
        GgufFile file = GgufFile.read(new ByteArrayInputStream(new Raw().header(0, 0).bytes()));
        assertEquals(3, file.version());
        assertEquals(32, file.alignment());
        assertEquals(24, file.headerBytes());
        assertEquals(24, file.dataOffset(), "no tensors, no padding");
        assertEquals(0, file.tensorBytes());
    }

    @Test
    void read_versionTwo_readsAsThree() throws IOException {
        ModelSpec spec = GgufTestModels.qwen3Next();
        GgufWriter w = GgufWriter.forModel(spec, QuantScheme.Q8_0.assign(spec));
        GgufModel v2 = GgufModel.read(new ByteArrayInputStream(w.version(2).toBytes()));
        assertEquals(2, v2.file().version());
        assertEquals(spec, v2.requireSpec());
    }

    /** Every value type, kept, with its exact value. */
    @Test
    void read_everyValueType() throws IOException {
        byte[] bytes = new Raw().header(0, 14)
                .str("u8").u32(0).u8(200).str("i8").u32(1).u8(0x80).str("u16").u32(2).u8(0xFF).u8(0xFF)
                .str("i16").u32(3).u8(0xFE).u8(0xFF).str("u32").u32(4).u32(-1).str("i32").u32(5).u32(-7)
                .str("f32").u32(6).u32(Float.floatToIntBits(1.5f)).str("b").u32(7).u8(1).str("s").u32(8).str("héllo")
                .str("u64").u32(10).u64(-1).str("i64").u32(11).u64(-2).str("f64").u32(12)
                .u64(Double.doubleToLongBits(-0.25)).str("arr").u32(9).u32(4).u64(3).u32(10).u32(20).u32(30)
                .str("strs").u32(9).u32(8).u64(2).str("a").str("bc").bytes();
        GgufFile file = GgufFile.read(new ByteArrayInputStream(bytes));
        assertEquals(new GgufValue.IntegerValue(GgufValueType.UINT8, 200), file.value("u8").orElseThrow());
        assertEquals(new GgufValue.IntegerValue(GgufValueType.INT8, -128), file.value("i8").orElseThrow());
        assertEquals(new GgufValue.IntegerValue(GgufValueType.UINT16, 65535), file.value("u16").orElseThrow());
        assertEquals(new GgufValue.IntegerValue(GgufValueType.INT16, -2), file.value("i16").orElseThrow());
        assertEquals(new GgufValue.IntegerValue(GgufValueType.UINT32, 4_294_967_295L), file.value("u32").orElseThrow());
        assertEquals(new GgufValue.IntegerValue(GgufValueType.INT32, -7), file.value("i32").orElseThrow());
        assertEquals(new GgufValue.FloatValue(GgufValueType.FLOAT32, 1.5), file.value("f32").orElseThrow());
        assertEquals(new GgufValue.BoolValue(true), file.value("b").orElseThrow());
        assertEquals("héllo", file.string("s").orElseThrow());
        assertEquals("18446744073709551615", file.value("u64").orElseThrow().toString());
        assertTrue(file.count("u64").isEmpty(), "above Long.MAX_VALUE");
        assertEquals(new GgufValue.IntegerValue(GgufValueType.INT64, -2), file.value("i64").orElseThrow());
        assertEquals(new GgufValue.FloatValue(GgufValueType.FLOAT64, -0.25), file.value("f64").orElseThrow());
        GgufValue.ArrayValue arr = assertInstanceOf(GgufValue.ArrayValue.class, file.value("arr").orElseThrow());
        assertEquals(List.of(new GgufValue.IntegerValue(GgufValueType.UINT32, 10),
                new GgufValue.IntegerValue(GgufValueType.UINT32, 20),
                new GgufValue.IntegerValue(GgufValueType.UINT32, 30)), arr.elements());
        assertEquals(List.of(new GgufValue.StringValue("a"), new GgufValue.StringValue("bc")),
                ((GgufValue.ArrayValue) file.value("strs").orElseThrow()).elements());
        assertEquals(14, file.metadata().size());
        assertEquals(24, file.metadata().get(0).offset());
        // entry 0: 8 + 2 ("u8") + 4 + 1 = 15 bytes, so entry 1 starts at 39
        assertEquals(39, file.metadata().get(1).offset());
    }

    /** Arrays of more than 4096 elements are checked and skipped: 5000 strings and 5000 floats. */
    @Test
    void read_longArraysAreSkipped() throws IOException {
        byte[] bytes = new GgufWriter().stringArray("tokens", 5000, i -> "t" + i).f32Array("scores", 5000)
                .u32("after", 42).toBytes();
        GgufFile file = GgufFile.read(new ByteArrayInputStream(bytes));
        GgufValue.ArrayValue tokens = (GgufValue.ArrayValue) file.value("tokens").orElseThrow();
        assertEquals(5000, tokens.length());
        assertFalse(tokens.isKept());
        assertEquals(42, file.count("after").getAsLong());
    }

    /** A stream of exactly the header, without the padding before the data: a ranged download's first bytes. */
    @Test
    void read_streamOfTheHeaderOnly() throws IOException {
        byte[] full = new GgufWriter().u32("a", 1).tensor("t", TensorType.F32, 3).toBytes(true);
        GgufFile file = GgufFile.read(new ByteArrayInputStream(full));
        byte[] headerOnly = Arrays.copyOf(full, (int) file.headerBytes());
        assertEquals(file.tensors(), GgufFile.read(new ByteArrayInputStream(headerOnly)).tensors());
        // header: 24 + entry (8 + 1 + 4 + 4 = 17) + tensor (8 + 1 + 4 + 8 + 4 + 8 = 33) = 74 B, padded to 96
        assertEquals(74, file.headerBytes());
        assertEquals(96, file.dataOffset());
        assertEquals(12, file.tensorBytes());
        assertEquals(32, file.dataBytes());
        assertEquals(128, file.fileBytes());
    }

    /** Every proper prefix of a header is a truncation, named at an offset within the prefix. */
    @Test
    void read_everyTruncation_failsAsTruncated() throws IOException {
        ModelSpec spec = GgufTestModels.nemotronH();
        byte[] full = GgufWriter.forModel(spec, QuantScheme.Q8_0.assign(spec), false).toBytes();
        long header = GgufFile.read(new ByteArrayInputStream(full)).headerBytes();
        for (int length = 0; length < header; length++) {
            byte[] prefix = Arrays.copyOf(full, length);
            for (GgufFormatException e : List.of(failsFromStream(prefix), failsFromChannel(prefix))) {
                assertTrue(e.isTruncated(), e.getMessage());
                assertTrue(e.offset() <= length, e.getMessage());
            }
        }
    }

    @Test
    void magic_wrong() {
        byte[] bytes = new Raw().magic().u32(3).u64(0).u64(0).bytes();
        bytes[2] = 'M';
        assertTrue(fails(bytes, 2).problem().contains("'GGUF'"));
    }

    @Test
    void version_one() {
        assertTrue(fails(new Raw().magic().u32(1).u64(0).u64(0).bytes(), 4).problem().contains("v1"));
    }

    @Test
    void version_four() {
        assertTrue(fails(new Raw().magic().u32(4).u64(0).u64(0).bytes(), 4).problem().startsWith("version: 4"));
    }

    /** A big-endian version-3 file stores 00 00 00 03, read little-endian as 0x03000000 = 50,331,648. */
    @Test
    void version_bigEndian() {
        byte[] bytes = new Raw().magic().u8(0).u8(0).u8(0).u8(3).u64(0).u64(0).bytes();
        String problem = fails(bytes, 4).problem();
        assertTrue(problem.contains("50331648") && problem.contains("big-endian") && problem.contains("version 3"),
                problem);
    }

    @Test
    void counts_truncatedAfterVersion() {
        GgufFormatException e = fails(Arrays.copyOf(new Raw().header(0, 0).bytes(), 10), 8);
        assertTrue(e.isTruncated());
    }

    /** 2^62 tensors cannot fit: from a channel the bytes left say so, from a stream the header limit does. */
    @Test
    void tensorCount_absurd() {
        byte[] bytes = new Raw().header(1L << 62, 0).bytes();
        assertTrue(failsFromChannel(bytes).isTruncated());
        GgufFormatException stream = fails(bytes, 8);
        assertFalse(stream.isTruncated());
        assertTrue(stream.problem().contains("limit"), stream.problem());
    }

    /** More tensors than the stated limit: the stream has room (the header limit), the count limit stops it. */
    @Test
    void tensorCount_aboveLimit() {
        GgufFormatException e = failsFromStream(new Raw().header(GgufFile.MAX_TENSORS + 1, 0).bytes());
        assertEquals(8, e.offset());
        assertTrue(e.problem().contains("at most " + GgufFile.MAX_TENSORS), e.problem());
    }

    @Test
    void entryCount_aboveLimit() {
        GgufFormatException e = failsFromStream(new Raw().header(0, GgufFile.MAX_METADATA_ENTRIES + 1).bytes());
        assertEquals(16, e.offset());
    }

    /** 17 arrays of 4096 bytes: 16 are kept (65,536 elements in all), the 17th only checked. */
    @Test
    void arrays_keptUpToTheTotal() throws IOException {
        GgufWriter w = new GgufWriter();
        for (int i = 0; i < 17; i++) {
            w.boolArray("a" + i, new boolean[4096]);
        }
        GgufFile file = GgufFile.read(new ByteArrayInputStream(w.toBytes()));
        assertTrue(((GgufValue.ArrayValue) file.value("a15").orElseThrow()).isKept());
        GgufValue.ArrayValue last = (GgufValue.ArrayValue) file.value("a16").orElseThrow();
        assertFalse(last.isKept());
        assertEquals(4096, last.length());
    }

    @Test
    void entryCount_negative() {
        assertEquals(16, failsFromChannel(new Raw().header(0, -1).bytes()).offset());
    }

    @Test
    void key_lengthAbsurd() {
        byte[] bytes = new Raw().header(0, 1).u64(1L << 40).pad(16).bytes();
        assertTrue(fails(bytes, 24).problem().contains("at most 65535"));
    }

    @Test
    void key_empty() {
        fails(new Raw().header(0, 1).str("").u32(4).u32(1).bytes(), 24);
    }

    /** Entry 1 at 24 is 8 + 1 + 4 + 4 = 17 bytes: the duplicate starts at 41. */
    @Test
    void key_duplicate() {
        byte[] bytes = new Raw().header(0, 2).str("a").u32(4).u32(1).str("a").u32(4).u32(2).bytes();
        assertTrue(fails(bytes, 41).problem().contains("first at byte 24"));
    }

    /** A key's control characters are escaped in the message, as Java writes them (before: raw bytes). */
    @Test
    void key_controlCharactersEscaped() {
        String key = "a\u0007\nb\u202E";
        byte[] bytes = new Raw().header(0, 2).str(key).u32(4).u32(1).str(key).u32(4).u32(2).bytes();
        // entry 0 at 24: 8 + 7 UTF-8 bytes of the key (a, BEL, LF, b, and 3 for U+202E) + 4 + 4 = 23; entry 1 at 47
        GgufFormatException e = fails(bytes, 47);
        assertEquals("key 'a\\u0007\\u000Ab\\u202E': duplicate (expected: each key once; first at byte 24)",
                e.problem());
        assertEquals("at byte 47: " + e.problem(), e.getMessage());
    }

    /** A long key is shown up to 120 characters and its length (before: all of it, up to 65,535 bytes). */
    @Test
    void key_longShownBounded() {
        String key = "k".repeat(2000);
        byte[] bytes = new Raw().header(0, 2).str(key).u32(4).u32(1).str(key).u32(4).u32(2).bytes();
        GgufFormatException e = fails(bytes, 24 + 8 + 2000 + 4 + 4);
        assertEquals("key '" + "k".repeat(120) + "... (2000 characters)': duplicate (expected: each key once; first at"
                + " byte 24)", e.problem());
    }

    /** The type id follows the key: 24 + 8 + 1 = 33. */
    @Test
    void valueType_unknown() {
        fails(new Raw().header(0, 1).str("a").u32(13).u32(0).bytes(), 33);
    }

    /** The element type follows the array's type id: 33 + 4 = 37. */
    @Test
    void array_nested() {
        fails(new Raw().header(0, 1).str("a").u32(9).u32(9).u64(1).bytes(), 37);
    }

    /** 2^40 one-byte elements after the element type (37) and count (41..48). */
    @Test
    void array_countAbsurd() {
        fails(new Raw().header(0, 1).str("a").u32(9).u32(0).u64(1L << 40).bytes(), 41);
    }

    /** The string's length is at 37; its bytes would start at 45. */
    @Test
    void string_longerThanTheBytesLeft() {
        GgufFormatException e = fails(new Raw().header(0, 1).str("a").u32(8).u64(1000).u8('x').bytes(), 45);
        assertTrue(e.isTruncated());
    }

    @Test
    void alignment_notPowerOfTwo() {
        fails(new Raw().header(0, 1).str("general.alignment").u32(4).u32(48).bytes(), 24);
    }

    @Test
    void alignment_notUint32() {
        fails(new Raw().header(0, 1).str("general.alignment").u32(10).u64(64).bytes(), 24);
    }

    @Test
    void alignment_64() throws IOException {
        GgufFile file = GgufFile.read(new ByteArrayInputStream(new GgufWriter().alignment(64)
                .tensor("a", TensorType.F32, 5).tensor("b", TensorType.F32, 5).toBytes()));
        assertEquals(64, file.alignment());
        assertEquals(64, file.tensors().get(1).dataOffset(), "20 bytes padded to 64");
        assertEquals(0, file.dataOffset() % 64);
    }

    /** Tensor "t" at 24: name 24..32, dimension count at 33, dimensions from 37. */
    @Test
    void tensor_tooManyDimensions() {
        fails(new Raw().header(1, 0).str("t").u32(5).pad(16).bytes(), 33);
    }

    @Test
    void tensor_zeroDimension() {
        fails(new Raw().header(1, 0).str("t").u32(2).u64(32).u64(0).u32(0).u64(0).bytes(), 45);
    }

    @Test
    void tensor_negativeDimension() {
        fails(new Raw().header(1, 0).str("t").u32(1).u64(-5).u32(0).u64(0).bytes(), 37);
    }

    /** 2^32 * 2^32 = 2^64 elements overflow at the second dimension (45). */
    @Test
    void tensor_elementCountOverflows() {
        fails(new Raw().header(1, 0).str("t").u32(2).u64(1L << 32).u64(1L << 32).u32(0).u64(0).bytes(), 45);
    }

    /** One dimension (37..44), then the type id at 45; 4 was Q4_2, removed. */
    @Test
    void tensor_removedType() {
        fails(new Raw().header(1, 0).str("t").u32(1).u64(32).u32(4).u64(0).bytes(), 45);
    }

    @Test
    void tensor_rowNotMultipleOfBlock() {
        assertTrue(fails(new Raw().header(1, 0).str("t").u32(1).u64(33).u32(2).u64(0).bytes(), 45).problem()
                .contains("multiple of 32"));
    }

    /** The data offset at 49 must be 0 for the first tensor. */
    @Test
    void tensor_wrongDataOffset() {
        fails(new Raw().header(1, 0).str("t").u32(1).u64(32).u32(0).u64(32).bytes(), 49);
    }

    /** F64 [2^61]: 2^61 elements of 8 bytes are 2^64 bytes; the type id is at 24 + 8 + 1 + 4 + 8 = 45. */
    @Test
    void tensor_byteSizeOverflows() {
        fails(new Raw().header(1, 0).str("t").u32(1).u64(1L << 61).u32(28).u64(0).bytes(), 45);
    }

    /** Tensor 0 is 8 + 1 + 4 + 8 + 4 + 8 = 33 bytes: the duplicate starts at 57. */
    @Test
    void tensor_duplicateName() {
        byte[] bytes = new Raw().header(2, 0).str("t").u32(1).u64(8).u32(0).u64(0)
                .str("t").u32(1).u64(8).u32(0).u64(32).bytes();
        fails(bytes, 57);
    }

    @Test
    void tensor_nameTooLong() {
        fails(new Raw().header(1, 0).str("x".repeat(64)).u32(1).u64(8).u32(0).u64(0).bytes(), 24);
    }

    /** 2^40 bytes of one skipped u8 array from a stream: the header limit stops it before any skipping. */
    @Test
    void stream_hugeArrayStopsAtTheLimit() {
        GgufFormatException e = failsFromStream(new Raw().header(0, 1).str("a").u32(9).u32(0).u64(1L << 40).bytes());
        assertEquals(41, e.offset());
        assertTrue(e.problem().contains(Long.toString(GgufFile.MAX_HEADER_BYTES)), e.problem());
    }

    @Test
    void exception_negativeOffsetRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GgufFormatException(-1, "x"));
        assertThrows(NullPointerException.class, () -> new GgufFormatException(0, null));
    }

    @Test
    void values_validateTheirComponents() {
        assertThrows(IllegalArgumentException.class, () -> new GgufValue.IntegerValue(GgufValueType.UINT8, 256));
        assertThrows(IllegalArgumentException.class, () -> new GgufValue.IntegerValue(GgufValueType.STRING, 1));
        assertThrows(IllegalArgumentException.class, () -> new GgufValue.FloatValue(GgufValueType.INT8, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new GgufValue.ArrayValue(GgufValueType.ARRAY, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new GgufValue.ArrayValue(GgufValueType.UINT8, 2,
                List.of(new GgufValue.IntegerValue(GgufValueType.UINT8, 1))));
        assertThrows(IllegalArgumentException.class, () -> new GgufTensorInfo("t", List.of(33L), TensorType.Q4_0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GgufTensorInfo("t", List.of(1L, 1L, 1L, 1L, 1L),
                TensorType.F32, 0, 0));
        assertEquals(GgufValueType.FLOAT64, GgufValueType.ofId(12).orElseThrow());
        assertTrue(GgufValueType.ofId(13).isEmpty());
    }
}
