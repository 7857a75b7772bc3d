package io.github.llmestimator.catalog;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A reader of llama.cpp's {@code llama-bench} output in its three formats: {@code -o json} (a JSON array, or one
 * object per line with {@code -o jsonl}), {@code -o csv} (a header of field names, then one quoted row per test) and the
 * default markdown table ({@code | model | size | params | backend | ... | test | t/s |}). Field and column names are
 * those of tools/llama-bench/llama-bench.cpp ({@code test::get_fields} and the markdown printer). Text around the
 * tables (a system description, other tools' tables) is ignored; a markdown table is one whose header has
 * {@code model}, {@code size}, {@code params}, {@code test} and {@code t/s}.
 *
 * <p>This class is thread-safe and has no state.
 */
public final class LlamaBench {

    private static final double GIB = 1L << 30;
    private static final double MIB = 1L << 20;

    private LlamaBench() {
    }

    /**
     * What a reading found: the prompt and decode tests, and the rows it could not use with the reason.
     *
     * @param runs the tests, in the order of the text; an immutable list
     * @param skipped each row not read, with its line and the reason (a combined {@code ppN+tgN} test); an immutable
     *     list
     */
    public record Result(List<LlamaBenchRun> runs, List<String> skipped) {

        /**
         * Copies the lists.
         *
         * @param runs the tests
         * @param skipped the rows not read, with reasons
         * @throws NullPointerException if a list is null
         */
        public Result {
            runs = List.copyOf(runs);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Reads llama-bench output in any of its formats.
     *
     * @param text the output, not null
     * @return the tests found
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException if the text is no llama-bench output, or a row is malformed; the message
     *     names the line or record and what was expected
     */
    public static Result parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        Result result;
        if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
            result = json(trimmed);
        } else if (trimmed.startsWith("build_commit,") || trimmed.startsWith("\"build_commit\",")) {
            result = csv(trimmed);
        } else {
            result = markdown(text);
        }
        if (result.runs().isEmpty()) {
            throw new IllegalArgumentException("llama-bench output: no pp or tg test found" + (result.skipped()
                    .isEmpty() ? "" : " (skipped: " + result.skipped() + ")") + " (expected: the output of llama-bench"
                    + " -o json, -o jsonl, -o csv or its markdown table)");
        }
        return result;
    }

    private static Result json(String text) {
        List<Object> records = new ArrayList<>();
        try {
            if (text.startsWith("[")) {
                records.addAll(JSON.std.listFrom(text));
            } else {
                for (String line : text.split("\n")) {
                    if (!line.isBlank()) {
                        records.add(JSON.std.mapFrom(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("llama-bench JSON: " + e.getMessage().lines().findFirst().orElse("")
                    + " (expected: the output of llama-bench -o json or -o jsonl)", e);
        }
        List<LlamaBenchRun> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (!(records.get(i) instanceof Map)) {
                throw new IllegalArgumentException("llama-bench JSON record " + (i + 1) + ": " + records.get(i)
                        + " (expected: an object of llama-bench's fields)");
            }
            Map<String, String> fields = new HashMap<>();
            ((Map<?, ?>) records.get(i)).forEach((k, v) -> fields.put(String.valueOf(k), v == null ? "" : v.toString()));
            fielded("JSON record " + (i + 1), fields, runs, skipped);
        }
        return new Result(runs, skipped);
    }

    private static Result csv(String text) {
        String[] lines = text.split("\r?\n");
        List<String> header = csvRow(lines[0], 1);
        List<LlamaBenchRun> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            List<String> values = csvRow(lines[i], i + 1);
            if (values.size() != header.size()) {
                throw new IllegalArgumentException("llama-bench CSV line " + (i + 1) + ": " + values.size()
                        + " fields (expected: " + header.size() + ", as the header)");
            }
            Map<String, String> fields = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                fields.put(header.get(c), values.get(c));
            }
            fielded("CSV line " + (i + 1), fields, runs, skipped);
        }
        return new Result(runs, skipped);
    }

    /** Splits one CSV line: fields separated by commas, optionally in double quotes with "" for a quote. */
    private static List<String> csvRow(String line, int number) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("llama-bench CSV line " + number + ": an unclosed quote (expected:"
                    + " fields in double quotes)");
        }
        fields.add(field.toString());
        return fields;
    }

    /** Reads one JSON or CSV record by llama-bench's field names. */
    private static void fielded(String where, Map<String, String> f, List<LlamaBenchRun> runs, List<String> skipped) {
        int prompt = integer(where, f, "n_prompt", null);
        int generated = integer(where, f, "n_gen", null);
        if (prompt > 0 && generated > 0) {
            skipped.add(where + ": pp" + prompt + "+tg" + generated + " (a combined test; only ppN and tgN are used)");
            return;
        }
        try {
            runs.add(new LlamaBenchRun(required(where, f, "model_type"), (long) number(where, f, "model_size"),
                    (long) number(where, f, "model_n_params"), f.getOrDefault("backends", ""),
                    f.containsKey("n_gpu_layers") ? OptionalInt.of(integer(where, f, "n_gpu_layers", null))
                            : OptionalInt.empty(),
                    f.containsKey("n_ubatch") ? OptionalInt.of(integer(where, f, "n_ubatch", null))
                            : OptionalInt.empty(),
                    prompt, generated, integer(where, f, "n_depth", "0"), number(where, f, "avg_ts"),
                    number(where, f, "stddev_ts")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("llama-bench " + where + ": " + e.getMessage(), e);
        }
    }

    private static String required(String where, Map<String, String> f, String field) {
        String value = f.get(field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("llama-bench " + where + ": no '" + field + "' (expected: llama-bench's"
                    + " fields model_type, model_size, model_n_params, n_prompt, n_gen, avg_ts, stddev_ts)");
        }
        return value.strip();
    }

    private static int integer(String where, Map<String, String> f, String field, String absent) {
        String value = f.containsKey(field) ? f.get(field).strip() : absent;
        if (value == null) {
            required(where, f, field);
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("llama-bench " + where + ": " + field + " = '" + value
                    + "' (expected: a whole number)", e);
        }
    }

    private static double number(String where, Map<String, String> f, String field) {
        String value = required(where, f, field);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("llama-bench " + where + ": " + field + " = '" + value
                    + "' (expected: a number)", e);
        }
    }

    private static Result markdown(String text) {
        String[] lines = text.split("\r?\n");
        List<LlamaBenchRun> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Integer> columns = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith("|")) {
                columns = null;
                continue;
            }
            List<String> cells = cells(line);
            if (columns == null) {
                Map<String, Integer> header = new HashMap<>();
                for (int c = 0; c < cells.size(); c++) {
                    header.put(cells.get(c).toLowerCase(Locale.ROOT), c);
                }
                if (header.keySet().containsAll(List.of("model", "size", "params", "test", "t/s"))) {
                    columns = header;
                }
                continue;
            }
            if (cells.stream().allMatch(cell -> cell.matches(":?-+:?"))) {
                continue;
            }
            if (cells.size() != columns.size()) {
                throw new IllegalArgumentException("llama-bench table line " + (i + 1) + ": " + cells.size()
                        + " cells (expected: " + columns.size() + ", as the header)");
            }
            row(i + 1, cells, columns, runs, skipped);
        }
        return new Result(runs, skipped);
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") && line.length() > 1 ? line.length() - 1 : line.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    private static void row(int number, List<String> cells, Map<String, Integer> columns, List<LlamaBenchRun> runs,
            List<String> skipped) {
        String where = "llama-bench table line " + number;
        String test = cells.get(columns.get("test"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(pp|tg)(\\d+)(?:\\s*@\\s*d(\\d+))?").matcher(test);
        if (!m.matches()) {
            if (test.matches("pp\\d+\\+tg\\d+.*")) {
                skipped.add(where + ": " + test + " (a combined test; only ppN and tgN are used)");
                return;
            }
            throw new IllegalArgumentException(where + ": test '" + test + "' (expected: ppN, tgN, optionally"
                    + " followed by @ dDEPTH)");
        }
        int tokens = Integer.parseInt(m.group(2));
        int depth = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        String[] speed = cells.get(columns.get("t/s")).split("±");
        try {
            runs.add(new LlamaBenchRun(cells.get(columns.get("model")),
                    Math.round(scaled(where, cells.get(columns.get("size")), "size", Map.of("GiB", GIB, "MiB", MIB))),
                    Math.round(scaled(where, cells.get(columns.get("params")), "params",
                            Map.of("B", 1e9, "M", 1e6, "K", 1e3))),
                    columns.containsKey("backend") ? cells.get(columns.get("backend")) : "",
                    optionalInt(where, cells, columns, "ngl"), optionalInt(where, cells, columns, "n_ubatch"),
                    m.group(1).equals("pp") ? tokens : 0, m.group(1).equals("tg") ? tokens : 0, depth,
                    decimal(where, speed[0], "t/s"), speed.length > 1 ? decimal(where, speed[1], "t/s") : 0));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static OptionalInt optionalInt(String where, List<String> cells, Map<String, Integer> columns,
            String column) {
        if (!columns.containsKey(column)) {
            return OptionalInt.empty();
        }
        String value = cells.get(columns.get(column));
        try {
            return OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + column + " '" + value + "' (expected: a whole number)",
                    e);
        }
    }

    private static double scaled(String where, String cell, String column, Map<String, Double> units) {
        String[] parts = cell.split("\\s+");
        if (parts.length != 2 || !units.containsKey(parts[1])) {
            throw new IllegalArgumentException(where + ": " + column + " '" + cell + "' (expected: a number and one of "
                    + units.keySet() + ")");
        }
        return decimal(where, parts[0], column) * units.get(parts[1]);
    }

    private static double decimal(String where, String text, String column) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + column + " '" + text.strip() + "' (expected: a number)",
                    e);
        }
    }
}
