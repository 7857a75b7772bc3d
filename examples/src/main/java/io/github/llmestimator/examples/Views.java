package io.github.llmestimator.examples;

import com.fasterxml.jackson.jr.ob.JSON;
import io.github.llmestimator.Estimate;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.planning.Binding;
import io.github.llmestimator.quant.StorageType;
import io.github.llmestimator.quant.TensorAssignment;
import io.github.llmestimator.throughput.Bound;
import io.github.llmestimator.throughput.DecodeSpeed;
import io.github.llmestimator.throughput.PrefillSpeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pieces every report shares, in words for a person and as JSON objects for a program: sizes in bytes with their
 * GiB (2^30) and GB (10^9) views, the settings of an estimate, what binds, and the formats the weights really have.
 */
public final class Views {

    /** The prompt length of the prefill figures, or the position when that is shorter. */
    public static final int PROMPT_TOKENS = 4096;

    private Views() {
    }

    /**
     * Returns the context of one sequence, where a decode figure is taken: the context over the parallel sequences.
     *
     * @param estimate the estimate
     * @return tokens per sequence
     */
    public static int sequenceContext(Estimate estimate) {
        return estimate.context().settings().contextTokens() / estimate.context().settings().parallelSequences();
    }

    /**
     * Returns the prompt length of a prefill figure at a position: {@value #PROMPT_TOKENS} tokens, or fewer when the
     * context of a sequence is shorter.
     *
     * @param position the context of one sequence
     * @return the prompt length
     */
    public static int promptTokens(int position) {
        return Math.min(PROMPT_TOKENS, position);
    }

    /**
     * Returns a size as JSON: {@code {"bytes": n, "GiB": x, "GB": y}}, the views rounded to 3 decimals.
     *
     * @param bytes the size in bytes
     * @return the object
     */
    public static Map<String, Object> size(long bytes) {
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("bytes", bytes);
        size.put("GiB", round(bytes / (double) (1L << 30)));
        size.put("GB", round(bytes / 1e9));
        return size;
    }

