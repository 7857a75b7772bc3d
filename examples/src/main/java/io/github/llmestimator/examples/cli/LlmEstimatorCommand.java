package io.github.llmestimator.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The {@code llm-estimator} command line: the memory and speed of running a model ({@code estimate}), the planning
 * answers ({@code max-context}, {@code best-quant}, {@code offload}, {@code concurrency}, {@code min-hardware}), what
 * fits a machine ({@code fit}), a CSV sweep, the catalog ({@code models}, {@code hardware}), this machine
 * ({@code hardware --detect}) and a device calibrated on its own runs ({@code calibrate}).
 *
 * <p>Exit status: {@value #ANSWERED} answered; {@value #DOES_NOT_FIT} the model does not fit or no plan exists;
 * {@value #USAGE} bad usage or unreadable input (the message names the argument and what is allowed);
 * {@value #INTERNAL} an internal error (a bug: the stack trace follows).
 */
@Command(name = "llm-estimator", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = "Memory and speed of running large language models, as llama.cpp and a datasheet give them.",
        subcommands = {EstimateCommand.class, MaxContextCommand.class, BestQuantCommand.class, OffloadCommand.class,
            ConcurrencyCommand.class, MinHardwareCommand.class, FitCommand.class, SweepCommand.class,
            ModelsCommand.class, HardwareCommand.class, CalibrateCommand.class, QualityCommand.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered", "1:does not fit, or no plan exists", "2:bad usage or unreadable input",
            "70:internal error"})
public final class LlmEstimatorCommand implements Runnable {

    /** Exit status: the command answered. */
    public static final int ANSWERED = 0;
    /** Exit status: the model does not fit, or no plan exists. */
    public static final int DOES_NOT_FIT = 1;
    /** Exit status: bad usage or unreadable input. */
    public static final int USAGE = 2;
    /** Exit status: an internal error. */
    public static final int INTERNAL = 70;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its status, after every line is written.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * Runs the command line with the given streams and returns its exit status.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit status: {@value #ANSWERED}, {@value #DOES_NOT_FIT}, {@value #USAGE} or {@value #INTERNAL}
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new LlmEstimatorCommand()).setOut(out).setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler((exception, arguments) -> {
            CommandLine command = exception.getCommandLine();
            command.getErr().println(prefix(command) + exception.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(exception, command.getErr());
            command.getErr().println("Try 'llm-estimator " + (command.getParent() == null ? "" : command.getCommandName()
                    + " ") + "--help' for the options.");
            return USAGE;
        });
        line.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            if (exception instanceof IllegalArgumentException || exception instanceof IllegalStateException
                    || exception instanceof IOException
                    || exception instanceof UncheckedIOException) {
                commandLine.getErr().println(prefix(commandLine) + exception.getMessage());
                commandLine.getErr().println("Try 'llm-estimator " + (commandLine.getParent() == null ? ""
                        : commandLine.getCommandName() + " ") + "--help' for the options.");
                return USAGE;
            }
            commandLine.getErr().println("llm-estimator: internal error, please report it: " + exception);
            exception.printStackTrace(commandLine.getErr());
            return INTERNAL;
        });
        int status = line.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private static String prefix(CommandLine command) {
        return command.getParent() == null ? "llm-estimator: " : "llm-estimator " + command.getCommandName() + ": ";
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version of the build, from the jar's resources. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = LlmEstimatorCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"llm-estimator " + properties.getProperty("version", "(unknown version)"),
                "catalog data " + io.github.llmestimator.catalog.Catalog.dataVersion()};
        }
    }
}
