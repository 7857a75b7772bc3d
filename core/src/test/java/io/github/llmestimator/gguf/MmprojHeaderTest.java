package io.github.llmestimator.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.quant.TensorType;
import io.github.llmestimator.vision.Projector;
import io.github.llmestimator.vision.VisionTower;
import io.github.llmestimator.vision.VisionTowerKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A projector read from an {@code mmproj} header: exact bytes from the tensor table, the tower from the keys. */
class MmprojHeaderTest {

    /** A small Qwen3-VL-shaped projector header: the keys llama.cpp's converter writes, a few tensors. */
    private static GgufWriter qwen3Header() {
        return new GgufWriter().string("general.architecture", "clip").u32("general.file_type", 1)
                .string("clip.projector_type", "qwen3vl_merger").u32("clip.vision.block_count", 2)
                .u32("clip.vision.embedding_length", 64).u32("clip.vision.feed_forward_length", 128)
                .u32("clip.vision.attention.head_count", 4).u32("clip.vision.patch_size", 16)
                .u32("clip.vision.image_size", 768).u32("clip.vision.projection_dim", 96)
                .u32("clip.vision.spatial_merge_size", 2)
                .tensor("v.patch_embd.weight", TensorType.F16, 16, 16, 3, 64)
                .tensor("v.position_embd.weight", TensorType.F32, 64, 2304)
                .tensor("v.deepstack.1.fc1.weight", TensorType.F16, 256, 256)
                .tensor("mm.2.weight", TensorType.F16, 256, 96);
    }

    @Test
    void bytesAreTheTensorTableAndTheTowerComesFromTheKeys() throws IOException {
        GgufFile file = GgufFile.read(new ByteArrayInputStream(qwen3Header().toBytes()));
        Projector projector = Projector.of(file);
        // 16*16*3*64 F16 = 98,304; 64*2304 F32 = 589,824; 256^2 F16 = 131,072; 256*96 F16 = 49,152
        assertEquals(98_304L + 589_824 + 131_072 + 49_152, projector.weightBytes());
        assertEquals("qwen3vl_merger", projector.projectorType());
        // positions from the position table's rows, one deepstack merger from its fc1 tensor
        assertEquals(new VisionTower(VisionTowerKind.QWEN3_VL, 2, 64, 128, 4, 16, 2, 2304, 96, 1),
                projector.tower().orElseThrow());
    }

    @Test
    void anUnmodelledProjectorTypeStillHasItsBytes() throws IOException {
        GgufFile file = GgufFile.read(new ByteArrayInputStream(new GgufWriter().string("general.architecture", "clip")
                .string("clip.projector_type", "idefics3").tensor("mm.model.fc.weight", TensorType.F16, 64, 32)
                .toBytes()));
        Projector projector = Projector.of(file);
        assertEquals(64L * 32 * 2, projector.weightBytes());
        assertTrue(projector.tower().isEmpty());
    }

    @Test
    void aModelFileOrAMissingKeyIsRefused() throws IOException {
        GgufFile model = GgufFile.read(new ByteArrayInputStream(new GgufWriter().string("general.architecture", "llama")
                .toBytes()));
        IllegalArgumentException notClip = assertThrows(IllegalArgumentException.class, () -> Projector.of(model));
        assertTrue(notClip.getMessage().contains("'llama'") && notClip.getMessage().contains("clip"),
                notClip.getMessage());
        GgufFile noBlocks = GgufFile.read(new ByteArrayInputStream(new GgufWriter()
                .string("general.architecture", "clip").string("clip.projector_type", "pixtral").toBytes()));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Projector.of(noBlocks));
        assertTrue(missing.getMessage().contains("clip.vision.block_count: missing"), missing.getMessage());
    }
}
