package io.github.llmestimator.hub;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads safetensors headers as the format defines them (https://github.com/huggingface/safetensors, "Format"): 8 bytes,
 * the header length N as a little-endian unsigned 64-bit integer; N bytes of UTF-8 JSON mapping each tensor name to
 * {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the header), plus an optional
 * {@code __metadata__} object; then the tensor data. The JSON is read as a stream and only totals are kept, so memory
 * does not grow with the header.
 */
final class SafetensorsReader {

    /**
     * The longest header read: 100,000,000 bytes, the limit of the reference implementation
     * (https://docs.rs/safetensors/latest/safetensors/tensor/enum.SafeTensorError.html, {@code HeaderTooLarge}).
     */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Bits per element of each dtype the format defines (safetensors' {@code Dtype}). */
    private static final Map<String, Integer> BITS = Map.ofEntries(Map.entry("BOOL", 8), Map.entry("U8", 8),
            Map.entry("I8", 8), Map.entry("F8_E5M2", 8), Map.entry("F8_E4M3", 8), Map.entry("F8_E8M0", 8),
            Map.entry("F4", 4), Map.entry("F6_E2M3", 6), Map.entry("F6_E3M2", 6), Map.entry("I16", 16),
            Map.entry("U16", 16), Map.entry("F16", 16), Map.entry("BF16", 16), Map.entry("I32", 32),
            Map.entry("U32", 32), Map.entry("F32", 32), Map.entry("I64", 64), Map.entry("U64", 64),
            Map.entry("F64", 64), Map.entry("C64", 64));

    private static final String[] METADATA_SUFFIXES = {".qzeros", ".scales", ".g_idx", "_scales", ".weight_scale",
        ".weight_scale_inv", ".weight_scale_2", ".input_scale", ".k_scale", ".v_scale"};

    /** Running totals over the shards. */
    static final class Totals {
        final Map<String, long[]> byDtype = new TreeMap<>();
        long parameters;
        long tensorBytes;
        long fileBytes;
        long tensors;

        Map<String, SafetensorsSummary.DtypeTotals> byDtype() {
            Map<String, SafetensorsSummary.DtypeTotals> result = new TreeMap<>();
            byDtype.forEach((k, v) -> result.put(k, new SafetensorsSummary.DtypeTotals(v[0], v[1], v[2])));
            return result;
        }
    }

    private SafetensorsReader() {
    }

    /**
     * Reads one shard's header from a range reader opened on it and adds its tensors to the totals.
     *
     * @param packedBits the bits of each weight packed into a GPTQ/AWQ {@code qweight} int32
     */
    static void read(RangeReader in, String url, int packedBits, Totals totals) throws IOException {
        in.open();
        long size = in.size();
        byte[] prefix = in.readNBytes(8);
        if (prefix.length < 8) {
            throw new HubException(url, -1, "a file of " + size + " bytes (expected: at least the 8-byte header"
                    + " length of a safetensors file)", null);
        }
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = (n << 8) | (prefix[i] & 0xFF);
        }
        if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
            throw new HubException(url, -1, "header length " + Long.toUnsignedString(n) + " (expected: 2 to "
                    + Math.min(MAX_HEADER_BYTES, size - 8) + " bytes: the safetensors limit of " + MAX_HEADER_BYTES
                    + " and the " + size + "-byte file)", null);
        }
        long dataBytes = size - 8 - n;
        long covered = 0;
        try (JsonParser json = JSON.std.getStreamingFactory().createParser(new Limited(in, n))) {
            json.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            expect(json, json.nextToken(), JsonToken.START_OBJECT, url, "the header");
            for (JsonToken t = json.nextToken(); t != JsonToken.END_OBJECT; t = json.nextToken()) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                expect(json, value, JsonToken.START_OBJECT, url, "'" + name + "'");
                if (name.equals("__metadata__")) {
                    json.skipChildren();
                    continue;
                }
                covered += tensor(json, name, url, dataBytes, packedBits, totals);
            }
            if (json.nextToken() != null) {
                throw new HubException(url, -1, "content after the header's JSON object (expected: spaces only)",
                        null);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HubException(url, -1, "header is not JSON: " + e.getOriginalMessage(), e);
        } catch (ArithmeticException e) {
            throw new HubException(url, -1, "a tensor's size overflows (expected: below 2^63 elements and bytes)", e);
        }
        if (covered != dataBytes) {
            throw new HubException(url, -1, "tensors cover " + covered + " of the " + dataBytes + " data bytes"
                    + " (expected: all of them, without overlap, as safetensors requires)", null);
        }
        totals.fileBytes += size;
    }

    private static long tensor(JsonParser json, String name, String url, long dataBytes, int packedBits,
            Totals totals) throws IOException {
        String dtype = null;
        long elements = -1;
        long begin = -1;
        long end = -1;
        for (JsonToken t = json.nextToken(); t != JsonToken.END_OBJECT; t = json.nextToken()) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (field.equals("dtype") && value == JsonToken.VALUE_STRING) {
                dtype = json.getText();
            } else if (field.equals("shape") && value == JsonToken.START_ARRAY) {
                elements = 1;
                for (JsonToken d = json.nextToken(); d != JsonToken.END_ARRAY; d = json.nextToken()) {
                    elements = Math.multiplyExact(elements, nonNegative(json, d, url, name + " shape"));
                }
            } else if (field.equals("data_offsets") && value == JsonToken.START_ARRAY) {
                begin = nonNegative(json, json.nextToken(), url, name + " data_offsets");
                end = nonNegative(json, json.nextToken(), url, name + " data_offsets");
                expect(json, json.nextToken(), JsonToken.END_ARRAY, url, name + " data_offsets (two numbers)");
            } else {
                throw new HubException(url, -1, "tensor '" + name + "' key '" + field + "' (expected: dtype as a"
                        + " string, shape and data_offsets as arrays)", null);
            }
        }
        Integer bits = dtype == null ? null : BITS.get(dtype);
        if (bits == null || elements < 0 || begin < 0) {
            throw new HubException(url, -1, "tensor '" + name + "': dtype " + dtype + ", " + (elements < 0 ? "no shape"
                    : "shape ok") + ", " + (begin < 0 ? "no data_offsets" : "data_offsets ok") + " (expected: all three;"
                    + " a dtype of " + new TreeMap<>(BITS).keySet() + ")", null);
        }
        long bytes = Math.multiplyExact(elements, (long) bits) / 8;
        if (end < begin || end > dataBytes || end - begin != bytes || elements * bits % 8 != 0) {
            throw new HubException(url, -1, "tensor '" + name + "': data_offsets [" + begin + ", " + end + "]"
                    + " (expected: " + bytes + " bytes for " + elements + " " + dtype + " elements, within the "
                    + dataBytes + " data bytes)", null);
        }
        long[] sums = totals.byDtype.computeIfAbsent(dtype, k -> new long[3]);
        sums[0]++;
        sums[1] += elements;
        sums[2] += bytes;
        totals.parameters += parameters(name, dtype, elements, packedBits);
        totals.tensorBytes += bytes;
        totals.tensors++;
        return bytes;
    }

    /** The weights a tensor holds, by the rules in {@link SafetensorsSummary}. */
    static long parameters(String name, String dtype, long elements, int packedBits) {
        for (String suffix : METADATA_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return 0;
            }
        }
        if (name.endsWith(".qweight") && dtype.equals("I32")) {
            return elements * (32 / packedBits);
        }
        if (dtype.equals("U8") && (name.endsWith("_blocks") || name.endsWith(".weight"))) {
            return elements * 2;
        }
        return elements;
    }

    private static long nonNegative(JsonParser json, JsonToken token, String url, String what) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || json.getLongValue() < 0) {
            throw new HubException(url, -1, what + ": " + json.getText() + " (expected: an integer from 0 to 2^63-1)",
                    null);
        }
        return json.getLongValue();
    }

    private static void expect(JsonParser json, JsonToken found, JsonToken expected, String url, String what)
            throws HubException {
        if (found != expected) {
            throw new HubException(url, -1, what + ": " + found + " (expected: " + expected + ")", null);
        }
    }

    /** At most {@code left} bytes of a stream: the JSON reader must not read past the header into tensor data. */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // The range reader is closed by its owner.
        }
    }
}
