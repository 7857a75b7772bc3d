package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.examples.Views;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * What the commands about one model share: the model and its settings, the hardware, {@code --json}, and printing.
 */
abstract class ModelCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    HardwareOptions hardware;

    @Option(names = "--json", description = "Print one JSON object (sizes as {bytes, GiB, GB}; see the README).")
    boolean json;

    /** The estimator with the model options and, if hardware was given, the deployment. */
    Estimator estimatorOnHardware() {
        Estimator estimator = model.estimator();
        return hardware.deployment(estimator).map(chosen -> estimator.on(chosen.deployment())).orElse(estimator);
    }

    /** A memory budget, for the commands that answer on devices or under a budget. */
    static final class Budget {
        @Option(names = "--memory", paramLabel = "SIZE", converter = MemorySize.class,
                description = "A memory budget instead of hardware, with its unit (64GiB, 64GB).")
        Long bytes;
    }

    /**
     * The estimator for a command that answers on the hardware or under a budget: one of them, never both.
     *
     * @param budget the budget option
     * @param what what the command fits, for the message when neither is given
     */
    Estimator onHardwareOrBudget(Budget budget, String what) {
        if (budget.bytes != null && hardware.given()) {
            throw new IllegalArgumentException("--memory with --hardware: give one (expected: devices, or a budget)");
        }
        if (budget.bytes != null) {
            return model.estimator();
        }
        requireHardware("the devices to fit " + what + " on, or --memory SIZE");
        return estimatorOnHardware();
    }

    /** Fails unless hardware was given, naming what the command needs it for. */
    void requireHardware(String why) {
        if (!hardware.given()) {
            throw new IllegalArgumentException("--hardware: not given (expected: " + why + ")");
        }
    }

    void print(String text) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
    }

    void printJson(Map<String, Object> root) {
        print(Views.json(root));
    }

    static int status(boolean fits) {
        return fits ? LlmEstimatorCommand.ANSWERED : LlmEstimatorCommand.DOES_NOT_FIT;
    }

    /** Reads a memory size with its unit: 64GiB, 64 GB, 1.5TiB, 512MiB. */
    static final class MemorySize implements ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(mib|mb|gib|gb|tib|tb)");

        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' (expected: a size with its unit, such as 64GiB,"
                        + " 64GB or 1.5TiB)");
            }
            double unit = switch (m.group(2)) {
                case "mib" -> 0x1p20;
                case "mb" -> 1e6;
                case "gib" -> 0x1p30;
                case "gb" -> 1e9;
                case "tib" -> 0x1p40;
                default -> 1e12;
            };
            double bytes = Double.parseDouble(m.group(1)) * unit;
            if (bytes < 1 || bytes > 0x1p50) {
                throw new TypeConversionException("'" + value + "' (expected: 1 byte to 1 PiB)");
            }
            return (long) bytes;
        }
    }
}
