package io.github.llmestimator.examples.machine;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readers of the GPU vendors' tools: {@code nvidia-smi --query-gpu=... --format=csv} (NVIDIA's nvidia-smi(1) manual:
 * one line per GPU, fields in the order queried, {@code [MiB]} units in the header unless {@code nounits}) and
 * {@code rocm-smi --showproductname --showmeminfo vram} in its text, {@code --csv} and {@code --json} forms. Each is a
 * pure function of the tool's output.
 */
public final class GpuTools {

    private static final long MIB = 1L << 20;
    private static final Pattern ROCM_LINE = Pattern.compile("GPU\\[(\\d+)\\]\\s*:\\s*([^:]+):\\s*(.*)");

    private GpuTools() {
    }

    /**
     * Reads {@code nvidia-smi --query-gpu=name,memory.total,... --format=csv}, whose first line names the fields
     * ({@code name, memory.total [MiB]}).
     *
     * @param text the output, not null
     * @return one GPU per line
     * @throws IllegalArgumentException if the header lacks {@code name} or {@code memory.total}, or a line has another
     *     number of fields or a memory that is not MiB
     */
    public static List<DetectedGpu> nvidiaSmi(String text) {
        String[] lines = text.strip().split("\r?\n");
        List<String> fields = new ArrayList<>();
        for (String field : lines[0].split(",")) {
            fields.add(field.strip().replaceAll("\\s*\\[.*]$", ""));
        }
        return nvidiaSmi(String.join("\n", java.util.Arrays.asList(lines).subList(1, lines.length)), fields);
    }

    /**
     * Reads {@code nvidia-smi --query-gpu=FIELDS --format=csv,noheader[,nounits]}: one line per GPU, the fields in the
     * order queried, memory in MiB (with or without its unit).
     *
     * @param text the output, not null
     * @param fields the queried fields in order, which must include {@code name} and {@code memory.total}
     * @return one GPU per line
     * @throws IllegalArgumentException if a line has another number of fields than queried or a memory that is not
     *     MiB
     */
    public static List<DetectedGpu> nvidiaSmi(String text, List<String> fields) {
        int name = fields.indexOf("name");
        int memory = fields.indexOf("memory.total");
        if (name < 0 || memory < 0) {
            throw new IllegalArgumentException("nvidia-smi fields: " + fields + " (expected: name and memory.total"
                    + " among them)");
        }
        List<DetectedGpu> gpus = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] values = line.split(",");
            if (values.length != fields.size()) {
                throw new IllegalArgumentException("nvidia-smi: '" + line + "': " + values.length + " fields"
                        + " (expected: " + fields.size() + ", " + fields + ")");
            }
            String mib = values[memory].strip().replaceAll("\\s*MiB$", "");
            OptionalLong bytes;
            if (mib.matches("\\d{1,9}")) {
                bytes = OptionalLong.of(Long.parseLong(mib) * MIB);
            } else if (mib.equals("[N/A]") || mib.equals("N/A") || mib.equals("[Not Supported]")) {
                bytes = OptionalLong.empty();
            } else {
                throw new IllegalArgumentException("nvidia-smi: memory.total '" + values[memory].strip()
                        + "' (expected: whole MiB)");
            }
            gpus.add(new DetectedGpu(values[name].strip(), bytes, OptionalInt.empty(), "nvidia-smi"));
        }
        return gpus;
    }

    /**
     * Reads rocm-smi's product name and VRAM total in any of its forms: the text form ({@code GPU[0] : Card series:
     * ...}, {@code GPU[0] : VRAM Total Memory (B): ...}), {@code --csv} (a header {@code device,...}) or {@code --json}
     * (an object per card). The name is the {@code Card Series} (or {@code Device Name}), which names the product where
     * {@code Card Model} is often a PCI id.
     *
     * @param text the output, not null
     * @return one GPU per card that has a name
     * @throws IllegalArgumentException if the text is none of the forms, or the VRAM total is not a byte count
     */
    public static List<DetectedGpu> rocmSmi(String text) {
        String trimmed = text.strip();
        Map<String, Map<String, String>> cards = new LinkedHashMap<>();
        if (trimmed.startsWith("{")) {
            try {
                JSON.std.mapFrom(trimmed).forEach((card, fields) -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    if (fields instanceof Map) {
                        ((Map<?, ?>) fields).forEach((k, v) -> values.put(String.valueOf(k), String.valueOf(v)));
                    }
                    cards.put(card, values);
                });
            } catch (IOException e) {
                throw new IllegalArgumentException("rocm-smi --json: " + e.getMessage().lines().findFirst().orElse("")
                        + " (expected: an object per card)", e);
            }
        } else if (trimmed.startsWith("device,")) {
            String[] lines = trimmed.split("\r?\n");
            String[] header = lines[0].split(",");
            for (int i = 1; i < lines.length; i++) {
                String[] values = lines[i].split(",", -1);
                if (values.length != header.length) {
                    throw new IllegalArgumentException("rocm-smi --csv line " + (i + 1) + ": " + values.length
                            + " fields (expected: " + header.length + ", as the header)");
                }
                Map<String, String> fields = new LinkedHashMap<>();
                for (int c = 1; c < header.length; c++) {
                    fields.put(header[c], values[c]);
                }
                cards.put(values[0], fields);
            }
        } else {
            for (String line : trimmed.split("\r?\n")) {
                Matcher m = ROCM_LINE.matcher(line.strip());
                if (m.matches()) {
                    cards.computeIfAbsent("card" + m.group(1), k -> new LinkedHashMap<>())
                            .put(m.group(2).strip(), m.group(3).strip());
                }
            }
            if (cards.isEmpty()) {
                throw new IllegalArgumentException("rocm-smi: no 'GPU[N] : key: value' line (expected: the output of"
                        + " rocm-smi --showproductname --showmeminfo vram, or with --csv or --json)");
            }
        }
        List<DetectedGpu> gpus = new ArrayList<>();
        for (Map<String, String> fields : cards.values()) {
            String name = field(fields, "card series", "device name");
            if (name == null) {
                continue;
            }
            String vram = field(fields, "vram total memory (b)", null);
            OptionalLong bytes = OptionalLong.empty();
            if (vram != null) {
                if (!vram.matches("\\d{1,16}")) {
                    throw new IllegalArgumentException("rocm-smi: VRAM Total Memory (B) '" + vram + "' (expected: a"
                            + " byte count)");
                }
                bytes = OptionalLong.of(Long.parseLong(vram));
            }
            gpus.add(new DetectedGpu(name, bytes, OptionalInt.empty(), "rocm-smi"));
        }
        return gpus;
    }

    private static String field(Map<String, String> fields, String key, String alternative) {
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String k = e.getKey().strip().toLowerCase(Locale.ROOT);
            if (k.equals(key) || k.equals(alternative)) {
                return e.getValue().strip();
            }
        }
        return null;
    }
}
