package io.github.llmestimator.vision;

import io.github.llmestimator.internal.Checks;
import io.github.llmestimator.vision.ProjectorTensor.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A model's vision tower and projector, described by the values of its {@code config.json} {@code vision_config}:
 * the tensors llama.cpp's converter writes into the {@code mmproj} file, their bytes for a file type, the image tokens
 * of an image, and an estimate of the encoder's compute buffer.
 *
 * <p>Tensor shapes follow the Hugging Face modules each converter class reads (named in {@link VisionTowerKind}) and
 * the names of llama.cpp's {@code tools/mtmd/clip-impl.h}; types follow {@link ProjectorType#typeOf}.
 *
 * @param kind the tower kind, not null
 * @param layers encoder blocks ({@code depth} or {@code num_hidden_layers}), at least 1
 * @param hiddenSize the encoder's width ({@code hidden_size}), at least 1 and a multiple of {@code heads}
 * @param intermediateSize the MLP width ({@code intermediate_size}), at least 1
 * @param heads attention heads ({@code num_heads} or {@code num_attention_heads}), at least 1
 * @param patchSize the patch side in pixels ({@code patch_size}), at least 1
 * @param mergeSize patches merged per side into one embedding: {@code spatial_merge_size} (Qwen, Pixtral), or Gemma
 *     3's pooling factor (4 for 256 tokens from 64x64 patches); at least 1
 * @param positionEmbeddings learned position embeddings: {@code (image_size / patch_size)^2} for Gemma 3,
 *     {@code num_position_embeddings} for Qwen3-VL; 0 for towers with rotary positions only (Qwen2.5-VL, Pixtral)
 * @param textHiddenSize the language model's width the projector maps to ({@code out_hidden_size} for Qwen, the text
 *     {@code hidden_size} otherwise), at least 1
 * @param deepstackLayers Qwen3-VL's deepstack mergers ({@code deepstack_visual_indexes}), 0 for other kinds
 */
