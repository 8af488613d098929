package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FERRY_SERVICE_DOWN_SECONDS, FERRY_QUEUED_WARN_SECONDS and FERRY_JOB_REDISPATCH_SECONDS, as the api-gateway reads
 * them.
 */
class ServiceSettingsTest {

    @Test
    void readsItsDefaults() {
        assertEquals(ServiceSettings.DEFAULTS, ServiceSettings.fromEnv(Map.of()));
        assertEquals(new ServiceSettings(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(60)),
                ServiceSettings.DEFAULTS);
    }

    @Test
    void readsHowLongALostCastWaitsBeforeItIsSentAgain() {
        assertEquals(Duration.ofSeconds(5), ServiceSettings.fromEnv(Map.of("FERRY_JOB_REDISPATCH_SECONDS", "5"))
                .redispatchAfter());
        assertEquals(Duration.ZERO, ServiceSettings.fromEnv(Map.of("FERRY_JOB_REDISPATCH_SECONDS", "0"))
                .redispatchAfter(), "0 turns it off");
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ServiceSettings.fromEnv(Map.of("FERRY_JOB_REDISPATCH_SECONDS", "-1")));
        assertEquals("FERRY_JOB_REDISPATCH_SECONDS is -1; it must be 0 (never cast a queued job again) or more "
                + "(default 60)", negative.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                () -> ServiceSettings.fromEnv(Map.of("FERRY_JOB_REDISPATCH_SECONDS", "soon")));
        assertEquals("FERRY_JOB_REDISPATCH_SECONDS is 'soon'; give a whole number of seconds, e.g. 60",
                word.getMessage());
    }
}
