package io.github.llmestimator.gguf;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.TensorType;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/** GGUF headers for the hub tests, written by core's test-side writer (same package, hence here). */
public final class HubGgufFiles {

    private HubGgufFiles() {
    }

    /**
     * Returns the header and tensor table of a model quantized with a scheme, tokenizer included, as llama.cpp's
     * converter writes them; no tensor data.
     *
     * @param spec the model
     * @param scheme the file type
     * @return the header, padded to the alignment
     */
    public static byte[] header(ModelSpec spec, QuantScheme scheme) {
        return GgufWriter.forModel(spec, scheme.assign(spec)).toBytes();
    }

    /**
     * Returns the headers of the same model split into parts as llama.cpp's gguf-split writes them: the model's keys
     * and the split keys in the first part, only the split keys in the others, the tensors dealt out in order.
     *
     * @param spec the model
     * @param scheme the file type
     * @param parts how many parts, at least 2
     * @return each part's header, padded to the alignment
     */
    public static List<byte[]> splitHeaders(ModelSpec spec, QuantScheme scheme, int parts) {
        GgufWriter first = GgufWriter.forModel(spec, scheme.assign(spec));
        List<Object[]> tensors = tensorsOf(first);
        List<Object[]> all = new ArrayList<>(tensors);
        int per = (all.size() + parts - 1) / parts;
        tensors.clear();
        tensors.addAll(all.subList(0, per));
        splitKeys(first, 0, parts).i32("split.tensors.count", all.size());
        List<byte[]> result = new ArrayList<>();
        result.add(first.toBytes());
        for (int p = 1; p < parts; p++) {
            GgufWriter part = splitKeys(new GgufWriter(), p, parts).i32("split.tensors.count", all.size());
            for (Object[] t : all.subList(p * per, Math.min(all.size(), (p + 1) * per))) {
                part.tensor((String) t[0], (TensorType) t[1], (long[]) t[2]);
            }
            result.add(part.toBytes());
        }
        return result;
    }

    private static GgufWriter splitKeys(GgufWriter writer, int number, int count) {
        return writer.u32("split.no", number).u32("split.count", count);
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> tensorsOf(GgufWriter writer) {
        try {
            Field field = GgufWriter.class.getDeclaredField("tensors");
            field.setAccessible(true);
            return (List<Object[]>) field.get(writer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("core's GgufWriter keeps its tensor table in a field 'tensors'", e);
        }
    }
}