    /**
     * Rounds a figure to 3 decimals for JSON, keeping it a number.
     *
     * @param value the value
     * @return the rounded value
     */
    public static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /**
     * Renders a JSON value with two-space indentation and a final newline.
     *
     * @param value maps, lists, strings, numbers, booleans and nulls
     * @return the text
     */
    public static String json(Object value) {
        try {
            // nulls are written: a documented field that has no value (decode where nothing fits) stays in the object
            return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES)
                    .asString(value) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the memory of an estimate as JSON, each part a {@link #size(long)}.
     *
     * @param estimate the estimate
     * @return the object
     */
    public static Map<String, Object> memory(Estimate estimate) {
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("weights", size(estimate.weightBytes()));
        memory.put("weightsInFile", size(estimate.weights().fileTensorBytes()));
        memory.put("kvCache", size(estimate.kvCacheBytes()));
        memory.put("recurrentState", size(estimate.recurrentStateBytes()));
        memory.put("outputBuffer", size(estimate.outputBufferBytes()));
        memory.put("computeBuffer", size(estimate.computeBufferBytes()));
        memory.put("runtimeAllowance", size(estimate.runtimeOverheadBytes()));
        estimate.vision().ifPresent(vision -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("projector", size(vision.projectorBytes()));
            json.put("encoderComputeEstimate", vision.encoderEstimated() ? size(vision.encoderComputeBytes()) : null);
            json.put("imagesPerSequence", vision.images());
            json.put("tokensPerImage", vision.tokensPerImage());
            json.put("imageTokensPerSequence", vision.imageTokens());
            memory.put("vision", json);
        });
        if (estimate.speculative().isPresent()) {
            memory.put("speculativeDrafter", size(estimate.speculative().get().totalBytes()));
        }
        memory.put("total", size(estimate.totalBytes()));
        memory.put("recommendedKitGB", estimate.recommendedKit().nominalGiB());
        return memory;
    }

    /**
     * Returns the settings of an estimate as JSON.
     *
     * @param estimate the estimate
     * @return the object
     */
    public static Map<String, Object> settings(Estimate estimate) {
        ContextSettings settings = estimate.context().settings();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scheme", estimate.weights().isFromFile() ? "file" : estimate.weights().scheme().name());
        json.put("contextTokens", settings.contextTokens());
        json.put("parallelSequences", settings.parallelSequences());
        json.put("unifiedKvCache", settings.llamaCpp().unifiedKvCache());
        json.put("cacheTypeK", settings.keyCacheType().name().toLowerCase(Locale.ROOT));
        json.put("cacheTypeV", settings.valueCacheType().name().toLowerCase(Locale.ROOT));
        json.put("flashAttention", settings.llamaCpp().flashAttention());
        json.put("fullSlidingWindowCache", settings.llamaCpp().fullSlidingWindowCache());
        json.put("batchTokens", settings.llamaCpp().batchTokens());
        json.put("microBatchTokens", settings.llamaCpp().microBatchTokens());
        return json;
    }

    /**
     * Says the settings in one line, as llama.cpp's flags name them.
     *
     * @param estimate the estimate
     * @return the line
     */
    public static String settingsLine(Estimate estimate) {
        ContextSettings s = estimate.context().settings();
        return String.format(Locale.ROOT, "context %,d tokens (-c), %d sequence%s (-np%s), KV cache %s/%s (-ctk/-ctv),"
                        + " flash attention %s, micro-batch %d (-ub)%s",
                s.contextTokens(), s.parallelSequences(), s.parallelSequences() == 1 ? "" : "s",
                s.llamaCpp().unifiedKvCache() ? ", unified" : "", s.keyCacheType().name().toLowerCase(Locale.ROOT),
                s.valueCacheType().name().toLowerCase(Locale.ROOT), s.llamaCpp().flashAttention() ? "on" : "off",
                s.llamaCpp().microBatchTokens(), s.llamaCpp().fullSlidingWindowCache() ? ", --swa-full" : "");
    }

    /**
     * Returns the storage types of the loaded weights with their share of the bytes, largest first, so that a scheme's
     * label does not hide what a file really holds (gpt-oss at "BF16" keeps its experts in MXFP4).
     *
     * @param estimate the estimate
     * @return type name to bytes, largest first
     */
    public static Map<String, Long> weightFormats(Estimate estimate) {
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (TensorAssignment assignment : estimate.weights().assignments()) {
            if (assignment.tensor().role() == TensorRole.NEXT_TOKEN_PREDICTION) {
                // shares of the weights llama.cpp loads, which these layers are not part of
                continue;
            }
            StorageType type = assignment.type();
            bytes.merge(type.toString(), assignment.bytes(), Long::sum);
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(bytes.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        Map<String, Long> result = new LinkedHashMap<>();
        sorted.forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /**
     * Says the weight formats in words: each type with its share of the bytes, types under 0.5 % left out.
     *
     * @param estimate the estimate
     * @return for example {@code "MXFP4 89 %, BF16 11 %"}
     */
    public static String weightFormatsLine(Estimate estimate) {
        long total = Math.max(1, estimate.weightBytes());
        StringBuilder text = new StringBuilder();
        weightFormats(estimate).forEach((type, bytes) -> {
            long percent = Math.round(100.0 * bytes / total);
            if (percent > 0) {
                text.append(text.length() == 0 ? "" : ", ").append(type).append(' ').append(percent).append(" %");
            }
        });
        return text.toString();
    }

    /**
     * Returns what a person should know before trusting the estimate: a context above the model's trained context.
     *
     * @param estimate the estimate
     * @return the warnings, empty when there are none
     */
    public static List<String> warnings(Estimate estimate) {
        List<String> warnings = new ArrayList<>();
        int trained = estimate.weights().model().maxContextTokens();
        int perSequence = sequenceContext(estimate);
        if (perSequence > trained) {
            warnings.add(String.format(Locale.ROOT, "context of %,d tokens per sequence exceeds the model's trained"
                    + " context of %,d tokens: memory is estimated as asked, but the model was not trained for it"
                    + " (llama.cpp warns too, and quality degrades without RoPE scaling)", perSequence, trained));
        }
        estimate.vision().filter(vision -> !vision.imagesFitContext()).ifPresent(vision -> warnings.add(
                String.format(Locale.ROOT, "%d images of %,d tokens need %,d tokens, more than the %,d cells of one"
                        + " sequence hold (raise -c)", vision.images(),
                        vision.tokensPerImage(), vision.imageTokens(), vision.sequenceCells())));
        return warnings;
    }

    /**
     * Names a speed's bound in words.
     *
     * @param bound the bound
     * @return for example {@code "memory bandwidth"}
     */
    public static String words(Bound bound) {
        switch (bound) {
            case MEMORY_BANDWIDTH:
                return "memory bandwidth";
            case COMPUTE:
                return "compute";
            case LAUNCH_OVERHEAD:
                return "launch overhead (fixed time per layer)";
            default:
                return "host link (PCIe)";
        }
    }

    /**
     * Names a plan's binding in words.
     *
     * @param binding the binding
     * @return for example {@code "KV cache"}
     */
    public static String words(Binding binding) {
        switch (binding) {
            case NONE:
                return "nothing (the best option fits)";
            case TRAINED_CONTEXT:
                return "the model's trained context";
            case WEIGHTS:
                return "weights";
            case KV_CACHE:
                return "KV cache";
            case SPEED_TARGET:
                return "decode speed target";
            default:
                return "search limit";
        }
    }

    /**
     * Returns a decode speed as JSON.
     *
     * @param decode the speed
     * @return the object
     */
    public static Map<String, Object> decode(DecodeSpeed decode) {
        Map<String, Object> json = speed("positionTokens", decode.positionTokens(), decode.tokensPerSecond(),
                decode.lowTokensPerSecond(), decode.highTokensPerSecond(), decode.bound());
        json.put("sequences", decode.sequences());
        return json;
    }

    /**
     * Returns a prefill speed as JSON.
     *
     * @param prefill the speed
     * @return the object
     */
    public static Map<String, Object> prefill(PrefillSpeed prefill) {
        return speed("promptTokens", prefill.promptTokens(), prefill.tokensPerSecond(), prefill.lowTokensPerSecond(),
                prefill.highTokensPerSecond(), prefill.bound());
    }

    private static Map<String, Object> speed(String tokensKey, int tokens, double expected, double low, double high,
            Bound bound) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(tokensKey, tokens);
        json.put("tokensPerSecond", round(expected));
        json.put("lowTokensPerSecond", round(low));
        json.put("highTokensPerSecond", round(high));
        json.put("bound", bound.name());
        return json;
    }

    /**
     * Says a decode speed with its range and bound.
     *
     * @param decode the speed
     * @return for example {@code "42.1 tokens/s (33.0-51.6), bound: memory bandwidth"}
     */
    public static String text(DecodeSpeed decode) {
        return String.format(Locale.ROOT, "%s tokens/s (%s-%s), bound: %s", speed(decode.tokensPerSecond()),
                speed(decode.lowTokensPerSecond()), speed(decode.highTokensPerSecond()), words(decode.bound()));
    }

    /**
     * Says a prefill speed with its range and bound.
     *
     * @param prefill the speed
     * @return for example {@code "2,310 tokens/s (1,900-2,800), bound: compute"}
     */
    public static String text(PrefillSpeed prefill) {
        return String.format(Locale.ROOT, "%s tokens/s (%s-%s), bound: %s", speed(prefill.tokensPerSecond()),
                speed(prefill.lowTokensPerSecond()), speed(prefill.highTokensPerSecond()), words(prefill.bound()));
    }

    /**
     * Formats a speed with as many decimals as a person needs: three significant figures, thousands grouped.
     *
     * @param tokensPerSecond the speed
     * @return the text
     */
    public static String speed(double tokensPerSecond) {
        if (tokensPerSecond >= 100) {
            return String.format(Locale.ROOT, "%,.0f", tokensPerSecond);
        }
        return String.format(Locale.ROOT, tokensPerSecond >= 10 ? "%.1f" : "%.2f", tokensPerSecond);
    }

    /**
     * Says the LoRA adapters in llama.cpp's and PEFT's words: rank, target modules and file type of each.
     *
     * @param adapters the adapters, not null
     * @return for example {@code "r=16 on q,k,v,o (F16)"}, adapters separated by {@code "; "}
     */
    public static String adaptersLine(List<io.github.llmestimator.quant.LoraAdapter> adapters) {
        StringBuilder text = new StringBuilder();
        for (io.github.llmestimator.quant.LoraAdapter adapter : adapters) {
            text.append(text.length() == 0 ? "" : "; ").append("r=").append(adapter.rank()).append(" on ");
            StringBuilder targets = new StringBuilder();
            for (io.github.llmestimator.quant.LoraTarget target : io.github.llmestimator.quant.LoraTarget.values()) {
                if (adapter.targets().contains(target)) {
                    targets.append(targets.length() == 0 ? "" : ",").append(target.name().toLowerCase(Locale.ROOT));
                }
            }
            text.append(targets).append(" (").append(adapter.type().name()).append(')');
        }
        return text.toString();
    }

    /**
     * Formats a size as GiB and GB side by side.
     *
     * @param bytes the size
     * @return for example {@code "4.58 GiB (4.91 GB)"}
     */
    public static String gib(long bytes) {
        return DataSize.ofBytes(bytes).toString();
    }
}
