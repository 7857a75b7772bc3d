package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.hardware.Calibration;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.quant.QuantScheme;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** A profile file written and read back, and files that are not profiles. */
final class CalibrationProfileTest {

    private static final Calibration CALIBRATION = new Calibration(0.7, 0.75, 0.8, 20e-6, OptionalDouble.of(0.5), 2);
    private static final CalibrationRun RUN = new CalibrationRun("gpt-oss-20b", QuantScheme.MXFP4_MOE, 0, 32, 4096,
            2048, 77.36, true);

    @Test
    void roundTrip_keepsDeviceCalibrationAndRuns() {
        Device spark = Catalog.hardware("dgx-spark").device();
        CalibrationProfile profile = new CalibrationProfile(spark.withCalibration(CALIBRATION), "dgx-spark.md",
                List.of(RUN));
        CalibrationProfile read = CalibrationProfile.read(profile.toJson());
        assertEquals(profile, read);
        assertEquals(spark.withCalibration(CALIBRATION), read.device());
        assertEquals(List.of(RUN), read.runs("gpt-oss-20b", QuantScheme.MXFP4_MOE));
        assertEquals(List.of(), read.runs("gpt-oss-20b", QuantScheme.Q8_0));
    }

    @Test
    void notAProfile_isRefusedWithTheKey() {
        String good = new CalibrationProfile(Catalog.hardware("rtx-4090").device().withCalibration(CALIBRATION), "x",
                List.of(RUN)).toJson();
        assertThrows(IllegalArgumentException.class, () -> CalibrationProfile.read("{"));
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
                () -> CalibrationProfile.read(good.replace(CalibrationProfile.FORMAT, "other")));
        assertTrue(format.getMessage().contains("format"), format.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationProfile.read(good.replace("\"memoryEfficiency\" : 0.75", "\"memoryEfficiency\" : -1")));
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationProfile.read(good.replace("gpt-oss-20b", "no-such-model")));
        assertThrows(IllegalArgumentException.class, () -> new CalibrationProfile(
                Catalog.hardware("rtx-4090").device(), "x", List.of()));
    }
}
