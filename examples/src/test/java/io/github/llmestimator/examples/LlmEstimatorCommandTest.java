package io.github.llmestimator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.examples.cli.LlmEstimatorCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line: each subcommand's key lines, and the exit status and message of bad arguments. */
final class LlmEstimatorCommandTest {

    private static final class Run {
        final int status;
        final String out;
        final String err;

        Run(String... args) {
            StringWriter outText = new StringWriter();
            StringWriter errText = new StringWriter();
            status = LlmEstimatorCommand.execute(args, new PrintWriter(outText, true), new PrintWriter(errText, true));
            out = outText.toString();
            err = errText.toString();
        }
    }

    @Test
    void estimate_default() {
        Run run = new Run("estimate");
        assertEquals(0, run.status, run.err);
        assertTrue(run.out.contains("Chosen: Q4_K_M, context 8,192 tokens"), run.out);
    }

    @Test
    void sweep_csv() {
        Run run = new Run("sweep", "--models", "llama-3.1-8b", "--quants", "Q4_K_M,Q8_0", "--contexts", "8192");
        assertEquals(0, run.status, run.err);
        String[] lines = run.out.split("\n");
        assertEquals(3, lines.length, run.out);
        // weights 4912898048 B (the published 4.58 GiB file) at Q4_K_M; KV at 8192 tokens: 1 GiB
        assertTrue(lines[1].startsWith("llama-3.1-8b,Q4_K_M,8192,4912898048,1073741824,0,"), lines[1]);
    }

    /**
     * Llama-3.1-8B in 16 GiB at 8192 tokens: Q8_0 weights 8.53 GB + 1 GiB KV + buffers + 1 GiB allowance fit, while
     * BF16 (16.06 GB = 14.96 GiB of weights, + 2 GiB) does not; on an RTX 4090 (24 GiB) BF16 fits, F32 (29.9 GiB of
     * weights) does not.
     */
    @Test
    void fit_budgetAndHardware() {
        Run budget = new Run("fit", "--models", "llama-3.1-8b", "--memory-gb", "16");
        assertEquals(0, budget.status, budget.err);
        assertTrue(budget.out.contains("llama-3.1-8b               yes   Q8_0"), budget.out);
        Run gpu = new Run("fit", "--models", "llama-3.1-8b", "--hardware", "rtx-4090");
        assertEquals(0, gpu.status, gpu.err);
        assertTrue(gpu.out.contains("llama-3.1-8b               yes   BF16"), gpu.out);
        Run machine = new Run("fit", "--models", "llama-3.2-1b");
        assertEquals(0, machine.status, machine.err);
        assertTrue(machine.out.contains("(this machine's RAM)"), machine.out);
        Run bad = new Run("fit", "--memory-gb", "0");
        assertEquals(2, bad.status);
        assertTrue(bad.err.contains("--memory-gb: 0"), bad.err);
    }

    @Test
    void models_andHardware() {
        Run models = new Run("models");
        assertEquals(0, models.status);
        assertTrue(models.out.contains("qwen3.5-397b-a17b"), models.out);
        Run hardware = new Run("hardware");
        assertEquals(0, hardware.status, hardware.err);
        assertTrue(hardware.out.contains("rtx-4090"), hardware.out);
    }

    @Test
    void badArguments_nameTheArgumentAndExitTwo() {
        Run quant = new Run("estimate", "--quant", "Q4_K_X");
        assertEquals(2, quant.status);
        assertTrue(quant.err.contains("--quant") && quant.err.contains("Q4_K_M"), quant.err);
        Run model = new Run("estimate", "--model", "llama-9");
        assertEquals(2, model.status);
        assertTrue(model.err.contains("model: 'llama-9' is neither a catalog id"), model.err);
        Run context = new Run("sweep", "--contexts", "-5");
        assertEquals(2, context.status);
        assertTrue(context.err.contains("--contexts: -5"), context.err);
        Run unknown = new Run("frobnicate");
        assertEquals(2, unknown.status);
    }
}
