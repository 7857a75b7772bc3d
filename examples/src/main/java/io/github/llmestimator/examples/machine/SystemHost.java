package io.github.llmestimator.examples.machine;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The {@link Detector.Host} of the running machine: its files, and its programs run with a time limit. */
public final class SystemHost implements Detector.Host {

    /** How long a tool may take: nvidia-smi with many GPUs and system_profiler take a second or two. */
    private static final long TIMEOUT_SECONDS = 20;

    @Override
    public String osName() {
        return System.getProperty("os.name", "unknown");
    }

    @Override
    public Optional<String> file(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path), StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    @Override
    public Detector.Result run(String... command) {
        if (!onPath(command[0])) {
            return Detector.Result.failed("not on PATH");
        }
        try {
            Path err = Files.createTempFile("llm-estimator-detect", ".txt");
            try {
                Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
                process.getOutputStream().close();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return Detector.Result.failed("no answer within " + TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    String first = Files.readString(err).lines().findFirst().orElse("");
                    return Detector.Result.failed("exit status " + process.exitValue() + (first.isBlank() ? ""
                            : ": " + first.strip()));
                }
                return Detector.Result.ok(new String(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return Detector.Result.failed(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Detector.Result.failed("interrupted");
        }
    }

    @Override
    public int availableProcessors() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        // /usr/sbin holds sysctl, system_profiler and dmidecode, and is not on every user's PATH
        return Files.isExecutable(Path.of("/usr/sbin", program));
    }
}
