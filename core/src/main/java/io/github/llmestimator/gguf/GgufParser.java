package io.github.llmestimator.gguf;

import io.github.llmestimator.quant.TensorType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a GGUF header (magic, version, counts, metadata, tensor table) with the checks of ggml's
 * {@code gguf_init_from_file_impl} ({@code ggml/src/gguf.cpp}), each failure a {@link GgufFormatException} naming the
 * byte offset.
 */
final class GgufParser {

    private static final byte[] MAGIC = {'G', 'G', 'U', 'F'};
    /** Fewest bytes of a metadata entry: key length, a one-byte key, type id, a one-byte value. */
    private static final long MIN_ENTRY_BYTES = 8 + 1 + 4 + 1;
    /** Fewest bytes of a tensor-table entry: name length, dimension count, type id, offset. */
    private static final long MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;

    private final GgufInput in;
    private int keptElements;

    private GgufParser(GgufInput in) {
        this.in = in;
    }

    static GgufFile parse(GgufInput in) throws IOException {
        return new GgufParser(in).parse();
    }

    private GgufFile parse() throws IOException {
        for (int i = 0; i < MAGIC.length; i++) {
            int b = in.readU8("magic");
            if (b != MAGIC[i]) {
                throw new GgufFormatException(i, "magic byte " + i + ": 0x" + Integer.toHexString(b)
                        + " (expected: 0x" + Integer.toHexString(MAGIC[i]) + ", the file to start with 'GGUF')");
            }
        }
        long version = in.readU32("version");
        checkVersion(version);
        long at = in.position();
        long tensorCount = in.readI64("tensor count");
        long entryCount = in.readI64("metadata entry count");
        in.requireFits(at, "tensor count", tensorCount, 1);
        if (tensorCount > GgufFile.MAX_TENSORS) {
            throw new GgufFormatException(at, "tensor count: " + tensorCount + " (expected: at most "
                    + GgufFile.MAX_TENSORS + ")");
        }
        in.requireFits(at + 8, "metadata entry count", entryCount, MIN_ENTRY_BYTES);
        if (entryCount > GgufFile.MAX_METADATA_ENTRIES) {
            throw new GgufFormatException(at + 8, "metadata entry count: " + entryCount + " (expected: at most "
                    + GgufFile.MAX_METADATA_ENTRIES + ")");
        }
        List<GgufKeyValue> metadata = readMetadata((int) entryCount);
        Map<String, GgufKeyValue> byKey = new HashMap<>(metadata.size() * 2);
        for (GgufKeyValue entry : metadata) {
            byKey.put(entry.key(), entry);
        }
        int alignment = alignment(byKey.get(GgufFile.ALIGNMENT_KEY));
        in.requireFits(at, "tensor count (after the metadata)", tensorCount, MIN_TENSOR_INFO_BYTES);
        List<GgufTensorInfo> tensors = new ArrayList<>((int) Math.min(tensorCount, 4096));
        Map<String, GgufTensorInfo> byName = new HashMap<>((int) Math.min(tensorCount, 4096) * 2);
        long expectedOffset = 0;
        long totalElements = 0;
        for (long i = 0; i < tensorCount; i++) {
            GgufTensorInfo tensor = readTensorInfo(expectedOffset, alignment);
            GgufTensorInfo previous = byName.putIfAbsent(tensor.name(), tensor);
            if (previous != null) {
                throw new GgufFormatException(tensor.infoOffset(), "tensor name '" + tensor.name()
                        + "': duplicate (expected: each name once; first at byte " + previous.infoOffset() + ")");
            }
            tensors.add(tensor);
            if (totalElements > Long.MAX_VALUE - tensor.elements()) {
                throw new GgufFormatException(tensor.infoOffset(), "parameters up to tensor '" + tensor.name()
                        + "': overflow (expected: a total below 2^63 elements)");
            }
            totalElements += tensor.elements();
            long padded = pad(tensor.bytes(), alignment);
            if (padded < 0 || expectedOffset > Long.MAX_VALUE - padded) {
                throw new GgufFormatException(tensor.infoOffset(), "data size after tensor '" + tensor.name()
                        + "': overflow (expected: a total below 2^63 bytes)");
            }
            expectedOffset += padded;
        }
        long headerBytes = in.position();
        if (headerBytes > GgufFile.MAX_HEADER_BYTES) {
            throw new GgufFormatException(headerBytes, "header size: " + headerBytes + " (expected: at most "
                    + GgufFile.MAX_HEADER_BYTES + " bytes)");
        }
        long dataOffset = tensorCount > 0 ? pad(headerBytes, alignment) : headerBytes;
        return new GgufFile((int) version, alignment, metadata, byKey, tensors, byName, headerBytes, dataOffset,
                expectedOffset);
    }

