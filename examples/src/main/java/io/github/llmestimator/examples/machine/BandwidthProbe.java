package io.github.llmestimator.examples.machine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A STREAM-style memory-bandwidth probe (McCalpin's STREAM, https://www.cs.virginia.edu/stream/ref.html): the copy
 * kernel {@code a[i] = b[i]} and the triad {@code a[i] = b[i] + s * c[i]} over three arrays of doubles well beyond the
 * caches, split among 1 to N threads. As in STREAM, a copy counts 16 bytes per element and a triad 24 (the reads and
 * the write; not the write-allocate traffic), GB are 10^9 bytes, and a result is the best of several repetitions after
 * one that warms up the JIT and the pages; the spread is the slowest of them.
 */
public final class BandwidthProbe {

    /**
     * What one kernel achieved with one thread count.
     *
     * @param kernel {@code copy} or {@code triad}
     * @param threads the threads that shared the arrays
     * @param bestGBps the fastest repetition, GB/s (10^9 bytes/s)
     * @param worstGBps the slowest repetition, GB/s: with the best, the spread
     * @param repetitions the timed repetitions
     */
    public record Result(String kernel, int threads, double bestGBps, double worstGBps, int repetitions) {
    }

    private final int elements;
    private final int repetitions;

    /**
     * Returns a probe over three arrays of {@code arrayBytes} each.
     *
     * @param arrayBytes bytes of each array, 1 MiB to 2 GiB (a multiple of 8)
     * @param repetitions timed repetitions per kernel and thread count, 2 to 100
     * @throws IllegalArgumentException if a value is out of range
     */
    public BandwidthProbe(long arrayBytes, int repetitions) {
        if (arrayBytes < (1L << 20) || arrayBytes > (1L << 31) - 8) {
            throw new IllegalArgumentException("arrayBytes: " + arrayBytes + " (expected: 1 MiB to 2 GiB)");
        }
        if (repetitions < 2 || repetitions > 100) {
            throw new IllegalArgumentException("repetitions: " + repetitions + " (expected: 2 to 100)");
        }
        this.elements = (int) (arrayBytes / 8);
        this.repetitions = repetitions;
    }

    /**
     * Measures copy and triad at each thread count.
     *
     * @param threadCounts the thread counts, each at least 1
     * @return one result per kernel and thread count, copy first
     * @throws IllegalArgumentException if a thread count is below 1
     */
    public List<Result> measure(int... threadCounts) {
        double[] a = new double[elements];
        double[] b = new double[elements];
        double[] c = new double[elements];
        Arrays.fill(a, 1.0);
        Arrays.fill(b, 2.0);
        Arrays.fill(c, 0.5);
        List<Result> results = new ArrayList<>();
        for (int threads : threadCounts) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                results.add(run(pool, threads, false, a, b, c));
                results.add(run(pool, threads, true, a, b, c));
            } finally {
                pool.shutdownNow();
            }
        }
        return results;
    }

    private Result run(ExecutorService pool, int threads, boolean triad, double[] a, double[] b, double[] c) {
        double best = 0;
        double worst = Double.MAX_VALUE;
        double bytes = (triad ? 24.0 : 16.0) * elements;
        for (int r = 0; r <= repetitions; r++) {
            long start = System.nanoTime();
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) elements * t / threads);
                int to = (int) ((long) elements * (t + 1) / threads);
                parts.add(pool.submit(() -> {
                    if (triad) {
                        for (int i = from; i < to; i++) {
                            a[i] = b[i] + 3.0 * c[i];
                        }
                    } else {
                        System.arraycopy(b, from, a, from, to - from);
                    }
                }));
            }
            for (Future<?> part : parts) {
                try {
                    part.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("bandwidth probe interrupted", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("bandwidth probe failed", e.getCause());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (r > 0) {
                double gbps = bytes / seconds / 1e9;
                best = Math.max(best, gbps);
                worst = Math.min(worst, gbps);
            }
        }
        return new Result(triad ? "triad" : "copy", threads, best, worst, repetitions);
    }

    /**
     * Returns the thread counts to try on a machine: every count up to 4, then doubling, and the machine's own.
     *
     * @param cpus the hardware threads, at least 1
     * @return ascending counts ending with {@code cpus}
     */
    public static int[] threadCounts(int cpus) {
        List<Integer> counts = new ArrayList<>();
        for (int t = 1; t < cpus; t = t < 4 ? t + 1 : t * 2) {
            counts.add(t);
        }
        counts.add(cpus);
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }
}