public record VisionTower(VisionTowerKind kind, int layers, int hiddenSize, int intermediateSize, int heads,
        int patchSize, int mergeSize, int positionEmbeddings, int textHiddenSize, int deepstackLayers) {

    /** Input channels of every tower here (RGB). */
    private static final int CHANNELS = 3;

    /** The widest side llama.cpp accepts here, in pixels; larger values are a mistake, not an image. */
    public static final int MAX_IMAGE_SIDE = 1 << 16;

    /**
     * Validates the components.
     *
     * @param kind the tower kind, not null
     * @param layers encoder blocks, at least 1
     * @param hiddenSize the encoder's width, at least 1 and a multiple of {@code heads}
     * @param intermediateSize the MLP width, at least 1
     * @param heads attention heads, at least 1
     * @param patchSize the patch side in pixels, at least 1
     * @param mergeSize patches merged (or pooled) per side, at least 1
     * @param positionEmbeddings learned position embeddings: a square number of at least 1 for Gemma 3 and Qwen3-VL,
     *     0 for Qwen2.5-VL and Pixtral
     * @param textHiddenSize the language model's width, at least 1
     * @param deepstackLayers deepstack mergers, 0 to {@code layers} for Qwen3-VL, 0 otherwise
     * @throws NullPointerException if {@code kind} is null
     * @throws IllegalArgumentException if a value is out of range; the message names it
     */
    public VisionTower {
        Objects.requireNonNull(kind, "kind");
        Checks.positive("layers", layers);
        Checks.positive("hiddenSize", hiddenSize);
        Checks.positive("intermediateSize", intermediateSize);
        Checks.positive("heads", heads);
        Checks.positive("patchSize", patchSize);
        Checks.positive("mergeSize", mergeSize);
        Checks.positive("textHiddenSize", textHiddenSize);
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hiddenSize: " + hiddenSize + " (expected: a multiple of heads = "
                    + heads + ")");
        }
        boolean learnedPositions = kind == VisionTowerKind.GEMMA3 || kind == VisionTowerKind.QWEN3_VL;
        int side = (int) Math.round(Math.sqrt(positionEmbeddings));
        if (learnedPositions ? positionEmbeddings < 1 || side * side != positionEmbeddings : positionEmbeddings != 0) {
            throw new IllegalArgumentException("positionEmbeddings: " + positionEmbeddings + " (expected: "
                    + (learnedPositions ? "a square number >= 1" : "0") + " for " + kind + ")");
        }
        if (kind == VisionTowerKind.GEMMA3 && side % mergeSize != 0) {
            throw new IllegalArgumentException("mergeSize: " + mergeSize + " (expected: a divisor of the "
                    + side + " patches per side for " + kind + ")");
        }
        int maxDeepstack = kind == VisionTowerKind.QWEN3_VL ? layers : 0;
        if (deepstackLayers < 0 || deepstackLayers > maxDeepstack) {
            throw new IllegalArgumentException("deepstackLayers: " + deepstackLayers + " (expected: 0 to "
                    + maxDeepstack + " for " + kind + ")");
        }
    }

    /**
     * Returns the tensors of this tower's {@code mmproj} file, in the converter's order of kinds.
     *
     * @return the tensors, an immutable list
     */
    public List<ProjectorTensor> tensors() {
        List<ProjectorTensor> list = new ArrayList<>();
        long h = hiddenSize;
        long f = intermediateSize;
        long patchElements = h * CHANNELS * patchSize * patchSize;
        long merged = h * mergeSize * mergeSize;
        switch (kind) {
            case GEMMA3:
                // the converter forces every tensor under ".embeddings." to F32 (Gemma3VisionModel.tensor_force_quant)
                list.add(new ProjectorTensor("v.patch_embd.weight", patchSize, patchElements, Storage.F32));
                list.add(vector("v.patch_embd.bias", h));
                list.add(new ProjectorTensor("v.position_embd.weight", h, h * positionEmbeddings, Storage.F32));
                for (int i = 0; i < layers; i++) {
                    layerNorms(list, i, true);
                    separateAttention(list, i, true);
                    list.add(weight(block(i, "ffn_up.weight"), h, f));
                    list.add(vector(block(i, "ffn_up.bias"), f));
                    list.add(weight(block(i, "ffn_down.weight"), f, h));
                    list.add(vector(block(i, "ffn_down.bias"), h));
                }
                list.add(vector("v.post_ln.weight", h));
                list.add(vector("v.post_ln.bias", h));
                // mm_input_projection_weight is a raw [vision, text] parameter: ne0 is the text width
                list.add(new ProjectorTensor("mm.input_projection.weight", textHiddenSize, h * textHiddenSize,
                        Storage.F16));
                list.add(vector("mm.soft_emb_norm.weight", h));
                break;
            case QWEN2_5_VL:
                // Conv3d with temporal_patch_size 2, split into two 2-D kernels; no bias
                list.add(new ProjectorTensor("v.patch_embd.weight", patchSize, patchElements, Storage.PATCH));
                list.add(new ProjectorTensor("v.patch_embd.weight.1", patchSize, patchElements, Storage.PATCH));
                for (int i = 0; i < layers; i++) {
                    layerNorms(list, i, false);
                    separateAttention(list, i, true);
                    gatedMlp(list, i, true);
                }
                list.add(vector("v.post_ln.weight", h));
                merger(list, merged);
                break;
            case QWEN3_VL:
                list.add(new ProjectorTensor("v.patch_embd.weight", patchSize, patchElements, Storage.PATCH));
                list.add(new ProjectorTensor("v.patch_embd.weight.1", patchSize, patchElements, Storage.PATCH));
                list.add(vector("v.patch_embd.bias", h));
                list.add(new ProjectorTensor("v.position_embd.weight", h, h * positionEmbeddings, Storage.F32));
                for (int i = 0; i < layers; i++) {
                    layerNorms(list, i, true);
                    list.add(weight(block(i, "attn_qkv.weight"), h, 3 * h));
                    list.add(vector(block(i, "attn_qkv.bias"), 3 * h));
                    list.add(weight(block(i, "attn_out.weight"), h, h));
                    list.add(vector(block(i, "attn_out.bias"), h));
                    list.add(weight(block(i, "ffn_up.weight"), h, f));
                    list.add(vector(block(i, "ffn_up.bias"), f));
                    list.add(weight(block(i, "ffn_down.weight"), f, h));
                    list.add(vector(block(i, "ffn_down.bias"), h));
                }
                // the main merger normalizes before the 2x2 shuffle (width h), the deepstack mergers after (4h)
                list.add(vector("v.post_ln.weight", h));
                list.add(vector("v.post_ln.bias", h));
                merger(list, merged);
                for (int d = 0; d < deepstackLayers; d++) {
                    String prefix = "v.deepstack." + d + ".";
                    list.add(vector(prefix + "norm.weight", merged));
                    list.add(vector(prefix + "norm.bias", merged));
                    list.add(weight(prefix + "fc1.weight", merged, merged));
                    list.add(vector(prefix + "fc1.bias", merged));
                    list.add(weight(prefix + "fc2.weight", merged, textHiddenSize));
                    list.add(vector(prefix + "fc2.bias", textHiddenSize));
                }
                break;
            case PIXTRAL:
                list.add(new ProjectorTensor("v.patch_embd.weight", patchSize, patchElements, Storage.PATCH));
                list.add(vector("v.pre_ln.weight", h));
                for (int i = 0; i < layers; i++) {
                    layerNorms(list, i, false);
                    separateAttention(list, i, false);
                    gatedMlp(list, i, false);
                }
                list.add(vector("mm.input_norm.weight", h));
                // nn.Linear(h * merge^2, h): MmprojModel.tensor_force_quant treats ".patch_merger.weight" as a patch
                list.add(new ProjectorTensor("mm.patch_merger.weight", merged, merged * h, Storage.PATCH));
                list.add(weight("mm.1.weight", h, textHiddenSize));
                list.add(weight("mm.2.weight", textHiddenSize, textHiddenSize));
                // the [IMG_BREAK] row of the text embedding, copied into the projector (LlavaVisionModel)
                list.add(vector("v.token_embd.img_break", textHiddenSize));
                break;
            default:
                throw new IllegalStateException("kind: " + kind);
        }
        return List.copyOf(list);
    }

    private static String block(int layer, String suffix) {
        return "v.blk." + layer + "." + suffix;
    }

    private static ProjectorTensor vector(String name, long length) {
        return new ProjectorTensor(name, length, length, Storage.F32);
    }

    private static ProjectorTensor weight(String name, long rowLength, long rows) {
        return new ProjectorTensor(name, rowLength, rowLength * rows, Storage.WEIGHT);
    }

    private void layerNorms(List<ProjectorTensor> list, int layer, boolean withBias) {
        for (String norm : new String[] {"ln1", "ln2"}) {
            list.add(vector(block(layer, norm + ".weight"), hiddenSize));
            if (withBias) {
                list.add(vector(block(layer, norm + ".bias"), hiddenSize));
            }
        }
    }

    private void separateAttention(List<ProjectorTensor> list, int layer, boolean withBias) {
        for (String name : new String[] {"attn_q", "attn_k", "attn_v", "attn_out"}) {
            list.add(weight(block(layer, name + ".weight"), hiddenSize, hiddenSize));
            if (withBias) {
                list.add(vector(block(layer, name + ".bias"), hiddenSize));
            }
        }
    }

    private void gatedMlp(List<ProjectorTensor> list, int layer, boolean withBias) {
        for (String name : new String[] {"ffn_gate", "ffn_up"}) {
            list.add(weight(block(layer, name + ".weight"), hiddenSize, intermediateSize));
            if (withBias) {
                list.add(vector(block(layer, name + ".bias"), intermediateSize));
            }
        }
        list.add(weight(block(layer, "ffn_down.weight"), intermediateSize, hiddenSize));
        if (withBias) {
            list.add(vector(block(layer, "ffn_down.bias"), hiddenSize));
        }
    }

    private void merger(List<ProjectorTensor> list, long merged) {
        list.add(weight("mm.0.weight", merged, merged));
        list.add(vector("mm.0.bias", merged));
        list.add(weight("mm.2.weight", merged, textHiddenSize));
        list.add(vector("mm.2.bias", textHiddenSize));
    }

    /**
     * Returns the parameters of the tower and projector, defined as the sum of {@link #tensors()}' elements.
     *
     * @return parameters
     */
    public long parameters() {
        long sum = 0;
        for (ProjectorTensor tensor : tensors()) {
            sum += tensor.elements();
        }
        return sum;
    }

    /**
     * Returns the tensor bytes of this tower's {@code mmproj} file of the given type: the file's size without its
     * header (metadata and tensor table, tens of kilobytes).
     *
     * @param type the file type, not null
     * @return bytes
     * @throws NullPointerException if {@code type} is null
     */
    public long weightBytes(ProjectorType type) {
        Objects.requireNonNull(type, "type");
        long sum = 0;
        for (ProjectorTensor tensor : tensors()) {
            sum = Math.addExact(sum, tensor.bytes(type));
        }
        return sum;
    }

    /**
     * Returns what one image of the given size becomes, by llama.cpp's rule for this tower ({@code tools/mtmd}):
     * <ul>
     * <li>Gemma 3: resized to a square of {@code sqrt(positionEmbeddings) * patchSize} pixels (896), so always
     *     {@code positionEmbeddings / mergeSize^2} embeddings (256), between {@code <start_of_image>} and
     *     {@code <end_of_image>} ({@code mtmd_image_preprocessor_fixed_size}, {@code clip_n_output_tokens}).</li>
     * <li>Qwen2.5-VL, Qwen3-VL: each side rounded to the nearest multiple of {@code patchSize * mergeSize}, then
     *     scaled to keep between 8 and 4096 embeddings ({@code set_limit_image_tokens(8, 4096)}), one embedding per
     *     {@code (patchSize * mergeSize)^2} pixels, between {@code <|vision_start|>} and {@code <|vision_end|>}
     *     ({@code calc_size_preserved_ratio}, transformers' {@code smart_resize}).</li>
     * <li>Pixtral: the same resize with 8 to 1024 embeddings, one {@code [IMG_BREAK]} after every row but the last,
     *     then {@code [IMG_END]}: {@code rows * columns + rows - 1} embeddings and 1 marker.</li>
     * </ul>
     *
     * @param width the image width in pixels, 1 to {@value #MAX_IMAGE_SIDE}
     * @param height the image height in pixels, 1 to {@value #MAX_IMAGE_SIDE}
     * @return the resized image, its patches, embeddings and marker tokens
     * @throws IllegalArgumentException if a side is out of range
     */
    public ImageTokens imageTokens(int width, int height) {
        requireSide("width", width);
        requireSide("height", height);
        int align = patchSize * mergeSize;
        switch (kind) {
            case GEMMA3: {
                int side = (int) Math.round(Math.sqrt(positionEmbeddings));
                int tokens = positionEmbeddings / (mergeSize * mergeSize);
                return new ImageTokens(side * patchSize, side * patchSize, positionEmbeddings, tokens, 2);
            }
            case QWEN2_5_VL:
            case QWEN3_VL: {
                int[] size = resize(width, height, align, 8L * align * align, 4096L * align * align);
                int embeddings = (size[0] / align) * (size[1] / align);
                long patches = (long) (size[0] / patchSize) * (size[1] / patchSize);
                return new ImageTokens(size[0], size[1], patches, embeddings, 2);
            }
            case PIXTRAL: {
                int[] size = resize(width, height, align, 8L * align * align, 1024L * align * align);
                int columns = size[0] / align;
                int rows = size[1] / align;
                long patches = (long) (size[0] / patchSize) * (size[1] / patchSize);
                return new ImageTokens(size[0], size[1], patches, rows * columns + rows - 1, 1);
            }
            default:
                throw new IllegalStateException("kind: " + kind);
        }
    }

    private static void requireSide(String name, int pixels) {
        if (pixels < 1 || pixels > MAX_IMAGE_SIDE) {
            throw new IllegalArgumentException(name + ": " + pixels + " (expected: 1 to " + MAX_IMAGE_SIDE
                    + " pixels)");
        }
    }

    /**
     * Resizes as llama.cpp's {@code img_tool::calc_size_preserved_ratio} does without a longest edge, in the same
     * single-precision arithmetic: round each side to the nearest multiple of {@code align}; above the maximum, scale
     * both sides down and floor; below the minimum, scale up and ceil.
     */
    private static int[] resize(int width, int height, int align, long minPixels, long maxPixels) {
        float factor = align;
        int w = Math.max(align, Math.round(width / factor) * align);
        int h = Math.max(align, Math.round(height / factor) * align);
        if ((long) w * h > maxPixels) {
            float beta = (float) Math.sqrt((float) height * width / maxPixels);
            h = Math.max(align, (int) Math.floor(height / beta / factor) * align);
            w = Math.max(align, (int) Math.floor(width / beta / factor) * align);
        } else if ((long) w * h < minPixels) {
            float beta = (float) Math.sqrt(minPixels / ((float) height * width));
            h = (int) Math.ceil(height * beta / factor) * align;
            w = (int) Math.ceil(width * beta / factor) * align;
        }
        return new int[] {w, h};
    }

    /**
     * Returns the image llama.cpp encodes when it loads the projector, which sizes the compute buffer it reserves
     * ({@code clip.cpp}, {@code set_warmup_n_tokens}): Gemma 3's fixed square, 46x46 embeddings for Qwen-VL and 16x16
     * for Pixtral.
     *
     * @return the warm-up image's tokens
     */
    public ImageTokens warmupImage() {
        int align = patchSize * mergeSize;
        switch (kind) {
            case QWEN2_5_VL:
            case QWEN3_VL:
                return imageTokens(46 * align, 46 * align);
            case PIXTRAL:
                return imageTokens(16 * align, 16 * align);
            default:
                return imageTokens(1, 1);
        }
    }

    /**
     * Returns an <b>estimate</b> of the encoder's compute buffer for an image of {@code patches} patches: the
     * activations live at once in one encoder block, in F32 as {@code clip.cpp} computes them. Per patch: the
     * residual, the normalized input, Q, K, V and the attention output ({@code 6 * hiddenSize} floats) and the MLP's
     * input and activated output ({@code 2 * intermediateSize}, 3 for the gated MLPs); without flash attention also
     * the scores and their softmax, {@code 2 * heads * patches^2} floats. This is a bound of the step that dominates,
     * not a measurement: ggml's allocator reuses memory between steps, and this counts no allocator padding or the
     * merger's smaller tensors.
     *
     * @param patches the encoder's patches, 1 to {@code MAX_IMAGE_SIDE^2} (2^32)
     * @param flashAttention whether the encoder uses flash attention (llama.cpp's {@code --flash-attn} also applies to
     *     the projector)
     * @return bytes, an estimate
     * @throws IllegalArgumentException if {@code patches} is out of range
     * @throws ArithmeticException if the bytes overflow a {@code long} (a tower of absurd widths)
     */
    public long encoderComputeBytes(long patches, boolean flashAttention) {
        long maxPatches = (long) MAX_IMAGE_SIDE * MAX_IMAGE_SIDE;
        if (patches < 1 || patches > maxPatches) {
            throw new IllegalArgumentException("patches: " + patches + " (expected: 1 to " + maxPatches
                    + ", the patches of the largest image at one pixel each)");
        }
        int mlpTensors = kind == VisionTowerKind.QWEN2_5_VL || kind == VisionTowerKind.PIXTRAL ? 3 : 2;
        long perPatch = 6L * hiddenSize + (long) mlpTensors * intermediateSize;
        long floats = Math.multiplyExact(patches, perPatch);
        if (!flashAttention) {
            floats = Math.addExact(floats, Math.multiplyExact(2L * heads, Math.multiplyExact(patches, patches)));
        }
        return Math.multiplyExact(floats, (long) Float.BYTES);
    }
}