    private static void checkVersion(long version) throws GgufFormatException {
        if (version == 2 || version == 3) {
            return;
        }
        String problem;
        if (version == 0) {
            problem = "version: 0 (expected: 2 or 3)";
        } else if ((version & 0xFFFF) == 0) {
            problem = "version: " + version + " (expected: 2 or 3; a big-endian file, which this reader does not"
                    + " read, stores version " + Long.reverseBytes(version << 32) + " this way)";
        } else if (version == 1) {
            problem = "version: 1 (expected: 2 or 3; GGUF v1, with 32-bit counts, is no longer read by ggml or here)";
        } else {
            problem = "version: " + version + " (expected: 2 or 3, the versions this reader knows)";
        }
        throw new GgufFormatException(4, problem);
    }

    private List<GgufKeyValue> readMetadata(int count) throws IOException {
        List<GgufKeyValue> entries = new ArrayList<>(Math.min(count, 1024));
        Map<String, Long> seen = new HashMap<>(Math.min(count, 1024) * 2);
        for (int i = 0; i < count; i++) {
            long at = in.position();
            String key = in.readString(GgufFile.MAX_KEY_BYTES, "key");
            if (key.isEmpty()) {
                throw new GgufFormatException(at, "key of metadata entry " + i + ": '' (expected: a non-empty key)");
            }
            // the key as messages show it: the key itself unless it is long or holds non-printable characters
            String shown = GgufFormatException.shown(key);
            Long first = seen.putIfAbsent(key, at);
            if (first != null) {
                throw new GgufFormatException(at, "key '" + shown + "': duplicate (expected: each key once; first at"
                        + " byte " + first + ")");
            }
            GgufValueType type = valueType(in.position(), in.readI32("type of " + shown), shown);
            entries.add(new GgufKeyValue(key, readValue(type, shown), at));
        }
        return entries;
    }

    /** Reads a value type id; {@code key} here and below is the key as messages show it. */
    private static GgufValueType valueType(long at, int id, String key) throws GgufFormatException {
        Optional<GgufValueType> type = GgufValueType.ofId(id);
        if (type.isEmpty()) {
            throw new GgufFormatException(at, "type of '" + key + "': " + Integer.toUnsignedString(id)
                    + " (expected: a GGUF value type id, 0 to 12)");
        }
        return type.get();
    }

    private GgufValue readValue(GgufValueType type, String key) throws IOException {
        switch (type) {
            case UINT8:
                return new GgufValue.IntegerValue(type, in.readU8(key));
            case INT8:
                return new GgufValue.IntegerValue(type, (byte) in.readU8(key));
            case UINT16:
                return new GgufValue.IntegerValue(type, in.readU16(key));
            case INT16:
                return new GgufValue.IntegerValue(type, in.readI16(key));
            case UINT32:
                return new GgufValue.IntegerValue(type, in.readU32(key));
            case INT32:
                return new GgufValue.IntegerValue(type, in.readI32(key));
            case UINT64:
            case INT64:
                return new GgufValue.IntegerValue(type, in.readI64(key));
            case FLOAT32:
                return new GgufValue.FloatValue(type, in.readF32(key));
            case FLOAT64:
                return new GgufValue.FloatValue(type, in.readF64(key));
            case BOOL:
                return new GgufValue.BoolValue(in.readU8(key) != 0);
            case STRING:
                return new GgufValue.StringValue(in.readString(GgufFile.MAX_STRING_BYTES, "value of '" + key + "'"));
            default:
                return readArray(key);
        }
    }

    private GgufValue readArray(String key) throws IOException {
        long at = in.position();
        GgufValueType elementType = valueType(at, in.readI32("element type of " + key), key);
        if (elementType == GgufValueType.ARRAY) {
            throw new GgufFormatException(at, "element type of '" + key
                    + "': ARRAY (expected: a non-array type; ggml reads no nested arrays)");
        }
        long length = in.readI64("length of " + key);
        String what = "length of array '" + key + "'";
        in.requireFits(at + 4, what, length, elementType.minimumBytes());
        if (length <= GgufFile.MAX_KEPT_ARRAY_ELEMENTS && keptElements + length <= GgufFile.MAX_KEPT_ELEMENTS_TOTAL) {
            keptElements += (int) length;
            List<GgufValue> elements = new ArrayList<>((int) length);
            for (long i = 0; i < length; i++) {
                elements.add(readValue(elementType, key));
            }
            return new GgufValue.ArrayValue(elementType, length, elements);
        }
        if (elementType.isFixedSize()) {
            in.skip(length * elementType.minimumBytes(), "elements of '" + key + "'");
        } else {
            // one message for every element: no allocation per skipped string
            String element = "a string element of '" + key + "'";
            for (long i = 0; i < length; i++) {
                in.skipString(GgufFile.MAX_STRING_BYTES, element);
            }
        }
        return new GgufValue.ArrayValue(elementType, length, List.of());
    }

