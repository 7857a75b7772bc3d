package io.github.llmestimator.gguf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The header of a GGUF file (version 2 or 3, little-endian): its metadata and its tensor table, read without reading
 * any tensor data.
 *
 * <p>Read one from a {@link Path}, a {@link SeekableByteChannel} or an {@link InputStream}; a stream may hold only the
 * first bytes of a file (a ranged download), and when they end before the header does, the
 * {@link GgufFormatException} says so ({@link GgufFormatException#isTruncated()}), so the caller can fetch more:
 * <pre>{@code
 * GgufFile header = GgufFile.read(Path.of("Qwen3-8B-Q4_K_M.gguf"));
 * long weightBytes = header.tensorBytes();
 * }</pre>
 *
 * <p>The reader applies ggml's own checks ({@code ggml/src/gguf.cpp}): the magic {@code GGUF}; version 2 or 3 (a
 * big-endian file shows up as a huge version and is named as such); counts and lengths no larger than the bytes left;
 * keys and tensor names unique; value and tensor types known; no nested arrays; at most four dimensions, each at least
 * 1 (ggml also allows 0, which no model holds), with an element count and a byte size below 2^63; a row length that is
 * a multiple of the type's block; {@code general.alignment} a {@code UINT32} power of two; and each tensor's data offset
 * equal to the end of the previous tensor padded to the alignment. Beyond ggml it bounds the header by
 * {@link #MAX_HEADER_BYTES}, {@link #MAX_METADATA_ENTRIES} and {@link #MAX_TENSORS}, so that no count can make it read or
 * skip without end, checks every count against the bytes left before it allocates for it, and keeps arrays only up
 * to {@link #MAX_KEPT_ARRAY_ELEMENTS} elements each and {@link #MAX_KEPT_ELEMENTS_TOTAL} in all.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class GgufFile {

    /** The metadata key of the data alignment ({@code GGUF_KEY_GENERAL_ALIGNMENT}). */
    public static final String ALIGNMENT_KEY = "general.alignment";

    /** ggml's {@code GGUF_DEFAULT_ALIGNMENT}: the alignment of tensor data when the file does not state one. */
    public static final int DEFAULT_ALIGNMENT = 32;

    /**
     * The largest header this reader reads, in bytes: 64 MiB. Real headers take a few MB (the tokenizer's vocabulary
     * and merges make up most of them: about 6 MB for a 262,144-token Gemma 3 vocabulary), so this bounds what a
     * hostile count can make the reader skip through, and the memory the strings it keeps can take.
     */
    public static final long MAX_HEADER_BYTES = 64L << 20;

    /** The most metadata entries a header may hold: real files have 20 to 60. */
    public static final int MAX_METADATA_ENTRIES = 65_536;

    /**
     * The most tensors a header may hold: llama.cpp's largest models have under 3,000, old files with one tensor per
     * expert up to about 45,000.
     */
    public static final int MAX_TENSORS = 131_072;

    /**
     * Arrays longer than this are checked but not kept: 4096 is more than any per-layer array (llama.cpp allows 512
     * layers) and fewer than any real tokenizer's vocabulary, whose tokens, scores and merges are not needed to size a
     * model.
     */
    public static final int MAX_KEPT_ARRAY_ELEMENTS = 4096;

    /**
     * The most array elements kept over the whole header; arrays that would go beyond are checked but not kept. Real
     * files keep a few thousand (per-layer arrays); the bound keeps a hostile header of many short arrays from taking
     * more memory than a few MB.
     */
    public static final int MAX_KEPT_ELEMENTS_TOTAL = 65_536;

    /** The longest key, in bytes, as the GGUF specification bounds it (2^16 - 1). */
    public static final int MAX_KEY_BYTES = 65_535;

    /** The longest tensor name, in bytes: ggml's {@code GGML_MAX_NAME} (64) less the terminating zero. */
    public static final int MAX_TENSOR_NAME_BYTES = 63;

    /** The longest string value, in bytes: ggml's {@code GGUF_MAX_STRING_LENGTH} (1 GiB). */
    public static final long MAX_STRING_BYTES = 1L << 30;

    private final int version;
    private final int alignment;
    private final List<GgufKeyValue> metadata;
    private final Map<String, GgufKeyValue> byKey;
    private final List<GgufTensorInfo> tensors;
    private final Map<String, GgufTensorInfo> byName;
    private final long headerBytes;
    private final long dataOffset;
    private final long dataBytes;
    private final long tensorBytes;

    GgufFile(int version, int alignment, List<GgufKeyValue> metadata, Map<String, GgufKeyValue> byKey,
            List<GgufTensorInfo> tensors, Map<String, GgufTensorInfo> byName, long headerBytes, long dataOffset,
            long dataBytes) {
        this.version = version;
        this.alignment = alignment;
        this.metadata = List.copyOf(metadata);
        this.byKey = Map.copyOf(byKey);
        this.tensors = List.copyOf(tensors);
        this.byName = Map.copyOf(byName);
        this.headerBytes = headerBytes;
        this.dataOffset = dataOffset;
        this.dataBytes = dataBytes;
        long sum = 0;
        for (GgufTensorInfo tensor : this.tensors) {
            sum += tensor.bytes();
        }
        this.tensorBytes = sum;
    }

    /**
     * Reads the header of the GGUF file at the given path. Only the header is read, however large the file.
     *
     * @param path the file, not null
     * @return the header
     * @throws NullPointerException if {@code path} is null
     * @throws GgufFormatException if the file is not a GGUF header this reader can read; the message names the byte
     *     offset and the problem
     * @throws IOException if the file cannot be read
     */
    public static GgufFile read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(channel);
        }
    }

    /**
     * Reads a GGUF header from a channel, starting at its current position, which counts as offset 0. The channel's
     * size bounds every count and length; it is left open, positioned somewhere after the tensor table.
     *
     * @param channel the channel, not null
     * @return the header
     * @throws NullPointerException if {@code channel} is null
     * @throws GgufFormatException if the bytes are not a GGUF header this reader can read
     * @throws IOException if the channel cannot be read
     */
    public static GgufFile read(SeekableByteChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        return GgufParser.parse(GgufInput.of(channel, MAX_HEADER_BYTES));
    }

    /**
     * Reads a GGUF header from a stream, such as the first bytes of a remote file. The stream is read up to the end of
     * the tensor table (and at most 64 KiB further, into a buffer), skipped through where arrays are not kept, and
     * left open.
     *
     * @param in the stream, not null
     * @return the header
     * @throws NullPointerException if {@code in} is null
     * @throws GgufFormatException if the bytes are not a GGUF header this reader can read, or end before the header
     *     does ({@link GgufFormatException#isTruncated()})
     * @throws IOException if the stream cannot be read
     */
    public static GgufFile read(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        return GgufParser.parse(GgufInput.of(in, MAX_HEADER_BYTES));
    }

    /** The metadata key of a split file's part number, from 0 ({@code LLM_KV_SPLIT_NO} in llama.cpp's gguf-split). */
    public static final String SPLIT_NUMBER_KEY = "split.no";

    /** The metadata key of a split file's number of parts ({@code LLM_KV_SPLIT_COUNT}). */
    public static final String SPLIT_COUNT_KEY = "split.count";

    /** The metadata key of a split file's tensor count over all parts ({@code LLM_KV_SPLIT_TENSORS_COUNT}). */
    public static final String SPLIT_TENSORS_KEY = "split.tensors.count";

    /**
     * Joins the headers of a model split into parts, as llama.cpp's {@code gguf-split} writes them
     * ({@code -00001-of-00003.gguf} and so on): the metadata of the first part, which holds the model's keys, and the
     * tensors of every part in order. For the joined header, {@link #headerBytes()}, {@link #dataOffset()} and
     * {@link #dataBytes()} are sums over the parts, so that {@link #fileBytes()} is the size of all parts together.
     * One header alone (no {@code split.*} keys, or a count of 1) is returned as it is.
     *
     * @param parts the parts' headers in order, at least one, not null
     * @return the joined header
     * @throws NullPointerException if {@code parts} or a part is null
     * @throws IllegalArgumentException if there are no parts
     * @throws GgufFormatException if a part's {@code split.no} is not its place, {@code split.count} is not the number
     *     of parts, the first part's {@code split.tensors.count} is not the tensors of all parts, or a tensor name is in
     *     two parts
     */
    public static GgufFile ofSplits(List<GgufFile> parts) throws GgufFormatException {
        Objects.requireNonNull(parts, "parts");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("parts: none (expected: at least one header)");
        }
        GgufFile first = Objects.requireNonNull(parts.get(0), "parts[0]");
        if (parts.size() == 1 && first.count(SPLIT_COUNT_KEY).orElse(1) <= 1) {
            return first;
        }
        List<GgufTensorInfo> tensors = new java.util.ArrayList<>();
        Map<String, GgufTensorInfo> byName = new java.util.HashMap<>();
        long headerBytes = 0;
        long dataOffset = 0;
        long dataBytes = 0;
        for (int i = 0; i < parts.size(); i++) {
            GgufFile part = Objects.requireNonNull(parts.get(i), "parts[" + i + "]");
            requireSplitKey(part, SPLIT_NUMBER_KEY, i, "its place among the parts, from 0");
            requireSplitKey(part, SPLIT_COUNT_KEY, parts.size(), "the number of parts");
            for (GgufTensorInfo tensor : part.tensors) {
                GgufTensorInfo previous = byName.putIfAbsent(tensor.name(), tensor);
                if (previous != null) {
                    throw new GgufFormatException(tensor.infoOffset(), "tensor name '" + tensor.name() + "' of part "
                            + (i + 1) + ": also in an earlier part (expected: each name in one part)");
                }
                tensors.add(tensor);
            }
            headerBytes += part.headerBytes;
            dataOffset += part.dataOffset;
            dataBytes += part.dataBytes;
        }
        requireSplitKey(first, SPLIT_TENSORS_KEY, tensors.size(), "the tensors of all parts");
        return new GgufFile(first.version, first.alignment, first.metadata, first.byKey, tensors, byName, headerBytes,
                dataOffset, dataBytes);
    }

    private static void requireSplitKey(GgufFile part, String key, long expected, String meaning)
            throws GgufFormatException {
        Optional<GgufKeyValue> entry = part.entry(key);
        OptionalLong value = part.count(key);
        if (value.isEmpty() || value.getAsLong() != expected) {
            throw new GgufFormatException(entry.map(GgufKeyValue::offset).orElse(0L), key + ": "
                    + entry.map(e -> GgufFormatException.shown(e.value())).orElse("missing") + " (expected: "
                    + expected + ", " + meaning + ")");
        }
    }

    /**
     * Returns the GGUF version.
     *
     * @return 2 or 3
     */
    public int version() {
        return version;
    }

    /**
     * Returns the alignment of tensor data: {@code general.alignment}, or {@value #DEFAULT_ALIGNMENT}.
     *
     * @return the alignment in bytes, a power of two
     */
    public int alignment() {
        return alignment;
    }

    /**
     * Returns every metadata entry, in file order.
     *
     * @return the entries, an immutable list
     */
    public List<GgufKeyValue> metadata() {
        return metadata;
    }

    /**
     * Returns the metadata entry with the given key.
     *
     * @param key the key, not null
     * @return the entry, or empty when the file has no such key
     * @throws NullPointerException if {@code key} is null
     */
    public Optional<GgufKeyValue> entry(String key) {
        return Optional.ofNullable(byKey.get(Objects.requireNonNull(key, "key")));
    }

    /**
     * Returns the metadata value with the given key.
     *
     * @param key the key, not null
     * @return the value, or empty when the file has no such key
     * @throws NullPointerException if {@code key} is null
     */
    public Optional<GgufValue> value(String key) {
        return entry(key).map(GgufKeyValue::value);
    }

    /**
     * Returns the string value with the given key.
     *
     * @param key the key, not null
     * @return the string, or empty when the file has no such key or its value is not a string
     * @throws NullPointerException if {@code key} is null
     */
    public Optional<String> string(String key) {
        return value(key).filter(v -> v instanceof GgufValue.StringValue)
                .map(v -> ((GgufValue.StringValue) v).value());
    }

    /**
     * Returns the integer value with the given key, if it is between 0 and {@link Long#MAX_VALUE}.
     *
     * @param key the key, not null
     * @return the integer, or empty when the file has no such key, or its value is not a non-negative integer
     * @throws NullPointerException if {@code key} is null
     */
    public OptionalLong count(String key) {
        Optional<GgufValue> value = value(key);
        if (value.isPresent() && value.get() instanceof GgufValue.IntegerValue) {
            GgufValue.IntegerValue integer = (GgufValue.IntegerValue) value.get();
            if (integer.isBetween(0, Long.MAX_VALUE)) {
                return OptionalLong.of(integer.value());
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Returns the tensor table, in file order.
     *
     * @return the tensors, an immutable list
     */
    public List<GgufTensorInfo> tensors() {
        return tensors;
    }

    /**
     * Returns the tensor with the given name.
     *
     * @param name the name, not null
     * @return the tensor, or empty when the file has none of that name
     * @throws NullPointerException if {@code name} is null
     */
    public Optional<GgufTensorInfo> tensor(String name) {
        return Optional.ofNullable(byName.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * Returns the size of the header: the offset just after the tensor table.
     *
     * @return bytes
     */
    public long headerBytes() {
        return headerBytes;
    }

    /**
     * Returns the offset of the data section, defined as {@link #headerBytes()} padded to {@link #alignment()} (or the
     * header size for a file without tensors).
     *
     * @return the offset in bytes
     */
    public long dataOffset() {
        return dataOffset;
    }

    /**
     * Returns the size of the data section, defined as the sum over tensors of their bytes padded to
     * {@link #alignment()}.
     *
     * @return bytes
     */
    public long dataBytes() {
        return dataBytes;
    }

    /**
     * Returns the size of the whole file the header describes, defined as {@code dataOffset() + dataBytes()}.
     *
     * @return bytes
     */
    public long fileBytes() {
        return dataOffset + dataBytes;
    }

    /**
     * Returns the tensor data without padding, defined as the sum of {@link GgufTensorInfo#bytes()}: the figure
     * llama-bench prints as "size".
     *
     * @return bytes
     */
    public long tensorBytes() {
        return tensorBytes;
    }

    @Override
    public String toString() {
        return "GgufFile[v" + version + ", " + metadata.size() + " keys, " + tensors.size() + " tensors, "
                + tensorBytes + " tensor bytes]";
    }
}
