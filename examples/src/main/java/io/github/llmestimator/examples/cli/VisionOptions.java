package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.VisionTowers;
import io.github.llmestimator.examples.ModelSource;
import io.github.llmestimator.gguf.GgufFile;
import io.github.llmestimator.vision.Projector;
import io.github.llmestimator.vision.ProjectorType;
import io.github.llmestimator.vision.VisionTower;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The projector llama.cpp loads next to the model ({@code --mmproj}) and the images of each request, named as
 * llama.cpp's {@code llama-server} and {@code llama-mtmd-cli} name them where they can.
 */
final class VisionOptions {

    @Option(names = "--mmproj", paramLabel = "TYPE|FILE",
            description = "Load the model's projector: a file type (f16, bf16, q8_0, f32) for the tower in the model's"
                    + " config.json, or an mmproj .gguf file, whose header gives its exact size.")
    String mmproj;

    @Option(names = "--images", paramLabel = "N", defaultValue = "0",
            description = "Images per sequence, each counted into the context by the model's rule (implies"
                    + " --mmproj f16 unless given; default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--image-size", paramLabel = "WxH", defaultValue = "1024x1024",
            description = "Size of each image in pixels (default: ${DEFAULT-VALUE}).")
    String imageSize;

    /** Applies the projector and images, if any were asked for, to the estimator of the given model. */
    Estimator apply(Estimator estimator, String modelArgument, ModelSource source) {
        if (mmproj == null && images == 0) {
            return estimator;
        }
        if (images < 0) {
            throw new IllegalArgumentException("--images: " + images + " (expected: 0 or more)");
        }
        Projector projector = projector(mmproj == null ? "f16" : mmproj, modelArgument, source);
        int[] size = size(imageSize);
        return estimator.projector(projector).images(images, size[0], size[1]);
    }

    private static Projector projector(String value, String modelArgument, ModelSource source) {
        Optional<ProjectorType> type = typeName(value);
        if (type.isPresent()) {
            VisionTower tower = tower(modelArgument, source).orElseThrow(() -> new IllegalArgumentException(
                    "--mmproj " + value + ": " + source.displayName() + " has no vision tower in its config.json"
                            + " (expected: a vision-language model, or --mmproj FILE.gguf)"));
            return Projector.of(tower, type.get());
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("--mmproj: '" + value + "' is neither a file type (f16, bf16, q8_0,"
                    + " f32) nor a file");
        }
        try {
            return Projector.of(GgufFile.read(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("--mmproj: cannot read '" + value + "': " + e.getMessage(), e);
        }
    }

    private static Optional<ProjectorType> typeName(String value) {
        try {
            return Optional.of(ProjectorType.ofName(value));
        } catch (IllegalArgumentException notAType) {
            return Optional.empty();
        }
    }

    /** The tower of a catalog preset, or of a local config.json (the file, or the folder holding it). */
    private static Optional<VisionTower> tower(String modelArgument, ModelSource source) {
        if (source.preset().isPresent()) {
            return VisionTowers.of(source.preset().get());
        }
        Path path = Path.of(modelArgument);
        Path config = Files.isDirectory(path) ? path.resolve("config.json") : path;
        if (source.gguf().isEmpty() && Files.isRegularFile(config)) {
            return VisionTowers.fromPath(config);
        }
        throw new IllegalArgumentException("--mmproj TYPE: the tower is read from a catalog model or a local"
                + " config.json, and " + source.displayName() + " is neither (expected: --mmproj FILE.gguf)");
    }

    private static int[] size(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        if (parts.length == 2) {
            try {
                return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            } catch (NumberFormatException e) {
                // reported below with the expected form
            }
        }
        throw new IllegalArgumentException("--image-size: '" + text + "' (expected: WIDTHxHEIGHT in pixels, such as"
                + " 1024x768)");
    }
}