    private static int alignment(GgufKeyValue entry) throws GgufFormatException {
        if (entry == null) {
            return GgufFile.DEFAULT_ALIGNMENT;
        }
        GgufValue value = entry.value();
        if (value.type() != GgufValueType.UINT32) {
            throw new GgufFormatException(entry.offset(), GgufFile.ALIGNMENT_KEY + ": "
                    + GgufFormatException.shown(value) + " of type " + value.type()
                    + " (expected: UINT32, as ggml reads it)");
        }
        long alignment = ((GgufValue.IntegerValue) value).value();
        if (alignment == 0 || Long.bitCount(alignment) != 1 || alignment > (1 << 30)) {
            throw new GgufFormatException(entry.offset(), GgufFile.ALIGNMENT_KEY + ": " + alignment
                    + " (expected: a power of two, at most 2^30)");
        }
        return (int) alignment;
    }

    private GgufTensorInfo readTensorInfo(long expectedOffset, int alignment) throws IOException {
        long at = in.position();
        String name = in.readString(GgufFile.MAX_TENSOR_NAME_BYTES, "tensor name");
        try {
            return readTensorShapeTypeAndOffset(name, at, expectedOffset, alignment);
        } catch (GgufFormatException e) {
            // the reads name what they read without the tensor, so that no message is built unless one is thrown
            throw new GgufFormatException(e.offset(), "tensor '" + name + "': " + e.problem(), e.isTruncated());
        }
    }

    private GgufTensorInfo readTensorShapeTypeAndOffset(String name, long at, long expectedOffset, int alignment)
            throws IOException {
        long dimensionsAt = in.position();
        long dimensionCount = in.readU32("dimension count");
        if (dimensionCount > GgufTensorInfo.MAX_DIMENSIONS) {
            throw new GgufFormatException(dimensionsAt, "dimension count: " + dimensionCount
                    + " (expected: 0 to " + GgufTensorInfo.MAX_DIMENSIONS + ", ggml's GGML_MAX_DIMS)");
        }
        Long[] shape = new Long[(int) dimensionCount];
        long elements = 1;
        for (int d = 0; d < shape.length; d++) {
            long dimAt = in.position();
            long dimension = in.readI64("dimension");
            if (dimension < 1) {
                throw new GgufFormatException(dimAt, "dimension " + d + ": " + Long.toUnsignedString(dimension)
                        + " (expected: >= 1)");
            }
            if (elements > Long.MAX_VALUE / dimension) {
                throw new GgufFormatException(dimAt, "dimension " + d + ": " + dimension
                        + " (expected: an element count below 2^63, not " + elements + " times this)");
            }
            elements *= dimension;
            shape[d] = dimension;
        }
        long typeAt = in.position();
        int typeId = in.readI32("type");
        Optional<TensorType> type = TensorType.ofGgmlId(typeId);
        if (type.isEmpty()) {
            throw new GgufFormatException(typeAt, "type: " + Integer.toUnsignedString(typeId)
                    + " (expected: the id of a ggml type, 0 to 42 without the removed ids 4, 5, 31-33 and 36-38)");
        }
        TensorType t = type.get();
        long rowLength = shape.length == 0 ? 1 : shape[0];
        if (rowLength % t.blockSize() != 0) {
            throw new GgufFormatException(typeAt, "row length: " + rowLength + " (expected: a multiple of "
                    + t.blockSize() + ", the block size of " + t + ")");
        }
        long blocks = elements / t.blockSize();
        if (blocks > (Long.MAX_VALUE - alignment) / t.bytesPerBlock()) {
            throw new GgufFormatException(typeAt, "size: " + blocks + " blocks of " + t.bytesPerBlock()
                    + " bytes (expected: a size below 2^63 bytes)");
        }
        long offsetAt = in.position();
        long offset = in.readI64("data offset");
        if (offset != expectedOffset) {
            throw new GgufFormatException(offsetAt, "data offset: " + Long.toUnsignedString(offset) + " (expected: "
                    + expectedOffset + ", the end of the previous tensor padded to the alignment of " + alignment
                    + ", as ggml requires)");
        }
        return new GgufTensorInfo(name, List.of(shape), t, offset, at);
    }

    static long pad(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
