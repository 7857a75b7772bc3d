package io.github.llmestimator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Safetensors checkpoints served locally, written here as the format defines them (8-byte little-endian header
 * length, JSON header, data): the parameter counts and bytes below are worked out by hand from the shapes.
 */
final class SafetensorsTest {

    private LocalServers servers;
    private Hub hub;

    @BeforeEach
    void start() throws IOException {
        servers = new LocalServers();
        hub = new Hub(HubSettings.defaults().withEndpoint(servers.endpoint()).withTimeouts(Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(20)).withLimits(5, 3, Duration.ofMillis(10)));
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    /** One tensor: name, dtype, bits per element, shape. */
    private record T(String name, String dtype, int bits, long... shape) {
        long bytes() {
            long elements = 1;
            for (long d : shape) {
                elements *= d;
            }
            return elements * bits / 8;
        }
    }

    /** A safetensors file: the header padded with spaces to 8 bytes, as the reference writer does, then zeros. */
    private static byte[] file(T... tensors) {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (T t : tensors) {
            json.append(",\"").append(t.name).append("\":{\"dtype\":\"").append(t.dtype).append("\",\"shape\":[");
            for (int i = 0; i < t.shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(t.shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + t.bytes()).append("]}");
            offset += t.bytes();
        }
        json.append('}');
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            out.write((int) ((long) header.length >>> (8 * i)));
        }
        out.write(header, 0, header.length);
        out.write(new byte[(int) offset], 0, (int) offset);
        return out.toByteArray();
    }

    private static String index(Map<String, String> weightMap) {
        StringBuilder json = new StringBuilder("{\"metadata\":{\"total_size\":0},\"weight_map\":{");
        weightMap.forEach((k, v) -> json.append(json.charAt(json.length() - 1) == '{' ? "" : ",").append('"').append(k)
                .append("\":\"").append(v).append('"'));
        return json.append("}}").toString();
    }

    private long put(String repo, String path, byte[] bytes) {
        servers.put(repo, path, LocalServers.bytes(bytes));
        return bytes.length;
    }

    /**
     * A BF16 checkpoint in two shards. Elements: embed 1000 x 64 = 64,000; q_proj 64 x 64 = 4,096; lm_head 64,000;
     * norm 64; all 132,160, each 2 bytes: 264,320 bytes.
     */
    @Test
    void bf16Shards() throws IOException {
        String repo = "owner/Dense";
        long size = put(repo, "model-00001-of-00002.safetensors", file(
                new T("model.embed_tokens.weight", "BF16", 16, 1000, 64),
                new T("model.layers.0.self_attn.q_proj.weight", "BF16", 16, 64, 64)));
        size += put(repo, "model-00002-of-00002.safetensors", file(new T("lm_head.weight", "BF16", 16, 1000, 64),
                new T("model.norm.weight", "BF16", 16, 64)));
        put(repo, "model.safetensors.index.json", index(Map.of(
                "model.embed_tokens.weight", "model-00001-of-00002.safetensors",
                "model.layers.0.self_attn.q_proj.weight", "model-00001-of-00002.safetensors",
                "lm_head.weight", "model-00002-of-00002.safetensors",
                "model.norm.weight", "model-00002-of-00002.safetensors")).getBytes(StandardCharsets.UTF_8));
        put(repo, "config.json", "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8));

        SafetensorsSummary summary = hub.readSafetensors(hub.listRepository(repo, "main"));
        assertEquals(132_160, summary.parameters());
        assertEquals(264_320, summary.tensorBytes());
        assertEquals(Map.of("BF16", new SafetensorsSummary.DtypeTotals(4, 132_160, 264_320)), summary.byDtype());
        assertEquals(size, summary.fileBytes());
        assertEquals(2, summary.files().size());
        print(repo, summary);
    }

    /**
     * An AWQ checkpoint (4-bit, group 128) of one 256 x 512 projection: qweight I32 256 x 64 holds 8 weights per
     * int32, 131,072 weights; qzeros I32 2 x 64 (2 groups of 128 rows) and scales F16 2 x 512 are not parameters;
     * the F16 embedding 1000 x 64 is 64,000. Parameters 195,072. Bytes: I32 (16,384 + 128) x 4 = 66,048; F16
     * (64,000 + 1,024) x 2 = 130,048; all 196,096.
     */
    @Test
    void awqPackedWeights() throws IOException {
        String repo = "owner/Awq";
        long size = put(repo, "model.safetensors", file(new T("model.embed_tokens.weight", "F16", 16, 1000, 64),
                new T("model.layers.0.mlp.down_proj.qweight", "I32", 32, 256, 64),
                new T("model.layers.0.mlp.down_proj.qzeros", "I32", 32, 2, 64),
                new T("model.layers.0.mlp.down_proj.scales", "F16", 16, 2, 512)));
        put(repo, "config.json", ("{\"model_type\":\"llama\",\"quantization_config\":{\"bits\":4,\"group_size\":128,"
                + "\"quant_method\":\"awq\"}}").getBytes(StandardCharsets.UTF_8));

        SafetensorsSummary summary = hub.readSafetensors(hub.listRepository(repo, "main"));
        assertEquals(195_072, summary.parameters());
        assertEquals(196_096, summary.tensorBytes());
        assertEquals(new SafetensorsSummary.DtypeTotals(2, 16_512, 66_048), summary.byDtype().get("I32"));
        assertEquals(new SafetensorsSummary.DtypeTotals(2, 65_024, 130_048), summary.byDtype().get("F16"));
        assertEquals(size, summary.fileBytes());
        print(repo, summary);
    }

    /**
     * An FP8 checkpoint (block-scaled, as DeepSeek and Qwen publish them) in two shards: q_proj F8_E4M3 256 x 256 =
     * 65,536 weights of one byte, its weight_scale_inv F32 2 x 2 (128 x 128 blocks) no parameters, 16 bytes; the BF16
     * embedding 1000 x 256 = 256,000, 512,000 bytes. Parameters 321,536; bytes 577,552.
     */
    @Test
    void fp8BlockScaled() throws IOException {
        String repo = "owner/Fp8";
        long size = put(repo, "model-00001-of-00002.safetensors", file(
                new T("model.layers.0.self_attn.q_proj.weight", "F8_E4M3", 8, 256, 256),
                new T("model.layers.0.self_attn.q_proj.weight_scale_inv", "F32", 32, 2, 2)));
        size += put(repo, "model-00002-of-00002.safetensors", file(
                new T("model.embed_tokens.weight", "BF16", 16, 1000, 256)));
        put(repo, "model.safetensors.index.json", index(Map.of(
                "model.layers.0.self_attn.q_proj.weight", "model-00001-of-00002.safetensors",
                "model.layers.0.self_attn.q_proj.weight_scale_inv", "model-00001-of-00002.safetensors",
                "model.embed_tokens.weight", "model-00002-of-00002.safetensors")).getBytes(StandardCharsets.UTF_8));

        SafetensorsSummary summary = hub.readSafetensors(hub.listRepository(repo, "main"));
        assertEquals(321_536, summary.parameters());
        assertEquals(577_552, summary.tensorBytes());
        assertEquals(new SafetensorsSummary.DtypeTotals(1, 65_536, 65_536), summary.byDtype().get("F8_E4M3"));
        assertEquals(new SafetensorsSummary.DtypeTotals(1, 4, 16), summary.byDtype().get("F32"));
        assertEquals(size, summary.fileBytes());
        print(repo, summary);
    }

    /**
     * Packed 4-bit weights count two per byte. gpt-oss-20b's first expert block, {@code gate_up_proj_blocks} U8
     * [32, 5760, 90, 16] (its safetensors header), holds 32 experts x 5760 rows x 2880 columns = 530,841,600 weights in
     * 265,420,800 bytes; its {@code _scales} are not weights. An NVFP4 (ModelOpt) weight U8 [4096, 2048] holds
     * 4096 x 4096 = 16,777,216; its FP8 {@code weight_scale} and F32 {@code weight_scale_2} are not weights.
     */
    @Test
    void packedFourBitWeights() {
        assertEquals(530_841_600L, SafetensorsReader.parameters("model.layers.0.mlp.experts.gate_up_proj_blocks",
                "U8", 32L * 5760 * 90 * 16, 4));
        assertEquals(0, SafetensorsReader.parameters("model.layers.0.mlp.experts.gate_up_proj_scales", "U8",
                32L * 5760 * 90, 4));
        assertEquals(16_777_216L, SafetensorsReader.parameters("model.layers.0.mlp.down_proj.weight", "U8",
                4096L * 2048, 4));
        assertEquals(0, SafetensorsReader.parameters("model.layers.0.mlp.down_proj.weight_scale", "F8_E4M3",
                4096L * 256, 4));
        assertEquals(0, SafetensorsReader.parameters("model.layers.0.mlp.down_proj.weight_scale_2", "F32", 1, 4));
        // 8-bit GPTQ: a 4096 x 4096 qweight is I32 [1024, 4096], four weights per int32.
        assertEquals(16_777_216L, SafetensorsReader.parameters("model.layers.0.mlp.down_proj.qweight", "I32",
                1024L * 4096, 8));
    }

    /** A header length beyond the format's 100,000,000-byte limit, and offsets that do not match the shape. */
    @Test
    void malformedHeaders() {
        byte[] huge = file(new T("w", "BF16", 16, 4));
        huge[3] = 0x10; // length 0x10_00_00_00 plus the real low bytes: over 268 million
        put("owner/Huge", "model.safetensors", huge);
        HubException tooLarge = assertThrows(HubException.class,
                () -> hub.readSafetensors(hub.listRepository("owner/Huge", "main")));
        assertTrue(tooLarge.getMessage().contains("safetensors limit of 100000000"), tooLarge.getMessage());
        assertTrue(tooLarge.getMessage().startsWith(servers.endpoint() + "/owner/Huge/resolve/main/model.safetensors"),
                tooLarge.getMessage());

        byte[] lying = file(new T("w", "BF16", 16, 4));
        byte[] wrongShape = new String(lying, StandardCharsets.ISO_8859_1).replace("[4]", "[3]")
                .getBytes(StandardCharsets.ISO_8859_1);
        put("owner/Lying", "model.safetensors", wrongShape);
        HubException lies = assertThrows(HubException.class,
                () -> hub.readSafetensors(hub.listRepository("owner/Lying", "main")));
        assertTrue(lies.getMessage().contains("expected: 6 bytes for 3 BF16 elements"), lies.getMessage());
    }

    private static void print(String repo, SafetensorsSummary summary) {
        System.out.printf("safetensors %s: %d parameters, tensor data %d bytes, files %d bytes, by dtype %s,"
                + " header bytes fetched %d%n", repo, summary.parameters(), summary.tensorBytes(), summary.fileBytes(),
                summary.byDtype(), summary.bytesFetched());
    }
}
