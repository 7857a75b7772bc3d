package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.examples.ModelReport;
import io.github.llmestimator.catalog.CalibrationProfile;
import io.github.llmestimator.catalog.CalibrationRun;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.PublishedSpeed;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code estimate}: the memory report of a model, or its memory and speed on given hardware. */
@Command(name = "estimate", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"Memory and speed of a model.",
            "Without --hardware: the full report (weights by scheme, KV cache by context, a speed matrix).",
            "With --hardware: memory per device, whether it fits, and decode and prefill speeds where it fits, with"
                + " their energy per token where the devices' power is published and the cost of a million tokens at"
                + " --price-kwh or --price-hour."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered (and fits, with --hardware)", "1:does not fit the hardware",
            "2:bad usage or unreadable input"})
final class EstimateCommand extends ModelCommand {

    @Option(names = "--price-kwh", paramLabel = "PRICE",
            description = "Electricity price per kWh, in your currency: the cost of a million tokens from the energy.")
    Double pricePerKwh;

    @Option(names = "--price-hour", paramLabel = "PRICE",
            description = "Rental price of the hardware per hour: the cost of a million tokens from the speed.")
    Double pricePerHour;

    @Override
    public Integer call() {
        DeploymentReport.Prices prices = new DeploymentReport.Prices(pricePerKwh, pricePerHour);
        Estimator estimator = model.estimator();
        Optional<HardwareOptions.Chosen> chosen = hardware.deployment(estimator);
        if (chosen.isEmpty()) {
            if (pricePerKwh != null || pricePerHour != null) {
                throw new IllegalArgumentException("--price-kwh/--price-hour without --hardware (expected: the devices"
                        + " whose energy and speed the price applies to)");
            }
            print(json ? ModelReport.renderJson(model.source(), estimator)
                    : ModelReport.render(model.source(), estimator));
            return LlmEstimatorCommand.ANSWERED;
        }
        Estimator placed = estimator.on(chosen.get().deployment());
        List<PublishedSpeed> measured = List.of();
        Optional<String> device = hardware.singleCatalogId();
        if (device.isPresent() && model.source().preset().isPresent() && !placed.estimate().weights().isFromFile()) {
            measured = Catalog.publishedSpeeds(model.source().preset().get().id(), device.get(),
                    placed.estimate().weights().scheme());
        }
        List<CalibrationRun> own = List.of();
        Optional<CalibrationProfile> profile = hardware.singleProfile();
        if (profile.isPresent() && model.source().preset().isPresent() && !placed.estimate().weights().isFromFile()) {
            own = profile.get().runs(model.source().preset().get().id(), placed.estimate().weights().scheme());
        }
        print(json ? DeploymentReport.json(model.source(), placed, chosen.get(), measured, own, prices)
                : DeploymentReport.text(model.source(), placed, chosen.get(), measured, own, prices));
        return status(placed.estimate().fits());
    }
}
