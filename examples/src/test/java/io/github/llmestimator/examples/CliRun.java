package io.github.llmestimator.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of the shaded CLI jar ({@code cli.jar}) as a separate process, as a user runs it: its exit status, standard
 * output and standard error.
 */
record CliRun(int status, String out, String err) {

    /** The standard output read as a JSON object. */
    Map<String, Object> json() {
        try {
            return JSON.std.mapFrom(out);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage() + "\n" + out, e);
        }
    }

    /** Runs the jar with this JVM's environment. */
    static CliRun of(String... args) {
        return of(environment -> { }, args);
    }

    /** Runs the jar with the environment changed by {@code environment} first. */
    static CliRun of(Consumer<Map<String, String>> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", System.getProperty("cli.jar")));
        command.addAll(List.of(args));
        try {
            // stderr goes to a file so that neither stream can fill its pipe while the other is read.
            Path err = Files.createTempFile("llm-estimator-stderr", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
            environment.accept(builder.environment());
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
            String errText = Files.readString(err, StandardCharsets.UTF_8);
            Files.delete(err);
            return new CliRun(process.exitValue(), new String(out, StandardCharsets.UTF_8), errText);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
